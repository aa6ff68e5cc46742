// Shared digit handling for the card kernels: ASCII digits <-> BCD nibbles, and the decimalization used by the
// Visa CVV and PVV methods.

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
 * mapped to 0-5. Writes `count` ASCII digits to `dst`.
 */
export function decimalize(v: u64, count: i32, dst: usize): void {
  let k = 0;
  for (let i = 0; i < 16 && k < count; i++) {
    const d = nibble(v, i);
    if (d < 10) store<u8>(dst + k++, <u8>(48 + d));
  }
  for (let i = 0; i < 16 && k < count; i++) {
    const d = nibble(v, i);
    if (d >= 10) store<u8>(dst + k++, <u8>(38 + d));
  }
}
