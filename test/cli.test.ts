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
import { Hsm } from '../src/index.js';
import { SqliteStore } from '../src/store/sqlite.js';
import { postgresAvailable, startPostgres } from './helpers/postgres.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function workdir(): string {
  const d = mkdtempSync(join(tmpdir(), 'cardhsm-cli-'));
  dirs.push(d);
  // Files the help examples name.
  writeFileSync(join(d, 'c1.txt'), '0123456789ABCDEFFEDCBA9876543210\n');
  writeFileSync(join(d, 'c2.txt'), '01010101010101010101010101010101\n');
  writeFileSync(join(d, 'new-lmk.txt'), 'F0'.repeat(32));
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

/** Every command path, from the help screens. */
function commandPaths(prefix: string[] = []): string[][] {
  const help = run([...prefix, '--help'], tmpdir()).stdout;
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
  const help = run([...path, '--help'], tmpdir()).stdout;
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
  const re = new RegExp('^' + pattern.split('…').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return re.test(line);
}

describe('help examples', () => {
  const paths = commandPaths();
  // The bench example runs the whole benchmark harness (tens of seconds): its help is checked, not run.
  const all = paths.flatMap(examplesOf).filter((e) => e.path !== 'bench');

  test('every command has a worked example in its help', () => {
    const leaves = paths.filter((p) => p.length > 0 && !run([...p, '--help'], tmpdir()).stdout.includes('Commands:'));
    const without = leaves.filter((p) => examplesOf(p).length === 0).map((p) => p.join(' '));
    expect(without).toEqual([]);
    expect(all.length).toBeGreaterThan(30);
  }, 120_000);

  test.each(all.map((e) => [`${e.path}: ${e.args.slice(0, 4).join(' ')}`, e] as const))('%s', (_, e) => {
    const r = run(e.args, workdir(), e.env);
    expect(r.stderr.split('\n').filter((l) => l && !l.includes('development LMK') && !l.includes('component'))).toEqual([]);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length, r.stdout).toBe(e.expected.length);
    lines.forEach((l, i) => expect(matches(l, e.expected[i]!), `${l} vs ${e.expected[i]}`).toBe(true));
    expect(r.code).toBe(0);
  });
});

describe('errors and exit codes', () => {
  const cwd = workdir();
  test.each([
    [['cvv', '--cvk', '0123', '--pan', '4123456789012345', '--expiry', '8701', '--service-code', '101'], 2, 'ERR_LENGTH'],
    [['cvv', '--cvk', '0123456789ABCDEFFEDCBA9876543210', '--pan', '41234567890123X5', '--expiry', '8701', '--service-code', '101'], 2, 'ERR_FORMAT'],
    [['cvv', '--pan', '4123456789012345'], 2, 'ERR_USAGE'],
    [['nonsense'], 2, 'ERR_USAGE'],
    [['pinblock', 'decode', '--block', 'FFFFFFFFFFFFFFFF', '--pan', '4111111111111111', '--format', '0'], 3, 'ERR_PINBLOCK_FORMAT'],
    [['tr31', 'unwrap', '--kbpk', '00112233445566778899AABBCCDDEEFF', '--key-block', api.wrapTr31(new Uint8Array(16), 'D0000P0AE00E0000', new Uint8Array(16))], 3, 'ERR_TR31_MAC'],
    [['pinblock', 'translate', '--block', '041261AAAAEDCBA9', '--pan', '5555555551234567', '--from-format', '0', '--from-key', '00'.repeat(16), '--to-format', '1', '--to-key', '00'.repeat(16)], 2, 'ERR_PIN_TRANSLATION'],
    [['luhn', 'check', '79927398710'], 1, null],
    [['ibm3624', 'verify', '--pvk', '0123456789ABCDEFFEDCBA9876543210', '--validation-data', '1122334455667788', '--decimalization-table', '1234567890123456', '--pin', '1234', '--offset', '7711'], 1, null],
    [['parity', 'check', '--key', '0022446688AACCEE'], 1, null],
    [['dukpt', 'key', '--bdk', '0123456789ABCDEFFEDCBA9876543210', '--ksn', 'FFFF9876543210E007FF'], 2, 'ERR_FORMAT'],
    [['dukpt', 'pin-translate', '--bdk', '0123456789ABCDEFFEDCBA9876543210', '--ksn', 'FFFF9876543210E00002', '--block', '1B9C1845EB993A7A', '--pan', '4012345678909', '--from-format', '0', '--to-key', 'FEDCBA98765432100123456789ABCDEF', '--to-format', '0'], 3, 'ERR_PINBLOCK_FORMAT'],
    [['dukpt', 'mac', '--bdk', '0123456789ABCDEFFEDCBA9876543210', '--ksn', 'FFFF9876543210E00001', '--data', '3430313233343536373839303944393837', '--mac', '9CCC7818'], 1, null],
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
    const r = run(['--debug', 'cvv', '--cvk', '01', '--pan', '4123456789012345', '--expiry', '8701', '--service-code', '101'], cwd);
    expect(r.stderr).toContain('    at ');
    expect(JSON.parse(run(['--json', 'luhn', 'digit', '7992739871'], cwd).stdout)).toEqual({ checkDigit: '3' });
    expect(run(['detoken', '--key', '2B7E151628AED2A6ABF7158809CF4F3C', '--token', '4111111210731111'], cwd).stdout.trim()).toBe('411111******1111');
  });
});

