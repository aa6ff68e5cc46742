// The payment engineer's calculator: every primitive with clear keys in hex, arguments by name, results in hex
// or digits (--json for machines). Each command's help carries a worked example whose output is the real one
// (test/cli.test.ts runs them all).
import type { Command } from 'commander';
import { CardHsmError } from '../errors.js';
import * as lib from '../index.js';
import { EXIT, print, showPan, usageError, type Io } from './output.js';

export interface Globals {
  json: boolean;
  showPan: boolean;
}

/** Decodes a hex option, naming the option in the error. */
export function hex(value: string | undefined, option: string): Uint8Array {
  if (value === undefined) throw usageError(`${option} is required`);
  try {
    return lib.hexToBytes(value);
  } catch (e) {
    const err = e as CardHsmError;
    throw new CardHsmError(err.code, `${option} ${err.message.replace(/^"hex" /, '')}`, option);
  }
}

/** An option's word in upper case: choices such as --algorithm aes and --mode cbc are case-insensitive, like hex. */
export function upper(value: string | undefined): string | undefined {
  return value?.toUpperCase();
}

export function int(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new CardHsmError('ERR_FORMAT', `${option} expected a whole number`, option);
  return Number(value);
}

/** Adds worked examples to a command's help: `$ command` lines followed by their exact output. */
export function examples(cmd: Command, ...items: Array<[string, string]>): Command {
  const text = items
    .map(
      ([line, out]) =>
        `  $ ${line}\n${out
          .split('\n')
          .map((l) => `  ${l}`)
          .join('\n')}`,
    )
    .join('\n\n');
  return cmd.addHelpText('after', `\nExample${items.length > 1 ? 's' : ''}:\n${text}\n`);
}

type Action = (
  opts: Record<string, string | undefined>,
  g: Globals,
  ...args: Array<string | undefined>
) => number | undefined;

/** Registers an action that reads its options, the global flags and its arguments, and returns an exit code. */
export function act(cmd: Command, run: Action): Command {
  // Commander calls back with the command's arguments, then its options, then the command itself.
  return cmd.action((...a: unknown[]) => {
    const c = a.at(-1) as Command;
    const g = c.optsWithGlobals() as { json?: boolean; showPan?: boolean };
    const code = run(
      a.at(-2) as Record<string, string | undefined>,
      { json: g.json === true, showPan: g.showPan === true },
      ...(a.slice(0, -2) as string[]),
    );
    if (typeof code === 'number' && code !== EXIT.OK) process.exitCode = code;
  });
}

/** Prints a verification result; exit code 1 when it failed. */
export function verdict(io: Io, g: Globals, ok: boolean, extra: Record<string, unknown> = {}): number {
  print(io, g.json, { valid: ok, ...extra }, ok ? 'valid' : 'invalid');
  return ok ? EXIT.OK : EXIT.VERIFY_FAILED;
}

const CVK = '0123456789ABCDEFFEDCBA9876543210';

/** The calculator computes with any 4 digits, as published vectors do; it assumes the track-data order. */
const EXPIRY_HELP =
  '4 digits in the order the issuer encodes them, normally YYMM as on track 2 (not validated as a date: published vectors use values such as 8701)';

