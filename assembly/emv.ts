// EMV issuer cryptography (EMV 4.4 Book 2 Annex A1) and the dynamic codes built on it:
//   ICC master keys (A1.4): Y = the rightmost 16 digits of PAN || PSN (Option A) or, for PANs over 16 digits, 16
//     decimalized digits of SHA-1(PAN || PSN) (Option B); MK = TDES_IMK(Y) || TDES_IMK(Y XOR FF..FF), odd parity;
//   session keys (A1.3.1): SK = TDES_MK(R with byte 3 = F0) || TDES_MK(R with byte 3 = 0F), odd parity, where
//     R = ATC || 00..00 (the common derivation) or ATC || 0000 || UN (Mastercard's);
//   application cryptograms (A1.2): ISO/IEC 9797-1 MAC algorithm 3 under the session key (or the MK itself);
//   Visa dCVV: the Visa CVV method under the card's MK over ATC || PAN[4..] || expiry || service code;
//   Mastercard CVC3: TDES_MK(IVCVC3 || UN || ATC), IVCVC3 = the last 2 bytes of the algorithm 3 MAC (padding 2) of
//     the track data; the last 2 bytes of the result as 5 decimal digits;
//   issuer script PIN change data (Book 2 9.3): the new PIN (decoded here from its encrypted PIN block, never
//     leaving WASM) as an ISO 9564 format 2 or VIS PIN block, padded and enciphered under the SMC session key.
// Per-card keys and their schedules live in REGION, wiped before every kernel returns.
//
// Depends on: des.ts (tdesBlock, tdesEcb), des_schedule.ts, des_bitslice.ts (the sliced path with per-card keys),
// mac.ts (isoMac3), sha1.ts (Option B), digits.ts, pinblock.ts (decoding), memory.ts (EMV_SCRATCH, EMV_SLICED).
import { tdesBlock, tdesEcb } from './des';
import { desKeySchedule, DES_SCHEDULE_BYTES } from './des_schedule';
import { bsTransposeIn, bsTransposeOut, bsExpandKey, bsExpandKeyLanes, desRound, desRoundLanes } from './des_bitslice';
import { BS_STATE_BYTES, BS_ROUND_KEY_BYTES, BS_STAGE_KEY_BYTES, BS_LANE_ROUND_KEY_BYTES, BS_LANE_STAGE_KEY_BYTES } from './des_bitslice';
import { isoMac3 } from './mac';
import { sha1Short } from './sha1';
import { decimalize } from './digits';
import { decodeOne, pinField, DECODE_RECORD, PINBLOCK_OUT, OK } from './pinblock';
import { EMV_SCRATCH, EMV_SCRATCH_BYTES, EMV_SLICED, EMV_SLICED_BYTES } from './memory';

/** A card record: [0] PAN length (12..19), [1..20) PAN (ASCII), [20..22) PSN (ASCII). */
export const EMV_CARD: i32 = 24;
/** dCVV record: a card record, [24..28) expiry, [28..31) service code (ASCII), [32..34) ATC (binary). */
export const EMV_DCVV_RECORD: i32 = 40;
/** Cryptogram and CVC3 records start with a card record; their fields follow at these offsets. */
export const EMV_AT_ATC: i32 = 24;
export const EMV_AT_UN: i32 = 26;
export const EMV_AT_LENGTH: i32 = 32;
/** The cryptogram to verify (emvAcBatch with `verify`). */
export const EMV_AT_ARQC: i32 = 40;
export const EMV_AT_DATA: i32 = 48;

const TDES_KS: usize = 3 * <usize>DES_SCHEDULE_BYTES;
const REGION_BYTES: usize = 2 * TDES_KS + 16 + 16 + 24 + <usize>(DECODE_RECORD + 2 * PINBLOCK_OUT);
if (REGION_BYTES != EMV_SCRATCH_BYTES) ERROR('emv.ts: the scratch layout must fill memory.ts EMV_SCRATCH');
const REGION = EMV_SCRATCH;
const MK_KS = REGION;
const SK_KS = REGION + TDES_KS;
const KEY = SK_KS + TDES_KS;
const HASH_IN = KEY + 16;
const HASH = HASH_IN + 16;
const CLEAR = HASH + 24;
const PIN = CLEAR + <usize>DECODE_RECORD;
const CURRENT = PIN + <usize>PINBLOCK_OUT;

