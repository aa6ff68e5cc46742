// Shared digit handling for the card kernels: ASCII digits <-> BCD nibbles, and the decimalization used by the
// Visa CVV and PVV methods.
//
// Depends on: nothing (a leaf).

/** Packs 16 ASCII digits at `p` into a big-endian u64 of nibbles. A NUL byte packs as 0 (records are NUL-padded). */
export function packDigits16(p: usize): u64 {
  let v: u64 = 0;
  for (let i = 0; i < 16; i++) v = (v << 4) | (<u64>load<u8>(p + i) & 15);
  return v;
}

// ASCII digits -> nibbles, 16 at a time: in each 16-bit lane (digit a, digit b) becomes the byte (a << 4) | b.
@inline function nibblePairs(v: v128): v128 {
  const d = v128.and(v, i8x16.splat(15));
  return v128.and(v128.or(i16x8.shl(d, 4), i16x8.shr_u(d, 8)), i16x8.splat(0xff));
}

/**
 * packDigits16 for the 32 ASCII digits at `p`, vectorized: bytes 0..7 hold the first 16 digits and bytes 8..15
 * the next 16, each in big-endian order (so storing the result lays out the two blocks as des.ts reads them).
 */
export function packDigits32(p: usize): v128 {
  return i8x16.narrow_i16x8_u(nibblePairs(v128.load(p)), nibblePairs(v128.load(p, 16)));
}

/** packDigits32 for the 16 digits at `p` alone: the block in bytes 0..7. */
export function packDigits16v(p: usize): v128 {
  const w = nibblePairs(v128.load(p));
  return i8x16.narrow_i16x8_u(w, w);
}

/** Nibble `i` (0 = most significant) of a 64-bit value. */
@inline export function nibble(v: u64, i: i32): u32 {
  return <u32>(v >> <u64>(60 - 4 * i)) & 15;
}

/**
 * Visa decimalization: the decimal nibbles of `v` in order, then, if fewer than `count`, the nibbles A-F in order
 * mapped to 0-5. Writes `count` (1..16) ASCII digits to `dst`. Branch-free over the data: the nibbles' classes
 * become one 32-bit selection word (decimal nibbles in the high half, A-F in the low half, most significant
 * nibble highest), read from the top one digit at a time; data-dependent branches mispredict on random keys.
 */
export function decimalize(v: u64, count: i32, dst: usize): void {
  // Bit 4i of `hex` is set when nibble i (0 = least significant) is A-F: bit 3 and (bit 2 or bit 1).
  let hex = (v >> 3) & ((v >> 2) | (v >> 1)) & 0x1111111111111111;
  hex = (hex | (hex >> 3)) & 0x0303030303030303;
  hex = (hex | (hex >> 6)) & 0x000f000f000f000f;
  hex = (hex | (hex >> 12)) & 0x000000ff000000ff;
  const h = <u32>(hex | (hex >> 24)) & 0xffff; // bit i: nibble i is A-F
  let sel = ((~h & 0xffff) << 16) | h;
  for (let k = 0; k < count; k++) {
    const i = 31 - <i32>clz<u32>(sel);
    sel ^= 1 << i;
    const d = <u32>(v >> <u64>((i & 15) << 2)) & 15;
    // Decimal nibbles (i >= 16) print as themselves, A-F as 0-5.
    store<u8>(dst + k, <u8>(38 + d + 10 * (i >> 4)));
  }
}
