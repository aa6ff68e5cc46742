// DES and TDES (FIPS 46-3; NIST SP 800-67 Rev. 2 for the EDE composition), table-driven, and the ECB and CBC
// kernels.
//
// Blocks are u64 in big-endian bit order (bit 1 of FIPS 46-3 = the most significant bit). The round function
// folds the E expansion into two rotations of R and the S-boxes and P into eight 64-entry "SP" tables, so a
// round is eight table loads. IP and FP are byte-indexed tables. Every table is derived at start-up from the
// FIPS 46-3 tables of des_tables.ts; schedules come from des_schedule.ts. ECB batches of BS_MIN blocks or more run
// bitsliced instead (bitslice.ts, rounds generated from those same tables), with identical results.
//
// Depends on: des_tables.ts (IP, P, S-boxes, permute, completeByteTable), des_schedule.ts (schedule layout), bitslice.ts (large ECB batches).
import { IP_TABLE, P_TABLE, S_BOXES, completeByteTable, permute } from './des_tables';
import { DES_SCHEDULE_BYTES } from './des_schedule';
import { bsEcb, bsBlocks } from './bitslice';

// Derived tables, filled by initDes().
const SP = memory.data(8 * 64 * 4, 64); // SPj[v] = P(Sj(v) in S-box j's output position), u32
const IP_BYTES = memory.data(8 * 256 * 8, 64); // IP applied to byte k of the block, u64
const FP_BYTES = memory.data(8 * 256 * 8, 64); // IP^-1 likewise

/** Builds the SP and IP/FP byte tables. Called once, from the module's start. */
export function initDes(): void {
  // The inverse of IP, derived rather than copied so that one table is the whole truth.
  const fpTable = memory.data(64);
  for (let i = 0; i < 64; i++) store<u8>(fpTable + <usize>(load<u8>(IP_TABLE + i) - 1), <u8>(i + 1));

  for (let j = 0; j < 8; j++) {
    for (let v = 0; v < 64; v++) {
      const row = ((v >> 4) & 2) | (v & 1);
      const col = (v >> 1) & 15;
      const s = <u64>load<u8>(S_BOXES + j * 64 + row * 16 + col);
      const pre = s << <u64>(28 - 4 * j);
      store<u32>(SP + ((j * 64 + v) << 2), <u32>permute(pre, 32, P_TABLE, 32));
    }
  }
  for (let k = 0; k < 8; k++) {
    for (let i = 0; i < 8; i++) {
      const b = 1 << i;
      const v = <u64>b << <u64>(56 - 8 * k);
      store<u64>(IP_BYTES + ((k * 256 + b) << 3), permute(v, 64, IP_TABLE, 64));
      store<u64>(FP_BYTES + ((k * 256 + b) << 3), permute(v, 64, fpTable, 64));
    }
    completeByteTable(IP_BYTES + k * 256 * 8);
    completeByteTable(FP_BYTES + k * 256 * 8);
  }
}

@inline function byteTable(table: usize, v: u64): u64 {
  let r: u64 = 0;
  for (let k = 0; k < 8; k++) {
    r |= load<u64>(table + ((k * 256 + <i32>((v >> <u64>(56 - 8 * k)) & 0xff)) << 3));
  }
  return r;
}

// The round function f(R, K). E's eight 6-bit groups are contiguous in rotl(R, 1) (S-boxes 2, 4, 6, 8) and
// rotr(R, 3) (S-boxes 1, 3, 5, 7) at bit offsets 24, 16, 8, 0; the subkey is pre-arranged the same way.
@inline function f(r: u32, kx: u32, ky: u32): u32 {
  const x = rotl<u32>(r, 1) ^ kx;
  const y = rotr<u32>(r, 3) ^ ky;
  return load<u32>(SP + (1 * 256) + (((x >> 24) & 63) << 2))
    | load<u32>(SP + (3 * 256) + (((x >> 16) & 63) << 2))
    | load<u32>(SP + (5 * 256) + (((x >> 8) & 63) << 2))
    | load<u32>(SP + (7 * 256) + ((x & 63) << 2))
    | load<u32>(SP + (0 * 256) + (((y >> 24) & 63) << 2))
    | load<u32>(SP + (2 * 256) + (((y >> 16) & 63) << 2))
    | load<u32>(SP + (4 * 256) + (((y >> 8) & 63) << 2))
    | load<u32>(SP + (6 * 256) + ((y & 63) << 2));
}

