// Card scheme cryptogram profiles: what a Cryptogram Version Number (CVN, in the issuer application data, tag 9F10)
// fixes, so that callers name the profile instead of the internals (see cvn.ts for the data each covers and the
// sources). EMV_CVN_PROFILES is the one list of them: the Hsm's profile names are its keys.
import type { MasterKeyOption } from './kd.js';

/** How the AC session key is derived from the ICC master key. */
export type SessionKeyDerivation = 'NONE' | 'COMMON' | 'MASTERCARD';

/** What of the issuer application data (9F10) ends the AC data. */
export type IadPart = 'VISA_CVR' | 'IAD' | 'MASTERCARD_CVR' | 'MASTERCARD_CVR_COUNTERS';

/** What a CVN fixes. The constants below are the supported profiles; treat them as read-only. */
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

/** Visa CVN 10 (VSDC, cryptogram under the ICC MK). */
export const VISA_CVN10 = profile({ name: 'VISA_CVN10', scheme: 'VISA', cvn: 10, masterKey: 'A', sessionKey: 'NONE', padding: 1, iad: 'VISA_CVR', arpcMethod: 1, arpcKey: 'MASTER', scriptKey: 'VISA', scriptEncryption: 'VISA', pinBlock: 'VIS' });

/** Visa CVN 18 (EMV common session key, whole IAD, ARPC method 2). */
export const VISA_CVN18 = profile({ name: 'VISA_CVN18', scheme: 'VISA', cvn: 18, masterKey: 'B', sessionKey: 'COMMON', padding: 2, iad: 'IAD', arpcMethod: 2, arpcKey: 'SESSION', scriptKey: 'VISA', scriptEncryption: 'VISA', pinBlock: 'VIS' });

/** Visa CVN 22 (as 18, with a 32-byte IAD and EMV common keys for scripts). */
export const VISA_CVN22 = profile({ name: 'VISA_CVN22', scheme: 'VISA', cvn: 22, masterKey: 'B', sessionKey: 'COMMON', padding: 2, iad: 'IAD', arpcMethod: 2, arpcKey: 'SESSION', scriptKey: 'COMMON', scriptEncryption: 'VISA', pinBlock: 'ISO2' });

/** Mastercard M/Chip CVN 16 (Mastercard SKD, no counters). */
export const MASTERCARD_CVN16 = profile({ name: 'MASTERCARD_CVN16', scheme: 'MASTERCARD', cvn: 16, masterKey: 'A', sessionKey: 'MASTERCARD', padding: 2, iad: 'MASTERCARD_CVR', arpcMethod: 1, arpcKey: 'MASTER', scriptKey: 'COMMON', scriptEncryption: 'MASTERCARD', pinBlock: 'ISO2' });

/** Mastercard M/Chip CVN 17 (Mastercard SKD, counters in the AC). */
export const MASTERCARD_CVN17 = profile({ name: 'MASTERCARD_CVN17', scheme: 'MASTERCARD', cvn: 17, masterKey: 'A', sessionKey: 'MASTERCARD', padding: 2, iad: 'MASTERCARD_CVR_COUNTERS', arpcMethod: 1, arpcKey: 'MASTER', scriptKey: 'COMMON', scriptEncryption: 'MASTERCARD', pinBlock: 'ISO2' });

/** Mastercard M/Chip CVN 20 (EMV common session key, no counters). */
export const MASTERCARD_CVN20 = profile({ name: 'MASTERCARD_CVN20', scheme: 'MASTERCARD', cvn: 20, masterKey: 'A', sessionKey: 'COMMON', padding: 2, iad: 'MASTERCARD_CVR', arpcMethod: 1, arpcKey: 'SESSION', scriptKey: 'COMMON', scriptEncryption: 'MASTERCARD', pinBlock: 'ISO2' });

/** Mastercard M/Chip CVN 21 (EMV common session key, counters in the AC). */
export const MASTERCARD_CVN21 = profile({ name: 'MASTERCARD_CVN21', scheme: 'MASTERCARD', cvn: 21, masterKey: 'A', sessionKey: 'COMMON', padding: 2, iad: 'MASTERCARD_CVR_COUNTERS', arpcMethod: 1, arpcKey: 'SESSION', scriptKey: 'COMMON', scriptEncryption: 'MASTERCARD', pinBlock: 'ISO2' });


/** Every supported profile by name: the profiles the Hsm's EMV methods accept (their `profile` option). */
export const EMV_CVN_PROFILES = Object.freeze({ VISA_CVN10, VISA_CVN18, VISA_CVN22, MASTERCARD_CVN16, MASTERCARD_CVN17, MASTERCARD_CVN20, MASTERCARD_CVN21 });

/** A profile's name: a key of EMV_CVN_PROFILES. */
export type EmvProfileName = keyof typeof EMV_CVN_PROFILES;