function cvvCommands(program: Command, io: Io): void {
  examples(
    act(
      program
        .command('cvv')
        .description('CVV (CVC1) by the Visa CVV method')
        .requiredOption('--cvk <hex>', 'CVK A || CVK B, 16 bytes')
        .requiredOption('--pan <digits>')
        .requiredOption('--expiry <YYMM>', EXPIRY_HELP)
        .requiredOption('--service-code <digits>'),
      (o, g) => {
        const cvv = lib.generateCvv(hex(o.cvk, '--cvk'), o.pan!, o.expiry!, o.serviceCode!);
        print(io, g.json, { cvv }, cvv);
      },
    ),
    [`cardhsm cvv --cvk ${CVK} --pan 4123456789012345 --expiry 8701 --service-code 101`, '561'],
  );
  for (const [name, fn, example] of [
    ['cvv2', lib.generateCvv2, '636'],
    ['icvv', lib.generateIcvv, '651'],
  ] as const) {
    examples(
      act(
        program
          .command(name)
          .description(`${name.toUpperCase()} (service code ${name === 'cvv2' ? '000' : '999'})`)
          .requiredOption('--cvk <hex>')
          .requiredOption('--pan <digits>')
          .requiredOption('--expiry <YYMM>', EXPIRY_HELP),
        (o, g) => {
          const v = fn(hex(o.cvk, '--cvk'), o.pan!, o.expiry!);
          print(io, g.json, { [name]: v }, v);
        },
      ),
      [`cardhsm ${name} --cvk ${CVK} --pan 4123456789012345 --expiry 8701`, example],
    );
  }
  examples(
    act(
      program
        .command('pvv')
        .description('Visa PIN verification value')
        .requiredOption('--pvk <hex>')
        .requiredOption('--pan <digits>')
        .requiredOption('--pvki <digit>')
        .requiredOption('--pin <digits>'),
      (o, g) => {
        const v = lib.generateVisaPvv(hex(o.pvk, '--pvk'), o.pan!, o.pvki!, o.pin!);
        print(io, g.json, { pvv: v }, v);
      },
    ),
    [`cardhsm pvv --pvk ${CVK} --pan 1122334455667788 --pvki 3 --pin 4524`, '4021'],
  );
}

function ibm3624Commands(program: Command, io: Io): void {
  const ibm = program.command('ibm3624').description('IBM 3624 natural PIN, offset and verification');
  const common = (c: Command) =>
    c
      .requiredOption('--pvk <hex>')
      .requiredOption('--validation-data <hex16>')
      .option('--decimalization-table <digits>', '16 digits', '0123456789012345');
  examples(
    act(common(ibm.command('pin').description('the natural PIN')).requiredOption('--length <n>'), (o, g) => {
      const pin = lib.generateIbm3624Pin(
        hex(o.pvk, '--pvk'),
        o.validationData!,
        o.decimalizationTable!,
        int(o.length, '--length')!,
      );
      print(io, g.json, { pin }, pin);
    }),
    [
      `cardhsm ibm3624 pin --pvk ${CVK} --validation-data 1122334455667788 --decimalization-table 1234567890123456 --length 4`,
      '4524',
    ],
  );
  examples(
    act(common(ibm.command('offset').description('the offset of a PIN')).requiredOption('--pin <digits>'), (o, g) => {
      const offset = lib.generateIbm3624Offset(hex(o.pvk, '--pvk'), o.validationData!, o.decimalizationTable!, o.pin!);
      print(io, g.json, { offset }, offset);
    }),
    [
      `cardhsm ibm3624 offset --pvk ${CVK} --validation-data 1122334455667788 --decimalization-table 1234567890123456 --pin 1234`,
      '7710',
    ],
  );
  examples(
    act(
      common(ibm.command('verify').description('checks a PIN against its offset (exit 1 when it does not match)'))
        .requiredOption('--pin <digits>')
        .requiredOption('--offset <digits>'),
      (o, g) =>
        verdict(
          io,
          g,
          lib.verifyIbm3624Offset(hex(o.pvk, '--pvk'), o.validationData!, o.decimalizationTable!, o.pin!, o.offset!),
        ),
    ),
    [
      `cardhsm ibm3624 verify --pvk ${CVK} --validation-data 1122334455667788 --decimalization-table 1234567890123456 --pin 1234 --offset 7710`,
      'valid',
    ],
  );
}

function format(value: string | undefined): 0 | 1 | 2 | 3 | 4 {
  if (value === undefined || !/^[0-4]$/.test(value))
    throw new CardHsmError('ERR_FORMAT', '--format expected 0, 1, 2, 3 or 4', '--format');
  return Number(value) as 0 | 1 | 2 | 3 | 4;
}

function needPan(pan: string | undefined, f: number): string {
  if (pan === undefined) throw usageError(`--pan is required for format ${f}`);
  return pan;
}

/** Format 4 needs its AES key and the PAN. */
function format4Inputs(key: Uint8Array | undefined, pan: string | undefined): { key: Uint8Array; pan: string } {
  if (!key) throw usageError('--key (AES) is required for format 4');
  return { key, pan: needPan(pan, 4) };
}

