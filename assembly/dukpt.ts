// DUKPT, the host side: from a base derivation key (or a device's initial key) and a key serial number to the
// transaction's keys, for many KSNs per call.
//   TDES DUKPT, ANSI X9.24-1:2009 Annex A: the initial key (IPEK) is TDES_BDK(KSN') || TDES_BDK^C0C0C0C0..(KSN'),
//     KSN' = the leftmost 8 bytes of the KSN with the 21-bit counter cleared; the transaction key walks the
//     counter's one-bits from the most significant, each through the non-reversible key generation process
//     (A.2, "NRKGP"); working keys XOR a variant constant into both halves (A.4 Table A-1), and data keys then
//     encrypt their own halves under themselves (the one-way step of A.4, figure A-2).
//   AES DUKPT, ANSI X9.24-3:2017 6.3: every key is AES-ECB(parent, derivation data) in counter mode (NIST SP
//     800-108), derivation data = 01 || block counter || key usage (2) || algorithm (2) || length in bits (2) ||
//     context (8); the initial key's context is the initial key ID, every other key's the derivation ID (the
//     ID's right half) || a 32-bit counter. The counter walk derives one intermediate key per one-bit.
// The caller validates everything (lengths, counters with at most 10 / 16 one-bits) and selects the BDK's
// schedules through the key cache; keys derived here live in the scratch below and are wiped before returning.
//
// Depends on: des.ts (tdesBlock), des_schedule.ts (schedules of derived keys), aes.ts, pinblock.ts (translation),
// memory.ts (DUKPT_SCRATCH).
import { tdesBlock } from './des';
import { desKeyScheduleOf, tdesKeyScheduleFast } from './des_schedule';
import { aesExpandKey, aesKeySchedule, aesRounds, aesSetHalves, aesEncryptState, aesStateHi, aesStateLo, aesClearState } from './aes';
import { pinblockTranslate, TRANSLATE_OUT } from './pinblock';
import { DUKPT_SCRATCH, DUKPT_SCRATCH_BYTES } from './memory';

export const DUKPT_TDES: i32 = 1;
export const DUKPT_AES: i32 = 2;
/** What dukptKeys derives for each KSN. */
export const DUKPT_INITIAL: i32 = 0;
export const DUKPT_TRANSACTION: i32 = 1;
export const DUKPT_WORKING: i32 = 2;
/** The KSN's offset inside a PIN translation record (after assembly/pinblock.ts's TRANSLATE_RECORD fields). */
export const DUKPT_KSN_AT: i32 = 48;

// Scratch (memory.ts DUKPT_SCRATCH): one DES schedule (NRKGP), one derivation schedule (AES encryption rounds, or the TDES schedule of a
// data key's one-way step), the key register, the derived key, and two working-key schedules for PIN blocks.
const REGION_BYTES: i32 = 128 + 480 + 32 + 32 + 480 + 480;
if (REGION_BYTES != DUKPT_SCRATCH_BYTES) ERROR('dukpt.ts: the scratch layout must fill memory.ts DUKPT_SCRATCH');
const REGION = DUKPT_SCRATCH;
const DES_KS = REGION;
const DERIVE_KS = REGION + 128;
const KEY = REGION + 608;
const NEXT = REGION + 640;
const SLOTS = REGION + 672;
const SLOT_BYTES: i32 = 480;

// TDES key register, as two big-endian halves.
let keyHi: u64 = 0;
let keyLo: u64 = 0;

// The source bound by dukptSource: the scheme and either the BDK's cached schedules or an initial key in memory.
let scheme: i32 = 0;
let bdkKs: usize = 0;
let bdkVariantKs: usize = 0; // TDES: the schedule of BDK XOR C0C0C0C000000000C0C0C0C000000000
let bdkLen: i32 = 0;
let initialKey: usize = 0; // when bdkKs is 0: the IPEK (TDES) or initial key (AES), bdkLen bytes

