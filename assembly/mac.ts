// CMAC (NIST SP 800-38B) over AES (128-bit blocks, Rb = 0x87) and TDES (64-bit blocks, Rb = 0x1B).
// Subkey doubling is branch-free: the carry becomes a mask, so timing does not depend on key-derived bits.
import { tdesBlock } from './des';
import { aesEncryptState, aesClearState, aesXorIntoState, aesLoadState, aesStoreState, aesSetHalves, aesXorHalves, aesStateHi, aesStateLo } from './aes';

/** The last block padded with 10* (SP 800-38B 6.2), `rem` < blockBytes bytes present, as big-endian words. */
@inline function paddedByte(p: usize, i: i32, rem: i32): u32 {
  return i < rem ? <u32>load<u8>(p + i) : (i == rem ? 0x80 : 0);
}

function paddedWord(p: usize, first: i32, rem: i32): u32 {
  return (paddedByte(p, first, rem) << 24) | (paddedByte(p, first + 1, rem) << 16)
    | (paddedByte(p, first + 2, rem) << 8) | paddedByte(p, first + 3, rem);
}

/** The 64-bit word at `first` of the padded last block. */
@inline function paddedHalf(p: usize, first: i32, rem: i32): u64 {
  return (<u64>paddedWord(p, first, rem) << 32) | <u64>paddedWord(p, first + 4, rem);
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
