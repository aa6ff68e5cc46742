// SHA-256 (FIPS 180-4), the hash of HMAC-SHA-256 (hmac.ts). The round
// constants and initial hash value are derived at start-up from the primes, as FIPS 180-4 section 4.2.2 and 5.3.3
// define them (fractional parts of cube and square roots), and checked against published digests in the tests.
//
// Depends on: memory.ts (SHA256_SCRATCH).

import { SHA256_SCRATCH, SHA256_SCRATCH_BYTES } from './memory';

const K = memory.data(64 * 4, 16);
const H0 = memory.data(8 * 4, 16);
// Scratch (memory.ts SHA256_SCRATCH): the message schedule and the padding block (wiped by sha256Wipe, which the
// callers run).
const W = SHA256_SCRATCH;
const PAD = W + 64 * 4;
if (64 * 4 + 64 != SHA256_SCRATCH_BYTES) ERROR('sha256.ts: the scratch layout must fill memory.ts SHA256_SCRATCH');

function isPrime(n: i32): bool {
  for (let d = 2; d * d <= n; d++) if (n % d == 0) return false;
  return true;
}

/** Builds K and H0. Called once, from the module's start. */
export function initSha256(): void {
  let found = 0;
  for (let p = 2; found < 64; p++) {
    if (!isPrime(p)) continue;
    const c = Math.cbrt(<f64>p);
    store<u32>(K + (<usize>found << 2), <u32>((c - Math.floor(c)) * 4294967296.0));
    if (found < 8) {
      const s = Math.sqrt(<f64>p);
      store<u32>(H0 + (<usize>found << 2), <u32>((s - Math.floor(s)) * 4294967296.0));
    }
    found++;
  }
}

/** Compresses one 64-byte block at `block` into the 8-word state at `state` (words in native order). */
export function compress(state: usize, block: usize): void {
  for (let t = 0; t < 16; t++) store<u32>(W + (<usize>t << 2), bswap<u32>(load<u32>(block + (<usize>t << 2))));
  for (let t = 16; t < 64; t++) {
    const w15 = load<u32>(W + (<usize>(t - 15) << 2));
    const w2 = load<u32>(W + (<usize>(t - 2) << 2));
    const s0 = rotr<u32>(w15, 7) ^ rotr<u32>(w15, 18) ^ (w15 >> 3);
    const s1 = rotr<u32>(w2, 17) ^ rotr<u32>(w2, 19) ^ (w2 >> 10);
    store<u32>(W + (<usize>t << 2), load<u32>(W + (<usize>(t - 16) << 2)) + s0 + load<u32>(W + (<usize>(t - 7) << 2)) + s1);
  }
  let a = load<u32>(state), b = load<u32>(state, 4), c = load<u32>(state, 8), d = load<u32>(state, 12);
  let e = load<u32>(state, 16), f = load<u32>(state, 20), g = load<u32>(state, 24), h = load<u32>(state, 28);
  for (let t = 0; t < 64; t++) {
    const t1 = h + (rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25)) + ((e & f) ^ (~e & g)) + load<u32>(K + (<usize>t << 2)) + load<u32>(W + (<usize>t << 2));
    const t2 = (rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  store<u32>(state, load<u32>(state) + a); store<u32>(state, load<u32>(state, 4) + b, 4);
  store<u32>(state, load<u32>(state, 8) + c, 8); store<u32>(state, load<u32>(state, 12) + d, 12);
  store<u32>(state, load<u32>(state, 16) + e, 16); store<u32>(state, load<u32>(state, 20) + f, 20);
  store<u32>(state, load<u32>(state, 24) + g, 24); store<u32>(state, load<u32>(state, 28) + h, 28);
}

export function sha256Start(state: usize): void {
  memory.copy(state, H0, 32);
}

/**
 * Finishes a hash whose state already absorbed `prefix` bytes (a multiple of 64) with `len` more bytes at `src`,
 * and writes the 32-byte digest (big-endian) to `dst`.
 */
export function sha256Finish(state: usize, prefix: i32, src: usize, len: i32, dst: usize): void {
  let off = 0;
  for (; off + 64 <= len; off += 64) compress(state, src + off);
  const rem = len - off;
  memory.fill(PAD, 0, 64);
  memory.copy(PAD, src + off, rem);
  store<u8>(PAD + rem, 0x80);
  if (rem >= 56) {
    compress(state, PAD);
    memory.fill(PAD, 0, 64);
  }
  store<u64>(PAD + 56, bswap<u64>(<u64>(prefix + len) << 3));
  compress(state, PAD);
  for (let i = 0; i < 8; i++) store<u32>(dst + (<usize>i << 2), bswap<u32>(load<u32>(state + (<usize>i << 2))));
  memory.fill(PAD, 0, 64);
}

/** Wipes the schedule and padding scratch, which held message and key-derived words. */
export function sha256Wipe(): void {
  memory.fill(W, 0, 64 * 4);
  memory.fill(PAD, 0, 64);
}