// 16 rounds on (l, r) in place, subkeys forwards (encrypt) or backwards (decrypt). Two rounds per iteration
// so that the halves never need swapping; after an even number of rounds the halves hold (L16, R16).
@inline function rounds(lr: u64, ks: usize, decrypt: bool): u64 {
  let l = <u32>(lr >> 32);
  let r = <u32>lr;
  if (decrypt) {
    for (let i = 15; i > 0; i -= 2) {
      l ^= f(r, load<u32>(ks + i * 8), load<u32>(ks + i * 8 + 4));
      r ^= f(l, load<u32>(ks + i * 8 - 8), load<u32>(ks + i * 8 - 4));
    }
  } else {
    for (let i = 0; i < 16; i += 2) {
      l ^= f(r, load<u32>(ks + i * 8), load<u32>(ks + i * 8 + 4));
      r ^= f(l, load<u32>(ks + i * 8 + 8), load<u32>(ks + i * 8 + 12));
    }
  }
  // The preoutput is R16 || L16: swapping here lets consecutive stages chain without FP/IP in between.
  return (<u64>r << 32) | <u64>l;
}

/**
 * TDES EDE on one block under a TDES schedule: E(K1) D(K2) E(K3) to encrypt, D(K3) E(K2) D(K1) to decrypt.
 * `single` runs one DES stage (an 8-byte key), where EDE with K1 = K2 = K3 would do the same work three times.
 */
export function tdesBlock(block: u64, ks: usize, decrypt: bool, single: bool): u64 {
  let v = byteTable(IP_BYTES, block);
  if (single) {
    v = rounds(v, ks, decrypt);
  } else if (decrypt) {
    v = rounds(v, ks + 2 * DES_SCHEDULE_BYTES, true);
    v = rounds(v, ks + DES_SCHEDULE_BYTES, false);
    v = rounds(v, ks, true);
  } else {
    v = rounds(v, ks, false);
    v = rounds(v, ks + DES_SCHEDULE_BYTES, true);
    v = rounds(v, ks + 2 * DES_SCHEDULE_BYTES, false);
  }
  return byteTable(FP_BYTES, v);
}

/** ECB over `n` 8-byte blocks from `src` to `dst` (may alias); large batches run bitsliced, with equal results. */
export function tdesEcb(ks: usize, single: bool, decrypt: bool, src: usize, dst: usize, n: i32): void {
  const sliced = bsBlocks(n);
  if (sliced > 0) bsEcb(ks, single, decrypt, src, dst, sliced);
  for (let i = sliced; i < n; i++) {
    const off = <usize>i << 3;
    store<u64>(dst + off, bswap<u64>(tdesBlock(bswap<u64>(load<u64>(src + off)), ks, decrypt, single)));
  }
}

/** CBC over `n` blocks; the 8-byte IV at `iv` is updated to the last ciphertext block so calls can chain. */
export function tdesCbc(ks: usize, single: bool, decrypt: bool, iv: usize, src: usize, dst: usize, n: i32): void {
  let chain = bswap<u64>(load<u64>(iv));
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 3;
    const x = bswap<u64>(load<u64>(src + off));
    if (decrypt) {
      store<u64>(dst + off, bswap<u64>(tdesBlock(x, ks, true, single) ^ chain));
      chain = x;
    } else {
      chain = tdesBlock(x ^ chain, ks, false, single);
      store<u64>(dst + off, bswap<u64>(chain));
    }
  }
  store<u64>(iv, bswap<u64>(chain));
}