/** A clear ISO 9564 block of formats 0-3. */
function encodeClear(f: number, pin: string, pan: string | undefined, fill: string | undefined): Uint8Array {
  if (f === 0) return lib.encodePinBlockIso0(pin, needPan(pan, f));
  if (f === 1) return lib.encodePinBlockIso1(pin, fill);
  if (f === 2) return lib.encodePinBlockIso2(pin);
  return lib.encodePinBlockIso3(pin, needPan(pan, f), fill);
}

function decodeClear(f: number, block: Uint8Array, pan: string | undefined): string {
  if (f === 0) return lib.decodePinBlockIso0(block, needPan(pan, f));
  if (f === 1) return lib.decodePinBlockIso1(block);
  if (f === 2) return lib.decodePinBlockIso2(block);
  return lib.decodePinBlockIso3(block, needPan(pan, f));
}

/** Encrypts (formats 0-3 under TDES, 4 under AES) or leaves clear a PIN block, from the clear PIN. */
function encodeBlock(
  f: number,
  pin: string,
  pan: string | undefined,
  fill: string | undefined,
  key: Uint8Array | undefined,
): Uint8Array {
  if (f === 4) {
    const i = format4Inputs(key, pan);
    return lib.encipherPinBlockIso4(i.key, pin, i.pan, fill === undefined ? undefined : hex(fill, '--fill'));
  }
  const clear = encodeClear(f, pin, pan, fill);
  return key ? lib.tdesEncryptEcb(key, clear) : clear;
}

function decodeBlock(f: number, block: Uint8Array, pan: string | undefined, key: Uint8Array | undefined): string {
  if (f === 4) {
    const i = format4Inputs(key, pan);
    return lib.decipherPinBlockIso4(i.key, block, i.pan);
  }
  return decodeClear(f, key ? lib.tdesDecryptEcb(key, block) : block, pan);
}

function pinblockCommands(program: Command, io: Io): void {
  const pb = program.command('pinblock').description('ISO 9564-1 PIN blocks, formats 0-4');
  examples(
    act(
      pb
        .command('encode')
        .description(
          'a PIN block; clear without --key (formats 0-3), TDES-encrypted with --key, AES format 4 always with --key',
        )
        .requiredOption('--pin <digits>')
        .option('--pan <digits>')
        .requiredOption('--format <0-4>')
        .option('--key <hex>')
        .option('--fill <hex>', 'filler nibbles (formats 1, 3) or the 8 random bytes (format 4)'),
      (o, g) => {
        const b = lib.bytesToHex(
          encodeBlock(format(o.format), o.pin!, o.pan, o.fill, o.key === undefined ? undefined : hex(o.key, '--key')),
        );
        print(io, g.json, { pinBlock: b }, b);
      },
    ),
    ['cardhsm pinblock encode --pin 1234 --pan 5555555551234567 --format 0', '041261AAAAEDCBA9'],
    [
      'cardhsm pinblock encode --pin 1234 --pan 1234567890123456 --format 4 --key 00112233445566778899AABBCCDDEEFF --fill 1122334455667788',
      '7CDF645C86CAF763AE34637A66997534',
    ],
  );
  examples(
    act(
      pb
        .command('decode')
        .description('the PIN in a block (decrypted first with --key)')
        .requiredOption('--block <hex>')
        .option('--pan <digits>')
        .requiredOption('--format <0-4>')
        .option('--key <hex>'),
      (o, g) => {
        const pin = decodeBlock(
          format(o.format),
          hex(o.block, '--block'),
          o.pan,
          o.key === undefined ? undefined : hex(o.key, '--key'),
        );
        print(io, g.json, { pin }, pin);
      },
    ),
    ['cardhsm pinblock decode --block 041261AAAAEDCBA9 --pan 5555555551234567 --format 0', '1234'],
  );
  examples(
    act(
      pb
        .command('translate')
        .description(
          're-encrypts a PIN block from one key and format to another in one kernel call (ISO 0/3/4 -> 1 refused; format 2 never travels encrypted)',
        )
        .requiredOption('--block <hex>')
        .requiredOption('--pan <digits>')
        .requiredOption('--from-format <0|1|3|4>')
        .requiredOption('--from-key <hex>')
        .requiredOption('--to-format <0|1|3|4>')
        .requiredOption('--to-key <hex>'),
      (o, g) => {
        const from = { format: format(o.fromFormat) as lib.PinBlockSide['format'], key: hex(o.fromKey, '--from-key') };
        const to = { format: format(o.toFormat) as lib.PinBlockSide['format'], key: hex(o.toKey, '--to-key') };
        const b = lib.bytesToHex(lib.translatePinBlock({ pinBlock: hex(o.block, '--block'), pan: o.pan!, from, to }));
        print(io, g.json, { pinBlock: b }, b);
      },
    ),
    [
      'cardhsm pinblock translate --block 230B4C43B8BA2C5C --pan 5555555551234567 --from-format 0 --from-key 0123456789ABCDEFFEDCBA9876543210 --to-format 0 --to-key FEDCBA98765432100123456789ABCDEF',
      '1D399B7C36398D29',
    ],
  );
}

