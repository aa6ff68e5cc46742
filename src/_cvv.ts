// The Visa CVV method as a kernel driver for the library's own uses (the TDES profile of dynamic CVV2): the
// method over any digit string, not only PAN || expiry || service code. cvv.ts is the public face.
import { selectKey, putAscii, getAscii, mapRecords, ALG_TDES, type RecordLayout } from './wasm/_calls.js';

/** Bytes per record of the CVV kernel (assembly/cvv.ts): up to 32 ASCII digits, NUL-padded. */
export const CVV_RECORD = 32;

// Record: any digit string of up to 32 digits (NUL-padded); result: the first `digits` decimalized digits.
const digitsLayout = (digits: number): RecordLayout<string, string> => ({
  recordBytes: CVV_RECORD,
  outBytes: digits,
  write: (m, rec, data) => putAscii(m, rec, data),
  read: (m, out) => getAscii(m, out, digits),
});

/**
 * The Visa CVV method over arbitrary data strings (at most 32 digits, right-padded with 0), first `digits`
 * (1..16) decimalized digits: the TDES profile of dynamic CVV2 runs it over PAN || YYMM || window. Validated by
 * the caller.
 */
export function cvvOfDigitStrings(key: Uint8Array, data: readonly string[], digits: number): string[] {
  return mapRecords(data, digitsLayout(digits), (k) => {
    const ks = selectKey(k, ALG_TDES, key);
    return (n) => k.x.cvvBatch(ks, k.IN, k.OUT, n, digits);
  });
}
