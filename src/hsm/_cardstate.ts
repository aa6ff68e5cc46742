// Card state over the store: the card's keyed reference, its PIN verification data, and every counted check —
// PIN, static CVV, static CVV2, dynamic CVV2 — each on a counter of its own that locks at its limit. Counters
// trust nobody: a verification reads the card's stored verification data (never a caller's PVV or offset), a PIN
// block that does not decode counts as a wrong PIN, and only PIN issuance (setPin, generatePin, activateCard,
// registerPinVerificationData) clears the PIN counter. Stored verification data carries an HMAC under the
// reference key, so data changed in the database outside the Hsm is refused.
import { nodeCrypto } from '../_node.js';
import { CardHsmError } from '../errors.js';
import { constantTimeEqualString } from '../_bytes.js';
import { checkBytes, checkDigits, checkOptions } from '../_validate.js';
import { checkPinPolicy, type PinPolicy } from '../pinpolicy.js';
import { generateRandomPin, pinPolicyError } from '../_pinpolicy.js';
import { generateCvv2, generateCvvBatch } from '../cvv.js';
import { verifyDynamicCvv2 } from '../dcvv2.js';
import { dcvv2Window } from '../_dcvv2.js';
import type { CounterKind, Store } from '../store/store.js';
import { checkPinBlockFormat } from '../_pinblock.js';
import {
  checkVerificationKey,
  decodePin,
  encryptPin,
  openPinKey,
  verificationData,
  verificationValue,
} from './_pins.js';
import { checkCardRefShape, dcvv2Options, type Dcvv2Policy } from './_dataplane.js';
import { withKeys, type KeyVault, type OpenKey } from './_vault.js';
import { openDukptSource } from './_dukpt.js';
import { decryptDukptPinBlock } from '../dukpt/pin.js';
import { dynamicCode } from './_emv.js';
import { verdict, withOptions, type OperationContext, type Run } from './_operation.js';
import type * as O from './options.js';

export interface CardStatePolicy {
  pinTryLimit: number;
  cardCodeTryLimit: number;
  activationLimit: number;
  pinPolicy: PinPolicy;
  tables: ReadonlySet<string>;
  dcvv2: Dcvv2Policy;
}

const VERIFICATION = 'pin.verification';

const locked = {
  pin: () =>
    new CardHsmError('ERR_PIN_LOCKED', 'the PIN is locked after too many failed attempts; set a new PIN', 'cardRef'),
  cvv: () =>
    new CardHsmError('ERR_CVV_LOCKED', "the card's static CVV is locked after too many failed attempts", 'cardRef'),
  cvv2: () => new CardHsmError('ERR_CVV_LOCKED', "the card's CVV2 is locked after too many failed attempts", 'cardRef'),
  dcvv2: () =>
    new CardHsmError(
      'ERR_DCVV2_LOCKED',
      'dynamic CVV2 is locked for this card after too many failed attempts',
      'cardRef',
    ),
} as const;

export class CardState {
  readonly #vault: KeyVault;
  readonly #run: Run;
  readonly #store: Store | undefined;
  readonly #refKey: Uint8Array;
  readonly #policy: CardStatePolicy;

  constructor(vault: KeyVault, run: Run, store: Store | undefined, refKey: Uint8Array, policy: CardStatePolicy) {
    this.#vault = vault;
    this.#run = run;
    this.#store = store;
    this.#refKey = refKey;
    this.#policy = policy;
  }

  // ---- references ------------------------------------------------------------------------------------------------

