// Bitsliced DES and TDES (FIPS 46-3; NIST SP 800-67 Rev. 2 for EDE) for large batches: 128 blocks per group
// through the generated kernel in des_bitslice.ts (transpose in with IP, 16 rounds per stage, transpose out with
// FP). Drivers for ECB and for the card kernels (the Visa CVV method, the Visa PVV). Results equal the table-driven
// path in des.ts bit for bit; the callers (des.ts, cvv.ts, pvv.ts) choose between the two by batch size.
//
// Key masks come from the key cache's schedules (des_schedule.ts layout) at each call; they, the states and every
// staging buffer live in one scratch region that is wiped before each driver returns.
//
// Depends on: des_bitslice.ts (the generated rounds and transposes), des_schedule.ts (schedule layout), digits.ts
// (packing, decimalization), memory.ts (BITSLICE_SCRATCH).
import { bsExpandKey, bsTransposeIn, bsTransposeOut, desRound } from './des_bitslice';
import { BS_STATE_BYTES, BS_ROUND_KEY_BYTES, BS_STAGE_KEY_BYTES } from './des_bitslice';
import { packDigits32, packDigits16v, decimalize } from './digits';
import { DES_SCHEDULE_BYTES } from './des_schedule';
import { BITSLICE_SCRATCH, BITSLICE_SCRATCH_BYTES } from './memory';

/** Blocks per group: one bit of each v128 slice per block. */
export const BS_GROUP: i32 = 128;

/**
 * The smallest batch, and the smallest final partial group, worth running sliced. A group costs the same whatever
 * its fill; measured on x86-64 (Node 20, V8 TurboFan), one costs as much as 9 to 10 blocks on the table path, for
 * DES, TDES, the CVV method and the PVV alike (2-core Xeon, 2026-11-23; see the test's sizes around it).
 */
export const BS_MIN: i32 = 10;

/** How many of `n` blocks or records a caller should run sliced; the table path does the rest. */
export function bsBlocks(n: i32): i32 {
  if (n < BS_MIN) return 0;
  const tail = n & (BS_GROUP - 1);
  return tail >= BS_MIN ? n : n - tail;
}

// One DES schedule inside a TDES schedule.
const DES_KEY_BYTES: usize = <usize>DES_SCHEDULE_BYTES;
const HALF: usize = <usize>BS_STATE_BYTES / 2;
const STAGE_KEYS: usize = <usize>BS_STAGE_KEY_BYTES;

// The scratch region (memory.ts BITSLICE_SCRATCH): key masks for up to three stages, the state, a second state (the
// CVV method's second block), transpose scratch, a staging buffer for packed or partial input (16 bytes per block)
// and one for output.
const KEYS_BYTES: usize = 3 * STAGE_KEYS;
const REGION_BYTES: usize = KEYS_BYTES + 3 * <usize>BS_STATE_BYTES + 16 * <usize>BS_GROUP + 8 * <usize>BS_GROUP;
if (REGION_BYTES != BITSLICE_SCRATCH_BYTES) ERROR('bitslice.ts: the scratch layout must fill memory.ts BITSLICE_SCRATCH');
const REGION = BITSLICE_SCRATCH;
const KEYS = REGION;
const STATE = KEYS + KEYS_BYTES;
const STATE2 = STATE + <usize>BS_STATE_BYTES;
const TMP = STATE2 + <usize>BS_STATE_BYTES;
const STAGING = TMP + <usize>BS_STATE_BYTES;
const BLOCKS = STAGING + 16 * <usize>BS_GROUP;
const END = REGION + REGION_BYTES;

/** Wipes the key masks of the first `stages` stages and every state and buffer (a driver's last step). */
function wipe(stages: i32): void {
  memory.fill(KEYS, 0, <usize>stages * STAGE_KEYS);
  memory.fill(STATE, 0, END - STATE);
}

/** 16 rounds on the state halves (first = L0, second = R0) with one stage's key masks; leaves (R16, L16) there. */
function stage(first: usize, second: usize, keys: usize): void {
  const step = <usize>BS_ROUND_KEY_BYTES;
  for (let r: usize = 0; r < 16; r += 2) {
    desRound(first, second, keys + r * step);
    desRound(second, first, keys + (r + 1) * step);
  }
}

/**
 * Expands key masks for ECB-style stages into KEYS: one stage (single DES) or E(K1) D(K2) E(K3), inverted for
 * decryption, from a TDES schedule at `ks`. Returns the number of stages.
 */
function expandStages(ks: usize, single: bool, decrypt: bool): i32 {
  if (single) {
    bsExpandKey(ks, decrypt, KEYS);
    return 1;
  }
  const outer1 = decrypt ? ks + 2 * DES_KEY_BYTES : ks;
  const outer2 = decrypt ? ks : ks + 2 * DES_KEY_BYTES;
  bsExpandKey(outer1, decrypt, KEYS);
  bsExpandKey(ks + DES_KEY_BYTES, !decrypt, KEYS + STAGE_KEYS);
  bsExpandKey(outer2, decrypt, KEYS + 2 * STAGE_KEYS);
  return 3;
}

