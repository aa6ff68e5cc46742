// The option bags of the Hsm's methods, one named and documented interface each. Key blocks are strings (TR-31
// version D under the LMK); PIN blocks are bytes; card data are ASCII digit strings.
import type { PinPolicy } from '../pinpolicy.js';
import type { Store } from '../store/store.js';
import type { TokenOptions } from '../token.js';
import type { AuditSink, JsonlAuditSink } from './audit.js';
import type { Activity, ProfileName } from './activities.js';
import type { KeyAlgorithm } from './_vault.js';

import type { PinBlockFormat } from '../pinblock.js';
export type { PinBlockFormat } from '../pinblock.js';

/**
 * What an Hsm is made with (`new Hsm(options)`): the LMK, the activities it may perform, where its audit records go,
 * its store, and the limits and policies of its counted checks. Only `lmk` is required. The constructor throws
 * ERR_LENGTH (an LMK not of 32 bytes), ERR_FORMAT (activities, dcvv2 or development malformed, a limit out of range),
 * ERR_TYPE (a value of the wrong type), ERR_KEY_USAGE (an auditKey or cardRefKey that is not an M7 HMAC256 key block).
 *
 * @example
 * const backOffice = new Hsm({ lmk: lmkFromHex('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F'), activities: 'issuance', store: new MemoryStore(), pinTryLimit: 5 })
 * backOffice.toJSON()  // => { lmkKcv: '377822', profile: 'issuance' }
 * backOffice.generateCvv({ cvk: keys.cvk, pan: '4123456789012345', expiry: '8701', serviceCode: '101' })  // => '561'
 * let refused
 * try { new Hsm({ lmk: new Uint8Array(16) }) } catch (e) { refused = [e.code, e.field] }
 * refused  // => ['ERR_LENGTH', 'lmk']
 */
export interface HsmOptions {
  /** The AES-256 local master key (32 bytes). Copied; never printed. Or use Hsm.fromLmkComponents. */
  lmk: Uint8Array;
  /**
   * What this Hsm may do: a profile ('authorization', the default; 'issuance'; 'custodian') or a list of activity
   * names. Everything else is refused with ERR_NOT_AUTHORIZED. See HSM_PROFILES.
   */
  activities?: ProfileName | Activity[];
  /** Receives one record per operation. An exception from the sink fails the operation (fail closed). */
  audit?: AuditSink | JsonlAuditSink;
  /** An M7 HMAC256 key block for the audit trail's MACs; default: a key derived from the LMK. */
  auditKey?: string;
  /** IBM 3624 decimalization tables the HSM accepts; default ['0123456789012345']. */
  decimalizationTables?: string[];
  /** Durable state (attempt counters, verification data, activation codes, ranges); required by stateful methods. */
  store?: Store;
  /** Wrong PINs before a card locks; default 3. */
  pinTryLimit?: number;
  /** Wrong static CVVs (and, separately, CVV2s) before the card's static codes lock; default 5. */
  cardCodeTryLimit?: number;
  /** Wrong activation codes before the code locks; default 3. */
  activationAttemptLimit?: number;
  /** Rules every chosen or generated PIN must satisfy (see checkPinPolicy); default: 4-12 digits, no runs or repeats. */
  pinPolicy?: PinPolicy;
  /**
   * An HMAC key block (usage M7, algorithm HMAC256) for card references. Without it the reference key is derived
   * from the LMK, so rotating the LMK changes every card reference; with it, references survive LMK rotation.
   */
  cardRefKey?: string;
  /** Dynamic CVV2 policy: window length, digits, accepted drift, try limit (default 5), monotonic windows. */
  dcvv2?: {
    windowSeconds?: number;
    digits?: 3 | 4;
    back?: number;
    fwd?: number;
    tryLimit?: number;
    monotonic?: boolean;
  };
  /**
   * Development only: allows importKeyComponents with a single component. Announced with a warning through
   * `warn` (default console.error) when the Hsm is made.
   */
  development?: { allowSingleComponent: true; warn?: (message: string) => void };
}

/**
 * The attributes of a new key block (ANSI X9.143 header fields), for Hsm.generateKey and importKeyComponents. `usage`
 * is one that some KEY_USAGE_RULES entry names (B0, B1, C0, D0, E0, E1, E2, E4, E6, K0, K1, M0, M1, M3, M5, M6, M7, P0,
 * V1, V2); `modeOfUse` one letter (default B for P0, D0, K0, K1; C for C0, V1, V2; X for E6; N otherwise);
 * `exportability` 'E' (default), 'N' (never leaves under a KEK) or 'S'; `keyVersion` 2 letters or digits (default
 * '00'). Anything else throws ERR_FORMAT naming the field.
 *
 * @example
 * const attributes = { usage: 'V2', algorithm: 'TDES2', exportability: 'N', keyVersion: '07' }
 * const { kcv, ...described } = hsm.describeKey(hsm.generateKey(attributes).keyBlock)
 * described  // => { usage: 'V2', algorithm: 'TDES2', modeOfUse: 'C', keyVersion: '07', exportability: 'N' }
 */
export interface KeyAttributes {
  /** X9.143 key usage, 2 characters (e.g. 'P0' PIN encryption, 'C0' CVK, 'D0' data, 'K0' KEK). */
  usage: string;
  /** The key algorithm and length. */
  algorithm: KeyAlgorithm;
  /** X9.143 mode of use, one letter of B C D E G N S T V X Y (default by usage: B, C, X or N). */
  modeOfUse?: string;
  /** 'E' exportable under a KEK (default), 'N' non-exportable, 'S' sensitive. */
  exportability?: string;
  /** 2 letters or digits (default '00'). */
  keyVersion?: string;
}

/**
 * What Hsm.describeKey reports of a key block, after authenticating it under the LMK: its header attributes, the
 * algorithm (from the header letter and the key length) and the key's check value (6 hex digits; TDES keys by the zeros
 * method, AES and HMAC keys by AES-CMAC).
 *
 * @example
 * hsm.describeKey(keys.cvk)  // => { usage: 'C0', algorithm: 'TDES2', modeOfUse: 'C', keyVersion: '00', exportability: 'E', kcv: '08D7B4' }
 * hsm.describeKey(keys.aesDek).algorithm  // => 'AES128'
 */
export interface KeyDescription {
  usage: string;
  algorithm: KeyAlgorithm;
  modeOfUse: string;
  keyVersion: string;
  exportability: string;
  kcv: string;
}

/**
 * A key formed from custodians' clear components (Hsm.importKeyComponents, dual control): 2-3 components of the
 * algorithm's length, XORed; DES results get odd parity. Throws ERR_LENGTH (a component of the wrong length, or too few
 * or too many), ERR_KEY_PARITY (a DES component without odd parity, unless fixParity), ERR_WEAK_KEY (a weak, degenerate
 * or all-zero result, or equal components), ERR_KCV_MISMATCH (the result's KCV is not `kcv`).
 *
 * @example
 * const components = [hexToBytes('0123456789ABCDEFFEDCBA9876543210'), hexToBytes('01010101010101010101010101010101')]
 * hsm.importKeyComponents({ usage: 'C0', algorithm: 'TDES2', components, kcv: '08D7B4' }).kcv  // => '08D7B4'
 * let refused
 * try { hsm.importKeyComponents({ usage: 'C0', algorithm: 'TDES2', components, kcv: '123456' }) } catch (e) { refused = e.code }
 * refused  // => 'ERR_KCV_MISMATCH'
 */
export interface ImportComponentsOptions extends KeyAttributes {
  /** 2-3 clear components (XOR); one only for an Hsm made with `development.allowSingleComponent`. */
  components: Uint8Array[];
  /** The expected check value of the combined key (4-6 hex digits). */
  kcv?: string;
  /** Give DES components odd parity instead of refusing them. */
  fixParity?: boolean;
  /** One component only: honoured only by an Hsm made with `development: { allowSingleComponent: true }`. */
  allowSingleComponent?: boolean;
}

/**
 * A key block moved between the LMK and a key-encryption key (Hsm.importKey and exportKey): `kek` is a K0/K1 key block
 * under the LMK; `keyBlock` is a TR-31 block under that KEK (importKey: version A, B or C under a TDES KEK, D under an
 * AES one) or under the LMK (exportKey, which writes version B under a TDES KEK and D under an AES one). Throws
 * ERR_KEY_USAGE for a non-exportable key, a key stronger than its KEK (NIST SP 800-57), or a `kek` that is not a KEK;
 * ERR_TR31_MAC for a block that does not authenticate under the KEK.
 *
 * @example
 * const partner = wrapTr31(hexToBytes('11111111111111112222222222222222'), 'B0000P0TB00E0000', hexToBytes('FEDCBA98765432100123456789ABCDEF'))
 * hsm.importKey({ keyBlock: partner, kek: keys.kek }).kcv  // => '7B8358'
 * const exported = hsm.exportKey({ keyBlock: keys.aesDek, kek: keys.aesKek })
 * bytesToHex(unwrapTr31(hexToBytes('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F'), exported.keyBlock).key)  // => '2B7E151628AED2A6ABF7158809CF4F3C'
 */
export interface KekTransferOptions {
  /** The key to move: under the KEK (importKey) or under the LMK (exportKey). */
  keyBlock: string;
  /** A K0 or K1 key block under the LMK, mode of use B, D (unwrap) or E (wrap), or N. */
  kek: string;
}

