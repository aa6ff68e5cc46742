// Card scheme cryptogram profiles: what a Cryptogram Version Number (CVN, in the issuer application data, tag 9F10)
// fixes, so that callers name the profile instead of the internals (see cvn.ts for the data each covers and the
// sources). EMV_CVN_PROFILES is the one list of them: the Hsm's profile names are its keys.
import type { MasterKeyOption } from './kd.js';

/**
 * How the AC session key is derived from the ICC master key: 'NONE' (the cryptogram is under the ICC MK itself:
 * Visa CVN 10), 'COMMON' (EMV Book 2 A1.3.1 with R = ATC || 0^6) or 'MASTERCARD' (M/Chip SKD: the same derivation
 * with R = ATC || 00 00 || UN). Read it from a profile; the example's check digits are knovichikhin/pyemv's
 * (test_cvn_hsm.py test_interac_cvn133).
 * @example
 * [VISA_CVN10.sessionKey, VISA_CVN18.sessionKey, MASTERCARD_CVN16.sessionKey] // => ['NONE', 'COMMON', 'MASTERCARD']
 * const mk = deriveIccMasterKey(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '1234567890123456', '00')
 * keyCheckValue(deriveCommonSessionKey(mk, hexToBytes('001C0000ABCDEF12')), { length: 2 }) // => '2FD5'
 * keyCheckValue(deriveMastercardSessionKey(mk, hexToBytes('001C'), hexToBytes('ABCDEF12')), { length: 2 }) // => '2FD5'
 */
export type SessionKeyDerivation = 'NONE' | 'COMMON' | 'MASTERCARD';

/**
 * What of the issuer application data (9F10) ends the AC data: 'VISA_CVR' (bytes 4-7), 'IAD' (all of it),
 * 'MASTERCARD_CVR' (bytes 3-8), 'MASTERCARD_CVR_COUNTERS' (bytes 3-8, then 11-18). Read it from a profile; the
 * example's IAD is pyemv's test_mastercard_cvn17 one, the other tags zeros, so that only the IAD part shows after
 * the 33 bytes of tags.
 * @example
 * const z = (n) => new Uint8Array(n)
 * const tx = { amountAuthorized: z(6), amountOther: z(6), terminalCountryCode: z(2), tvr: z(5), transactionCurrencyCode: z(2), transactionDate: z(3), transactionType: z(1), unpredictableNumber: z(4), aip: z(2), atc: z(2), iad: hexToBytes('0110A00003220000000000000000000322FF') }
 * [MASTERCARD_CVN16.iad, MASTERCARD_CVN17.iad] // => ['MASTERCARD_CVR', 'MASTERCARD_CVR_COUNTERS']
 * bytesToHex(emvArqcData(MASTERCARD_CVN16, tx).subarray(33)) // => 'A00003220000'
 * bytesToHex(emvArqcData(MASTERCARD_CVN17, tx).subarray(33)) // => 'A00003220000' + '00000000000322FF'
 */
export type IadPart = 'VISA_CVR' | 'IAD' | 'MASTERCARD_CVR' | 'MASTERCARD_CVR_COUNTERS';

/**
 * What a CVN fixes. The constants below are the supported profiles, frozen; the functions that take a profile
 * accept only them (a look-alike object is refused with ERR_FORMAT, field `profile`), so a caller cannot change
 * what a cryptogram covers.
 * @example
 * const { masterKey, sessionKey, padding, iad, arpcMethod, arpcKey } = MASTERCARD_CVN16
 * [masterKey, sessionKey, padding, iad, arpcMethod, arpcKey] // => ['A', 'MASTERCARD', 2, 'MASTERCARD_CVR', 1, 'MASTER']
 * (() => { try { emvArqcData({ ...VISA_CVN18 }, {}) } catch (e) { return e.code } })() // => 'ERR_FORMAT'
 */
