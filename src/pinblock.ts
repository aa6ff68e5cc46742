// ISO 9564-1 PIN blocks. Formats 0-3 are 8-byte clear blocks (the caller encrypts them under a PIN key);
// format 4 (ISO 9564-1:2017) is a 16-byte block enciphered under an AES key as part of its definition.
//   0: 0 | L | PIN | F… XOR 0000 | 12 rightmost PAN digits excluding the check digit
//   1: 1 | L | PIN | fill 0-F (no PAN)        2: 2 | L | PIN | F… (no PAN; IC card offline PIN)
//   3: 3 | L | PIN | fill A-F, XOR the format 0 PAN field
//   4: AES(K, AES(K, 4 | L | PIN | A… | 8 random bytes) XOR (M | PAN | 0…)), M = PAN length - 12
import { randomBytes } from './_bytes.js';
import { checkArray, checkBytes, checkDigits, checkDigitFields, checkHex, checkOptions } from './_validate.js';
import { withKernel, keySchedule, putAscii, getAscii, mapRecords, ALG_AES, type Kernel, type RecordLayout } from './wasm/_calls.js';
import { checkSide, checkTranslation, packNibbles, pinKeySchedule, randomNibbles, requireDecoded, translationFill, writeDecodeRecord, OUT, RECORD, TRANSLATE_OUT, TRANSLATE_RECORD } from './_pinblock.js';

/**
 * ISO 9564-1 formats of PIN blocks in transit: 0, 1 and 3 under TDES PIN keys, 4 under AES. (Format 2 is for IC
 * cards offline and never travels encrypted: it has its own codec, and no translation or PIN key takes it.)
 */
export type PinBlockFormat = 0 | 1 | 3 | 4;

/** Every format this module encodes. */
type Format = PinBlockFormat | 2;

/** Filler nibbles for `count` positions: `fill` as given (validated), else from the CSPRNG in the format's range. */
function fillBytes(format: Format, pin: string, fill: unknown): Uint8Array {
  const count = 14 - pin.length;
  let nibbles: number[];
  if (fill === undefined) {
    nibbles = randomNibbles(count, format === 3);
  } else {
    const hex = checkHex('fill', fill, count, format === 3 ? 'ABCDEF' : undefined);
    nibbles = Array.from(hex, (c) => parseInt(c, 16));
  }
  return packNibbles(nibbles);
}

function writeEncodeRecord(m: Uint8Array, rec: number, pin: string, pan: string, fill: Uint8Array): void {
  m[rec] = pin.length;
  putAscii(m, rec + 1, pin);
  m[rec + 13] = pan.length;
  putAscii(m, rec + 14, pan);
  m.set(fill, rec + 33);
}

function aesSchedule(k: Kernel, key: Uint8Array | undefined): [number, number] {
  return key === undefined ? [0, 0] : keySchedule(k, ALG_AES, key);
}

interface EncodeRecord {
  pin: string;
  pan: string;
  fill: Uint8Array;
}

/** Encodes many validated records in as few kernel calls as the buffers allow. */
function encodeMany(format: Format, records: readonly EncodeRecord[], key?: Uint8Array): Uint8Array[] {
  const size = format === 4 ? 16 : 8;
  const layout: RecordLayout<EncodeRecord, Uint8Array> = {
    recordBytes: RECORD,
    outBytes: OUT,
    write: (m, rec, r) => writeEncodeRecord(m, rec, r.pin, r.pan, r.fill),
    read: (m, out) => m.slice(out, out + size),
  };
  return mapRecords(records, layout, (k) => {
    const [ks, nr] = aesSchedule(k, key);
    return (n) => k.x.pinblockEncode(format, ks, nr, k.IN, k.OUT, n);
  });
}

function encode(format: Format, pin: string, pan: string, fill: Uint8Array, key?: Uint8Array): Uint8Array {
  return encodeMany(format, [{ pin, pan, fill }], key)[0]!;
}

