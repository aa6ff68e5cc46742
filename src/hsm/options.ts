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
  dcvv2?: { windowSeconds?: number; digits?: 3 | 4; back?: number; fwd?: number; tryLimit?: number; monotonic?: boolean };
  /**
   * Development only: allows importKeyComponents with a single component. Announced with a warning through
   * `warn` (default console.error) when the Hsm is made.
   */
  development?: { allowSingleComponent: true; warn?: (message: string) => void };
}

export interface KeyAttributes {
  usage: string;
  algorithm: KeyAlgorithm;
  modeOfUse?: string;
  exportability?: string;
  keyVersion?: string;
}

export interface KeyDescription {
  usage: string;
  algorithm: KeyAlgorithm;
  modeOfUse: string;
  keyVersion: string;
  exportability: string;
  kcv: string;
}

export interface ImportComponentsOptions extends KeyAttributes {
  /** 2-3 clear components (XOR); one only for an Hsm made with `development.allowSingleComponent`. */
  components: Uint8Array[];
  /** The expected check value of the combined key (4-6 hex digits). */
  kcv?: string;
  /** Give DES components odd parity instead of refusing them. */
  fixParity?: boolean;
  allowSingleComponent?: boolean;
}

/** A key block moved between the LMK and a key-encryption key (a K0/K1 block under the LMK). */
export interface KekTransferOptions {
  keyBlock: string;
  kek: string;
}

/** A card's static code inputs with a C0 key. */
export interface CvvOptions {
  cvk: string;
  pan: string;
  /** 4 digits as the issuer encodes them (usually YYMM). */
  expiry: string;
  /** 3 digits; '000' is CVV2, '999' iCVV. */
  serviceCode: string;
}

export type Cvv2Options = Omit<CvvOptions, 'serviceCode'>;

export interface CvvCheckOptions extends CvvOptions {
  cvv: string;
}

export interface Cvv2CheckOptions extends Cvv2Options {
  cvv: string;
}

export interface CvvBatchOptions {
  cvk: string;
  items: Array<{ pan: string; expiry: string; serviceCode: string }>;
}

export interface CvvBatchCheckOptions {
  cvk: string;
  items: Array<{ pan: string; expiry: string; serviceCode: string; cvv: string }>;
}

/** A counted check of a card's static CVV (service code as encoded: 101 magstripe, 999 iCVV) against its counter. */
export interface CardCvvCheckOptions extends CvvCheckOptions {
  /** Hsm.cardRef(pan). */
  cardRef: string;
}

/** A counted check of a card's CVV2 (static, or refused once dynamic CVV2 is enabled). */
export interface CardCvv2CheckOptions extends Cvv2CheckOptions {
  cardRef: string;
}

export interface EncryptClearPinOptions {
  pinKey: string;
  pin: string;
  pan: string;
  format: PinBlockFormat;
}

export interface PinBlockSideOptions {
  key: string;
  format: PinBlockFormat;
}

export interface TranslatePinOptions {
  pinBlock: Uint8Array;
  pan: string;
  from: PinBlockSideOptions;
  to: PinBlockSideOptions;
}

/** A DUKPT key side: the BDK (B0) or a terminal's initial key (B1) block, the transaction's KSN. */
export interface DukptSide {
  /** A B0 (BDK) or B1 (initial key) key block. */
  bdk: string;
  /** 10 bytes (TDES DUKPT) or 12 (AES DUKPT). */
  ksn: Uint8Array;
  /** AES DUKPT: the working key's algorithm (default: the AES key of the BDK's length). */
  algorithm?: 'AES128' | 'AES192' | 'AES256' | 'TDES2' | 'TDES3';
}

/** An encrypted PIN block of a card, under a P0 key (`pinKey`) or a terminal's DUKPT PIN key (`dukpt`). */
export interface CardPinBlock {
  cardRef: string;
  pinBlock: Uint8Array;
  pinKey?: string;
  dukpt?: DukptSide;
  format: PinBlockFormat;
  pan: string;
}

/**
 * How a card's PIN is verified: a Visa PVV under a V2 key (with its PVKI), or an IBM 3624 offset under a V1 key
 * with the card's validation data and a configured decimalization table.
 */