export interface CvnProfile {
  readonly name: string;
  readonly scheme: 'VISA' | 'MASTERCARD';
  readonly cvn: number;
  /** ICC master key derivation (EMV Book 2 A1.4); Option B falls back to A for PANs of 16 digits or fewer. */
  readonly masterKey: MasterKeyOption;
  /** AC session key: none (the ICC MK), the common derivation (R = ATC || 0^6), Mastercard's (ATC || 0000 || UN). */
  readonly sessionKey: SessionKeyDerivation;
  /** ISO/IEC 9797-1 padding method of the AC data. */
  readonly padding: 1 | 2;
  /** What of the IAD (9F10) ends the AC data. */
  readonly iad: IadPart;
  /** ARPC method and the key it uses. */
  readonly arpcMethod: 1 | 2;
  readonly arpcKey: 'MASTER' | 'SESSION';
  /** Issuer script session keys: Visa's (from the ATC) or common (R = the ARQC). */
  readonly scriptKey: 'VISA' | 'COMMON';
  /** Command data encipherment: Visa (length byte, padding 2, ECB), Mastercard (padding 2 only when needed,
   * CBC from zero), EMV/CCD (padding 2, CBC from zero). */
  readonly scriptEncryption: 'VISA' | 'MASTERCARD' | 'EMV';
  /** The PIN block a PIN change sends the card when the current PIN is not required. */
  readonly pinBlock: 'VIS' | 'ISO2';
}

const profile = (p: CvnProfile): CvnProfile => Object.freeze(p);

/**
 * Visa CVN 10 (VSDC): cryptogram under the ICC MK (no session key) over the tags and the CVR (IAD bytes 4-7),
 * padding method 1; ARPC method 1 under the MK; Visa SM script keys, VIS PIN blocks. The example is
 * knovichikhin/pyemv's test_cvn_hsm.py test_visa_cvn10 (its CVR 03A06010 inside an IAD 06 01 0A || CVR).
 * @example
 * const imkAc = hexToBytes('0123456789ABCDEFFEDCBA9876543210'), card = { pan: '1234567890123456', psn: '00' }
 * const tx = { amountAuthorized: hexToBytes('000000004000'), amountOther: hexToBytes('000000000000'), terminalCountryCode: hexToBytes('0124'), tvr: hexToBytes('8000048000'), transactionCurrencyCode: hexToBytes('0124'),
 *   transactionDate: hexToBytes('191105'), transactionType: hexToBytes('01'), unpredictableNumber: hexToBytes('52BF4585'), aip: hexToBytes('1800'), atc: hexToBytes('001C'), iad: hexToBytes('06010A03A06010') }
 * bytesToHex(generateEmvArqc(VISA_CVN10, imkAc, card, tx)) // => '29CCA15AE665FA2E'
 * bytesToHex(generateEmvArpc(VISA_CVN10, imkAc, card, tx, hexToBytes('29CCA15AE665FA2E'), { arc: hexToBytes('3030') })) // => '28993816AFAE4AEB'
 */
export const VISA_CVN10 = profile({
  name: 'VISA_CVN10',
  scheme: 'VISA',
  cvn: 10,
  masterKey: 'A',
  sessionKey: 'NONE',
  padding: 1,
  iad: 'VISA_CVR',
  arpcMethod: 1,
  arpcKey: 'MASTER',
  scriptKey: 'VISA',
  scriptEncryption: 'VISA',
  pinBlock: 'VIS',
});

/**
 * Visa CVN 18: EMV common session key (Option B master key), the whole IAD in the AC data, padding method 2; ARPC
 * method 2 under the session key; Visa SM script keys, VIS PIN blocks. The example is knovichikhin/pyemv's cvn.py
 * module docstring (VisaCVN18).
 * @example
 * const imkAc = hexToBytes('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), card = { pan: '1234567890123456', psn: '00' }
 * const tx = { amountAuthorized: hexToBytes('000000009999'), amountOther: hexToBytes('000000000000'), terminalCountryCode: hexToBytes('0840'), tvr: hexToBytes('8000048000'), transactionCurrencyCode: hexToBytes('0840'),
 *   transactionDate: hexToBytes('991231'), transactionType: hexToBytes('01'), unpredictableNumber: hexToBytes('52BF4585'), aip: hexToBytes('1800'), atc: hexToBytes('0FFF'), iad: hexToBytes('06011203A0B800') }
 * bytesToHex(generateEmvArqc(VISA_CVN18, imkAc, card, tx)) // => '769577B5ABE9FE62'
 * bytesToHex(generateEmvArpc(VISA_CVN18, imkAc, card, tx, hexToBytes('769577B5ABE9FE62'), { csu: hexToBytes('00000000') })) // => '76503F48'
 */
