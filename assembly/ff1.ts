// FF1 format-preserving encryption (NIST SP 800-38G, section 5.1, Algorithms 7 and 8) over AES, for numeral
// strings whose halves fit 63 bits (radix^ceil(n/2) < 2^63: up to 36 decimal digits, 24 base-36 characters).
//
// A batch shares key, radix, length and tweak, so P, the tweak blocks of Q and the CBC-MAC state before Q's last
// block are computed once per batch (ff1Prepare); each Feistel round is then one AES call per record (b <= 8, so
// d <= 12 and S is R alone). Records are numerals (byte values 0..radix-1), `n` bytes each.
//
// Depends on: aes.ts (the state-based block calls), luhn.ts (cycle-walking), memory.ts (FF1_SCRATCH).
import { aesSetHalves, aesEncryptState, aesStateHi, aesStateLo, aesClearState, aesXorIntoState } from './aes';
import { luhnSumOf } from './luhn';
import { FF1_SCRATCH, FF1_SCRATCH_BYTES } from './memory';

export const FF1_MAX_TWEAK: i32 = 1024;
/** Scratch for the tweak part of Q (memory.ts FF1_SCRATCH); wiped before returning. */
if (FF1_MAX_TWEAK + 32 != FF1_SCRATCH_BYTES) ERROR('ff1.ts: Q must fill memory.ts FF1_SCRATCH');
const Q = FF1_SCRATCH;

// Per-batch constants, set by ff1Prepare.
let radix: u64 = 10;
let u: i32 = 0;
let v: i32 = 0;
let mu: u64 = 0;
let mv: u64 = 0;
let d: i32 = 0;
let cu: i32 = 1;
let cv: i32 = 1;
let iShift: u64 = 0;
let preHi: u64 = 0;
let preLo: u64 = 0;
let lastHi: u64 = 0;
let lastLo: u64 = 0;

@inline function pow(r: u64, e: i32): u64 {
  let x: u64 = 1;
  for (let i = 0; i < e; i++) x *= r;
  return x;
}

/** NUM_radix of `len` numerals at `p` (most significant first). */
@inline function num(p: usize, len: i32): u64 {
  let x: u64 = 0;
  for (let i = 0; i < len; i++) x = x * radix + <u64>load<u8>(p + i);
  return x;
}

/** STR^len_radix(x) written at `p`. */
@inline function str(x: u64, len: i32, p: usize): void {
  for (let i = len - 1; i >= 0; i--) {
    store<u8>(p + i, <u8>(x % radix));
    x /= radix;
  }
}

/**
 * Appends the top `count` bytes of `v64` (big-endian) to `acc` and reduces mod m (m < 2^63), `chunk` bits at a
 * time: with acc < m, acc << chunk stays below 2^63 when chunk = clz(m) - 1, so one u64 remainder per chunk.
 */
@inline function reduce(v64: u64, count: i32, acc: u64, m: u64, chunk: i32): u64 {
  let left = count * 8;
  while (left > 0) {
    const take = left < chunk ? left : chunk;
    acc = ((acc << <u64>take) | (v64 >> <u64>(64 - take))) % m;
    v64 = take == 64 ? 0 : v64 << <u64>take;
    left -= take;
  }
  return acc;
}

@inline function chunkFor(m: u64): i32 {
  const c = <i32>clz<u64>(m) - 1;
  return c < 1 ? 1 : c;
}

