// Card scheme cryptogram profiles: what a Cryptogram Version Number (CVN, in the issuer application data, tag 9F10)
// fixes, so that callers name the profile instead of the internals. Sources: EMV 4.4 Book 2 (A1.2-A1.4, 8.2, 9.2-9.3),
// Visa VIS / VSDC Issuer Implementation Guide examples (as jPOS's CVN10/18/22 data builders cite them), Mastercard
// M/Chip CVN bits (bit 1: counters in the AC; bits 2-3: session key derivation), and knovichikhin/pyemv's cvn module.
//
// The AC data, in order (every profile): 9F02 amount authorised (6) || 9F03 amount other (6) || 9F1A terminal country
// code (2) || 95 TVR (5) || 5F2A transaction currency code (2) || 9A transaction date (3) || 9C transaction type (1) ||
// 9F37 unpredictable number (4) || 82 AIP (2) || 9F36 ATC (2), then from the IAD (9F10):
//   Visa CVN 10: the CVR, IAD bytes 4-7;                    padding method 1; AC key: the ICC MK (no session key)
//   Visa CVN 18, 22: the whole IAD;                          padding method 2; AC key: common SK, R = ATC || 0^6
//   Mastercard CVN 16, 20: the CVR, IAD bytes 3-8;           padding method 2; SK: Mastercard (16) or common (20)
//   Mastercard CVN 17, 21: the CVR, then the counters, IAD bytes 11-18 (M/Chip 4, in the clear)
// ARPC: Visa CVN 10 method 1 under the MK; CVN 18/22 method 2 under the SK; Mastercard method 1, under the MK for
// CVN 16/17 and the SK for CVN 20/21. Issuer scripts: Visa CVN 10/18 derive Visa SM session keys from the ATC, the
// others common SM keys from the ARQC; the MAC covers header || ATC || ARQC || data (EMV 9.2.1.2 format 2).
import { CardHsmError } from '../errors.js';
import { checkArray, checkBytes, checkOptions, isDigits } from '../_validate.js';
import { withKernel, selectKey, ALG_TDES } from '../wasm/_calls.js';
import { deriveCommonSessionKey, deriveMastercardSessionKey, type EmvCard } from './kd.js';
import { checkCard, checkKey16, masterKeys } from './_kd.js';
import { generateArpc1, generateArpc2 } from './ac.js';
import { checkProfile } from './_profiles.js';
import type { CvnProfile, SessionKeyDerivation } from './profiles.js';

/**
 * The transaction data elements a cryptogram covers (EMV tags; fixed lengths in bytes; IAD 1..32, at least what
 * the profile reads from it), each a Uint8Array as the terminal sent it. The example is the Visa VSDC Issuer
 * Implementation Guide (Oct 2018) H.1 Example 1, as jPOS's CVN10DataBuilderTest publishes it.
 * @example
 * const tx = { amountAuthorized: hexToBytes('000000000100'), amountOther: hexToBytes('000000000000'), terminalCountryCode: hexToBytes('0840'), tvr: hexToBytes('0000000000'), transactionCurrencyCode: hexToBytes('0840'),
 *   transactionDate: hexToBytes('181231'), transactionType: hexToBytes('01'), unpredictableNumber: hexToBytes('ABCDEF10'), aip: hexToBytes('1800'), atc: hexToBytes('0002'), iad: hexToBytes('06010A03000000') }
 * bytesToHex(emvArqcData(VISA_CVN10, tx)) // => '00000000010000000000000008400000000000084018123101ABCDEF101800000203000000'
 */
export interface EmvTransaction {
  /** 9F02, 6 bytes (n12) */ amountAuthorized: Uint8Array;
  /** 9F03, 6 bytes */ amountOther: Uint8Array;
  /** 9F1A, 2 bytes */ terminalCountryCode: Uint8Array;
  /** 95, 5 bytes */ tvr: Uint8Array;
  /** 5F2A, 2 bytes */ transactionCurrencyCode: Uint8Array;
  /** 9A, 3 bytes (YYMMDD) */ transactionDate: Uint8Array;
  /** 9C, 1 byte */ transactionType: Uint8Array;
  /** 9F37, 4 bytes */ unpredictableNumber: Uint8Array;
  /** 82, 2 bytes */ aip: Uint8Array;
  /** 9F36, 2 bytes */ atc: Uint8Array;
  /** 9F10, 1..32 bytes */ iad: Uint8Array;
}

