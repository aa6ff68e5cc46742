// ISO 9564-1 PIN blocks, formats 0-3 (64-bit, clear) and format 4 (128-bit, enciphered under AES).
// Format 0/3 XOR the PIN field with a PAN field of the 12 rightmost PAN digits excluding the check digit;
// format 4 enciphers the PIN field, XORs the 128-bit PAN field, and enciphers again (ISO 9564-1:2017 9.4).
//
// Depends on: digits.ts (nibble), aes.ts (format 4), des.ts (translation), memory.ts (PINBLOCK_SCRATCH).
import { nibble } from './digits';
import { aesSetHalves, aesXorHalves, aesEncryptState, aesDecryptState, aesStateHi, aesStateLo, aesClearState } from './aes';
import { tdesBlock } from './des';
import { PINBLOCK_SCRATCH, PINBLOCK_SCRATCH_BYTES } from './memory';

/** Encode record: [0] PIN length, [1..13) PIN ASCII, [13] PAN length, [14..33) PAN ASCII, [33..41) fill bytes. */
export const ENCODE_RECORD: i32 = 48;
/** Decode record: [0..16) block, [16] PAN length, [17..36) PAN ASCII. */
export const DECODE_RECORD: i32 = 48;
/** Output stride: encode writes the 8- or 16-byte block; decode writes [0] status, [1] PIN length, [2..14) PIN. */
export const PINBLOCK_OUT: i32 = 16;
/** Translate record: a decode record (the encrypted block) with, at [36..44), the fill for the new block. */
export const TRANSLATE_RECORD: i32 = 48;
/** Translate output: [0] status, [16..32) the new encrypted block. */
export const TRANSLATE_OUT: i32 = 32;

export const OK: i32 = 0;
export const BAD_CONTROL: i32 = 1;
export const BAD_LENGTH: i32 = 2;
export const BAD_DIGIT: i32 = 3;
export const BAD_FILL: i32 = 4;

@inline function digitAt(p: usize, i: i32): u64 {
  return <u64>load<u8>(p + i) & 15;
}

/** The ISO 0/3 PAN field: 0000 || the 12 rightmost PAN digits excluding the check digit, left-padded with 0. */
function panField(pan: usize, len: i32): u64 {
  let v: u64 = 0;
  const end = len - 1;
  const start = end > 12 ? end - 12 : 0;
  for (let i = start; i < end; i++) v = (v << 4) | digitAt(pan, i);
  return v;
}

/** `v` followed by nibbles `from` .. `to` - 1 of the ISO 4 PAN field M || PAN (at least 12 digits, left-padded
 * with 0) || 0-padding, M being nibble 0. */
function panField4Nibbles(pan: usize, len: i32, from: i32, to: i32, v: u64): u64 {
  const pad = len < 12 ? 12 - len : 0;
  for (let k = from; k < to; k++) {
    const i = k - 1 - pad;
    v = (v << 4) | (i >= 0 && i < len ? digitAt(pan, i) : 0);
  }
  return v;
}
/** The ISO 4 PAN field's two halves. */
@inline function panField4Hi(pan: usize, len: i32): u64 {
  return panField4Nibbles(pan, len, 1, 16, len > 12 ? <u64>(len - 12) : 0);
}
@inline function panField4Lo(pan: usize, len: i32): u64 {
  return panField4Nibbles(pan, len, 16, 32, 0);
}

/** Control || length || PIN || filler nibbles, 16 nibbles; filler from `fill` (format 1/3) or the constant `pad`. */
export function pinField(control: u64, rec: usize, fromFill: bool, pad: u64): u64 {
  const len = <i32>load<u8>(rec);
  let v = (control << 4) | <u64>len;
  for (let i = 0; i < 14; i++) {
    let d: u64;
    if (i < len) d = digitAt(rec + 1, i);
    else if (fromFill) d = <u64>nibble(bswap<u64>(load<u64>(rec + 33)), i - len);
    else d = pad;
    v = (v << 4) | d;
  }
  return v;
}

/** Encodes one record in `format` (0-4) to `out`; format 4 enciphers under the AES schedule `ks` with `nr` rounds. */
function encodeOne(format: i32, ks: usize, nr: i32, rec: usize, out: usize): void {
  const pan = rec + 14;
  const panLen = <i32>load<u8>(rec + 13);
  if (format == 4) {
    aesSetHalves(pinField(4, rec, false, 0xa), bswap<u64>(load<u64>(rec + 33)));
    aesEncryptState(ks, nr);
    aesXorHalves(panField4Hi(pan, panLen), panField4Lo(pan, panLen));
    aesEncryptState(ks, nr);
    store<u64>(out, bswap<u64>(aesStateHi()));
    store<u64>(out + 8, bswap<u64>(aesStateLo()));
    aesClearState();
  } else {
    let v = pinField(<u64>format, rec, format == 1 || format == 3, 0xf);
    if (format == 0 || format == 3) v ^= panField(pan, panLen);
    store<u64>(out, bswap<u64>(v));
  }
}

