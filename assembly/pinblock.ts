// ISO 9564-1 PIN blocks, formats 0-3 (64-bit, clear) and format 4 (128-bit, enciphered under AES).
// Format 0/3 XOR the PIN field with a PAN field of the 12 rightmost PAN digits excluding the check digit;
// format 4 enciphers the PIN field, XORs the 128-bit PAN field, and enciphers again (ISO 9564-1:2017 9.4).
import { nibble } from './digits';
import { aesSetHalves, aesXorHalves, aesEncryptState, aesDecryptState, aesStateHi, aesStateLo, aesClearState } from './aes';

/** Encode record: [0] PIN length, [1..13) PIN ASCII, [13] PAN length, [14..33) PAN ASCII, [33..41) fill bytes. */
export const ENCODE_RECORD: i32 = 48;
/** Decode record: [0..16) block, [16] PAN length, [17..36) PAN ASCII. */
export const DECODE_RECORD: i32 = 48;
/** Output stride: encode writes the 8- or 16-byte block; decode writes [0] status, [1] PIN length, [2..14) PIN. */
export const PINBLOCK_OUT: i32 = 16;

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

/** The ISO 4 PAN field as two halves: M || PAN (at least 12 digits, left-padded with 0) || 0-padding. */
function panField4Hi(pan: usize, len: i32): u64 {
  const m: u64 = len > 12 ? <u64>(len - 12) : 0;
  const pad = len < 12 ? 12 - len : 0;
  let v = m;
  for (let k = 1; k < 16; k++) {
    const i = k - 1 - pad;
    v = (v << 4) | (i >= 0 && i < len ? digitAt(pan, i) : 0);
  }
  return v;
}
function panField4Lo(pan: usize, len: i32): u64 {
  const pad = len < 12 ? 12 - len : 0;
  let v: u64 = 0;
  for (let k = 16; k < 32; k++) {
    const i = k - 1 - pad;
    v = (v << 4) | (i >= 0 && i < len ? digitAt(pan, i) : 0);
  }
  return v;
}

/** Control || length || PIN || filler nibbles, 16 nibbles; filler from `fill` (format 1/3) or the constant `pad`. */
function pinField(control: u64, rec: usize, fromFill: bool, pad: u64): u64 {
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

/** Encodes `n` records in `format` (0-4); format 4 enciphers under the AES schedule `ks` with `nr` rounds. */
export function pinblockEncode(format: i32, ks: usize, nr: i32, src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const rec = src + <usize>(i * ENCODE_RECORD);
    const out = dst + <usize>(i * PINBLOCK_OUT);
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

/** Decodes `n` records; each output starts with a status byte (OK or BAD_*). */
export function pinblockDecode(format: i32, ks: usize, nr: i32, src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const rec = src + <usize>(i * DECODE_RECORD);
    const out = dst + <usize>(i * PINBLOCK_OUT);
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
}
