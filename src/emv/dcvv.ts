// Visa dCVV: the dynamic card verification value of contactless magnetic-stripe-mode transactions, which replaces
// the CVV in the track 2 equivalent data and changes with the ATC. This is NOT the time-windowed dynamic CVV2 of
// src/dcvv2.ts (TW-DCVV2, printed or displayed codes): different product, inputs and names.
//
// Visa's specification is not public; this follows the construction HSMs implement and jPOS publishes
// (JCESecurityModule.calculatedCVV, with known answers in its tests): the card's key is the ICC master key derived
// from the issuer's MK-dCVV (EMV Book 2 A1.4, Option A by default), and the dCVV is the Visa CVV method under that
// key (CVK A || CVK B = MK's halves) over the ATC (4 hex digits) || the PAN from its 5th digit || expiry || service
// code, right-padded with zeros to 32 digits; the first 3 decimalized digits.
import { constantTimeEqualString } from '../_bytes.js';
import { checkBytes, checkDigits, checkOptions } from '../_validate.js';
import { withKernel, selectKey, putAscii, getAscii, ALG_TDES } from '../wasm/_calls.js';
import type { MasterKeyOption } from './kd.js';
import { checkCard, checkKey16, checkOption, putCard } from './_kd.js';

const RECORD = 40; // assembly/emv.ts EMV_DCVV_RECORD

/**
 * Options of the dCVV: the master key derivation (Option A by default; B for PANs over 16 digits). The example is
 * jPOS's JCESecurityModuleTest testVerifyDCVVImpl4 (Option B, a 19-digit PAN).
 * @example
 * const opts = { option: 'B' }
 * generateDcvv(hexToBytes('12345678123456781234567812345678'), '1234567890123456789', '00', '1310', '226', hexToBytes('3210'), opts) // => '562'
 */
export interface DcvvOptions {
  option?: MasterKeyOption;
}

/**
 * The Visa dCVV of a contactless transaction: the Visa CVV method under the card's ICC master key over the ATC,
 * the PAN from its 5th digit, expiry and service code (see the module header). The example is jPOS's
 * JCESecurityModuleTest testGeneratedCVV_OptionA_KnownVector (IMK "4 times 12345678").
 * @param imkDcvv the issuer's dCVV master key, 16 bytes
 * @param pan 12..19 digits; @param psn 2 digits; @param expiry 4 digits (YYMM); @param serviceCode 3 digits
 * @param atc the application transaction counter (tag 9F36), 2 bytes
 * @param opts `{ option }` (DcvvOptions): the master key derivation, 'A' by default
 * @returns the dCVV, 3 digits
 * @example generateDcvv(hexToBytes('12345678123456781234567812345678'), '1234567890123456', '00', '1310', '226', hexToBytes('3210')) // => '422'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT
 */
export function generateDcvv(
  imkDcvv: Uint8Array,
  pan: string,
  psn: string,
  expiry: string,
  serviceCode: string,
  atc: Uint8Array,
  opts?: DcvvOptions,
): string {
  const imk = checkKey16('imkDcvv', imkDcvv);
  const card = checkCard(pan, psn);
  const exp = checkDigits('expiry', expiry, 4, 4);
  const sc = checkDigits('serviceCode', serviceCode, 3, 3);
  const a = checkBytes('atc', atc, [2]);
  const option = checkOption(checkOptions('opts', opts).option, 'opts.option');
  return withKernel(RECORD, 3, (k) => {
    const ks = selectKey(k, ALG_TDES, imk);
    const m = k.mem;
    m.fill(0, k.IN, k.IN + RECORD);
    putCard(m, k.IN, card);
    putAscii(m, k.IN + 24, exp + sc);
    m.set(a, k.IN + 32);
    k.x.emvDcvvBatch(ks, +(option === 'B'), k.IN, 1, k.OUT);
    return getAscii(m, k.OUT, 3);
  });
}

/**
 * True when `dcvv` (3 digits) is the card's dCVV for this ATC; compared in constant time. Throws only for
 * malformed input. The other arguments as for generateDcvv. The example is jPOS's JCESecurityModuleTest
 * testVerifyDCVVImpl1, then the same dCVV for the next ATC.
 * @example
 * const imk = hexToBytes('12345678123456781234567812345678')
 * verifyDcvv(imk, '1234567890123456', '00', '1310', '226', hexToBytes('3210'), '422') // => true
 * verifyDcvv(imk, '1234567890123456', '00', '1310', '226', hexToBytes('3211'), '422') // => false
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT
 */
export function verifyDcvv(
  imkDcvv: Uint8Array,
  pan: string,
  psn: string,
  expiry: string,
  serviceCode: string,
  atc: Uint8Array,
  dcvv: string,
  opts?: DcvvOptions,
): boolean {
  checkDigits('dcvv', dcvv, 3, 3);
  return constantTimeEqualString(generateDcvv(imkDcvv, pan, psn, expiry, serviceCode, atc, opts), dcvv);
}