const C0: u64 = 0xc0c0c0c000000000;
const COUNTER_21: u64 = 0x1fffff;

/**
 * Binds the key source for the calls that follow: a BDK (its TDES/AES schedule `ks`, and for TDES the schedule
 * of its C0 variant) or, with `ks` = 0, the initial key of `len` bytes at `ik`.
 */
export function dukptSource(kind: i32, ks: usize, variantKs: usize, len: i32, ik: usize): void {
  scheme = kind;
  bdkKs = ks;
  bdkVariantKs = variantKs;
  bdkLen = len;
  initialKey = ik;
}

// ---- TDES DUKPT ---------------------------------------------------------------------------------------------

/** DES encryption of `block` under the single-DES `key`, whose schedule is expanded for this one use. */
@inline function desUnder(key: u64, block: u64): u64 {
  desKeyScheduleOf(key, DES_KS);
  return tdesBlock(block, DES_KS, false, true);
}

/** X9.24-1 A.2 non-reversible key generation process on the key register, crypto register-1 = `reg`. */
function nrkgp(reg: u64): void {
  const right = desUnder(keyHi, reg ^ keyLo) ^ keyLo;
  const hi = keyHi ^ C0;
  const lo = keyLo ^ C0;
  keyHi = desUnder(hi, reg ^ lo) ^ lo;
  keyLo = right;
}

/** The 10-byte KSN's leftmost 8 bytes with the counter's bits (the low 5 bits of byte 7) cleared. */
@inline function tdesKsnId(ksn: usize): u64 {
  return bswap<u64>(load<u64>(ksn)) & ~(<u64>0x1f);
}

/** The key register := the IPEK of the device that `ksn` belongs to. */
function tdesInitial(ksn: usize): void {
  if (bdkKs == 0) {
    keyHi = bswap<u64>(load<u64>(initialKey));
    keyLo = bswap<u64>(load<u64>(initialKey + 8));
  } else {
    const id = tdesKsnId(ksn);
    keyHi = tdesBlock(id, bdkKs, false, false);
    keyLo = tdesBlock(id, bdkVariantKs, false, false);
  }
}

/** The key register := the transaction key of `ksn`: NRKGP once per one-bit of the counter, high bits first. */
function tdesTransaction(ksn: usize): void {
  tdesInitial(ksn);
  const right = bswap<u64>(load<u64>(ksn + 2)); // KSN bytes 2..9: the low 64 bits, counter included
  const counter = right & COUNTER_21;
  let reg = right & ~COUNTER_21;
  for (let bit: u64 = 0x100000; bit != 0; bit >>= 1) {
    if (counter & bit) {
      reg |= bit;
      nrkgp(reg);
    }
  }
}

// Variant constants of X9.24-1 A.4 Table A-1, XORed into each half: PIN, MAC request, MAC response, data
// request, data response.
const VARIANTS = memory.data<u64>([0xff, 0xff00, 0xff000000, 0xff0000, 0xff00000000]);

/** The key register := its working key `variant` (0..4); data keys (3, 4) also take the one-way step. */
function tdesVariant(variant: i32): void {
  const mask = load<u64>(VARIANTS + (<usize>variant << 3));
  keyHi ^= mask;
  keyLo ^= mask;
  if (variant >= 3) {
    store<u64>(KEY, bswap<u64>(keyHi));
    store<u64>(KEY + 8, bswap<u64>(keyLo));
    tdesKeyScheduleFast(KEY, 16, DERIVE_KS);
    keyHi = tdesBlock(keyHi, DERIVE_KS, false, false);
    keyLo = tdesBlock(keyLo, DERIVE_KS, false, false);
  }
}

@inline function storeKeyRegister(dst: usize): void {
  store<u64>(dst, bswap<u64>(keyHi));
  store<u64>(dst + 8, bswap<u64>(keyLo));
}

// ---- AES DUKPT ----------------------------------------------------------------------------------------------

