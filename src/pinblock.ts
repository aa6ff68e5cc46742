// ISO 9564-1 PIN blocks. Formats 0-3 are 8-byte clear blocks (the caller encrypts them under a PIN key);
// format 4 (ISO 9564-1:2017) is a 16-byte block enciphered under an AES key as part of its definition.
//   0: 0 | L | PIN | F… XOR 0000 | 12 rightmost PAN digits excluding the check digit
//   1: 1 | L | PIN | fill 0-F (no PAN)        2: 2 | L | PIN | F… (no PAN; IC card offline PIN)
//   3: 3 | L | PIN | fill A-F, XOR the format 0 PAN field
//   4: AES(K, AES(K, 4 | L | PIN | A… | 8 random bytes) XOR (M | PAN | 0…)), M = PAN length - 12
import { randomBytes } from './_bytes.js';
import { checkArray, checkBytes, checkDigits, checkDigitFields, checkHex, checkOptions } from './_validate.js';
import {
  withKernel,
  keySchedule,
  putAscii,
  getAscii,
  mapRecords,
  ALG_AES,
  type Kernel,
  type RecordLayout,
} from './wasm/_calls.js';
import {
  checkSide,
  checkTranslation,
  packNibbles,
  pinKeySchedule,
  randomNibbles,
  requireDecoded,
  translationFill,
  writeDecodeRecord,
  OUT,
  RECORD,
  TRANSLATE_OUT,
  TRANSLATE_RECORD,
} from './_pinblock.js';

/**
 * ISO 9564-1 formats of PIN blocks in transit: 0, 1 and 3 under TDES PIN keys, 4 under AES. (Format 2 is for IC
 * cards offline and never travels encrypted: it has its own codec, and no translation or PIN key takes it.) The
 * block is psec's ISO 0 vector (PIN 1234) encrypted under a test key; its translation to format 3 keeps the PIN.
 * @example
 * const format = 3
 * const block = translatePinBlock({ pinBlock: hexToBytes('230B4C43B8BA2C5C'), pan: '5555555551234567', from: { key: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), format: 0 }, to: { key: hexToBytes('FEDCBA98765432100123456789ABCDEF'), format } })
 * decodePinBlockIso3(tdesDecryptEcb(hexToBytes('FEDCBA98765432100123456789ABCDEF'), block), '5555555551234567') // => '1234'
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
const ISO0_ITEM = [
  ['pin', 4, 12],
  ['pan', 2, 19],
] as const;

/**
 * ISO 9564-1 format 0 clear PIN block (8 bytes) of `pin` (4..12 digits) bound to `pan` (2..19 digits; its 12
 * rightmost digits excluding the check digit). Encrypt it under a PIN key for transit. The examples are psec's
 * test_encode_pinblock_iso_0 and the Thales payShield manual's format 01 example (test/vectors/pinblock.json).
 * @example
 * bytesToHex(encodePinBlockIso0('1234', '5555555551234567')) // => '041261AAAAEDCBA9'
 * bytesToHex(encodePinBlockIso0('92389', '4000001234562')) // => '0592789FFFEDCBA9'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (PIN 4..12 digits, PAN 2..19 digits)
 */
export function encodePinBlockIso0(pin: string, pan: string): Uint8Array {
  return encode(0, checkPin(pin), checkPan(pan), NO_FILL);
}

/**
 * The PIN (4..12 digits) in a format 0 clear block (8 bytes) bound to `pan` (2..19 digits). The example is psec's
 * test_decode_pinblock_iso_0; under another PAN the block does not decode.
 * @example
 * decodePinBlockIso0(hexToBytes('041261AAAAEDCBA9'), '5555555551234567') // => '1234'
 * (() => { try { decodePinBlockIso0(hexToBytes('041261AAAAEDCBA9'), '4111111111111111') } catch (e) { return e.code } })() // => 'ERR_PINBLOCK_FORMAT'
 * @throws ERR_PINBLOCK_FORMAT (wrong control, length, digit or F filler), ERR_TYPE, ERR_LENGTH
 */
export function decodePinBlockIso0(block: Uint8Array, pan: string): string {
  return decode(0, checkBlock(block), checkPan(pan));
}

/**
 * ISO 9564-1 format 1 clear block (8 bytes, no PAN) of `pin` (4..12 digits). `fill`: the 14 - PIN length filler
 * nibbles as hex (0-F); from the CSPRNG when omitted. The example is IBM CCA's ISO-1 example (Basic Services
 * Reference, Appendix E).
 * @example
 * bytesToHex(encodePinBlockIso1('123456', '6ABCFDE1')) // => '161234566ABCFDE1'
 * decodePinBlockIso1(encodePinBlockIso1('1234')) // => '1234'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (PIN; fill of the wrong length or not hex)
 */