export const VISA_CVN18 = profile({
  name: 'VISA_CVN18',
  scheme: 'VISA',
  cvn: 18,
  masterKey: 'B',
  sessionKey: 'COMMON',
  padding: 2,
  iad: 'IAD',
  arpcMethod: 2,
  arpcKey: 'SESSION',
  scriptKey: 'VISA',
  scriptEncryption: 'VISA',
  pinBlock: 'VIS',
});

/**
 * Visa CVN 22: cryptograms as CVN 18 (a 32-byte IAD in practice), EMV common session keys for issuer scripts (R =
 * the ARQC) where CVN 18 takes Visa's, ISO 9564 format 2 PIN blocks. The example's MACs are knovichikhin/pyemv's
 * test_cvn_hsm.py test_visa_cvn22 and test_visa_cvn18: the same script under the two profiles.
 * @example
 * const imkSmi = hexToBytes('FEDCBA98765432100123456789ABCDEF'), card = { pan: '1234567890123456', psn: '00' }
 * const ctx = { atc: hexToBytes('001C'), arqc: hexToBytes('7A788EA6B8A3E733') }
 * bytesToHex(generateEmvScriptMac(VISA_CVN22, imkSmi, card, ctx, hexToBytes('8418000008'))) // => 'A4805748F846D851'
 * bytesToHex(generateEmvScriptMac(VISA_CVN18, imkSmi, card, ctx, hexToBytes('8418000008'))) // => '04EDE90BC24CC35E'
 */
export const VISA_CVN22 = profile({
  name: 'VISA_CVN22',
  scheme: 'VISA',
  cvn: 22,
  masterKey: 'B',
  sessionKey: 'COMMON',
  padding: 2,
  iad: 'IAD',
  arpcMethod: 2,
  arpcKey: 'SESSION',
  scriptKey: 'COMMON',
  scriptEncryption: 'VISA',
  pinBlock: 'ISO2',
});

/**
 * Mastercard M/Chip CVN 16: Mastercard SKD session key (R = ATC || 0000 || UN), the CVR (IAD bytes 3-8) in the
 * AC data, padding method 2; ARPC method 1 under the ICC MK. Issuer scripts: common session keys (R = the ARQC),
 * Mastercard encipherment, ISO 9564 format 2 PIN blocks. The example is knovichikhin/pyemv's test_cvn_hsm.py
 * test_mastercard_cvn16 (CVR A00003220000, as the test notes).
 * @example
 * const imkAc = hexToBytes('0123456789ABCDEFFEDCBA9876543210'), card = { pan: '1234567890123456', psn: '00' }
 * const tx = { amountAuthorized: hexToBytes('000000009999'), amountOther: hexToBytes('000000000000'), terminalCountryCode: hexToBytes('0124'), tvr: hexToBytes('8000000000'), transactionCurrencyCode: hexToBytes('0124'),
 *   transactionDate: hexToBytes('209906'), transactionType: hexToBytes('00'), unpredictableNumber: hexToBytes('ABCDEF12'), aip: hexToBytes('1800'), atc: hexToBytes('001C'), iad: hexToBytes('0110A00003220000000000000000000000FF') }
 * bytesToHex(generateEmvArqc(MASTERCARD_CVN16, imkAc, card, tx)) // => '24CCF3DEE3158C70'
 * bytesToHex(generateEmvArpc(MASTERCARD_CVN16, imkAc, card, tx, hexToBytes('24CCF3DEE3158C70'), { arc: hexToBytes('0010') })) // => '73F6BBF389A6586C'
 */
export const MASTERCARD_CVN16 = profile({
  name: 'MASTERCARD_CVN16',
  scheme: 'MASTERCARD',
  cvn: 16,
  masterKey: 'A',
  sessionKey: 'MASTERCARD',
  padding: 2,
  iad: 'MASTERCARD_CVR',
  arpcMethod: 1,
  arpcKey: 'MASTER',
  scriptKey: 'COMMON',
  scriptEncryption: 'MASTERCARD',
  pinBlock: 'ISO2',
});

