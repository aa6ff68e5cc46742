// Luhn mod-10 (ISO/IEC 7812-1 Annex B).
//
// Depends on: nothing (a leaf).

/** Luhn sum mod 10 of `len` digits at `p` stored as bytes `zero` + value (48 for ASCII, 0 for digit values). */
export function luhnSumOf(p: usize, len: i32, doubleRightmost: bool, zero: i32): i32 {
  let sum = 0;
  let dbl = doubleRightmost;
  for (let i = len - 1; i >= 0; i--) {
    let d = <i32>load<u8>(p + i) - zero;
    if (dbl) {
      d <<= 1;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10;
}

/**
 * Luhn sum mod 10 of `len` ASCII digits at `p`, walking from the right; the rightmost digit is doubled when
 * `doubleRightmost` (computing a check digit) and not when validating a number that ends in its check digit.
 */
export function luhnSum(p: usize, len: i32, doubleRightmost: bool): i32 {
  return luhnSumOf(p, len, doubleRightmost, 48);
}