describe('keys under an LMK', () => {
  test('generate, describe, export through a KEK, import back, rotate the LMK', () => {
    const cwd = workdir();
    const env = { CARDHSM_LMK: '000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F' };
    const gen = (args: string[]) => JSON.parse(run(['--json', 'keys', 'generate', ...args], cwd, env).stdout) as { keyBlock: string; kcv: string };
    const zpk = gen(['--usage', 'P0', '--algorithm', 'TDES2']);
    const kek = gen(['--usage', 'K0', '--algorithm', 'TDES2']);
    const exported = JSON.parse(run(['--json', 'keys', 'export', '--key-block', zpk.keyBlock, '--kek', kek.keyBlock], cwd, env).stdout) as { keyBlock: string; kcv: string };
    expect(exported.keyBlock[0]).toBe('B');
    expect(exported.kcv).toBe(zpk.kcv);
    const imported = JSON.parse(run(['--json', 'keys', 'import', '--key-block', exported.keyBlock, '--kek', kek.keyBlock], cwd, env).stdout) as { kcv: string };
    expect(imported.kcv).toBe(zpk.kcv);
    writeFileSync(join(cwd, 'blocks.txt'), `${zpk.keyBlock}\n${kek.keyBlock}\n`);
    writeFileSync(join(cwd, 'new-lmk.txt'), 'F0'.repeat(32));
    const rotated = run(['keys', 'rotate-lmk', '--new-lmk-file', 'new-lmk.txt', '--in', 'blocks.txt'], cwd, env).stdout.trim().split('\n');
    expect(rotated).toHaveLength(2);
    expect(run(['keys', 'describe', '--key-block', rotated[0]!], cwd, { CARDHSM_LMK: 'F0'.repeat(32) }).stdout).toContain(`KCV ${zpk.kcv}`);
    // Under the old LMK the rotated block is refused as tampered.
    expect(run(['keys', 'describe', '--key-block', rotated[0]!], cwd, env).code).toBe(3);
  });
});

