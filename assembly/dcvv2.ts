// TW-DCVV2 v1, HMAC profile (cardhsm's time-windowed dynamic CVV2, built from public standards only):
//   K_card = HMAC-SHA-256(IMK, 0x00000001 || "TW-DCVV2" || 0x00 || Context || 0x00000100)   (SP 800-108r1 KDF
//            in counter mode, one block, L = 256), Context = PAN "|" PSN "|" YYMM in ASCII
//   code   = dynamic truncation (RFC 4226 5.3 as used by RFC 6238 with SHA-256) of HMAC-SHA-256(K_card, C as
//            8 bytes big-endian) mod 10^d, C = the time window.
// One call computes `count` consecutive windows for each of `n` cards, with the IMK's HMAC states set up once.
//
// Depends on: hmac.ts (HMAC-SHA-256), sha256.ts (its wipe), memory.ts (DCVV2_SCRATCH).
import { hmacKeys, hmacWith } from './hmac';
import { sha256Wipe } from './sha256';
import { DCVV2_SCRATCH, DCVV2_SCRATCH_BYTES } from './memory';

// One contiguous scratch region (memory.ts DCVV2_SCRATCH: key states, K_card, messages, MACs), wiped in one go after
// every call.
const REGION_BYTES: i32 = 6 * 32 + 128;
if (REGION_BYTES != DCVV2_SCRATCH_BYTES) ERROR('dcvv2.ts: the scratch layout must fill memory.ts DCVV2_SCRATCH');
const REGION = DCVV2_SCRATCH;
const IMK_I = REGION;
const IMK_O = REGION + 32;
const CARD_I = REGION + 64;
const CARD_O = REGION + 96;
const SCRATCH = REGION + 128;
const MAC = REGION + 160;
const MSG = REGION + 192;

/** Context records: [length byte][ASCII context], `stride` bytes each; contexts are at most 64 bytes. */
export const DCVV2_CONTEXT_MAX: i32 = 64;

const LABEL = memory.data<u8>([0, 0, 0, 1, 0x54, 0x57, 0x2d, 0x44, 0x43, 0x56, 0x56, 0x32, 0]); // [1]_32 || "TW-DCVV2" || 0x00

/** RFC 4226 dynamic truncation of the 32-byte MAC at MAC, mod 10^digits, as ASCII digits at `dst`. */
function truncate(digits: i32, dst: usize): void {
  const off = <usize>(load<u8>(MAC + 31) & 15);
  const bin = ((<u32>load<u8>(MAC + off) & 0x7f) << 24) | (<u32>load<u8>(MAC + off + 1) << 16) | (<u32>load<u8>(MAC + off + 2) << 8) | <u32>load<u8>(MAC + off + 3);
  let code = bin;
  for (let i = digits - 1; i >= 0; i--) {
    store<u8>(dst + i, <u8>(48 + code % 10));
    code /= 10;
  }
}

/** HMAC-SHA-256(key states, C as 8 bytes big-endian) truncated into `digits` ASCII digits at `dst`. */
function codeFor(inner: usize, outer: usize, window: u64, digits: i32, dst: usize): void {
  store<u64>(MSG, bswap<u64>(window));
  hmacWith(256, inner, outer, SCRATCH, MSG, 8, MAC);
  truncate(digits, dst);
}

function wipeAll(): void {
  memory.fill(REGION, 0, REGION_BYTES);
  sha256Wipe();
}

/** The HMAC profile for `n` cards and `count` windows from `window`; codes of `digits` digits to `dst`. */
export function dcvv2HmacBatch(imk: usize, imkLen: i32, ctx: usize, stride: i32, n: i32, window: f64, count: i32, digits: i32, dst: usize): void {
  hmacKeys(256, imk, imkLen, IMK_I, IMK_O);
  const first = <u64>window;
  for (let i = 0; i < n; i++) {
    const rec = ctx + <usize>(i * stride);
    const len = <i32>load<u8>(rec);
    memory.copy(MSG, LABEL, 13);
    memory.copy(MSG + 13, rec + 1, len);
    store<u32>(MSG + 13 + len, bswap<u32>(256));
    hmacWith(256, IMK_I, IMK_O, SCRATCH, MSG, 13 + len + 4, MAC);
    hmacKeys(256, MAC, 32, CARD_I, CARD_O); // K_card
    for (let w = 0; w < count; w++) codeFor(CARD_I, CARD_O, first + <u64>w, digits, dst + <usize>((i * count + w) * digits));
  }
  wipeAll();
}

/** The truncation core alone (RFC 6238 with SHA-256): HMAC(key, counter) -> `digits` digits. For the RFC vectors. */
export function hotpSha256(key: usize, keyLen: i32, counter: f64, digits: i32, dst: usize): void {
  hmacKeys(256, key, keyLen, CARD_I, CARD_O);
  codeFor(CARD_I, CARD_O, <u64>counter, digits, dst);
  wipeAll();
}
