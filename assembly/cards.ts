// Issuing cards in batches (src/issue/cards.ts drives it): for a chunk of up to CARDS_CHUNK cards, each stage
// runs over the whole chunk in the scratch region below, so that a card costs no JS string until its finished
// record is written out — PAN, CVV, CVV2, iCVV, token, encrypted PIN block and PVV, as ASCII in one buffer.
//
// A chunk is one sequence of calls: cardsStart, then the PANs (from counters or given), then any of cardsCvvs,
// cardsTokens, a PIN source (cardsDerivePins or cardsPinsGiven) followed by cardsPvvs, cardsIso4Fill (AES PIN
// keys) and cardsPinBlocks, then cardsWrite; the caller ends every sequence, successful or not, with cardsWipe (the
// scratch holds clear PINs).
//
// Depends on: des.ts (tdesEcb), cvv.ts, pvv.ts, pinblock.ts (encoding), ff1.ts (PANs and tokens), luhn.ts, aes.ts
// (clearing its state), memory.ts (CARDS_SCRATCH).
import { tdesEcb } from './des';
import { cvvBatch, CVV_RECORD } from './cvv';
import { pvvBatch } from './pvv';
import { pinblockEncode, ENCODE_RECORD, PINBLOCK_OUT } from './pinblock';
import { ff1Prepare, ff1One, ff1WalkBatch } from './ff1';
import { luhnSum } from './luhn';
import { wipe, CARDS_SCRATCH, CARDS_SCRATCH_BYTES } from './memory';
import { aesClearState } from './aes';

/** Cards per chunk: the caller splits larger batches. */
export const CARDS_CHUNK: i32 = 2048;

/** Token modes (src/token.ts): FF1 over the middle once, or cycle-walked to a Luhn-valid / -invalid number. */
export const TOKEN_ANY: i32 = 0;
export const TOKEN_VALID: i32 = 1;
export const TOKEN_INVALID: i32 = 2;
export const TOKEN_ALPHANUMERIC: i32 = 3;

const PIN_MAX: i32 = 12;
const C = <usize>CARDS_CHUNK;
// Scratch, one region (memory.ts CARDS_SCRATCH) so that cardsWipe clears it in one call; per card:
const RECS_BYTES = C * <usize>CVV_RECORD; //     PAN || expiry || service code (the CVV record)
const CVVS_BYTES = C * 9; //                      CVV, CVV2, iCVV (3 digits each, one array each)
const TOKENS_BYTES = C * 19; //                   the token's digit values, stride panLen
const BLOCKS_BYTES = C * 8; //                    TDES blocks: the PIN derivation's, then ISO 0
const PINS_BYTES = C * <usize>PIN_MAX; //         PIN digits (ASCII), stride pinLen
const TODO_BYTES = C * 8; //                      PIN derivation: cards still drawing, and their runs
const PIN_RECS_BYTES = C * <usize>ENCODE_RECORD; // PIN block records (pinblock.ts)
const PIN_OUT_BYTES = C * <usize>PINBLOCK_OUT; // PIN blocks (8 or 16 bytes, stride 16)
const TSPS_BYTES = C * 16; //                     PVV inputs
const PVVS_BYTES = C * 4; //                      PVVs
const SCRATCH_BYTES = RECS_BYTES + CVVS_BYTES + TOKENS_BYTES + BLOCKS_BYTES + PINS_BYTES + TODO_BYTES + PIN_RECS_BYTES + PIN_OUT_BYTES + TSPS_BYTES + PVVS_BYTES;
if (SCRATCH_BYTES != CARDS_SCRATCH_BYTES) ERROR('cards.ts: the scratch layout must fill memory.ts CARDS_SCRATCH');
const SCRATCH = CARDS_SCRATCH;
const RECS = SCRATCH;
const CVVS = RECS + RECS_BYTES;
const TOKENS = CVVS + CVVS_BYTES;
const BLOCKS = TOKENS + TOKENS_BYTES;
const PINS = BLOCKS + BLOCKS_BYTES;
const TODO = PINS + PINS_BYTES;
const PIN_RECS = TODO + TODO_BYTES;
const PIN_OUT = PIN_RECS + PIN_RECS_BYTES;
const TSPS = PIN_OUT + PIN_OUT_BYTES;
const PVVS = TSPS + TSPS_BYTES;

