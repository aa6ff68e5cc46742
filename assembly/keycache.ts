// A small cache of expanded key schedules, so that repeated operations under one key skip key expansion.
//
// The clear key for a call arrives in KEY_IN; selectKey() looks it up among the cached slots (a constant-time
// comparison over every slot, so timing does not reveal which slot or how many bytes matched), expands it into
// the least recently used slot on a miss, and returns the schedule's address. This cache is the only region that
// keeps key material between public calls; clearKeyCache() wipes it.
//
// Depends on: memory.ts (KEY_IN, CACHE), des_schedule.ts and aes.ts (key expansion).
import { KEY_IN, CACHE, CACHE_BYTES } from './memory';
import { tdesKeySchedule, TDES_SCHEDULE_BYTES } from './des_schedule';
import { aesKeySchedule, AES_SCHEDULE_BYTES } from './aes';

export const ALG_TDES: i32 = 1;
export const ALG_AES: i32 = 2;

const SLOTS: i32 = 8;
const SLOT_BYTES: i32 = 1024;
// Slot layout: the clear key it was expanded from (32 bytes, zero-padded), its algorithm and length, the tick of
// its last use, then the schedule.
const AT_KEY: usize = 0;
const AT_ALG: usize = 32;
const AT_LEN: usize = 36;
const AT_TICK: usize = 40;
const AT_SCHEDULE: usize = 64;

// The slots fill memory.ts CACHE (checked at compile time).
if (SLOTS * SLOT_BYTES != CACHE_BYTES) ERROR('keycache.ts: the slots must fill memory.ts CACHE');
// Schedules must fit their slot (64 + 384 for TDES, 64 + 480 for AES); test/wasm.calls.test.ts checks it.
export const SLOT_FITS: bool = <i32>AT_SCHEDULE + max(TDES_SCHEDULE_BYTES, AES_SCHEDULE_BYTES) <= SLOT_BYTES;

let tick: u32 = 0;

/** 0 when the slot holds exactly the key in KEY_IN for `alg`/`len`, non-zero otherwise; no early exit. */
function slotDiffers(slot: usize, alg: i32, len: i32): u64 {
  let diff: u64 = 0;
  for (let i = 0; i < 32; i += 8) diff |= load<u64>(slot + AT_KEY + i) ^ load<u64>(KEY_IN + i);
  diff |= <u64>(load<i32>(slot + AT_ALG) ^ alg) | <u64>(load<i32>(slot + AT_LEN) ^ len);
  return diff;
}

/**
 * Returns the address of the schedule for the `len`-byte key in KEY_IN under `alg` (ALG_TDES: 8/16/24 bytes;
 * ALG_AES: 16/24/32 bytes), expanding it on a miss.
 */
export function selectKey(alg: i32, len: i32): usize {
  tick++;
  let found: i32 = -1;
  let victim: i32 = 0;
  let oldest: u32 = 0xffffffff;
  for (let i = 0; i < SLOTS; i++) {
    const slot = CACHE + <usize>(i * SLOT_BYTES);
    const hit = slotDiffers(slot, alg, len) == 0;
    found = hit ? i : found;
    const t = load<u32>(slot + AT_TICK);
    const older = t < oldest;
    victim = older ? i : victim;
    oldest = older ? t : oldest;
  }
  if (found < 0) {
    found = victim;
    const slot = CACHE + <usize>(found * SLOT_BYTES);
    memory.fill(slot, 0, SLOT_BYTES);
    memory.copy(slot + AT_KEY, KEY_IN, 32);
    store<i32>(slot + AT_ALG, alg);
    store<i32>(slot + AT_LEN, len);
    if (alg == ALG_TDES) tdesKeySchedule(KEY_IN, len, slot + AT_SCHEDULE);
    else aesKeySchedule(KEY_IN, len, slot + AT_SCHEDULE);
  }
  const slot = CACHE + <usize>(found * SLOT_BYTES);
  store<u32>(slot + AT_TICK, tick);
  return slot + AT_SCHEDULE;
}

/** Wipes every cached schedule and the keys they came from. */
export function clearKeyCache(): void {
  memory.fill(CACHE, 0, CACHE_BYTES);
  tick = 0;
}