/** Runs `stages` stages (an odd number) on STATE from IP order; the result's halves are (STATE + HALF, STATE). */
function runStages(stages: i32): void {
  let first = STATE, second = STATE + HALF;
  for (let s = 0; s < stages; s++) {
    stage(first, second, KEYS + <usize>s * STAGE_KEYS);
    const t = first;
    first = second;
    second = t;
  }
}

/**
 * ECB over `n` blocks from `src` to `dst` (may alias) under a TDES schedule, as des.ts tdesEcb. Full groups are
 * transposed in place; a final partial group goes through the staging buffer.
 */
export function bsEcb(ks: usize, single: bool, decrypt: bool, src: usize, dst: usize, n: i32): void {
  const stages = expandStages(ks, single, decrypt);
  for (let base = 0; base < n; base += BS_GROUP) {
    const count = min(BS_GROUP, n - base);
    const off = <usize>base << 3;
    let from = src + off, to = dst + off;
    if (count < BS_GROUP) {
      memory.copy(STAGING, from, <usize>count << 3);
      from = to = STAGING;
    }
    bsTransposeIn(from, 8, STATE, TMP);
    runStages(stages);
    bsTransposeOut(STATE + HALF, STATE, to, 8, TMP);
    if (count < BS_GROUP) memory.copy(dst + off, STAGING, <usize>count << 3);
  }
  wipe(stages);
}

/**
 * The Visa CVV method on `n` records of 32 ASCII digits at `src` (stride 32) under a 2-key TDES schedule:
 * TDES_EDE(KA,KB)(DES_KA(block1) XOR block2), decimalized to `digits` ASCII digits per record at `dst`.
 */
export function bsCvv(ks: usize, src: usize, dst: usize, n: i32, digits: i32): void {
  const ka = KEYS, kb = KEYS + STAGE_KEYS;
  bsExpandKey(ks, false, ka);
  bsExpandKey(ks + DES_KEY_BYTES, true, kb);
  for (let base = 0; base < n; base += BS_GROUP) {
    const count = min(BS_GROUP, n - base);
    for (let i = 0; i < count; i++) {
      v128.store(STAGING + (<usize>i << 4), packDigits32(src + <usize>(base + i) * 32));
    }
    bsTransposeIn(STAGING, 16, STATE, TMP);
    bsTransposeIn(STAGING + 8, 16, STATE2, TMP);
    // DES_KA(block1) leaves the halves swapped: its (R16, L16) is IP(ciphertext), which block 2 is added to.
    stage(STATE, STATE + HALF, ka);
    xorInto(STATE + HALF, STATE2);
    xorInto(STATE, STATE2 + HALF);
    stage(STATE + HALF, STATE, ka);
    stage(STATE, STATE + HALF, kb);
    stage(STATE + HALF, STATE, ka);
    bsTransposeOut(STATE, STATE + HALF, BLOCKS, 8, TMP);
    for (let i = 0; i < count; i++) {
      decimalize(bswap<u64>(load<u64>(BLOCKS + (<usize>i << 3))), digits, dst + <usize>(base + i) * digits);
    }
  }
  wipe(2);
}

/** The Visa PVV: for `n` 16-digit TSP records at `src`, TDES (or DES when `single`) then 4 decimalized digits. */
export function bsPvv(ks: usize, single: bool, src: usize, dst: usize, n: i32): void {
  const stages = expandStages(ks, single, false);
  for (let base = 0; base < n; base += BS_GROUP) {
    const count = min(BS_GROUP, n - base);
    for (let i = 0; i < count; i++) {
      v128.store64_lane(STAGING + (<usize>i << 3), packDigits16v(src + <usize>(base + i) * 16), 0);
    }
    bsTransposeIn(STAGING, 8, STATE, TMP);
    runStages(stages);
    bsTransposeOut(STATE + HALF, STATE, BLOCKS, 8, TMP);
    for (let i = 0; i < count; i++) {
      decimalize(bswap<u64>(load<u64>(BLOCKS + (<usize>i << 3))), 4, dst + <usize>(base + i) * 4);
    }
  }
  wipe(stages);
}

/** dst ^= src over one half state (32 slices). */
function xorInto(dst: usize, src: usize): void {
  for (let o: usize = 0; o < HALF; o += 64) {
    v128.store(dst + o, v128.xor(v128.load(dst + o), v128.load(src + o)));
    v128.store(dst + o, v128.xor(v128.load(dst + o, 16), v128.load(src + o, 16)), 16);
    v128.store(dst + o, v128.xor(v128.load(dst + o, 32), v128.load(src + o, 32)), 32);
    v128.store(dst + o, v128.xor(v128.load(dst + o, 48), v128.load(src + o, 48)), 48);
  }
}
