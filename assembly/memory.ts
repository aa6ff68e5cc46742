// The memory map: every region of linear memory that holds a call's data, declared here and nowhere else, with its
// size and its owner. The kernels never allocate, so memory never grows, and every byte a call may leave behind is
// in a region below: the TypeScript side wipes the call regions after each public call (src/wasm/_calls.ts), each
// kernel wipes its scratch before it returns, and the key cache is the only region that keeps keys between calls
// (clearKeyCache wipes it). An owner that lays out its region checks at compile time that the layout fills it.
//
// Tables hold no call data: constants, or derived once at start-up and only read afterwards. They stay beside their
// algorithm (their layout is the algorithm) and are listed here; test/kernel.memory.test.ts checks that this list names
// every memory.data outside this file, with its size, and that the regions below are disjoint and fit in memory.
//   des_tables.ts    IP_TABLE 64, P_TABLE 32, PC1_TABLE 56, PC2_TABLE 48, SHIFTS 16, S_BOXES 512 (FIPS 46-3)
//   des_schedule.ts  PC1_BYTES 16384, PC2_BYTES 14336 (start-up)
//   des.ts           SP 2048, IP_BYTES 16384, FP_BYTES 16384, fpTable 64 (start-up)
//   des_bitslice.ts  LANE_SLOTS 768, LANE_POLARITY 48 (generated)
//   aes.ts           SBOX 256, INV_SBOX 256, TE 4096, TD 4096, exp 256, log 256 (start-up; exp and log wiped)
//   sha1.ts          K 16 (start-up)
//   sha256.ts        K 256, H0 32 (start-up)
//   sha512.ts        K 640, H512 64, H384 64 (FIPS 180-4)
//   dukpt.ts         VARIANTS 40 (X9.24-1 Table A-1)
//   dcvv2.ts         LABEL 13 (the KDF label)
//
// Depends on: nothing (a leaf).

// ---- Call regions: written by the TypeScript side, wiped by it after every public call ------------------------

/** Size of each of the input and output batch regions. The TypeScript side chunks larger batches. */
export const IO_BYTES: i32 = 1 << 19;
/** Size of KEY_IN: the longest key (32 bytes), zero-padded, with room to spare. */
export const KEY_IN_BYTES: i32 = 64;
/** Size of IV: one AES block. */
export const IV_BYTES: i32 = 16;

/** Clear key material for the call in progress (zero-padded to 32 bytes); wiped right after the key is selected. */
export const KEY_IN: usize = memory.data(KEY_IN_BYTES, 64);
/** IV / chaining value for CBC calls. */
export const IV: usize = memory.data(IV_BYTES, 16);
/** Batch input records. */
export const IN: usize = memory.data(IO_BYTES, 64);
/** Batch output records. */
export const OUT: usize = memory.data(IO_BYTES, 64);

// ---- The key cache: keycache.ts, kept between calls, wiped by clearKeyCache -----------------------------------

/** keycache.ts: 8 slots of 1024 bytes (the clear key, its algorithm, length and last use, the schedule). */
export const CACHE_BYTES: i32 = 8 * 1024;
export const CACHE: usize = memory.data(CACHE_BYTES, 64);

// ---- Scratch: one region per kernel that needs one, wiped by its owner before it returns ----------------------

/** bitslice.ts: key masks for three stages (3 x 3072), three states (3 x 1024), staging for 128 blocks (16 + 8). */
export const BITSLICE_SCRATCH_BYTES: usize = 3 * 3072 + 3 * 1024 + 128 * (16 + 8);
export const BITSLICE_SCRATCH: usize = memory.data(<i32>BITSLICE_SCRATCH_BYTES, 64);

/** cards.ts: a chunk of 2048 cards, 172 bytes each (record, CVVs, token, PIN, blocks, PVV). */
export const CARDS_SCRATCH_BYTES: usize = 2048 * 172;
export const CARDS_SCRATCH: usize = memory.data(<i32>CARDS_SCRATCH_BYTES, 64);

/** emv.ts, per card: two TDES schedules (2 x 384), a key, SHA-1 in and out (16 + 16 + 24), a PIN's decoding (80). */
export const EMV_SCRATCH_BYTES: usize = 2 * 384 + 16 + 16 + 24 + 80;
export const EMV_SCRATCH: usize = memory.data(<i32>EMV_SCRATCH_BYTES, 64);

/** emv.ts, sliced: the IMK's masks (3 x 3072), per-card masks for two keys (2 x 12288), eight states (8 x 1024). */
export const EMV_SLICED_BYTES: usize = 3 * 3072 + 2 * 12288 + 8 * 1024;
export const EMV_SLICED: usize = memory.data(<i32>EMV_SLICED_BYTES, 64);