let n: i32 = 0;
let panLen: i32 = 0;
let pinLen: i32 = 0;
let pinBlockBytes: i32 = 0;

@inline function rec(i: i32): usize {
  return RECS + <usize>i * CVV_RECORD;
}

/** Starts a chunk of `count` (1..CARDS_CHUNK) cards whose PANs have `len` (13..19) digits. */
export function cardsStart(count: i32, len: i32): void {
  n = count;
  panLen = len;
  pinLen = 0;
  pinBlockBytes = 0;
}

/** Writes the Luhn check digit after the `len` ASCII digits at `p`. */
@inline function appendLuhn(p: usize, len: i32): void {
  store<u8>(p + len, <u8>(48 + (10 - luhnSum(p, len, true)) % 10));
}

/**
 * The PANs of counters start .. start+count-1 (src/issue/pan.ts): prefix || FF1(panKey, tweak = the prefix in
 * ASCII, the counter's body digits) || Luhn digit. The body has panLen - binLen - 1 >= 6 digits.
 */
export function cardsPansFromCounters(ks: usize, nr: i32, bin: usize, binLen: i32, start: f64): void {
  const k = panLen - binLen - 1;
  ff1Prepare(ks, nr, 10, k, bin, binLen);
  for (let i = 0; i < n; i++) {
    const r = rec(i);
    const body = r + <usize>binLen;
    let c = <u64>start + <u64>i;
    for (let j = k - 1; j >= 0; j--) {
      store<u8>(body + j, <u8>(c % 10));
      c /= 10;
    }
    ff1One(ks, nr, false, body, body);
    for (let j = 0; j < k; j++) store<u8>(body + j, load<u8>(body + j) + 48);
    memory.copy(r, bin, binLen);
    appendLuhn(r, binLen + k);
  }
  aesClearState();
}

/** PANs given by the caller: `count` ASCII PANs of panLen digits, back to back at `src`. */
export function cardsPansGiven(src: usize): void {
  for (let i = 0; i < n; i++) memory.copy(rec(i), src + <usize>(i * panLen), panLen);
}

/** CVV (the card's service code), CVV2 (000) and iCVV (999) of every card, in one CVV-kernel pass each. */
export function cardsCvvs(ks: usize, expiry: usize, serviceCode: usize): void {
  for (let i = 0; i < n; i++) {
    memory.copy(rec(i) + panLen, expiry, 4);
    memory.copy(rec(i) + panLen + 4, serviceCode, 3);
  }
  cvvBatch(ks, RECS, CVVS, n, 3);
  for (let code = 1; code < 3; code++) {
    const digit = <u8>(code == 1 ? 48 : 57); // '000' then '999'
    for (let i = 0; i < n; i++) memory.fill(rec(i) + panLen + 4, digit, 3);
    cvvBatch(ks, RECS, CVVS + C * 3 * <usize>code, n, 3);
  }
}

/**
 * PAN tokens (src/token.ts states the construction): FF1 over the `panLen - left - right` middle digits, once
 * (TOKEN_ANY, TOKEN_ALPHANUMERIC in radix 36) or cycle-walked; TOKEN_INVALID first adds 1 to the last middle
 * digit. Luhn-bound modes need Luhn-valid PANs (the caller checks).
 */
export function cardsTokens(ks: usize, nr: i32, mode: i32, left: i32, right: i32, tweak: usize, tlen: i32): void {
  const k = panLen - left - right;
  for (let i = 0; i < n; i++) {
    const t = TOKENS + <usize>(i * panLen);
    for (let j = 0; j < panLen; j++) store<u8>(t + j, load<u8>(rec(i) + j) - 48);
    if (mode == TOKEN_INVALID) {
      const last = t + <usize>(left + k - 1);
      store<u8>(last, (load<u8>(last) + 1) % 10);
    }
  }
  if (mode == TOKEN_VALID || mode == TOKEN_INVALID) {
    ff1WalkBatch(ks, nr, panLen, left, k, tweak, tlen, false, mode == TOKEN_VALID, TOKENS, n);
  } else {
    ff1Prepare(ks, nr, mode == TOKEN_ALPHANUMERIC ? 36 : 10, k, tweak, tlen);
    for (let i = 0; i < n; i++) {
      const middle = TOKENS + <usize>(i * panLen + left);
      ff1One(ks, nr, false, middle, middle);
    }
    aesClearState();
  }
}