/** Computes the batch constants for `n` numerals of `r` under the tweak at `tweak` (`tlen` bytes). */
export function ff1Prepare(ks: usize, nr: i32, r: u32, n: i32, tweak: usize, tlen: i32): void {
  radix = <u64>r;
  u = n >> 1;
  v = n - u;
  mu = pow(radix, u);
  mv = pow(radix, v);
  cu = chunkFor(mu);
  cv = chunkFor(mv);
  // b = ceil(ceil(v * log2(radix)) / 8): the bytes of the largest NUM_radix(B), radix^v - 1.
  const bits = 64 - <i32>clz<u64>(mv - 1);
  const b = (bits + 7) >> 3;
  d = 4 * ((b + 3) >> 2) + 4;
  // Q = T || 0^((-t-b-1) mod 16) || [i] || [NUM(B)]^b; everything but [i] and NUM(B) is fixed for the batch.
  const pad = (((-tlen - b - 1) % 16) + 16) % 16;
  const qlen = tlen + pad + 1 + b;
  memory.fill(Q, 0, qlen);
  memory.copy(Q, tweak, tlen);
  // CBC-MAC state after P and every block of Q but the last.
  aesSetHalves((<u64>0x010201 << 40) | (radix << 16) | (<u64>10 << 8) | <u64>(u & 0xff), (<u64>n << 32) | <u64>tlen);
  aesEncryptState(ks, nr);
  for (let off = 0; off < qlen - 16; off += 16) {
    aesXorIntoState(Q + off);
    aesEncryptState(ks, nr);
  }
  preHi = aesStateHi();
  preLo = aesStateLo();
  lastHi = bswap<u64>(load<u64>(Q + qlen - 16));
  lastLo = bswap<u64>(load<u64>(Q + qlen - 8));
  memory.fill(Q, 0, qlen);
  iShift = <u64>(8 * b); // [i] sits b bytes from the right of Q's last block, NUM(B) in the last b bytes
}

/** FF1 of one record of u + v numerals from `src` to `dst` (may alias), after ff1Prepare. */
export function ff1One(ks: usize, nr: i32, decrypt: bool, src: usize, dst: usize): void {
  let a = num(src, u);
  let bb = num(src + u, v);
  for (let step = 0; step < 10; step++) {
    const i = decrypt ? 9 - step : step;
    const even = (i & 1) == 0;
    const m = even ? mu : mv;
    const chunk = even ? cu : cv;
    const x = decrypt ? a : bb; // the round function's input: B when encrypting, A when decrypting
    let hi = lastHi;
    let lo = lastLo;
    if (iShift < 64) lo ^= (<u64>i << iShift) | x;
    else {
      lo ^= x;
      hi ^= <u64>i << (iShift - 64);
    }
    aesSetHalves(preHi ^ hi, preLo ^ lo);
    aesEncryptState(ks, nr);
    // y = NUM(S), S = the first d bytes of R (d is 8 or 12), reduced mod radix^m.
    let y = reduce(aesStateHi(), 8, 0, m, chunk);
    if (d == 12) y = reduce(aesStateLo(), 4, y, m, chunk);
    if (decrypt) {
      const c = bb >= y ? bb - y : bb + (m - y);
      bb = a;
      a = c;
    } else {
      let c = a + y;
      if (c >= m) c -= m;
      a = bb;
      bb = c;
    }
  }
  str(a, u, dst);
  str(bb, v, dst + u);
}

/**
 * Encrypts (or decrypts) `count` records of `n` numerals from `src` to `dst` under the AES schedule `ks` (`nr`
 * rounds) with the tweak of `tlen` bytes at `tweak`. The caller has checked 2 <= n, radix^ceil(n/2) < 2^63 and
 * tlen <= FF1_MAX_TWEAK.
 */
export function ff1Batch(ks: usize, nr: i32, r: u32, n: i32, tweak: usize, tlen: i32, decrypt: bool, src: usize, dst: usize, count: i32): void {
  ff1Prepare(ks, nr, r, n, tweak, tlen);
  for (let k = 0; k < count; k++) ff1One(ks, nr, decrypt, src + <usize>(k * n), dst + <usize>(k * n));
  aesClearState();
}

/**
 * Cycle-walking FF1 for tokens: for each record of `total` decimal digit values (a whole PAN), applies FF1 radix
 * 10 to the `k` digits at `left` in place, again and again, until the whole number passes Luhn (`valid`) or fails
 * it (not `valid`). Either way a permutation of the numbers of that kind with the same kept digits.
 */
export function ff1WalkBatch(ks: usize, nr: i32, total: i32, left: i32, k: i32, tweak: usize, tlen: i32, decrypt: bool, valid: bool, recs: usize, count: i32): void {
  ff1Prepare(ks, nr, 10, k, tweak, tlen);
  for (let j = 0; j < count; j++) {
    const rec = recs + <usize>(j * total);
    do ff1One(ks, nr, decrypt, rec + left, rec + left);
    while ((luhnSumOf(rec, total, false, 0) == 0) != valid);
  }
  aesClearState();
}