const USAGE_KEY_DERIVATION: u64 = 0x8000;
const USAGE_INITIAL_KEY: u64 = 0x8001;

/** The algorithm indicator of an AES key of `len` bytes (X9.24-3 6.3.2: 2 AES-128, 3 AES-192, 4 AES-256). */
@inline function aesAlgorithm(len: i32): u64 {
  return <u64>((len >> 3) & 7);
}

/**
 * X9.24-3 6.3: `bits` of key material for (usage, algorithm, context) under the AES key whose encryption
 * schedule is `ks`, one block per 128 bits (block counter 1, 2), to `out` (32 bytes of room).
 */
function aesDerive(ks: usize, nr: i32, usage: u64, algorithm: u64, bits: i32, context: u64, out: usize): void {
  const blocks = (bits + 127) >> 7;
  for (let i = 1; i <= blocks; i++) {
    const hi = (<u64>0x01 << 56) | (<u64>i << 48) | (usage << 32) | (algorithm << 16) | <u64>bits;
    aesSetHalves(hi, context);
    aesEncryptState(ks, nr);
    const at = out + (<usize>(i - 1) << 4);
    store<u64>(at, bswap<u64>(aesStateHi()));
    store<u64>(at + 8, bswap<u64>(aesStateLo()));
  }
  aesClearState();
}

/** KEY := the initial key of the device whose initial key ID is the 8 bytes at `id`. */
function aesInitial(id: usize): void {
  if (bdkKs == 0) {
    memory.copy(KEY, initialKey, bdkLen);
  } else {
    aesDerive(bdkKs, aesRounds(bdkLen), USAGE_INITIAL_KEY, aesAlgorithm(bdkLen), bdkLen << 3, bswap<u64>(load<u64>(id)), KEY);
  }
}

@inline function aesDerivationId(ksn: usize): u64 {
  return <u64>bswap<u32>(load<u32>(ksn + 4)) << 32;
}

/** KEY := the intermediate derivation key of the 12-byte `ksn`: one derivation per one-bit, high bits first. */
function aesTransaction(ksn: usize): void {
  aesInitial(ksn);
  const counter = bswap<u32>(load<u32>(ksn + 8));
  const id = aesDerivationId(ksn);
  const nr = aesRounds(bdkLen);
  const algorithm = aesAlgorithm(bdkLen);
  let walked: u32 = 0;
  for (let mask: u32 = 0x80000000; mask != 0; mask >>= 1) {
    if (counter & mask) {
      walked |= mask;
      aesExpandKey(KEY, bdkLen, DERIVE_KS);
      aesDerive(DERIVE_KS, nr, USAGE_KEY_DERIVATION, algorithm, bdkLen << 3, id | <u64>walked, KEY);
    }
  }
}

/** NEXT := the working key (usage, algorithm indicator, bits) of the 12-byte `ksn`. */
function aesWorking(ksn: usize, usage: i32, algorithm: i32, bits: i32): void {
  aesTransaction(ksn);
  aesExpandKey(KEY, bdkLen, DERIVE_KS);
  aesDerive(DERIVE_KS, aesRounds(bdkLen), <u64>usage, <u64>algorithm, bits, aesDerivationId(ksn) | <u64>bswap<u32>(load<u32>(ksn + 8)), NEXT);
}

// ---- Batches ------------------------------------------------------------------------------------------------

/**
 * For each of `n` records at `src` (`stride` bytes apart, each starting with a KSN, or for AES initial keys
 * with the initial key ID), writes to `dst` (`outStride` apart) the key `kind` asks for:
 *   DUKPT_INITIAL      the IPEK (TDES, 16 bytes) or the initial key (AES, the BDK's length)
 *   DUKPT_TRANSACTION  the transaction key (TDES) or the intermediate derivation key of the counter (AES)
 *   DUKPT_WORKING      TDES: the working key `usage` (0 PIN, 1 MAC request, 2 MAC response, 3 data request,
 *                      4 data response); AES: the key of usage indicator `usage`, algorithm indicator
 *                      `algorithm`, `bits` long
 */