/**
 * Mastercard M/Chip CVN 17: as CVN 16 with the counters in the AC data (the CVR, then IAD bytes 11-18);
 * ARPC method 1 under the ICC MK. Issuer scripts: common session keys (R = the ARQC),
 * Mastercard encipherment, ISO 9564 format 2 PIN blocks. The example is knovichikhin/pyemv's test_cvn_hsm.py
 * test_mastercard_cvn17.
 * @example
 * const imkAc = hexToBytes('0123456789ABCDEFFEDCBA9876543210'), card = { pan: '1234567890123456', psn: '00' }
 * const tx = { amountAuthorized: hexToBytes('000000009999'), amountOther: hexToBytes('000000000000'), terminalCountryCode: hexToBytes('0124'), tvr: hexToBytes('8000000000'), transactionCurrencyCode: hexToBytes('0124'),
 *   transactionDate: hexToBytes('209906'), transactionType: hexToBytes('00'), unpredictableNumber: hexToBytes('ABCDEF12'), aip: hexToBytes('1800'), atc: hexToBytes('001C'), iad: hexToBytes('0111A00003220000000000000000000322FF') }
 * bytesToHex(generateEmvArqc(MASTERCARD_CVN17, imkAc, card, tx)) // => 'EAE8A620A75648D8'
 * bytesToHex(generateEmvArpc(MASTERCARD_CVN17, imkAc, card, tx, hexToBytes('EAE8A620A75648D8'), { arc: hexToBytes('0010') })) // => '29CF11FBDB9CA650'
 */
export const MASTERCARD_CVN17 = profile({
  name: 'MASTERCARD_CVN17',
  scheme: 'MASTERCARD',
  cvn: 17,
  masterKey: 'A',
  sessionKey: 'MASTERCARD',
  padding: 2,
  iad: 'MASTERCARD_CVR_COUNTERS',
  arpcMethod: 1,
  arpcKey: 'MASTER',
  scriptKey: 'COMMON',
  scriptEncryption: 'MASTERCARD',
  pinBlock: 'ISO2',
});

/**
 * Mastercard M/Chip CVN 20: EMV common session key (R = ATC || 0^6), the CVR in the AC data, no counters;
 * ARPC method 1 under the session key. Issuer scripts: common session keys (R = the ARQC),
 * Mastercard encipherment, ISO 9564 format 2 PIN blocks. The example is knovichikhin/pyemv's test_cvn_hsm.py
 * test_mastercard_cvn20.
 * @example
 * const imkAc = hexToBytes('0123456789ABCDEFFEDCBA9876543210'), card = { pan: '1234567890123456', psn: '00' }
 * const tx = { amountAuthorized: hexToBytes('000000009999'), amountOther: hexToBytes('000000000000'), terminalCountryCode: hexToBytes('0124'), tvr: hexToBytes('8000000000'), transactionCurrencyCode: hexToBytes('0124'),
 *   transactionDate: hexToBytes('209906'), transactionType: hexToBytes('00'), unpredictableNumber: hexToBytes('ABCDEF12'), aip: hexToBytes('1800'), atc: hexToBytes('001C'), iad: hexToBytes('0110A00003220000000000000000000000FF') }
 * bytesToHex(generateEmvArqc(MASTERCARD_CVN20, imkAc, card, tx)) // => 'CD29615D6452E70E'
 * bytesToHex(generateEmvArpc(MASTERCARD_CVN20, imkAc, card, tx, hexToBytes('CD29615D6452E70E'), { arc: hexToBytes('0010') })) // => 'DFD0956606B68D64'
 */
export const MASTERCARD_CVN20 = profile({
  name: 'MASTERCARD_CVN20',
  scheme: 'MASTERCARD',
  cvn: 20,
  masterKey: 'A',
  sessionKey: 'COMMON',
  padding: 2,
  iad: 'MASTERCARD_CVR',
  arpcMethod: 1,
  arpcKey: 'SESSION',
  scriptKey: 'COMMON',
  scriptEncryption: 'MASTERCARD',
  pinBlock: 'ISO2',
});

