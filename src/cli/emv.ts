// EMV calculator commands: `emv mk` (ICC master key), `emv arqc generate|verify` and `emv arpc` under a scheme
// profile, with the transaction's tags given as BER-TLV (as ISO 8583 field 55 carries them), and the contactless
// dynamic codes `dcvv` (Visa dCVV; not `dcvv2`, the time-windowed TW-DCVV2) and `cvc3` (Mastercard). Clear keys in hex.
import type { Command } from 'commander';
import { CardHsmError } from '../errors.js';
import * as lib from '../index.js';
import { act, examples, hex, verdict } from './calculator.js';
import { print, usageError, type Io } from './output.js';

const PROFILES: Readonly<Record<string, lib.CvnProfile>> = lib.EMV_CVN_PROFILES;

function profileOf(name: string | undefined): lib.CvnProfile {
  const p = name === undefined ? undefined : PROFILES[name.toUpperCase()];
  if (!p)
    throw new CardHsmError('ERR_FORMAT', `--profile expected one of ${Object.keys(PROFILES).join(', ')}`, '--profile');
  return p;
}

/** BER-TLV (EMV Book 3 Annex B) into tag -> value; constructed tags (templates such as 70 or 77) are opened. */
export function parseTlv(data: Uint8Array, into = new Map<string, Uint8Array>()): Map<string, Uint8Array> {
  let i = 0;
  const fail = (): never => {
    throw new CardHsmError('ERR_FORMAT', `--tlv is not BER-TLV at byte ${i}`, '--tlv');
  };
  while (i < data.length) {
    if (data[i] === 0x00 || data[i] === 0xff) {
      i++; // padding between objects (EMV Book 3 B1)
      continue;
    }
    const start = i;
    if ((data[i++]! & 0x1f) === 0x1f) while (i < data.length && data[i++]! & 0x80);
    if (i >= data.length) fail();
    const tag = lib.bytesToHex(data.subarray(start, i));
    let len = data[i++]!;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 2 || i + n > data.length) fail();
      len = 0;
      for (let k = 0; k < n; k++) len = (len << 8) | data[i++]!;
    }
    if (i + len > data.length) fail();
    const value = data.subarray(i, i + len);
    if (data[start]! & 0x20) parseTlv(value, into);
    else into.set(tag, value);
    i += len;
  }
  return into;
}

function transaction(tlv: Map<string, Uint8Array>): lib.EmvTransaction {
  const tx: Record<string, Uint8Array> = {};
  for (const [tag, field] of Object.entries(lib.EMV_TRANSACTION_TAGS)) {
    const v = tlv.get(tag);
    if (!v) throw usageError(`--tlv lacks tag ${tag} (${field})`);
    tx[field] = v;
  }
  return tx as unknown as lib.EmvTransaction;
}

/** The ARQC from --arqc, else tag 9F26 of the TLV. */
function arqcOf(value: string | undefined, tlv: Map<string, Uint8Array>): Uint8Array {
  if (value !== undefined) return hex(value, '--arqc');
  const a = tlv.get('9F26');
  if (!a) throw usageError('--arqc is required when --tlv has no tag 9F26');
  return a;
}

const card = (o: Record<string, string | undefined>) => ({ pan: o.pan!, psn: o.psn! });
const IMK = '0123456789ABCDEFFEDCBA9876543210';
// pyemv tests/test_cvn_hsm.py test_visa_cvn18, as field 55 TLV with the ARQC in 9F26.
const TLV18 =
  '9F0206000000004000' +
  '9F0306000000000000' +
  '9F1A020124' +
  '95058000048000' +
  '5F2A020124' +
  '9A03191105' +
  '9C0101' +
  '9F370452BF4585' +
  '82021800' +
  '9F3602001C' +
  '9F100706011203A0B800' +
  '9F26087A788EA6B8A3E733';
