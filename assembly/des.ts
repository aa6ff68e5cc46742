// DES and TDES (FIPS 46-3; NIST SP 800-67 Rev. 2 for the EDE composition), table-driven.
//
// Blocks are u64 in big-endian bit order (bit 1 of FIPS 46-3 = the most significant bit). The round function
// folds the E expansion into two rotations of R and the S-boxes and P into eight 64-entry "SP" tables, so a
// round is eight table loads. IP and FP are byte-indexed tables. Every table is derived at start-up from the
// FIPS 46-3 tables below, which are the only DES constants in the project. ECB batches of BS_MIN blocks or more
// run bitsliced instead (bitslice.ts, rounds generated from these same tables), with identical results.

/** Bytes of one DES subkey schedule: 16 rounds x two u32 words. */
export const DES_SCHEDULE_BYTES: i32 = 128;
/** A TDES schedule holds three DES schedules (K1, K2, K3). */
export const TDES_SCHEDULE_BYTES: i32 = 3 * DES_SCHEDULE_BYTES;

import { bsEcb, bsBlocks } from './bitslice';

// FIPS 46-3 tables, 1-based bit numbers.
const IP_TABLE = memory.data<u8>([
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4,
  62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8,
  57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3,
  61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7,
]);
const P_TABLE = memory.data<u8>([
  16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10,
  2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25,
]);
const PC1_TABLE = memory.data<u8>([
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18,
  10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
  63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22,
  14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
]);
const PC2_TABLE = memory.data<u8>([
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10,
  23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2,
  41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48,
  44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
]);
const SHIFTS = memory.data<u8>([1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1]);
const S_BOXES = memory.data<u8>([
  // S1
  14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7,
  0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8,
  4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0,
  15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13,
  // S2
  15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10,
  3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5,
  0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15,
  13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9,
  // S3
  10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8,
  13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1,
  13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7,
  1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12,
  // S4
  7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15,
  13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9,
  10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4,
  3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14,
  // S5
  2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9,
  14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6,
  4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14,
  11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3,
  // S6
  12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11,
  10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8,
  9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6,
  4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13,
  // S7
  4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1,
  13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6,
  1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2,
  6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12,
  // S8
  13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7,
  1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2,
  7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8,
  2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11,
]);

// Derived tables, filled by initDes().
const SP = memory.data(8 * 64 * 4, 64); // SPj[v] = P(Sj(v) in S-box j's output position), u32
const IP_BYTES = memory.data(8 * 256 * 8, 64); // IP applied to byte k of the block, u64
const FP_BYTES = memory.data(8 * 256 * 8, 64); // IP^-1 likewise

/** Bit `pos` (1-based, 1 = most significant) of a `width`-bit value. */
@inline function bit(v: u64, width: i32, pos: i32): u64 {
  return (v >> <u64>(width - pos)) & 1;
}

function permute(v: u64, inWidth: i32, table: usize, outWidth: i32): u64 {
  let r: u64 = 0;
  for (let i = 0; i < outWidth; i++) {
    r = (r << 1) | bit(v, inWidth, <i32>load<u8>(table + i));
  }
  return r;
}

/** Builds the SP and IP/FP byte tables. Called once, from the module's start. */
export function initDes(): void {
  // The inverse of IP, derived rather than copied so that one table is the whole truth.
  const fpTable = memory.data(64);
  for (let i = 0; i < 64; i++) store<u8>(fpTable + <usize>(load<u8>(IP_TABLE + i) - 1), <u8>(i + 1));

  for (let j = 0; j < 8; j++) {
    for (let v = 0; v < 64; v++) {
      const row = ((v >> 4) & 2) | (v & 1);
      const col = (v >> 1) & 15;
      const s = <u64>load<u8>(S_BOXES + j * 64 + row * 16 + col);
      const pre = s << <u64>(28 - 4 * j);
      store<u32>(SP + ((j * 64 + v) << 2), <u32>permute(pre, 32, P_TABLE, 32));
    }
  }
  for (let k = 0; k < 8; k++) {
    for (let b = 0; b < 256; b++) {
      const v = <u64>b << <u64>(56 - 8 * k);
      store<u64>(IP_BYTES + ((k * 256 + b) << 3), permute(v, 64, IP_TABLE, 64));
      store<u64>(FP_BYTES + ((k * 256 + b) << 3), permute(v, 64, fpTable, 64));
    }
  }
  initKeySchedule();
}

@inline function byteTable(table: usize, v: u64): u64 {
  let r: u64 = 0;
  for (let k = 0; k < 8; k++) {
    r |= load<u64>(table + ((k * 256 + <i32>((v >> <u64>(56 - 8 * k)) & 0xff)) << 3));
  }
  return r;
}