function keyCommands(program: Command, io: Io): void {
  examples(
    act(
      program
        .command('kcv')
        .description('key check value')
        .requiredOption('--key <hex>')
        .option('--algorithm <TDES|AES>')
        .option('--method <ZEROS|CMAC>')
        .option('--length <bytes>', '2..8', '3'),
      (o, g) => {
        const kcv = lib.keyCheckValue(hex(o.key, '--key'), {
          algorithm: upper(o.algorithm) as 'TDES' | 'AES' | undefined,
          method: upper(o.method) as 'ZEROS' | 'CMAC' | undefined,
          length: int(o.length, '--length'),
        });
        print(io, g.json, { kcv }, kcv);
      },
    ),
    [`cardhsm kcv --key ${CVK}`, '08D7B4'],
    ['cardhsm kcv --key A1B2C3D4E5F60718293A4B5C6D7E8F90 --algorithm AES', '9AD77D'],
  );
  const parity = program.command('parity').description('DES key parity');
  examples(
    act(
      parity.command('check').description('exit 1 unless every byte has odd parity').requiredOption('--key <hex>'),
      (o, g) => {
        const ok = lib.hasOddDesParity(hex(o.key, '--key'));
        print(io, g.json, { oddParity: ok }, ok ? 'odd parity' : 'not odd parity');
        return ok ? EXIT.OK : EXIT.VERIFY_FAILED;
      },
    ),
    ['cardhsm parity check --key 0123456789ABCDEF', 'odd parity'],
  );
  examples(
    act(parity.command('fix').description('the key with odd parity').requiredOption('--key <hex>'), (o, g) => {
      const k = lib.bytesToHex(lib.fixDesParity(hex(o.key, '--key')));
      print(io, g.json, { key: k }, k);
    }),
    ['cardhsm parity fix --key 0022446688AACCEE', '0123456789ABCDEF'],
  );
}