/** Nibble `at` of the PAN's digits, 'F'-padded to 31 nibbles and then 0 (cards.ts derivePins). */
@inline function panNibble(r: usize, at: i32): u64 {
  return at < panLen ? <u64>(load<u8>(r + at) - 48) : at < 31 ? 15 : 0;
}

@inline function panHalf(r: usize, from: i32): u64 {
  let v: u64 = 0;
  for (let j = from; j < from + 16; j++) v = (v << 4) | panNibble(r, j);
  return v;
}

/**
 * Derives every card's PIN of `len` (4..12) digits from the PVK and the PAN, exactly as src/issue/cards.ts
 * derivePins documents: R_j = TDES_PVK(TDES_PVK(B1) XOR B2_j); the decimal nibbles of R_0, R_1, … in order, taken
 * in runs of `len`, until a run is allowed — `allowed` is a bitset over the PINs' values (len <= 6). Draws for
 * all cards still without a PIN go through TDES together. Returns how many cards have none after 16 draws.
 */
export function cardsDerivePins(ks: usize, single: bool, len: i32, allowed: usize): i32 {
  pinLen = len;
  for (let i = 0; i < n; i++) store<u64>(BLOCKS + (<usize>i << 3), bswap<u64>(panHalf(rec(i), 0)));
  tdesEcb(ks, single, false, BLOCKS, BLOCKS, n); // Y = TDES(B1)
  // BLOCKS keeps Y XOR B2_0 (B2 without the attempt nibble, which only the draw loop adds).
  for (let i = 0; i < n; i++) {
    const at = BLOCKS + (<usize>i << 3);
    store<u64>(at, bswap<u64>(bswap<u64>(load<u64>(at)) ^ panHalf(rec(i), 16)));
  }
  // TODO holds, per card still drawing: its index (u32) and its current run as a value (u16) and length (u16).
  const runs = TODO + (C << 2);
  for (let i = 0; i < n; i++) {
    store<u32>(TODO + (<usize>i << 2), i);
    store<u32>(runs + (<usize>i << 2), 0);
  }
  let todo = n;
  const x = PIN_OUT; // the draws' blocks, compact over the cards still drawing (PIN_OUT is free until later)
  for (let j = 0; j < 16 && todo > 0; j++) {
    for (let t = 0; t < todo; t++) {
      const i = load<u32>(TODO + (<usize>t << 2));
      const y = bswap<u64>(load<u64>(BLOCKS + (<usize>i << 3)));
      store<u64>(x + (<usize>t << 3), bswap<u64>(y ^ <u64>j));
    }
    tdesEcb(ks, single, false, x, x, todo);
    let still = 0;
    for (let t = 0; t < todo; t++) {
      const i = load<u32>(TODO + (<usize>t << 2));
      if (!drawPin(i, bswap<u64>(load<u64>(x + (<usize>t << 3))), allowed)) {
        store<u32>(TODO + (<usize>still << 2), i);
        still++;
      }
    }
    todo = still;
  }
  wipe(x, <usize>n << 3);
  return todo;
}

/** Feeds one draw's nibbles to card `i`'s current run; writes its PIN and returns true once a run is allowed. */
function drawPin(i: u32, r: u64, allowed: usize): bool {
  const state = TODO + (C << 2) + (<usize>i << 2);
  let value = load<u32>(state) & 0xfffff;
  let have = load<u32>(state) >> 20;
  for (let s = 60; s >= 0; s -= 4) {
    const d = <u32>(r >> <u64>s) & 15;
    if (d > 9) continue;
    value = value * 10 + d;
    have++;
    if (have == <u32>pinLen) {
      if ((load<u8>(allowed + (value >> 3)) >> (value & 7)) & 1) {
        const pin = PINS + <usize>(i * pinLen);
        for (let p = pinLen - 1; p >= 0; p--) {
          store<u8>(pin + p, <u8>(48 + value % 10));
          value /= 10;
        }
        store<u32>(state, 0);
        return true;
      }
      value = 0;
      have = 0;
    }
  }
  store<u32>(state, (have << 20) | value);
  return false;
}