export function dukptKeys(src: usize, stride: i32, dst: usize, outStride: i32, n: i32, kind: i32, usage: i32, algorithm: i32, bits: i32): void {
  for (let i = 0; i < n; i++) {
    const rec = src + <usize>(i * stride);
    const out = dst + <usize>(i * outStride);
    if (scheme == DUKPT_TDES) {
      if (kind == DUKPT_INITIAL) tdesInitial(rec);
      else tdesTransaction(rec);
      if (kind == DUKPT_WORKING) tdesVariant(usage);
      storeKeyRegister(out);
    } else if (kind == DUKPT_WORKING) {
      aesWorking(rec, usage, algorithm, bits);
      memory.copy(out, NEXT, bits >> 3);
    } else {
      if (kind == DUKPT_INITIAL) aesInitial(rec);
      else aesTransaction(rec);
      memory.copy(out, KEY, bdkLen);
    }
  }
  dukptWipe();
}

/** Derives the PIN key of the KSN at `ksn` into schedule slot `slot` and returns its address (see dukptPinKey). */
function pinKeyInto(ksn: usize, algorithm: i32, bits: i32, slot: i32): usize {
  const ks = SLOTS + <usize>(slot * SLOT_BYTES);
  if (scheme == DUKPT_TDES) {
    tdesTransaction(ksn);
    tdesVariant(0);
    storeKeyRegister(NEXT);
    tdesKeyScheduleFast(NEXT, 16, ks);
  } else {
    aesWorking(ksn, 0x1000, algorithm, bits);
    if (algorithm >= 2) aesKeySchedule(NEXT, bits >> 3, ks);
    else tdesKeyScheduleFast(NEXT, bits >> 3, ks);
  }
  return ks;
}

/**
 * Derives the PIN encryption key of the KSN at `ksn` and expands it into schedule slot `slot` (0 or 1), whose
 * address it returns; everything but the slot is wiped. TDES DUKPT: the PIN variant, a 2-key TDES schedule. AES
 * DUKPT: the key of usage 1000, algorithm indicator `algorithm` and `bits`: an AES schedule (indicators 2-4) or a
 * TDES one (0, 1). The slot is wiped by dukptPinTranslate or dukptWipe.
 */
export function dukptPinKey(ksn: usize, algorithm: i32, bits: i32, slot: i32): usize {
  const ks = pinKeyInto(ksn, algorithm, bits, slot);
  keyHi = 0;
  keyLo = 0;
  memory.fill(DES_KS, 0, SLOTS - DES_KS);
  return ks;
}

/**
 * PIN translation from DUKPT (ISO 9564-1 via assembly/pinblock.ts pinblockTranslate) for `n` records at `src`,
 * `stride` bytes apart: a translate record with the KSN at DUKPT_KSN_AT. Each record's PIN key is derived into
 * slot 0 (`algorithm`, `bits` and `fromMode` as for dukptPinKey: `fromMode` is the AES rounds, or 0 for TDES),
 * then the block is translated from format `from` to format `to` under `toKs`/`toMode`; one TRANSLATE_OUT
 * result per record at `dst`. Every derived key is wiped before returning.
 */
export function dukptPinTranslate(algorithm: i32, bits: i32, fromMode: i32, from: i32, to: i32, toKs: usize, toMode: i32, src: usize, stride: i32, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const rec = src + <usize>(i * stride);
    const ks = pinKeyInto(rec + DUKPT_KSN_AT, algorithm, bits, 0);
    pinblockTranslate(from, ks, fromMode, to, toKs, toMode, rec, dst + <usize>(i * TRANSLATE_OUT));
  }
  dukptWipe();
}

/** Wipes every derived key, schedule and register (the callers also run it after a failure). */
export function dukptWipe(): void {
  memory.fill(REGION, 0, REGION_BYTES);
  keyHi = 0;
  keyLo = 0;
  aesClearState();
}