function cipherCommands(program: Command, io: Io): void {
  for (const [name, block, enc, dec, cbcEnc, cbcDec, example] of [
    [
      'tdes',
      8,
      lib.tdesEncryptEcb,
      lib.tdesDecryptEcb,
      lib.tdesEncryptCbc,
      lib.tdesDecryptCbc,
      ['0123456789ABCDEF', '4E6F772069732074', '3FA40E8A984D4815'],
    ],
    [
      'aes',
      16,
      lib.aesEncryptEcb,
      lib.aesDecryptEcb,
      lib.aesEncryptCbc,
      lib.aesDecryptCbc,
      ['000102030405060708090A0B0C0D0E0F', '00112233445566778899AABBCCDDEEFF', '69C4E0D86A7B0430D8CDB78070B4C55A'],
    ],
  ] as const) {
    const group = program
      .command(name)
      .description(`${name.toUpperCase()} ECB/CBC without padding (data a multiple of ${block} bytes)`);
    for (const decrypt of [false, true]) {
      const verb = decrypt ? 'decrypt' : 'encrypt';
      const [k, clear, cipher] = example;
      examples(
        act(
          group
            .command(verb)
            .requiredOption('--key <hex>')
            .requiredOption('--data <hex>')
            .option('--mode <ECB|CBC>', 'ECB or CBC', 'ECB')
            .option('--iv <hex>'),
          (o, g) => {
            const key = hex(o.key, '--key');
            const data = hex(o.data, '--data');
            let out: Uint8Array;
            const mode = upper(o.mode);
            if (mode === 'CBC') out = (decrypt ? cbcDec : cbcEnc)(key, data, hex(o.iv, '--iv'));
            else if (mode === 'ECB') out = (decrypt ? dec : enc)(key, data);
            else throw new CardHsmError('ERR_FORMAT', '--mode expected ECB or CBC', '--mode');
            const hexOut = lib.bytesToHex(out);
            print(io, g.json, { data: hexOut }, hexOut);
          },
        ),
        [`cardhsm ${name} ${verb} --key ${k} --data ${decrypt ? cipher : clear}`, decrypt ? clear : cipher],
      );
    }
  }
  examples(
    act(
      program
        .command('cmac')
        .description('CMAC (NIST SP 800-38B); TDES for 8/16/24-byte keys, AES for 32, or --algorithm')
        .requiredOption('--key <hex>')
        .requiredOption('--data <hex>')
        .option('--algorithm <TDES|AES>'),
      (o, g) => {
        const key = hex(o.key, '--key');
        const algorithm = upper(o.algorithm);
        const aes = algorithm === undefined ? key.length === 32 : algorithm === 'AES';
        if (algorithm !== undefined && algorithm !== 'AES' && algorithm !== 'TDES')
          throw new CardHsmError('ERR_FORMAT', '--algorithm expected TDES or AES', '--algorithm');
        const mac = lib.bytesToHex((aes ? lib.aesCmac : lib.tdesCmac)(key, hex(o.data, '--data')));
        print(io, g.json, { mac }, mac);
      },
    ),
    [
      'cardhsm cmac --key 2B7E151628AED2A6ABF7158809CF4F3C --data 6BC1BEE22E409F96E93D7E117393172A --algorithm AES',
      '070A16B46B4D4144F79BDD9DD04A287C',
    ],
  );
}

function tr31Commands(program: Command, io: Io): void {
  const tr31 = program.command('tr31').description('TR-31 / ANSI X9.143 key blocks with a clear KBPK');
  const kbpk = '88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6';
  const block =
    'D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34';
  examples(
    act(
      tr31
        .command('wrap')
        .description('wraps a key (versions B and D; the length field is computed)')
        .requiredOption('--kbpk <hex>')
        .requiredOption('--header <text>')
        .requiredOption('--key <hex>')
        .option('--padding <hex>', 'exact padding bytes (default: random, hiding the key length)'),
      (o, g) => {
        const kb = lib.wrapTr31(
          hex(o.kbpk, '--kbpk'),
          o.header!,
          hex(o.key, '--key'),
          o.padding === undefined ? undefined : { padding: hex(o.padding, '--padding') },
        );
        print(io, g.json, { keyBlock: kb }, kb);
      },
    ),
    [
      `cardhsm tr31 wrap --kbpk ${kbpk} --header D0000P0AE00E0000 --key 3F419E1CB7079442AA37474C2EFBF8B8 --padding 1C2965473CE206BB855B01533782`,
      block,
    ],
  );
  examples(
    act(
      tr31
        .command('unwrap')
        .description('verifies and unwraps a key block (prints the clear key)')
        .requiredOption('--kbpk <hex>')
        .requiredOption('--key-block <text>'),
      (o, g) => {
        const { header, key } = lib.unwrapTr31(hex(o.kbpk, '--kbpk'), o.keyBlock!);
        print(io, g.json, { key: lib.bytesToHex(key), header }, [lib.bytesToHex(key), describeHeader(header)]);
      },
    ),
    [
      `cardhsm tr31 unwrap --kbpk ${kbpk} --key-block ${block}`,
      '3F419E1CB7079442AA37474C2EFBF8B8\nversion D, usage P0, algorithm A, mode E, key version 00, exportability E',
    ],
  );
  examples(
    act(
      tr31
        .command('describe')
        .description('the header of a key block (not authenticated: no key needed)')
        .requiredOption('--key-block <text>'),
      (o, g) => {
        const header = lib.parseTr31Header(o.keyBlock!);
        print(io, g.json, { header }, describeHeader(header));
      },
    ),
    [
      `cardhsm tr31 describe --key-block ${block}`,
      'version D, usage P0, algorithm A, mode E, key version 00, exportability E',
    ],
  );
}

