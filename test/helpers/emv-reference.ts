/**
 * An independent reference for the EMV issuer cryptography, written from the specifications' text over node:crypto
 * (DES via ./reference.ts, SHA-1 via createHash, ISO/IEC 9797-1 via ./mac-reference.ts). Nothing here imports the
 * library under test. Hex strings and byte arrays as the specifications print them; clarity over speed.
 *
 *  - EMV 4.4 Book 2 A1.4.1 Option A, A1.4.2 Option B (ICC master keys); A1.3.1 common session keys; A1.2 / 8.1
 *    application cryptograms (ISO/IEC 9797-1 MAC algorithm 3); 8.2.1 / 8.2.2 ARPC methods 1 and 2; 9.2 / 9.3
 *    secure messaging; EMV 4.1 Book 2 A1.3 (the EMV2000 tree).
 *  - Scheme profiles: the data layouts of the CVN module header in src/emv/cvn.ts, restated here from the VSDC
 *    issuer guide examples (as jPOS's data builders cite them) and pyemv's cvn module.
 *  - Visa dCVV and Mastercard CVC3 as jPOS and pyemv publish them (see src/emv/dcvv.ts and cvc3.ts).
 */
import { createHash } from 'node:crypto';
import {
  refDesEcbEncrypt,
  refDesEcbDecrypt,
  refDesCbcEncrypt,
  refDecodeIso0,
  refDecodeIso1,
  refDecodeIso3,
  refDecipherIso4,
} from './reference.js';
import { refIsoMac } from './mac-reference.js';

const fromHex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));
const xor = (a: Uint8Array, b: Uint8Array): Uint8Array => Uint8Array.from(a, (v, i) => v ^ b[i]!);

/** FIPS 46-3: the least significant bit of each byte makes its count of one bits odd. */
export function refOddParity(key: Uint8Array): Uint8Array {
  return Uint8Array.from(key, (b) => {
    let ones = 0;
    for (let i = 1; i < 8; i++) ones += (b >> i) & 1;
    return (b & 0xfe) | (ones % 2 === 0 ? 1 : 0);
  });
}

/** A1.4.1 and A1.4.2: the 8-byte Y. */
export function refY(pan: string, psn: string, option: 'A' | 'B'): Uint8Array {
  if (option === 'A' || pan.length <= 16) return fromHex((pan + psn).slice(-16).padStart(16, '0'));
  const digits = pan + psn;
  const digest = createHash('sha1')
    .update(fromHex(digits.length % 2 ? `0${digits}` : digits))
    .digest('hex')
    .toUpperCase();
  let y = [...digest].filter((c) => c <= '9').join('');
  y += [...digest]
    .filter((c) => c > '9')
    .map((c) => String(c.charCodeAt(0) - 65))
    .join('');
  return fromHex(y.slice(0, 16));
}

/** MK = TDES_IMK(Y) || TDES_IMK(Y XOR FF..FF), odd parity. */
export function refMasterKey(imk: Uint8Array, pan: string, psn: string, option: 'A' | 'B' = 'A'): Uint8Array {
  const y = refY(pan, psn, option);
  return refOddParity(
    concat(
      refDesEcbEncrypt(imk, y),
      refDesEcbEncrypt(
        imk,
        y.map((b) => b ^ 0xff),
      ),
    ),
  );
}

/** A1.3.1: SK = TDES_MK(R, 3rd byte F0) || TDES_MK(R, 3rd byte 0F), odd parity. */
export function refCommonSessionKey(mk: Uint8Array, r: Uint8Array): Uint8Array {
  const a = r.slice();
  a[2] = 0xf0;
  const b = r.slice();
  b[2] = 0x0f;
  return refOddParity(concat(refDesEcbEncrypt(mk, a), refDesEcbEncrypt(mk, b)));
}

/** Mastercard SKD: the common derivation with R = ATC || 0000 || UN. */
export function refMastercardSessionKey(mk: Uint8Array, atc: Uint8Array, un: Uint8Array): Uint8Array {
  return refCommonSessionKey(mk, concat(atc, new Uint8Array(2), un));
}