export function encodePinBlockIso1(pin: string, fill?: string): Uint8Array {
  const p = checkPin(pin);
  return encode(1, p, '', fillBytes(1, p, fill));
}

/**
 * The PIN (4..12 digits) in a format 1 clear block (8 bytes). The example is IBM CCA's ISO-1 example.
 * @example
 * decodePinBlockIso1(hexToBytes('161234566ABCFDE1')) // => '123456'
 * @throws ERR_PINBLOCK_FORMAT, ERR_TYPE, ERR_LENGTH
 */
export function decodePinBlockIso1(block: Uint8Array): string {
  return decode(1, checkBlock(block), '');
}

/**
 * ISO 9564-1 format 2 clear block (8 bytes, no PAN, F filler; IC card offline PIN) of `pin` (4..12 digits). The
 * example is psec's test_encode_pinblock_iso_2.
 * @example
 * bytesToHex(encodePinBlockIso2('1234')) // => '241234FFFFFFFFFF'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT
 */
export function encodePinBlockIso2(pin: string): Uint8Array {
  return encode(2, checkPin(pin), '', NO_FILL);
}

/**
 * The PIN (4..12 digits) in a format 2 clear block (8 bytes). The example is psec's test_decode_pinblock_iso_2; a
 * format 0 block is refused.
 * @example
 * decodePinBlockIso2(hexToBytes('241234FFFFFFFFFF')) // => '1234'
 * (() => { try { decodePinBlockIso2(hexToBytes('041261AAAAEDCBA9')) } catch (e) { return e.code } })() // => 'ERR_PINBLOCK_FORMAT'
 * @throws ERR_PINBLOCK_FORMAT, ERR_TYPE, ERR_LENGTH
 */
export function decodePinBlockIso2(block: Uint8Array): string {
  return decode(2, checkBlock(block), '');
}

/**
 * ISO 9564-1 format 3 clear block (8 bytes) of `pin` (4..12 digits) bound to `pan` (2..19 digits, as format 0).
 * `fill`: the 14 - PIN length filler nibbles, A-F only; from the CSPRNG when omitted. The example is paysec's
 * test_encode_pinblock_iso_3 (fill all F).
 * @example
 * bytesToHex(encodePinBlockIso3('1234', '12345678901234', 'FFFFFFFFFF')) // => '341217BA9876FEDC'
 * (() => { try { encodePinBlockIso3('1234', '12345678901234', '0123456789') } catch (e) { return [e.code, e.field] } })() // => ['ERR_FORMAT', 'fill']
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT
 */
export function encodePinBlockIso3(pin: string, pan: string, fill?: string): Uint8Array {
  const p = checkPin(pin);
  const a = checkPan(pan);
  return encode(3, p, a, fillBytes(3, p, fill));
}

/**
 * The PIN (4..12 digits) in a format 3 clear block (8 bytes) bound to `pan` (2..19 digits). The example is
 * paysec's test_decode_pinblock_iso_3.
 * @example
 * decodePinBlockIso3(hexToBytes('341217BA9876FEDC'), '12345678901234') // => '1234'
 * @throws ERR_PINBLOCK_FORMAT (wrong control, length, digit or non A-F filler), ERR_TYPE, ERR_LENGTH
 */
export function decodePinBlockIso3(block: Uint8Array, pan: string): string {
  return decode(3, checkBlock(block), checkPan(pan));
}

/**
 * ISO 9564-1:2017 format 4: `pin` (4..12 digits) enciphered under an AES key (16, 24 or 32 bytes) with `pan`
 * (1..19 digits); `fill` is the 8-byte random field (from the CSPRNG when omitted). Returns the 16-byte enciphered
 * block. The example is psec's encipher_pinblock_iso_4 docstring (fill 1122334455667788).
 * @example
 * bytesToHex(encipherPinBlockIso4(hexToBytes('00112233445566778899AABBCCDDEEFF'), '1234', '1234567890123456', hexToBytes('1122334455667788'))) // => '7CDF645C86CAF763AE34637A66997534'
 * encipherPinBlockIso4(hexToBytes('00112233445566778899AABBCCDDEEFF'), '1234', '1234567890123456').length // => 16
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT
 */