/**
 * The EMV tag of each EmvTransaction field (hex, as BER-TLV names it in ISO 8583 field 55), frozen: how a caller
 * holding the tags turns them into an EmvTransaction.
 * @example
 * EMV_TRANSACTION_TAGS['9F37'] // => 'unpredictableNumber'
 * Object.keys(EMV_TRANSACTION_TAGS).length // => 11
 * Object.isFrozen(EMV_TRANSACTION_TAGS) // => true
 */
export const EMV_TRANSACTION_TAGS: Readonly<Record<string, keyof EmvTransaction>> = Object.freeze({
  '9F02': 'amountAuthorized',
  '9F03': 'amountOther',
  '9F1A': 'terminalCountryCode',
  '95': 'tvr',
  '5F2A': 'transactionCurrencyCode',
  '9A': 'transactionDate',
  '9C': 'transactionType',
  '9F37': 'unpredictableNumber',
  '82': 'aip',
  '9F36': 'atc',
  '9F10': 'iad',
});

/** The fixed-length fields, with their lengths, in the order a cryptogram's data takes them (the IAD follows). */
const FIXED_FIELDS = [
  ['amountAuthorized', 6],
  ['amountOther', 6],
  ['terminalCountryCode', 2],
  ['tvr', 5],
  ['transactionCurrencyCode', 2],
  ['transactionDate', 3],
  ['transactionType', 1],
  ['unpredictableNumber', 4],
  ['aip', 2],
  ['atc', 2],
] as const;
const BASE_LENGTH = FIXED_FIELDS.reduce((n, [, length]) => n + length, 0); // 33

/** The IAD byte ranges [from, to) a profile appends, in order. */
function iadParts(p: CvnProfile, iadLength: number): ReadonlyArray<readonly [number, number]> {
  switch (p.iad) {
    case 'VISA_CVR':
      return [[3, 7]];
    case 'MASTERCARD_CVR':
      return [[2, 8]];
    // The CVR, then the counters; the two bytes between (DAC / ICC dynamic number) are not in the AC.
    case 'MASTERCARD_CVR_COUNTERS':
      return [
        [2, 8],
        [10, 18],
      ];
    default:
      return [[0, iadLength]];
  }
}

/** The shortest IAD a profile can take. */
const minIad = (p: CvnProfile): number => (p.iad === 'IAD' ? 1 : iadParts(p, 0).at(-1)![1]);

/** Validated transaction; `at` prefixes field names ('items[3].tx.'). */
function checkTx(p: CvnProfile, tx: unknown, at: string): EmvTransaction {
  const o = checkOptions(at.slice(0, -1) || 'tx', tx);
  for (const [field, length] of FIXED_FIELDS) checkBytes(`${at}${field}`, o[field], [length]);
  const iad = o.iad;
  if (!(iad instanceof Uint8Array)) checkBytes(`${at}iad`, iad, []);
  const n = (iad as Uint8Array).length;
  if (n < minIad(p) || n > 32) {
    throw new CardHsmError(
      'ERR_LENGTH',
      `"${at}iad" expected ${minIad(p)}..32 bytes for ${p.name}, got length=${n}`,
      `${at}iad`,
    );
  }
  return o as unknown as EmvTransaction;
}

function dataLength(p: CvnProfile, tx: EmvTransaction): number {
  return iadParts(p, tx.iad.length).reduce((n, [from, to]) => n + to - from, BASE_LENGTH);
}

