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
  if (policy.back + policy.fwd > 2) throw new CardHsmError('ERR_FORMAT', '"dcvv2.back" + "dcvv2.fwd" must be at most 2', 'dcvv2.back');
  return policy;
}

/** The development switch: single-component keys, announced loudly. */
function development(value: unknown): boolean {
  if (value === undefined) return false;
  const d = checkOptions('development', value);
  if (d.allowSingleComponent !== true) throw new CardHsmError('ERR_FORMAT', '"development" expected { allowSingleComponent: true, warn? }', 'development');
  const warn = d.warn ?? console.error;
  if (typeof warn !== 'function') throw new CardHsmError('ERR_TYPE', '"development.warn" expected a function', 'development.warn');
  (warn as (m: string) => void)('*** cardhsm WARNING: this Hsm accepts single-component keys (development only): no dual control. ***');
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
  /** The LMK's public check value. */
  readonly lmkKcv: string;

  constructor(options: O.HsmOptions) {
    const o = checkOptions('options', options);
    this.#vault = new KeyVault(o.lmk);
    this.lmkKcv = this.#vault.kcv;
    this.#auth = authorization(o.activities);
    this.#fromComponents = fromComponents.has(o);
    const auditKey = hmacKey(this.#vault, 'auditKey', o.auditKey, 'cardhsm/audit/v1');
    registerAuditKey(this, auditKey);
    const run = operationRunner(this.#auth, o.audit === undefined ? undefined : auditWriter(o.audit as O.HsmOptions['audit'] & object, auditKey));
    const tables = new Set(checkArray('decimalizationTables', o.decimalizationTables ?? ['0123456789012345']).map((t, i) => checkDigits(`decimalizationTables[${i}]`, t, 16, 16)));
    const pinPolicy = (o.pinPolicy ?? {}) as PinPolicy;
    checkPinPolicy('1357', pinPolicy); // throws now if the policy itself is malformed
    const dcvv2 = dcvv2Policy(o.dcvv2);
    const store = o.store as Store | undefined;
    this.#control = new ControlPlane(this.#vault, run, development(o.development));
    this.#data = new DataPlane(this.#vault, run, dcvv2);
    this.#cards = new CardState(this.#vault, run, store, hmacKey(this.#vault, 'cardRefKey', o.cardRefKey, 'cardhsm/card-reference/v1'), {
      pinTryLimit: o.pinTryLimit === undefined ? 3 : checkInt('pinTryLimit', o.pinTryLimit, 1, 99),
      cardCodeTryLimit: o.cardCodeTryLimit === undefined ? 5 : checkInt('cardCodeTryLimit', o.cardCodeTryLimit, 1, 99),
      activationLimit: o.activationAttemptLimit === undefined ? 3 : checkInt('activationAttemptLimit', o.activationAttemptLimit, 1, 99),
      pinPolicy,
      tables,
      dcvv2,
    });
    this.#issuer = new Issuer(this.#vault, run, () => this.#cards.store(), this.#cards, pinPolicy);
    this.#emv = new EmvPlane(this.#vault, run);
    this.#dukpt = new DukptPlane(this.#vault, run);
  }

  /**
   * An Hsm whose LMK is formed here from 2-3 custodians' components (combineLmkComponents: distinct, not all
   * zero): no single person or caller holds it. The only kind of Hsm that rotateLmk accepts as its target.
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

  /** Never prints the LMK. */
  toString(): string {
    return `Hsm(lmkKcv=${this.lmkKcv}, profile=${this.#auth.profile})`;
  }
  toJSON(): { lmkKcv: string; profile: string } {
    return { lmkKcv: this.lmkKcv, profile: this.#auth.profile };
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  // ---- key management (control plane) -------------------------------------------------------------------------

  /** A new random key (DES keys with odd parity) as a key block under the LMK, with its KCV. `keys.generate` */
  generateKey(options: O.KeyAttributes): KeyResult {
    return this.#control.generateKey(options);
  }
  /** A key formed from 2-3 distinct clear components (dual control); refuses weak results. `keys.import` */
  importKeyComponents(options: O.ImportComponentsOptions): KeyResult {
    return this.#control.importKeyComponents(options);
  }
  /** A TR-31 block wrapped under a K0/K1 KEK, re-wrapped under the LMK (no stronger than its KEK). `keys.import` */
  importKey(options: O.KekTransferOptions): KeyResult {
    return this.#control.importKey(options);
  }
  /** An exportable key under a KEK (version B for TDES, D for AES) no weaker than the key. `keys.export` */
  exportKey(options: O.KekTransferOptions): KeyResult {
    return this.#control.exportKey(options);
  }
  /** A key block's attributes and KCV (authenticated first). `keys.describe` */
  describeKey(keyBlock: string): O.KeyDescription {
    return this.#control.describeKey(keyBlock);
  }
  /**
   * `keyBlocks` re-wrapped under the LMK of `target`, an Hsm made with Hsm.fromLmkComponents; every attribute —
   * exportability included — unchanged. `lmk.rotate`
   */
  rotateLmk(target: Hsm, keyBlocks: string[]): string[] {
    return this.#control.rotateLmk(target instanceof Hsm && target.#fromComponents ? target.#vault : undefined, keyBlocks);
  }

  // ---- card codes ----------------------------------------------------------------------------------------------

  /** The keyed reference of a card (HMAC-SHA-256 of the PAN, 64 hex characters) used in every stored record. `card.ref` */
  cardRef(pan: string): string {
    return this.#cards.cardRef(pan);
  }
  /** CVV with a C0 key. `card.generate` */
  generateCvv(options: O.CvvOptions): string {
    return this.#data.generateCvv('generateCvv', options);
  }
  /** CVV2 (service code 000). `card.generate` */
  generateCvv2(options: O.Cvv2Options): string {
    return this.#data.generateCvv('generateCvv2', options, '000');
  }
  /** iCVV (service code 999). `card.generate` */
  generateIcvv(options: O.Cvv2Options): string {
    return this.#data.generateCvv('generateIcvv', options, '999');
  }
  /** CVVs of many cards under one C0 key in one kernel pass. `card.generate` */
  generateCvvBatch(options: O.CvvBatchOptions): string[] {
    return this.#data.generateCvvBatch(options);
  }
  /** An uncounted CVV check: as revealing as generation (1,000 guesses), so with it. `card.generate` */
  verifyCvv(options: O.CvvCheckOptions): boolean {
    return this.#data.verifyCvv('verifyCvv', options);
  }
  /** An uncounted CVV2 check. `card.generate` */
  verifyCvv2(options: O.Cvv2CheckOptions): boolean {
    return this.#data.verifyCvv('verifyCvv2', options, '000');
  }
  /** An uncounted iCVV check. `card.generate` */
  verifyIcvv(options: O.Cvv2CheckOptions): boolean {
    return this.#data.verifyCvv('verifyIcvv', options, '999');
  }
  /** Uncounted CVV checks of many cards. `card.generate` */
  verifyCvvBatch(options: O.CvvBatchCheckOptions): boolean[] {
    return this.#data.verifyCvvBatch(options);
  }
  /** A counted check of a card's static CVV or iCVV (counter 'cvv', limit cardCodeTryLimit). `card.verify` */
  verifyCardCvv(options: O.CardCvvCheckOptions): Promise<boolean> {
    return this.#cards.verifyCardCode('verifyCardCvv', options);
  }
  /** A counted CVV2 check (counter 'cvv2'); refused once dynamic CVV2 is enabled. `card.verify` */
  verifyCardCvv2(options: O.CardCvv2CheckOptions): Promise<boolean> {
    return this.#cards.verifyCardCode('verifyCardCvv2', options);
  }
  /** The card's failed CVV2 attempts. `card.verify` */
  getCvv2Attempts(cardRef: string): Promise<O.AttemptCount> {
    return this.#cards.attempts('getCvv2Attempts', cardRef);
  }
  /** The current window's dynamic CVV2 under an E6 IMK. `card.generate` */
  generateDynamicCvv2(options: O.DynamicCvv2Options): Dcvv2Code {
    return this.#data.generateDynamicCvv2Codes('generateDynamicCvv2', options, 1)[0]!;
  }
  /** The next `count` windows' codes. `card.generate` */
  generateDynamicCvv2Codes(options: O.DynamicCvv2CodesOptions): Dcvv2Code[] {
    return this.#data.generateDynamicCvv2Codes('generateDynamicCvv2Codes', options);
  }
  /** A counted dynamic CVV2 check within the configured drift (counter 'dcvv2'). `card.verify` */
  verifyDynamicCvv2(options: O.DynamicCvv2CheckOptions): Promise<O.AttemptResult & { valid: boolean; drift: number | null }> {
    return this.#cards.verifyDynamicCvv2(options);
  }
  /** From now on the card's static CVV2 is refused. `card.manage` */
  enableDynamicCvv2(cardRef: string): Promise<void> {
    return this.#cards.setDynamicCvv2('enableDynamicCvv2', cardRef);
  }
  /** Returns the card to its static CVV2. `card.manage` */
  disableDynamicCvv2(cardRef: string): Promise<void> {
    return this.#cards.setDynamicCvv2('disableDynamicCvv2', cardRef);
  }

  // ---- PINs ----------------------------------------------------------------------------------------------------

  /** A clear PIN encrypted under a P0 key (the only way a clear PIN enters). `pin.clear` */
  encryptClearPin(options: O.EncryptClearPinOptions): Uint8Array {
    return this.#data.encryptClearPin(options);
  }
  /** A PIN block re-encrypted from one P0 key and format to another in one kernel call. `pin.translate` */
  translatePinBlock(options: O.TranslatePinOptions): Uint8Array {
    return this.#data.translatePinBlock(options);
  }
  /** Sets a card's PIN from an encrypted block: policy checked, verification data stored, counter cleared. `pin.issue` */
  setPin(options: O.SetPinOptions): Promise<void> {
    return this.#cards.setPin(options);
  }
  /** A random policy-compliant PIN for a card, returned only encrypted; its verification data stored. `pin.issue` */
  generatePin(options: O.GeneratePinOptions): Promise<{ pinBlock: Uint8Array }> {
    return this.#cards.generatePin(options);
  }
  /** Stores a migrated card's PVV or offset. `pin.issue` */
  registerPinVerificationData(options: O.RegisterPinVerificationOptions): Promise<void> {
    return this.#cards.registerPinVerificationData(options);
  }
  /** A counted PIN check against the card's stored verification data. `pin.verify` */
  verifyPin(options: O.VerifyPinOptions): Promise<O.AttemptResult & { verified: boolean }> {
    return this.#cards.verifyPin(options);
  }
  /** The card's invalid PIN attempts. `pin.verify` */
  getPinAttempts(cardRef: string): Promise<O.AttemptCount> {
    return this.#cards.attempts('getPinAttempts', cardRef);
  }
  /** A 10-digit activation code, stored only as a keyed hash. `card.manage` */
  generateActivationCode(options: O.ActivationCodeOptions): Promise<string> {
    return this.#cards.generateActivationCode(options);
  }
  /** Activates a card with its code and sets the chosen PIN in the same step. `pin.issue` */
  activateCard(options: O.ActivateCardOptions): Promise<{ activated: boolean; attemptsRemaining?: number }> {
    return this.#cards.activateCard(options);
  }
  /** CVV, CVV2, iCVV (and a PIN) for a client, under its TDES transport key. `pin.issue` */
  exportSecurityValues(options: O.SecurityValuesOptions): O.SecurityValues {
    return this.#data.exportSecurityValues(options);
  }

  // ---- data keys and tokens --------------------------------------------------------------------------------------

  /** Data under a D0 key (TDES or AES; ECB, or CBC with `iv`; no padding). `data.encrypt` */
  encryptData(options: O.DataOptions): Uint8Array {
    return this.#data.data('encryptData', options);
  }
  /** `data.decrypt` */
  decryptData(options: O.DataOptions): Uint8Array {
    return this.#data.data('decryptData', options);
  }
  /** A PAN's token under an AES D0 key. `token.tokenize` */
  tokenizePan(options: O.TokenizeOptions): string {
    return this.#data.tokenizePan(options);
  }
  /** The PAN behind a token. `token.detokenize` */
  detokenizePan(options: O.DetokenizeOptions): string {
    return this.#data.detokenizePan(options);
  }

  // ---- MACs, chip cards, terminals (DUKPT) ----------------------------------------------------------------------

  /** A MAC under an M key (the algorithm by the key's usage: M0/M1 ISO 9797-1 alg. 1, M3 alg. 3, M5/M6 CMAC, M7 HMAC). `mac.generate` */
  generateMac(options: O.MacOptions): Uint8Array {
    return this.#data.generateMac(options);
  }
  /** True when `mac` (4 bytes or more) leads the message's MAC; constant time. `mac.verify` */
  verifyMac(options: O.MacCheckOptions): boolean {
    return this.#data.verifyMac(options);
  }
  /** An online chip transaction's ARQC under an E0 IMK and a scheme profile; the ARPC for a genuine one. `emv.authorize` */
  verifyEmvArqc(options: O.EmvArqcOptions): { valid: boolean; arpc?: Uint8Array } {
    return this.#emv.verifyEmvArqc(options);
  }
  /** The MAC of an issuer script command under an E2 IMK. `emv.authorize` */
  generateEmvScriptMac(options: O.EmvScriptMacOptions): Uint8Array {
    return this.#emv.generateEmvScriptMac(options);
  }
  /** A PIN change script command from the new PIN's encrypted block (E1, E2, and E0 for VIS blocks). `emv.authorize` */
  generateEmvPinChange(options: O.EmvPinChangeOptions): PinChangeScript {
    return this.#emv.generateEmvPinChange(options);
  }
  /** The ICC master keys of a card set, each exported under a KEK as a TR-31 block. `emv.perso` */
  exportEmvPersoKeys(options: O.EmvPersoOptions): O.EmvPersoCard[] {
    return this.#emv.exportEmvPersoKeys(options);
  }
  /** A Visa dCVV under an E4 IMK. `card.generate` */
  generateDcvv(options: O.HsmDcvvOptions): string {
    return this.#emv.generateDynamicCode('generateDcvv', options);
  }
  /** A counted dCVV check (counter 'cvv'). `card.verify` */
  verifyCardDcvv(options: O.CardDcvvCheckOptions): Promise<boolean> {
    return this.#cards.verifyContactlessCode('verifyCardDcvv', options);
  }
  /** A Mastercard CVC3 (5 digits) under an E4 IMK. `card.generate` */
  generateCvc3(options: O.HsmCvc3Options): string {
    return this.#emv.generateDynamicCode('generateCvc3', options);
  }
  /** A counted CVC3 check (the card's 3 to 5 digits; counter 'cvv'). `card.verify` */
  verifyCardCvc3(options: O.CardCvc3CheckOptions): Promise<boolean> {
    return this.#cards.verifyContactlessCode('verifyCardCvc3', options);
  }
  /** A PIN block from a DUKPT terminal translated to a P0 key or another DUKPT side, in one kernel call. `pin.translate` */
  translateDukptPinBlock(options: O.DukptTranslateOptions): Uint8Array {
    return this.#dukpt.translateDukptPinBlock(options);
  }
  /** A DUKPT MAC (request or response key). `mac.generate` */
  generateDukptMac(options: O.HsmDukptMacOptions): Uint8Array {
    return this.#dukpt.generateDukptMac(options);
  }
  /** `mac.verify` */
  verifyDukptMac(options: O.DukptMacCheckOptions): boolean {
    return this.#dukpt.verifyDukptMac(options);
  }
  /** Data under a DUKPT data key. `terminal.data` */
  encryptDukptData(options: O.HsmDukptDataOptions): Uint8Array {
    return this.#dukpt.data('encryptDukptData', options);
  }
  /** `terminal.data` */
  decryptDukptData(options: O.HsmDukptDataOptions): Uint8Array {
    return this.#dukpt.data('decryptDukptData', options);
  }
  /** A terminal's initial key (IPEK) from the BDK, as a B1 block under a KEK for injection. `keys.export` */
  exportDukptInitialKey(options: O.DukptExportOptions): KeyResult {
    return this.#dukpt.exportDukptInitialKey(options);
  }

  // ---- issuance ------------------------------------------------------------------------------------------------

  /** Mass issuance, streamed: unique Luhn-valid PANs with codes, PIN block + PVV and token. `issue` */
  issueCards(options: O.IssueCardsOptions): AsyncGenerator<IssuedCard, void> {
    return this.#issuer.issueCards(options);
  }
  /** An instant card. `issue` */
  issueCard(options: O.IssueOptions): Promise<IssuedCard> {
    return this.#issuer.issueCard(options);
  }
  /** A replacement card (new PAN for LOST/STOLEN; same PAN, new expiry otherwise). `issue` */
  reissueCard(options: O.ReissueOptions): Promise<IssuedCard> {
    return this.#issuer.reissueCard(options);
  }
  /** PANs of a prefix and length leased so far and remaining. `issue` */
  panCapacity(options: O.PanRangeOptions): Promise<{ issued: number; remaining: number }> {
    return this.#issuer.panCapacity(options);
  }
}

/** Option objects built by Hsm.fromLmkComponents (private to this module: a caller cannot mark its own). */
const fromComponents = new WeakSet<object>();
