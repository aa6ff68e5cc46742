// The Hsm facade: one entry point over the planes, as AWS Payment Cryptography splits its control plane from its
// data plane and jPOS its SMAdapter from its key store. A KeyVault holds the LMK; the ControlPlane manages keys;
// the DataPlane runs stateless card and PIN operations; the CardState keeps counted verification over the store;
// the Issuer issues cards. Every method is authorized first (HSM_PROFILES, METHOD_ACTIVITIES) and audited.
import { CardHsmError } from '../errors.js';
import { checkArray, checkDigits, checkInt, checkOptions } from '../_validate.js';
import { checkPinPolicy, type PinPolicy } from '../pinpolicy.js';
import { combineLmkComponents } from '../keys/lmk.js';
import type { Store } from '../store/store.js';
import type { Dcvv2Code } from '../dcvv2.js';
import type { IssuedCard } from '../issue/cards.js';
import { Issuer } from '../issue/_issuer.js';
import { authorization, type Authorization } from './_authorize.js';
import { auditWriter, registerAuditKey } from './_audit.js';
import { operationRunner } from './_operation.js';
import { KeyVault, type KeyResult } from './_vault.js';
import { ControlPlane } from './_controlplane.js';
import { DataPlane, type Dcvv2Policy } from './_dataplane.js';
import { CardState } from './_cardstate.js';
import { EmvPlane } from './_emv.js';
import { DukptPlane } from './_dukpt.js';
import type { PinChangeScript } from '../emv/sm.js';
import type * as O from './options.js';

export type { KeyAlgorithm, KeyResult } from './_vault.js';
export { KEY_ALGORITHMS } from './_vault.js';

function dcvv2Policy(value: unknown): Dcvv2Policy {
  const d = checkOptions('dcvv2', value);
  const policy = {
    windowSeconds: d.windowSeconds === undefined ? 3600 : checkInt('dcvv2.windowSeconds', d.windowSeconds, 60, 64_800),
    digits: d.digits === undefined ? 3 : (checkInt('dcvv2.digits', d.digits, 3, 4) as 3 | 4),
    back: d.back === undefined ? 1 : checkInt('dcvv2.back', d.back, 0, 2),
    fwd: d.fwd === undefined ? 0 : checkInt('dcvv2.fwd', d.fwd, 0, 2),
    tryLimit: d.tryLimit === undefined ? 5 : checkInt('dcvv2.tryLimit', d.tryLimit, 1, 99),
    monotonic: d.monotonic === true,
  };
  if (policy.back + policy.fwd > 2)
    throw new CardHsmError('ERR_FORMAT', '"dcvv2.back" + "dcvv2.fwd" must be at most 2', 'dcvv2.back');
  return policy;
}

/** The development switch: single-component keys, announced loudly. */
function development(value: unknown): boolean {
  if (value === undefined) return false;
  const d = checkOptions('development', value);
  if (d.allowSingleComponent !== true)
    throw new CardHsmError('ERR_FORMAT', '"development" expected { allowSingleComponent: true, warn? }', 'development');
  const warn = d.warn ?? console.error;
  if (typeof warn !== 'function')
    throw new CardHsmError('ERR_TYPE', '"development.warn" expected a function', 'development.warn');
  (warn as (m: string) => void)(
    '*** cardhsm WARNING: this Hsm accepts single-component keys (development only): no dual control. ***',
  );
  return true;
}

/** A key of usage M7 (HMAC256) from a key block, for card references or audit MACs. */
function hmacKey(vault: KeyVault, field: string, block: unknown, label: string): Uint8Array {
  if (block === undefined) return vault.derive(label);
  const k = vault.open(field, block, null);
  if (k.header.usage !== 'M7' || k.algorithm !== 'HMAC256') {
    k.key.fill(0);
    throw new CardHsmError('ERR_KEY_USAGE', `"${field}" expected an HMAC256 key of usage M7`, field);
  }
  return k.key;
}