/**
 * A card's static code inputs with a C0 key (Hsm.generateCvv, exportSecurityValues): the Visa CVV method, which
 * MasterCard's CVC uses too. `pan` 12-19 digits, `expiry` 4 digits, `serviceCode` 3 digits; wrong lengths throw
 * ERR_LENGTH, non-digits ERR_FORMAT, a key block that is not a C0 key ERR_KEY_USAGE. The example is the CVV method's
 * published test data (test/vectors/cvv.json): CVK 0123456789ABCDEF FEDCBA9876543210 (`keys.cvk`), PAN
 * 4123456789012345, expiry 8701, service code 101 give CVV 561.
 *
 * @example
 * const card = { cvk: keys.cvk, pan: '4123456789012345', expiry: '8701', serviceCode: '101' }
 * hsm.generateCvv(card)  // => '561'
 * hsm.generateCvv({ ...card, serviceCode: '999' }) === hsm.generateIcvv(card)  // => true
 */
export interface CvvOptions {
  /** A C0 key block (double-length TDES, mode of use C, G or N to generate; C, V or N to verify). */
  cvk: string;
  /** 12-19 digits. */
  pan: string;
  /** 4 digits as the issuer encodes them (usually YYMM). */
  expiry: string;
  /** 3 digits; '000' is CVV2, '999' iCVV. */
  serviceCode: string;
}

/**
 * CVV2 and iCVV inputs (Hsm.generateCvv2, generateIcvv): those of CvvOptions without the service code, which the method
 * sets ('000' for CVV2, '999' for iCVV). The card is the CVV test data's (CVV 561); its CVV2 and iCVV are computed with
 * this library.
 *
 * @example
 * const card = { cvk: keys.cvk, pan: '4123456789012345', expiry: '8701' }
 * hsm.generateCvv2(card)  // => '636'
 * hsm.generateCvv({ ...card, serviceCode: '000' })  // => '636'
 * hsm.generateIcvv(card)  // => '651'
 */
export type Cvv2Options = Omit<CvvOptions, 'serviceCode'>;

/**
 * An uncounted CVV check (Hsm.verifyCvv): CvvOptions and the 3-digit `cvv` to compare, in constant time. As revealing
 * as generation (1,000 guesses answer it), so it needs `card.generate`; the online host uses the counted verifyCardCvv.
 * The example is the CVV method's published test data (test/vectors/cvv.json): CVK 0123456789ABCDEF FEDCBA9876543210
 * (`keys.cvk`), PAN 4123456789012345, expiry 8701, service code 101 give CVV 561.
 *
 * @example
 * hsm.verifyCvv({ cvk: keys.cvk, pan: '4123456789012345', expiry: '8701', serviceCode: '101', cvv: '561' })  // => true
 * hsm.verifyCvv({ cvk: keys.cvk, pan: '4123456789012345', expiry: '8701', serviceCode: '101', cvv: '562' })  // => false
 */
export interface CvvCheckOptions extends CvvOptions {
  /** 3 digits. */
  cvv: string;
}

/**
 * An uncounted CVV2 or iCVV check (Hsm.verifyCvv2, verifyIcvv): Cvv2Options and the 3-digit `cvv`.
 *
 * @example
 * const card = { cvk: keys.cvk, pan: '4123456789012345', expiry: '8701' }
 * hsm.verifyCvv2({ ...card, cvv: hsm.generateCvv2(card) })  // => true
 * hsm.verifyIcvv({ ...card, cvv: '651' })  // => true
 */
export interface Cvv2CheckOptions extends Cvv2Options {
  /** 3 digits. */
  cvv: string;
}

/**
 * Many cards' CVVs under one C0 key in one kernel pass (Hsm.generateCvvBatch): each item as in CvvOptions (PAN 12-19
 * digits, expiry 4, service code 3). Returns the CVVs in the items' order. The two cards are rows 1 and 2 of the CVV
 * method's published test data (test/vectors/cvv.json): CVVs 561 and 245.
 *
 * @example
 * const items = [{ pan: '4123456789012345', expiry: '8701', serviceCode: '101' }, { pan: '4999988887777000', expiry: '9105', serviceCode: '111' }]
 * hsm.generateCvvBatch({ cvk: keys.cvk, items })  // => ['561', '245']
 */
export interface CvvBatchOptions {
  cvk: string;
  items: Array<{ pan: string; expiry: string; serviceCode: string }>;
}

/**
 * Uncounted checks of many cards' CVVs under one C0 key (Hsm.verifyCvvBatch): each item as in CvvCheckOptions. Returns
 * one boolean per item, in order.
 *
 * @example
 * const items = [{ pan: '4123456789012345', expiry: '8701', serviceCode: '101', cvv: '561' }, { pan: '4999988887777000', expiry: '9105', serviceCode: '111', cvv: '246' }]
 * hsm.verifyCvvBatch({ cvk: keys.cvk, items })  // => [true, false]
 */
export interface CvvBatchCheckOptions {
  cvk: string;
  items: Array<{ pan: string; expiry: string; serviceCode: string; cvv: string }>;
}

/**
 * A counted check of a card's static CVV (Hsm.verifyCardCvv; service code as encoded: e.g. 101 on the magnetic stripe,
 * 999 for the iCVV) on the card's 'cvv' counter: a failure counts, a success resets, and at `cardCodeTryLimit` (default
 * 5) the card's CVV locks (ERR_CVV_LOCKED, the right code refused after). `cardRef` must be the PAN's (ERR_CARD_REF).
 * Needs a store.
 *
 * @example
 * const cardRef = hsm.cardRef('4123456789012345')
 * await hsm.verifyCardCvv({ cardRef, cvk: keys.cvk, pan: '4123456789012345', expiry: '8701', serviceCode: '101', cvv: '561' })  // => true
 * await hsm.verifyCardCvv({ cardRef, cvk: keys.cvk, pan: '4123456789012345', expiry: '8701', serviceCode: '101', cvv: '562' })  // => false
 */
export interface CardCvvCheckOptions extends CvvCheckOptions {
  /** Hsm.cardRef(pan). */
  cardRef: string;
}

/**
 * A counted check of a card's static CVV2 (Hsm.verifyCardCvv2) on its own 'cvv2' counter (limit `cardCodeTryLimit`,
 * ERR_CVV_LOCKED at it); refused with ERR_STATIC_CVV2_DISABLED once the card uses dynamic CVV2. Needs a store.
 *
 * @example
 * const cardRef = hsm.cardRef('4123456789012345')
 * await hsm.verifyCardCvv2({ cardRef, cvk: keys.cvk, pan: '4123456789012345', expiry: '8701', cvv: '000' })  // => false
 * await hsm.getCvv2Attempts(cardRef)  // => { failed: 1, remaining: 4, locked: false }
 * await hsm.enableDynamicCvv2(cardRef)
 * await hsm.verifyCardCvv2({ cardRef, cvk: keys.cvk, pan: '4123456789012345', expiry: '8701', cvv: '000' }).catch((e) => e.code)  // => 'ERR_STATIC_CVV2_DISABLED'
 */
export interface CardCvv2CheckOptions extends Cvv2CheckOptions {
  /** Hsm.cardRef(pan). */
  cardRef: string;
}

/**
 * A clear PIN to encrypt under a P0 key (Hsm.encryptClearPin, the only way a clear PIN enters): `pin` 4-12 digits,
 * `pan` 2-19 digits (1-19 for format 4; formats 0, 3 and 4 bind the block to it, format 1 ignores it), `format` 0, 1 or
 * 3 under a TDES key, 4 under an AES key (ERR_KEY_USAGE otherwise). Returns the encrypted block: 8 bytes, or 16 for
 * format 4.
 *
 * @example
 * const block = hsm.encryptClearPin({ pinKey: keys.zpk, pin: '1234', pan: '5555555551234567', format: 0 })
 * bytesToHex(tdesDecryptEcb(hexToBytes('0123456789ABCDEF89ABCDEF01234567'), block))  // => '041261AAAAEDCBA9'
 * hsm.encryptClearPin({ pinKey: keys.aesPinKey, pin: '1234', pan: '5555555551234567', format: 4 }).length  // => 16
 */
export interface EncryptClearPinOptions {
  /** A P0 key block: TDES for formats 0, 1, 3; AES for format 4. */
  pinKey: string;
  /** 4-12 digits. */
  pin: string;
  pan: string;
  format: PinBlockFormat;
}

/**
 * One side of a PIN block translation (TranslatePinOptions `from` and `to`): a P0 key block and the ISO 9564 format
 * under it (0, 1, 3 with a TDES key; 4 with an AES key).
 *
 * @example
 * const block = hsm.encryptClearPin({ pinKey: keys.zpk, pin: '1234', pan: '5555555551234567', format: 0 })
 * const to = { key: keys.zpk2, format: 0 }
 * const out = hsm.translatePinBlock({ pinBlock: block, pan: '5555555551234567', from: { key: keys.zpk, format: 0 }, to })
 * bytesToHex(tdesDecryptEcb(hexToBytes('FEDCBA98765432100123456789ABCDEF'), out))  // => '041261AAAAEDCBA9'
 */
export interface PinBlockSideOptions {
  key: string;
  format: PinBlockFormat;
}