function wipeRegion(): void {
  memory.fill(REGION, 0, REGION_BYTES);
}

/**
 * Odd parity in every byte (FIPS 46-3): bit 0 makes the byte's count of ones odd. Branch-free, all 8 bytes at once:
 * folding by 1, 2 and 4 leaves in each byte's bit 0 the parity of that byte's bits 1-7 (shifts of at most 7 bits
 * bring bit 0 nothing from the next byte), and odd parity sets bit 0 to its complement.
 */
@inline function oddParity(v: u64): u64 {
  const x = v & 0xfefefefefefefefe;
  let p = x ^ (x >> 1);
  p ^= p >> 2;
  p ^= p >> 4;
  return x | (~p & 0x0101010101010101);
}

@inline function digitAt(p: usize, i: i32): u64 {
  return <u64>load<u8>(p + i) & 15;
}

/** Option B's Y: SHA-1 of PAN || PSN in BCD (a leading 0 digit when the count is odd), decimalized to 16 digits. */
function optionBY(rec: usize, len: i32): u64 {
  const total = len + 2;
  const pad = total & 1;
  const nibbles = total + pad;
  for (let k = 0; k < nibbles; k += 2) {
    let pair: u32 = 0;
    for (let h = 0; h < 2; h++) {
      const j = k + h - pad;
      const d = j < 0 ? 0 : (j < len ? <u32>digitAt(rec + 1, j) : <u32>digitAt(rec + 20, j - len));
      pair = (pair << 4) | d;
    }
    store<u8>(HASH_IN + (k >> 1), <u8>pair);
  }
  sha1Short(HASH_IN, nibbles >> 1, HASH);
  // The decimal digits of the 40-nibble digest in order, then (if fewer than 16) its A-F nibbles as 0-5.
  let v: u64 = 0;
  let count = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < 40 && count < 16; i++) {
      const nib = <u64>((load<u8>(HASH + (i >> 1)) >> (i & 1 ? 0 : 4)) & 15);
      if ((nib < 10) == (pass == 0)) {
        v = (v << 4) | (pass == 0 ? nib : nib - 10);
        count++;
      }
    }
  }
  return v;
}

/** Y for the card record at `rec` (EMV Book 2 A1.4.1 / A1.4.2). */
export function emvY(rec: usize, optionB: bool): u64 {
  const len = <i32>load<u8>(rec);
  if (optionB && len > 16) return optionBY(rec, len);
  // Shifting in every digit keeps the rightmost 16, left-padded with zeros.
  let v: u64 = 0;
  for (let i = 0; i < len; i++) v = (v << 4) | digitAt(rec + 1, i);
  return (((v << 4) | digitAt(rec + 20, 0)) << 4) | digitAt(rec + 20, 1);
}

/** The 2-key TDES schedule (K1, K2, K3 = K1) of the key with halves `l` and `r`, at `ks`. */
function schedule2(l: u64, r: u64, ks: usize): void {
  store<u64>(KEY, bswap<u64>(l));
  store<u64>(KEY + 8, bswap<u64>(r));
  desKeySchedule(KEY, ks);
  desKeySchedule(KEY + 8, ks + DES_SCHEDULE_BYTES);
  memory.copy(ks + 2 * DES_SCHEDULE_BYTES, ks, DES_SCHEDULE_BYTES);
  memory.fill(KEY, 0, 16);
}

/** The card's ICC master key under the IMK schedule `imk`, expanded into MK_KS. */
function masterKey(imk: usize, rec: usize, optionB: bool): void {
  const y = emvY(rec, optionB);
  schedule2(oddParity(tdesBlock(y, imk, false, false)), oddParity(tdesBlock(~y, imk, false, false)), MK_KS);
}

/** Session key (A1.3.1) under the schedule at `mk` for the diversification value R, expanded into SK_KS. */
function sessionKey(mk: usize, r: u64): void {
  const a = (r & 0xffff00ffffffffff) | 0x0000f00000000000;
  const b = (r & 0xffff00ffffffffff) | 0x00000f0000000000;
  schedule2(oddParity(tdesBlock(a, mk, false, false)), oddParity(tdesBlock(b, mk, false, false)), SK_KS);
}

/**
 * ICC master keys for `n` card records at `src` under up to five IMK schedules (`count` of k0..k4), Option A or B.
 * Writes them key by key: the keys under k_j for all cards (16 bytes each, odd parity) at `dst` + j * n * 16.
 * The derivation data of every card is built once, then each IMK enciphers a copy of it as one ECB batch.
 */