/**
 * The HSM facade: key blocks in, usage checked, every call authorized and audited. An Hsm holds one LMK (an AES-256
 * local master key, copied and never printed) under which every key lives as a TR-31 version D key block; it composes
 * the key vault, key management (control plane), stateless card and PIN operations (data plane), counted verification
 * over a Store (card state), EMV, DUKPT and card issuance. Each method belongs to one activity (METHOD_ACTIVITIES); an
 * Hsm made with a profile or a list of activities (HsmOptions.activities, HSM_PROFILES) refuses every other method with
 * ERR_NOT_AUTHORIZED before any key is opened. Each call writes one AuditRecord to the `audit` sink, if any.
 *
 * Errors every method may throw: ERR_NOT_AUTHORIZED (the activity), ERR_TYPE (options that are not an object, a field
 * of the wrong type), ERR_KEY_USAGE (a key block whose usage, mode of use, algorithm or length does not allow the
 * operation: KEY_USAGE_RULES), ERR_TR31_MAC (a key block tampered with, or made under another LMK), ERR_TR31_HEADER (a
 * block that is not a version D block under the LMK), ERR_TR31_LENGTH or ERR_FORMAT (a string that is not a key block).
 * Stateful methods (counters, PIN data, activation codes, issuance) return Promises and need `store`
 * (ERR_STORE_UNAVAILABLE without one, or when it cannot be reached). The methods' options types document their fields
 * and show each call.
 *
 * The first example builds the `hsm` and `keys` every example in these docs starts from (test/helpers/hsm.ts makeHsm):
 * every activity, a MemoryStore, a fixed test LMK, and the test keys loaded from single clear components, which only a
 * development Hsm accepts (in a block here because the examples' runner already binds those names). The second shows
 * the three profiles, one Hsm each.
 *
 * @example
 * {
 *   const hsm = new Hsm({ lmk: lmkFromHex('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F'), activities: [...ACTIVITIES], store: new MemoryStore(), development: { allowSingleComponent: true, warn: () => {} } })
 *   const load = (usage, algorithm, hex, modeOfUse) => hsm.importKeyComponents({ usage, algorithm, modeOfUse, components: [hexToBytes(hex)], allowSingleComponent: true, fixParity: true }).keyBlock
 *   const K = '0123456789ABCDEFFEDCBA9876543210'
 *   const keys = {
 *     cvk: load('C0', 'TDES2', K), pvk: load('V2', 'TDES2', K), ibmPvk: load('V1', 'TDES2', K), transport: load('D0', 'TDES2', K, 'E'),
 *     zpk: load('P0', 'TDES2', '0123456789ABCDEF89ABCDEF01234567'), zpk2: load('P0', 'TDES2', 'FEDCBA98765432100123456789ABCDEF'), aesPinKey: load('P0', 'AES128', '00112233445566778899AABBCCDDEEFF'),
 *     dek: load('D0', 'TDES2', '0123456789ABCDEF1032547698BADCFE'), aesDek: load('D0', 'AES128', '2B7E151628AED2A6ABF7158809CF4F3C'),
 *     kek: load('K0', 'TDES2', '11111111111111112222222222222222'), aesKek: load('K0', 'AES256', '000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F'),
 *   }
 *   hsm.toJSON()  // => { lmkKcv: '377822', profile: 'custom' }
 *   hsm.describeKey(keys.transport)  // => { usage: 'D0', algorithm: 'TDES2', modeOfUse: 'E', keyVersion: '00', exportability: 'E', kcv: '08D7B4' }
 *   hsm.generateCvv({ cvk: keys.cvk, pan: '4123456789012345', expiry: '8701', serviceCode: '101' })  // => '561'
 * }
 * @example
 * const lmk = lmkFromHex('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F')
 * const custodian = new Hsm({ lmk, activities: 'custodian' })
 * const cardKey = custodian.importKeyComponents({ usage: 'C0', algorithm: 'TDES2', components: [hexToBytes('0123456789ABCDEFFEDCBA9876543210'), hexToBytes('01010101010101010101010101010101')] }).keyBlock
 * new Hsm({ lmk, activities: 'issuance' }).generateCvv({ cvk: cardKey, pan: '4123456789012345', expiry: '8701', serviceCode: '101' })  // => '561'
 * const online = new Hsm({ lmk })
 * String(online)  // => 'Hsm(lmkKcv=377822, profile=authorization)'
 * let refused
 * try { online.generateCvv({ cvk: cardKey, pan: '4123456789012345', expiry: '8701', serviceCode: '101' }) } catch (e) { refused = e.code }
 * refused  // => 'ERR_NOT_AUTHORIZED'
 */
export class Hsm {
  readonly #vault: KeyVault;
  readonly #auth: Authorization;
  /** True for an Hsm formed from custodians' components: the only kind an LMK rotation may target. */
  readonly #fromComponents: boolean;
  readonly #control: ControlPlane;
  readonly #data: DataPlane;
  readonly #cards: CardState;
  readonly #issuer: Issuer;
  readonly #emv: EmvPlane;
  readonly #dukpt: DukptPlane;
  /** The LMK's public check value (6 hex digits, AES-CMAC: lmkCheckValue): all an Hsm shows of its LMK. */
  readonly lmkKcv: string;