/**
 * A PIN block re-encrypted from one P0 key and format to another in one kernel call (Hsm.translatePinBlock): the clear
 * PIN never leaves WASM memory. `pinBlock` 8 bytes (16 for format 4), `pan` 2-19 digits. ISO 0, 3 or 4 to ISO 1 is
 * refused (ERR_PIN_TRANSLATION: format 1 carries no PAN); a block that does not decode is ERR_PINBLOCK_FORMAT.
 *
 * @example
 * const block = hsm.encryptClearPin({ pinKey: keys.zpk, pin: '1234', pan: '5555555551234567', format: 0 })
 * const iso4 = hsm.translatePinBlock({ pinBlock: block, pan: '5555555551234567', from: { key: keys.zpk, format: 0 }, to: { key: keys.aesPinKey, format: 4 } })
 * decipherPinBlockIso4(hexToBytes('00112233445566778899AABBCCDDEEFF'), iso4, '5555555551234567')  // => '1234'
 */
export interface TranslatePinOptions {
  pinBlock: Uint8Array;
  pan: string;
  from: PinBlockSideOptions;
  to: PinBlockSideOptions;
}

/**
 * A DUKPT key side: the BDK (B0) or a terminal's initial key (B1) block and the transaction's KSN, from which the
 * transaction's working keys are derived inside one call (ANSI X9.24-1 TDES DUKPT, X9.24-3 AES DUKPT). The example is
 * X9.24-1:2009 A.4.2's first transaction: BDK 0123456789ABCDEFFEDCBA9876543210, KSN FFFF9876543210E00001, PIN 1234 and
 * PAN 4012345678909 in the PIN block 1B9C1845EB993A7A.
 *
 * @example
 * const bdk = hsm.importKeyComponents({ usage: 'B0', algorithm: 'TDES2', modeOfUse: 'X', components: [hexToBytes('0123456789ABCDEFFEDCBA9876543210')], allowSingleComponent: true }).keyBlock
 * const side = { bdk, ksn: hexToBytes('FFFF9876543210E00001') }
 * const out = hsm.translateDukptPinBlock({ pinBlock: hexToBytes('1B9C1845EB993A7A'), pan: '4012345678909', from: { ...side, format: 0 }, to: { key: keys.zpk, format: 0 } })
 * decodePinBlockIso0(tdesDecryptEcb(hexToBytes('0123456789ABCDEF89ABCDEF01234567'), out), '4012345678909')  // => '1234'
 */
export interface DukptSide {
  /** A B0 (BDK) or B1 (initial key) key block. */
  bdk: string;
  /** 10 bytes (TDES DUKPT) or 12 (AES DUKPT). */
  ksn: Uint8Array;
  /** AES DUKPT: the working key's algorithm (default: the AES key of the BDK's length). */
  algorithm?: 'AES128' | 'AES192' | 'AES256' | 'TDES2' | 'TDES3';
}

/**
 * An encrypted PIN block of a card (Hsm.verifyPin, and the chosen PIN of setPin and activateCard), under a P0 key
 * (`pinKey`) or a terminal's DUKPT PIN key (`dukpt`): `pinBlock` 8 bytes (16 for format 4), `pan` 12-19 digits,
 * `cardRef` the PAN's reference (ERR_CARD_REF otherwise).
 *
 * @example
 * const cardPan = '1122334455667788'
 * const cardRef = hsm.cardRef(cardPan)
 * await hsm.registerPinVerificationData({ cardRef, pan: cardPan, data: { type: 'VISA_PVV', pvk: keys.pvk, pvki: '3', pvv: '4021' } })
 * const card = { cardRef, pan: cardPan, pinBlock: hsm.encryptClearPin({ pinKey: keys.zpk, pin: '4524', pan: cardPan, format: 0 }), pinKey: keys.zpk, format: 0 }
 * await hsm.verifyPin(card)  // => { verified: true, attemptsRemaining: 3, locked: false }
 */
export interface CardPinBlock {
  /** Hsm.cardRef(pan). */
  cardRef: string;
  pinBlock: Uint8Array;
  /** The P0 key block the PIN block is under (or give `dukpt`). */
  pinKey?: string;
  /** A terminal's DUKPT side the PIN block is under (or give `pinKey`). */
  dukpt?: DukptSide;
  format: PinBlockFormat;
  pan: string;
}

/**
 * How a card's PIN is verified (the `method` of setPin, generatePin and activateCard): a Visa PVV under a V2 key with
 * its PVKI (1 digit), or an IBM 3624 offset under a V1 key with the card's validation data (16 hex digits) and a
 * decimalization table the Hsm is configured to accept (ERR_DECIMALIZATION_TABLE otherwise). The Hsm computes and
 * stores the value itself; no call returns it.
 *
 * @example
 * const cardPan = '1122334455667788'
 * const cardRef = hsm.cardRef(cardPan)
 * const method = { type: 'IBM3624_OFFSET', pvk: keys.ibmPvk, validationData: '1122334455667788', decimalizationTable: '0123456789012345' }
 * await hsm.setPin({ cardRef, pan: cardPan, pinBlock: hsm.encryptClearPin({ pinKey: keys.zpk, pin: '4524', pan: cardPan, format: 0 }), pinKey: keys.zpk, format: 0, method })  // => undefined
 * await hsm.setPin({ cardRef, pan: cardPan, pinBlock: hsm.encryptClearPin({ pinKey: keys.zpk, pin: '4524', pan: cardPan, format: 0 }), pinKey: keys.zpk, format: 0, method: { ...method, decimalizationTable: '1234567890123456' } }).catch((e) => e.code)  // => 'ERR_DECIMALIZATION_TABLE'
 */
export type PinVerificationKey =
  | { type: 'VISA_PVV'; pvk: string; pvki: string }
  | { type: 'IBM3624_OFFSET'; pvk: string; validationData: string; decimalizationTable: string };

/**
 * A PIN's stored verification data: the method and its key block, and the value — a 4-digit PVV, or an IBM 3624 offset
 * of 4-12 digits. Brought by issuers migrating cards (Hsm.registerPinVerificationData). The example is psec's Visa PVV
 * vector: PVK 0123456789ABCDEFFEDCBA9876543210 (`keys.pvk`), PAN 1122334455667788, PVKI 3 and PIN 4524 give PVV 4021.
 *
 * @example
 * const cardPan = '1122334455667788'
 * const data = { type: 'VISA_PVV', pvk: keys.pvk, pvki: '3', pvv: '4021' }
 * await hsm.registerPinVerificationData({ cardRef: hsm.cardRef(cardPan), pan: cardPan, data })  // => undefined
 * await hsm.verifyPin({ cardRef: hsm.cardRef(cardPan), pan: cardPan, pinBlock: hsm.encryptClearPin({ pinKey: keys.zpk, pin: '4524', pan: cardPan, format: 0 }), pinKey: keys.zpk, format: 0 })  // => { verified: true, attemptsRemaining: 3, locked: false }
 */
export type PinVerificationData =
  | { type: 'VISA_PVV'; pvk: string; pvki: string; pvv: string }
  | { type: 'IBM3624_OFFSET'; pvk: string; validationData: string; decimalizationTable: string; offset: string };

/**
 * Sets a card's PIN from an encrypted PIN block (Hsm.setPin): the PIN is checked against the Hsm's PIN policy
 * (ERR_PIN_POLICY with `reason`, never the PIN), its verification data computed under `method` and stored, and the
 * card's PIN counter and lock cleared. Needs a store.
 *
 * @example
 * const cardPan = '1122334455667788'
 * const blockOf = (pin) => hsm.encryptClearPin({ pinKey: keys.zpk, pin, pan: cardPan, format: 0 })
 * const options = { cardRef: hsm.cardRef(cardPan), pan: cardPan, pinKey: keys.zpk, format: 0, method: { type: 'VISA_PVV', pvk: keys.pvk, pvki: '1' } }
 * await hsm.setPin({ ...options, pinBlock: blockOf('4524') })  // => undefined
 * await hsm.setPin({ ...options, pinBlock: blockOf('1234') }).catch((e) => [e.code, e.reason])  // => ['ERR_PIN_POLICY', 'SEQUENCE_ASC']
 */
export interface SetPinOptions extends CardPinBlock {
  /** How the PIN will be verified: PVV (V2 key) or IBM 3624 offset (V1 key). */
  method: PinVerificationKey;
}

/**
 * A random PIN for a known card (Hsm.generatePin): drawn uniformly from the PINs the policy allows, returned only
 * encrypted under `pinKey` (for the PIN mailer), its verification data stored and the counter cleared.
 *
 * @example
 * const cardPan = '1122334455667788'
 * const { pinBlock: block } = await hsm.generatePin({ cardRef: hsm.cardRef(cardPan), pan: cardPan, pinKey: keys.zpk, length: 6, method: { type: 'VISA_PVV', pvk: keys.pvk, pvki: '1' } })
 * const chosen = decodePinBlockIso0(tdesDecryptEcb(hexToBytes('0123456789ABCDEF89ABCDEF01234567'), block), cardPan)
 * chosen.length  // => 6
 * await hsm.verifyPin({ cardRef: hsm.cardRef(cardPan), pan: cardPan, pinBlock: block, pinKey: keys.zpk, format: 0 })  // => { verified: true, attemptsRemaining: 3, locked: false }
 */
export interface GeneratePinOptions {
  cardRef: string;
  pan: string;
  /** The P0 key block the new PIN is returned under. */
  pinKey: string;
  /** Default 0 (ISO 9564 format 0). */
  format?: PinBlockFormat;
  /** Digits, default 4. */
  length?: number;
  method: PinVerificationKey;
}

