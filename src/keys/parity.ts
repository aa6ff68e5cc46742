// DES key parity (FIPS 46-3 section 3 / ANSI X9.52): each byte's least significant bit makes the byte's count of
// one bits odd. Parity carries no secrecy; it catches keys mistyped or corrupted in transit.
import { checkUint8Array } from '../_validate.js';

const checkKey = (key: unknown): Uint8Array => checkUint8Array('key', key);

function oddParityByte(b: number): number {
  let ones = 0;
  for (let v = b >> 1; v !== 0; v >>= 1) ones += v & 1;
  return (b & 0xfe) | ((ones & 1) ^ 1);
}

/**
 * True when every byte of `key` (a Uint8Array of any length; DES keys are 8, 16 or 24 bytes) has odd parity (an
 * empty key has no bad byte, so is true).
 * @example
 * hasOddDesParity(hexToBytes('0123456789ABCDEF')) // => true
 * hasOddDesParity(hexToBytes('0022446688AACCEE')) // => false
 * @throws ERR_TYPE
 */
export function hasOddDesParity(key: Uint8Array): boolean {
  checkKey(key);
  let bad = 0;
  for (let i = 0; i < key.length; i++) bad |= key[i]! ^ oddParityByte(key[i]!);
  return bad === 0;
}

/**
 * A copy of `key` (a Uint8Array of any length) with each byte's least significant bit set for odd parity; the
 * other 7 bits, which are all DES uses, are unchanged.
 * @example
 * bytesToHex(fixDesParity(hexToBytes('0022446688AACCEE'))) // => '0123456789ABCDEF'
 * hasOddDesParity(fixDesParity(hexToBytes('0022446688AACCEE'))) // => true
 * @throws ERR_TYPE
 */
export function fixDesParity(key: Uint8Array): Uint8Array {
  checkKey(key);
  return Uint8Array.from(key, oddParityByte);
}