  /** HMAC-SHA-256 of the PAN under the reference key: 64 uppercase hex characters. */
  ref(pan: unknown): string {
    const p = checkDigits('pan', pan, 12, 19);
    return nodeCrypto().createHmac('sha256', this.#refKey).update(p).digest('hex').toUpperCase();
  }

  cardRef(pan: string): string {
    return this.#run('cardRef', undefined, () => this.ref(pan));
  }

  /** The card's reference, checked to belong to the PAN given with it. */
  #checkCardRef(cardRef: unknown, pan: string): string {
    if (typeof cardRef !== 'string') throw new CardHsmError('ERR_TYPE', '"cardRef" expected a string', 'cardRef');
    const expected = Buffer.from(this.ref(pan));
    if (cardRef.length !== expected.length || !nodeCrypto().timingSafeEqual(Buffer.from(cardRef), expected)) {
      throw new CardHsmError('ERR_CARD_REF', '"cardRef" is not the reference of this PAN', 'cardRef');
    }
    return cardRef;
  }

  /** PAN and reference of a card-addressed request. */
  #card(o: Record<string, unknown>): { pan: string; cardRef: string; store: Store } {
    const pan = checkDigits('pan', o.pan, 12, 19);
    return { pan, cardRef: this.#checkCardRef(o.cardRef, pan), store: this.store() };
  }