/**
 * A counted PIN check (Hsm.verifyPin): the card's encrypted PIN block, checked against the card's stored verification
 * data (ERR_NO_VERIFICATION_DATA without it). A failure counts; at `pinTryLimit` (default 3) the card locks and every
 * later check throws ERR_PIN_LOCKED until PIN issuance sets a new PIN. The example's PVV is psec's vector (PVK
 * `keys.pvk`, PAN 1122334455667788, PVKI 3, PIN 4524 → PVV 4021).
 *
 * @example
 * const cardPan = '1122334455667788'
 * await hsm.registerPinVerificationData({ cardRef: hsm.cardRef(cardPan), pan: cardPan, data: { type: 'VISA_PVV', pvk: keys.pvk, pvki: '3', pvv: '4021' } })
 * const options = { cardRef: hsm.cardRef(cardPan), pan: cardPan, pinBlock: hsm.encryptClearPin({ pinKey: keys.zpk, pin: '4525', pan: cardPan, format: 0 }), pinKey: keys.zpk, format: 0 }
 * await hsm.verifyPin(options)  // => { verified: false, attemptsRemaining: 2, locked: false }
 */
export type VerifyPinOptions = CardPinBlock;

/**
 * Verification data for a migrated card (Hsm.registerPinVerificationData): issuers bring their PVVs or offsets, stored
 * for the card and checked against nothing (only their shape, and that the key may verify the method). Clears the PIN
 * counter. Example: psec's PVV vector (PVK `keys.pvk`, PAN 1122334455667788, PVKI 3, PIN 4524 → 4021).
 *
 * @example
 * const cardPan = '1122334455667788'
 * await hsm.registerPinVerificationData({ cardRef: hsm.cardRef(cardPan), pan: cardPan, data: { type: 'VISA_PVV', pvk: keys.pvk, pvki: '3', pvv: '4021' } })  // => undefined
 * await hsm.getPinAttempts(hsm.cardRef(cardPan))  // => { failed: 0, remaining: 3, locked: false }
 */
export interface RegisterPinVerificationOptions {
  cardRef: string;
  pan: string;
  data: PinVerificationData;
}

/**
 * The card for a new activation code (Hsm.generateActivationCode): 10 digits from the CSPRNG, stored only as a keyed
 * hash, replacing any earlier code. `cardRef` is 64 hex characters (ERR_FORMAT otherwise). Needs a store.
 *
 * @example
 * const code = await hsm.generateActivationCode({ cardRef: hsm.cardRef('1122334455667788') })
 * /^[0-9]{10}$/.test(code)  // => true
 */
export interface ActivationCodeOptions {
  cardRef: string;
}

/**
 * Activates a card with its 10-digit code and sets the chosen PIN in the same step (Hsm.activateCard); the PIN is
 * checked against the policy before the code is spent. Returns `{ activated: true }`; a wrong code `{ activated: false,
 * attemptsRemaining }`; a used, locked or missing code throws ERR_ACTIVATION_CODE with `reason` USED, LOCKED or NONE.
 *
 * @example
 * const cardPan = '1122334455667788'
 * const activationCode = await hsm.generateActivationCode({ cardRef: hsm.cardRef(cardPan) })
 * const options = { cardRef: hsm.cardRef(cardPan), pan: cardPan, activationCode, pinBlock: hsm.encryptClearPin({ pinKey: keys.zpk, pin: '4524', pan: cardPan, format: 0 }), pinKey: keys.zpk, format: 0, method: { type: 'VISA_PVV', pvk: keys.pvk, pvki: '1' } }
 * await hsm.activateCard(options)  // => { activated: true }
 * await hsm.activateCard(options).catch((e) => [e.code, e.reason])  // => ['ERR_ACTIVATION_CODE', 'USED']
 */
export interface ActivateCardOptions extends SetPinOptions {
  /** 10 digits, from generateActivationCode. */
  activationCode: string;
}

/**
 * Data under a D0 key (Hsm.encryptData, decryptData), TDES or AES: ECB, or CBC with `iv` (8 bytes TDES, 16 AES); no
 * padding, so `data` is whole cipher blocks (ERR_LENGTH otherwise). The example is NIST SP 800-38A F.1.1 and F.2.1
 * (AES-128, key 2B7E151628AED2A6ABF7158809CF4F3C, `keys.aesDek`).
 *
 * @example
 * const data = hexToBytes('6BC1BEE22E409F96E93D7E117393172A')
 * bytesToHex(hsm.encryptData({ key: keys.aesDek, data, mode: 'ECB' }))  // => '3AD77BB40D7A3660A89ECAF32466EF97'
 * bytesToHex(hsm.encryptData({ key: keys.aesDek, data, mode: 'CBC', iv: hexToBytes('000102030405060708090A0B0C0D0E0F') }))  // => '7649ABAC8119B246CEE98E9B12E9197D'
 */
export interface DataOptions {
  /** A D0 key block (TDES or AES). */
  key: string;
  /** Whole blocks: a multiple of 8 bytes (TDES) or 16 (AES). */
  data: Uint8Array;
  /** The block cipher mode. */
  mode: 'ECB' | 'CBC';
  /** CBC only: 8 bytes (TDES) or 16 (AES). */
  iv?: Uint8Array;
}

/**
 * A card's security values for a client (Hsm.exportSecurityValues): CvvOptions, the client's D0 TDES transport key
 * (mode of use E or B) and, for the PIN, its block under `pinKey` in `format` (default 0). The values are those of
 * README's "Security values for a client": CVK and transport key 0123456789ABCDEFFEDCBA9876543210.
 *
 * @example
 * hsm.exportSecurityValues({ cvk: keys.cvk, pan: '4123456789012345', expiry: '8701', serviceCode: '101', transportKey: keys.transport })  // => { cvv: '1290F56B892D7530', cvv2: '947DCFAAF70544D7', icvv: '38A72B5A77A94AB6', transportKcv: '08D7B4' }
 */
export interface SecurityValuesOptions extends CvvOptions {
  /** The client's D0 TDES transport key block. */
  transportKey: string;
  /** The card's PIN block under `pinKey`: adds `pin` to the result. */
  pinBlock?: Uint8Array;
  /** The P0 key block of `pinBlock`. */
  pinKey?: string;
  /** `pinBlock`'s format; default 0. */
  format?: PinBlockFormat;
}

/**
 * A card's security values under the client's transport key (Hsm.exportSecurityValues): CVV, CVV2 and iCVV each
 * right-padded with F to 16 hex digits and TDES-ECB encrypted, as 16 uppercase hex digits; with a PIN block, the PIN as
 * an ISO 0 block under the transport key; and the transport key's KCV. The client decrypts with its clear transport key
 * (here `tdesDecryptEcb`).
 *
 * @example
 * const sv = hsm.exportSecurityValues({ cvk: keys.cvk, pan: '4123456789012345', expiry: '8701', serviceCode: '101', transportKey: keys.transport, pinBlock: hsm.encryptClearPin({ pinKey: keys.zpk, pin: '4524', pan: '4123456789012345', format: 0 }), pinKey: keys.zpk })
 * bytesToHex(tdesDecryptEcb(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), hexToBytes(sv.cvv)))  // => '561FFFFFFFFFFFFF'
 * decodePinBlockIso0(tdesDecryptEcb(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), hexToBytes(sv.pin)), '4123456789012345')  // => '4524'
 */
export interface SecurityValues {
  cvv: string;
  cvv2: string;
  icvv: string;
  pin?: string;
  transportKcv: string;
}

/**
 * A PAN to tokenize under an AES D0 key (Hsm.tokenizePan), with the token's shape (TokenOptions: digits kept at each
 * end, alphabet, Luhn rule, tweak): FF1 (NIST SP 800-38G) over the middle digits. Deterministic: the same PAN and key
 * give the same token. The tokens shown are computed with this library.
 *
 * @example
 * const token = hsm.tokenizePan({ tokenKey: keys.aesDek, pan: '4111111111111111' })
 * token  // => '4111111210731111'
 * hsm.tokenizePan({ tokenKey: keys.aesDek, pan: '4111111111111111', keepLeft: 0, keepRight: 4, alphabet: 'alphanumeric' })  // => '8R65ATZJTGNF1111'
 */
export type TokenizeOptions = { tokenKey: string; pan: string } & TokenOptions;
/**
 * A token to map back to its PAN under the AES D0 key that made it (Hsm.detokenizePan), with the same TokenOptions it
 * was made with. Needs `token.detokenize` (not in the authorization profile).
 *
 * @example
 * const token = hsm.tokenizePan({ tokenKey: keys.aesDek, pan: '4111111111111111' })
 * hsm.detokenizePan({ tokenKey: keys.aesDek, token })  // => '4111111111111111'
 */
export type DetokenizeOptions = { tokenKey: string; token: string } & TokenOptions;

/**
 * The current window's dynamic CVV2 (Hsm.generateDynamicCvv2, TW-DCVV2 v1) under an E6 IMK: HMAC256 keys use the HMAC
 * profile, TDES2 keys the TDES profile; window length and digits come from the Hsm's `dcvv2` policy. `pan` 12-19
 * digits, `psn` 2, `expiry` 4 (YYMM); `at` a Date or milliseconds since the epoch (default now). The example is
 * README's TW-DCVV2 vector (HMAC profile, IMK 000102…1F, PAN 4123456789012345, PSN 00, expiry 2812, 2026-11-22 12:30
 * UTC → 670, test/vectors/dcvv2.json).
 *
 * @example
 * const imk = hsm.importKeyComponents({ usage: 'E6', algorithm: 'HMAC256', components: [hexToBytes('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F')], allowSingleComponent: true }).keyBlock
 * hsm.generateDynamicCvv2({ imk, pan: '4123456789012345', psn: '00', expiry: '2812', at: Date.parse('2026-11-22T12:30:00Z') })  // => { code: '670', window: 498708, validFrom: new Date('2026-11-22T12:00:00Z'), expiresAt: new Date('2026-11-22T13:00:00Z') }
 */
