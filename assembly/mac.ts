// CMAC (NIST SP 800-38B) over AES (128-bit blocks, Rb = 0x87) and TDES (64-bit blocks, Rb = 0x1B), and the
// ISO/IEC 9797-1 CBC-MACs: MAC algorithm 1 (DES or TDES CBC-MAC) and algorithm 3 (the retail MAC, ANSI X9.19).
// Subkey doubling is branch-free: the carry becomes a mask, so timing does not depend on key-derived bits.
//
// Depends on: des.ts (tdesBlock), aes.ts (the state-based block calls).
import { tdesBlock } from './des';
import { aesEncryptState, aesClearState, aesXorIntoState, aesLoadState, aesStoreState, aesSetHalves, aesXorHalves, aesStateHi, aesStateLo } from './aes';

/**
 * The last block padded with `marker` then zeros, `rem` < blockBytes bytes present, as big-endian words: marker 0x80
 * is 10* padding (SP 800-38B 6.2, ISO/IEC 9797-1 padding method 2), marker 0 zero padding (method 1).
 */
@inline function paddedByte(p: usize, i: i32, rem: i32, marker: u32): u32 {
  return i < rem ? <u32>load<u8>(p + i) : (i == rem ? marker : 0);
}

function paddedWord(p: usize, first: i32, rem: i32, marker: u32): u32 {
  return (paddedByte(p, first, rem, marker) << 24) | (paddedByte(p, first + 1, rem, marker) << 16)
    | (paddedByte(p, first + 2, rem, marker) << 8) | paddedByte(p, first + 3, rem, marker);
}

/** The 64-bit word at `first` of the padded last block. */
@inline function paddedHalf(p: usize, first: i32, rem: i32, marker: u32 = 0x80): u64 {
  return (<u64>paddedWord(p, first, rem, marker) << 32) | <u64>paddedWord(p, first + 4, rem, marker);
}

// The AES subkey (hi, lo) between calls of dbl128, which doubles it in GF(2^128).
let subHi: u64 = 0;
let subLo: u64 = 0;
@inline function dbl128(): void {
  const c = subHi >> 63;
  subHi = (subHi << 1) | (subLo >> 63);
  subLo = (subLo << 1) ^ ((0 - c) & 0x87);
}

/**
 * Full 16-byte AES-CMAC of `len` bytes at `src`, written to `dst`. The chaining value starts from the 16 bytes at
 * `iv`: zero for a whole message, or the CBC-MAC of the preceding full blocks when a long message arrives in parts.
 */
export function aesCmac(ks: usize, nr: i32, iv: usize, src: usize, len: i32, dst: usize): void {
  // Subkeys: L = AES(K, 0^128); K1 = dbl(L); K2 = dbl(K1).
  aesSetHalves(0, 0);
  aesEncryptState(ks, nr);
  subHi = aesStateHi();
  subLo = aesStateLo();
  dbl128();
  if (!(len > 0 && (len & 15) == 0)) dbl128();
  const blocks = len == 0 ? 1 : (len + 15) >> 4;
  aesLoadState(iv);
  for (let i = 0; i < blocks - 1; i++) {
    aesXorIntoState(src + (<usize>i << 4));
    aesEncryptState(ks, nr);
  }
  const last = src + (<usize>(blocks - 1) << 4);
  const rem = len - ((blocks - 1) << 4);
  aesXorHalves(paddedHalf(last, 0, rem) ^ subHi, paddedHalf(last, 8, rem) ^ subLo);
  aesEncryptState(ks, nr);
  aesStoreState(dst);
  aesClearState();
  subHi = 0;
  subLo = 0;
}

/** Full 8-byte TDES-CMAC of `len` bytes at `src`, written to `dst`; the chaining value starts from `iv` (8 bytes). */
export function tdesCmac(ks: usize, single: bool, iv: usize, src: usize, len: i32, dst: usize): void {
  let k = tdesBlock(0, ks, false, single);
  let c = k >> 63;
  k = (k << 1) ^ ((0 - c) & 0x1b);
  const complete = len > 0 && (len & 7) == 0;
  if (!complete) {
    c = k >> 63;
    k = (k << 1) ^ ((0 - c) & 0x1b);
  }
  const blocks = len == 0 ? 1 : (len + 7) >> 3;
  let state = bswap<u64>(load<u64>(iv));
  for (let i = 0; i < blocks - 1; i++) {
    state = tdesBlock(state ^ bswap<u64>(load<u64>(src + (<usize>i << 3))), ks, false, single);
  }
  const last = src + (<usize>(blocks - 1) << 3);
  const rem = len - ((blocks - 1) << 3);
  state = tdesBlock(state ^ paddedHalf(last, 0, rem) ^ k, ks, false, single);
  store<u64>(dst, bswap<u64>(state));
}

/**
 * ISO/IEC 9797-1 MAC algorithm 1 or 3 over the tail of a message: the chaining value at `iv` (zero, or the CBC-MAC
 * of the full blocks already absorbed under the `single` schedule), then the last `len` (0..8) bytes at `src` padded
 * by method 1 (zeros; an empty message is one zero block) or method 2 (0x80 then zeros; 8 bytes take a second
 * block). Every block but the last is enciphered with `single` (DES under K1 when true), the last with `finalSingle`.
 * Algorithm 1 passes the key's own mode for both; algorithm 3 (key K || K') passes true then false: DES_K on every
 * block but the last, and on the last E_K(D_K'(E_K(x))), i.e. TDES-EDE with K3 = K, which is DES_K followed by the
 * output transformation. Writes the 8-byte output block to `dst`.
 */
export function isoMacFinish(ks: usize, single: bool, finalSingle: bool, iv: usize, src: usize, len: i32, method2: bool, dst: usize): void {
  let state = bswap<u64>(load<u64>(iv));
  if (method2 && len == 8) {
    state = tdesBlock(state ^ bswap<u64>(load<u64>(src)), ks, false, single);
    state = tdesBlock(state ^ 0x8000000000000000, ks, false, finalSingle);
  } else {
    state = tdesBlock(state ^ paddedHalf(src, 0, len, method2 ? 0x80 : 0), ks, false, finalSingle);
  }
  store<u64>(dst, bswap<u64>(state));
}

/**
 * ISO/IEC 9797-1 MAC algorithm 3 of `len` bytes at `src` (all in memory), padding method 1 or 2, under the TDES
 * schedule of K || K' (K3 = K): DES_K chaining, then TDES-EDE on the last block. The EMV cryptograms (Book 2 A1.2),
 * issuer script MACs and IVCVC3 use it. Returns the 8-byte output block.
 */
export function isoMac3(ks: usize, src: usize, len: i32, method2: bool): u64 {
  const full = len >> 3;
  const blocks = method2 ? full + 1 : (len == 0 ? 1 : (len + 7) >> 3);
  let state: u64 = 0;
  for (let i = 0; i < blocks - 1; i++) state = tdesBlock(state ^ bswap<u64>(load<u64>(src + (<usize>i << 3))), ks, false, true);
  const off = (blocks - 1) << 3;
  return tdesBlock(state ^ paddedHalf(src + off, 0, len - off, method2 ? 0x80 : 0), ks, false, false);
}