export function encipherPinBlockIso4(key: Uint8Array, pin: string, pan: string, fill?: Uint8Array): Uint8Array {
  checkBytes('key', key, [16, 24, 32]);
  const p = checkPin(pin);
  const a = checkPan(pan, 1);
  const random = fill === undefined ? randomBytes(8) : checkBytes('fill', fill, [8]);
  return encode(4, p, a, random, key);
}

/**
 * The PIN (4..12 digits) in a format 4 block (16 bytes) enciphered under `key` (AES, 16, 24 or 32 bytes) with
 * `pan` (1..19 digits). The example reverses psec's encipher_pinblock_iso_4 docstring; another PAN fails.
 * @example
 * decipherPinBlockIso4(hexToBytes('00112233445566778899AABBCCDDEEFF'), hexToBytes('7CDF645C86CAF763AE34637A66997534'), '1234567890123456') // => '1234'
 * (() => { try { decipherPinBlockIso4(hexToBytes('00112233445566778899AABBCCDDEEFF'), hexToBytes('7CDF645C86CAF763AE34637A66997534'), '1234567890123457') } catch (e) { return e.code } })() // => 'ERR_PINBLOCK_FORMAT'
 * @throws ERR_PINBLOCK_FORMAT (a wrong key or PAN shows up here), ERR_TYPE, ERR_LENGTH
 */
export function decipherPinBlockIso4(key: Uint8Array, block: Uint8Array, pan: string): string {
  checkBytes('key', key, [16, 24, 32]);
  return decode(4, checkBlock(block, 16), checkPan(pan, 1), key);
}

/**
 * Format 0 blocks for many PIN/PAN pairs (PIN 4..12 digits, PAN 2..19) in one pass through the kernel; one 8-byte
 * block per item, in order. The examples are psec's and the Thales payShield manual's (see encodePinBlockIso0).
 * @example
 * encodePinBlockIso0Batch([{ pin: '1234', pan: '5555555551234567' }, { pin: '92389', pan: '4000001234562' }]).map(bytesToHex) // => ['041261AAAAEDCBA9', '0592789FFFEDCBA9']
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (field names carry the index: `items[3].pin`)
 */
export function encodePinBlockIso0Batch(items: readonly { pin: string; pan: string }[]): Uint8Array[] {
  const records = checkArray('items', items).map((item, i) => ({
    ...checkDigitFields(`items[${i}].`, item, ISO0_ITEM),
    fill: NO_FILL,
  }));
  return encodeMany(0, records);
}

/**
 * A PIN key and the ISO 9564 format of the blocks under it, for translatePinBlock. The example turns psec's ISO 0
 * block (PIN 1234) under a TDES key into a format 4 block under an AES key.
 * @example
 * const from = { key: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), format: 0 }
 * const to = { key: hexToBytes('00112233445566778899AABBCCDDEEFF'), format: 4 }
 * const block = translatePinBlock({ pinBlock: hexToBytes('230B4C43B8BA2C5C'), pan: '5555555551234567', from, to })
 * decipherPinBlockIso4(to.key, block, '5555555551234567') // => '1234'
 */
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
 * refused: format 1 carries no PAN, so it would strip the PAN binding that stops PIN-block attacks. `pinBlock` is
 * 8 bytes (16 for format 4), `pan` 2..19 digits; returns the new block, 8 or 16 bytes. The example is psec's ISO 0
 * block (PIN 1234, test_encode_pinblock_iso_0) under one TDES key translated to another, checked against the
 * reference implementation in test/helpers.
 * @example
 * bytesToHex(translatePinBlock({ pinBlock: hexToBytes('230B4C43B8BA2C5C'), pan: '5555555551234567', from: { key: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), format: 0 }, to: { key: hexToBytes('FEDCBA98765432100123456789ABCDEF'), format: 0 } })) // => '1D399B7C36398D29'
 * (() => { try { translatePinBlock({ pinBlock: hexToBytes('230B4C43B8BA2C5C'), pan: '5555555551234567', from: { key: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), format: 0 }, to: { key: hexToBytes('FEDCBA98765432100123456789ABCDEF'), format: 1 } }) } catch (e) { return e.code } })() // => 'ERR_PIN_TRANSLATION'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT, ERR_PIN_TRANSLATION, ERR_PINBLOCK_FORMAT (a block that does not decode:
 *   a wrong key, PAN or format)
 */
export function translatePinBlock(options: {
  pinBlock: Uint8Array;
  pan: string;
  from: PinBlockSide;
  to: PinBlockSide;
}): Uint8Array {
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