export interface DynamicCvv2Options {
  /** An E6 key block: HMAC256 (HMAC profile) or TDES2 (TDES profile). */
  imk: string;
  pan: string;
  /** PAN sequence number, 2 digits. */
  psn: string;
  /** YYMM, 4 digits. */
  expiry: string;
  /** The moment: a Date or milliseconds since the epoch (default now). */
  at?: Date | number;
}

/**
 * The codes of the current and next `count` - 1 windows (Hsm.generateDynamicCvv2Codes), for cards that display codes
 * offline. The first is README's TW-DCVV2 vector (HMAC profile, IMK 000102…1F, PAN 4123456789012345, PSN 00, expiry
 * 2812, 2026-11-22 12:30 UTC → 670, test/vectors/dcvv2.json); the next two are computed with this library.
 *
 * @example
 * const imk = hsm.importKeyComponents({ usage: 'E6', algorithm: 'HMAC256', components: [hexToBytes('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F')], allowSingleComponent: true }).keyBlock
 * const codes = hsm.generateDynamicCvv2Codes({ imk, pan: '4123456789012345', psn: '00', expiry: '2812', at: Date.parse('2026-11-22T12:30:00Z'), count: 3 })
 * codes.map((c) => c.code)  // => ['670', '450', '518']
 */
export interface DynamicCvv2CodesOptions extends DynamicCvv2Options {
  /** 1..24 windows. */
  count: number;
}

/**
 * A counted dynamic CVV2 check (Hsm.verifyDynamicCvv2) within the configured drift (default one window back) on the
 * card's 'dcvv2' counter (limit dcvv2.tryLimit, default 5; ERR_DCVV2_LOCKED at it). Returns `{ valid, drift,
 * attemptsRemaining, locked }`. Needs a store. The code is README's TW-DCVV2 vector (HMAC profile, IMK 000102…1F, PAN
 * 4123456789012345, PSN 00, expiry 2812, 2026-11-22 12:30 UTC → 670, test/vectors/dcvv2.json), checked 40 minutes after
 * its window ended.
 *
 * @example
 * const imk = hsm.importKeyComponents({ usage: 'E6', algorithm: 'HMAC256', components: [hexToBytes('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F')], allowSingleComponent: true }).keyBlock
 * const card = { cardRef: hsm.cardRef('4123456789012345'), imk, pan: '4123456789012345', psn: '00', expiry: '2812' }
 * await hsm.verifyDynamicCvv2({ ...card, code: '670', at: Date.parse('2026-11-22T13:40:00Z') })  // => { valid: true, drift: -1, attemptsRemaining: 5, locked: false }
 * await hsm.verifyDynamicCvv2({ ...card, code: '670', at: Date.parse('2026-11-22T14:40:00Z') })  // => { valid: false, drift: null, attemptsRemaining: 4, locked: false }
 */
export interface DynamicCvv2CheckOptions extends DynamicCvv2Options {
  cardRef: string;
  /** The code the cardholder gave: the policy's digits (3 or 4). */
  code: string;
}

/**
 * A counted verification's answer (with `verified` from verifyPin, `valid` and `drift` from verifyDynamicCvv2): the
 * attempts left before the card's counter locks, and whether it just locked.
 *
 * @example
 * const cardPan = '1122334455667788'
 * await hsm.registerPinVerificationData({ cardRef: hsm.cardRef(cardPan), pan: cardPan, data: { type: 'VISA_PVV', pvk: keys.pvk, pvki: '3', pvv: '4021' } })
 * const wrong = { cardRef: hsm.cardRef(cardPan), pan: cardPan, pinBlock: hsm.encryptClearPin({ pinKey: keys.zpk, pin: '9999', pan: cardPan, format: 0 }), pinKey: keys.zpk, format: 0 }
 * await hsm.verifyPin(wrong)  // => { verified: false, attemptsRemaining: 2, locked: false }
 * await hsm.verifyPin(wrong)  // => { verified: false, attemptsRemaining: 1, locked: false }
 * await hsm.verifyPin(wrong)  // => { verified: false, attemptsRemaining: 0, locked: true }
 */
export interface AttemptResult {
  attemptsRemaining: number;
  locked: boolean;
}

/**
 * A card's counter as getPinAttempts and getCvv2Attempts report it: failed attempts since the last success or reset,
 * attempts remaining before the lock (0 when locked), and the lock.
 *
 * @example
 * const cardRef = hsm.cardRef('4123456789012345')
 * await hsm.verifyCardCvv2({ cardRef, cvk: keys.cvk, pan: '4123456789012345', expiry: '8701', cvv: '000' })  // => false
 * await hsm.getCvv2Attempts(cardRef)  // => { failed: 1, remaining: 4, locked: false }
 * await hsm.getPinAttempts(cardRef)  // => { failed: 0, remaining: 3, locked: false }
 */
export interface AttemptCount {
  failed: number;
  remaining: number;
  locked: boolean;
}

/**
 * What a card is issued with (Hsm.issueCard, and IssueCardsOptions): the PAN range (issuer prefix and length), the
 * expiry and service code, the C0 key of its codes, the AES D0 key of the PAN permutation, and optionally a P0/V2 key
 * pair for a PIN and PVV and an AES D0 key for a token. Needs a store (the range's counters). Values are computed with
 * this library (a fresh store starts the range at its first counter).
 *
 * @example
 * const card = await hsm.issueCard({ bin: '45717360', expiry: '2911', cvk: keys.cvk, panKey: keys.aesDek })
 * card  // => { pan: '4571736089111496', lastFour: '1496', expiry: '2911', serviceCode: '101', cvv: '949', cvv2: '082', icvv: '051' }
 * isLuhnValid(card.pan)  // => true
 */
export interface IssueOptions {
  /** Issuer prefix (BIN/IIN), 6..11 digits. */
  bin: string;
  /** PAN length 13..19; default 16. */
  length?: number;
  /** YYMM (month 01..12); or monthsToExpiration from now (default 36 months when neither is given). */
  expiry?: string;
  monthsToExpiration?: number;
  /** Default '101'. */
  serviceCode?: string;
  /** C0 key block (CVV, CVV2, iCVV). */
  cvk: string;
  /** AES D0 key block of the PAN permutation; a prefix and length stay bound to the first key used with them. */
  panKey: string;
  /** P0 key block and V2 key block: give each card a policy-compliant PIN, returned encrypted with its PVV. */
  pinKey?: string;
  pvk?: string;
  /** Default '1'. */
  pvki?: string;
  /** PIN length, default 4. */
  pinLength?: number;
  /** AES D0 key block: adds the PAN token. */
  tokenKey?: string;
  tokenOptions?: TokenOptions;
}

/**
 * Mass issuance (Hsm.issueCards): `count` cards of IssueOptions, streamed batch by batch, unique Luhn-valid PANs. The
 * same `idempotencyKey` returns the same cards instead of new ones (ERR_IDEMPOTENCY when reused with other options); a
 * count above what the range has left is ERR_RANGE_EXHAUSTED.
 *
 * @example
 * const cards = []
 * for await (const card of hsm.issueCards({ bin: '45717360', expiry: '2911', cvk: keys.cvk, panKey: keys.aesDek, count: 3, idempotencyKey: 'run-1' })) cards.push(card.pan)
 * cards  // => ['4571736089111496', '4571736076124395', '4571736024999575']
 * new Set(cards).size  // => 3
 */
export interface IssueCardsOptions extends IssueOptions {
  /** Cards to issue, 1 or more. */
  count: number;
  /** The same key returns the same cards (same counters, same values) instead of new ones. */
  idempotencyKey?: string;
  /** Cards per batch, default 10,000. */
  batchSize?: number;
  /** Worker threads; default one per core (at most 8) from 200,000 cards, else 1. */
  workers?: number;
  /** Called after each batch. */
  onProgress?: (progress: { issued: number; total: number }) => void;
}

/**
 * Mass issuance as finished lines (Hsm.issueCardLines): the options of issueCards and the `format` — `'jsonl'`, one
 * JSON object per card with string values `{"pan","lastFour","expiry","serviceCode","cvv","cvv2","icvv"}`, then
 * `"token"` with a token key and `"pinBlock"`, `"pvv"` with PIN keys; or `'csv'`, the ten fields
 * pan,lastFour,expiry,serviceCode,cvv,cvv2,icvv,token,pinBlock,pvv with the absent ones empty (no header). Every
 * line ends with a newline. Each batch comes as one Uint8Array of ASCII lines (ready for a file; bytes, unlike
 * strings, can be wiped once written); the cards, with the same idempotency key, are the cards issueCards gives.
 *
 * @example
 * const text = []
 * for await (const lines of hsm.issueCardLines({ bin: '45717360', expiry: '2911', cvk: keys.cvk, panKey: keys.aesDek, count: 3, idempotencyKey: 'run-1', format: 'jsonl' })) text.push(new TextDecoder().decode(lines))
 * const cards = text.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line))
 * cards.map((card) => card.pan)  // => ['4571736089111496', '4571736076124395', '4571736024999575']
 * Object.keys(cards[0])  // => ['pan', 'lastFour', 'expiry', 'serviceCode', 'cvv', 'cvv2', 'icvv']
 * const csv = []
 * for await (const lines of hsm.issueCardLines({ bin: '45717360', expiry: '2911', cvk: keys.cvk, panKey: keys.aesDek, count: 3, idempotencyKey: 'run-1', format: 'csv' })) csv.push(new TextDecoder().decode(lines))
 * csv.join('').split('\n')[0].split(',').length  // => 10
 */