// The round function f(R, K). E's eight 6-bit groups are contiguous in rotl(R, 1) (S-boxes 2, 4, 6, 8) and
// rotr(R, 3) (S-boxes 1, 3, 5, 7) at bit offsets 24, 16, 8, 0; the subkey is pre-arranged the same way.
@inline function f(r: u32, kx: u32, ky: u32): u32 {
  const x = rotl<u32>(r, 1) ^ kx;
  const y = rotr<u32>(r, 3) ^ ky;
  return load<u32>(SP + (1 * 256) + (((x >> 24) & 63) << 2))
    | load<u32>(SP + (3 * 256) + (((x >> 16) & 63) << 2))
    | load<u32>(SP + (5 * 256) + (((x >> 8) & 63) << 2))
    | load<u32>(SP + (7 * 256) + ((x & 63) << 2))
    | load<u32>(SP + (0 * 256) + (((y >> 24) & 63) << 2))
    | load<u32>(SP + (2 * 256) + (((y >> 16) & 63) << 2))
    | load<u32>(SP + (4 * 256) + (((y >> 8) & 63) << 2))
    | load<u32>(SP + (6 * 256) + ((y & 63) << 2));
}

// Key schedule tables, filled by initDes(): PC-1 applied to key byte k (the 56-bit C || D, u64), and for each of the
// seven bytes of C || D (byte 0 = its 8 most significant bits) PC-2 applied to it, already arranged as the round's
// (kx, ky) words (kx in the high 32 bits). Both are bit selections, so OR-ing the parts of a value permutes it whole:
// a schedule costs 8 + 16 x 7 table loads instead of a walk over every bit.
const PC1_BYTES = memory.data(8 * 256 * 8, 64);
const PC2_BYTES = memory.data(7 * 256 * 8, 64);

/** The (kx, ky) arrangement of a 48-bit subkey (see f()): group j (1..8) is bits 6j-5..6j; even groups in kx. */
function arrangeSubkey(sub: u64): u64 {
  let kx: u32 = 0, ky: u32 = 0;
  for (let j = 0; j < 8; j++) {
    const g = <u32>(sub >> <u64>(42 - 6 * j)) & 63;
    const shift = <u32>(24 - 8 * (j >> 1));
    if (j & 1) kx |= g << shift; else ky |= g << shift;
  }
  return (<u64>kx << 32) | <u64>ky;
}

/** Builds the PC-1 and PC-2 byte tables. Called from initDes(). */
function initKeySchedule(): void {
  for (let k = 0; k < 8; k++) {
    for (let b = 0; b < 256; b++) {
      store<u64>(PC1_BYTES + ((k * 256 + b) << 3), permute(<u64>b << <u64>(56 - 8 * k), 64, PC1_TABLE, 56));
    }
  }
  for (let j = 0; j < 7; j++) {
    for (let b = 0; b < 256; b++) {
      store<u64>(PC2_BYTES + ((j * 256 + b) << 3), arrangeSubkey(permute(<u64>b << <u64>(48 - 8 * j), 56, PC2_TABLE, 48)));
    }
  }
}

/** Expands one 8-byte DES key at `key` into a 128-byte schedule at `out` (FIPS 46-3 key schedule, PC-1/PC-2). */
export function desKeySchedule(key: usize, out: usize): void {
  desKeyScheduleOf(bswap<u64>(load<u64>(key)), out);
}

/**
 * The schedule of a key held as a big-endian u64 (bit 1 of FIPS 46-3 = the most significant bit), through the
 * PC-1 and PC-2 byte tables: for kernels that expand fresh keys in registers (DUKPT's counter walk, EMV card keys).
 */
export function desKeyScheduleOf(k: u64, out: usize): void {
  let cd: u64 = 0;
  for (let i = 0; i < 8; i++) cd |= load<u64>(PC1_BYTES + ((i * 256 + <i32>((k >> <u64>(56 - 8 * i)) & 0xff)) << 3));
  let c = <u32>(cd >> 28) & 0x0fffffff;
  let d = <u32>cd & 0x0fffffff;
  for (let round = 0; round < 16; round++) {
    const s = <u32>load<u8>(SHIFTS + round);
    c = ((c << s) | (c >> (28 - s))) & 0x0fffffff;
    d = ((d << s) | (d >> (28 - s))) & 0x0fffffff;
    const v = (<u64>c << 28) | <u64>d;
    let sub: u64 = 0;
    for (let j = 0; j < 7; j++) sub |= load<u64>(PC2_BYTES + ((j * 256 + <i32>((v >> <u64>(48 - 8 * j)) & 0xff)) << 3));
    store<u32>(out + round * 8, <u32>(sub >> 32));
    store<u32>(out + round * 8 + 4, <u32>sub);
  }
}