/** Writes the AC data of a validated transaction at `at` in `m`; returns its length. */
function writeData(p: CvnProfile, tx: EmvTransaction, m: Uint8Array, at: number): number {
  let o = at;
  for (const [field] of FIXED_FIELDS) {
    m.set(tx[field], o);
    o += tx[field].length;
  }
  for (const [from, to] of iadParts(p, tx.iad.length)) {
    m.set(tx.iad.subarray(from, to), o);
    o += to - from;
  }
  return o - at;
}

/**
 * The data an ARQC covers under `profile`, assembled from the transaction's tags (see the module header for the
 * layout of each CVN). Useful to check a terminal's assembly or to feed generateArqc directly. The example's tags
 * are knovichikhin/pyemv's test_cvn_hsm.py test_visa_cvn18.
 * @param profile one of the EMV_CVN_PROFILES constants; @param tx the tags (EmvTransaction)
 * @returns 33 bytes of tags, then the profile's part of the IAD
 * @example
 * const tx = { amountAuthorized: hexToBytes('000000004000'), amountOther: hexToBytes('000000000000'), terminalCountryCode: hexToBytes('0124'), tvr: hexToBytes('8000048000'), transactionCurrencyCode: hexToBytes('0124'),
 *   transactionDate: hexToBytes('191105'), transactionType: hexToBytes('01'), unpredictableNumber: hexToBytes('52BF4585'), aip: hexToBytes('1800'), atc: hexToBytes('001C'), iad: hexToBytes('06011203A0B800') }
 * bytesToHex(emvArqcData(VISA_CVN18, tx)) // => '0000000040000000000000000124800004800001241911050152BF45851800001C06011203A0B800'
 * @throws ERR_TYPE, ERR_LENGTH (a tag of the wrong length; an IAD too short for the profile), ERR_FORMAT (profile)
 */
export function emvArqcData(profile: CvnProfile, tx: EmvTransaction): Uint8Array {
  const p = checkProfile(profile);
  const t = checkTx(p, tx, 'tx.');
  const out = new Uint8Array(dataLength(p, t));
  writeData(p, t, out, 0);
  return out;
}

const SKD: Record<SessionKeyDerivation, number> = { NONE: 0, COMMON: 1, MASTERCARD: 2 };
// assembly/emv.ts: card record, ATC at 24, UN at 26, data length at 32, the ARQC to verify at 40, the data at 48.
const HEAD = 48;

/** The data's length once padded (the kernel takes whole blocks): method 1 pads with zeros, method 2 with 80 00... */
const padded = (p: CvnProfile, length: number): number => (p.padding === 2 ? (length & ~7) + 8 : (length + 7) & ~7);

interface AcItem {
  pan: string;
  psn: string;
  tx: EmvTransaction;
  arqc?: Uint8Array;
}

function copyInto(m: Uint8Array, at: number, v: Uint8Array, from = 0, to = v.length): number {
  // Tags are a few bytes: a plain loop beats TypedArray.set's per-call overhead.
  for (let i = from; i < to; i++) m[at++] = v[i]!;
  return at;
}

/** Writes one record (into a zeroed slot): card, ATC, UN, padded length, ARQC, then the padded AC data. */
function writeRecord(p: CvnProfile, m: Uint8Array, rec: number, item: AcItem, length: number): void {
  const { pan, psn, tx } = item;
  m[rec] = pan.length;
  for (let i = 0; i < pan.length; i++) m[rec + 1 + i] = pan.charCodeAt(i);
  m[rec + 20] = psn.charCodeAt(0);
  m[rec + 21] = psn.charCodeAt(1);
  copyInto(m, rec + 24, tx.atc);
  copyInto(m, rec + 26, tx.unpredictableNumber);
  const size = padded(p, length);
  m[rec + 32] = size & 0xff;
  m[rec + 33] = size >> 8;
  if (item.arqc) copyInto(m, rec + 40, item.arqc);
  let o = rec + HEAD;
  for (const [field] of FIXED_FIELDS) o = copyInto(m, o, tx[field]);
  for (const [from, to] of iadParts(p, tx.iad.length)) o = copyInto(m, o, tx.iad, from, to);
  if (p.padding === 2) m[o] = 0x80;
}

