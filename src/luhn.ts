// Luhn mod-10 check digit (ISO/IEC 7812-1 Annex B), the last digit of every card number.
import { checkDigits } from './_validate.js';
import { withKernel, putAscii, type Kernel } from './wasm/_calls.js';

const MAX_DIGITS = 1 << 24;

/** Luhn sum mod 10 of `s`, fed to the kernel right to left in chunks so any length fits. */
function luhnSum(k: Kernel, s: string, doubleRightmost: boolean): number {
  let sum = 0;
  let dbl = doubleRightmost;
  for (let end = s.length; end > 0; end -= k.IO_BYTES) {
    const start = Math.max(0, end - k.IO_BYTES);
    putAscii(k.mem, k.IN, s.slice(start, end));
    sum += k.x.luhnSum(k.IN, end - start, +dbl);
    // Doubling alternates by position from the right, so an odd-length chunk flips it for the next chunk.
    if ((end - start) % 2 === 1) dbl = !dbl;
  }
  return sum % 10;
}

/**
 * The Luhn check digit (one digit, as a string) to append to `digits` (a string of 1 or more ASCII digits, e.g. a
 * PAN without its last digit). The example is the long-standing Wikipedia one (test/vectors/luhn.json).
 * @example
 * luhnCheckDigit('7992739871') // => '3'
 * luhnCheckDigit('411111111111111') // => '1'
 * @throws ERR_TYPE, ERR_LENGTH (empty), ERR_FORMAT (a non-digit)
 */
export function luhnCheckDigit(digits: string): string {
  checkDigits('digits', digits, 1, MAX_DIGITS);
  return withKernel(digits.length, 0, (k) => String((10 - luhnSum(k, digits, true)) % 10));
}

/**
 * True when `pan` is a string of 2 or more digits whose last digit is its Luhn check digit; false for anything
 * else, a non-string included (never throws). Examples from TheAlgorithms/Python's is_luhn doctest
 * (test/vectors/luhn.json).
 * @example
 * isLuhnValid('79927398713') // => true
 * isLuhnValid('79927398710') // => false
 * isLuhnValid('4111-1111') // => false
 */
export function isLuhnValid(pan: string): boolean {
  if (typeof pan !== 'string' || pan.length < 2 || pan.length > MAX_DIGITS || !/^[0-9]+$/.test(pan)) return false;
  return withKernel(pan.length, 0, (k) => luhnSum(k, pan, false) === 0);
}