/** TDES schedule for an 8-, 16- or 24-byte key: K1, K2, K3 with K3 = K1 (2-key) or K1 = K2 = K3 (single DES). */
export function tdesKeySchedule(key: usize, len: i32, out: usize): void {
  desKeySchedule(key, out);
  desKeySchedule(len >= 16 ? key + 8 : key, out + DES_SCHEDULE_BYTES);
  desKeySchedule(len == 24 ? key + 16 : key, out + 2 * DES_SCHEDULE_BYTES);
}

/** tdesKeySchedule for keys derived per transaction (DUKPT), through desKeyScheduleOf. */
export function tdesKeyScheduleFast(key: usize, len: i32, out: usize): void {
  desKeyScheduleOf(bswap<u64>(load<u64>(key)), out);
  desKeyScheduleOf(bswap<u64>(load<u64>(len >= 16 ? key + 8 : key)), out + DES_SCHEDULE_BYTES);
  desKeyScheduleOf(bswap<u64>(load<u64>(len == 24 ? key + 16 : key)), out + 2 * DES_SCHEDULE_BYTES);
}

// 16 rounds on (l, r) in place, subkeys forwards (encrypt) or backwards (decrypt). Two rounds per iteration
// so that the halves never need swapping; after an even number of rounds the halves hold (L16, R16).
@inline function rounds(lr: u64, ks: usize, decrypt: bool): u64 {
  let l = <u32>(lr >> 32);
  let r = <u32>lr;
  if (decrypt) {
    for (let i = 15; i > 0; i -= 2) {
      l ^= f(r, load<u32>(ks + i * 8), load<u32>(ks + i * 8 + 4));
      r ^= f(l, load<u32>(ks + i * 8 - 8), load<u32>(ks + i * 8 - 4));
    }
  } else {
    for (let i = 0; i < 16; i += 2) {
      l ^= f(r, load<u32>(ks + i * 8), load<u32>(ks + i * 8 + 4));
      r ^= f(l, load<u32>(ks + i * 8 + 8), load<u32>(ks + i * 8 + 12));
    }
  }
  // The preoutput is R16 || L16: swapping here lets consecutive stages chain without FP/IP in between.
  return (<u64>r << 32) | <u64>l;
}

/**
 * TDES EDE on one block under a TDES schedule: E(K1) D(K2) E(K3) to encrypt, D(K3) E(K2) D(K1) to decrypt.
 * `single` runs one DES stage (an 8-byte key), where EDE with K1 = K2 = K3 would do the same work three times.
 */
export function tdesBlock(block: u64, ks: usize, decrypt: bool, single: bool): u64 {
  let v = byteTable(IP_BYTES, block);
  if (single) {
    v = rounds(v, ks, decrypt);
  } else if (decrypt) {
    v = rounds(v, ks + 2 * DES_SCHEDULE_BYTES, true);
    v = rounds(v, ks + DES_SCHEDULE_BYTES, false);
    v = rounds(v, ks, true);
  } else {
    v = rounds(v, ks, false);
    v = rounds(v, ks + DES_SCHEDULE_BYTES, true);
    v = rounds(v, ks + 2 * DES_SCHEDULE_BYTES, false);
  }
  return byteTable(FP_BYTES, v);
}

/** ECB over `n` 8-byte blocks from `src` to `dst` (may alias); large batches run bitsliced, with equal results. */
export function tdesEcb(ks: usize, single: bool, decrypt: bool, src: usize, dst: usize, n: i32): void {
  const sliced = bsBlocks(n);
  if (sliced > 0) bsEcb(ks, single, decrypt, src, dst, sliced);
  for (let i = sliced; i < n; i++) {
    const off = <usize>i << 3;
    store<u64>(dst + off, bswap<u64>(tdesBlock(bswap<u64>(load<u64>(src + off)), ks, decrypt, single)));
  }
}

/** CBC over `n` blocks; the 8-byte IV at `iv` is updated to the last ciphertext block so calls can chain. */
export function tdesCbc(ks: usize, single: bool, decrypt: bool, iv: usize, src: usize, dst: usize, n: i32): void {
  let chain = bswap<u64>(load<u64>(iv));
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 3;
    const x = bswap<u64>(load<u64>(src + off));
    if (decrypt) {
      store<u64>(dst + off, bswap<u64>(tdesBlock(x, ks, true, single) ^ chain));
      chain = x;
    } else {
      chain = tdesBlock(x ^ chain, ks, false, single);
      store<u64>(dst + off, bswap<u64>(chain));
    }
  }
  store<u64>(iv, bswap<u64>(chain));
}
