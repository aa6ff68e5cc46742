// Visa PIN Verification Value (Visa PIN security requirements; IBM CCA "VISA-PVV"; Thales "PVV"):
// TSP = the 11 rightmost PAN digits excluding the check digit || PVKI || the first 4 PIN digits, encrypted under
// the PVK (single DES for an 8-byte key, 2-key TDES for 16), decimalized, first 4 digits.
import { constantTimeEqualString } from './_bytes.js';
import { checkArray, checkBytes, checkDigits, checkDigitFields } from './_validate.js';
import { keySchedule, getAscii, mapRecords, ALG_TDES, type RecordLayout } from './wasm/_calls.js';

const RECORD = 16;
const DIGITS = 4;

/**
 * One card's inputs to the PVV method, an item of generateVisaPvvBatch. The example is psec's
 * test_generate_visa_pvv case 1 (test/vectors/pvv.json).
 * @example
 * const item = { pan: '1122334455667788', pvki: '1', pin: '4524' }
 * generateVisaPvvBatch(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), [item]) // => ['8523']
 */
export interface PvvInput {
  /** 12..19 digits (the last is taken as the check digit and skipped). */
  pan: string;
  /** PIN verification key index, 1 digit. */
  pvki: string;
  /** 4..12 digits; the first 4 enter the PVV. */
  pin: string;
}

const PVV_INPUT = [
  ['pan', 12, 19],
  ['pvki', 1, 1],
  ['pin', 4, 12],
] as const;
const checkInput = (item: unknown, at: string): PvvInput => checkDigitFields(at, item, PVV_INPUT);

// Record: the 16-digit TSP in ASCII; result: the 4 ASCII digits.
const LAYOUT: RecordLayout<PvvInput, string> = {
  recordBytes: RECORD,
  outBytes: DIGITS,
  write(m, rec, { pan, pvki, pin }) {
    for (let j = 0; j < 11; j++) m[rec + j] = pan.charCodeAt(pan.length - 12 + j);
    m[rec + 11] = pvki.charCodeAt(0);
    for (let j = 0; j < 4; j++) m[rec + 12 + j] = pin.charCodeAt(j);
  },
  read: (m, out) => getAscii(m, out, DIGITS),
};

function pvvKernel(pvk: Uint8Array, items: readonly PvvInput[]): string[] {
  return mapRecords(items, LAYOUT, (k) => {
    const [ks, single] = keySchedule(k, ALG_TDES, pvk);
    return (n) => k.x.pvvBatch(ks, single, k.IN, k.OUT, n);
  });
}

/**
 * The Visa PVV (4 digits) of `pin` (4..12 digits; the first 4 enter the PVV) under `pvk` (8 bytes: single DES; 16:
 * TDES) for `pan` (12..19 digits) and `pvki` (1 digit). The examples are psec's generate_visa_pvv docstring and
 * test_generate_visa_pvv case 1 (test/vectors/pvv.json).
 * @example
 * generateVisaPvv(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '1122334455667788', '3', '4524') // => '4021'
 * generateVisaPvv(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '1122334455667788', '1', '4524') // => '8523'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT
 */
export function generateVisaPvv(pvk: Uint8Array, pan: string, pvki: string, pin: string): string {
  checkBytes('pvk', pvk, [8, 16]);
  return pvvKernel(pvk, [checkInput({ pan, pvki, pin }, '')])[0]!;
}

/**
 * True when `pvv` (4 digits) is the PVV of the PIN (other arguments as generateVisaPvv); constant-time. Returns
 * false for a wrong PVV and throws only for malformed input. The example is psec's generate_visa_pvv docstring.
 * @example
 * verifyVisaPvv(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '1122334455667788', '3', '4524', '4021') // => true
 * verifyVisaPvv(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '1122334455667788', '3', '4524', '4022') // => false
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT
 */
export function verifyVisaPvv(pvk: Uint8Array, pan: string, pvki: string, pin: string, pvv: string): boolean {
  checkDigits('pvv', pvv, 4, 4);
  return constantTimeEqualString(generateVisaPvv(pvk, pan, pvki, pin), pvv);
}

/**
 * PVVs of many PINs under one PVK (8 or 16 bytes) in one pass through the kernel; items as PvvInput, one 4-digit
 * string per item, in order. The examples are psec's test_generate_visa_pvv cases 1 and 2.
 * @example
 * generateVisaPvvBatch(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), [{ pan: '1122334455667788', pvki: '1', pin: '4524' }, { pan: '1122334455667788', pvki: '2', pin: '1912' }]) // => ['8523', '3244']
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (field names carry the index: `items[1].pin`)
 */
export function generateVisaPvvBatch(pvk: Uint8Array, items: readonly PvvInput[]): string[] {
  checkBytes('pvk', pvk, [8, 16]);
  const valid = checkArray('items', items).map((item, i) => checkInput(item, `items[${i}].`));
  return pvvKernel(pvk, valid);
}