  /**
   * An Hsm over `options.lmk` (32 bytes, copied) with the given activities, store, audit sink and policies.
   *
   * @param options HsmOptions: only `lmk` is required.
   * @throws ERR_LENGTH (an LMK not of 32 bytes), ERR_FORMAT (activities, dcvv2, development, a limit or a table out of
   * range), ERR_TYPE (a value of the wrong type), ERR_KEY_USAGE (auditKey or cardRefKey not an M7 HMAC256 block).
   */
  constructor(options: O.HsmOptions) {
    const o = checkOptions('options', options);
    this.#vault = new KeyVault(o.lmk);
    this.lmkKcv = this.#vault.kcv;
    this.#auth = authorization(o.activities);
    this.#fromComponents = fromComponents.has(o);
    const auditKey = hmacKey(this.#vault, 'auditKey', o.auditKey, 'cardhsm/audit/v1');
    registerAuditKey(this, auditKey);
    const run = operationRunner(
      this.#auth,
      o.audit === undefined ? undefined : auditWriter(o.audit as O.HsmOptions['audit'] & object, auditKey),
    );
    const tables = new Set(
      checkArray('decimalizationTables', o.decimalizationTables ?? ['0123456789012345']).map((t, i) =>
        checkDigits(`decimalizationTables[${i}]`, t, 16, 16),
      ),
    );
    const pinPolicy = (o.pinPolicy ?? {}) as PinPolicy;
    checkPinPolicy('1357', pinPolicy); // throws now if the policy itself is malformed
    const dcvv2 = dcvv2Policy(o.dcvv2);
    const store = o.store as Store | undefined;
    this.#control = new ControlPlane(this.#vault, run, development(o.development));
    this.#data = new DataPlane(this.#vault, run, dcvv2);
    this.#cards = new CardState(
      this.#vault,
      run,
      store,
      hmacKey(this.#vault, 'cardRefKey', o.cardRefKey, 'cardhsm/card-reference/v1'),
      {
        pinTryLimit: o.pinTryLimit === undefined ? 3 : checkInt('pinTryLimit', o.pinTryLimit, 1, 99),
        cardCodeTryLimit:
          o.cardCodeTryLimit === undefined ? 5 : checkInt('cardCodeTryLimit', o.cardCodeTryLimit, 1, 99),
        activationLimit:
          o.activationAttemptLimit === undefined
            ? 3
            : checkInt('activationAttemptLimit', o.activationAttemptLimit, 1, 99),
        pinPolicy,
        tables,
        dcvv2,
      },
    );
    this.#issuer = new Issuer(this.#vault, run, () => this.#cards.store(), this.#cards, pinPolicy);
    this.#emv = new EmvPlane(this.#vault, run);
    this.#dukpt = new DukptPlane(this.#vault, run);
  }

  /**
   * An Hsm whose LMK is formed here from 2-3 custodians' components (combineLmkComponents: 32 bytes each, XORed,
   * distinct, not all zero): no single person or caller holds it. The only kind of Hsm that rotateLmk accepts as its
   * target.
   *
   * @param components 2-3 clear components of 32 bytes (not kept).
   * @param options HsmOptions without `lmk`.
   * @throws ERR_LENGTH (not 2-3 components, or a component not of 32 bytes), ERR_WEAK_KEY (equal components or an
   * all-zero LMK), and the constructor's errors.
   */
  static fromLmkComponents(components: Uint8Array[], options: Omit<O.HsmOptions, 'lmk'> = {}): Hsm {
    const { lmk } = combineLmkComponents(components);
    try {
      const o = { ...checkOptions('options', options), lmk };
      fromComponents.add(o);
      return new Hsm(o as O.HsmOptions);
    } finally {
      lmk.fill(0);
    }
  }

  /** `Hsm(lmkKcv=…, profile=…)`: never the LMK (so are toJSON and util.inspect). */
  toString(): string {
    return `Hsm(lmkKcv=${this.lmkKcv}, profile=${this.#auth.profile})`;
  }
  /** The LMK's check value and the profile name ('custom' for a list of activities), for JSON.stringify. */
  toJSON(): { lmkKcv: string; profile: string } {
    return { lmkKcv: this.lmkKcv, profile: this.#auth.profile };
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  // ---- key management (control plane) -------------------------------------------------------------------------

  /**
   * A new random key (DES keys with odd parity) as a key block under the LMK, with its KCV. `keys.generate`
   * @param options KeyAttributes: usage, algorithm, mode of use, exportability, key version.
   * @throws ERR_FORMAT (an attribute outside X9.143 or unused by the Hsm).
   */
  generateKey(options: O.KeyAttributes): KeyResult {
    return this.#control.generateKey(options);
  }
  /**
   * A key formed from 2-3 distinct clear components (dual control), with odd parity for DES; refuses weak results.
   * `keys.import`
   * @param options ImportComponentsOptions.
   * @throws ERR_LENGTH, ERR_KEY_PARITY, ERR_WEAK_KEY, ERR_KCV_MISMATCH, ERR_FORMAT.
   */
  importKeyComponents(options: O.ImportComponentsOptions): KeyResult {
    return this.#control.importKeyComponents(options);
  }
  /**
   * A TR-31 block wrapped under a K0/K1 KEK (versions A-C under TDES, D under AES), re-wrapped under the LMK with its
   * header; no stronger than its KEK. `keys.import`
   * @param options KekTransferOptions: `keyBlock` under the KEK, `kek` under the LMK.
   * @throws ERR_KEY_USAGE (a key stronger than its KEK), ERR_TR31_MAC, ERR_TR31_HEADER, ERR_WEAK_KEY.
   */
  importKey(options: O.KekTransferOptions): KeyResult {
    return this.#control.importKey(options);
  }
  /**
   * An exportable key under a KEK (version B for a TDES KEK, D for AES) no weaker than the key. `keys.export`
   * @param options KekTransferOptions: `keyBlock` under the LMK, `kek` under the LMK.
   * @throws ERR_KEY_USAGE (exportability N, a KEK weaker than the key, a kek that may not wrap).
   */
  exportKey(options: O.KekTransferOptions): KeyResult {
    return this.#control.exportKey(options);
  }
  /**
   * A key block's attributes and KCV, once it authenticates under the LMK. `keys.describe`
   * @param keyBlock a TR-31 version D key block under this Hsm's LMK.
   * @throws ERR_TR31_MAC, ERR_TR31_HEADER, ERR_TR31_LENGTH, ERR_TYPE.
   */
  describeKey(keyBlock: string): O.KeyDescription {
    return this.#control.describeKey(keyBlock);
  }
  /**
   * `keyBlocks` re-wrapped under the LMK of `target`, an Hsm made with Hsm.fromLmkComponents; every attribute —
   * exportability included — unchanged. Every block is re-wrapped before any is returned. `lmk.rotate`
   * @throws ERR_TYPE (a target not made from components: whoever knows its LMK could unwrap non-exportable keys).
   */
  rotateLmk(target: Hsm, keyBlocks: string[]): string[] {
    return this.#control.rotateLmk(
      target instanceof Hsm && target.#fromComponents ? target.#vault : undefined,
      keyBlocks,
    );
  }

  // ---- card codes ----------------------------------------------------------------------------------------------

  /**
   * The keyed reference of a card (HMAC-SHA-256 of the PAN, 64 uppercase hex characters) used in every stored record
   * instead of the PAN; keyed by `cardRefKey` or a key derived from the LMK. `card.ref`
   * @param pan 12-19 digits.
   * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT.
   */
  cardRef(pan: string): string {
    return this.#cards.cardRef(pan);
  }
  /**
   * CVV (3 digits) with a C0 key, the Visa CVV method. `card.generate`
   * @param options CvvOptions.
   */
  generateCvv(options: O.CvvOptions): string {
    return this.#data.generateCvv('generateCvv', options);
  }
  /**
   * CVV2 (3 digits; service code 000). `card.generate`
   * @param options Cvv2Options.
   */
  generateCvv2(options: O.Cvv2Options): string {
    return this.#data.generateCvv('generateCvv2', options, '000');
  }
  /**
   * iCVV (3 digits; service code 999). `card.generate`
   * @param options Cvv2Options.
   */
  generateIcvv(options: O.Cvv2Options): string {
    return this.#data.generateCvv('generateIcvv', options, '999');
  }
  /**
   * CVVs of many cards under one C0 key in one kernel pass, in the items' order. `card.generate`
   * @param options CvvBatchOptions.
   */
  generateCvvBatch(options: O.CvvBatchOptions): string[] {
    return this.#data.generateCvvBatch(options);
  }
  /**
   * An uncounted CVV check in constant time: as revealing as generation (1,000 guesses), so with it. `card.generate`
   * @param options CvvCheckOptions.
   */
  verifyCvv(options: O.CvvCheckOptions): boolean {
    return this.#data.verifyCvv('verifyCvv', options);
  }
  /**
   * An uncounted CVV2 check. `card.generate`
   * @param options Cvv2CheckOptions.
   */
  verifyCvv2(options: O.Cvv2CheckOptions): boolean {
    return this.#data.verifyCvv('verifyCvv2', options, '000');
  }
  /**
   * An uncounted iCVV check. `card.generate`
   * @param options Cvv2CheckOptions.
   */
  verifyIcvv(options: O.Cvv2CheckOptions): boolean {
    return this.#data.verifyCvv('verifyIcvv', options, '999');
  }
  /**
   * Uncounted CVV checks of many cards, one boolean per item. `card.generate`
   * @param options CvvBatchCheckOptions.
   */
  verifyCvvBatch(options: O.CvvBatchCheckOptions): boolean[] {
    return this.#data.verifyCvvBatch(options);
  }
  /**
   * A counted check of a card's static CVV or iCVV (counter 'cvv', limit cardCodeTryLimit). `card.verify`
   * @param options CardCvvCheckOptions.
   * @throws ERR_CVV_LOCKED, ERR_CARD_REF, ERR_STORE_UNAVAILABLE.
   */
  verifyCardCvv(options: O.CardCvvCheckOptions): Promise<boolean> {
    return this.#cards.verifyCardCode('verifyCardCvv', options);
  }
  /**
   * A counted CVV2 check (counter 'cvv2'); refused once dynamic CVV2 is enabled. `card.verify`
   * @param options CardCvv2CheckOptions.
   * @throws ERR_STATIC_CVV2_DISABLED, ERR_CVV_LOCKED, ERR_CARD_REF, ERR_STORE_UNAVAILABLE.
   */
  verifyCardCvv2(options: O.CardCvv2CheckOptions): Promise<boolean> {
    return this.#cards.verifyCardCode('verifyCardCvv2', options);
  }
  /**
   * The card's failed CVV2 attempts (AttemptCount). `card.verify`
   * @param cardRef 64 hex characters from cardRef (ERR_FORMAT otherwise).
   */
  getCvv2Attempts(cardRef: string): Promise<O.AttemptCount> {
    return this.#cards.attempts('getCvv2Attempts', cardRef);
  }
  /**
   * The current window's dynamic CVV2 under an E6 IMK: `{ code, window, validFrom, expiresAt }`. `card.generate`
   * @param options DynamicCvv2Options.
   */
  generateDynamicCvv2(options: O.DynamicCvv2Options): Dcvv2Code {
    return this.#data.generateDynamicCvv2Codes('generateDynamicCvv2', options, 1)[0]!;
  }
  /**
   * The codes of the current window and the next `count` - 1 (1-24 in all). `card.generate`
   * @param options DynamicCvv2CodesOptions.
   */
  generateDynamicCvv2Codes(options: O.DynamicCvv2CodesOptions): Dcvv2Code[] {
    return this.#data.generateDynamicCvv2Codes('generateDynamicCvv2Codes', options);
  }
  /**
   * A counted dynamic CVV2 check within the configured drift (counter 'dcvv2'); `drift` is the matched window minus the
   * current one. `card.verify`
   * @param options DynamicCvv2CheckOptions.
   * @throws ERR_DCVV2_LOCKED, ERR_CARD_REF, ERR_STORE_UNAVAILABLE.
   */
  verifyDynamicCvv2(
    options: O.DynamicCvv2CheckOptions,
  ): Promise<O.AttemptResult & { valid: boolean; drift: number | null }> {
    return this.#cards.verifyDynamicCvv2(options);
  }
  /**
   * From now on the card's static CVV2 is refused (ERR_STATIC_CVV2_DISABLED). `card.manage`
   * @param cardRef 64 hex characters from cardRef.
   */
  enableDynamicCvv2(cardRef: string): Promise<void> {
    return this.#cards.setDynamicCvv2('enableDynamicCvv2', cardRef);
  }
  /**
   * Returns the card to its static CVV2. `card.manage`
   * @param cardRef 64 hex characters from cardRef.
   */
  disableDynamicCvv2(cardRef: string): Promise<void> {
    return this.#cards.setDynamicCvv2('disableDynamicCvv2', cardRef);
  }

  // ---- PINs ----------------------------------------------------------------------------------------------------

  /**
   * A clear PIN (4-12 digits) encrypted under a P0 key: 8 bytes, 16 for format 4 (the only way a clear PIN enters).
   * `pin.clear`
   * @param options EncryptClearPinOptions.
   */
  encryptClearPin(options: O.EncryptClearPinOptions): Uint8Array {
    return this.#data.encryptClearPin(options);
  }
  /**
   * A PIN block re-encrypted from one P0 key and format to another in one kernel call. `pin.translate`
   * @param options TranslatePinOptions.
   * @throws ERR_PIN_TRANSLATION (to format 1 from a PAN-bound format), ERR_PINBLOCK_FORMAT, ERR_LENGTH.
   */
  translatePinBlock(options: O.TranslatePinOptions): Uint8Array {
    return this.#data.translatePinBlock(options);
  }
  /**
   * Sets a card's PIN from an encrypted block: policy checked, verification data stored, counter cleared. `pin.issue`
   * @param options SetPinOptions.
   * @throws ERR_PIN_POLICY (with `reason`), ERR_PINBLOCK_FORMAT, ERR_DECIMALIZATION_TABLE, ERR_CARD_REF.
   */
  setPin(options: O.SetPinOptions): Promise<void> {
    return this.#cards.setPin(options);
  }
  /**
   * A random policy-compliant PIN for a card, returned only encrypted; its verification data stored. `pin.issue`
   * @param options GeneratePinOptions.
   */
  generatePin(options: O.GeneratePinOptions): Promise<{ pinBlock: Uint8Array }> {
    return this.#cards.generatePin(options);
  }
  /**
   * Stores a migrated card's PVV (4 digits) or offset (4-12 digits) and clears its PIN counter. `pin.issue`
   * @param options RegisterPinVerificationOptions.
   */
  registerPinVerificationData(options: O.RegisterPinVerificationOptions): Promise<void> {
    return this.#cards.registerPinVerificationData(options);
  }
  /**
   * A counted PIN check against the card's stored verification data; a block that does not decode counts as a wrong
   * PIN. `pin.verify`
   * @param options VerifyPinOptions: the PIN block under `pinKey` or `dukpt`.
   * @throws ERR_PIN_LOCKED, ERR_NO_VERIFICATION_DATA, ERR_STORE_INTEGRITY, ERR_CARD_REF, ERR_STORE_UNAVAILABLE.
   */
  verifyPin(options: O.VerifyPinOptions): Promise<O.AttemptResult & { verified: boolean }> {
    return this.#cards.verifyPin(options);
  }
  /**
   * The card's invalid PIN attempts (AttemptCount). `pin.verify`
   * @param cardRef 64 hex characters from cardRef (ERR_FORMAT otherwise).
   */
  getPinAttempts(cardRef: string): Promise<O.AttemptCount> {
    return this.#cards.attempts('getPinAttempts', cardRef);
  }
  /**
   * A 10-digit activation code from the CSPRNG, stored only as a keyed hash. `card.manage`
   * @param options ActivationCodeOptions.
   */
  generateActivationCode(options: O.ActivationCodeOptions): Promise<string> {
    return this.#cards.generateActivationCode(options);
  }
  /**
   * Activates a card with its code and sets the chosen PIN in the same step. `pin.issue`
   * @param options ActivateCardOptions.
   * @throws ERR_ACTIVATION_CODE (`reason` USED, LOCKED or NONE), ERR_PIN_POLICY, ERR_CARD_REF.
   */
  activateCard(options: O.ActivateCardOptions): Promise<{ activated: boolean; attemptsRemaining?: number }> {
    return this.#cards.activateCard(options);
  }
  /**
   * CVV, CVV2, iCVV (and a PIN) for a client, each TDES-encrypted under its transport key as 16 hex digits. `pin.issue`
   * @param options SecurityValuesOptions.
   */
  exportSecurityValues(options: O.SecurityValuesOptions): O.SecurityValues {
    return this.#data.exportSecurityValues(options);
  }

  // ---- data keys and tokens --------------------------------------------------------------------------------------

  /**
   * Data under a D0 key (TDES or AES; ECB, or CBC with `iv`; no padding, whole blocks). `data.encrypt`
   * @param options DataOptions.
   * @throws ERR_LENGTH (data not whole blocks, an iv of the wrong length), ERR_TYPE (CBC without iv), ERR_FORMAT
   * (mode).
   */
  encryptData(options: O.DataOptions): Uint8Array {
    return this.#data.data('encryptData', options);
  }
  /**
   * Data decrypted under a D0 key (TDES or AES; ECB, or CBC with `iv`; whole blocks). `data.decrypt`
   * @param options DataOptions.
   * @throws ERR_LENGTH, ERR_FORMAT.
   */
  decryptData(options: O.DataOptions): Uint8Array {
    return this.#data.data('decryptData', options);
  }
  /**
   * A PAN's token under an AES D0 key (FF1, deterministic). `token.tokenize`
   * @param options TokenizeOptions.
   * @throws ERR_FORMAT (a PAN that does not pass Luhn where the token must not).
   */
  tokenizePan(options: O.TokenizeOptions): string {
    return this.#data.tokenizePan(options);
  }
  /**
   * The PAN behind a token. `token.detokenize`
   * @param options DetokenizeOptions.
   */
  detokenizePan(options: O.DetokenizeOptions): string {
    return this.#data.detokenizePan(options);
  }

  // ---- MACs, chip cards, terminals (DUKPT) ----------------------------------------------------------------------

  /**
   * A MAC under an M key (the algorithm by the key's usage: M0/M1 ISO 9797-1 alg. 1, M3 alg. 3, M5/M6 CMAC, M7 HMAC),
   * `length` bytes (default all). `mac.generate`
   * @param options MacOptions.
   */
  generateMac(options: O.MacOptions): Uint8Array {
    return this.#data.generateMac(options);
  }
  /**
   * True when `mac` (4 bytes or more) leads the message's MAC; constant time. `mac.verify`
   * @param options MacCheckOptions.
   * @throws ERR_LENGTH (a mac under 4 bytes or longer than the MAC).
   */
  verifyMac(options: O.MacCheckOptions): boolean {
    return this.#data.verifyMac(options);
  }
  /**
   * An online chip transaction's ARQC under an E0 IMK and a scheme profile; the ARPC only for a genuine one.
   * `emv.authorize`
   * @param options EmvArqcOptions.
   * @throws ERR_FORMAT (an unknown profile).
   */
  verifyEmvArqc(options: O.EmvArqcOptions): { valid: boolean; arpc?: Uint8Array } {
    return this.#emv.verifyEmvArqc(options);
  }
  /**
   * The MAC of an issuer script command under an E2 IMK. `emv.authorize`
   * @param options EmvScriptMacOptions.
   */
  generateEmvScriptMac(options: O.EmvScriptMacOptions): Uint8Array {
    return this.#emv.generateEmvScriptMac(options);
  }
  /**
   * A PIN change script command (command, PIN data, MAC) from the new PIN's encrypted block (E1, E2, and E0 for VIS
   * blocks). `emv.authorize`
   * @param options EmvPinChangeOptions.
   */
  generateEmvPinChange(options: O.EmvPinChangeOptions): PinChangeScript {
    return this.#emv.generateEmvPinChange(options);
  }
  /**
   * The ICC master keys of a card set, each exported under a KEK as a TR-31 block. `emv.perso`
   * @param options EmvPersoOptions.
   */
  exportEmvPersoKeys(options: O.EmvPersoOptions): O.EmvPersoCard[] {
    return this.#emv.exportEmvPersoKeys(options);
  }
  /**
   * A Visa dCVV (3 digits) under an E4 IMK. `card.generate`
   * @param options HsmDcvvOptions.
   */
  generateDcvv(options: O.HsmDcvvOptions): string {
    return this.#emv.generateDynamicCode('generateDcvv', options);
  }
  /**
   * A counted dCVV check (counter 'cvv'). `card.verify`
   * @param options CardDcvvCheckOptions.
   * @throws ERR_CVV_LOCKED, ERR_CARD_REF, ERR_STORE_UNAVAILABLE.
   */
  verifyCardDcvv(options: O.CardDcvvCheckOptions): Promise<boolean> {
    return this.#cards.verifyContactlessCode('verifyCardDcvv', options);
  }
  /**
   * A Mastercard CVC3 (5 digits) under an E4 IMK. `card.generate`
   * @param options HsmCvc3Options.
   */
  generateCvc3(options: O.HsmCvc3Options): string {
    return this.#emv.generateDynamicCode('generateCvc3', options);
  }
  /**
   * A counted CVC3 check (the card's 3 to 5 digits; counter 'cvv'). `card.verify`
   * @param options CardCvc3CheckOptions.
   * @throws ERR_CVV_LOCKED, ERR_CARD_REF, ERR_STORE_UNAVAILABLE.
   */
  verifyCardCvc3(options: O.CardCvc3CheckOptions): Promise<boolean> {
    return this.#cards.verifyContactlessCode('verifyCardCvc3', options);
  }
  /**
   * A PIN block from a DUKPT terminal translated to a P0 key or another DUKPT side, in one kernel call. `pin.translate`
   * @param options DukptTranslateOptions.
   */
  translateDukptPinBlock(options: O.DukptTranslateOptions): Uint8Array {
    return this.#dukpt.translateDukptPinBlock(options);
  }
  /**
   * A DUKPT MAC (request or response key; retail MAC, CMAC or HMAC). `mac.generate`
   * @param options HsmDukptMacOptions.
   */
  generateDukptMac(options: O.HsmDukptMacOptions): Uint8Array {
    return this.#dukpt.generateDukptMac(options);
  }
  /**
   * True when `mac` (4 bytes or more) leads the DUKPT MAC of `data`; constant time. `mac.verify`
   * @param options DukptMacCheckOptions.
   */
  verifyDukptMac(options: O.DukptMacCheckOptions): boolean {
    return this.#dukpt.verifyDukptMac(options);
  }
  /**
   * Data under a DUKPT data key (request or response; CBC with a zero IV by default, or ECB). `terminal.data`
   * @param options HsmDukptDataOptions.
   */
  encryptDukptData(options: O.HsmDukptDataOptions): Uint8Array {
    return this.#dukpt.data('encryptDukptData', options);
  }
  /**
   * Data decrypted under a DUKPT data key. `terminal.data`
   * @param options HsmDukptDataOptions.
   */
  decryptDukptData(options: O.HsmDukptDataOptions): Uint8Array {
    return this.#dukpt.data('decryptDukptData', options);
  }
  /**
   * A terminal's initial key (IPEK) from the BDK, as a B1 block under a KEK for injection. `keys.export`
   * @param options DukptExportOptions.
   */
  exportDukptInitialKey(options: O.DukptExportOptions): KeyResult {
    return this.#dukpt.exportDukptInitialKey(options);
  }

  // ---- issuance ------------------------------------------------------------------------------------------------

  /**
   * Mass issuance, streamed batch by batch: unique Luhn-valid PANs with codes, PIN block + PVV and token. `issue`
   * @param options IssueCardsOptions.
   * @throws ERR_RANGE_EXHAUSTED, ERR_PAN_RANGE_OVERLAP, ERR_IDEMPOTENCY, ERR_FORMAT.
   */
  issueCards(options: O.IssueCardsOptions): AsyncGenerator<IssuedCard, void> {
    return this.#issuer.issueCards(options);
  }
  /**
   * issueCards as finished JSON Lines or CSV: each batch's lines as ASCII bytes, written by the kernel (no card
   * object, no string): what `cardhsm issue` writes to its files. The bytes are the caller's to wipe. `issue`
   * @param options IssueCardLinesOptions.
   * @throws as issueCards; ERR_FORMAT for a `format` other than 'jsonl' or 'csv'.
   */
  issueCardLines(options: O.IssueCardLinesOptions): AsyncGenerator<Uint8Array, void> {
    return this.#issuer.issueCardLines(options);
  }
  /**
   * An instant card from a small lease (100 counters) this Hsm holds; with a PIN, its verification data is stored.
   * `issue`
   * @param options IssueOptions.
   * @throws ERR_RANGE_EXHAUSTED, ERR_PAN_RANGE_OVERLAP, ERR_FORMAT.
   */
  issueCard(options: O.IssueOptions): Promise<IssuedCard> {
    return this.#issuer.issueCard(options);
  }
  /**
   * A replacement card (new PAN for LOST/STOLEN; same PAN, new expiry otherwise). `issue`
   * @param options ReissueOptions.
   */
  reissueCard(options: O.ReissueOptions): Promise<IssuedCard> {
    return this.#issuer.reissueCard(options);
  }
  /**
   * PANs of a prefix and length leased so far (gaps included) and remaining. `issue`
   * @param options PanRangeOptions.
   */
  panCapacity(options: O.PanRangeOptions): Promise<{ issued: number; remaining: number }> {
    return this.#issuer.panCapacity(options);
  }
}

/** Option objects built by Hsm.fromLmkComponents (private to this module: a caller cannot mark its own). */
const fromComponents = new WeakSet<object>();