/**
 * The kernel over validated items: with `verify`, one boolean per item (the kernel compares each AC with the
 * item's ARQC in constant time); else one 8-byte AC per item. Items are grouped by data length, since a sliced
 * group runs all its records through the same blocks.
 */
function runAc(p: CvnProfile, imk: Uint8Array, items: readonly AcItem[], verify: boolean): Array<boolean | Uint8Array> {
  const out = new Array<boolean | Uint8Array>(items.length);
  if (items.length === 0) return out;
  const byLength = new Map<number, number[]>();
  for (let i = 0; i < items.length; i++) {
    const len = dataLength(p, items[i]!.tx);
    const list = byLength.get(len);
    if (list) list.push(i);
    else byLength.set(len, [i]);
  }
  const outBytes = verify ? 1 : 8;
  return withKernel(Math.min(items.length * (HEAD + 128), 1 << 30), items.length * outBytes, (k) => {
    const m = k.mem;
    for (const [length, indices] of byLength) {
      const stride = HEAD + padded(p, length);
      const per = Math.floor(k.IO_BYTES / stride);
      for (let base = 0; base < indices.length; base += per) {
        const n = Math.min(per, indices.length - base);
        const ks = selectKey(k, ALG_TDES, imk);
        m.fill(0, k.IN, k.IN + n * stride);
        for (let i = 0; i < n; i++) writeRecord(p, m, k.IN + i * stride, items[indices[base + i]!]!, length);
        k.x.emvAcBatch(ks, +(p.masterKey === 'B'), SKD[p.sessionKey], +verify, k.IN, stride, n, k.OUT);
        if (verify) {
          for (let i = 0; i < n; i++) out[indices[base + i]!] = m[k.OUT + i] === 1;
        } else {
          const block = m.slice(k.OUT, k.OUT + n * 8);
          for (let i = 0; i < n; i++) out[indices[base + i]!] = block.subarray(i * 8, i * 8 + 8);
        }
      }
    }
    return out;
  });
}

function checkItem(p: CvnProfile, card: unknown, tx: unknown, at: string): AcItem {
  // The hot path: shapes checked without building a field name; only a malformed argument takes the slow path.
  if (typeof card === 'object' && card !== null && wellFormedTx(p, tx)) {
    const { pan, psn } = card as Record<string, unknown>;
    if (isDigits(pan, 12, 19) && isDigits(psn, 2, 2))
      return { pan: pan as string, psn: psn as string, tx: tx as EmvTransaction };
  }
  const c = checkOptions(at ? `${at}card` : 'card', card);
  const cardOk = checkCard(c.pan, c.psn, at ? at : 'card.');
  return { ...cardOk, tx: checkTx(p, tx, `${at}tx.`) };
}

/**
 * The ARQC a card computes under `profile` (the card's MK derived from the IMK, then the profile's session key,
 * data and padding), in one kernel call: for simulators, test hosts and personalisation checks. The example is
 * knovichikhin/pyemv's test_cvn_hsm.py test_visa_cvn18.
 * @param profile one of the EMV_CVN_PROFILES constants
 * @param imkAc issuer master key for application cryptograms, 16 bytes
 * @param card `{ pan, psn }`: 12..19 digits, 2 digits; @param tx the tags (EmvTransaction)
 * @returns the 8-byte ARQC
 * @example
 * const imkAc = hexToBytes('0123456789ABCDEFFEDCBA9876543210'), card = { pan: '1234567890123456', psn: '00' }
 * const tx = { amountAuthorized: hexToBytes('000000004000'), amountOther: hexToBytes('000000000000'), terminalCountryCode: hexToBytes('0124'), tvr: hexToBytes('8000048000'), transactionCurrencyCode: hexToBytes('0124'),
 *   transactionDate: hexToBytes('191105'), transactionType: hexToBytes('01'), unpredictableNumber: hexToBytes('52BF4585'), aip: hexToBytes('1800'), atc: hexToBytes('001C'), iad: hexToBytes('06011203A0B800') }
 * bytesToHex(generateEmvArqc(VISA_CVN18, imkAc, card, tx)) // => '7A788EA6B8A3E733'
 * @throws ERR_TYPE, ERR_LENGTH (a key, tag or IAD of the wrong length), ERR_FORMAT (profile; PAN or PSN not digits)
 */