function decode(format: Format, block: Uint8Array, pan: string, key?: Uint8Array): string {
  return withKernel(RECORD, OUT, (k) => {
    const [ks, nr] = aesSchedule(k, key);
    const m = k.mem;
    writeDecodeRecord(m, k.IN, block, pan);
    k.x.pinblockDecode(format, ks, nr, k.IN, k.OUT, 1);
    requireDecoded(format, m[k.OUT]!);
    return getAscii(m, k.OUT + 2, m[k.OUT + 1]!);
  });
}

const checkPin = (pin: unknown): string => checkDigits('pin', pin, 4, 12);
const checkPan = (pan: unknown, min = 2): string => checkDigits('pan', pan, min, 19);
const checkBlock = (block: unknown, size = 8): Uint8Array => checkBytes('pinBlock', block, [size]);
const NO_FILL = new Uint8Array(8);
const ISO0_ITEM = [['pin', 4, 12], ['pan', 2, 19]] as const;

/**
 * ISO 9564-1 format 0 clear PIN block.
 * @example bytesToHex(encodePinBlockIso0('1234', '4111111111111111')) // '041225EEEEEEEEEE'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (PIN 4..12 digits, PAN 2..19 digits)
 */
export function encodePinBlockIso0(pin: string, pan: string): Uint8Array {
  return encode(0, checkPin(pin), checkPan(pan), NO_FILL);
}

/** The PIN in a format 0 block. @throws ERR_PINBLOCK_FORMAT (wrong control, length, digit or F filler), ERR_TYPE, ERR_LENGTH */
export function decodePinBlockIso0(block: Uint8Array, pan: string): string {
  return decode(0, checkBlock(block), checkPan(pan));
}

/**
 * ISO 9564-1 format 1 block (no PAN). `fill`: the 14 - PIN length filler nibbles as hex; random when omitted.
 * @example bytesToHex(encodePinBlockIso1('1234', '0123456789')) // '1412340123456789'
 */
export function encodePinBlockIso1(pin: string, fill?: string): Uint8Array {
  const p = checkPin(pin);
  return encode(1, p, '', fillBytes(1, p, fill));
}

/** The PIN in a format 1 block. @throws ERR_PINBLOCK_FORMAT, ERR_TYPE, ERR_LENGTH */
export function decodePinBlockIso1(block: Uint8Array): string {
  return decode(1, checkBlock(block), '');
}

/**
 * ISO 9564-1 format 2 block (no PAN; IC card offline PIN).
 * @example bytesToHex(encodePinBlockIso2('1234')) // '241234FFFFFFFFFF'
 */
export function encodePinBlockIso2(pin: string): Uint8Array {
  return encode(2, checkPin(pin), '', NO_FILL);
}

/** The PIN in a format 2 block. @throws ERR_PINBLOCK_FORMAT, ERR_TYPE, ERR_LENGTH */
export function decodePinBlockIso2(block: Uint8Array): string {
  return decode(2, checkBlock(block), '');
}

/**
 * ISO 9564-1 format 3 block. `fill`: the 14 - PIN length filler nibbles, A-F only; random when omitted.
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT
 */
export function encodePinBlockIso3(pin: string, pan: string, fill?: string): Uint8Array {
  const p = checkPin(pin);
  const a = checkPan(pan);
  return encode(3, p, a, fillBytes(3, p, fill));
}

/** The PIN in a format 3 block. @throws ERR_PINBLOCK_FORMAT (wrong control, length, digit or non A-F filler) */
export function decodePinBlockIso3(block: Uint8Array, pan: string): string {
  return decode(3, checkBlock(block), checkPan(pan));
}

/**
 * ISO 9564-1:2017 format 4: the PIN enciphered under an AES key (16, 24 or 32 bytes) with the PAN (1..19 digits);
 * `fill` is the 8-byte random field (from the CSPRNG when omitted). Returns the 16-byte enciphered block.
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT
 */