export interface IssueCardLinesOptions extends IssueCardsOptions {
  format: 'jsonl' | 'csv';
}

/**
 * Why a card is replaced (Hsm.reissueCard): LOST and STOLEN give a new PAN (the old card's reference is marked
 * replaced); DAMAGED, EXPIRED and EMERGENCY keep the PAN with a new expiry and new codes, and the PIN state.
 *
 * @example
 * const card = await hsm.issueCard({ bin: '45717360', expiry: '2911', cvk: keys.cvk, panKey: keys.aesDek })
 * const reason = 'STOLEN'
 * const replacement = await hsm.reissueCard({ bin: '45717360', expiry: '2911', cvk: keys.cvk, panKey: keys.aesDek, pan: card.pan, reason })
 * replacement.pan === card.pan  // => false
 */
export type ReissueReason = 'LOST' | 'STOLEN' | 'DAMAGED' | 'EXPIRED' | 'EMERGENCY';

/**
 * A replacement card (Hsm.reissueCard): the PAN to replace, the reason (ReissueReason) and the issue options of the new
 * card (its expiry, keys, range).
 *
 * @example
 * const card = await hsm.issueCard({ bin: '45717360', expiry: '2911', cvk: keys.cvk, panKey: keys.aesDek })
 * const replacement = await hsm.reissueCard({ bin: '45717360', expiry: '2911', cvk: keys.cvk, panKey: keys.aesDek, expiry: '3011', pan: card.pan, reason: 'DAMAGED' })
 * replacement.pan === card.pan  // => true
 * replacement.expiry  // => '3011'
 */
export interface ReissueOptions extends IssueOptions {
  /** The PAN of the card to replace, 12-19 digits. */
  pan: string;
  reason: ReissueReason;
}

/**
 * A PAN range: an issuer prefix (6-11 digits) and a PAN length (13-19, default 16), for Hsm.panCapacity: how many
 * counters have been leased so far (gaps included) and how many remain.
 *
 * @example
 * await hsm.panCapacity({ bin: '45717360' })  // => { issued: 0, remaining: 10000000 }
 * await hsm.issueCard({ bin: '45717360', expiry: '2911', cvk: keys.cvk, panKey: keys.aesDek })
 * await hsm.panCapacity({ bin: '45717360' })  // => { issued: 100, remaining: 9999900 }
 */
export interface PanRangeOptions {
  bin: string;
  length?: number;
}

/**
 * A MAC under an M key block (Hsm.generateMac): the algorithm follows the key's usage (M0/M1 ISO/IEC 9797-1 algorithm
 * 1, M3 algorithm 3, M5/M6 CMAC, M7 HMAC), its mode of use whether it may generate (C, G, N). The example is ISO/IEC
 * 9797-1 Annex B (algorithm 3, key 0123456789ABCDEF FEDCBA9876543210, "Now is the time for all ").
 *
 * @example
 * const m3 = hsm.importKeyComponents({ usage: 'M3', algorithm: 'TDES2', components: [hexToBytes('0123456789ABCDEFFEDCBA9876543210')], allowSingleComponent: true }).keyBlock
 * const data = new TextEncoder().encode('Now is the time for all ')
 * bytesToHex(hsm.generateMac({ key: m3, data }))  // => 'A1C72E74EA3FA9B6'
 * bytesToHex(hsm.generateMac({ key: m3, data, length: 4 }))  // => 'A1C72E74'
 */
export interface MacOptions {
  /** An M0, M1, M3, M5, M6 or M7 key block. */
  key: string;
  data: Uint8Array;
  /** ISO 9797-1 padding method for M0/M1/M3 (default 1). */
  padding?: 1 | 2 | 3;
  /** Bytes of the MAC to return, 4 up to the algorithm's output (default all). */
  length?: number;
  /** M7 keys: default 'SHA-256'. */
  hash?: 'SHA-256' | 'SHA-384' | 'SHA-512';
}

/**
 * A MAC check (Hsm.verifyMac): true when `mac` (4 bytes up to the algorithm's output) equals the leading bytes of the
 * message's MAC, compared in constant time. Same key rules as MacOptions (mode C, V or N may verify). The example is
 * ISO/IEC 9797-1 Annex B (algorithm 3).
 *
 * @example
 * const m3 = hsm.importKeyComponents({ usage: 'M3', algorithm: 'TDES2', components: [hexToBytes('0123456789ABCDEFFEDCBA9876543210')], allowSingleComponent: true }).keyBlock
 * const data = new TextEncoder().encode('Now is the time for all ')
 * hsm.verifyMac({ key: m3, data, mac: hexToBytes('A1C72E74') })  // => true
 * hsm.verifyMac({ key: m3, data, mac: hexToBytes('A1C72E75') })  // => false
 */
export interface MacCheckOptions extends Omit<MacOptions, 'length'> {
  /** At least 4 bytes: compared, in constant time, with as many leading bytes of the MAC. */
  mac: Uint8Array;
}

export type { EmvProfileName } from '../emv/profiles.js';
import type { EmvProfileName } from '../emv/profiles.js';

/**
 * An online chip transaction's ARQC to verify (Hsm.verifyEmvArqc) under an E0 IMK and a scheme profile, with the EMV
 * tags it covers as bytes (see EmvTransaction); with `response`, the ARPC of a genuine ARQC (never of a forged one).
 * The example is pyemv's Visa CVN 10 vector (test/vectors/emv-cvn.json).
 *
 * @example
 * const imk = hsm.importKeyComponents({ usage: 'E0', algorithm: 'TDES2', modeOfUse: 'X', components: [hexToBytes('0123456789ABCDEFFEDCBA9876543210')], allowSingleComponent: true }).keyBlock
 * const tags = { amountAuthorized: '000000004000', amountOther: '000000000000', terminalCountryCode: '0124', tvr: '8000048000', transactionCurrencyCode: '0124', transactionDate: '191105', transactionType: '01', unpredictableNumber: '52BF4585', aip: '1800', atc: '001C', iad: '06010A03A06010' }
 * const transaction = Object.fromEntries(Object.entries(tags).map(([tag, hex]) => [tag, hexToBytes(hex)]))
 * const { valid, arpc } = hsm.verifyEmvArqc({ imk, profile: 'VISA_CVN10', pan: '1234567890123456', psn: '00', transaction, arqc: hexToBytes('29CCA15AE665FA2E'), response: { arc: hexToBytes('3030') } })
 * valid  // => true
 * bytesToHex(arpc)  // => '28993816AFAE4AEB'
 */
export interface EmvArqcOptions {
  /** E0 issuer master key for application cryptograms. */
  imk: string;
  profile: EmvProfileName;
  /** 12-19 digits. */
  pan: string;
  /** PAN sequence number, 2 digits. */
  psn: string;
  transaction: {
    amountAuthorized: Uint8Array;
    amountOther: Uint8Array;
    terminalCountryCode: Uint8Array;
    tvr: Uint8Array;
    transactionCurrencyCode: Uint8Array;
    transactionDate: Uint8Array;
    transactionType: Uint8Array;
    unpredictableNumber: Uint8Array;
    aip: Uint8Array;
    atc: Uint8Array;
    iad: Uint8Array;
  };
  /** The card's ARQC, 8 bytes. */
  arqc: Uint8Array;
  /** For an ARPC: the ARC (method 1) or CSU and proprietary data (method 2), as the profile uses. */
  response?: { arc?: Uint8Array; csu?: Uint8Array; proprietaryData?: Uint8Array };
}

/**
 * The MAC of an issuer script command (Hsm.generateEmvScriptMac) under an E2 IMK: the card's SMI session key from the
 * ATC and ARQC as the profile says, over the header, ATC, ARQC and command data. The example is pyemv's Visa CVN 10
 * vector (test/vectors/emv-cvn.json).
 *
 * @example
 * const load = (usage, hex) => hsm.importKeyComponents({ usage, algorithm: 'TDES2', modeOfUse: 'X', components: [hexToBytes(hex)], allowSingleComponent: true }).keyBlock
 * const mac = hsm.generateEmvScriptMac({ imkSmi: load('E2', 'FEDCBA98765432100123456789ABCDEF'), profile: 'VISA_CVN10', pan: '1234567890123456', psn: '00', atc: hexToBytes('001C'), arqc: hexToBytes('29CCA15AE665FA2E'), header: hexToBytes('8418000008') })
 * bytesToHex(mac)  // => 'DB56BA60087CEFD3'
 */
export interface EmvScriptMacOptions {
  /** E2 issuer master key for secure messaging integrity. */
  imkSmi: string;
  profile: EmvProfileName;
  pan: string;
  psn: string;
  /** Tag 9F36, 2 bytes. */
  atc: Uint8Array;
  /** The transaction's ARQC, 8 bytes. */
  arqc: Uint8Array;
  /** The 5-byte APDU header (Lc counting the MAC). */
  header: Uint8Array;
  /** The command's data field, if any. */
  commandData?: Uint8Array;
}