export function generateEmvArqc(profile: CvnProfile, imkAc: Uint8Array, card: EmvCard, tx: EmvTransaction): Uint8Array {
  const p = checkProfile(profile);
  const imk = checkKey16('imkAc', imkAc);
  return (runAc(p, imk, [checkItem(p, card, tx, '')], false)[0] as Uint8Array).slice();
}

/**
 * Verifies an ARQC under `profile` in one kernel call (MK, session key, MAC and the comparison inside; nothing
 * secret in JS); compared in constant time. Throws only for malformed input. Arguments as for generateEmvArqc, and
 * `arqc` 8 bytes. The example is knovichikhin/pyemv's test_cvn_hsm.py test_visa_cvn18.
 * @example
 * const imkAc = hexToBytes('0123456789ABCDEFFEDCBA9876543210'), card = { pan: '1234567890123456', psn: '00' }
 * const tx = { amountAuthorized: hexToBytes('000000004000'), amountOther: hexToBytes('000000000000'), terminalCountryCode: hexToBytes('0124'), tvr: hexToBytes('8000048000'), transactionCurrencyCode: hexToBytes('0124'),
 *   transactionDate: hexToBytes('191105'), transactionType: hexToBytes('01'), unpredictableNumber: hexToBytes('52BF4585'), aip: hexToBytes('1800'), atc: hexToBytes('001C'), iad: hexToBytes('06011203A0B800') }
 * verifyEmvArqc(VISA_CVN18, imkAc, card, tx, hexToBytes('7A788EA6B8A3E733')) // => true
 * verifyEmvArqc(VISA_CVN18, imkAc, card, { ...tx, atc: hexToBytes('001D') }, hexToBytes('7A788EA6B8A3E733')) // => false
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT
 */
export function verifyEmvArqc(
  profile: CvnProfile,
  imkAc: Uint8Array,
  card: EmvCard,
  tx: EmvTransaction,
  arqc: Uint8Array,
): boolean {
  const p = checkProfile(profile);
  const imk = checkKey16('imkAc', imkAc);
  const item = checkItem(p, card, tx, '');
  item.arqc = checkBytes('arqc', arqc, [8]);
  return runAc(p, imk, [item], true)[0] as boolean;
}

/**
 * One transaction of a verification batch (verifyEmvArqcBatch): the card's PAN (12..19 digits) and PSN (2 digits),
 * the tags (EmvTransaction) and the 8-byte ARQC to verify. The example is knovichikhin/pyemv's test_cvn_hsm.py
 * test_visa_cvn18.
 * @example
 * const tx = { amountAuthorized: hexToBytes('000000004000'), amountOther: hexToBytes('000000000000'), terminalCountryCode: hexToBytes('0124'), tvr: hexToBytes('8000048000'), transactionCurrencyCode: hexToBytes('0124'),
 *   transactionDate: hexToBytes('191105'), transactionType: hexToBytes('01'), unpredictableNumber: hexToBytes('52BF4585'), aip: hexToBytes('1800'), atc: hexToBytes('001C'), iad: hexToBytes('06011203A0B800') }
 * const item = { pan: '1234567890123456', psn: '00', tx, arqc: hexToBytes('7A788EA6B8A3E733') }
 * verifyEmvArqcBatch(VISA_CVN18, hexToBytes('0123456789ABCDEFFEDCBA9876543210'), [item]) // => [true]
 */
export interface EmvArqcItem {
  pan: string;
  psn: string;
  tx: EmvTransaction;
  arqc: Uint8Array;
}