export function emvMasterKeys(k0: usize, k1: usize, k2: usize, k3: usize, k4: usize, count: i32, optionB: bool, src: usize, n: i32, dst: usize): void {
  for (let i = 0; i < n; i++) {
    const y = emvY(src + <usize>(i * EMV_CARD), optionB);
    store<u64>(dst + (<usize>i << 4), bswap<u64>(y));
    store<u64>(dst + (<usize>i << 4) + 8, bswap<u64>(~y));
  }
  wipeRegion();
  const bytes = <usize>n << 4;
  for (let j = count - 1; j >= 0; j--) {
    const ks = j == 0 ? k0 : j == 1 ? k1 : j == 2 ? k2 : j == 3 ? k3 : k4;
    const out = dst + <usize>j * bytes;
    if (j > 0) memory.copy(out, dst, bytes);
    tdesEcb(ks, false, false, out, out, n << 1);
    for (let o: usize = 0; o < bytes; o += 8) store<u64>(out + o, oddParity(load<u64>(out + o)));
  }
}

/** The AC of the record at `rec` by the table path: MK, session key and MAC one record at a time. */
function acOne(imk: usize, optionB: bool, skd: i32, rec: usize): u64 {
  masterKey(imk, rec, optionB);
  let ks = MK_KS;
  if (skd != 0) {
    const atc = <u64>bswap<u16>(load<u16>(rec + EMV_AT_ATC));
    const un = skd == 2 ? <u64>bswap<u32>(load<u32>(rec + EMV_AT_UN)) : 0;
    sessionKey(MK_KS, (atc << 48) | un);
    ks = SK_KS;
  }
  return isoMac3(ks, rec + EMV_AT_DATA, <i32>load<u16>(rec + EMV_AT_LENGTH), false);
}

/** Writes record i's result: the AC (8 bytes), or with `verify` 1 when it equals the record's ARQC, else 0. */
@inline function putAc(ac: u64, rec: usize, verify: bool, dst: usize, i: i32): void {
  if (verify) {
    const diff = ac ^ bswap<u64>(load<u64>(rec + EMV_AT_ARQC));
    // Constant time: 1 exactly when diff is zero.
    store<u8>(dst + <usize>i, <u8>(1 - <u32>((diff | (0 - diff)) >> 63)));
  } else {
    store<u64>(dst + (<usize>i << 3), bswap<u64>(ac));
  }
}

// ---- The sliced path: 128 records at a time, every key per record (bsExpandKeyLanes), nothing leaving the
// sliced form between the IMK and the MAC but the cryptograms themselves.

/** Records from which a batch runs sliced (a partial group costs as much as a full one). */
export const EMV_SLICE_MIN: i32 = 16;
const GROUP: i32 = 128;
const STATE: usize = <usize>BS_STATE_BYTES;
const HALF: usize = STATE >> 1;
const LANE_STAGE: usize = <usize>BS_LANE_STAGE_KEY_BYTES;
const SHARED_STAGE: usize = <usize>BS_STAGE_KEY_BYTES;
const SLICED_BYTES: usize = 3 * SHARED_STAGE + 2 * LANE_STAGE + 8 * STATE;
if (SLICED_BYTES != EMV_SLICED_BYTES) ERROR('emv.ts: the sliced layout must fill memory.ts EMV_SLICED');
const SLICED = EMV_SLICED;
const IMK_MASKS = SLICED; //                      E(K1) D(K2) E(K3) of the IMK
const K1 = IMK_MASKS + 3 * SHARED_STAGE; //       per-record left key, encrypting
const K2 = K1 + LANE_STAGE; //                    per-record right key, decrypting
const Y = K2 + LANE_STAGE; //                     the derivation data
const KL = Y + STATE; //                          a key's left half, sliced
const KR = KL + STATE; //                         its right half
const W = KR + STATE; //                          the running state
const D = W + STATE; //                           a data block
const TMP = D + STATE; //                         transpose scratch
const BLOCKS = TMP + STATE; //                    128 blocks in or out (8 bytes each)