/**
 * An encrypted PIN block for a PIN change (EmvPinChangeOptions `newPin`, `currentPin`): under a P0 key, in its format,
 * bound to `pan` (default: the card's); the PIN never enters in the clear. The example is pyemv's Visa CVN 10 PIN
 * change with the current PIN (new 9999, current 8888; test/vectors/emv-cvn.json).
 *
 * @example
 * const load = (usage, hex) => hsm.importKeyComponents({ usage, algorithm: 'TDES2', modeOfUse: 'X', components: [hexToBytes(hex)], allowSingleComponent: true }).keyBlock
 * const side = (pin) => ({ pinBlock: hsm.encryptClearPin({ pinKey: keys.zpk, pin, pan: '1234567890123456', format: 0 }), pinKey: keys.zpk, format: 0 })
 * const script = hsm.generateEmvPinChange({ profile: 'VISA_CVN10', imkAc: load('E0', '0123456789ABCDEFFEDCBA9876543210'), imkSmi: load('E2', 'FEDCBA98765432100123456789ABCDEF'), imkSmc: load('E1', '89ABCDEF0123456776543210FEDCBA98'), pan: '1234567890123456', psn: '00', atc: hexToBytes('001C'), arqc: hexToBytes('29CCA15AE665FA2E'), newPin: side('9999'), currentPin: side('8888') })
 * bytesToHex(script.command)  // => '84240001182EE025E554BCD87E11D2B6EBC396A939C4A8393B57DD2F3F'
 */
export interface EmvPinBlockSide {
  pinBlock: Uint8Array;
  pinKey: string;
  format: PinBlockFormat;
  pan?: string;
}

/**
 * A PIN change issuer script command (Hsm.generateEmvPinChange): the new PIN from its encrypted block, enciphered under
 * the card's SMC session key (E1 IMK) and MACed under its SMI key (E2 IMK); VIS profiles also bind the PIN block to the
 * card's AC master key (E0, `imkAc`). Returns the command, its PIN data and MAC. The example is pyemv's Visa CVN 10
 * vector (new PIN 9999; test/vectors/emv-cvn.json).
 *
 * @example
 * const load = (usage, hex) => hsm.importKeyComponents({ usage, algorithm: 'TDES2', modeOfUse: 'X', components: [hexToBytes(hex)], allowSingleComponent: true }).keyBlock
 * const newPin = { pinBlock: hsm.encryptClearPin({ pinKey: keys.zpk, pin: '9999', pan: '1234567890123456', format: 0 }), pinKey: keys.zpk, format: 0 }
 * const script = hsm.generateEmvPinChange({ profile: 'VISA_CVN10', imkAc: load('E0', '0123456789ABCDEFFEDCBA9876543210'), imkSmi: load('E2', 'FEDCBA98765432100123456789ABCDEF'), imkSmc: load('E1', '89ABCDEF0123456776543210FEDCBA98'), pan: '1234567890123456', psn: '00', atc: hexToBytes('001C'), arqc: hexToBytes('29CCA15AE665FA2E'), newPin })
 * bytesToHex(script.command)  // => '8424000218BB221AF527377A2811D2B6EBC396A9391A965A5CB2CE62DA'
 */
export interface EmvPinChangeOptions {
  profile: EmvProfileName;
  imkSmi: string;
  /** E1 issuer master key for secure messaging confidentiality. */
  imkSmc: string;
  /** E0, for VIS PIN blocks (bound to the card's MK-AC). */
  imkAc?: string;
  pan: string;
  psn: string;
  /** Tag 9F36, 2 bytes. */
  atc: Uint8Array;
  /** The transaction's ARQC, 8 bytes. */
  arqc: Uint8Array;
  newPin: EmvPinBlockSide;
  currentPin?: EmvPinBlockSide;
}

/**
 * Personalisation of a card set (Hsm.exportEmvPersoKeys): each card's ICC master keys derived from the issuer master
 * keys (EMV Book 2 A1.4, option A or B) and exported under the bureau's K0/K1 KEK as TR-31 blocks with the issuer key's
 * usage. The KCVs are README's derivePersoKeys example (BAB0, F010, B154 as 2-byte KCVs).
 *
 * @example
 * const load = (usage, hex) => hsm.importKeyComponents({ usage, algorithm: 'TDES2', modeOfUse: 'X', components: [hexToBytes(hex)], allowSingleComponent: true }).keyBlock
 * const imks = { ac: load('E0', '0123456789ABCDEFFEDCBA9876543210'), smi: load('E2', 'FEDCBA98765432100123456789ABCDEF'), smc: load('E1', '89ABCDEF0123456776543210FEDCBA98') }
 * const [card] = hsm.exportEmvPersoKeys({ imks, cards: [{ pan: '1234567890123456', psn: '00' }], kek: keys.kek })
 * Object.values(card.keyBlocks).map((k) => k.kcv.slice(0, 4))  // => ['BAB0', 'F010', 'B154']
 */
export interface EmvPersoOptions {
  /** Issuer master keys: ac (E0), smi (E2), smc (E1), and cvc3 / dcvv (E4) where the cards use them. */
  imks: { ac: string; smi: string; smc: string; cvc3?: string; dcvv?: string };
  /** The cards: PAN 12-19 digits, PSN 2 digits. */
  cards: Array<{ pan: string; psn: string }>;
  /** K0/K1 key-encryption key shared with the personalisation bureau. */
  kek: string;
  /** EMV Book 2 A1.4 option (default 'A'; 'B' for PANs longer than 16 digits). */
  option?: 'A' | 'B';
}

/**
 * One card of a personalisation run (Hsm.exportEmvPersoKeys): its PAN and PSN and each ICC master key as a TR-31 block
 * under the KEK with its KCV (mkAc from the E0 IMK, mkSmi E2, mkSmc E1, mkCvc3 and mkDcvv E4 when asked for). The
 * bureau unwraps them with the KEK; mkAc's check value BAB0 is pyemv's (test_derive_icc_mk_b_pan16, PAN
 * 1234567890123456, PSN 00).
 *
 * @example
 * const load = (usage, hex) => hsm.importKeyComponents({ usage, algorithm: 'TDES2', modeOfUse: 'X', components: [hexToBytes(hex)], allowSingleComponent: true }).keyBlock
 * const imks = { ac: load('E0', '0123456789ABCDEFFEDCBA9876543210'), smi: load('E2', 'FEDCBA98765432100123456789ABCDEF'), smc: load('E1', '89ABCDEF0123456776543210FEDCBA98') }
 * const [card] = hsm.exportEmvPersoKeys({ imks, cards: [{ pan: '1234567890123456', psn: '00' }], kek: keys.kek })
 * Object.keys(card.keyBlocks)  // => ['mkAc', 'mkSmi', 'mkSmc']
 * keyCheckValue(unwrapTr31(hexToBytes('11111111111111112222222222222222'), card.keyBlocks.mkAc.keyBlock).key, { length: 2 })  // => 'BAB0'
 */
export interface EmvPersoCard {
  pan: string;
  psn: string;
  keyBlocks: Partial<Record<'mkAc' | 'mkSmi' | 'mkSmc' | 'mkCvc3' | 'mkDcvv', { keyBlock: string; kcv: string }>>;
}

/**
 * A Visa dCVV (Hsm.generateDcvv) under an E4 IMK: the Visa CVV method under the card's ICC master key (option A) over
 * ATC, PAN from its 5th digit, expiry and service code. `pan` 12-19 digits, `psn` 2, `expiry` 4, `serviceCode` 3. The
 * card data are jPOS's dCVV example; its IMK (1234567812345678 twice) is single DES, which a key block refuses, so the
 * value here is computed with this library and equals the clear-key generateDcvv.
 *
 * @example
 * const imk = hsm.importKeyComponents({ usage: 'E4', algorithm: 'TDES2', modeOfUse: 'X', components: [hexToBytes('0123456789ABCDEFFEDCBA9876543210')], allowSingleComponent: true }).keyBlock
 * hsm.generateDcvv({ imk, pan: '1234567890123456', psn: '00', expiry: '1310', serviceCode: '226', atc: hexToBytes('3210') })  // => '267'
 * generateDcvv(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '1234567890123456', '00', '1310', '226', hexToBytes('3210'))  // => '267'
 */
export interface HsmDcvvOptions {
  /** E4 issuer master key (dynamic numbers). */
  imk: string;
  pan: string;
  psn: string;
  expiry: string;
  serviceCode: string;
  /** Tag 9F36, 2 bytes. */
  atc: Uint8Array;
}

/**
 * A counted dCVV check (Hsm.verifyCardDcvv) on the card's 'cvv' counter (limit `cardCodeTryLimit`, ERR_CVV_LOCKED).
 * `dcvv` 3 digits. Needs a store. The value is the one HsmDcvvOptions' example computes.
 *
 * @example
 * const imk = hsm.importKeyComponents({ usage: 'E4', algorithm: 'TDES2', modeOfUse: 'X', components: [hexToBytes('0123456789ABCDEFFEDCBA9876543210')], allowSingleComponent: true }).keyBlock
 * const o = { ...{ imk, pan: '1234567890123456', psn: '00', expiry: '1310', serviceCode: '226', atc: hexToBytes('3210') }, cardRef: hsm.cardRef('1234567890123456') }
 * await hsm.verifyCardDcvv({ ...o, dcvv: '267' })  // => true
 */
export interface CardDcvvCheckOptions extends HsmDcvvOptions {
  cardRef: string;
  dcvv: string;
}