export function encipherPinBlockIso4(key: Uint8Array, pin: string, pan: string, fill?: Uint8Array): Uint8Array {
  checkBytes('key', key, [16, 24, 32]);
  const p = checkPin(pin);
  const a = checkPan(pan, 1);
  const random = fill === undefined ? randomBytes(8) : checkBytes('fill', fill, [8]);
  return encode(4, p, a, random, key);
}

/** The PIN in a format 4 block enciphered under `key`. @throws ERR_PINBLOCK_FORMAT (a wrong key or PAN shows up here) */
export function decipherPinBlockIso4(key: Uint8Array, block: Uint8Array, pan: string): string {
  checkBytes('key', key, [16, 24, 32]);
  return decode(4, checkBlock(block, 16), checkPan(pan, 1), key);
}

/**
 * Format 0 blocks for many PIN/PAN pairs in one pass through the kernel; one 8-byte block per item, in order.
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (field names carry the index: `items[3].pin`)
 */
export function encodePinBlockIso0Batch(items: readonly { pin: string; pan: string }[]): Uint8Array[] {
  const records = checkArray('items', items).map((item, i) => ({ ...checkDigitFields(`items[${i}].`, item, ISO0_ITEM), fill: NO_FILL }));
  return encodeMany(0, records);
}

/** A PIN key and the ISO 9564 format of the blocks under it, for translatePinBlock. */
export interface PinBlockSide {
  /** TDES (8, 16 or 24 bytes) for formats 0, 1 and 3; AES (16, 24 or 32 bytes) for format 4. */
  key: Uint8Array;
  format: PinBlockFormat;
}

/**
 * ISO 9564-1 PIN translation: decrypts an encrypted PIN block under `from.key`, decodes it in `from.format`, and
 * re-encodes and encrypts the PIN in `to.format` under `to.key` — in one kernel call, so that the clear PIN
 * exists only in WASM memory, wiped before the call returns. Formats 0, 1, 3 (TDES ECB) and 4 (AES encipherment);
 * format 2 is for IC cards offline and never travels encrypted. Translation into format 1 from 0, 3 or 4 is
 * refused: format 1 carries no PAN, so it would strip the PAN binding that stops PIN-block attacks.
 * @example bytesToHex(translatePinBlock({ pinBlock: hexToBytes('230B4C43B8BA2C5C'), pan: '5555555551234567', from: { key: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), format: 0 }, to: { key: hexToBytes('FEDCBA98765432100123456789ABCDEF'), format: 0 } })) // '1D399B7C36398D29'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT, ERR_PIN_TRANSLATION, ERR_PINBLOCK_FORMAT (a block that does not decode:
 *   a wrong key, PAN or format)
 */
export function translatePinBlock(options: { pinBlock: Uint8Array; pan: string; from: PinBlockSide; to: PinBlockSide }): Uint8Array {
  const o = checkOptions('options', options);
  const from = checkSide('from', o.from);
  const to = checkSide('to', o.to);
  checkTranslation(from.format, to.format);
  const pan = checkPan(o.pan);
  const block = checkBlock(o.pinBlock, from.format === 4 ? 16 : 8);
  const fill = translationFill(to.format);
  try {
    return withKernel(TRANSLATE_RECORD, TRANSLATE_OUT, (k) => {
      const [fromKs, fromMode] = pinKeySchedule(k, from);
      const [toKs, toMode] = pinKeySchedule(k, to);
      const m = k.mem;
      writeDecodeRecord(m, k.IN, block, pan);
      m.set(fill, k.IN + 36);
      k.x.pinblockTranslate(from.format, fromKs, fromMode, to.format, toKs, toMode, k.IN, k.OUT);
      requireDecoded(from.format, m[k.OUT]!);
      return m.slice(k.OUT + 16, k.OUT + 16 + (to.format === 4 ? 16 : 8));
    });
  } finally {
    fill.fill(0);
  }
}