/** Visa SM keys: MK_L XOR (0^6 || ATC), MK_R XOR (0^6 || ATC XOR FFFF), odd parity. */
export function refVisaSmSessionKey(mk: Uint8Array, atc: Uint8Array): Uint8Array {
  const l = xor(mk.subarray(0, 8), concat(new Uint8Array(6), atc));
  const r = xor(
    mk.subarray(8),
    concat(
      new Uint8Array(6),
      atc.map((b) => b ^ 0xff),
    ),
  );
  return refOddParity(concat(l, r));
}

/** EMV 4.1 Book 2 A1.3: the tree, written as the recursion the text gives. */
export function refEmv2000Tree(
  mk: Uint8Array,
  atc: Uint8Array,
  height = 8,
  b = 4,
  iv: Uint8Array = new Uint8Array(16),
): Uint8Array {
  const f = (x: Uint8Array, y: Uint8Array, j: number): Uint8Array => {
    const jb = new Uint8Array(8);
    jb[7] = j % b;
    const right = xor(y.subarray(8), jb);
    right[7]! ^= 0xf0;
    return concat(refDesEcbEncrypt(x, xor(y.subarray(0, 8), jb)), refDesEcbEncrypt(x, right));
  };
  const a = (atc[0]! << 8) | atc[1]!;
  // IK(h, j): level 0 is the MK (its "parent" the IV); IK(h, j) = F(IK(h-1, j div b), IK(h-2, j div b^2), j).
  const walk = (j: number, h: number): [Uint8Array, Uint8Array] => {
    if (h === 0) return [mk, iv];
    const [p, gp] = walk(Math.floor(j / b), h - 1);
    return [f(p, gp, j), p];
  };
  const [p, gp] = walk(Math.floor(a / b), height - 1);
  return refOddParity(xor(f(p, gp, a), gp));
}

/** 8.1 / A1.2: MAC algorithm 3 over the data. */
export function refArqc(sk: Uint8Array, data: Uint8Array, padding: 1 | 2): Uint8Array {
  return refIsoMac(sk, data, 3, padding, 8);
}

/** 8.2.1: ARPC = TDES_K(ARQC XOR (ARC || 0^6)). */
export function refArpc1(key: Uint8Array, arqc: Uint8Array, arc: Uint8Array): Uint8Array {
  return refDesEcbEncrypt(key, xor(arqc, concat(arc, new Uint8Array(6))));
}

/** 8.2.2: the leftmost 4 bytes of MAC algorithm 3, padding 2, of ARQC || CSU || proprietary data. */
export function refArpc2(
  key: Uint8Array,
  arqc: Uint8Array,
  csu: Uint8Array,
  prop: Uint8Array = new Uint8Array(0),
): Uint8Array {
  return refIsoMac(key, concat(arqc, csu, prop), 3, 2, 4);
}

export type RefProfile =
  | 'VISA_CVN10'
  | 'VISA_CVN18'
  | 'VISA_CVN22'
  | 'MASTERCARD_CVN16'
  | 'MASTERCARD_CVN17'
  | 'MASTERCARD_CVN20'
  | 'MASTERCARD_CVN21';

/** The transaction as hex strings keyed by EMV tag. */
export type RefTx = Record<
  '9F02' | '9F03' | '9F1A' | '95' | '5F2A' | '9A' | '9C' | '9F37' | '82' | '9F36' | '9F10',
  string
>;

/** The AC data of each profile: the ten common tags, then the CVR (Visa CVN 10: 9F10 bytes 4-7; Mastercard: bytes
 * 3-8), Mastercard's counters (bytes 11-18, CVN 17 and 21) or the whole 9F10 (Visa CVN 18 and 22). */
export function refArqcData(profile: RefProfile, tx: RefTx): string {
  const base =
    tx['9F02'] +
    tx['9F03'] +
    tx['9F1A'] +
    tx['95'] +
    tx['5F2A'] +
    tx['9A'] +
    tx['9C'] +
    tx['9F37'] +
    tx['82'] +
    tx['9F36'];
  const iad = tx['9F10'];
  const bytes = (from: number, to: number) => iad.slice(2 * from, 2 * to);
  switch (profile) {
    case 'VISA_CVN10':
      return base + bytes(3, 7);
    case 'VISA_CVN18':
    case 'VISA_CVN22':
      return base + iad;
    case 'MASTERCARD_CVN16':
    case 'MASTERCARD_CVN20':
      return base + bytes(2, 8);
    default:
      return base + bytes(2, 8) + bytes(10, 18);
  }
}