/** 16 rounds with shared (`lanes` false) or per-record key masks, then the halves back in IP order. */
function stage(st: usize, keys: usize, lanes: bool): void {
  const step: usize = lanes ? <usize>BS_LANE_ROUND_KEY_BYTES : <usize>BS_ROUND_KEY_BYTES;
  for (let r: usize = 0; r < 16; r += 2) {
    if (lanes) {
      desRoundLanes(st, st + HALF, keys + r * step);
      desRoundLanes(st + HALF, st, keys + (r + 1) * step);
    } else {
      desRound(st, st + HALF, keys + r * step);
      desRound(st + HALF, st, keys + (r + 1) * step);
    }
  }
  // (L16, R16) -> the preoutput R16 || L16: the ciphertext in IP order, the next stage's (L0, R0).
  for (let o: usize = 0; o < HALF; o += 16) {
    const a = v128.load(st + o);
    v128.store(st + o, v128.load(st + HALF + o));
    v128.store(st + HALF + o, a);
  }
}

/** TDES-EDE with the per-record masks: E(K1) D(K2) E(K1). */
@inline function tdesLanes(st: usize): void {
  stage(st, K1, true);
  stage(st, K2, true);
  stage(st, K1, true);
}

function xorState(dst: usize, src: usize, complement: bool): void {
  const c = complement ? i8x16.splat(-1) : i8x16.splat(0);
  for (let o: usize = 0; o < STATE; o += 16) v128.store(dst + o, v128.xor(v128.xor(v128.load(dst + o), v128.load(src + o)), c));
}

/** The blocks v (per record, from `make`) of a group transposed into `st`. */
@inline function loadBlocks(st: usize): void {
  bsTransposeIn(BLOCKS, 8, st, TMP);
}

/** One group: `count` (1..128) records from `recs`. */
function acGroup(optionB: bool, skd: i32, recs: usize, stride: i32, count: i32, blocks: i32, verify: bool, dst: usize): void {
  // ICC master keys: TDES_IMK(Y) and TDES_IMK(~Y), sliced with the IMK's shared masks.
  for (let i = 0; i < GROUP; i++) store<u64>(BLOCKS + (<usize>i << 3), i < count ? bswap<u64>(emvY(recs + <usize>(i * stride), optionB)) : 0);
  loadBlocks(Y);
  memory.fill(KL, 0, STATE);
  xorState(KL, Y, false);
  stage(KL, IMK_MASKS, false);
  stage(KL, IMK_MASKS + SHARED_STAGE, false);
  stage(KL, IMK_MASKS + 2 * SHARED_STAGE, false);
  memory.fill(KR, 0, STATE);
  xorState(KR, Y, true);
  stage(KR, IMK_MASKS, false);
  stage(KR, IMK_MASKS + SHARED_STAGE, false);
  stage(KR, IMK_MASKS + 2 * SHARED_STAGE, false);
  // Parity bits are not key bits (PC-1 drops them), so the MK needs no parity fix to serve as a key.
  bsExpandKeyLanes(KL, false, K1);
  bsExpandKeyLanes(KR, true, K2);
  if (skd != 0) {
    for (let half = 0; half < 2; half++) {
      for (let i = 0; i < GROUP; i++) {
        const rec = recs + <usize>(i * stride);
        let r: u64 = 0;
        if (i < count) {
          r = <u64>bswap<u16>(load<u16>(rec + EMV_AT_ATC)) << 48;
          if (skd == 2) r |= <u64>bswap<u32>(load<u32>(rec + EMV_AT_UN));
        }
        r = (r & 0xffff00ffffffffff) | (half == 0 ? 0x0000f00000000000 : 0x00000f0000000000);
        store<u64>(BLOCKS + (<usize>i << 3), bswap<u64>(r));
      }
      const st = half == 0 ? KL : KR;
      loadBlocks(st);
      tdesLanes(st);
    }
    bsExpandKeyLanes(KL, false, K1);
    bsExpandKeyLanes(KR, true, K2);
  }
  // The MAC (ISO/IEC 9797-1 algorithm 3 over pre-padded data): DES_K1 chaining, TDES on the last block.
  memory.fill(W, 0, STATE);
  for (let b = 0; b < blocks; b++) {
    bsTransposeIn(recs + <usize>(EMV_AT_DATA + 8 * b), <usize>stride, D, TMP);
    xorState(W, D, false);
    if (b < blocks - 1) stage(W, K1, true);
    else tdesLanes(W);
  }
  bsTransposeOut(W, W + HALF, BLOCKS, 8, TMP);
  for (let i = 0; i < count; i++) putAc(bswap<u64>(load<u64>(BLOCKS + (<usize>i << 3))), recs + <usize>(i * stride), verify, dst, i);
}