/** Encodes `n` records in `format` (0-4); format 4 enciphers under the AES schedule `ks` with `nr` rounds. */
export function pinblockEncode(format: i32, ks: usize, nr: i32, src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) encodeOne(format, ks, nr, src + <usize>(i * ENCODE_RECORD), dst + <usize>(i * PINBLOCK_OUT));
}

/** Checks a 16-nibble PIN field; writes the PIN to `out` + 2 and its length to `out` + 1; returns a status. */
function checkPinField(v: u64, format: i32, out: usize): i32 {
  if (<i32>nibble(v, 0) != format) return BAD_CONTROL;
  const len = <i32>nibble(v, 1);
  if (len < 4 || len > 12) return BAD_LENGTH;
  for (let i = 0; i < len; i++) {
    const d = nibble(v, 2 + i);
    if (d > 9) return BAD_DIGIT;
    store<u8>(out + 2 + i, <u8>(48 + d));
  }
  for (let i = 2 + len; i < 16; i++) {
    const d = nibble(v, i);
    // Format 1's filler is unconstrained; 0 and 2 pad with F; 3 with random A-F; 4 with A.
    if ((format == 0 || format == 2) && d != 15) return BAD_FILL;
    if (format == 3 && d < 10) return BAD_FILL;
    if (format == 4 && d != 10) return BAD_FILL;
  }
  store<u8>(out + 1, <u8>len);
  return OK;
}

/** Decodes one record to `out`: a status byte (OK or BAD_*), then on OK the PIN's length and digits. */
export function decodeOne(format: i32, ks: usize, nr: i32, rec: usize, out: usize): void {
  const pan = rec + 17;
  const panLen = <i32>load<u8>(rec + 16);
  let v: u64;
  if (format == 4) {
    aesSetHalves(bswap<u64>(load<u64>(rec)), bswap<u64>(load<u64>(rec + 8)));
    aesDecryptState(ks, nr);
    aesXorHalves(panField4Hi(pan, panLen), panField4Lo(pan, panLen));
    aesDecryptState(ks, nr);
    v = aesStateHi();
    aesClearState();
  } else {
    v = bswap<u64>(load<u64>(rec));
    if (format == 0 || format == 3) v ^= panField(pan, panLen);
  }
  const status = checkPinField(v, format, out);
  store<u8>(out, <u8>status);
  if (status != OK) memory.fill(out + 1, 0, PINBLOCK_OUT - 1);
}

/** Decodes `n` records; each output starts with a status byte (OK or BAD_*). */
export function pinblockDecode(format: i32, ks: usize, nr: i32, src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) decodeOne(format, ks, nr, src + <usize>(i * DECODE_RECORD), dst + <usize>(i * PINBLOCK_OUT));
}

// Scratch for a translation (memory.ts PINBLOCK_SCRATCH): the decrypted block's record, the clear PIN, and the new
// block's encode record. Wiped before pinblockTranslate returns, so the clear PIN never outlives the call, nor
// reaches JS.
if (DECODE_RECORD + PINBLOCK_OUT + ENCODE_RECORD != PINBLOCK_SCRATCH_BYTES) ERROR('pinblock.ts: the translation scratch must fill memory.ts PINBLOCK_SCRATCH');
const TRANSLATE_SCRATCH = PINBLOCK_SCRATCH;

/**
 * Translates one encrypted PIN block (ISO 9564-1 translation): decrypts it under the `from` key and decodes it in
 * format `from`, then encodes the PIN in format `to` and encrypts it under the `to` key. Formats 0, 1 and 3 use
 * TDES schedules (`*Mode` = 1 for a single-DES key), format 4 AES schedules (`*Mode` = the rounds). Writes the
 * status to `out`[0] and, on OK, the new block to `out` + 16.
 */
export function pinblockTranslate(from: i32, fromKs: usize, fromMode: i32, to: i32, toKs: usize, toMode: i32, rec: usize, out: usize): void {
  const clear = TRANSLATE_SCRATCH;
  const pin = clear + DECODE_RECORD;
  const next = pin + PINBLOCK_OUT;
  memory.copy(clear, rec, DECODE_RECORD);
  if (from != 4) store<u64>(clear, bswap<u64>(tdesBlock(bswap<u64>(load<u64>(rec)), fromKs, true, fromMode != 0)));
  decodeOne(from, fromKs, fromMode, clear, pin);
  const status = load<u8>(pin);
  store<u8>(out, status);
  if (status == OK) {
    // The encode record: PIN length and digits, the PAN, the fill.
    store<u8>(next, load<u8>(pin + 1));
    memory.copy(next + 1, pin + 2, 12);
    store<u8>(next + 13, load<u8>(rec + 16));
    memory.copy(next + 14, rec + 17, 19);
    memory.copy(next + 33, rec + 36, 8);
    const block = out + 16;
    encodeOne(to, toKs, toMode, next, block);
    if (to != 4) store<u64>(block, bswap<u64>(tdesBlock(bswap<u64>(load<u64>(block)), toKs, false, toMode != 0)));
  }
  memory.fill(clear, 0, DECODE_RECORD + PINBLOCK_OUT + ENCODE_RECORD);
}