describe('issue', () => {
  test('100,000 cards: unique, Luhn-valid, and they verify with the library', () => {
    const cwd = workdir();
    const r = run(['issue', '--bin', '45717360', '--count', '100000', '--out', 'cards.jsonl'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^issued 100000 cards to cards\.jsonl/);
    const cards = readFileSync(join(cwd, 'cards.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as api.IssuedCard);
    expect(cards).toHaveLength(100_000);
    expect(new Set(cards.map((c) => c.pan)).size).toBe(100_000);
    expect(cards.every((c) => api.isLuhnValid(c.pan) && c.pan.startsWith('45717360') && c.pan.length === 16)).toBe(true);
    const dev = JSON.parse(readFileSync(join(cwd, 'cardhsm-dev.json'), 'utf8')) as { lmk: string; keys: Record<string, string> };
    const hsm = new Hsm({ lmk: api.hexToBytes(dev.lmk) });
    for (const c of cards.filter((_, i) => i % 997 === 0)) {
      expect(hsm.verifyCvv({ cvk: dev.keys.cvk!, pan: c.pan, expiry: c.expiry, serviceCode: c.serviceCode, cvv: c.cvv })).toBe(true);
      expect(hsm.verifyCvv2({ cvk: dev.keys.cvk!, pan: c.pan, expiry: c.expiry, cvv: c.cvv2 })).toBe(true);
      expect(hsm.detokenizePan({ tokenKey: dev.keys.tokenKey!, token: c.token! })).toBe(c.pan);
      expect(hsm.verifyPinVisaPvv({ pinBlock: api.hexToBytes(c.pinBlock!), pinKey: dev.keys.pinKey!, format: 0, pan: c.pan, pvk: dev.keys.pvk!, pvki: '1', pvv: c.pvv! })).toBe(true);
    }
    // The terminal never shows the development LMK or a clear key.
    expect(r.stdout + r.stderr).not.toContain(dev.lmk);
  }, 120_000);

  test('Ctrl-C leaves whole records and a consistent store; the same idempotency key completes without duplicates', async () => {
    const cwd = workdir();
    const args = ['issue', '--bin', '45717360', '--count', '300000', '--out', 'cards.jsonl', '--idempotency-key', 'run-1', '--workers', '1'];
    const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = join(cwd, 'cards.jsonl');
    while (!existsSync(out) || statSync(out).size < 200_000) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    const partial = readFileSync(out, 'utf8');
    expect(partial.endsWith('\n')).toBe(true);
    const first = partial.trim().split('\n').map((l) => JSON.parse(l) as api.IssuedCard);
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
    const all = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as api.IssuedCard);
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
      run(['keys', 'import-components', '--usage', 'C0', '--algorithm', 'TDES2', '--component-file', 'c1.txt', '--component-file', 'c2.txt'], cwd, env),
      run(['keys', 'generate', '--usage', 'D0', '--algorithm', 'AES256'], cwd, env),
      run(['keys', 'describe', '--key-block', 'D0112P0TB00E0000'], cwd, env),
      run(['cvv', '--cvk', '0123456789ABCDEFFEDCBA98765432', '--pan', '4123456789012345', '--expiry', '8701', '--service-code', '101'], cwd),
      run(['pinblock', 'decode', '--block', '1234567812345678', '--pan', '4111111111111111', '--format', '0', '--key', '0123456789ABCDEFFEDCBA9876543210'], cwd),
    ];
    const text = outputs.map((r) => r.stdout + r.stderr).join('\n').toUpperCase();
    for (const secret of [lmk, '0123456789ABCDEFFEDCBA9876543210', '0123456789ABCDEFFEDCBA98765432', '01010101010101010101010101010101']) {
      expect(text.includes(secret), `leaked ${secret.slice(0, 8)}…`).toBe(false);
    }
  });

  test.skipIf(!postgresAvailable())('issue --store postgres:// uses PostgreSQL', async () => {
    const server = await startPostgres();
    try {
      const cwd = workdir();
      const r = run(['issue', '--bin', '45717360', '--count', '2000', '--out', 'pg.jsonl', '--store', server.url], cwd);
      expect(r.code).toBe(0);
      const { PostgresStore } = await import('../src/store/postgres.js');
      const store = new PostgresStore({ connectionString: server.url });
      expect(await store.rangeNext('pan/45717360/16')).toBe(2000);
      await store.close();
    } finally {
      server.destroy();
    }
  }, 60_000);
});
