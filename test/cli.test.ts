// The command line, spawned as users run it (the built dist/cli/main.js): every help example produces the output
// it states; bad input gives exit code 2 and one error line; verifications that fail exit 1; tampered key blocks
// exit 3; `issue` writes 100,000 unique Luhn-valid cards that verify with the library; Ctrl-C leaves a parseable
// file and a consistent store that a re-run completes without duplicates; no key or PIN leaks to the terminal.
import { afterAll, describe, expect, test } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as api from '../src/index.js';
import { SqliteStore } from '../src/store/sqlite.js';
import { postgresAvailable, startPostgres } from './helpers/postgres.js';
import { testHsm } from './helpers/hsm.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function workdir(): string {
  const d = mkdtempSync(join(tmpdir(), 'cardhsm-cli-'));
  dirs.push(d);
  // Files the help examples name.
  writeFileSync(join(d, 'c1.txt'), '0123456789ABCDEFFEDCBA9876543210\n');
  writeFileSync(join(d, 'c2.txt'), '01010101010101010101010101010101\n');
  writeFileSync(join(d, 'new-lmk.txt'), 'F0'.repeat(32));
  writeFileSync(join(d, 'lmk1.txt'), 'F0'.repeat(32));
  writeFileSync(join(d, 'lmk2.txt'), '0F'.repeat(32));
  writeFileSync(
    join(d, 'blocks.txt'),
    'D0112K0TB00E000094479367DE37D49F415BC6142040100E20459F350A71A29A4EE98CF68240D54268A3B7A3B6B33E866FE4C72158444ADC\nD0112P0TB00E00008633D4373C93D023048FD5F255B8759474FD15A06A8E0637F34DAC353D2A0598E560A698DD9661954358DCB346027665\n',
  );
  return d;
}

function run(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const helps = new Map<string, string>();
/** A command's help screen (each spawned once per file). */
function helpOf(path: string[]): string {
  const key = path.join(' ');
  if (!helps.has(key)) helps.set(key, run([...path, '--help'], tmpdir()).stdout);
  return helps.get(key)!;
}

/** Every command path, from the help screens. */
function commandPaths(prefix: string[] = []): string[][] {
  const help = helpOf(prefix);
  const section = help.split('Commands:')[1];
  if (!section) return [prefix];
  const names = [...section.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]!).filter((n) => n !== 'help');
  return [prefix, ...names.flatMap((n) => commandPaths([...prefix, n]))];
}

interface Example {
  path: string;
  env: Record<string, string>;
  args: string[];
  expected: string[];
}

/** The `$ command` lines of a help screen with the output lines that follow each. */
function examplesOf(path: string[]): Example[] {
  const help = helpOf(path);
  const at = help.search(/^Examples?:$/m);
  if (at < 0) return [];
  const out: Example[] = [];
  for (const chunk of help.slice(at).split('\n  $ ').slice(1)) {
    const [command, ...rest] = chunk.split('\n');
    const words = command!.trim().split(/\s+/);
    const env: Record<string, string> = {};
    while (words[0]!.includes('=')) {
      const [k, v] = words.shift()!.split('=');
      env[k!] = v!;
    }
    expect(words.shift()).toBe('cardhsm');
    const expected: string[] = [];
    for (const l of rest) {
      if (!l.startsWith('  ') || l.startsWith('  (')) break;
      expected.push(l.slice(2));
    }
    out.push({ path: path.join(' '), env, args: words, expected });
  }
  return out;
}

/** A line matches exactly, or up to a trailing '…' (for values that change per run), with '…' inside as a wildcard. */
function matches(line: string, pattern: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('…')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(line);
}

describe('help examples', () => {
  const paths = commandPaths();
  // The bench example runs the whole benchmark harness (tens of seconds): its help is checked, not run.
  const all = paths.flatMap(examplesOf).filter((e) => e.path !== 'bench');

  test('every command has a worked example in its help', () => {
    const leaves = paths.filter((p) => p.length > 0 && !helpOf(p).includes('Commands:'));
    const without = leaves.filter((p) => examplesOf(p).length === 0).map((p) => p.join(' '));
    expect(without).toEqual([]);
    expect(all.length).toBeGreaterThan(30);
  }, 120_000);

  test.each(all.map((e) => [`${e.path}: ${e.args.slice(0, 4).join(' ')}`, e] as const))('%s', (_, e) => {
    const r = run(e.args, workdir(), e.env);
    expect(r.stderr.split('\n').filter((l) => l && !l.includes('development LMK') && !l.includes('component'))).toEqual(
      [],
    );
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length, r.stdout).toBe(e.expected.length);
    lines.forEach((l, i) => void expect(matches(l, e.expected[i]!), `${l} vs ${e.expected[i]}`).toBe(true));
    expect(r.code).toBe(0);
  });
});

