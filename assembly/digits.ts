// Shared digit handling for the card kernels: ASCII digits <-> BCD nibbles, and the decimalization used by the
// Visa CVV and PVV methods.

/** Packs 16 ASCII digits at `p` into a big-endian u64 of nibbles. A NUL byte packs as 0 (records are NUL-padded). */
export function packDigits16(p: usize): u64 {
  let v: u64 = 0;
  for (let i = 0; i < 16; i++) v = (v << 4) | (<u64>load<u8>(p + i) & 15);
  return v;
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