interface RefProfileSpec {
  option: 'A' | 'B';
  sk: 'NONE' | 'COMMON' | 'MASTERCARD';
  padding: 1 | 2;
  arpc: 1 | 2;
  arpcKey: 'MK' | 'SK';
  script: 'VISA' | 'COMMON';
  enc: 'VISA' | 'MASTERCARD' | 'EMV';
  pin: 'VIS' | 'ISO2';
}
export const REF_PROFILES: Record<RefProfile, RefProfileSpec> = {
  VISA_CVN10: { option: 'A', sk: 'NONE', padding: 1, arpc: 1, arpcKey: 'MK', script: 'VISA', enc: 'VISA', pin: 'VIS' },
  VISA_CVN18: {
    option: 'B',
    sk: 'COMMON',
    padding: 2,
    arpc: 2,
    arpcKey: 'SK',
    script: 'VISA',
    enc: 'VISA',
    pin: 'VIS',
  },
  VISA_CVN22: {
    option: 'B',
    sk: 'COMMON',
    padding: 2,
    arpc: 2,
    arpcKey: 'SK',
    script: 'COMMON',
    enc: 'VISA',
    pin: 'ISO2',
  },
  MASTERCARD_CVN16: {
    option: 'A',
    sk: 'MASTERCARD',
    padding: 2,
    arpc: 1,
    arpcKey: 'MK',
    script: 'COMMON',
    enc: 'MASTERCARD',
    pin: 'ISO2',
  },
  MASTERCARD_CVN17: {
    option: 'A',
    sk: 'MASTERCARD',
    padding: 2,
    arpc: 1,
    arpcKey: 'MK',
    script: 'COMMON',
    enc: 'MASTERCARD',
    pin: 'ISO2',
  },
  MASTERCARD_CVN20: {
    option: 'A',
    sk: 'COMMON',
    padding: 2,
    arpc: 1,
    arpcKey: 'SK',
    script: 'COMMON',
    enc: 'MASTERCARD',
    pin: 'ISO2',
  },
  MASTERCARD_CVN21: {
    option: 'A',
    sk: 'COMMON',
    padding: 2,
    arpc: 1,
    arpcKey: 'SK',
    script: 'COMMON',
    enc: 'MASTERCARD',
    pin: 'ISO2',
  },
};

function refAcKey(
  profile: RefProfile,
  imk: Uint8Array,
  pan: string,
  psn: string,
  tx: RefTx,
  forArpc: boolean,
): Uint8Array {
  const spec = REF_PROFILES[profile];
  const mk = refMasterKey(imk, pan, psn, spec.option);
  if (spec.sk === 'NONE' || (forArpc && spec.arpcKey === 'MK')) return mk;
  if (spec.sk === 'MASTERCARD') return refMastercardSessionKey(mk, fromHex(tx['9F36']), fromHex(tx['9F37']));
  return refCommonSessionKey(mk, fromHex(`${tx['9F36']}000000000000`));
}

export function refProfileArqc(profile: RefProfile, imk: Uint8Array, pan: string, psn: string, tx: RefTx): string {
  return toHex(
    refArqc(
      refAcKey(profile, imk, pan, psn, tx, false),
      fromHex(refArqcData(profile, tx)),
      REF_PROFILES[profile].padding,
    ),
  );
}

export function refProfileArpc(
  profile: RefProfile,
  imk: Uint8Array,
  pan: string,
  psn: string,
  tx: RefTx,
  arqc: string,
  response: string,
): string {
  const key = refAcKey(profile, imk, pan, psn, tx, true);
  return toHex(
    REF_PROFILES[profile].arpc === 1
      ? refArpc1(key, fromHex(arqc), fromHex(response))
      : refArpc2(key, fromHex(arqc), fromHex(response)),
  );
}

