// FF1 format-preserving encryption (NIST SP 800-38G, section 5.1, Algorithms 7 and 8) over AES, for numeral
// strings whose halves fit 63 bits (radix^ceil(n/2) < 2^63: up to 36 decimal digits, 24 base-36 characters).
//
// A batch shares key, radix, length and tweak, so P, the tweak blocks of Q and the CBC-MAC state before Q's last
// block are computed once per batch; each Feistel round is then one AES call per record (b <= 8, so d <= 12 and
// S is R alone). Records are numerals (byte values 0..radix-1), `n` bytes each.
import { aesSetHalves, aesXorHalves, aesEncryptState, aesStateHi, aesStateLo, aesClearState, aesXorIntoState } from './aes';

/** Scratch for the tweak part of Q; wiped before returning. Tweaks of up to 1024 bytes. */
const Q = memory.data(1024 + 32, 16);
export const FF1_MAX_TWEAK: i32 = 1024;

@inline function pow(radix: u64, e: i32): u64 {
  let r: u64 = 1;
  for (let i = 0; i < e; i++) r *= radix;
  return r;
}

/** NUM_radix of `len` numerals at `p` (most significant first). */
@inline function num(p: usize, len: i32, radix: u64): u64 {
  let x: u64 = 0;
  for (let i = 0; i < len; i++) x = x * radix + <u64>load<u8>(p + i);
  return x;
}

/** STR^len_radix(x) written at `p`. */
@inline function str(x: u64, len: i32, radix: u64, p: usize): void {
  for (let i = len - 1; i >= 0; i--) {
    store<u8>(p + i, <u8>(x % radix));
    x /= radix;
  }
}

/** (big-endian `bytes` of v, taken `count` bytes from the top) mod m, for m < 2^63, by doubling (no overflow). */
@inline function reduce(v: u64, count: i32, acc: u64, m: u64): u64 {
  for (let i = 0; i < count * 8; i++) {
    acc <<= 1;
    if ((v >> 63) != 0) acc |= 1;
    v <<= 1;
    if (acc >= m) acc -= m;
  }
  return acc;
}

/**
 * Encrypts (or decrypts) `count` records of `n` numerals from `src` to `dst` under the AES schedule `ks` (`nr`
 * rounds) with the tweak of `tlen` bytes at `tweak`. The caller has checked 2 <= n, radix^ceil(n/2) < 2^63 and
 * tlen <= FF1_MAX_TWEAK.
 */
export function ff1Batch(ks: usize, nr: i32, radix: u32, n: i32, tweak: usize, tlen: i32, decrypt: bool, src: usize, dst: usize, count: i32): void {
  const r = <u64>radix;
  const u = n >> 1;
  const v = n - u;
  const mu = pow(r, u);
  const mv = pow(r, v);
  // b = ceil(ceil(v * log2(radix)) / 8): the bytes of the largest NUM_radix(B), radix^v - 1.
  const bits = 64 - <i32>clz<u64>(mv - 1);
  const b = (bits + 7) >> 3;
  const d = 4 * ((b + 3) >> 2) + 4;
  // Q = T || 0^((-t-b-1) mod 16) || [i] || [NUM(B)]^b; everything but [i] and NUM(B) is fixed for the batch.
  const pad = (((-tlen - b - 1) % 16) + 16) % 16;
  const qlen = tlen + pad + 1 + b;
  memory.fill(Q, 0, qlen);
  memory.copy(Q, tweak, tlen);
  // CBC-MAC state after P and every block of Q but the last.
  const pHi: u64 = (<u64>0x010201 << 40) | (r << 16) | (<u64>10 << 8) | <u64>(u & 0xff);
  const pLo: u64 = (<u64>n << 32) | <u64>tlen;
  aesSetHalves(pHi, pLo);
  aesEncryptState(ks, nr);
  for (let off = 0; off < qlen - 16; off += 16) {
    aesXorIntoState(Q + off);
    aesEncryptState(ks, nr);
  }
  const preHi = aesStateHi();
  const preLo = aesStateLo();
  const lastHi = bswap<u64>(load<u64>(Q + qlen - 16));
  const lastLo = bswap<u64>(load<u64>(Q + qlen - 8));
  memory.fill(Q, 0, qlen);
  // Position of [i] in the last block, and NUM(B) occupies its last b bytes.
  const iShift = <u64>(8 * b); // from the right of the 128-bit block

  for (let k = 0; k < count; k++) {
    const inRec = src + <usize>(k * n);
    let a = num(inRec, u, r);
    let bb = num(inRec + u, v, r);
    for (let step = 0; step < 10; step++) {
      const i = decrypt ? 9 - step : step;
      const m = (i & 1) == 0 ? mu : mv;
      // The round function's input numeral: B when encrypting, A when decrypting.
      const x = decrypt ? a : bb;
      // Last block of Q: fixed bytes, then [i] at byte 15-b, then NUM(x) in the last b bytes.
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
      const rHi = aesStateHi();
      const rLo = aesStateLo();
      let y = reduce(rHi, 8, 0, m);
      if (d == 12) y = reduce(rLo, 4, y, m);
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
    const outRec = dst + <usize>(k * n);
    str(a, u, r, outRec);
    str(bb, v, r, outRec + u);
  }
  aesClearState();
}
