// Mastercard CVC3 (PayPass / contactless magnetic stripe mode): a dynamic card verification code the card computes
// per transaction and the terminal places in track 1/2 discretionary data. The card's key is the ICC master key
// derived from the issuer's MK-CVC3 (EMV Book 2 A1.4, Option A by default); IVCVC3 = the last 2 bytes of the
// ISO/IEC 9797-1 MAC algorithm 3 (padding method 2) of the track data under it; CVC3 = the last 2 bytes of
// TDES_MK(IVCVC3 || UN || ATC) as a 5-digit decimal number. The terminal keeps only the rightmost digits the card's
// NATCTRACK/PCVC3 bitmap allows (3..5); verification compares those. As in knovichikhin/pyemv (cvv.generate_cvc3)
// and jPOS (JCESecurityModule.calculateCVC3), whose published answers the tests check.
import { CardHsmError } from '../errors.js';
import { constantTimeEqualString } from '../_bytes.js';
import { checkBytes, checkDigits, checkOptions } from '../_validate.js';
import { withKernel, selectKey, getAscii, ALG_TDES } from '../wasm/_calls.js';
import type { MasterKeyOption } from './kd.js';
import { checkCard, checkKey16, checkOption, putCard } from './_kd.js';

const HEAD = 48; // assembly/emv.ts EMV_AT_DATA

/**
 * Options of the CVC3: the master key derivation (EMV Book 2 A1.4), Option A by default; Option B applies to PANs
 * of 17..19 digits only, so a 16-digit PAN gives the same CVC3 either way. The example is knovichikhin/pyemv's
 * generate_cvc3 docstring vector.
 * @example
 * const imk = hexToBytes('01234567899876543210012345678998')
 * generateCvc3(imk, '5123456789012345', '00', hexToBytes('5123456789012345D35121010000000000000F'), hexToBytes('005E'), hexToBytes('00000899'), { option: 'B' }) // => '29488'
 */
export interface Cvc3Options {
  option?: MasterKeyOption;
}

function checkTrack(track: unknown): Uint8Array {
  if (!(track instanceof Uint8Array)) checkBytes('trackData', track, []);
  const t = track as Uint8Array;
  if (t.length < 1 || t.length > 128)
    throw new CardHsmError('ERR_LENGTH', `"trackData" expected 1..128 bytes, got length=${t.length}`, 'trackData');
  return t;
}

/**
 * The CVC3 of a contactless transaction, all 5 digits (the terminal keeps the rightmost 3..5). The example is
 * knovichikhin/pyemv's generate_cvc3 docstring vector (track 2).
 * @param imkCvc3 the issuer's CVC3 master key, 16 bytes
 * @param pan 12..19 digits; @param psn 2 digits
 * @param trackData the track template the IVCVC3 covers, 1..128 bytes: track 2 as BCD nibbles (PAN 'D' expiry
 *   service code discretionary data, 'F'-padded), or track 1 as ASCII
 * @param atc tag 9F36, 2 bytes; @param un the unpredictable number, 4 bytes
 * @param opts `{ option }` (Cvc3Options): the master key derivation, 'A' by default
 * @returns the CVC3, 5 digits
 * @example generateCvc3(hexToBytes('01234567899876543210012345678998'), '5123456789012345', '00', hexToBytes('5123456789012345D35121010000000000000F'), hexToBytes('005E'), hexToBytes('00000899')) // => '29488'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT
 */
export function generateCvc3(
  imkCvc3: Uint8Array,
  pan: string,
  psn: string,
  trackData: Uint8Array,
  atc: Uint8Array,
  un: Uint8Array,
  opts?: Cvc3Options,
): string {
  const imk = checkKey16('imkCvc3', imkCvc3);
  const card = checkCard(pan, psn);
  const track = checkTrack(trackData);
  const a = checkBytes('atc', atc, [2]);
  const u = checkBytes('un', un, [4]);
  const option = checkOption(checkOptions('opts', opts).option, 'opts.option');
  const stride = HEAD + ((track.length + 7) & ~7);
  return withKernel(stride, 5, (k) => {
    const ks = selectKey(k, ALG_TDES, imk);
    const m = k.mem;
    m.fill(0, k.IN, k.IN + stride);
    putCard(m, k.IN, card);
    m.set(a, k.IN + 24);
    m.set(u, k.IN + 26);
    m[k.IN + 32] = track.length;
    m.set(track, k.IN + HEAD);
    k.x.emvCvc3Batch(ks, +(option === 'B'), k.IN, stride, 1, k.OUT);
    return getAscii(m, k.OUT, 5);
  });
}

/**
 * True when `cvc3` (3..5 digits, as the terminal transmitted it) equals the rightmost digits of the card's CVC3;
 * compared in constant time. Throws only for malformed input. The other arguments as for generateCvc3. The example
 * is knovichikhin/pyemv's tests/test_cvv_hsm.py test_generate_cvc3_track2 (the rightmost 3 digits of 29488).
 * @example
 * const imk = hexToBytes('01234567899876543210012345678998'), track = hexToBytes('5123456789012345D35121010000000000000F')
 * verifyCvc3(imk, '5123456789012345', '00', track, hexToBytes('005E'), hexToBytes('00000899'), '488') // => true
 * verifyCvc3(imk, '5123456789012345', '00', track, hexToBytes('005E'), hexToBytes('00000899'), '29488') // => true
 * verifyCvc3(imk, '5123456789012345', '00', track, hexToBytes('005F'), hexToBytes('00000899'), '488') // => false
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT
 */
export function verifyCvc3(
  imkCvc3: Uint8Array,
  pan: string,
  psn: string,
  trackData: Uint8Array,
  atc: Uint8Array,
  un: Uint8Array,
  cvc3: string,
  opts?: Cvc3Options,
): boolean {
  checkDigits('cvc3', cvc3, 3, 5);
  const full = generateCvc3(imkCvc3, pan, psn, trackData, atc, un, opts);
  return constantTimeEqualString(full.slice(5 - cvc3.length), cvc3);
}