/**
 * The 8-byte fill of every card's ISO 4 PIN block at `dst`: F = TDES_PVK(TDES_PVK(B1) XOR B2 XOR 0x80), the
 * construction of the PIN draws (cardsDerivePins, whose attempt numbers are 0..15) in a domain of its own. A
 * keyed function of the card is as unpredictable as random fill to anyone without the PVK, and it makes an
 * idempotent re-run reproduce each block byte for byte, so a resumed file can be checked record by record.
 */
export function cardsIso4Fill(ks: usize, single: bool, dst: usize): void {
  for (let i = 0; i < n; i++) store<u64>(BLOCKS + (<usize>i << 3), bswap<u64>(panHalf(rec(i), 0)));
  tdesEcb(ks, single, false, BLOCKS, BLOCKS, n);
  for (let i = 0; i < n; i++) {
    const at = BLOCKS + (<usize>i << 3);
    store<u64>(at, bswap<u64>(bswap<u64>(load<u64>(at)) ^ panHalf(rec(i), 16) ^ 0x80));
  }
  tdesEcb(ks, single, false, BLOCKS, dst, n);
  wipe(BLOCKS, <usize>n << 3);
}

/** PINs given by the caller: `count` ASCII PINs of `len` digits, back to back at `src`. */
export function cardsPinsGiven(src: usize, len: i32): void {
  pinLen = len;
  memory.copy(PINS, src, <usize>(n * len));
}

/** Visa PVVs of the cards' PINs: TSP = the 11 PAN digits before the check digit || PVKI || the first 4 PIN digits. */
export function cardsPvvs(ks: usize, single: bool, pvki: u8): void {
  for (let i = 0; i < n; i++) {
    const tsp = TSPS + <usize>(i << 4);
    memory.copy(tsp, rec(i) + <usize>(panLen - 12), 11);
    store<u8>(tsp + 11, pvki);
    memory.copy(tsp + 12, PINS + <usize>(i * pinLen), 4);
  }
  pvvBatch(ks, single, TSPS, PVVS, n);
}

/**
 * The cards' encrypted PIN blocks: ISO 0 under a TDES key (nr = 0; `single` for an 8-byte key), or ISO 4 under
 * an AES key with `nr` rounds, its fill from 8 bytes per card at `fill` (cardsIso4Fill).
 */
export function cardsPinBlocks(ks: usize, nr: i32, single: bool, fill: usize): void {
  for (let i = 0; i < n; i++) {
    const r = PIN_RECS + <usize>(i * ENCODE_RECORD);
    store<u8>(r, <u8>pinLen);
    memory.copy(r + 1, PINS + <usize>(i * pinLen), pinLen);
    store<u8>(r + 13, <u8>panLen);
    memory.copy(r + 14, rec(i), panLen);
    if (nr > 0) memory.copy(r + 33, fill + <usize>(i << 3), 8);
  }
  if (nr > 0) {
    pinblockEncode(4, ks, nr, PIN_RECS, PIN_OUT, n);
    pinBlockBytes = 16;
  } else {
    pinblockEncode(0, 0, 0, PIN_RECS, PIN_OUT, n);
    for (let i = 0; i < n; i++) store<u64>(BLOCKS + (<usize>i << 3), load<u64>(PIN_OUT + <usize>(i * PINBLOCK_OUT)));
    tdesEcb(ks, single, false, BLOCKS, BLOCKS, n);
    for (let i = 0; i < n; i++) store<u64>(PIN_OUT + <usize>(i * PINBLOCK_OUT), load<u64>(BLOCKS + (<usize>i << 3)));
    pinBlockBytes = 8;
  }
}

@inline function hexDigit(v: u32): u8 {
  return <u8>(v < 10 ? 48 + v : 55 + v);
}

/** Writes the token of card `i` (digit values, 0-9 then A-Z for radix 36) as characters at `p`; returns the end. */
@inline function putToken(p: usize, i: i32): usize {
  const t = TOKENS + <usize>(i * panLen);
  for (let j = 0; j < panLen; j++) store<u8>(p + j, hexDigit(load<u8>(t + j)));
  return p + <usize>panLen;
}

/** Writes the PIN block of card `i` in uppercase hex at `p`; returns the end. */
@inline function putPinBlock(p: usize, i: i32): usize {
  const b = PIN_OUT + <usize>(i * PINBLOCK_OUT);
  for (let j = 0; j < pinBlockBytes; j++) {
    const v = <u32>load<u8>(b + j);
    store<u8>(p + 2 * j, hexDigit(v >> 4));
    store<u8>(p + 2 * j + 1, hexDigit(v & 15));
  }
  return p + <usize>(2 * pinBlockBytes);
}

