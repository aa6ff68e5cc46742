// Card verification values by the Visa CVV method (Visa, IBM CCA CVV_Generate; Mastercard CVC1/CVC2 use the
// same method): data = PAN || expiry || service code right-padded with 0 to 32 digits,
// result = TDES(KA,KB)(DES_KA(data[0..16)) XOR data[16..32)), decimalized, first 3 digits.
// CVV2 is the same with service code 000; iCVV (the chip's track-2 equivalent) with service code 999.
import { constantTimeEqualString } from './_bytes.js';
import { checkArray, checkBytes, checkDigits, checkDigitFields } from './_validate.js';
import { withKernel, selectKey, decodeAscii, recordsPerCall, ALG_TDES } from './wasm/_calls.js';
import { CVV_RECORD as RECORD } from './_cvv.js';

const DIGITS = 3;

/**
 * One card's inputs to the CVV method, an item of generateCvvBatch. The example is row 1 of the public CVV test
 * data table (CVK 0123456789ABCDEF FEDCBA9876543210), also Atalla command 5D's answer (test/vectors/cvv.json).
 * @example
 * const card = { pan: '4123456789012345', expiry: '8701', serviceCode: '101' }
 * generateCvvBatch(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), [card]) // => ['561']
 */
export interface CvvInput {
  /** 12..19 digits; Luhn is not required (published vectors use Luhn-invalid PANs). */
  pan: string;
  /** 4 digits in the order the issuer encodes (usually YYMM), used as given. */
  expiry: string;
  /** 3 digits; 000 for CVV2, 999 for iCVV. */
  serviceCode: string;
}

const CVV_INPUT = [
  ['pan', 12, 19],
  ['expiry', 4, 4],
  ['serviceCode', 3, 3],
] as const;
const checkInput = (item: unknown, at: string): CvvInput => checkDigitFields(at, item, CVV_INPUT);

/** Copies ASCII digits of `s` to `m` at `p`; false (and nothing to rely on) if a character is not a digit. */
function putDigits(m: Uint8Array, p: number, s: string): boolean {
  let bad = 0;
  for (let j = 0; j < s.length; j++) {
    const c = s.charCodeAt(j);
    bad |= (c - 48) >>> 0 > 9 ? 1 : 0;
    m[p + j] = c;
  }
  return bad === 0;
}

/**
 * Writes one record (PAN || expiry || service code into a cleared 32-byte slot), validating as it copies: the hot
 * path checks shapes inline, and only a malformed item takes the slow path that names the field at fault.
 */
function writeRecord(m: Uint8Array, rec: number, item: unknown, index: number, label: (i: number) => string): void {
  const it = item as CvvInput;
  const { pan, expiry, serviceCode } = typeof item === 'object' && item !== null ? it : ({} as CvvInput);
  const shaped =
    typeof pan === 'string' &&
    pan.length >= 12 &&
    pan.length <= 19 &&
    typeof expiry === 'string' &&
    expiry.length === 4 &&
    typeof serviceCode === 'string' &&
    serviceCode.length === 3;
  if (
    !(
      shaped &&
      putDigits(m, rec, pan) &&
      putDigits(m, rec + pan.length, expiry) &&
      putDigits(m, rec + pan.length + 4, serviceCode)
    )
  ) {
    checkInput(item, label(index)); // throws the precise error (the label is built only here)
  }
}

/** Runs the CVV kernel over items (validated while they are copied in), in as few calls as the buffers allow. */
function cvvKernel(cvk: Uint8Array, items: readonly unknown[], label: (i: number) => string): string[] {
  const out = new Array<string>(items.length);
  if (items.length === 0) return out;
  return withKernel(items.length * RECORD, items.length * DIGITS, (k) => {
    const ks = selectKey(k, ALG_TDES, cvk);
    const per = recordsPerCall(k, RECORD, DIGITS);
    const m = k.mem;
    for (let base = 0; base < items.length; base += per) {
      const n = Math.min(per, items.length - base);
      m.fill(0, k.IN, k.IN + n * RECORD); // records are NUL-padded: clear the chunk once
      for (let i = 0; i < n; i++) writeRecord(m, k.IN + i * RECORD, items[base + i], base + i, label);
      k.x.cvvBatch(ks, k.IN, k.OUT, n, DIGITS);
      if (n < 16) {
        for (let i = 0; i < n; i++)
          out[base + i] = String.fromCharCode(
            m[k.OUT + i * DIGITS]!,
            m[k.OUT + i * DIGITS + 1]!,
            m[k.OUT + i * DIGITS + 2]!,
          );
      } else {
        // One decode for the chunk, then cheap slices: far less than a string built per record.
        const text = decodeAscii(m.subarray(k.OUT, k.OUT + n * DIGITS));
        for (let i = 0; i < n; i++) out[base + i] = text.slice(i * DIGITS, i * DIGITS + DIGITS);
      }
    }
    return out;
  });
}