export function describeHeader(h: lib.Tr31Header): string {
  const blocks = h.optionalBlocks.filter((b) => b.id !== 'PB').map((b) => `${b.id}=${b.data}`);
  return `version ${h.version}, usage ${h.usage}, algorithm ${h.algorithm}, mode ${h.modeOfUse}, key version ${h.keyVersion}, exportability ${h.exportability}${blocks.length ? `, ${blocks.join(', ')}` : ''}`;
}

function ff1Commands(program: Command, io: Io): void {
  const ff1 = program.command('ff1').description('FF1 format-preserving encryption (NIST SP 800-38G)');
  for (const [verb, fn, input, output] of [
    ['encrypt', lib.ff1Encrypt, '0123456789', '2433477484'],
    ['decrypt', lib.ff1Decrypt, '2433477484', '0123456789'],
  ] as const) {
    examples(
      act(
        ff1
          .command(verb)
          .requiredOption('--key <hex>', 'AES key')
          .requiredOption('--input <numerals>')
          .option('--radix <n>', '2..36 or 62', '10')
          .option('--tweak <hex>', 'tweak', ''),
        (o, g) => {
          const v = fn(hex(o.key, '--key'), hex(o.tweak, '--tweak'), int(o.radix, '--radix')!, o.input!);
          print(io, g.json, { output: v }, v);
        },
      ),
      [`cardhsm ff1 ${verb} --key 2B7E151628AED2A6ABF7158809CF4F3C --input ${input}`, output],
    );
  }
}

function tokenOptions(c: Command): Command {
  return c
    .option('--keep-left <n>', 'leading digits kept (0..8)', '6')
    .option('--keep-right <n>', 'trailing digits kept (0..4)', '4')
    .option('--alphabet <numeric|alphanumeric>')
    .option('--luhn <invalid|valid|any>')
    .option('--tweak <hex>', 'FF1 tweak', '');
}

function tokenOpts(o: Record<string, string | undefined>): lib.TokenOptions {
  return {
    keepLeft: int(o.keepLeft, '--keep-left'),
    keepRight: int(o.keepRight, '--keep-right'),
    alphabet: o.alphabet?.toLowerCase() as lib.TokenOptions['alphabet'],
    luhn: o.luhn?.toLowerCase() as lib.TokenOptions['luhn'],
    tweak: hex(o.tweak, '--tweak'),
  };
}

function tokenCommands(program: Command, io: Io): void {
  examples(
    act(
      tokenOptions(
        program
          .command('token')
          .description('the PAN token (FF1)')
          .requiredOption('--key <hex>', 'AES token key')
          .requiredOption('--pan <digits>'),
      ),
      (o, g) => {
        const t = lib.tokenizePan(hex(o.key, '--key'), o.pan!, tokenOpts(o));
        print(io, g.json, { token: t }, t);
      },
    ),
    ['cardhsm token --key 2B7E151628AED2A6ABF7158809CF4F3C --pan 4111111111111111', '4111111210731111'],
  );
  examples(
    act(
      tokenOptions(
        program
          .command('detoken')
          .description('the PAN behind a token (masked unless --show-pan)')
          .requiredOption('--key <hex>')
          .requiredOption('--token <text>'),
      ),
      (o, g) => {
        const pan = lib.detokenizePan(hex(o.key, '--key'), o.token!, tokenOpts(o));
        print(io, g.json, { pan }, showPan(pan, g.showPan));
      },
    ),
    ['cardhsm detoken --key 2B7E151628AED2A6ABF7158809CF4F3C --token 4111111210731111 --show-pan', '4111111111111111'],
    ['cardhsm detoken --key 2B7E151628AED2A6ABF7158809CF4F3C --token 4111111210731111', '411111******1111'],
  );
}