/**
 * Mastercard M/Chip CVN 21: EMV common session key, the CVR and the counters in the AC data; ARPC method 1
 * under the session key. Issuer scripts: common session keys (R = the ARQC),
 * Mastercard encipherment, ISO 9564 format 2 PIN blocks. The example is knovichikhin/pyemv's test_cvn_hsm.py
 * test_mastercard_cvn21.
 * @example
 * const imkAc = hexToBytes('0123456789ABCDEFFEDCBA9876543210'), card = { pan: '1234567890123456', psn: '00' }
 * const tx = { amountAuthorized: hexToBytes('000000009999'), amountOther: hexToBytes('000000000000'), terminalCountryCode: hexToBytes('0124'), tvr: hexToBytes('8000000000'), transactionCurrencyCode: hexToBytes('0124'),
 *   transactionDate: hexToBytes('209906'), transactionType: hexToBytes('00'), unpredictableNumber: hexToBytes('ABCDEF12'), aip: hexToBytes('1800'), atc: hexToBytes('001C'), iad: hexToBytes('0115A00003220000000000000000000322FF') }
 * bytesToHex(generateEmvArqc(MASTERCARD_CVN21, imkAc, card, tx)) // => 'C30E54BE496CF5E5'
 * bytesToHex(generateEmvArpc(MASTERCARD_CVN21, imkAc, card, tx, hexToBytes('C30E54BE496CF5E5'), { arc: hexToBytes('0010') })) // => '4F51F9CC63CE8B3C'
 */
export const MASTERCARD_CVN21 = profile({
  name: 'MASTERCARD_CVN21',
  scheme: 'MASTERCARD',
  cvn: 21,
  masterKey: 'A',
  sessionKey: 'COMMON',
  padding: 2,
  iad: 'MASTERCARD_CVR_COUNTERS',
  arpcMethod: 1,
  arpcKey: 'SESSION',
  scriptKey: 'COMMON',
  scriptEncryption: 'MASTERCARD',
  pinBlock: 'ISO2',
});

/**
 * Every supported profile by name: the profiles the Hsm's EMV methods accept (their `profile` option, an
 * EmvProfileName), frozen.
 * @example
 * Object.keys(EMV_CVN_PROFILES) // => ['VISA_CVN10', 'VISA_CVN18', 'VISA_CVN22', 'MASTERCARD_CVN16', 'MASTERCARD_CVN17', 'MASTERCARD_CVN20', 'MASTERCARD_CVN21']
 * EMV_CVN_PROFILES.MASTERCARD_CVN21 === MASTERCARD_CVN21 // => true
 * Object.isFrozen(EMV_CVN_PROFILES) && Object.isFrozen(VISA_CVN10) // => true
 */
export const EMV_CVN_PROFILES = Object.freeze({
  VISA_CVN10,
  VISA_CVN18,
  VISA_CVN22,
  MASTERCARD_CVN16,
  MASTERCARD_CVN17,
  MASTERCARD_CVN20,
  MASTERCARD_CVN21,
});

/**
 * A profile's name: a key of EMV_CVN_PROFILES, as the Hsm's EMV methods take it (`profile`). The example imports
 * the issuer's MK-SMI as an E2 key block and MACs a script as knovichikhin/pyemv's test_cvn_hsm.py test_visa_cvn18
 * does.
 * @example
 * const imkSmi = hsm.importKeyComponents({ usage: 'E2', algorithm: 'TDES2', components: [hexToBytes('FEDCBA98765432100123456789ABCDEF')], allowSingleComponent: true }).keyBlock
 * const profile = 'VISA_CVN18'
 * EMV_CVN_PROFILES[profile].cvn // => 18
 * bytesToHex(hsm.generateEmvScriptMac({ imkSmi, profile, pan: '1234567890123456', psn: '00', atc: hexToBytes('001C'), arqc: hexToBytes('7A788EA6B8A3E733'), header: hexToBytes('8418000008') })) // => '04EDE90BC24CC35E'
 */
export type EmvProfileName = keyof typeof EMV_CVN_PROFILES;
