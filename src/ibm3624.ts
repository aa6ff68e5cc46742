// IBM 3624 PIN method (IBM 3624 Consumer Transaction Facility; IBM CCA Clear_PIN_Generate "IBM-PIN"/"IBM-PINO";
// Thales "IBM PIN offset"): natural PIN = the first L digits of decimalize(TDES_PVK(validation data)) through a
// 16-digit decimalization table; offset digit i = (PIN digit i - natural digit i) mod 10.
import { hexToBytes } from './bytes.js';
import { constantTimeEqualString } from './_bytes.js';
import { CardHsmError } from './errors.js';
import { checkBytes, checkDigits, checkHex, checkInt } from './_validate.js';
import { withKernel, keySchedule, putAscii, getAscii, ALG_TDES } from './wasm/_calls.js';

const RECORD = 64;
const MODE_NATURAL_PIN = 0;
const MODE_OFFSET = 1;

function ibm3624(
  pvk: Uint8Array,
  validationData: string,
  decimalizationTable: string,
  pinLength: number,
  pin: string | undefined,
  mode: number,
): string {
  const data = hexToBytes(validationData);
  return withKernel(RECORD, 16, (k) => {
    const [ks, single] = keySchedule(k, ALG_TDES, pvk);
    const m = k.mem;
    m.set(data, k.IN);
    putAscii(m, k.IN + 8, decimalizationTable);
    m[k.IN + 24] = pinLength;
    if (pin !== undefined) putAscii(m, k.IN + 25, pin);
    k.x.ibm3624Batch(ks, single, mode, k.IN, k.OUT, 1);
    return getAscii(m, k.OUT, pinLength);
  });
}

function checkCommon(pvk: unknown, validationData: unknown, decimalizationTable: unknown): [string, string] {
  checkBytes('pvk', pvk, [8, 16]);
  return [
    checkHex('validationData', validationData, 16),
    checkDigits('decimalizationTable', decimalizationTable, 16, 16),
  ];
}

/**
 * The natural PIN of `pinLength` (4..12) digits: `validationData` (16 hex characters) encrypted under `pvk` (8
 * bytes: single DES; 16: TDES) and decimalized through `decimalizationTable` (16 digits). The example is psec's
 * test_generate_ibm3624_pin case 1 (test/vectors/ibm3624.json).
 * @example
 * generateIbm3624Pin(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '1122334455667788', '1234567890123456', 4) // => '4524'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT
 */
export function generateIbm3624Pin(
  pvk: Uint8Array,
  validationData: string,
  decimalizationTable: string,
  pinLength: number,
): string {
  const [data, table] = checkCommon(pvk, validationData, decimalizationTable);
  checkInt('pinLength', pinLength, 4, 12);
  return ibm3624(pvk, data, table, pinLength, undefined, MODE_NATURAL_PIN);
}

/**
 * The offset (as many digits as the PIN) that turns the natural PIN into `pin` (4..12 digits); other arguments as
 * generateIbm3624Pin. The examples are psec's test_generate_ibm3624_offset cases (PIN 1234 -> 7710, and the
 * natural PIN 4524 -> 0000).
 * @example
 * generateIbm3624Offset(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '1122334455667788', '1234567890123456', '1234') // => '7710'
 * generateIbm3624Offset(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '1122334455667788', '1234567890123456', '4524') // => '0000'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT
 */
export function generateIbm3624Offset(
  pvk: Uint8Array,
  validationData: string,
  decimalizationTable: string,
  pin: string,
): string {
  const [data, table] = checkCommon(pvk, validationData, decimalizationTable);
  checkDigits('pin', pin, 4, 12);
  return ibm3624(pvk, data, table, pin.length, pin, MODE_OFFSET);
}

/**
 * True when `offset` is the IBM 3624 offset of `pin` (other arguments as generateIbm3624Pin); constant-time.
 * Throws only for malformed input (an offset whose length differs from the PIN's is malformed: ERR_LENGTH on
 * `offset`). The example is psec's test_generate_ibm3624_offset (PIN 1234 -> offset 7710).
 * @example
 * verifyIbm3624Offset(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '1122334455667788', '1234567890123456', '1234', '7710') // => true
 * verifyIbm3624Offset(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '1122334455667788', '1234567890123456', '1234', '7711') // => false
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT
 */
export function verifyIbm3624Offset(
  pvk: Uint8Array,
  validationData: string,
  decimalizationTable: string,
  pin: string,
  offset: string,
): boolean {
  const [data, table] = checkCommon(pvk, validationData, decimalizationTable);
  checkDigits('pin', pin, 4, 12);
  checkDigits('offset', offset, 4, 12);
  if (offset.length !== pin.length) {
    throw new CardHsmError(
      'ERR_LENGTH',
      `"offset" expected as many digits as the PIN (${pin.length}), got length=${offset.length}`,
      'offset',
    );
  }
  return constantTimeEqualString(ibm3624(pvk, data, table, pin.length, pin, MODE_OFFSET), offset);
}

/**
 * Validation data for the IBM 3624 method built from a PAN, in the common convention: the leftmost 16 digits of
 * the PAN (all of a shorter PAN) right-padded with `pad` (a hex digit, default F) to 16 hex characters.
 * Issuers with another convention pass their own 16-character validation data instead.
 * @example
 * ibm3624ValidationData('1122334455667788') // => '1122334455667788'
 * ibm3624ValidationData('4123456789012') // => '4123456789012FFF'
 * ibm3624ValidationData('4123456789012', '0') // => '4123456789012000'
 * @throws ERR_TYPE, ERR_LENGTH (PAN 2..19 digits), ERR_FORMAT
 */
export function ibm3624ValidationData(pan: string, pad = 'F'): string {
  checkDigits('pan', pan, 2, 19);
  const p = checkHex('pad', pad, 1);
  return pan.slice(0, 16).padEnd(16, p);
}
