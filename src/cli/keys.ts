// `cardhsm keys …`: key blocks under the LMK — generate, form from components (typed without echo, or read
// from files), import and export through a KEK, describe, and re-wrap under a new LMK.
import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { read } from 'read';
import { keyCheckValue, lmkFromHex, type KeyAlgorithm } from '../index.js';
import { Hsm } from '../hsm/hsm.js';
import { examples, hex, type Globals } from './calculator.js';
import { loadLmk } from './context.js';
import { EXIT, print, usageError, type Io } from './output.js';
import { fileError, readText } from './files.js';
import { CardHsmError } from '../errors.js';

function hsmFor(io: Io, c: Command): { hsm: Hsm; g: Globals } {
  const g = c.optsWithGlobals() as { json?: boolean; showPan?: boolean; lmkFile?: string };
  // Key ceremonies are the custodian profile's work (see HSM_PROFILES).
  return {
    hsm: new Hsm({ lmk: loadLmk(io, g.lmkFile).lmk, activities: 'custodian' }),
    g: { json: g.json === true, showPan: g.showPan === true },
  };
}

/** Runs an async key command and sets the exit code. */
function asyncAct(cmd: Command, run: (o: Record<string, unknown>, c: Command) => Promise<number | undefined>): Command {
  return cmd.action(async (o: Record<string, unknown>, c: Command) => {
    const code = await run(o, c);
    if (typeof code === 'number' && code !== EXIT.OK) process.exitCode = code;
  });
}

const attributeOptions = (c: Command) =>
  c
    .requiredOption('--usage <code>', 'X9.143 key usage: C0, P0, V1, V2, D0, K0, K1, E6, M7, …')
    .requiredOption('--algorithm <name>', 'TDES2, TDES3, AES128, AES192, AES256 or HMAC256')
    .option('--mode-of-use <letter>')
    .option('--exportability <E|N|S>')
    .option('--key-version <xx>');

function attributes(o: Record<string, unknown>) {
  const word = (v: unknown) => (typeof v === 'string' ? v.toUpperCase() : undefined);
  return {
    usage: word(o.usage)!,
    algorithm: word(o.algorithm) as KeyAlgorithm,
    modeOfUse: word(o.modeOfUse),
    exportability: word(o.exportability),
    keyVersion: o.keyVersion as string | undefined,
  };
}

/** The names `cardhsm issue --keys-file` reads. */
const KEY_NAMES = ['cvk', 'panKey', 'pinKey', 'pvk', 'tokenKey'] as const;

/** Adds `--keys-file` and `--name`: keep the new key block in a keys file (created 0600) instead of copying it. */
const saveOptions = (c: Command) =>
  c
    .option(
      '--keys-file <file>',
      'also store the key block in this JSON keys file (created 0600), for cardhsm issue --keys-file',
    )
    .option('--name <name>', `its name in the keys file: ${KEY_NAMES.join(', ')}`);

/** Stores a key block under `name` in the keys file, keeping the file's other entries. */
function saveKey(o: Record<string, unknown>, keyBlock: string): void {
  if (o.keysFile === undefined) {
    if (o.name !== undefined) throw usageError('--name goes with --keys-file');
    return;
  }
  const file = String(o.keysFile);
  const name = o.name;
  if (typeof name !== 'string' || !(KEY_NAMES as readonly string[]).includes(name))
    throw new CardHsmError('ERR_FORMAT', `--name expected one of ${KEY_NAMES.join(', ')}`, '--name');
  let keys: Record<string, unknown> = {};
  if (existsSync(file)) {
    const text = readText(file, '--keys-file');
    try {
      keys = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new CardHsmError('ERR_FORMAT', '--keys-file is not a JSON object of key blocks', '--keys-file');
    }
    if (typeof keys !== 'object' || keys === null || Array.isArray(keys))
      throw new CardHsmError('ERR_FORMAT', '--keys-file is not a JSON object of key blocks', '--keys-file');
  }
  keys[name] = keyBlock;
  try {
    writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  } catch (e) {
    throw fileError('--keys-file', e, 'write');
  }
}