/** 9.2.3: the script MAC, MAC algorithm 3 with padding method 2. */
export function refScriptMac(sk: Uint8Array, data: Uint8Array, length = 8): Uint8Array {
  return refIsoMac(sk, data, 3, 2, length);
}

function pad2(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.floor(data.length / 8) * 8 + 8);
  out.set(data);
  out[data.length] = 0x80;
  return out;
}

/** 9.3: Visa (length || data, padding 2, ECB), Mastercard (padding 2 only when needed, CBC), EMV (padding 2, CBC). */
export function refEncipher(sk: Uint8Array, data: Uint8Array, mode: 'VISA' | 'MASTERCARD' | 'EMV'): Uint8Array {
  if (mode === 'VISA') return refDesEcbEncrypt(sk, pad2(concat(Uint8Array.of(data.length), data)));
  const plain = mode === 'MASTERCARD' && data.length % 8 === 0 ? data : pad2(data);
  return refDesCbcEncrypt(sk, plain, new Uint8Array(8));
}

/** ISO 9564-1 format 2: 2 | L | PIN | F... */
export function refIso2Block(pin: string): Uint8Array {
  return fromHex(`2${pin.length.toString(16)}${pin}`.padEnd(16, 'F'));
}

/** VIS: (0 | L | PIN | F...) XOR (0000 0000 || UDK-A bytes 5-8) [XOR current PIN, left-justified, zero-filled]. */
export function refVisBlock(pin: string, mkAc: Uint8Array, current?: string): Uint8Array {
  let block = xor(
    fromHex(`0${pin.length.toString(16)}${pin}`.padEnd(16, 'F')),
    concat(new Uint8Array(4), mkAc.subarray(4, 8)),
  );
  if (current !== undefined) block = xor(block, fromHex(current.padEnd(16, '0')));
  return block;
}

/** The clear PIN of an encrypted ISO 9564 block (the reference decoders of ./reference.ts). */
export function refOpenPin(block: Uint8Array, pan: string, key: Uint8Array, format: 0 | 1 | 3 | 4): string {
  if (format === 4) return refDecipherIso4(key, block, pan);
  const clear = refDesEcbDecrypt(key, block);
  return format === 0 ? refDecodeIso0(clear, pan) : format === 1 ? refDecodeIso1(clear) : refDecodeIso3(clear, pan);
}

/** Visa dCVV: the Visa CVV method under MK (KA || KB) over ATC || PAN[4..] || expiry || service code, zero-padded. */
export function refDcvv(
  imk: Uint8Array,
  pan: string,
  psn: string,
  expiry: string,
  serviceCode: string,
  atc: Uint8Array,
  option: 'A' | 'B' = 'A',
): string {
  const mk = refMasterKey(imk, pan, psn, option);
  const data = (toHex(atc) + pan.slice(4) + expiry + serviceCode).padEnd(32, '0');
  const c = xor(refDesEcbEncrypt(mk.subarray(0, 8), fromHex(data.slice(0, 16))), fromHex(data.slice(16)));
  const r = toHex(
    refDesEcbEncrypt(mk.subarray(0, 8), refDesEcbDecrypt(mk.subarray(8), refDesEcbEncrypt(mk.subarray(0, 8), c))),
  );
  const digits =
    [...r].filter((ch) => ch <= '9').join('') +
    [...r]
      .filter((ch) => ch > '9')
      .map((ch) => String(ch.charCodeAt(0) - 65))
      .join('');
  return digits.slice(0, 3);
}

/** Mastercard CVC3: IVCVC3 = MAC3(track, padding 2)[6..8); CVC3 = TDES_MK(IVCVC3 || UN || ATC)[6..8) in decimal. */
export function refCvc3(
  imk: Uint8Array,
  pan: string,
  psn: string,
  track: Uint8Array,
  atc: Uint8Array,
  un: Uint8Array,
  option: 'A' | 'B' = 'A',
): string {
  const mk = refMasterKey(imk, pan, psn, option);
  const iv = refIsoMac(mk, track, 3, 2).subarray(6, 8);
  const c = refDesEcbEncrypt(mk, concat(iv, un, atc));
  return String((c[6]! << 8) | c[7]!).padStart(5, '0');
}

export { fromHex, toHex };
