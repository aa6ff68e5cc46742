// FF1 test helpers: the alphabets and the exact length limits (BigInt) that the FF1 tests share.

export const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const RADIXES = [...Array.from({ length: 35 }, (_, i) => i + 2), 62];
export const alphabetOf = (radix: number): string => ALPHABET.slice(0, radix);

/** Smallest length with radix^length >= 1,000,000 (the SP 800-38G Rev. 1 domain rule), computed exactly. */
export function minLength(radix: number): number {
  let n = 1;
  while (BigInt(radix) ** BigInt(n) < 1_000_000n) n++;
  return n;
}

/** Largest length with radix^ceil(length/2) < 2^63 (the library's 63-bit halves), computed exactly. */
export function maxLength(radix: number): number {
  let n = minLength(radix);
  while (BigInt(radix) ** BigInt(Math.ceil((n + 1) / 2)) < 2n ** 63n) n++;
  return n;
}