/** A key block and its KCV: both lines, or one JSON object. */
function printKey(io: Io, g: Globals, r: { keyBlock: string; kcv: string }): void {
  print(io, g.json, { ...r }, [r.keyBlock, `KCV ${r.kcv}`]);
}

/** A component: from a file (hex), or typed without echo when stdin is a terminal. */

async function component(i: number, file: string | undefined): Promise<Uint8Array> {
  if (file !== undefined) return hex(readText(file, '--component-file').trim(), `--component-file ${i + 1}`);
  if (!process.stdin.isTTY)
    throw usageError('key components must come from --component-file when stdin is not a terminal');
  const typed = await read({
    prompt: `Component ${i + 1} (hex, not echoed): `,
    silent: true,
    replace: '',
    output: process.stderr,
  });
  return hex(typed.trim(), `component ${i + 1}`);
}

export function registerKeys(program: Command, io: Io): void {
  const keys = program
    .command('keys')
    .description('key blocks under the LMK (CARDHSM_LMK, --lmk-file, or the development LMK of this folder)');
  const lmk = '000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F';
  // Key blocks made under that LMK for the examples: a TDES KEK (KCV D2B91C) and a PIN key (KCV 4E0EEA), and the
  // PIN key exported under the KEK.
  const kek =
    'D0112K0TB00E000094479367DE37D49F415BC6142040100E20459F350A71A29A4EE98CF68240D54268A3B7A3B6B33E866FE4C72158444ADC';
  const zpk =
    'D0112P0TB00E00008633D4373C93D023048FD5F255B8759474FD15A06A8E0637F34DAC353D2A0598E560A698DD9661954358DCB346027665';
  const exported = 'B0096P0TB00E000039E2E8F7D5F88EE305D5727A637E16761CB3DED48C345F0C84CB1A15CAA30BD752374B9DCC56A4AC';
  examples(
    asyncAct(
      saveOptions(
        attributeOptions(keys.command('generate').description('a new random key, as a key block under the LMK')),
      ),
      async (o, c) => {
        const { hsm, g } = hsmFor(io, c);
        const r = hsm.generateKey(attributes(o));
        saveKey(o, r.keyBlock);
        printKey(io, g, r);
      },
    ),
    ['cardhsm keys generate --usage P0 --algorithm TDES2 --json', '{"keyBlock":"D0112P0TB00E0000…","kcv":"…"}'],
    [
      'cardhsm keys generate --usage D0 --algorithm AES256 --keys-file keys.json --name panKey',
      'D0144D0AB00E0000…\nKCV …',
    ],
  );
  examples(
    asyncAct(
      saveOptions(
        attributeOptions(
          keys
            .command('import-components')
            .description(
              'forms a key from 2-3 clear components (XOR); typed without echo on a terminal, or from files',
            ),
        )
          .option('--components <n>', 'how many components to type', '2')
          .option(
            '--component-file <file>',
            'a file holding one component in hex (repeat the option)',
            (v: string, all: string[]) => [...all, v],
            [] as string[],
          )
          .option('--kcv <hex>', 'the expected check value of the result')
          .option('--fix-parity', 'give DES components odd parity instead of refusing them'),
      ),
      async (o, c) => {
        const { hsm, g } = hsmFor(io, c);
        const files = o.componentFile as string[];
        const count = files.length > 0 ? files.length : Number(o.components);
        if (!(count >= 2 && count <= 3)) throw usageError('a key needs 2 or 3 components');
        const parts: Uint8Array[] = [];
        for (let i = 0; i < count; i++) {
          const part = await component(i, files[i]);
          io.err(
            `component ${i + 1} KCV ${keyCheckValue(part, { algorithm: String(o.algorithm).startsWith('TDES') ? 'TDES' : 'AES' })}`,
          );
          parts.push(part);
        }
        const r = hsm.importKeyComponents({
          ...attributes(o),
          components: parts,
          kcv: o.kcv as string | undefined,
          fixParity: o.fixParity === true,
        });
        for (const p of parts) p.fill(0);
        saveKey(o, r.keyBlock);
        printKey(io, g, r);
      },
    ),
    [
      `CARDHSM_LMK=${lmk} cardhsm keys import-components --usage C0 --algorithm TDES2 --component-file c1.txt --component-file c2.txt`,
      'D0112C0TC00E0000…\nKCV 08D7B4',
    ],
  ).addHelpText(
    'after',
    "  (c1.txt holds 0123456789ABCDEFFEDCBA9876543210 and c2.txt 01010101010101010101010101010101;\n  each component's KCV is shown on stderr)\n",
  );
  // Import and export: a key block moved between the LMK and a KEK.
  for (const [verb, description, example, shown] of [
    [
      'import',
      'imports a TR-31 block wrapped under a KEK (a K0/K1 block under the LMK)',
      `--key-block ${exported} --kek ${kek}`,
      'D0112P0TB00E0000…\nKCV 4E0EEA',
    ],
    [
      'export',
      'exports a key under a KEK (refused for exportability N or a weaker KEK)',
      `--key-block ${zpk} --kek ${kek}`,
      'B0096P0TB00E0000…\nKCV 4E0EEA',
    ],
  ] as const) {
    examples(
      asyncAct(
        keys
          .command(verb)
          .description(description)
          .requiredOption('--key-block <text>')
          .requiredOption('--kek <key block>'),
        async (o, c) => {
          const { hsm, g } = hsmFor(io, c);
          const request = { keyBlock: o.keyBlock as string, kek: o.kek as string };
          printKey(io, g, verb === 'import' ? hsm.importKey(request) : hsm.exportKey(request));
        },
      ),
      [`CARDHSM_LMK=${lmk} cardhsm keys ${verb} ${example}`, shown],
    );
  }
  examples(
    asyncAct(
      keys
        .command('describe')
        .description("a key block's attributes and KCV (authenticated under the LMK)")
        .requiredOption('--key-block <text>'),
      async (o, c) => {
        const { hsm, g } = hsmFor(io, c);
        const d = hsm.describeKey(o.keyBlock as string);
        print(
          io,
          g.json,
          { ...d },
          `usage ${d.usage}, algorithm ${d.algorithm}, mode ${d.modeOfUse}, key version ${d.keyVersion}, exportability ${d.exportability}, KCV ${d.kcv}`,
        );
      },
    ),
    [
      `CARDHSM_LMK=${lmk} cardhsm keys describe --key-block ${zpk}`,
      'usage P0, algorithm TDES2, mode B, key version 00, exportability E, KCV 4E0EEA',
    ],
  );
  examples(
    asyncAct(
      keys
        .command('rotate-lmk')
        .description(
          're-wraps key blocks (one per line in --in) under a new LMK formed from 2-3 custodian components; every attribute, exportability included, is kept',
        )
        .requiredOption('--in <file>')
        .option(
          '--new-component-file <file>',
          'a file holding one 64-hex-digit component of the new LMK (repeat the option)',
          (v: string, all: string[]) => [...all, v],
          [] as string[],
        ),
      async (o, c) => {
        const { hsm, g } = hsmFor(io, c);
        const blocks = readText(o.in as string, '--in')
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l.length > 0);
        const files = o.newComponentFile as string[];
        if (files.length < 2 || files.length > 3)
          throw usageError('the new LMK needs 2 or 3 components: give --new-component-file 2 or 3 times');
        const components = files.map((f) => lmkFromHex(readText(f, '--new-component-file').trim()));
        const target = Hsm.fromLmkComponents(components, { activities: 'custodian' });
        for (const part of components) part.fill(0);
        io.err(`new LMK from ${components.length} components: KCV ${target.lmkKcv}`);
        const rotated = hsm.rotateLmk(target, blocks);
        print(io, g.json, { keyBlocks: rotated, lmkKcv: target.lmkKcv }, rotated);
      },
    ),
    [
      `CARDHSM_LMK=${lmk} cardhsm keys rotate-lmk --new-component-file lmk1.txt --new-component-file lmk2.txt --in blocks.txt`,
      'D0112K0TB00E0000…\nD0112P0TB00E0000…',
    ],
  ).addHelpText(
    'after',
    '  (blocks.txt holds the KEK and PIN key blocks of the other keys examples; lmk1.txt and lmk2.txt 64 hex digits each)\n',
  );
}