function wipeSliced(): void {
  memory.fill(SLICED, 0, SLICED_BYTES);
}

/**
 * Application cryptograms for `n` records at `src`, `stride` bytes apart: a card record, then the ATC and UN, the
 * length of the data (already padded to whole blocks, the same for every record of a call), the expected ARQC and
 * the data at the EMV_AT_* offsets. Keys: the card's MK from the IMK schedule `imk`; then `skd` 0 = the MK itself,
 * 1 = common session key (R = ATC || 0^6), 2 = Mastercard session key (R = ATC || 0000 || UN). Writes the 8-byte
 * ACs to `dst`, or with `verify` one byte per record: 1 when the AC equals the record's ARQC (compared in constant
 * time). From EMV_SLICE_MIN records on, groups of 128 run sliced with per-record keys; the rest one by one.
 */
export function emvAcBatch(imk: usize, optionB: bool, skd: i32, verify: bool, src: usize, stride: i32, n: i32, dst: usize): void {
  let done = 0;
  if (n >= EMV_SLICE_MIN) {
    bsExpandKey(imk, false, IMK_MASKS);
    bsExpandKey(imk + DES_SCHEDULE_BYTES, true, IMK_MASKS + SHARED_STAGE);
    bsExpandKey(imk + 2 * DES_SCHEDULE_BYTES, false, IMK_MASKS + 2 * SHARED_STAGE);
    const blocks = <i32>load<u16>(src + EMV_AT_LENGTH) >> 3;
    for (; done + GROUP <= n || (n - done >= EMV_SLICE_MIN && done < n); done += GROUP) {
      const count = min(GROUP, n - done);
      acGroup(optionB, skd, src + <usize>(done * stride), stride, count, blocks, verify, verify ? dst + <usize>done : dst + (<usize>done << 3));
    }
    wipeSliced();
  }
  for (let i = done; i < n; i++) {
    const rec = src + <usize>(i * stride);
    putAc(acOne(imk, optionB, skd, rec), rec, verify, dst, i);
  }
  wipeRegion();
}

/**
 * Visa dCVV (3 ASCII digits each, to `dst`) for `n` EMV_DCVV_RECORD records: the Visa CVV method under the card's
 * MK (from the IMK schedule `imk`) over the nibbles ATC (4 hex digits) || PAN from its 5th digit || expiry ||
 * service code, right-padded with 0 to 32.
 */
export function emvDcvvBatch(imk: usize, optionB: bool, src: usize, n: i32, dst: usize): void {
  for (let i = 0; i < n; i++) {
    const rec = src + <usize>(i * EMV_DCVV_RECORD);
    masterKey(imk, rec, optionB);
    const len = <i32>load<u8>(rec);
    let hi: u64 = <u64>bswap<u16>(load<u16>(rec + 32));
    let lo: u64 = 0;
    let count = 4;
    // Nibbles 5.. of the data: PAN[4..], expiry, service code; then zeros.
    for (let k = 0; k < len - 4 + 7; k++) {
      const d = k < len - 4 ? digitAt(rec + 1, k + 4) : digitAt(rec + 24, k - (len - 4));
      if (count < 16) hi = (hi << 4) | d;
      else lo = (lo << 4) | d;
      count++;
    }
    if (count < 16) hi <<= <u64>((16 - count) << 2);
    lo <<= <u64>((32 - max(count, 16)) << 2);
    const c = tdesBlock(tdesBlock(hi, MK_KS, false, true) ^ lo, MK_KS, false, false);
    decimalize(c, 3, dst + <usize>(i * 3));
  }
  wipeRegion();
}

/**
 * Mastercard CVC3 (5 ASCII digits each, to `dst`) for `n` records `stride` bytes apart: a card record, the ATC and
 * UN at their offsets, the track data's length and bytes at EMV_AT_LENGTH / EMV_AT_DATA.
 */