/** Copies `len` bytes from `src` to `p`; returns the end. */
@inline function putBytes(p: usize, src: usize, len: i32): usize {
  memory.copy(p, src, len);
  return p + <usize>len;
}

/** Writes the ASCII string `s` at `p`; returns the end. */
@inline function putText(p: usize, s: string): usize {
  for (let j = 0; j < s.length; j++) store<u8>(p + j, <u8>s.charCodeAt(j));
  return p + <usize>s.length;
}

/** Card `i`'s CVV (code 0), CVV2 (1) or iCVV (2). */
@inline function cvvAt(i: i32, code: i32): usize {
  return CVVS + C * 3 * <usize>code + <usize>(i * 3);
}

/**
 * Writes every card as one ASCII record at `dst`: PAN, CVV, CVV2, iCVV, then the token (when `tokens`), then the
 * PIN block in uppercase hex and the PVV (when the PINs were made). Returns the record's length.
 */
export function cardsWrite(dst: usize, tokens: bool): i32 {
  const stride = panLen + 9 + (tokens ? panLen : 0) + (pinBlockBytes > 0 ? 2 * pinBlockBytes + 4 : 0);
  for (let i = 0; i < n; i++) {
    let p = putBytes(dst + <usize>(i * stride), rec(i), panLen);
    for (let code = 0; code < 3; code++) p = putBytes(p, cvvAt(i, code), 3);
    if (tokens) p = putToken(p, i);
    if (pinBlockBytes > 0) putBytes(putPinBlock(p, i), PVVS + <usize>(i << 2), 4);
  }
  return stride;
}

/** The start of field `name` in a line: `{"name":"` for the first JSON field, `","name":"` after one; CSV `,`. */
@inline function putField(p: usize, name: string, csv: bool, first: bool): usize {
  if (csv) return first ? p : putText(p, ',');
  return putText(putText(putText(p, first ? '{"' : '","'), name), '":"');
}

/**
 * Writes every card as one line at `dst`, as `cardhsm issue` files hold them (src/hsm/options.ts IssueCardLinesOptions):
 * a JSON object `{"pan","lastFour","expiry","serviceCode","cvv","cvv2","icvv"[,"token"][,"pinBlock","pvv"]}` with
 * string values, or (`csv`) the ten fields pan,lastFour,expiry,serviceCode,cvv,cvv2,icvv,token,pinBlock,pvv with
 * the absent ones empty; each line ends with a newline. `expiry` (4) and `service` (3) are ASCII digits. Every line
 * of a chunk has the same length, which is returned.
 */
export function cardsWriteLines(dst: usize, tokens: bool, expiry: usize, service: usize, csv: bool): i32 {
  let p = dst;
  for (let i = 0; i < n; i++) {
    p = putBytes(putField(p, 'pan', csv, true), rec(i), panLen);
    p = putBytes(putField(p, 'lastFour', csv, false), rec(i) + <usize>(panLen - 4), 4);
    p = putBytes(putField(p, 'expiry', csv, false), expiry, 4);
    p = putBytes(putField(p, 'serviceCode', csv, false), service, 3);
    p = putBytes(putField(p, 'cvv', csv, false), cvvAt(i, 0), 3);
    p = putBytes(putField(p, 'cvv2', csv, false), cvvAt(i, 1), 3);
    p = putBytes(putField(p, 'icvv', csv, false), cvvAt(i, 2), 3);
    if (tokens) p = putToken(putField(p, 'token', csv, false), i);
    else if (csv) p = putField(p, 'token', csv, false);
    if (pinBlockBytes > 0) {
      p = putPinBlock(putField(p, 'pinBlock', csv, false), i);
      p = putBytes(putField(p, 'pvv', csv, false), PVVS + <usize>(i << 2), 4);
    } else if (csv) p = putField(putField(p, 'pinBlock', csv, false), 'pvv', csv, false);
    p = putText(p, csv ? '\n' : '"}\n');
  }
  return n > 0 ? <i32>(p - dst) / n : 0;
}

/** Wipes the chunk's scratch: PANs, PINs, blocks, tokens. */
export function cardsWipe(): void {
  wipe(SCRATCH, SCRATCH_BYTES);
  n = 0;
}