/**
 * A Mastercard CVC3 (Hsm.generateCvc3, 5 digits) under an E4 IMK: from the card's MK-CVC3, its track data (as the card
 * holds it), the ATC (2 bytes) and the terminal's unpredictable number (4 bytes). The example is pyemv's generate_cvc3
 * docstring (test/vectors/emv-cvc3.json).
 *
 * @example
 * const imk = hsm.importKeyComponents({ usage: 'E4', algorithm: 'TDES2', modeOfUse: 'X', components: [hexToBytes('01234567899876543210012345678998')], allowSingleComponent: true }).keyBlock
 * hsm.generateCvc3({ imk, pan: '5123456789012345', psn: '00', trackData: hexToBytes('5123456789012345D35121010000000000000F'), atc: hexToBytes('005E'), unpredictableNumber: hexToBytes('00000899') })  // => '29488'
 */
export interface HsmCvc3Options {
  imk: string;
  pan: string;
  psn: string;
  /** The track 1 or track 2 data the CVC3 covers, as bytes. */
  trackData: Uint8Array;
  /** Tag 9F36, 2 bytes. */
  atc: Uint8Array;
  /** The terminal's unpredictable number, 4 bytes. */
  unpredictableNumber: Uint8Array;
}

/**
 * A counted CVC3 check (Hsm.verifyCardCvc3) of the 3 to 5 digits the terminal sent (the rightmost ones) on the card's
 * 'cvv' counter. Needs a store. The example is pyemv's generate_cvc3 docstring (CVC3 29488).
 *
 * @example
 * const imk = hsm.importKeyComponents({ usage: 'E4', algorithm: 'TDES2', modeOfUse: 'X', components: [hexToBytes('01234567899876543210012345678998')], allowSingleComponent: true }).keyBlock
 * await hsm.verifyCardCvc3({ imk, pan: '5123456789012345', psn: '00', trackData: hexToBytes('5123456789012345D35121010000000000000F'), atc: hexToBytes('005E'), unpredictableNumber: hexToBytes('00000899'), cardRef: hsm.cardRef('5123456789012345'), cvc3: '488' })  // => true
 */
export interface CardCvc3CheckOptions extends HsmCvc3Options {
  cardRef: string;
  /** 3-5 digits: the rightmost digits of the CVC3. */
  cvc3: string;
}

/**
 * A PIN block from a DUKPT terminal translated in one kernel call (Hsm.translateDukptPinBlock) to a P0 key or to
 * another DUKPT side, each with its ISO 9564 format. The example is ANSI X9.24-1:2009 A.4.2's first transaction (BDK
 * 0123456789ABCDEFFEDCBA9876543210, KSN FFFF9876543210E00001): PIN 1234 and PAN 4012345678909 in the PIN block
 * 1B9C1845EB993A7A, re-encrypted under `keys.zpk` as ISO 0.
 *
 * @example
 * const bdk = hsm.importKeyComponents({ usage: 'B0', algorithm: 'TDES2', modeOfUse: 'X', components: [hexToBytes('0123456789ABCDEFFEDCBA9876543210')], allowSingleComponent: true }).keyBlock
 * const out = hsm.translateDukptPinBlock({ pinBlock: hexToBytes('1B9C1845EB993A7A'), pan: '4012345678909', from: { bdk, ksn: hexToBytes('FFFF9876543210E00001'), format: 0 }, to: { key: keys.zpk, format: 0 } })
 * bytesToHex(tdesDecryptEcb(hexToBytes('0123456789ABCDEF89ABCDEF01234567'), out))  // => '041274EDCBA9876F'
 */
export interface DukptTranslateOptions {
  pinBlock: Uint8Array;
  pan: string;
  from: DukptSide & { format: PinBlockFormat };
  to: { key: string; format: PinBlockFormat } | (DukptSide & { format: PinBlockFormat });
}

/**
 * A DUKPT MAC (Hsm.generateDukptMac) under the transaction's request (default) or response MAC key: 'RETAIL' (ISO/IEC
 * 9797-1 algorithm 3, TDES DUKPT's default), 'CMAC' or 'HMAC'. The example is ANSI X9.24-1:2009 A.4.2's first
 * transaction (BDK 0123456789ABCDEFFEDCBA9876543210, KSN FFFF9876543210E00001): the MAC of "4012345678909D987", whose
 * first 4 bytes the standard gives (the full 8 as moov-io/dukpt computed them).
 *
 * @example
 * const bdk = hsm.importKeyComponents({ usage: 'B0', algorithm: 'TDES2', modeOfUse: 'X', components: [hexToBytes('0123456789ABCDEFFEDCBA9876543210')], allowSingleComponent: true }).keyBlock
 * bytesToHex(hsm.generateDukptMac({ bdk, ksn: hexToBytes('FFFF9876543210E00001'), data: new TextEncoder().encode('4012345678909D987') }))  // => '9CCC78173FC4FB64'
 * bytesToHex(hsm.generateDukptMac({ bdk, ksn: hexToBytes('FFFF9876543210E00001'), data: new TextEncoder().encode('4012345678909D987'), direction: 'RESPONSE' }))  // => '20364223C1FF00FA'
 */
export interface HsmDukptMacOptions extends DukptSide {
  data: Uint8Array;
  direction?: 'REQUEST' | 'RESPONSE';
  method?: 'RETAIL' | 'CMAC' | 'HMAC';
  usage?: 'MAC_GENERATION' | 'MAC_VERIFICATION' | 'MAC_BOTH';
}

/**
 * A DUKPT MAC check (Hsm.verifyDukptMac): true when `mac` (4 bytes or more) leads the MAC of `data`, constant time. The
 * example is ANSI X9.24-1:2009 A.4.2's first transaction (BDK 0123456789ABCDEFFEDCBA9876543210, KSN
 * FFFF9876543210E00001): MAC 9CCC7817 of "4012345678909D987".
 *
 * @example
 * const bdk = hsm.importKeyComponents({ usage: 'B0', algorithm: 'TDES2', modeOfUse: 'X', components: [hexToBytes('0123456789ABCDEFFEDCBA9876543210')], allowSingleComponent: true }).keyBlock
 * hsm.verifyDukptMac({ bdk, ksn: hexToBytes('FFFF9876543210E00001'), data: new TextEncoder().encode('4012345678909D987'), mac: hexToBytes('9CCC7817') })  // => true
 * hsm.verifyDukptMac({ bdk, ksn: hexToBytes('FFFF9876543210E00001'), data: new TextEncoder().encode('4012345678909D987'), mac: hexToBytes('9CCC7818') })  // => false
 */
export interface DukptMacCheckOptions extends HsmDukptMacOptions {
  /** The MAC to check, 4 bytes up to the full MAC. */
  mac: Uint8Array;
}

/**
 * Data under a DUKPT data key (Hsm.encryptDukptData, decryptDukptData): the request (default) or response key, CBC
 * (default, zero IV unless `iv`) or ECB, whole cipher blocks. The example is ANSI X9.24-1:2009 A.4.2's first
 * transaction (BDK 0123456789ABCDEFFEDCBA9876543210, KSN FFFF9876543210E00001): "4012345678909D987" zero-padded to 24
 * bytes.
 *
 * @example
 * const bdk = hsm.importKeyComponents({ usage: 'B0', algorithm: 'TDES2', modeOfUse: 'X', components: [hexToBytes('0123456789ABCDEFFEDCBA9876543210')], allowSingleComponent: true }).keyBlock
 * const data = hexToBytes('343031323334353637383930394439383700000000000000')
 * bytesToHex(hsm.encryptDukptData({ bdk, ksn: hexToBytes('FFFF9876543210E00001'), data }))  // => 'FC0D53B7EA1FDA9EE68AAF2E70D9B9506229BE2AA993F04F'
 */
export interface HsmDukptDataOptions extends DukptSide {
  data: Uint8Array;
  direction?: 'REQUEST' | 'RESPONSE';
  mode?: 'CBC' | 'ECB';
  iv?: Uint8Array;
  usage?: 'DATA_ENCRYPT' | 'DATA_DECRYPT' | 'DATA_BOTH';
}

/**
 * A terminal's initial key exported for injection (Hsm.exportDukptInitialKey, custodian): the IPEK of the KSN's initial
 * value (TDES DUKPT, `ksn` 10 bytes) or the initial key of `initialKeyId` (AES DUKPT, 8 bytes), derived from the B0 BDK
 * and wrapped under the K0/K1 KEK as a B1 block with a KS or IK optional block. The example is ANSI X9.24-1:2009 A.4:
 * the IPEK of FFFF9876543210E00000 is 6AC292FAA1315B4D858AB3A3D7D5933A.
 *
 * @example
 * const bdk = hsm.importKeyComponents({ usage: 'B0', algorithm: 'TDES2', modeOfUse: 'X', components: [hexToBytes('0123456789ABCDEFFEDCBA9876543210')], allowSingleComponent: true }).keyBlock
 * const { keyBlock } = hsm.exportDukptInitialKey({ bdk, ksn: hexToBytes('FFFF9876543210E00008'), kek: keys.kek })
 * bytesToHex(unwrapTr31(hexToBytes('11111111111111112222222222222222'), keyBlock).key)  // => '6AC292FAA1315B4D858AB3A3D7D5933A'
 */
export interface DukptExportOptions {
  /** The B0 BDK block. */
  bdk: string;
  /** TDES DUKPT: the terminal's 10-byte KSN (its counter is ignored). */
  ksn?: Uint8Array;
  /** AES DUKPT: the terminal's 8-byte initial key ID. */
  initialKeyId?: Uint8Array;
  /** K0/K1 key-encryption key of the key-injection facility. */
  kek: string;
}