function luhnCommands(program: Command, io: Io): void {
  const luhn = program.command('luhn').description('Luhn check digits (ISO/IEC 7812-1)');
  examples(
    act(
      luhn
        .command('check')
        .argument('<number>', '2 or more digits, no spaces')
        .description('exit 1 unless the number ends in its Luhn check digit'),
      (_o, g, number) => {
        // isLuhnValid answers false for anything that is not digits; here that is a typing error, not a failed check.
        if (!/^[0-9]{2,}$/.test(number!))
          throw new CardHsmError(
            'ERR_FORMAT',
            '<number> expected 2 or more digits (no spaces or separators)',
            '<number>',
          );
        return verdict(io, g, lib.isLuhnValid(number!));
      },
    ),
    ['cardhsm luhn check 79927398713', 'valid'],
  );
  examples(
    act(luhn.command('digit').argument('<digits>').description('the check digit to append'), (_o, g, digits) => {
      const d = lib.luhnCheckDigit(digits!);
      print(io, g.json, { checkDigit: d }, d);
    }),
    ['cardhsm luhn digit 7992739871', '3'],
  );
}

function at(value: string | undefined): Date | number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw new CardHsmError('ERR_FORMAT', '--at expected an ISO 8601 time or milliseconds since the epoch', '--at');
  return t;
}

function dcvv2Commands(program: Command, io: Io): void {
  const d = program.command('dcvv2').description('dynamic CVV2 (TW-DCVV2 v1)');
  const common = (c: Command) =>
    c
      .requiredOption('--imk <hex>', '32-byte HMAC IMK (or 16-byte TDES with --profile TDES)')
      .requiredOption('--pan <digits>')
      .requiredOption('--psn <digits>')
      .requiredOption('--expiry <YYMM>')
      .option('--at <time>', 'ISO 8601 or ms since the epoch (default now)')
      .option('--window-seconds <n>')
      .option('--digits <3|4>')
      .option('--profile <HMAC|TDES>');
  const opts = (o: Record<string, string | undefined>): lib.Dcvv2Options => ({
    at: at(o.at),
    windowSeconds: int(o.windowSeconds, '--window-seconds'),
    digits: int(o.digits, '--digits') as 3 | 4 | undefined,
    profile: upper(o.profile) as lib.Dcvv2Profile | undefined,
  });
  const imk = '000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F';
  examples(
    act(
      common(
        d.command('generate').description('the code of the window containing --at, or the next --count codes'),
      ).option('--count <n>', '1..24', '1'),
      (o, g) => {
        const codes = lib.generateDynamicCvv2Codes(
          hex(o.imk, '--imk'),
          o.pan!,
          o.psn!,
          o.expiry!,
          int(o.count, '--count')!,
          opts(o),
        );
        print(
          io,
          g.json,
          {
            codes: codes.map((c) => ({
              ...c,
              validFrom: c.validFrom.toISOString(),
              expiresAt: c.expiresAt.toISOString(),
            })),
          },
          codes.map((c) => `${c.code} valid until ${c.expiresAt.toISOString()}`),
        );
      },
    ),
    [
      `cardhsm dcvv2 generate --imk ${imk} --pan 4123456789012345 --psn 00 --expiry 2812 --at 2026-11-22T12:30:00Z`,
      '670 valid until 2026-11-22T13:00:00.000Z',
    ],
  );
  examples(
    act(
      common(d.command('verify').description('exit 1 unless the code matches a window within the drift'))
        .requiredOption('--code <digits>')
        .option('--back <n>')
        .option('--fwd <n>'),
      (o, g) => {
        const r = lib.verifyDynamicCvv2(hex(o.imk, '--imk'), o.pan!, o.psn!, o.expiry!, o.code!, {
          ...opts(o),
          back: int(o.back, '--back'),
          fwd: int(o.fwd, '--fwd'),
        });
        print(io, g.json, r, r.valid ? `valid (drift ${r.drift})` : 'invalid');
        return r.valid ? EXIT.OK : EXIT.VERIFY_FAILED;
      },
    ),
    [
      `cardhsm dcvv2 verify --imk ${imk} --pan 4123456789012345 --psn 00 --expiry 2812 --code 670 --at 2026-11-22T13:10:00Z`,
      'valid (drift -1)',
    ],
  );
}

/** Registers every calculator command on `program`. */
export function registerCalculator(program: Command, io: Io): void {
  cvvCommands(program, io);
  ibm3624Commands(program, io);
  pinblockCommands(program, io);
  keyCommands(program, io);
  cipherCommands(program, io);
  tr31Commands(program, io);
  ff1Commands(program, io);
  tokenCommands(program, io);
  luhnCommands(program, io);
  dcvv2Commands(program, io);
}