  store(): Store {
    if (!this.#store) throw new CardHsmError('ERR_STORE_UNAVAILABLE', 'this Hsm was created without a store', 'store');
    return this.#store;
  }

  #mac(text: string): string {
    return nodeCrypto().createHmac('sha256', this.#refKey).update(text).digest('hex');
  }

  // ---- PIN verification data ------------------------------------------------------------------------------------

  /**
   * Stores a card's verification data with its MAC and clears the PIN counter and lock. PIN issuance only: the
   * Hsm's pin.issue methods, and the Issuer for an instant card's PIN.
   */
  async storeVerification(cardRef: string, data: O.PinVerificationData): Promise<void> {
    const store = this.store();
    const json = JSON.stringify(data);
    await store.setSetting(cardRef, VERIFICATION, `${json}|${this.#mac(`${VERIFICATION}|${cardRef}|${json}`)}`);
    await store.resetAttempts('pin', cardRef);
  }

  async #loadVerification(store: Store, cardRef: string): Promise<O.PinVerificationData> {
    const stored = await store.getSetting(cardRef, VERIFICATION);
    if (stored === undefined)
      throw new CardHsmError(
        'ERR_NO_VERIFICATION_DATA',
        'no PIN verification data is stored for this card: set or register its PIN first',
        'cardRef',
      );
    const cut = stored.lastIndexOf('|');
    const json = stored.slice(0, cut);
    if (cut < 0 || !constantTimeEqualString(stored.slice(cut + 1), this.#mac(`${VERIFICATION}|${cardRef}|${json}`))) {
      throw new CardHsmError(
        'ERR_STORE_INTEGRITY',
        "the card's stored PIN verification data was changed outside the Hsm",
        'cardRef',
      );
    }
    return JSON.parse(json) as O.PinVerificationData;
  }

  #requirePolicy(pin: string): void {
    const result = checkPinPolicy(pin, this.#policy.pinPolicy);
    if (!result.ok) throw pinPolicyError(result.reason);
  }

  /** Decrypts a chosen PIN, checks the policy, and returns its verification data (never the PIN). */
  #chosenPin(ctx: OperationContext, o: Record<string, unknown>, pan: string): O.PinVerificationData {
    const method = checkVerificationKey(o.method, this.#policy.tables);
    const format = checkPinBlockFormat('format', o.format);
    const { key, block } = openPinKey(this.#vault, ctx, o.pinKey, o.pinBlock, format);
    const pin = withKeys([key], () => decodePin(key, block, pan, format));
    this.#requirePolicy(pin);
    return verificationData(this.#vault, method, pin, pan, 'generate');
  }

  async setPin(options: O.SetPinOptions): Promise<void> {
    return withOptions(this.#run, 'setPin', options, async (ctx, o) => {
      const { pan, cardRef } = this.#card(o);
      await this.storeVerification(cardRef, this.#chosenPin(ctx, o, pan));
    });
  }

  async generatePin(options: O.GeneratePinOptions): Promise<{ pinBlock: Uint8Array }> {
    return withOptions(this.#run, 'generatePin', options, async (ctx, o) => {
      const { pan, cardRef } = this.#card(o);
      const method = checkVerificationKey(o.method, this.#policy.tables);
      const format = checkPinBlockFormat('format', o.format ?? 0);
      const pin = generateRandomPin(o.length === undefined ? 4 : (o.length as number), this.#policy.pinPolicy);
      const pinBlock = encryptPin(this.#vault, ctx, o.pinKey, pin, pan, format);
      await this.storeVerification(cardRef, verificationData(this.#vault, method, pin, pan, 'generate'));
      return { pinBlock };
    });
  }

  async registerPinVerificationData(options: O.RegisterPinVerificationOptions): Promise<void> {
    return withOptions(this.#run, 'registerPinVerificationData', options, async (ctx, o) => {
      const { cardRef } = this.#card(o);
      const d = checkOptions('data', o.data);
      const method = checkVerificationKey(d, this.#policy.tables, 'data');
      // The key must be one that may verify this method; the value is checked for its shape.
      withKeys(
        [this.#vault.open('data.pvk', method.pvk, method.type === 'VISA_PVV' ? 'pvv.verify' : 'ibm3624.verify', ctx)],
        () => {},
      );
      const data: O.PinVerificationData =
        method.type === 'VISA_PVV'
          ? { ...method, pvv: checkDigits('data.pvv', d.pvv, 4, 4) }
          : { ...method, offset: checkDigits('data.offset', d.offset, 4, 12) };
      await this.storeVerification(cardRef, data);
    });
  }

  async verifyPin(options: O.VerifyPinOptions): Promise<O.AttemptResult & { verified: boolean }> {
    return withOptions(
      this.#run,
      'verifyPin',
      options,
      async (ctx, o) => {
        const { pan, cardRef, store } = this.#card(o);
        const format = checkPinBlockFormat('format', o.format);
        if ((await store.getAttempts('pin', cardRef)).locked) throw locked.pin();
        const data = await this.#loadVerification(store, cardRef);
        // The block's key is opened (and a caller's mistake — a wrong usage, a block of the wrong size — refused)
        // before anything is decrypted; then a block that does not decode is a wrong PIN, not a free answer.
        const decode = this.#pinDecoder(ctx, o, pan, format);
        const verified = withKeys([decode.key], () => {
          let pin: string;
          try {
            pin = decode.pin();
          } catch (e) {
            if (e instanceof CardHsmError && e.code === 'ERR_PINBLOCK_FORMAT') return false;
            throw e;
          }
          return constantTimeEqualString(
            verificationValue(verificationData(this.#vault, data, pin, pan, 'verify')),
            verificationValue(data),
          );
        });
        return { verified, ...(await this.#count(store, 'pin', cardRef, this.#policy.pinTryLimit, verified)) };
      },
      verdict,
    );
  }

  /** The key of a card's PIN block — a P0 key, or a terminal's DUKPT key — opened, and how to decode the block. */
  #pinDecoder(
    ctx: OperationContext,
    o: Record<string, unknown>,
    pan: string,
    format: O.PinBlockFormat,
  ): { key: OpenKey; pin: () => string } {
    if (o.dukpt === undefined) {
      const { key, block } = openPinKey(this.#vault, ctx, o.pinKey, o.pinBlock, format);
      return { key, pin: () => decodePin(key, block, pan, format) };
    }
    checkBytes('pinBlock', o.pinBlock, [format === 4 ? 16 : 8]);
    const { key, source } = openDukptSource(this.#vault, ctx, o.dukpt, 'dukpt');
    return {
      key,
      pin: () =>
        decryptDukptPinBlock({ ...source, format, pinBlock: o.pinBlock as Uint8Array, pan } as Parameters<
          typeof decryptDukptPinBlock
        >[0]),
    };
  }

  async attempts(method: 'getPinAttempts' | 'getCvv2Attempts', cardRef: string): Promise<O.AttemptCount> {
    return this.#run(method, undefined, async () => {
      const [kind, limit] =
        method === 'getPinAttempts'
          ? (['pin', this.#policy.pinTryLimit] as const)
          : (['cvv2', this.#policy.cardCodeTryLimit] as const);
      const s = await this.store().getAttempts(kind, checkCardRefShape(cardRef));
      return { failed: s.failed, remaining: s.locked ? 0 : Math.max(0, limit - s.failed), locked: s.locked };
    });
  }

  /**
   * Records a verification on the card's counter of `kind`: a success resets it, a failure counts (locking at
   * `limit`). Either applies only while the card is unlocked — a concurrent lock wins, and the lock is thrown.
   */
  async #count(store: Store, kind: CounterKind, cardRef: string, limit: number, ok: boolean): Promise<O.AttemptResult> {
    const lockError = locked[kind as keyof typeof locked];
    if (ok) {
      if (!(await store.recordSuccess(kind, cardRef)).applied) throw lockError();
      return { attemptsRemaining: limit, locked: false };
    }
    const after = await store.recordFailure(kind, cardRef, limit);
    if (!after.applied) throw lockError();
    return { attemptsRemaining: Math.max(0, limit - after.failed), locked: after.locked };
  }

  // ---- activation ------------------------------------------------------------------------------------------------

  #activationHash(cardRef: string, code: string): string {
    return this.#mac(`activation/${cardRef}/${code}`);
  }

  async generateActivationCode(options: O.ActivationCodeOptions): Promise<string> {
    return withOptions(this.#run, 'generateActivationCode', options, async (_ctx, o) => {
      const cardRef = checkCardRefShape(o.cardRef);
      const code = generateRandomPin(10, {
        minLength: 10,
        maxLength: 10,
        rejectRepeated: false,
        rejectSequences: false,
      });
      await this.store().putActivationCode(cardRef, this.#activationHash(cardRef, code));
      return code;
    });
  }

  async activateCard(options: O.ActivateCardOptions): Promise<{ activated: boolean; attemptsRemaining?: number }> {
    return withOptions(
      this.#run,
      'activateCard',
      options,
      async (ctx, o) => {
        const { pan, cardRef, store } = this.#card(o);
        const code = checkDigits('activationCode', o.activationCode, 10, 10);
        // The chosen PIN is checked before the code is spent, so a refused PIN does not burn the code.
        const data = this.#chosenPin(ctx, o, pan);
        const limit = this.#policy.activationLimit;
        const { result, attempts } = await store.consumeActivationCode(
          cardRef,
          this.#activationHash(cardRef, code),
          limit,
        );
        if (result === 'MISMATCH') return { activated: false, attemptsRemaining: Math.max(0, limit - attempts) };
        if (result !== 'ACTIVATED') {
          const why = {
            NONE: 'no activation code was issued for this card',
            USED: 'the activation code was already used',
            LOCKED: 'the activation code is locked after too many attempts',
          }[result];
          throw new CardHsmError('ERR_ACTIVATION_CODE', why, 'activationCode', result);
        }
        await this.storeVerification(cardRef, data);
        return { activated: true };
      },
      (r) => (r.activated ? 'success' : 'failure'),
    );
  }

  // ---- card codes: static CVV and CVV2, dynamic CVV2 -------------------------------------------------------------

  async setDynamicCvv2(method: 'enableDynamicCvv2' | 'disableDynamicCvv2', cardRef: string): Promise<void> {
    await this.#run(method, undefined, async () =>
      this.store().setSetting(
        checkCardRefShape(cardRef),
        'dcvv2',
        method === 'enableDynamicCvv2' ? 'enabled' : 'disabled',
      ),
    );
  }

  /** A counted check of a static code: CVV (with its service code) on the 'cvv' counter, CVV2 on 'cvv2'. */
  async verifyCardCode(method: 'verifyCardCvv' | 'verifyCardCvv2', options: unknown): Promise<boolean> {
    const kind = method === 'verifyCardCvv' ? 'cvv' : 'cvv2';
    return withOptions(
      this.#run,
      method,
      options,
      async (ctx, o) => {
        const { pan, cardRef, store } = this.#card(o);
        const cvv = checkDigits('cvv', o.cvv, 3, 3);
        const serviceCode = kind === 'cvv' ? checkDigits('serviceCode', o.serviceCode, 3, 3) : '000';
        const expiry = checkDigits('expiry', o.expiry, 4, 4);
        if (kind === 'cvv2' && (await store.getSetting(cardRef, 'dcvv2')) === 'enabled') {
          throw new CardHsmError(
            'ERR_STATIC_CVV2_DISABLED',
            'this card uses dynamic CVV2: the static CVV2 is no longer accepted',
            'cvv',
          );
        }
        if ((await store.getAttempts(kind, cardRef)).locked) throw locked[kind]();
        const cvk = this.#vault.open('cvk', o.cvk, 'cvv.verify', ctx);
        const expected = withKeys([cvk], () =>
          kind === 'cvv2'
            ? generateCvv2(cvk.key, pan, expiry)
            : generateCvvBatch(cvk.key, [{ pan, expiry, serviceCode }])[0]!,
        );
        const ok = constantTimeEqualString(expected, cvv);
        await this.#count(store, kind, cardRef, this.#policy.cardCodeTryLimit, ok);
        return ok;
      },
      verdict,
    );
  }

  /** A counted check of a contactless dynamic code (Visa dCVV, Mastercard CVC3) on the card's 'cvv' counter. */
  async verifyContactlessCode(method: 'verifyCardDcvv' | 'verifyCardCvc3', options: unknown): Promise<boolean> {
    return withOptions(
      this.#run,
      method,
      options,
      async (ctx, o) => {
        const { cardRef, store } = this.#card(o);
        const dcvv = method === 'verifyCardDcvv';
        const given = dcvv ? checkDigits('dcvv', o.dcvv, 3, 3) : checkDigits('cvc3', o.cvc3, 3, 5);
        if ((await store.getAttempts('cvv', cardRef)).locked) throw locked.cvv();
        const expected = dynamicCode(this.#vault, ctx, o, dcvv ? 'dcvv' : 'cvc3');
        // CVC3: the card sends the rightmost 3 to 5 digits, as its track data says.
        const ok = constantTimeEqualString(dcvv ? expected : expected.slice(-given.length), given);
        await this.#count(store, 'cvv', cardRef, this.#policy.cardCodeTryLimit, ok);
        return ok;
      },
      verdict,
    );
  }

  async verifyDynamicCvv2(
    options: O.DynamicCvv2CheckOptions,
  ): Promise<O.AttemptResult & { valid: boolean; drift: number | null }> {
    const policy = this.#policy.dcvv2;
    return withOptions(
      this.#run,
      'verifyDynamicCvv2',
      options,
      async (ctx, o) => {
        const { pan, cardRef, store } = this.#card(o);
        if ((await store.getAttempts('dcvv2', cardRef)).locked) throw locked.dcvv2();
        const imk = this.#vault.open('imk', o.imk, 'dcvv2.verify', ctx);
        // One reading of the clock for the check and for the watermark, so that both see the same window.
        const at = o.at === undefined ? Date.now() : o.at;
        const opts = dcvv2Options(policy, imk, at);
        const result = withKeys([imk], () =>
          verifyDynamicCvv2(imk.key, pan, o.psn as string, o.expiry as string, o.code as string, {
            ...opts,
            back: policy.back,
            fwd: policy.fwd,
          }),
        );
        let valid = result.valid;
        if (valid && policy.monotonic) {
          const window = dcvv2Window(new Date(at as Date | number).getTime(), opts.windowSeconds) + result.drift!;
          valid =
            (await store.raiseWatermark(cardRef, 'dcvv2.window', window)) ||
            (await store.getSetting(cardRef, 'dcvv2.window')) === String(window);
        }
        return {
          valid,
          drift: valid ? result.drift : null,
          ...(await this.#count(store, 'dcvv2', cardRef, policy.tryLimit, valid)),
        };
      },
      verdict,
    );
  }
}
