// The DES key schedule (FIPS 46-3, PC-1 / PC-2 and the left shifts) and the layout of the schedules every DES path
// reads: the table-driven rounds (des.ts), the bitsliced key masks (bitslice.ts, emv.ts) and the key cache.
//
// A DES schedule is 16 rounds x two u32 words (kx, ky): each round's 48-bit subkey pre-arranged in the two words
// that des.ts's f() XORs into rotl(R, 1) and rotr(R, 3). A TDES schedule is three DES schedules, K1 K2 K3.
//
// Depends on: des_tables.ts (the FIPS 46-3 tables, permute, completeByteTable).
import { PC1_TABLE, PC2_TABLE, SHIFTS, completeByteTable, permute } from './des_tables';

/** Bytes of one DES subkey schedule: 16 rounds x two u32 words. */
export const DES_SCHEDULE_BYTES: i32 = 128;
/** A TDES schedule holds three DES schedules (K1, K2, K3). */
export const TDES_SCHEDULE_BYTES: i32 = 3 * DES_SCHEDULE_BYTES;

// Key schedule tables, filled by initDesSchedule(): PC-1 applied to key byte k (the 56-bit C || D, u64), and for each of the
// seven bytes of C || D (byte 0 = its 8 most significant bits) PC-2 applied to it, already arranged as the round's
// (kx, ky) words (kx in the high 32 bits). Both are bit selections, so OR-ing the parts of a value permutes it whole:
// a schedule costs 8 + 16 x 7 table loads instead of a walk over every bit.
const PC1_BYTES = memory.data(8 * 256 * 8, 64);
const PC2_BYTES = memory.data(7 * 256 * 8, 64);

/** The (kx, ky) arrangement of a 48-bit subkey (see des.ts f()): group j (1..8) is bits 6j-5..6j; even groups in kx. */
function arrangeSubkey(sub: u64): u64 {
  let kx: u32 = 0, ky: u32 = 0;
  for (let j = 0; j < 8; j++) {
    const g = <u32>(sub >> <u64>(42 - 6 * j)) & 63;
    const shift = <u32>(24 - 8 * (j >> 1));
    if (j & 1) kx |= g << shift; else ky |= g << shift;
  }
  return (<u64>kx << 32) | <u64>ky;
}

/** Builds the PC-1 and PC-2 byte tables. Called once, from the module's start. */
export function initDesSchedule(): void {
  for (let k = 0; k < 8; k++) {
    for (let i = 0; i < 8; i++) {
      const b = 1 << i;
      store<u64>(PC1_BYTES + ((k * 256 + b) << 3), permute(<u64>b << <u64>(56 - 8 * k), 64, PC1_TABLE, 56));
    }
    completeByteTable(PC1_BYTES + k * 256 * 8);
  }
  // arrangeSubkey only moves bits, so PC-2 followed by it is still a bit selection.
  for (let j = 0; j < 7; j++) {
    for (let i = 0; i < 8; i++) {
      const b = 1 << i;
      store<u64>(PC2_BYTES + ((j * 256 + b) << 3), arrangeSubkey(permute(<u64>b << <u64>(48 - 8 * j), 56, PC2_TABLE, 48)));
    }
    completeByteTable(PC2_BYTES + j * 256 * 8);
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
