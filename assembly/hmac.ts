// HMAC (FIPS 198-1, RFC 2104) over SHA-256 (sha256.ts) and SHA-384/512 (sha512.ts), the kernel's one HMAC:
// hmacKeys computes a key's inner and outer states (into any place: dynamic CVV2 keeps one pair per card), hmacWith
// MACs one message from such states; streamed, hmacStart keys the states in REGION, hmacUpdate absorbs whole blocks
// (a long message arrives in parts) and hmacFinish pads, writes the tag and wipes REGION.
//
// Depends on: sha256.ts, sha512.ts, memory.ts (HMAC_SCRATCH).
import { compress, sha256Start, sha256Finish, sha256Wipe } from './sha256';
import { sha512Compress, sha512Start, sha512Finish, sha512Wipe } from './sha512';
import { HMAC_SCRATCH, HMAC_SCRATCH_BYTES } from './memory';

// Scratch (memory.ts HMAC_SCRATCH): inner and outer key states (64 bytes each), the running state, the key block
// and the inner digest.
const REGION_BYTES: i32 = 3 * 64 + 128 + 64;
if (REGION_BYTES != HMAC_SCRATCH_BYTES) ERROR('hmac.ts: the scratch layout must fill memory.ts HMAC_SCRATCH');
const REGION = HMAC_SCRATCH;
const INNER = REGION;
const OUTER = REGION + 64;
const STATE = REGION + 128;
const BLOCK = REGION + 192;
const DIGEST = REGION + 320;

@inline function blockBytes(bits: i32): i32 {
  return bits == 256 ? 64 : 128;
}

function start(bits: i32, state: usize): void {
  if (bits == 256) sha256Start(state);
  else sha512Start(state, bits);
}

function absorb(bits: i32, state: usize, block: usize): void {
  if (bits == 256) compress(state, block);
  else sha512Compress(state, block);
}

/** Hash of `len` bytes at `src` (no prefix) into `dst`, with `state` as scratch. */
function finish(bits: i32, state: usize, prefix: u64, src: usize, len: i32, dst: usize): void {
  if (bits == 256) sha256Finish(state, <i32>prefix, src, len, dst);
  else sha512Finish(state, prefix, src, len, dst, bits >> 3);
}

/**
 * The states of the `keyLen`-byte key at `key` for `bits` = 256, 384 or 512, written to `inner` and `outer` (32
 * bytes each for SHA-256, 64 otherwise): a key longer than the block is hashed first (RFC 2104 2), then K XOR ipad
 * and K XOR opad are absorbed. The key block and the long key's hash state are wiped before returning.
 */
export function hmacKeys(bits: i32, key: usize, keyLen: i32, inner: usize, outer: usize): void {
  const b = blockBytes(bits);
  memory.fill(BLOCK, 0, 128);
  if (keyLen > b) {
    start(bits, STATE);
    finish(bits, STATE, 0, key, keyLen, BLOCK);
    memory.fill(STATE, 0, 64);
  } else {
    memory.copy(BLOCK, key, keyLen);
  }
  for (let i = 0; i < b; i++) store<u8>(BLOCK + i, load<u8>(BLOCK + i) ^ 0x36);
  start(bits, inner);
  absorb(bits, inner, BLOCK);
  for (let i = 0; i < b; i++) store<u8>(BLOCK + i, load<u8>(BLOCK + i) ^ (0x36 ^ 0x5c));
  start(bits, outer);
  absorb(bits, outer, BLOCK);
  memory.fill(BLOCK, 0, 128);
}

/**
 * The HMAC of `len` bytes at `src` from states made by hmacKeys (not modified: copied to `scratch`, 32 or 64
 * bytes); the tag goes to `dst`, which may hold the message's last bytes no longer needed.
 */
export function hmacWith(bits: i32, inner: usize, outer: usize, scratch: usize, src: usize, len: i32, dst: usize): void {
  const b = blockBytes(bits);
  const size = bits == 256 ? 32 : 64;
  memory.copy(scratch, inner, size);
  finish(bits, scratch, <u64>b, src, len, dst);
  memory.copy(scratch, outer, size);
  finish(bits, scratch, <u64>b, dst, bits >> 3, dst);
}

/** Keys the streamed HMAC in REGION (see hmacKeys). */
export function hmacStart(bits: i32, key: usize, keyLen: i32): void {
  hmacKeys(bits, key, keyLen, INNER, OUTER);
  memory.copy(STATE, INNER, 64);
}

/** Absorbs `len` bytes at `src` (a multiple of the block size) into the running inner hash. */
export function hmacUpdate(bits: i32, src: usize, len: i32): void {
  const b = blockBytes(bits);
  for (let off = 0; off < len; off += b) absorb(bits, STATE, src + off);
}

/**
 * Finishes: the last `len` bytes at `src`, `done` bytes having been absorbed by hmacUpdate, then the outer hash;
 * writes the 32-, 48- or 64-byte tag to `dst` and wipes every state.
 */
export function hmacFinish(bits: i32, src: usize, len: i32, done: f64, dst: usize): void {
  const b = blockBytes(bits);
  const out = bits >> 3;
  finish(bits, STATE, <u64>b + <u64>done, src, len, DIGEST);
  memory.copy(STATE, OUTER, 64);
  finish(bits, STATE, <u64>b, DIGEST, out, dst);
  memory.fill(REGION, 0, REGION_BYTES);
  if (bits == 256) sha256Wipe();
  else sha512Wipe();
}