describe('errors and exit codes', () => {
  const cwd = workdir();
  test.each([
    [
      ['cvv', '--cvk', '0123', '--pan', '4123456789012345', '--expiry', '8701', '--service-code', '101'],
      2,
      'ERR_LENGTH',
    ],
    [
      [
        'cvv',
        '--cvk',
        '0123456789ABCDEFFEDCBA9876543210',
        '--pan',
        '41234567890123X5',
        '--expiry',
        '8701',
        '--service-code',
        '101',
      ],
      2,
      'ERR_FORMAT',
    ],
    [['cvv', '--pan', '4123456789012345'], 2, 'ERR_USAGE'],
    [['nonsense'], 2, 'ERR_USAGE'],
    [
      ['pinblock', 'decode', '--block', 'FFFFFFFFFFFFFFFF', '--pan', '4111111111111111', '--format', '0'],
      3,
      'ERR_PINBLOCK_FORMAT',
    ],
    [
      [
        'tr31',
        'unwrap',
        '--kbpk',
        '00112233445566778899AABBCCDDEEFF',
        '--key-block',
        api.wrapTr31(new Uint8Array(16), 'D0000P0AE00E0000', new Uint8Array(16)),
      ],
      3,
      'ERR_TR31_MAC',
    ],
    [
      [
        'pinblock',
        'translate',
        '--block',
        '041261AAAAEDCBA9',
        '--pan',
        '5555555551234567',
        '--from-format',
        '0',
        '--from-key',
        '00'.repeat(16),
        '--to-format',
        '1',
        '--to-key',
        '00'.repeat(16),
      ],
      2,
      'ERR_PIN_TRANSLATION',
    ],
    [['luhn', 'check', '79927398710'], 1, null],
    [
      [
        'ibm3624',
        'verify',
        '--pvk',
        '0123456789ABCDEFFEDCBA9876543210',
        '--validation-data',
        '1122334455667788',
        '--decimalization-table',
        '1234567890123456',
        '--pin',
        '1234',
        '--offset',
        '7711',
      ],
      1,
      null,
    ],
    [['parity', 'check', '--key', '0022446688AACCEE'], 1, null],
    [['mac', '--algorithm', '2', '--key', '0123456789ABCDEF', '--data', '00'], 2, 'ERR_FORMAT'],
    [
      [
        'emv',
        'arqc',
        'verify',
        '--profile',
        'VISA_CVN18',
        '--imk',
        '0123456789ABCDEFFEDCBA9876543210',
        '--pan',
        '1234567890123456',
        '--psn',
        '00',
        '--tlv',
        '9F0206000000004000',
        '--arqc',
        '0000000000000000',
      ],
      2,
      'ERR_FORMAT',
    ],
    [
      [
        'emv',
        'arqc',
        'verify',
        '--profile',
        'VISA_CVN99',
        '--imk',
        '0123456789ABCDEFFEDCBA9876543210',
        '--pan',
        '1234567890123456',
        '--psn',
        '00',
        '--tlv',
        '9F02',
      ],
      2,
      'ERR_FORMAT',
    ],
    [
      [
        'cvc3',
        '--imk',
        '01234567899876543210012345678998',
        '--pan',
        '5123456789012345',
        '--psn',
        '00',
        '--track',
        '5123456789012345D35121010000000000000F',
        '--atc',
        '005E',
        '--un',
        '00000899',
        '--verify',
        '489',
      ],
      1,
      null,
    ],
    [
      [
        'dcvv',
        '--imk',
        '12345678123456781234567812345678',
        '--pan',
        '1234567890123456',
        '--psn',
        '00',
        '--expiry',
        '1310',
        '--service-code',
        '226',
        '--atc',
        '3210',
        '--verify',
        '423',
      ],
      1,
      null,
    ],
    [['dukpt', 'key', '--bdk', '0123456789ABCDEFFEDCBA9876543210', '--ksn', 'FFFF9876543210E007FF'], 2, 'ERR_FORMAT'],
    [
      [
        'dukpt',
        'pin-translate',
        '--bdk',
        '0123456789ABCDEFFEDCBA9876543210',
        '--ksn',
        'FFFF9876543210E00002',
        '--block',
        '1B9C1845EB993A7A',
        '--pan',
        '4012345678909',
        '--from-format',
        '0',
        '--to-key',
        'FEDCBA98765432100123456789ABCDEF',
        '--to-format',
        '0',
      ],
      3,
      'ERR_PINBLOCK_FORMAT',
    ],
    [
      [
        'dukpt',
        'mac',
        '--bdk',
        '0123456789ABCDEFFEDCBA9876543210',
        '--ksn',
        'FFFF9876543210E00001',
        '--data',
        '3430313233343536373839303944393837',
        '--mac',
        '9CCC7818',
      ],
      1,
      null,
    ],
  ] as const)('%j -> exit %i %s', (args, code, err) => {
    const r = run([...args], cwd);
    expect(r.code).toBe(code);
    if (err) {
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^cardhsm: ${err}: `));
      expect(r.stderr).not.toContain('    at '); // no stack without --debug
    }
  });

  test('--debug adds the stack; --json gives machine output; PANs are masked unless --show-pan', () => {
    const r = run(
      ['--debug', 'cvv', '--cvk', '01', '--pan', '4123456789012345', '--expiry', '8701', '--service-code', '101'],
      cwd,
    );
    expect(r.stderr).toContain('    at ');
    expect(JSON.parse(run(['--json', 'luhn', 'digit', '7992739871'], cwd).stdout)).toEqual({ checkDigit: '3' });
    expect(
      run(['detoken', '--key', '2B7E151628AED2A6ABF7158809CF4F3C', '--token', '4111111210731111'], cwd).stdout.trim(),
    ).toBe('411111******1111');
  });
});

describe('keys under an LMK', () => {
  test('generate, describe, export through a KEK, import back, rotate the LMK', () => {
    const cwd = workdir();
    const env = { CARDHSM_LMK: '000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F' };
    const gen = (args: string[]) =>
      JSON.parse(run(['--json', 'keys', 'generate', ...args], cwd, env).stdout) as { keyBlock: string; kcv: string };
    const zpk = gen(['--usage', 'P0', '--algorithm', 'TDES2']);
    const kek = gen(['--usage', 'K0', '--algorithm', 'TDES2']);
    const exported = JSON.parse(
      run(['--json', 'keys', 'export', '--key-block', zpk.keyBlock, '--kek', kek.keyBlock], cwd, env).stdout,
    ) as { keyBlock: string; kcv: string };
    expect(exported.keyBlock[0]).toBe('B');
    expect(exported.kcv).toBe(zpk.kcv);
    const imported = JSON.parse(
      run(['--json', 'keys', 'import', '--key-block', exported.keyBlock, '--kek', kek.keyBlock], cwd, env).stdout,
    ) as { kcv: string };
    expect(imported.kcv).toBe(zpk.kcv);
    writeFileSync(join(cwd, 'blocks.txt'), `${zpk.keyBlock}\n${kek.keyBlock}\n`);
    // The new LMK is formed from two custodians' components (F0… XOR 0F… = FF…); a single clear LMK is not accepted.
    const rotation = run(
      [
        'keys',
        'rotate-lmk',
        '--new-component-file',
        'lmk1.txt',
        '--new-component-file',
        'lmk2.txt',
        '--in',
        'blocks.txt',
      ],
      cwd,
      env,
    );
    const rotated = rotation.stdout.trim().split('\n');
    expect(rotated).toHaveLength(2);
    expect(rotation.stderr).toContain('new LMK from 2 components: KCV');
    expect(
      run(['keys', 'describe', '--key-block', rotated[0]!], cwd, { CARDHSM_LMK: 'FF'.repeat(32) }).stdout,
    ).toContain(`KCV ${zpk.kcv}`);
    expect(run(['keys', 'rotate-lmk', '--new-component-file', 'lmk1.txt', '--in', 'blocks.txt'], cwd, env).code).toBe(
      2,
    );
    // Under the old LMK the rotated block is refused as tampered.
    expect(run(['keys', 'describe', '--key-block', rotated[0]!], cwd, env).code).toBe(3);
  });
});

describe('issue', () => {
  test('100,000 cards: unique, Luhn-valid, and they verify with the library', async () => {
    const cwd = workdir();
    const r = run(['issue', '--bin', '45717360', '--count', '100000', '--out', 'cards.jsonl'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^issued 100000 cards to cards\.jsonl/);
    const cards = readFileSync(join(cwd, 'cards.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as api.IssuedCard);
    expect(cards).toHaveLength(100_000);
    expect(new Set(cards.map((c) => c.pan)).size).toBe(100_000);
    expect(cards.every((c) => api.isLuhnValid(c.pan) && c.pan.startsWith('45717360') && c.pan.length === 16)).toBe(
      true,
    );
    const dev = JSON.parse(readFileSync(join(cwd, 'cardhsm-dev.json'), 'utf8')) as {
      lmk: string;
      keys: Record<string, string>;
    };
    const hsm = testHsm({ lmk: api.hexToBytes(dev.lmk), store: new api.MemoryStore() });
    for (const c of cards.filter((_, i) => i % 997 === 0)) {
      expect(
        hsm.verifyCvv({ cvk: dev.keys.cvk!, pan: c.pan, expiry: c.expiry, serviceCode: c.serviceCode, cvv: c.cvv }),
      ).toBe(true);
      expect(hsm.verifyCvv2({ cvk: dev.keys.cvk!, pan: c.pan, expiry: c.expiry, cvv: c.cvv2 })).toBe(true);
      expect(hsm.detokenizePan({ tokenKey: dev.keys.tokenKey!, token: c.token! })).toBe(c.pan);
      const cardRef = hsm.cardRef(c.pan);
      await hsm.registerPinVerificationData({
        cardRef,
        pan: c.pan,
        data: { type: 'VISA_PVV', pvk: dev.keys.pvk!, pvki: '1', pvv: c.pvv! },
      });
      expect(
        (
          await hsm.verifyPin({
            cardRef,
            pinBlock: api.hexToBytes(c.pinBlock!),
            pinKey: dev.keys.pinKey!,
            format: 0,
            pan: c.pan,
          })
        ).verified,
      ).toBe(true);
    }
    // The terminal never shows the development LMK or a clear key.
    expect(r.stdout + r.stderr).not.toContain(dev.lmk);
  }, 120_000);

  test('Ctrl-C leaves whole records and a consistent store; the same idempotency key completes without duplicates', async () => {
    const cwd = workdir();
    const args = [
      'issue',
      '--bin',
      '45717360',
      '--count',
      '300000',
      '--out',
      'cards.jsonl',
      '--idempotency-key',
      'run-1',
      '--workers',
      '1',
    ];
    const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = join(cwd, 'cards.jsonl');
    while (!existsSync(out) || statSync(out).size < 200_000) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    const partial = readFileSync(out, 'utf8');
    expect(partial.endsWith('\n')).toBe(true);
    const first = partial
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as api.IssuedCard);
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(300_000);
    // The store is consistent: the idempotent run holds exactly its 300,000 counters.
    const store = new SqliteStore({ path: join(cwd, 'cardhsm.db') });
    expect(await store.rangeNext('pan/45717360/16')).toBe(300_000);
    await store.close();
    // Re-run: continues after the last whole record.
    const again = run(args, cwd);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`resumed after ${first.length}`);
    const all = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as api.IssuedCard);
    expect(all).toHaveLength(300_000);
    expect(new Set(all.map((c) => c.pan)).size).toBe(300_000);
    expect(all.slice(0, first.length)).toEqual(first);
  }, 180_000);

  test('CSV output; a non-idempotent run never overwrites an existing file', () => {
    const cwd = workdir();
    expect(run(['issue', '--bin', '45717360', '--count', '5', '--format', 'csv', '--out', 'c.csv'], cwd).code).toBe(0);
    const rows = readFileSync(join(cwd, 'c.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('pan,lastFour,expiry,serviceCode,cvv,cvv2,icvv,token,pinBlock,pvv');
    expect(rows).toHaveLength(6);
    const again = run(['issue', '--bin', '45717360', '--count', '5', '--format', 'csv', '--out', 'c.csv'], cwd);
    expect(again.code).toBe(2);
  });
});

describe('secrets on the terminal, and the PostgreSQL store', () => {
  test('key components, the LMK and clear keys never reach stdout or stderr of commands that do not exist to print them', () => {
    const cwd = workdir();
    const lmk = '000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F';
    const env = { CARDHSM_LMK: lmk };
    const outputs = [
      run(
        [
          'keys',
          'import-components',
          '--usage',
          'C0',
          '--algorithm',
          'TDES2',
          '--component-file',
          'c1.txt',
          '--component-file',
          'c2.txt',
        ],
        cwd,
        env,
      ),
      run(['keys', 'generate', '--usage', 'D0', '--algorithm', 'AES256'], cwd, env),
      run(['keys', 'describe', '--key-block', 'D0112P0TB00E0000'], cwd, env),
      run(
        [
          'cvv',
          '--cvk',
          '0123456789ABCDEFFEDCBA98765432',
          '--pan',
          '4123456789012345',
          '--expiry',
          '8701',
          '--service-code',
          '101',
        ],
        cwd,
      ),
      run(
        [
          'pinblock',
          'decode',
          '--block',
          '1234567812345678',
          '--pan',
          '4111111111111111',
          '--format',
          '0',
          '--key',
          '0123456789ABCDEFFEDCBA9876543210',
        ],
        cwd,
      ),
    ];
    const text = outputs
      .map((r) => r.stdout + r.stderr)
      .join('\n')
      .toUpperCase();
    for (const secret of [
      lmk,
      '0123456789ABCDEFFEDCBA9876543210',
      '0123456789ABCDEFFEDCBA98765432',
      '01010101010101010101010101010101',
    ]) {
      expect(text.includes(secret), `leaked ${secret.slice(0, 8)}…`).toBe(false);
    }
  });

  test.skipIf(!postgresAvailable())(
    'issue --store postgres:// uses PostgreSQL',
    async () => {
      const server = await startPostgres();
      try {
        const cwd = workdir();
        const r = run(
          ['issue', '--bin', '45717360', '--count', '2000', '--out', 'pg.jsonl', '--store', server.url],
          cwd,
        );
        expect(r.code).toBe(0);
        const { PostgresStore } = await import('../src/store/postgres.js');
        const store = new PostgresStore({ connectionString: server.url });
        expect(await store.rangeNext('pan/45717360/16')).toBe(2000);
        await store.close();
      } finally {
        server.destroy();
      }
    },
    60_000,
  );
});

describe('issue files: nothing lost, nothing exposed', () => {
  const ISSUE = ['issue', '--bin', '45717360', '--count', '10'];
  const lines = (cwd: string, file: string) =>
    readFileSync(join(cwd, file), 'latin1')
      .split('\n')
      .filter((l) => l.length > 0);

  test("resume checks every record: another run's file, a garbage line or too many records are refused and left as they were", () => {
    const cwd = workdir();
    expect(run([...ISSUE, '--out', 'c.jsonl'], cwd).code).toBe(0);
    const before = readFileSync(join(cwd, 'c.jsonl'), 'latin1');
    const other = run([...ISSUE, '--out', 'c.jsonl', '--idempotency-key', 'fix1'], cwd);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/ERR_IDEMPOTENCY: --out holds records that are not this run's/);
    expect(readFileSync(join(cwd, 'c.jsonl'), 'latin1')).toBe(before);

    expect(run([...ISSUE, '--out', 'd.jsonl', '--idempotency-key', 'fix1'], cwd).code).toBe(0);
    const good = lines(cwd, 'd.jsonl');
    writeFileSync(join(cwd, 'e.jsonl'), `${[...good.slice(0, 3), 'garbage', ...good.slice(4, 6)].join('\n')}\n`);
    const garbled = run([...ISSUE, '--out', 'e.jsonl', '--idempotency-key', 'fix1'], cwd);
    expect(garbled.code).toBe(2);
    expect(garbled.stderr).toContain('record 4 differs');
    writeFileSync(join(cwd, 'f.jsonl'), `${[...good, good[0]!, good[1]!].join('\n')}\n`);
    const tooMany = run([...ISSUE, '--out', 'f.jsonl', '--idempotency-key', 'fix1'], cwd);
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toContain('holds 12 records, more than --count 10');
    expect(tooMany.stderr).not.toContain('ERR_INTERNAL');
  });

  test('a cut last record is dropped and written again; a finished run ends at once; ISO 4 PIN blocks resume byte for byte', () => {
    const cwd = workdir();
    const keys = (usage: string, algorithm: string) =>
      run(['--json', 'keys', 'generate', '--usage', usage, '--algorithm', algorithm], cwd).stdout;
    keys('D0', 'AES128'); // creates the development LMK first
    const pinKey = (JSON.parse(keys('P0', 'AES128')) as { keyBlock: string }).keyBlock;
    const pvk = (JSON.parse(keys('V2', 'TDES2')) as { keyBlock: string }).keyBlock;
    writeFileSync(join(cwd, 'keys.json'), JSON.stringify({ pinKey, pvk }));
    const args = [...ISSUE, '--out', 'c.jsonl', '--idempotency-key', 'aes-1', '--keys-file', 'keys.json'];
    expect(run(args, cwd).code).toBe(0);
    const full = readFileSync(join(cwd, 'c.jsonl'), 'latin1');
    expect((JSON.parse(full.split('\n')[0]!) as api.IssuedCard).pinBlock).toMatch(/^[0-9A-F]{32}$/);
    const records = full.split('\n');
    writeFileSync(join(cwd, 'c.jsonl'), `${records.slice(0, 5).join('\n')}\n${records[5]!.slice(0, 40)}`); // 5 whole records and a cut one
    const resumed = run(args, cwd);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/^issued 5 cards to c\.jsonl \(resumed after 5 verified records\)/);
    expect(readFileSync(join(cwd, 'c.jsonl'), 'latin1')).toBe(full);
    const again = run(args, cwd);
    expect(again.stdout).toMatch(/^issued 0 cards to c\.jsonl \(all 10 already there\)/);
    expect(readFileSync(join(cwd, 'c.jsonl'), 'latin1')).toBe(full);
  });

  test('a run refused by validation leaves no file; the flag at fault is named; an unwritable --out is bad input', () => {
    const cwd = workdir();
    const pinKeyAsCvk = (
      JSON.parse(run(['--json', 'keys', 'generate', '--usage', 'P0', '--algorithm', 'TDES2'], cwd).stdout) as {
        keyBlock: string;
      }
    ).keyBlock;
    const panKey = (
      JSON.parse(run(['--json', 'keys', 'generate', '--usage', 'D0', '--algorithm', 'AES256'], cwd).stdout) as {
        keyBlock: string;
      }
    ).keyBlock;
    const cases: Array<[string[], string]> = [
      [['issue', '--bin', '4571', '--count', '3'], 'ERR_LENGTH: --bin'],
      [['issue', '--bin', '45717360', '--count', '0'], 'ERR_FORMAT: --count'],
      [['issue', '--bin', '45717360', '--count', '3', '--cvk', pinKeyAsCvk, '--pan-key', panKey], 'ERR_KEY_USAGE'],
      [['issue', '--bin', '45717360', '--count', '3', '--cvk', pinKeyAsCvk], '--cvk needs --pan-key'],
      [['issue', '--bin', '45717360', '--count', '3', '--length', '12'], 'ERR_FORMAT: --length'],
      [
        ['issue', '--bin', '45717360', '--count', '3', '--expiry', '2913'],
        'ERR_FORMAT: --expiry expected YYMM with a month 01..12',
      ],
      [['issue', '--bin', '45717360', '--count', '3', '--expiry', '1229'], 'ERR_FORMAT: --expiry'],
    ];
    for (const [args, message] of cases) {
      const r = run([...args, '--out', 'x.jsonl'], cwd);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(existsSync(join(cwd, 'x.jsonl')), args.join(' ')).toBe(false);
    }
    const nowhere = run([...ISSUE, '--out', '/nonexistent/dir/x.jsonl'], cwd);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/ERR_FILE: --out: cannot write the file \(its folder does not exist\)/);
    // The corrected command then runs.
    expect(run([...ISSUE, '--out', 'x.jsonl'], cwd).code).toBe(0);
    expect(statSync(join(cwd, 'x.jsonl')).mode & 0o777).toBe(0o600);
  });

  test('--out - writes the cards to standard output (the summary to stderr), no file named -', () => {
    const cwd = workdir();
    const r = run([...ISSUE, '--out', '-'], cwd);
    expect(r.code).toBe(0);
    const cards = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as api.IssuedCard);
    expect(cards).toHaveLength(10);
    expect(cards.every((c) => api.isLuhnValid(c.pan))).toBe(true);
    expect(r.stderr).toMatch(/issued 10 cards to standard output/);
    expect(existsSync(join(cwd, '-'))).toBe(false);
  });
});

describe('the command line speaks in flags and never echoes a value', () => {
  const cwd = workdir();

  test('the LMK named two ways is refused', () => {
    const r = run(['--lmk-file', 'new-lmk.txt', 'keys', 'generate', '--usage', 'C0', '--algorithm', 'TDES2'], cwd, {
      CARDHSM_LMK: '00'.repeat(32),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^cardhsm: ERR_USAGE: CARDHSM_LMK is set and --lmk-file was given/);
  });

  test('an unknown option, a stray argument, an unknown command: no value in the error', () => {
    const key = 'FEDCBA9876543210FEDCBA9876543210';
    for (const args of [
      [
        'cvv',
        '--cvk',
        '0123456789ABCDEFFEDCBA9876543210',
        '--pan',
        '4123456789012345',
        '--expiry',
        '8701',
        '--service-code',
        '101',
        `--cvk2=${key}`,
      ],
      [
        'cvv',
        '--cvk',
        '0123456789ABCDEFFEDCBA9876543210',
        '--pan',
        '4123456789012345',
        '--expiry',
        '8701',
        '--service-code',
        '101',
        key,
      ],
      [key],
      ['4111111111111111'],
    ]) {
      const r = run(args, cwd);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^cardhsm: ERR_USAGE: /);
      expect(r.stderr + r.stdout).not.toContain(key);
      expect(r.stderr + r.stdout).not.toContain('4111111111111111');
    }
  });

  test('every option of every command given a marked bad value: exit 2 or 3, and the value never comes back', () => {
    const MARK = 'Zq7EcHoMark4111111111111111';
    const leaks: string[] = [];
    for (const path of commandPaths().filter((p) => p.length > 0 && p[0] !== 'bench')) {
      const help = helpOf(path);
      if (help.includes('Commands:')) continue;
      const flags = [...help.matchAll(/^ {2}(?:-\w, )?(--[a-z-]+) </gm)]
        .map((m) => m[1]!)
        .filter((f) => f !== '--out' && f !== '--store');
      const r = run([...path, ...flags.flatMap((f) => [f, MARK]), `--unknown-flag=${MARK}`], cwd);
      if (r.code === 0 || r.code === 1) leaks.push(`${path.join(' ')} exited ${r.code}`);
      if ((r.stdout + r.stderr).includes('Zq7EcHo') || (r.stdout + r.stderr).includes('4111111111111111'))
        leaks.push(`${path.join(' ')}: ${r.stderr.trim()}`);
    }
    expect(leaks).toEqual([]);
  }, 120_000);

  test('errors name the flag typed; --json puts the error on stdout; choices are case-insensitive; luhn check wants digits', () => {
    const bad = run(['kcv', '--key', '0123456789ABCDEFFEDCBA9876543210', '--length', '9'], cwd);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^cardhsm: ERR_FORMAT: --length /);
    const json = run(['--json', 'kcv', '--key', '0123456789ABCDEFFEDCBA9876543210', '--length', '9'], cwd);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'ERR_FORMAT', field: '--length' } });
    expect(json.stderr).toBe('');
    expect(run(['kcv', '--key', 'A1B2C3D4E5F60718293A4B5C6D7E8F90', '--algorithm', 'aes'], cwd).stdout.trim()).toBe(
      '9AD77D',
    );
    expect(
      run(
        ['tdes', 'encrypt', '--key', '0123456789ABCDEF', '--data', '4E6F772069732074', '--mode', 'ecb'],
        cwd,
      ).stdout.trim(),
    ).toBe('3FA40E8A984D4815');
    const spaced = run(['luhn', 'check', '4111 1111 1111 1111'], cwd);
    expect(spaced.code).toBe(2);
    expect(spaced.stderr).toMatch(/^cardhsm: ERR_FORMAT: <number> expected 2 or more digits/);
    expect(run(['luhn', 'check', '4111111111111112'], cwd).code).toBe(1);
  });
});