/** True when `tx` has every tag at its length and an IAD the profile can read (no strings built). */
function wellFormedTx(p: CvnProfile, tx: unknown): boolean {
  if (typeof tx !== 'object' || tx === null) return false;
  const t = tx as Record<string, unknown>;
  for (const [field, length] of FIXED_FIELDS) {
    const v = t[field];
    if (!(v instanceof Uint8Array) || v.length !== length) return false;
  }
  const iad = t.iad;
  return iad instanceof Uint8Array && iad.length >= minIad(p) && iad.length <= 32;
}

/** The batch's hot path: true when the item is well formed (no strings built); the slow path names the fault. */
function wellFormed(p: CvnProfile, item: unknown): boolean {
  if (typeof item !== 'object' || item === null) return false;
  const { pan, psn, tx, arqc } = item as Record<string, unknown>;
  return (
    isDigits(pan, 12, 19) &&
    isDigits(psn, 2, 2) &&
    arqc instanceof Uint8Array &&
    arqc.length === 8 &&
    wellFormedTx(p, tx)
  );
}

/**
 * Verifies many ARQCs of one profile and IMK (an authorization host's stream): groups of 128 run sliced in the
 * kernel with every card's keys per lane, one kernel crossing per chunk of thousands; one boolean per item, in
 * order, each compared in constant time. A wrong cryptogram gives false; only malformed input throws. The example
 * is knovichikhin/pyemv's test_cvn_hsm.py test_visa_cvn18, then the same ARQC with its last bit flipped.
 * @param profile one of the EMV_CVN_PROFILES constants; @param imkAc 16 bytes
 * @param items `{ pan, psn, tx, arqc }` each (EmvArqcItem)
 * @example
 * const imkAc = hexToBytes('0123456789ABCDEFFEDCBA9876543210'), card = { pan: '1234567890123456', psn: '00' }
 * const tx = { amountAuthorized: hexToBytes('000000004000'), amountOther: hexToBytes('000000000000'), terminalCountryCode: hexToBytes('0124'), tvr: hexToBytes('8000048000'), transactionCurrencyCode: hexToBytes('0124'),
 *   transactionDate: hexToBytes('191105'), transactionType: hexToBytes('01'), unpredictableNumber: hexToBytes('52BF4585'), aip: hexToBytes('1800'), atc: hexToBytes('001C'), iad: hexToBytes('06011203A0B800') }
 * verifyEmvArqcBatch(VISA_CVN18, imkAc, [{ ...card, tx, arqc: hexToBytes('7A788EA6B8A3E733') }, { ...card, tx, arqc: hexToBytes('7A788EA6B8A3E732') }]) // => [true, false]
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (field names carry the index: `items[3].tx.atc`)
 */
export function verifyEmvArqcBatch(profile: CvnProfile, imkAc: Uint8Array, items: readonly EmvArqcItem[]): boolean[] {
  const p = checkProfile(profile);
  const imk = checkKey16('imkAc', imkAc);
  const list = checkArray('items', items) as readonly AcItem[];
  for (let i = 0; i < list.length; i++) {
    if (wellFormed(p, list[i])) continue;
    const at = `items[${i}].`;
    const o = checkOptions(`items[${i}]`, list[i]);
    checkCard(o.pan, o.psn, at);
    checkTx(p, o.tx, `${at}tx.`);
    checkBytes(`${at}arqc`, o.arqc, [8]);
  }
  return runAc(p, imk, list, true) as boolean[];
}

/**
 * The issuer's answer to an ARQC (generateEmvArpc): the ARC for method 1 profiles, the CSU (and optional data) for
 * method 2; the other method's fields are refused (ERR_FORMAT). The example is knovichikhin/pyemv's
 * test_cvn_hsm.py test_visa_cvn10 (ARC 3030).
 * @example
 * const response = { arc: hexToBytes('3030') }
 * const tx = { atc: hexToBytes('001C'), unpredictableNumber: hexToBytes('52BF4585') }
 * bytesToHex(generateEmvArpc(VISA_CVN10, hexToBytes('0123456789ABCDEFFEDCBA9876543210'), { pan: '1234567890123456', psn: '00' }, tx, hexToBytes('29CCA15AE665FA2E'), response)) // => '28993816AFAE4AEB'
 */