/**
 * CVV (CVC1) of a card, 3 digits: the Visa CVV method under `cvk` (16 bytes: CVK A || CVK B) over `pan` (12..19
 * digits; Luhn not required), `expiry` (4 digits, used in the order given, usually YYMM) and `serviceCode` (3
 * digits). The examples are rows 1 and 2 of the public CVV test data table (test/vectors/cvv.json).
 * @example
 * generateCvv(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '4123456789012345', '8701', '101') // => '561'
 * generateCvv(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '4999988887777000', '9105', '111') // => '245'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT
 */
export function generateCvv(cvk: Uint8Array, pan: string, expiry: string, serviceCode: string): string {
  checkBytes('cvk', cvk, [16]);
  return cvvKernel(cvk, [{ pan, expiry, serviceCode }], () => '')[0]!;
}

/**
 * CVV2 (CVC2), 3 digits: the CVV method with service code 000, under `cvk` (16 bytes) over `pan` (12..19 digits)
 * and `expiry` (4 digits). The example is jPOS's testCalculateCVDImpl2 (JCESecurityModuleTest.java).
 * @example
 * generateCvv2(hexToBytes('12345678123456788765432187654321'), '123456789012', '1108') // => '453'
 * generateCvv2(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '4123456789012345', '8701') === generateCvv(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '4123456789012345', '8701', '000') // => true
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT
 */
export function generateCvv2(cvk: Uint8Array, pan: string, expiry: string): string {
  return generateCvv(cvk, pan, expiry, '000');
}

/**
 * iCVV (the chip card's CVV in its track-2 equivalent data), 3 digits: the CVV method with service code 999, under
 * `cvk` (16 bytes) over `pan` (12..19 digits) and `expiry` (4 digits). The value was computed with this library
 * and checked against the reference implementation in test/helpers/reference.ts.
 * @example
 * generateIcvv(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '4123456789012345', '8701') // => '651'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT
 */
export function generateIcvv(cvk: Uint8Array, pan: string, expiry: string): string {
  return generateCvv(cvk, pan, expiry, '999');
}

/**
 * True when `cvv` (3 digits) is the CVV of the card (arguments as generateCvv); compared in constant time. Returns
 * false for a wrong CVV and throws only for malformed input. The example is the public CVV test data table's row 1.
 * @example
 * verifyCvv(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '4123456789012345', '8701', '101', '561') // => true
 * verifyCvv(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '4123456789012345', '8701', '101', '562') // => false
 * (() => { try { verifyCvv(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '4123456789012345', '8701', '101', '56') } catch (e) { return [e.code, e.field] } })() // => ['ERR_LENGTH', 'cvv']
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT
 */
export function verifyCvv(cvk: Uint8Array, pan: string, expiry: string, serviceCode: string, cvv: string): boolean {
  checkDigits('cvv', cvv, 3, 3);
  return constantTimeEqualString(generateCvv(cvk, pan, expiry, serviceCode), cvv);
}

/**
 * True when `cvv2` (3 digits) is the card's CVV2 (service code 000) under `cvk` (16 bytes); constant-time, throws
 * only for malformed input. The example is jPOS's testVerifyCVDImpl2.
 * @example
 * verifyCvv2(hexToBytes('12345678123456788765432187654321'), '123456789012', '1108', '453') // => true
 * verifyCvv2(hexToBytes('12345678123456788765432187654321'), '123456789012', '1108', '454') // => false
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT
 */
export function verifyCvv2(cvk: Uint8Array, pan: string, expiry: string, cvv2: string): boolean {
  return verifyCvv(cvk, pan, expiry, '000', cvv2);
}

/**
 * True when `icvv` (3 digits) is the card's iCVV (service code 999) under `cvk` (16 bytes); constant-time, throws
 * only for malformed input. The value was computed with this library (see generateIcvv).
 * @example
 * verifyIcvv(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '4123456789012345', '8701', '651') // => true
 * verifyIcvv(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '4123456789012345', '8701', '561') // => false
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT
 */
export function verifyIcvv(cvk: Uint8Array, pan: string, expiry: string, icvv: string): boolean {
  return verifyCvv(cvk, pan, expiry, '999', icvv);
}

/**
 * CVVs of many cards under one CVK (16 bytes) in one pass through the kernel (the key schedule is expanded once).
 * Each item as generateCvv's arguments (CvvInput); use serviceCode '000' for CVV2 and '999' for iCVV. Returns one
 * 3-digit string per item, in order. The examples are rows 1 and 2 of the public CVV test data table.
 * @example
 * generateCvvBatch(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), [{ pan: '4123456789012345', expiry: '8701', serviceCode: '101' }, { pan: '4999988887777000', expiry: '9105', serviceCode: '111' }]) // => ['561', '245']
 * generateCvvBatch(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), []) // => []
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (field names carry the index: `items[3].pan`)
 */
export function generateCvvBatch(cvk: Uint8Array, items: readonly CvvInput[]): string[] {
  checkBytes('cvk', cvk, [16]);
  return cvvKernel(cvk, checkArray('items', items), (i) => `items[${i}].`);
}