export type PinVerificationKey =
  | { type: 'VISA_PVV'; pvk: string; pvki: string }
  | { type: 'IBM3624_OFFSET'; pvk: string; validationData: string; decimalizationTable: string };

/** A PIN's stored verification data: the key and method, and the value. */
export type PinVerificationData =
  | { type: 'VISA_PVV'; pvk: string; pvki: string; pvv: string }
  | { type: 'IBM3624_OFFSET'; pvk: string; validationData: string; decimalizationTable: string; offset: string };

/** Sets a card's PIN from an encrypted PIN block; the verification data is computed and stored. */
export interface SetPinOptions extends CardPinBlock {
  method: PinVerificationKey;
}

/** A random PIN for a known card: returned encrypted under `pinKey`, its verification data stored. */
export interface GeneratePinOptions {
  cardRef: string;
  pan: string;
  pinKey: string;
  format?: PinBlockFormat;
  /** Digits, default 4. */
  length?: number;
  method: PinVerificationKey;
}

export type VerifyPinOptions = CardPinBlock;

/** Issuers migrating cards bring their PVVs or offsets: stored for the card, checked against nothing. */
export interface RegisterPinVerificationOptions {
  cardRef: string;
  pan: string;
  data: PinVerificationData;
}

export interface ActivationCodeOptions {
  cardRef: string;
}

export interface ActivateCardOptions extends SetPinOptions {
  activationCode: string;
}

export interface DataOptions {
  key: string;
  data: Uint8Array;
  mode: 'ECB' | 'CBC';
  iv?: Uint8Array;
}

export interface SecurityValuesOptions extends CvvOptions {
  /** The client's D0 TDES transport key block. */
  transportKey: string;
  pinBlock?: Uint8Array;
  pinKey?: string;
  format?: PinBlockFormat;
}

export interface SecurityValues {
  cvv: string;
  cvv2: string;
  icvv: string;
  pin?: string;
  transportKcv: string;
}

export type TokenizeOptions = { tokenKey: string; pan: string } & TokenOptions;
export type DetokenizeOptions = { tokenKey: string; token: string } & TokenOptions;

export interface DynamicCvv2Options {
  imk: string;
  pan: string;
  /** PAN sequence number, 2 digits. */
  psn: string;
  expiry: string;
  at?: Date | number;
}

export interface DynamicCvv2CodesOptions extends DynamicCvv2Options {
  /** 1..24 windows. */
  count: number;
}

export interface DynamicCvv2CheckOptions extends DynamicCvv2Options {
  cardRef: string;
  code: string;
}

/** A counted verification's answer. */
export interface AttemptResult {
  attemptsRemaining: number;
  locked: boolean;
}

export interface AttemptCount {
  failed: number;
  remaining: number;
  locked: boolean;
}

/** What a card is issued with (see Hsm.issueCards). */
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

export interface IssueCardsOptions extends IssueOptions {
  count: number;
  /** The same key returns the same cards (same counters, same values) instead of new ones. */
  idempotencyKey?: string;
  /** Cards per batch, default 10,000. */
  batchSize?: number;
  /** Worker threads; default one per core (at most 8) from 200,000 cards, else 1. */
  workers?: number;
  onProgress?: (progress: { issued: number; total: number }) => void;
}

export type ReissueReason = 'LOST' | 'STOLEN' | 'DAMAGED' | 'EXPIRED' | 'EMERGENCY';

export interface ReissueOptions extends IssueOptions {
  pan: string;
  reason: ReissueReason;
}

export interface PanRangeOptions {
  bin: string;
  length?: number;
}

/** A MAC under an M key block: the algorithm follows the key's usage (M0/M1 ISO 9797-1 algorithm 1, M3 algorithm 3,
 * M5/M6 CMAC, M7 HMAC). */
export interface MacOptions {
  key: string;
  data: Uint8Array;
  /** ISO 9797-1 padding method for M0/M1/M3 (default 1). */
  padding?: 1 | 2 | 3;
  /** Bytes of the MAC to return, 4 up to the algorithm's output (default all). */
  length?: number;
  /** M7 keys: default 'SHA-256'. */
  hash?: 'SHA-256' | 'SHA-384' | 'SHA-512';
}