export interface EmvArpcResponse {
  /** Authorisation response code, 2 bytes (tag 8A): ARPC method 1. */
  arc?: Uint8Array;
  /** Card status update, 4 bytes: ARPC method 2. */
  csu?: Uint8Array;
  /** Proprietary authentication data, 0..8 bytes: ARPC method 2. */
  proprietaryData?: Uint8Array;
}

/** The AC session key (or MK) of a card under a profile; the caller wipes it. */
function acKey(
  p: CvnProfile,
  imk: Uint8Array,
  card: EmvCard,
  atc: Uint8Array,
  un: Uint8Array,
  forArpc: boolean,
): Uint8Array {
  const mk = masterKeys([imk], [card], p.masterKey)[0]![0]!;
  if (p.sessionKey === 'NONE' || (forArpc && p.arpcKey === 'MASTER')) return mk;
  try {
    if (p.sessionKey === 'MASTERCARD') return deriveMastercardSessionKey(mk, atc, un);
    const r = new Uint8Array(8);
    r.set(atc);
    return deriveCommonSessionKey(mk, r);
  } finally {
    mk.fill(0);
  }
}

/**
 * The ARPC answering `arqc` under `profile`: method 1 (8 bytes, with `response.arc`) or method 2 (4 bytes, with
 * `response.csu` and optional `response.proprietaryData`), under the key the profile names. The ARPC does not
 * check the ARQC: verify it first. The example is knovichikhin/pyemv's test_cvn_hsm.py test_visa_cvn18.
 * @param profile one of the EMV_CVN_PROFILES constants; @param imkAc 16 bytes; @param card `{ pan, psn }`
 * @param tx only the ATC and unpredictable number (9F36, 2 bytes; 9F37, 4 bytes)
 * @param arqc 8 bytes; @param response `{ arc }` (2 bytes) or `{ csu, proprietaryData? }` (4 bytes; 0..8 bytes)
 * @example
 * const tx = { atc: hexToBytes('001C'), unpredictableNumber: hexToBytes('52BF4585') }
 * bytesToHex(generateEmvArpc(VISA_CVN18, hexToBytes('0123456789ABCDEFFEDCBA9876543210'), { pan: '1234567890123456', psn: '00' }, tx, hexToBytes('7A788EA6B8A3E733'), { csu: hexToBytes('00000000') })) // => '9AF514C1'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (the response of the other method)
 */
export function generateEmvArpc(
  profile: CvnProfile,
  imkAc: Uint8Array,
  card: EmvCard,
  tx: Pick<EmvTransaction, 'atc' | 'unpredictableNumber'>,
  arqc: Uint8Array,
  response: EmvArpcResponse,
): Uint8Array {
  const p = checkProfile(profile);
  const imk = checkKey16('imkAc', imkAc);
  const c = checkOptions('card', card);
  const cardOk = checkCard(c.pan, c.psn, 'card.');
  const t = checkOptions('tx', tx);
  const atc = checkBytes('tx.atc', t.atc, [2]);
  const un = checkBytes('tx.unpredictableNumber', t.unpredictableNumber, [4]);
  const a = checkBytes('arqc', arqc, [8]);
  const r = checkOptions('response', response);
  if (p.arpcMethod === 1 && r.arc === undefined)
    throw new CardHsmError('ERR_FORMAT', `"response.arc" is required: ${p.name} uses ARPC method 1`, 'response.arc');
  if (p.arpcMethod === 2 && r.csu === undefined)
    throw new CardHsmError('ERR_FORMAT', `"response.csu" is required: ${p.name} uses ARPC method 2`, 'response.csu');
  const key = acKey(p, imk, cardOk, atc, un, true);
  try {
    return p.arpcMethod === 1
      ? generateArpc1(key, a, r.arc as Uint8Array)
      : generateArpc2(key, a, r.csu as Uint8Array, r.proprietaryData as Uint8Array | undefined);
  } finally {
    key.fill(0);
  }
}
