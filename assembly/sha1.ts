// SHA-1 (FIPS 180-4 section 6.1) of one short message (at most 55 bytes: a single padded block), for EMV Book 2
// A1.4.2 master key derivation Option B, which hashes PAN || PSN. The constants are FIPS 180-4 4.2.1's
// floor(2^30 * sqrt(2, 3, 5, 10)), computed at start-up, and 5.3.1's initial hash value.
//
// Depends on: memory.ts (SHA1_SCRATCH).

import { SHA1_SCRATCH, SHA1_SCRATCH_BYTES } from './memory';

const K = memory.data(4 * 4, 16);
// Scratch (memory.ts SHA1_SCRATCH), wiped before sha1Short returns: the message schedule and the padded block.
const W = SHA1_SCRATCH;
const BLOCK = W + 80 * 4;
if (80 * 4 + 64 != SHA1_SCRATCH_BYTES) ERROR('sha1.ts: the scratch layout must fill memory.ts SHA1_SCRATCH');

/** Builds K. Called once, from the module's start. */
export function initSha1(): void {
  store<u32>(K, <u32>Math.floor(Math.sqrt(2.0) * 1073741824.0));
  store<u32>(K + 4, <u32>Math.floor(Math.sqrt(3.0) * 1073741824.0));
  store<u32>(K + 8, <u32>Math.floor(Math.sqrt(5.0) * 1073741824.0));
  store<u32>(K + 12, <u32>Math.floor(Math.sqrt(10.0) * 1073741824.0));
}

/** SHA-1 of `len` (0..55) bytes at `src`; the 20-byte digest (big-endian) to `dst`. Wipes its scratch. */
export function sha1Short(src: usize, len: i32, dst: usize): void {
  memory.fill(BLOCK, 0, 64);
  memory.copy(BLOCK, src, len);
  store<u8>(BLOCK + len, 0x80);
  store<u64>(BLOCK + 56, bswap<u64>(<u64>len << 3));
  for (let t = 0; t < 16; t++) store<u32>(W + (<usize>t << 2), bswap<u32>(load<u32>(BLOCK + (<usize>t << 2))));
  for (let t = 16; t < 80; t++) {
    const x = load<u32>(W + (<usize>(t - 3) << 2)) ^ load<u32>(W + (<usize>(t - 8) << 2)) ^ load<u32>(W + (<usize>(t - 14) << 2)) ^ load<u32>(W + (<usize>(t - 16) << 2));
    store<u32>(W + (<usize>t << 2), rotl<u32>(x, 1));
  }
  let a: u32 = 0x67452301, b: u32 = 0xefcdab89, c: u32 = 0x98badcfe, d: u32 = 0x10325476, e: u32 = 0xc3d2e1f0;
  for (let t = 0; t < 80; t++) {
    let f: u32;
    if (t < 20) f = (b & c) | (~b & d);
    else if (t < 40 || t >= 60) f = b ^ c ^ d;
    else f = (b & c) | (b & d) | (c & d);
    const tmp = rotl<u32>(a, 5) + f + e + load<u32>(K + (<usize>(t / 20) << 2)) + load<u32>(W + (<usize>t << 2));
    e = d; d = c; c = rotl<u32>(b, 30); b = a; a = tmp;
  }
  store<u32>(dst, bswap<u32>(a + 0x67452301));
  store<u32>(dst + 4, bswap<u32>(b + 0xefcdab89));
  store<u32>(dst + 8, bswap<u32>(c + 0x98badcfe));
  store<u32>(dst + 12, bswap<u32>(d + 0x10325476));
  store<u32>(dst + 16, bswap<u32>(e + 0xc3d2e1f0));
  memory.fill(W, 0, 80 * 4);
  memory.fill(BLOCK, 0, 64);
}