export interface MacCheckOptions extends Omit<MacOptions, 'length'> {
  /** At least 4 bytes: compared, in constant time, with as many leading bytes of the MAC. */
  mac: Uint8Array;
}

export type { EmvProfileName } from '../emv/profiles.js';
import type { EmvProfileName } from '../emv/profiles.js';

/** The EMV tags an ARQC covers (see EmvTransaction in src/emv/cvn.ts), as bytes. */
export interface EmvArqcOptions {
  /** E0 issuer master key for application cryptograms. */
  imk: string;
  profile: EmvProfileName;
  pan: string;
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
  arqc: Uint8Array;
  /** For an ARPC: the ARC (method 1) or CSU and proprietary data (method 2), as the profile uses. */
  response?: { arc?: Uint8Array; csu?: Uint8Array; proprietaryData?: Uint8Array };
}

export interface EmvScriptMacOptions {
  /** E2 issuer master key for secure messaging integrity. */
  imkSmi: string;
  profile: EmvProfileName;
  pan: string;
  psn: string;
  atc: Uint8Array;
  arqc: Uint8Array;
  /** The 5-byte APDU header (Lc counting the MAC). */
  header: Uint8Array;
  commandData?: Uint8Array;
}

/** An encrypted PIN block for a PIN change: under a P0 key, in its format, bound to `pan` (default: the card's). */
export interface EmvPinBlockSide {
  pinBlock: Uint8Array;
  pinKey: string;
  format: PinBlockFormat;
  pan?: string;
}

export interface EmvPinChangeOptions {
  profile: EmvProfileName;
  imkSmi: string;
  /** E1 issuer master key for secure messaging confidentiality. */
  imkSmc: string;
  /** E0, for VIS PIN blocks (bound to the card's MK-AC). */
  imkAc?: string;
  pan: string;
  psn: string;
  atc: Uint8Array;
  arqc: Uint8Array;
  newPin: EmvPinBlockSide;
  currentPin?: EmvPinBlockSide;
}

export interface EmvPersoOptions {
  /** Issuer master keys: ac (E0), smi (E2), smc (E1), and cvc3 / dcvv (E4) where the cards use them. */
  imks: { ac: string; smi: string; smc: string; cvc3?: string; dcvv?: string };
  cards: Array<{ pan: string; psn: string }>;
  /** K0/K1 key-encryption key shared with the personalisation bureau. */
  kek: string;
  /** EMV Book 2 A1.4 option (default 'A'; 'B' for PANs longer than 16 digits). */
  option?: 'A' | 'B';
}

export interface EmvPersoCard {
  pan: string;
  psn: string;
  keyBlocks: Partial<Record<'mkAc' | 'mkSmi' | 'mkSmc' | 'mkCvc3' | 'mkDcvv', { keyBlock: string; kcv: string }>>;
}

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

export interface CardDcvvCheckOptions extends HsmDcvvOptions {
  cardRef: string;
  dcvv: string;
}

export interface HsmCvc3Options {
  imk: string;
  pan: string;
  psn: string;
  trackData: Uint8Array;
  atc: Uint8Array;
  unpredictableNumber: Uint8Array;
}

export interface CardCvc3CheckOptions extends HsmCvc3Options {
  cardRef: string;
  cvc3: string;
}

export interface DukptTranslateOptions {
  pinBlock: Uint8Array;
  pan: string;
  from: DukptSide & { format: PinBlockFormat };
  to: { key: string; format: PinBlockFormat } | (DukptSide & { format: PinBlockFormat });
}

export interface HsmDukptMacOptions extends DukptSide {
  data: Uint8Array;
  direction?: 'REQUEST' | 'RESPONSE';
  method?: 'RETAIL' | 'CMAC' | 'HMAC';
  usage?: 'MAC_GENERATION' | 'MAC_VERIFICATION' | 'MAC_BOTH';
}

export interface DukptMacCheckOptions extends HsmDukptMacOptions {
  mac: Uint8Array;
}

export interface HsmDukptDataOptions extends DukptSide {
  data: Uint8Array;
  direction?: 'REQUEST' | 'RESPONSE';
  mode?: 'CBC' | 'ECB';
  iv?: Uint8Array;
  usage?: 'DATA_ENCRYPT' | 'DATA_DECRYPT' | 'DATA_BOTH';
}

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