export function emvCvc3Batch(imk: usize, optionB: bool, src: usize, stride: i32, n: i32, dst: usize): void {
  for (let i = 0; i < n; i++) {
    const rec = src + <usize>(i * stride);
    masterKey(imk, rec, optionB);
    const iv = isoMac3(MK_KS, rec + EMV_AT_DATA, <i32>load<u16>(rec + EMV_AT_LENGTH), true) & 0xffff;
    const block = (iv << 48) | (<u64>bswap<u32>(load<u32>(rec + EMV_AT_UN)) << 16) | <u64>bswap<u16>(load<u16>(rec + EMV_AT_ATC));
    let v = <u32>(tdesBlock(block, MK_KS, false, false) & 0xffff);
    const out = dst + <usize>(i * 5);
    for (let k = 4; k >= 0; k--) {
      store<u8>(out + k, <u8>(48 + v % 10));
      v /= 10;
    }
  }
  wipeRegion();
}

/** PIN change data layouts: the new PIN block's decode record, the current one's, and UDK-A (VIS) after them. */
export const EMV_PIN_AT_CURRENT: i32 = DECODE_RECORD;
export const EMV_PIN_AT_UDK: i32 = 2 * DECODE_RECORD;
export const EMV_PIN_RECORD: i32 = 2 * DECODE_RECORD + 8;

/** Decrypts (TDES formats, `mode` 1 = single DES) and decodes the PIN block record at `rec` into `out`. */
function openPin(format: i32, ks: usize, mode: i32, rec: usize, out: usize): i32 {
  memory.copy(CLEAR, rec, DECODE_RECORD);
  if (format != 4) store<u64>(CLEAR, bswap<u64>(tdesBlock(bswap<u64>(load<u64>(rec)), ks, true, mode != 0)));
  decodeOne(format, ks, mode, CLEAR, out);
  memory.fill(CLEAR, 0, DECODE_RECORD);
  return <i32>load<u8>(out);
}

/**
 * Issuer script PIN change data (EMV Book 2 9.3) from an encrypted PIN block, in one call: decrypts and decodes the
 * new PIN's block (`format` 0/1/3 under a TDES schedule, 4 under AES; `mode` as pinblockTranslate takes it), and
 * with `current` the current PIN's block likewise; builds the card's PIN block (`target` 0: ISO 9564-1 format 2;
 * 1: VIS, the format 0 PIN field XOR 0000 0000 || UDK-A bytes 5..8 [XOR the current PIN, left-justified and
 * zero-filled]); pads and enciphers it under the SMC session key schedule `smc` (`encryption` 0: Visa, length byte ||
 * block || 80.., ECB; 1: Mastercard, the block alone, ECB; 2: EMV/CCD, block || 80.., CBC from zero). Writes the
 * status (OK or the decode error) to `out`[0], the data length (8 or 16) to `out`[1] and the data at `out` + 8.
 */
export function emvPinChange(format: i32, ks: usize, mode: i32, current: bool, target: i32, encryption: i32, smc: usize, rec: usize, out: usize): void {
  let status = openPin(format, ks, mode, rec, PIN);
  if (status == OK && current) status = openPin(format, ks, mode, rec + EMV_PIN_AT_CURRENT, CURRENT);
  store<u8>(out, <u8>status);
  if (status == OK) {
    let v: u64;
    if (target == 0) {
      v = pinField(2, PIN + 1, false, 0xf);
    } else {
      v = pinField(0, PIN + 1, false, 0xf) ^ <u64>bswap<u32>(load<u32>(rec + EMV_PIN_AT_UDK + 4));
      if (current) {
        const len = <i32>load<u8>(CURRENT + 1);
        let c: u64 = 0;
        for (let i = 0; i < 16; i++) c = (c << 4) | (i < len ? digitAt(CURRENT + 2, i) : 0);
        v ^= c;
      }
    }
    if (encryption == 1) {
      store<u8>(out + 1, 8);
      store<u64>(out + 8, bswap<u64>(tdesBlock(v, smc, false, false)));
    } else {
      store<u8>(out + 1, 16);
      let b0 = v, b1: u64 = 0x8000000000000000;
      if (encryption == 0) {
        b0 = (<u64>0x08 << 56) | (v >> 8);
        b1 = ((v & 0xff) << 56) | (<u64>0x80 << 48);
      }
      const c0 = tdesBlock(b0, smc, false, false);
      const c1 = tdesBlock(encryption == 2 ? c0 ^ b1 : b1, smc, false, false);
      store<u64>(out + 8, bswap<u64>(c0));
      store<u64>(out + 16, bswap<u64>(c1));
    }
  }
  wipeRegion();
}