/** dukpt.ts: a DES schedule (128), a derivation schedule (480), two keys (2 x 32), two PIN key schedules (2 x 480). */
export const DUKPT_SCRATCH_BYTES: i32 = 128 + 480 + 2 * 32 + 2 * 480;
export const DUKPT_SCRATCH: usize = memory.data(DUKPT_SCRATCH_BYTES, 64);

/** hmac.ts: inner, outer and running states (3 x 64), a key block (128), the inner digest (64). */
export const HMAC_SCRATCH_BYTES: i32 = 3 * 64 + 128 + 64;
export const HMAC_SCRATCH: usize = memory.data(HMAC_SCRATCH_BYTES, 16);

/** dcvv2.ts: four HMAC key states, a state and a MAC (6 x 32), a message (128). */
export const DCVV2_SCRATCH_BYTES: i32 = 6 * 32 + 128;
export const DCVV2_SCRATCH: usize = memory.data(DCVV2_SCRATCH_BYTES, 16);

/** ff1.ts: the tweak part of Q (tweaks of up to 1024 bytes, padding, the last block). */
export const FF1_SCRATCH_BYTES: i32 = 1024 + 32;
export const FF1_SCRATCH: usize = memory.data(FF1_SCRATCH_BYTES, 16);

/** pinblock.ts, a translation: the decrypted block's record (48), the clear PIN (16), the new block's record (48). */
export const PINBLOCK_SCRATCH_BYTES: i32 = 48 + 16 + 48;
export const PINBLOCK_SCRATCH: usize = memory.data(PINBLOCK_SCRATCH_BYTES, 16);

/** sha1.ts: the message schedule (80 words) and the padded block (64). */
export const SHA1_SCRATCH_BYTES: i32 = 80 * 4 + 64;
export const SHA1_SCRATCH: usize = memory.data(SHA1_SCRATCH_BYTES, 16);

/** sha256.ts: the message schedule (64 words), the padding block (64), an over-long HMAC key's digest (32). */
export const SHA256_SCRATCH_BYTES: i32 = 64 * 4 + 64;
export const SHA256_SCRATCH: usize = memory.data(SHA256_SCRATCH_BYTES, 16);

/** sha512.ts: the message schedule (80 u64 words) and the padding block (128). */
export const SHA512_SCRATCH_BYTES: i32 = 80 * 8 + 128;
export const SHA512_SCRATCH: usize = memory.data(SHA512_SCRATCH_BYTES, 16);

/** Wipes `len` bytes at `ptr` (used by kernels for their own scratch, if any). */
export function wipe(ptr: usize, len: usize): void {
  memory.fill(ptr, 0, len);
}

/**
 * Writes the map of the regions above, in the order they are declared, to `dst` (8 bytes each: the address and the
 * size as u32) and returns how many there are: for test/kernel.memory.test.ts, which checks them against the memory given.
 */
export function memoryMap(dst: usize): i32 {
  let n = 0;
  n = mapEntry(dst, n, KEY_IN, KEY_IN_BYTES);
  n = mapEntry(dst, n, IV, IV_BYTES);
  n = mapEntry(dst, n, IN, IO_BYTES);
  n = mapEntry(dst, n, OUT, IO_BYTES);
  n = mapEntry(dst, n, CACHE, CACHE_BYTES);
  n = mapEntry(dst, n, BITSLICE_SCRATCH, BITSLICE_SCRATCH_BYTES);
  n = mapEntry(dst, n, CARDS_SCRATCH, CARDS_SCRATCH_BYTES);
  n = mapEntry(dst, n, EMV_SCRATCH, EMV_SCRATCH_BYTES);
  n = mapEntry(dst, n, EMV_SLICED, EMV_SLICED_BYTES);
  n = mapEntry(dst, n, DUKPT_SCRATCH, DUKPT_SCRATCH_BYTES);
  n = mapEntry(dst, n, HMAC_SCRATCH, HMAC_SCRATCH_BYTES);
  n = mapEntry(dst, n, DCVV2_SCRATCH, DCVV2_SCRATCH_BYTES);
  n = mapEntry(dst, n, FF1_SCRATCH, FF1_SCRATCH_BYTES);
  n = mapEntry(dst, n, PINBLOCK_SCRATCH, PINBLOCK_SCRATCH_BYTES);
  n = mapEntry(dst, n, SHA1_SCRATCH, SHA1_SCRATCH_BYTES);
  n = mapEntry(dst, n, SHA256_SCRATCH, SHA256_SCRATCH_BYTES);
  n = mapEntry(dst, n, SHA512_SCRATCH, SHA512_SCRATCH_BYTES);
  return n;
}

function mapEntry(dst: usize, n: i32, base: usize, bytes: usize): i32 {
  store<u32>(dst + (<usize>n << 3), <u32>base);
  store<u32>(dst + (<usize>n << 3) + 4, <u32>bytes);
  return n + 1;
}