const CVN18 = `--profile VISA_CVN18 --imk ${IMK} --pan 1234567890123456 --psn 00 --tlv ${TLV18}`;

export function registerEmv(program: Command, io: Io): void {
  const emv = program
    .command('emv')
    .description('EMV issuer cryptography: ICC master keys, ARQC and ARPC by scheme profile');
  examples(
    act(
      emv
        .command('mk')
        .description('the ICC master key of a card (EMV Book 2 A1.4; Option B for PANs over 16 digits)')
        .requiredOption('--imk <hex>', 'issuer master key, 16 bytes')
        .requiredOption('--pan <digits>')
        .requiredOption('--psn <digits>', 'PAN sequence number, 2 digits')
        .option('--option <A|B>', 'derivation option', 'A'),
      (o, g) => {
        const mk = lib.deriveIccMasterKey(hex(o.imk, '--imk'), o.pan!, o.psn!, o.option as lib.MasterKeyOption);
        const out = lib.bytesToHex(mk);
        print(io, g.json, { mk: out, kcv: lib.keyCheckValue(mk) }, out);
      },
    ),
    [`cardhsm emv mk --imk ${IMK} --pan 12345678901234567 --psn 01`, '73AD54688CEF2934B0979857E3C719F1'],
    [`cardhsm emv mk --imk ${IMK} --pan 12345678901234567 --psn 01 --option B`, 'AD406D7F6D7570916D75E5DCAB8CF737'],
  );
  const arqc = emv
    .command('arqc')
    .description('application cryptograms under a scheme profile (tags as BER-TLV, e.g. ISO 8583 field 55)');
  const common = (c: Command) =>
    c
      .requiredOption('--profile <name>', Object.keys(PROFILES).join(', '))
      .requiredOption('--imk <hex>', 'IMK-AC, 16 bytes')
      .requiredOption('--pan <digits>')
      .requiredOption('--psn <digits>')
      .requiredOption('--tlv <hex>', 'tags 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37 82 9F36 9F10 [9F26]');
  examples(
    act(
      common(
        arqc
          .command('verify')
          .description('checks an ARQC (--arqc, or tag 9F26 of --tlv); exit 1 when it does not verify'),
      ).option('--arqc <hex>'),
      (o, g) => {
        const tlv = parseTlv(hex(o.tlv, '--tlv'));
        return verdict(
          io,
          g,
          lib.verifyEmvArqc(profileOf(o.profile), hex(o.imk, '--imk'), card(o), transaction(tlv), arqcOf(o.arqc, tlv)),
        );
      },
    ),
    [`cardhsm emv arqc verify ${CVN18}`, 'valid'],
  );
  examples(
    act(common(arqc.command('generate').description('the ARQC a card would compute (a simulator)')), (o, g) => {
      const out = lib.bytesToHex(
        lib.generateEmvArqc(
          profileOf(o.profile),
          hex(o.imk, '--imk'),
          card(o),
          transaction(parseTlv(hex(o.tlv, '--tlv'))),
        ),
      );
      print(io, g.json, { arqc: out }, out);
    }),
    [`cardhsm emv arqc generate ${CVN18}`, '7A788EA6B8A3E733'],
  );
  examples(
    act(
      common(
        emv
          .command('arpc')
          .description('the ARPC answering an ARQC: --arc (method 1 profiles) or --csu [--proprietary] (method 2)'),
      )
        .option('--arqc <hex>')
        .option('--arc <hex>', 'authorisation response code, 2 bytes')
        .option('--csu <hex>', 'card status update, 4 bytes')
        .option('--proprietary <hex>', 'proprietary authentication data, 0..8 bytes'),
      (o, g) => {
        const tlv = parseTlv(hex(o.tlv, '--tlv'));
        const response = {
          arc: o.arc === undefined ? undefined : hex(o.arc, '--arc'),
          csu: o.csu === undefined ? undefined : hex(o.csu, '--csu'),
          proprietaryData: o.proprietary === undefined ? undefined : hex(o.proprietary, '--proprietary'),
        };
        const out = lib.bytesToHex(
          lib.generateEmvArpc(
            profileOf(o.profile),
            hex(o.imk, '--imk'),
            card(o),
            transaction(tlv),
            arqcOf(o.arqc, tlv),
            response,
          ),
        );
        print(io, g.json, { arpc: out }, out);
      },
    ),
    [`cardhsm emv arpc ${CVN18} --csu 00000000`, '9AF514C1'],
  );
  const jposImk = '12345678123456781234567812345678';
  examples(
    act(
      program
        .command('dcvv')
        .description(
          'Visa dCVV of a contactless transaction (not dcvv2: TW-DCVV2); with --verify, exit 1 unless it matches',
        )
        .requiredOption('--imk <hex>', 'MK-dCVV issuer key, 16 bytes')
        .requiredOption('--pan <digits>')
        .requiredOption('--psn <digits>')
        .requiredOption('--expiry <YYMM>')
        .requiredOption('--service-code <digits>')
        .requiredOption('--atc <hex>', 'tag 9F36, 2 bytes')
        .option('--option <A|B>', 'master key derivation', 'A')
        .option('--verify <digits>'),
      (o, g) => {
        const args = [hex(o.imk, '--imk'), o.pan!, o.psn!, o.expiry!, o.serviceCode!, hex(o.atc, '--atc')] as const;
        const opts = { option: o.option as lib.MasterKeyOption };
        if (o.verify !== undefined) return verdict(io, g, lib.verifyDcvv(...args, o.verify, opts));
        const v = lib.generateDcvv(...args, opts);
        print(io, g.json, { dcvv: v }, v);
      },
    ),
    [
      `cardhsm dcvv --imk ${jposImk} --pan 1234567890123456 --psn 00 --expiry 1310 --service-code 226 --atc 3210`,
      '422',
    ],
    [
      `cardhsm dcvv --imk ${jposImk} --pan 1234567890123456 --psn 00 --expiry 1310 --service-code 226 --atc 3210 --verify 422`,
      'valid',
    ],
  );
  examples(
    act(
      program
        .command('cvc3')
        .description(
          'Mastercard CVC3 (5 digits); with --verify (3..5 digits as transmitted), exit 1 unless the rightmost digits match',
        )
        .requiredOption('--imk <hex>', 'MK-CVC3 issuer key, 16 bytes')
        .requiredOption('--pan <digits>')
        .requiredOption('--psn <digits>')
        .requiredOption('--track <hex>', 'track data the IVCVC3 covers')
        .requiredOption('--atc <hex>', '2 bytes')
        .requiredOption('--un <hex>', 'unpredictable number, 4 bytes')
        .option('--option <A|B>', 'master key derivation', 'A')
        .option('--verify <digits>'),
      (o, g) => {
        const args = [
          hex(o.imk, '--imk'),
          o.pan!,
          o.psn!,
          hex(o.track, '--track'),
          hex(o.atc, '--atc'),
          hex(o.un, '--un'),
        ] as const;
        const opts = { option: o.option as lib.MasterKeyOption };
        if (o.verify !== undefined) return verdict(io, g, lib.verifyCvc3(...args, o.verify, opts));
        const v = lib.generateCvc3(...args, opts);
        print(io, g.json, { cvc3: v }, v);
      },
    ),
    [
      'cardhsm cvc3 --imk 01234567899876543210012345678998 --pan 5123456789012345 --psn 00 --track 5123456789012345D35121010000000000000F --atc 005E --un 00000899',
      '29488',
    ],
    [
      'cardhsm cvc3 --imk 01234567899876543210012345678998 --pan 5123456789012345 --psn 00 --track 5123456789012345D35121010000000000000F --atc 005E --un 00000899 --verify 488',
      'valid',
    ],
  );
}
