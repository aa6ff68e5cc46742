// The Hsm facade: what card services call. Keys never arrive or leave in the clear: every operational key is a
// TR-31 version D key block under the LMK, carrying its usage, and each operation checks that usage before any
// cryptography runs (usage.ts). Clear keys exist only inside a call and are zeroed before it returns. Every
// operation is audited (audit.ts).
import { CardHsmError } from '../errors.js';
import { bytesToHex, constantTimeEqualString, hexToBytes, randomBytes } from '../bytes.js';
import { checkArray, checkBytes, checkDigits, checkExpiryYymm, checkInt, checkOneOf, checkOptions } from '../validate.js';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { checkPinPolicy, generateRandomPin, pinPolicyError, type PinPolicy } from '../pinpolicy.js';
import type { CounterKind, Store } from '../store/store.js';
import { PanIssuer } from '../issue/pan.js';
import { issueInPool } from '../issue/pool.js';
import { availableParallelism } from 'node:os';
import { flatten } from '../issue/stream.js';
import { cardsAt, cardsFor, cardsFromText, cardTextAt, expiryAfter, type CardRecipe, type CardText, type IssuedCard } from '../issue/cards.js';
import { tokenizePan, detokenizePan, tokenPlan, type TokenOptions } from '../token.js';
import { dcvv2Window, generateDynamicCvv2Codes, verifyDynamicCvv2, type Dcvv2Code, type Dcvv2Profile } from '../dcvv2.js';
import { generateCvv2 } from '../cvv.js';
import { wrapTr31, unwrapTr31, wrapTr31With, unwrapTr31With, parseTr31Header, Tr31Kbpk, type Tr31Header } from '../tr31.js';
import { keyCheckValue } from '../keys/kcv.js';
import { fixDesParity, hasOddDesParity } from '../keys/parity.js';
import { checkDistinctComponents, checkNotWeak } from '../keys/weak.js';
import { LMK_BYTES, lmkCheckValue } from '../keys/lmk.js';
import { tdesEncryptEcb, tdesDecryptEcb, tdesEncryptCbc, tdesDecryptCbc } from '../des.js';
import { aesEncryptEcb, aesDecryptEcb, aesEncryptCbc, aesDecryptCbc } from '../aes.js';
import { generateCvvBatch, type CvvInput } from '../cvv.js';
import { generateVisaPvv } from '../pvv.js';
import { generateIbm3624Offset } from '../ibm3624.js';
import * as pinblock from '../pinblock.js';
import { requireUsage, type Purpose } from './usage.js';
import { maskPan, type AuditOutcome, type AuditSink } from './audit.js';

export type KeyAlgorithm = 'TDES2' | 'TDES3' | 'AES128' | 'AES192' | 'AES256' | 'HMAC256';
export type PinBlockFormat = 0 | 1 | 3 | 4;

const ALGORITHMS: Record<KeyAlgorithm, { letter: string; bytes: number; strength: number }> = {
  // strength: security bits per NIST SP 800-57 Part 1 Table 2, for the export rule (never wrap a key under a weaker KEK)
  TDES2: { letter: 'T', bytes: 16, strength: 80 },
  TDES3: { letter: 'T', bytes: 24, strength: 112 },
  AES128: { letter: 'A', bytes: 16, strength: 128 },
  AES192: { letter: 'A', bytes: 24, strength: 192 },
  AES256: { letter: 'A', bytes: 32, strength: 256 },
  HMAC256: { letter: 'H', bytes: 32, strength: 256 },
};
const ALGORITHM_NAMES = Object.keys(ALGORITHMS) as KeyAlgorithm[];

/** Default mode of use per key usage (X9.143): B for PIN, data and key-encryption keys, C for CVKs and PVKs. */
const DEFAULT_MODE: Record<string, string> = { P0: 'B', D0: 'B', K0: 'B', K1: 'B', C0: 'C', V1: 'C', V2: 'C', E6: 'X' };
const KEY_USAGES = ['B0', 'C0', 'D0', 'E0', 'E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'K0', 'K1', 'M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7', 'P0', 'V1', 'V2'] as const;

export interface HsmOptions {
  /** The AES-256 local master key (32 bytes). Copied; never printed. */
  lmk: Uint8Array;
  /** Receives one record per operation. An exception from the sink fails the operation (fail closed). */
  audit?: AuditSink;
  /** IBM 3624 decimalization tables the HSM accepts; default ['0123456789012345']. */
  decimalizationTables?: string[];
  /** Durable state (PIN attempts, activation codes, counters); required by the async, stateful methods. */
  store?: Store;
  /** Wrong PINs before a card locks; default 3. */
  pinTryLimit?: number;
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
}

/** What a card is issued with (see Hsm.issueCards). */
export interface IssueOptions {
  /** Issuer prefix (BIN/IIN), 6..11 digits. */
  bin: string;
  /** PAN length 13..19; default 16. */
  length?: number;
  /** YYMM; or monthsToExpiration from now (default 36 months when neither is given). */
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

export type ReissueReason = 'LOST' | 'STOLEN' | 'DAMAGED' | 'EXPIRED' | 'EMERGENCY';

/** How verifyPin checks a PIN. */
export type PinVerificationMethod =
  | { type: 'VISA_PVV'; pvk: string; pvki: string; pvv: string }
  | { type: 'IBM3624_OFFSET'; pvk: string; validationData: string; decimalizationTable: string; offset: string };

export interface KeyResult {
  keyBlock: string;
  kcv: string;
}

export interface KeyDescription {
  usage: string;
  algorithm: KeyAlgorithm;
  modeOfUse: string;
  keyVersion: string;
  exportability: string;
  kcv: string;
}

export interface KeyAttributes {
  usage: string;
  algorithm: KeyAlgorithm;
  modeOfUse?: string;
  exportability?: string;
  keyVersion?: string;
}

interface OpenKey {
  header: Tr31Header;
  key: Uint8Array;
  algorithm: KeyAlgorithm;
}

/** Audit fields an operation fills in as it learns them. */
interface AuditContext {
  keyKcv: string | null;
  usage: string | null;
}

/** The KCV reported for a key: ZEROS for TDES (X9.24-1), CMAC for AES and HMAC keys (X9.24-1:2017). */
function kcvOf(key: Uint8Array, algorithm: KeyAlgorithm): string {
  return keyCheckValue(key, { algorithm: algorithm.startsWith('TDES') ? 'TDES' : 'AES' });
}

function algorithmOf(header: Tr31Header, length: number): KeyAlgorithm {
  const name = ALGORITHM_NAMES.find((n) => ALGORITHMS[n].letter === header.algorithm && ALGORITHMS[n].bytes === length);
  if (!name) throw new CardHsmError('ERR_TR31_HEADER', `"keyBlock" holds an algorithm ${header.algorithm} key of ${length} bytes, which cardhsm does not use`, 'keyBlock');
  return name;
}

function checkKeyBlock(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new CardHsmError('ERR_TYPE', `"${field}" expected a key block string`, field);
  return value;
}

export class Hsm {
  readonly #lmk: Uint8Array;
  /** The LMK with its TR-31 version D keys derived once. */
  readonly #lmkKeys: Tr31Kbpk;
  readonly #audit: AuditSink | undefined;
  readonly #tables: ReadonlySet<string>;
  readonly #store: Store | undefined;
  readonly #pinTryLimit: number;
  readonly #activationLimit: number;
  readonly #pinPolicy: PinPolicy;
  readonly #refKey: Uint8Array;
  readonly #dcvv2: { windowSeconds: number; digits: 3 | 4; back: number; fwd: number; tryLimit: number; monotonic: boolean };
  /** Counter leases held for issueCard, per PAN range: handed out one by one, lost (as gaps) on a crash. */
  readonly #leases = new Map<string, { next: number; end: number }>();
  /** The LMK's public check value. */
  readonly lmkKcv: string;

  constructor(options: HsmOptions) {
    const o = checkOptions('options', options);
    this.#lmk = checkBytes('lmk', o.lmk, [LMK_BYTES]).slice();
    this.lmkKcv = lmkCheckValue(this.#lmk);
    this.#lmkKeys = new Tr31Kbpk(this.#lmk);
    this.#audit = o.audit as AuditSink | undefined;
    const tables = (o.decimalizationTables ?? ['0123456789012345']) as unknown[];
    this.#tables = new Set(checkArray('decimalizationTables', tables).map((t, i) => checkDigits(`decimalizationTables[${i}]`, t, 16, 16)));
    this.#store = o.store as Store | undefined;
    this.#pinTryLimit = o.pinTryLimit === undefined ? 3 : checkInt('pinTryLimit', o.pinTryLimit, 1, 99);
    this.#activationLimit = o.activationAttemptLimit === undefined ? 3 : checkInt('activationAttemptLimit', o.activationAttemptLimit, 1, 99);
    this.#pinPolicy = (o.pinPolicy ?? {}) as PinPolicy;
    checkPinPolicy('1357', this.#pinPolicy); // throws now if the policy itself is malformed
    this.#refKey = this.#referenceKey(o.cardRefKey);
    const d = checkOptions('dcvv2', o.dcvv2);
    this.#dcvv2 = {
      windowSeconds: d.windowSeconds === undefined ? 3600 : checkInt('dcvv2.windowSeconds', d.windowSeconds, 60, 64_800),
      digits: d.digits === undefined ? 3 : (checkInt('dcvv2.digits', d.digits, 3, 4) as 3 | 4),
      back: d.back === undefined ? 1 : checkInt('dcvv2.back', d.back, 0, 2),
      fwd: d.fwd === undefined ? 0 : checkInt('dcvv2.fwd', d.fwd, 0, 2),
      tryLimit: d.tryLimit === undefined ? 5 : checkInt('dcvv2.tryLimit', d.tryLimit, 1, 99),
      monotonic: d.monotonic === true,
    };
    if (this.#dcvv2.back + this.#dcvv2.fwd > 2) throw new CardHsmError('ERR_FORMAT', '"dcvv2.back" + "dcvv2.fwd" must be at most 2', 'dcvv2.back');
  }

  /** The HMAC key behind card references and activation-code hashes. */
  #referenceKey(block: unknown): Uint8Array {
    if (block === undefined) return createHmac('sha256', this.#lmk).update('cardhsm/card-reference/v1').digest();
    const k = this.#open(null, 'cardRefKey', block, null);
    if (k.header.usage !== 'M7' || k.algorithm !== 'HMAC256') {
      k.key.fill(0);
      throw new CardHsmError('ERR_KEY_USAGE', '"cardRefKey" expected an HMAC256 key of usage M7', 'cardRefKey');
    }
    return k.key;
  }

  /** Never prints the LMK. */
  toString(): string {
    return `Hsm(lmkKcv=${this.lmkKcv})`;
  }
  toJSON(): { lmkKcv: string } {
    return { lmkKcv: this.lmkKcv };
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  // -------------------------------------------------------------------------------------------------------------
  // Plumbing: audit, and keys in and out of LMK key blocks
  // -------------------------------------------------------------------------------------------------------------

  /** Writes one audit record; `error` is the exception when the operation threw. */
  #record(operation: string, pan: unknown, ctx: AuditContext, outcome: AuditOutcome, error?: unknown): void {
    const masked = maskPan(pan);
    this.#audit?.write({
      time: new Date().toISOString(),
      operation,
      keyKcv: ctx.keyKcv,
      usage: ctx.usage,
      ...(masked ? { pan: masked } : {}),
      outcome,
      ...(outcome === 'error' ? { errorCode: error instanceof CardHsmError ? error.code : 'ERR_INTERNAL' } : {}),
    });
  }

  /** Runs an operation (sync, or async when `body` returns a promise) and writes its audit record when it ends. */
  #run<T>(operation: string, pan: unknown, body: (ctx: AuditContext) => T, outcome: (result: Awaited<T>) => AuditOutcome = () => 'success'): T {
    const ctx: AuditContext = { keyKcv: null, usage: null };
    const fail = (e: unknown): never => {
      this.#record(operation, pan, ctx, 'error', e);
      throw e;
    };
    const done = (result: Awaited<T>): Awaited<T> => {
      this.#record(operation, pan, ctx, outcome(result));
      return result;
    };
    let result: T;
    try {
      result = body(ctx);
    } catch (e) {
      return fail(e);
    }
    return (result instanceof Promise ? result.then(done, fail) : done(result as Awaited<T>)) as T;
  }

  /** Unwraps an LMK key block, checks it may serve `purpose`, and notes it in the audit context. */
  #open(ctx: AuditContext | null, field: string, keyBlock: unknown, purpose: Purpose | null): OpenKey {
    const block = checkKeyBlock(field, keyBlock);
    const claimed = this.#lmkKeys.verified(block)?.header ?? parseTr31Header(block);
    if (claimed.version !== 'D') {
      throw new CardHsmError('ERR_TR31_HEADER', `"${field}" is not an LMK key block (version ${claimed.version}, expected D)`, field);
    }
    // Refuse a key of the wrong usage from its (not yet authenticated) header before running any cryptography;
    // a header altered to pass this check fails the MAC below.
    if (purpose) requireUsage(claimed, undefined, purpose, field);
    const { header, key } = unwrapTr31With(this.#lmkKeys, block);
    try {
      const algorithm = algorithmOf(header, key.length);
      // The KCV is for the audit record only: without a sink it would be a cipher operation for nothing.
      if (ctx && ctx.keyKcv === null && this.#audit) {
        ctx.keyKcv = kcvOf(key, algorithm);
        ctx.usage = header.usage;
      }
      if (purpose) requireUsage(header, key.length, purpose, field);
      return { header, key, algorithm };
    } catch (e) {
      key.fill(0);
      throw e;
    }
  }

  /** Runs `body` with clear keys and zeroes them afterwards, whatever happens. */
  #withKeys<T>(keys: OpenKey[], body: () => T): T {
    try {
      return body();
    } finally {
      for (const k of keys) k.key.fill(0);
    }
  }

  /** Wraps a clear key under the LMK (TR-31 version D) with the given attributes. */
  #seal(attributes: Pick<Tr31Header, 'usage' | 'modeOfUse' | 'keyVersion' | 'exportability'>, key: Uint8Array, algorithm: KeyAlgorithm, optionalBlocks: Tr31Header['optionalBlocks'] = []): KeyResult {
    const { usage, modeOfUse, keyVersion, exportability } = attributes;
    const header: Tr31Header = {
      version: 'D', length: 0, usage, algorithm: ALGORITHMS[algorithm].letter, modeOfUse, keyVersion, exportability,
      optionalBlocks: optionalBlocks.filter((b) => b.id !== 'PB'), reserved: '00',
    };
    return { keyBlock: wrapTr31With(this.#lmkKeys, header, key), kcv: kcvOf(key, algorithm) };
  }

  #attributes(o: Record<string, unknown>): { usage: string; algorithm: KeyAlgorithm; modeOfUse: string; exportability: string; keyVersion: string } {
    const usage = checkOneOf('usage', o.usage, KEY_USAGES);
    const algorithm = checkOneOf('algorithm', o.algorithm, ALGORITHM_NAMES);
    const modeOfUse = o.modeOfUse === undefined ? (DEFAULT_MODE[usage] ?? 'N') : checkOneOf('modeOfUse', o.modeOfUse, [...'BCDEGNSTVXY']);
    const exportability = o.exportability === undefined ? 'E' : checkOneOf('exportability', o.exportability, ['E', 'N', 'S']);
    const keyVersion = o.keyVersion === undefined ? '00' : (o.keyVersion as string);
    if (typeof keyVersion !== 'string' || !/^[0-9A-Za-z]{2}$/.test(keyVersion)) {
      throw new CardHsmError('ERR_FORMAT', '"keyVersion" expected 2 letters or digits', 'keyVersion');
    }
    return { usage, algorithm, modeOfUse, exportability, keyVersion };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Key lifecycle
  // -------------------------------------------------------------------------------------------------------------

  /** A new random key of `algorithm` (DES keys with odd parity), as a key block under the LMK with its KCV. */
  generateKey(options: KeyAttributes): KeyResult {
    return this.#run('generateKey', undefined, (ctx) => {
      const { algorithm, ...attributes } = this.#attributes(checkOptions('options', options));
      const key = randomBytes(ALGORITHMS[algorithm].bytes);
      const clear = algorithm.startsWith('TDES') ? fixDesParity(key) : key;
      if (clear !== key) key.fill(0); // the parity-fixed copy replaces the raw bytes
      try {
        const result = this.#seal(attributes, clear, algorithm);
        Object.assign(ctx, { keyKcv: result.kcv, usage: attributes.usage });
        return result;
      } finally {
        clear.fill(0);
      }
    });
  }

  /**
   * Forms a key from 2-3 clear components by XOR (dual control: each custodian holds one). A single component
   * only with `allowSingleComponent: true` (tests). DES components must have odd parity unless `fixParity`; the
   * combined DES key is given odd parity. When `kcv` is given, the result must match it.
   */
  importKeyComponents(options: KeyAttributes & { components: Uint8Array[]; kcv?: string; fixParity?: boolean; allowSingleComponent?: boolean }): KeyResult {
    return this.#run('importKeyComponents', undefined, (ctx) => {
      const o = checkOptions('options', options);
      const { algorithm, ...attributes } = this.#attributes(o);
      const bytes = ALGORITHMS[algorithm].bytes;
      const list = checkArray('components', o.components);
      const min = o.allowSingleComponent === true ? 1 : 2;
      if (list.length < min || list.length > 3) {
        throw new CardHsmError('ERR_LENGTH', `"components" expected ${min}..3 components, got length=${list.length}`, 'components');
      }
      const des = algorithm.startsWith('TDES');
      const key = new Uint8Array(bytes);
      try {
        const parts = list.map((c, i) => checkBytes(`components[${i}]`, c, [bytes]));
        checkDistinctComponents(des ? parts.map(fixDesParity) : parts);
        parts.forEach((part, i) => {
          if (des && o.fixParity !== true && !hasOddDesParity(part)) {
            throw new CardHsmError('ERR_KEY_PARITY', `"components[${i}]" does not have odd DES parity (pass fixParity: true to correct it)`, `components[${i}]`);
          }
          for (let j = 0; j < bytes; j++) key[j]! ^= part[j]!;
        });
        if (des) key.set(fixDesParity(key));
        checkNotWeak('components', key, des);
        const kcv = kcvOf(key, algorithm);
        if (o.kcv !== undefined && (typeof o.kcv !== 'string' || o.kcv.toUpperCase() !== kcv.slice(0, o.kcv.length) || o.kcv.length < 4)) {
          throw new CardHsmError('ERR_KCV_MISMATCH', '"kcv" does not match the check value of the combined components', 'kcv');
        }
        Object.assign(ctx, { keyKcv: kcv, usage: attributes.usage });
        return this.#seal(attributes, key, algorithm);
      } finally {
        key.fill(0);
      }
    });
  }

  /** Imports a TR-31 key block wrapped under a key-encryption key (`kek`: a K0/K1 block under the LMK). */
  importKey(options: { keyBlock: string; kek: string }): KeyResult {
    return this.#run('importKey', undefined, (ctx) => {
      const o = checkOptions('options', options);
      const kek = this.#open(null, 'kek', o.kek, 'kek.unwrap');
      return this.#withKeys([kek], () => {
        const block = checkKeyBlock('keyBlock', o.keyBlock);
        const expected = kek.algorithm.startsWith('TDES') ? 'ABC' : 'D';
        if (!expected.includes(block[0] ?? '')) {
          throw new CardHsmError('ERR_TR31_HEADER', `"keyBlock" version ${block[0] ?? ''} cannot be wrapped under a ${kek.algorithm} KEK`, 'keyBlock');
        }
        const { header, key } = unwrapTr31(kek.key, block);
        try {
          const algorithm = algorithmOf(header, key.length);
          Object.assign(ctx, { keyKcv: kcvOf(key, algorithm), usage: header.usage });
          // SP 800-57: a key is only as strong as the key that protected it in transit.
          if (ALGORITHMS[algorithm].strength > ALGORITHMS[kek.algorithm].strength) {
            throw new CardHsmError('ERR_KEY_USAGE', `"keyBlock" holds a ${algorithm} key, stronger than the ${kek.algorithm} KEK that wraps it (NIST SP 800-57)`, 'keyBlock');
          }
          checkNotWeak('keyBlock', key, algorithm.startsWith('TDES'));
          return this.#seal(header, key, algorithm, header.optionalBlocks);
        } finally {
          key.fill(0);
        }
      });
    });
  }

  /**
   * Exports a key under a key-encryption key (TR-31 version B for a TDES KEK, D for AES). Refuses a
   * non-exportable key (exportability N) and a key stronger than the KEK, with ERR_KEY_USAGE.
   */
  exportKey(options: { keyBlock: string; kek: string }): KeyResult {
    return this.#run('exportKey', undefined, (ctx) => {
      const o = checkOptions('options', options);
      const subject = this.#open(ctx, 'keyBlock', o.keyBlock, null);
      const keys = [subject];
      return this.#withKeys(keys, () => {
        if (subject.header.exportability === 'N') {
          throw new CardHsmError('ERR_KEY_USAGE', '"keyBlock" is non-exportable (exportability N)', 'keyBlock');
        }
        const kek = this.#open(null, 'kek', o.kek, 'kek.wrap');
        keys.push(kek);
        if (ALGORITHMS[subject.algorithm].strength > ALGORITHMS[kek.algorithm].strength) {
          throw new CardHsmError('ERR_KEY_USAGE', `"kek" (${kek.algorithm}) is weaker than the key it would protect (${subject.algorithm})`, 'kek');
        }
        const h = subject.header;
        const header: Tr31Header = { ...h, version: kek.algorithm.startsWith('TDES') ? 'B' : 'D', length: 0, optionalBlocks: h.optionalBlocks.filter((b) => b.id !== 'PB') };
        return { keyBlock: wrapTr31(kek.key, header, subject.key), kcv: kcvOf(subject.key, subject.algorithm) };
      });
    });
  }

  /** A key block's attributes and KCV (the block is authenticated first). */
  describeKey(keyBlock: string): KeyDescription {
    return this.#run('describeKey', undefined, (ctx) => {
      const k = this.#open(ctx, 'keyBlock', keyBlock, null);
      return this.#withKeys([k], () => {
        const { usage, modeOfUse, keyVersion, exportability } = k.header;
        return { usage, algorithm: k.algorithm, modeOfUse, keyVersion, exportability, kcv: kcvOf(k.key, k.algorithm) };
      });
    });
  }

  /**
   * Re-wraps `keyBlocks` from this Hsm's LMK to `newLmk`, attributes and KCVs unchanged. This Hsm keeps its LMK;
   * construct a new Hsm with `newLmk` to use the returned blocks. All blocks are checked before any is returned.
   */
  rotateLmk(newLmk: Uint8Array, keyBlocks: string[]): string[] {
    return this.#run('rotateLmk', undefined, (ctx) => {
      const target = checkBytes('newLmk', newLmk, [LMK_BYTES]);
      ctx.keyKcv = lmkCheckValue(target);
      return checkArray('keyBlocks', keyBlocks).map((block, i) => {
        const k = this.#open(null, `keyBlocks[${i}]`, block, null);
        return this.#withKeys([k], () => wrapTr31(target, { ...k.header, length: 0, optionalBlocks: k.header.optionalBlocks.filter((b) => b.id !== 'PB') }, k.key));
      });
    });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Card verification values (C0 keys)
  // -------------------------------------------------------------------------------------------------------------

  #cvvs(ctx: AuditContext, cvk: unknown, items: readonly CvvInput[], purpose: Purpose): string[] {
    const k = this.#open(ctx, 'cvk', cvk, purpose);
    return this.#withKeys([k], () => generateCvvBatch(k.key, items));
  }

  #cvv(operation: string, o: Record<string, unknown>, serviceCode: unknown, verify: boolean): string | boolean {
    const input = { pan: o.pan, expiry: o.expiry, serviceCode } as CvvInput;
    const expected = verify ? checkDigits('cvv', o.cvv, 3, 3) : '';
    return this.#run(
      operation,
      o.pan,
      (ctx) => {
        const [cvv] = this.#cvvs(ctx, o.cvk, [input], verify ? 'cvv.verify' : 'cvv.generate');
        return verify ? constantTimeEqualString(cvv!, expected) : cvv!;
      },
      (r) => (r === false ? 'failure' : 'success'),
    );
  }

  /** CVV (service code as given) with a C0 key. */
  generateCvv(options: { cvk: string; pan: string; expiry: string; serviceCode: string }): string {
    const o = checkOptions('options', options);
    return this.#cvv('generateCvv', o, o.serviceCode, false) as string;
  }
  verifyCvv(options: { cvk: string; pan: string; expiry: string; serviceCode: string; cvv: string }): boolean {
    const o = checkOptions('options', options);
    return this.#cvv('verifyCvv', o, o.serviceCode, true) as boolean;
  }
  /** CVV2: service code 000. */
  generateCvv2(options: { cvk: string; pan: string; expiry: string }): string {
    return this.#cvv('generateCvv2', checkOptions('options', options), '000', false) as string;
  }
  verifyCvv2(options: { cvk: string; pan: string; expiry: string; cvv: string }): boolean {
    return this.#cvv('verifyCvv2', checkOptions('options', options), '000', true) as boolean;
  }
  /** iCVV: service code 999. */
  generateIcvv(options: { cvk: string; pan: string; expiry: string }): string {
    return this.#cvv('generateIcvv', checkOptions('options', options), '999', false) as string;
  }
  verifyIcvv(options: { cvk: string; pan: string; expiry: string; cvv: string }): boolean {
    return this.#cvv('verifyIcvv', checkOptions('options', options), '999', true) as boolean;
  }

  /** CVVs of many cards under one C0 key, in one kernel pass (service code 000 = CVV2, 999 = iCVV). */
  generateCvvBatch(options: { cvk: string; items: CvvInput[] }): string[] {
    const o = checkOptions('options', options);
    return this.#run('generateCvvBatch', undefined, (ctx) => this.#cvvs(ctx, o.cvk, checkArray('items', o.items) as CvvInput[], 'cvv.generate'));
  }

  /** Verifies many CVVs under one C0 key; one boolean per item, compared in constant time. */
  verifyCvvBatch(options: { cvk: string; items: (CvvInput & { cvv: string })[] }): boolean[] {
    const o = checkOptions('options', options);
    const items = checkArray('items', o.items).map((item, i) => {
      const it = checkOptions(`items[${i}]`, item);
      return { ...(it as unknown as CvvInput), cvv: checkDigits(`items[${i}].cvv`, it.cvv, 3, 3) };
    });
    return this.#run('verifyCvvBatch', undefined, (ctx) =>
      this.#cvvs(ctx, o.cvk, items, 'cvv.verify').map((cvv, i) => constantTimeEqualString(cvv, items[i]!.cvv)),
    );
  }

  // -------------------------------------------------------------------------------------------------------------
  // PINs (P0 PIN keys; V1/V2 verification keys)
  // -------------------------------------------------------------------------------------------------------------

  /** Formats for PIN blocks in transit (format 2 is for IC cards offline, never encrypted under a PIN key). */
  #format(value: unknown, field = 'format'): PinBlockFormat {
    if (value === 0 || value === 1 || value === 3 || value === 4) return value;
    throw new CardHsmError('ERR_FORMAT', `"${field}" expected ISO 9564 format 0, 1, 3 or 4`, field);
  }

  /** Encrypts a clear PIN block under a P0 key: TDES ECB for formats 0/1/3, ISO 9564 format 4 encipherment for 4. */
  #encryptPin(ctx: AuditContext | null, pinKey: unknown, pin: string, pan: string, format: PinBlockFormat, field: string): Uint8Array {
    const k = this.#open(ctx, field, pinKey, 'pin.encrypt');
    return this.#withKeys([k], () => {
      this.#requirePinKeyAlgorithm(k, format, field);
      if (format === 4) return pinblock.encipherPinBlockIso4(k.key, pin, pan);
      const clear = format === 0 ? pinblock.encodePinBlockIso0(pin, pan) : format === 1 ? pinblock.encodePinBlockIso1(pin) : pinblock.encodePinBlockIso3(pin, pan);
      try {
        return tdesEncryptEcb(k.key, clear);
      } finally {
        clear.fill(0);
      }
    });
  }

  /** Decrypts and decodes an encrypted PIN block under a P0 key; the clear PIN never leaves the Hsm. */
  #decryptPin(ctx: AuditContext | null, pinKey: unknown, pinBlock: unknown, pan: string, format: PinBlockFormat, field: string): string {
    const k = this.#open(ctx, field, pinKey, 'pin.decrypt');
    return this.#withKeys([k], () => {
      this.#requirePinKeyAlgorithm(k, format, field);
      if (format === 4) return pinblock.decipherPinBlockIso4(k.key, checkBytes('pinBlock', pinBlock, [16]), pan);
      const clear = tdesDecryptEcb(k.key, checkBytes('pinBlock', pinBlock, [8]));
      try {
        if (format === 0) return pinblock.decodePinBlockIso0(clear, pan);
        if (format === 1) return pinblock.decodePinBlockIso1(clear);
        return pinblock.decodePinBlockIso3(clear, pan);
      } finally {
        clear.fill(0);
      }
    });
  }

  #requirePinKeyAlgorithm(k: OpenKey, format: PinBlockFormat, field: string): void {
    const want = format === 4 ? 'A' : 'T';
    if (k.header.algorithm !== want) {
      throw new CardHsmError('ERR_KEY_USAGE', `"${field}" is a ${k.algorithm} key; ISO 9564 format ${format} needs ${want === 'A' ? 'an AES' : 'a TDES'} PIN key`, field);
    }
  }

  /** The only entry point for a clear PIN (enrolment, tests): returns it encrypted under a P0 key. */
  encryptClearPin(options: { pinKey: string; pin: string; pan: string; format: PinBlockFormat }): Uint8Array {
    const o = checkOptions('options', options);
    return this.#run('encryptClearPin', o.pan, (ctx) => {
      const format = this.#format(o.format);
      return this.#encryptPin(ctx, o.pinKey, checkDigits('pin', o.pin, 4, 12), checkDigits('pan', o.pan, format === 4 ? 1 : 2, 19), format, 'pinKey');
    });
  }

  /**
   * Re-encrypts a PIN block from one P0 key and format to another. ISO 0, 3 or 4 -> ISO 1 is refused
   * (ERR_PIN_TRANSLATION): format 1 carries no PAN, so such a translation strips the PAN binding that stops
   * PIN-block attacks.
   */
  translatePinBlock(options: { pinBlock: Uint8Array; pan: string; from: { key: string; format: PinBlockFormat }; to: { key: string; format: PinBlockFormat } }): Uint8Array {
    const o = checkOptions('options', options);
    return this.#run('translatePinBlock', o.pan, (ctx) => {
      const from = checkOptions('from', o.from);
      const to = checkOptions('to', o.to);
      const fromFormat = this.#format(from.format, 'from.format');
      const toFormat = this.#format(to.format, 'to.format');
      if (toFormat === 1 && fromFormat !== 1) {
        throw new CardHsmError('ERR_PIN_TRANSLATION', `translation from ISO format ${fromFormat} to ISO format 1 is not allowed`, 'to.format');
      }
      const pan = checkDigits('pan', o.pan, 2, 19);
      // Both keys are opened and checked before the block is decrypted; then one kernel call translates it, and
      // the clear PIN never leaves WASM memory.
      const fromKey = this.#open(ctx, 'from.key', from.key, 'pin.decrypt');
      return this.#withKeys([fromKey], () => {
        this.#requirePinKeyAlgorithm(fromKey, fromFormat, 'from.key');
        const toKey = this.#open(null, 'to.key', to.key, 'pin.encrypt');
        return this.#withKeys([toKey], () => {
          this.#requirePinKeyAlgorithm(toKey, toFormat, 'to.key');
          return pinblock.translatePinBlock({ pinBlock: o.pinBlock as Uint8Array, pan, from: { key: fromKey.key, format: fromFormat }, to: { key: toKey.key, format: toFormat } });
        });
      });
    });
  }

  #pinAndKey(ctx: AuditContext, o: Record<string, unknown>, purpose: Purpose): { pin: string; pan: string; pvk: OpenKey } {
    const format = this.#format(o.format);
    const pan = checkDigits('pan', o.pan, 12, 19);
    const pin = this.#decryptPin(ctx, o.pinKey, o.pinBlock, pan, format, 'pinKey');
    return { pin, pan, pvk: this.#open(null, 'pvk', o.pvk, purpose) };
  }

  /** The Visa PVV of the PIN inside an encrypted PIN block, with a V2 key. */
  generateVisaPvv(options: { pinBlock: Uint8Array; pinKey: string; format: PinBlockFormat; pan: string; pvk: string; pvki: string }): string {
    const o = checkOptions('options', options);
    return this.#run('generateVisaPvv', o.pan, (ctx) => {
      const { pin, pan, pvk } = this.#pinAndKey(ctx, o, 'pvv.generate');
      return this.#withKeys([pvk], () => generateVisaPvv(pvk.key, pan, checkDigits('pvki', o.pvki, 1, 1), pin));
    });
  }

  /** True when the PIN inside the encrypted PIN block matches `pvv` (V2 key). */
  verifyPinVisaPvv(options: { pinBlock: Uint8Array; pinKey: string; format: PinBlockFormat; pan: string; pvk: string; pvki: string; pvv: string }): boolean {
    const o = checkOptions('options', options);
    const pvv = checkDigits('pvv', o.pvv, 4, 4);
    return this.#run(
      'verifyPinVisaPvv',
      o.pan,
      (ctx) => {
        const { pin, pan, pvk } = this.#pinAndKey(ctx, o, 'pvv.verify');
        return this.#withKeys([pvk], () => constantTimeEqualString(generateVisaPvv(pvk.key, pan, checkDigits('pvki', o.pvki, 1, 1), pin), pvv));
      },
      (ok) => (ok ? 'success' : 'failure'),
    );
  }

  #table(value: unknown): string {
    const table = checkDigits('decimalizationTable', value, 16, 16);
    if (!this.#tables.has(table)) {
      throw new CardHsmError('ERR_DECIMALIZATION_TABLE', '"decimalizationTable" is not one of the tables this Hsm is configured to accept', 'decimalizationTable');
    }
    return table;
  }

  #offset(o: Record<string, unknown>, ctx: AuditContext, purpose: Purpose): string {
    const table = this.#table(o.decimalizationTable);
    const { pin, pvk } = this.#pinAndKey(ctx, o, purpose);
    return this.#withKeys([pvk], () => generateIbm3624Offset(pvk.key, o.validationData as string, table, pin));
  }

  /** The IBM 3624 offset of the PIN inside an encrypted PIN block, with a V1 key and a configured table. */
  generateIbm3624Offset(options: { pinBlock: Uint8Array; pinKey: string; format: PinBlockFormat; pan: string; pvk: string; validationData: string; decimalizationTable: string }): string {
    const o = checkOptions('options', options);
    return this.#run('generateIbm3624Offset', o.pan, (ctx) => this.#offset(o, ctx, 'ibm3624.generate'));
  }

  /** True when the PIN inside the encrypted PIN block matches `offset` (V1 key). */
  verifyPinIbm3624Offset(options: { pinBlock: Uint8Array; pinKey: string; format: PinBlockFormat; pan: string; pvk: string; validationData: string; decimalizationTable: string; offset: string }): boolean {
    const o = checkOptions('options', options);
    const offset = checkDigits('offset', o.offset, 4, 12);
    return this.#run(
      'verifyPinIbm3624Offset',
      o.pan,
      (ctx) => constantTimeEqualString(this.#offset(o, ctx, 'ibm3624.verify'), offset),
      (ok) => (ok ? 'success' : 'failure'),
    );
  }

  // -------------------------------------------------------------------------------------------------------------
  // Data keys (D0) and security values for a client
  // -------------------------------------------------------------------------------------------------------------

  #data(operation: string, options: unknown, decrypt: boolean): Uint8Array {
    const o = checkOptions('options', options);
    return this.#run(operation, undefined, (ctx) => {
      const k = this.#open(ctx, 'key', o.key, decrypt ? 'data.decrypt' : 'data.encrypt');
      return this.#withKeys([k], () => {
        const mode = checkOneOf('mode', o.mode, ['ECB', 'CBC'] as const);
        const data = o.data as Uint8Array;
        const aes = k.header.algorithm === 'A';
        if (mode === 'ECB') return aes ? (decrypt ? aesDecryptEcb : aesEncryptEcb)(k.key, data) : (decrypt ? tdesDecryptEcb : tdesEncryptEcb)(k.key, data);
        const iv = checkBytes('iv', o.iv, [aes ? 16 : 8]);
        return aes ? (decrypt ? aesDecryptCbc : aesEncryptCbc)(k.key, data, iv) : (decrypt ? tdesDecryptCbc : tdesEncryptCbc)(k.key, data, iv);
      });
    });
  }

  /** Encrypts data under a D0 key (TDES or AES; ECB or CBC with `iv`; no padding). */
  encryptData(options: { key: string; data: Uint8Array; mode: 'ECB' | 'CBC'; iv?: Uint8Array }): Uint8Array {
    return this.#data('encryptData', options, false);
  }

  /** Decrypts data under a D0 key. */
  decryptData(options: { key: string; data: Uint8Array; mode: 'ECB' | 'CBC'; iv?: Uint8Array }): Uint8Array {
    return this.#data('decryptData', options, true);
  }

  /**
   * A card's security values for a client ("Consultar Valores de Seguridad"), each encrypted under the client's
   * TDES transport key (a D0 key): CVV, CVV2 and iCVV right-padded with F to 16 hex digits and TDES-ECB
   * encrypted, as uppercase hex; the PIN (when `pinBlock` and `pinKey` are given) as an ISO 0 PIN block under
   * the transport key. The client decrypts with `openssl enc -d -des-ede -nopad -K <transport key>`.
   */
  exportSecurityValues(options: { cvk: string; pan: string; expiry: string; serviceCode: string; transportKey: string; pinBlock?: Uint8Array; pinKey?: string; format?: PinBlockFormat }): {
    cvv: string;
    cvv2: string;
    icvv: string;
    pin?: string;
    transportKcv: string;
  } {
    const o = checkOptions('options', options);
    return this.#run('exportSecurityValues', o.pan, (ctx) => {
      const pan = checkDigits('pan', o.pan, 12, 19);
      const expiry = o.expiry as string;
      const cards = [o.serviceCode as string, '000', '999'].map((serviceCode) => ({ pan, expiry, serviceCode }));
      const [cvv, cvv2, icvv] = this.#cvvs(ctx, o.cvk, cards, 'cvv.generate');
      const pin = o.pinBlock === undefined ? undefined : this.#decryptPin(null, o.pinKey, o.pinBlock, pan, this.#format(o.format ?? 0), 'pinKey');
      const transport = this.#open(null, 'transportKey', o.transportKey, 'transport.encrypt');
      return this.#withKeys([transport], () => {
        const seal = (digits: string) => bytesToHex(tdesEncryptEcb(transport.key, hexToBytes(digits.padEnd(16, 'F'))));
        const result = { cvv: seal(cvv!), cvv2: seal(cvv2!), icvv: seal(icvv!), transportKcv: kcvOf(transport.key, transport.algorithm) };
        if (pin === undefined) return result;
        const block = pinblock.encodePinBlockIso0(pin, pan);
        try {
          return { ...result, pin: bytesToHex(tdesEncryptEcb(transport.key, block)) };
        } finally {
          block.fill(0);
        }
      });
    });
  }
  // -------------------------------------------------------------------------------------------------------------
  // PIN lifecycle with durable state: card references, PIN selection, verification with a try counter, activation
  // -------------------------------------------------------------------------------------------------------------

  /**
   * The keyed reference of a card (HMAC-SHA-256 of the PAN, 64 hex characters) used instead of the PAN in every
   * stored record.
   */
  cardRef(pan: string): string {
    const p = checkDigits('pan', pan, 12, 19);
    return createHmac('sha256', this.#refKey).update(p).digest('hex').toUpperCase();
  }

  #checkCardRef(cardRef: unknown, pan: string): string {
    if (typeof cardRef !== 'string') throw new CardHsmError('ERR_TYPE', '"cardRef" expected a string', 'cardRef');
    const expected = Buffer.from(this.cardRef(pan));
    if (cardRef.length !== expected.length || !timingSafeEqual(Buffer.from(cardRef), expected)) {
      throw new CardHsmError('ERR_CARD_REF', '"cardRef" is not the reference of this PAN', 'cardRef');
    }
    return cardRef;
  }

  #requireStore(): Store {
    if (!this.#store) throw new CardHsmError('ERR_STORE_UNAVAILABLE', 'this Hsm was created without a store', 'store');
    return this.#store;
  }

  /** Refuses a PIN the policy forbids (ERR_PIN_POLICY with the reason; the PIN never appears). */
  #requirePolicy(pin: string): void {
    const verdict = checkPinPolicy(pin, this.#pinPolicy);
    if (!verdict.ok) throw pinPolicyError(verdict.reason);
  }

  /**
   * A random PIN that satisfies the policy, drawn uniformly from the PINs it allows, returned only encrypted under
   * `pinKey` — with its Visa PVV when a V2 `pvk` and `pvki` are given. The clear PIN never leaves.
   */
  generatePin(options: { pinKey: string; pan: string; length?: number; format?: PinBlockFormat; pvk?: string; pvki?: string }): { pinBlock: Uint8Array; pvv?: string } {
    const o = checkOptions('options', options);
    return this.#run('generatePin', o.pan, (ctx) => {
      const format = this.#format(o.format ?? 0);
      const pan = checkDigits('pan', o.pan, 12, 19);
      const pin = generateRandomPin(o.length === undefined ? 4 : (o.length as number), this.#pinPolicy);
      const pinBlock = this.#encryptPin(ctx, o.pinKey, pin, pan, format, 'pinKey');
      if (o.pvk === undefined) return { pinBlock };
      return { pinBlock, ...(this.#pinValue({ pvk: o.pvk, pvki: o.pvki }, pin, pan) as { pvv: string }) };
    });
  }

  /** The verification value of a chosen PIN: Visa PVV with a V2 key, or IBM 3624 offset with a V1 key and table. */
  #pinValue(o: Record<string, unknown>, pin: string, pan: string): { pvv: string } | { offset: string } {
    if (o.validationData === undefined) {
      const pvk = this.#open(null, 'pvk', o.pvk, 'pvv.generate');
      return this.#withKeys([pvk], () => ({ pvv: generateVisaPvv(pvk.key, pan, checkDigits('pvki', o.pvki, 1, 1), pin) }));
    }
    const table = this.#table(o.decimalizationTable);
    const pvk = this.#open(null, 'pvk', o.pvk, 'ibm3624.generate');
    return this.#withKeys([pvk], () => ({ offset: generateIbm3624Offset(pvk.key, o.validationData as string, table, pin) }));
  }

  /**
   * Sets a card's PIN from an encrypted PIN block: checks the policy, returns the value to store — `{ pvv }`
   * (V2 key and `pvki`) or `{ offset }` (V1 key with `validationData` and `decimalizationTable`) — and clears the
   * card's failed attempts and lock.
   */
  async setPin(options: { cardRef: string; pinBlock: Uint8Array; pinKey: string; format: PinBlockFormat; pan: string; pvk: string; pvki?: string; validationData?: string; decimalizationTable?: string }): Promise<{ pvv: string } | { offset: string }> {
    const o = checkOptions('options', options);
    return this.#run('setPin', o.pan, async (ctx) => {
      const pan = checkDigits('pan', o.pan, 12, 19);
      const cardRef = this.#checkCardRef(o.cardRef, pan);
      const store = this.#requireStore();
      const pin = this.#decryptPin(ctx, o.pinKey, o.pinBlock, pan, this.#format(o.format), 'pinKey');
      this.#requirePolicy(pin);
      const value = this.#pinValue(o, pin, pan);
      await store.resetAttempts('pin', cardRef);
      return value;
    });
  }

  /** True when the PIN matches the card's stored PVV or offset (the comparison is constant-time). */
  #pinMatches(method: unknown, pin: string, pan: string): boolean {
    const m = checkOptions('method', method);
    const type = checkOneOf('method.type', m.type, ['VISA_PVV', 'IBM3624_OFFSET'] as const);
    if (type === 'VISA_PVV') {
      const expected = checkDigits('method.pvv', m.pvv, 4, 4);
      const pvk = this.#open(null, 'method.pvk', m.pvk, 'pvv.verify');
      return this.#withKeys([pvk], () => constantTimeEqualString(generateVisaPvv(pvk.key, pan, checkDigits('method.pvki', m.pvki, 1, 1), pin), expected));
    }
    const offset = checkDigits('method.offset', m.offset, 4, 12);
    const table = this.#table(m.decimalizationTable);
    const pvk = this.#open(null, 'method.pvk', m.pvk, 'ibm3624.verify');
    return this.#withKeys([pvk], () => constantTimeEqualString(generateIbm3624Offset(pvk.key, m.validationData as string, table, pin), offset));
  }

  /**
   * Verifies the PIN in an encrypted PIN block against the card's PVV or offset, counting attempts in the store:
   * a failure increments the card's counter atomically and locks it at the try limit; a success resets it. A
   * locked card throws ERR_PIN_LOCKED, even for the right PIN, until setPin. If the store cannot record the
   * attempt, ERR_STORE_UNAVAILABLE — never "verified".
   */
  async verifyPin(options: { cardRef: string; pinBlock: Uint8Array; pinKey: string; format: PinBlockFormat; pan: string; method: PinVerificationMethod }): Promise<{ verified: boolean; attemptsRemaining: number; locked: boolean }> {
    const o = checkOptions('options', options);
    return this.#run(
      'verifyPin',
      o.pan,
      async (ctx) => {
        const pan = checkDigits('pan', o.pan, 12, 19);
        const cardRef = this.#checkCardRef(o.cardRef, pan);
        const store = this.#requireStore();
        if ((await store.getAttempts('pin', cardRef)).locked) throw pinLocked();
        const pin = this.#decryptPin(ctx, o.pinKey, o.pinBlock, pan, this.#format(o.format), 'pinKey');
        const verified = this.#pinMatches(o.method, pin, pan);
        return { verified, ...(await countAttempt(store, 'pin', cardRef, this.#pinTryLimit, verified, pinLocked)) };
      },
      (r) => (r.verified ? 'success' : 'failure'),
    );
  }

  /** The card's invalid PIN attempts (seed "Consultar Número de Intentos de PIN No Válidos"). */
  async getPinAttempts(cardRef: string): Promise<{ failed: number; remaining: number; locked: boolean }> {
    return this.#run('getPinAttempts', undefined, async () => {
      const s = await this.#requireStore().getAttempts('pin', checkCardRefShape(cardRef));
      return { failed: s.failed, remaining: s.locked ? 0 : Math.max(0, this.#pinTryLimit - s.failed), locked: s.locked };
    });
  }

  #activationHash(cardRef: string, code: string): string {
    return createHmac('sha256', this.#refKey).update(`activation/${cardRef}/${code}`).digest('hex');
  }

  /** A 10-digit activation code from the CSPRNG; stored only as a keyed hash, single use, attempt-limited. */
  async generateActivationCode(options: { cardRef: string }): Promise<string> {
    const o = checkOptions('options', options);
    return this.#run('generateActivationCode', undefined, async () => {
      const cardRef = checkCardRefShape(o.cardRef);
      const code = generateRandomPin(10, { minLength: 10, maxLength: 10, rejectRepeated: false, rejectSequences: false });
      await this.#requireStore().putActivationCode(cardRef, this.#activationHash(cardRef, code));
      return code;
    });
  }

  /**
   * Activates a card with its activation code and sets the cardholder's chosen PIN (policy enforced) in the same
   * step: `{ activated: true, pvv }`; a wrong code gives `{ activated: false, attemptsRemaining }`; a code that is
   * missing, used or locked throws ERR_ACTIVATION_CODE.
   */
  async activateCard(options: { cardRef: string; activationCode: string; pinBlock: Uint8Array; pinKey: string; format: PinBlockFormat; pan: string; pvk: string; pvki: string }): Promise<{ activated: boolean; pvv?: string; attemptsRemaining?: number }> {
    const o = checkOptions('options', options);
    return this.#run(
      'activateCard',
      o.pan,
      async (ctx) => {
        const pan = checkDigits('pan', o.pan, 12, 19);
        const cardRef = this.#checkCardRef(o.cardRef, pan);
        const code = checkDigits('activationCode', o.activationCode, 10, 10);
        const store = this.#requireStore();
        // The chosen PIN is checked before the code is spent, so a refused PIN does not burn the code.
        const pin = this.#decryptPin(ctx, o.pinKey, o.pinBlock, pan, this.#format(o.format), 'pinKey');
        this.#requirePolicy(pin);
        const value = this.#pinValue({ pvk: o.pvk, pvki: o.pvki }, pin, pan) as { pvv: string };
        const { result, attempts } = await store.consumeActivationCode(cardRef, this.#activationHash(cardRef, code), this.#activationLimit);
        if (result === 'MISMATCH') return { activated: false, attemptsRemaining: Math.max(0, this.#activationLimit - attempts) };
        if (result !== 'ACTIVATED') {
          const why = { NONE: 'no activation code was issued for this card', USED: 'the activation code was already used', LOCKED: 'the activation code is locked after too many attempts' }[result];
          throw new CardHsmError('ERR_ACTIVATION_CODE', why, 'activationCode', result);
        }
        await store.resetAttempts('pin', cardRef);
        return { activated: true, pvv: value.pvv };
      },
      (r) => (r.activated ? 'success' : 'failure'),
    );
  }

  // -------------------------------------------------------------------------------------------------------------
  // Card issuance: unique PANs, security values, PINs and tokens (store-backed, async)
  // -------------------------------------------------------------------------------------------------------------

  /**
   * Opens the keys of an issuance and resolves its settings. `kcvs()` gives the keys' KCVs by field, in the order
   * they were opened (for idempotency digests); `release()` zeroes the keys and wipes the issuer, which the caller
   * must do when done.
   */
  #recipe(o: Record<string, unknown>, ctx: AuditContext | null, now: Date): { recipe: CardRecipe; panKey: Uint8Array; panKeyKcv: string; kcvs: () => Record<string, string>; release: () => void } {
    const keys: OpenKey[] = [];
    const fields: string[] = [];
    let issuer: PanIssuer | undefined;
    const open = (field: string, purpose: Purpose) => {
      const k = this.#open(keys.length === 0 ? ctx : null, field, o[field], purpose);
      keys.push(k);
      fields.push(field);
      return k;
    };
    const release = () => {
      for (const k of keys) k.key.fill(0);
      issuer?.wipe();
    };
    try {
      const bin = checkDigits('bin', o.bin, 6, 11);
      const length = o.length === undefined ? 16 : checkInt('length', o.length, 13, 19);
      if (o.expiry !== undefined && o.monthsToExpiration !== undefined) {
        throw new CardHsmError('ERR_FORMAT', 'give "expiry" or "monthsToExpiration", not both', 'expiry');
      }
      const expiry = o.expiry !== undefined ? checkExpiryYymm('expiry', o.expiry) : expiryAfter(o.monthsToExpiration === undefined ? 36 : checkInt('monthsToExpiration', o.monthsToExpiration, 1, 240), now);
      const serviceCode = o.serviceCode === undefined ? '101' : checkDigits('serviceCode', o.serviceCode, 3, 3);
      const cvk = open('cvk', 'cvv.generate');
      const panKey = open('panKey', 'pan.permute');
      issuer = new PanIssuer({ key: panKey.key, bin, length });
      const recipe: CardRecipe = { issuer, cvk: cvk.key, expiry, serviceCode };
      if ((o.pinKey === undefined) !== (o.pvk === undefined)) {
        throw new CardHsmError('ERR_FORMAT', 'give both "pinKey" and "pvk" (a PIN needs its PVV), or neither', o.pinKey === undefined ? 'pinKey' : 'pvk');
      }
      if (o.pinKey !== undefined) {
        const pinKey = open('pinKey', 'pin.encrypt');
        const pvk = open('pvk', 'pvv.generate');
        const pinLength = o.pinLength === undefined ? 4 : checkInt('pinLength', o.pinLength, 4, 12);
        recipe.pin = { pinKey: pinKey.key, aes: pinKey.header.algorithm === 'A', pvk: pvk.key, pvki: o.pvki === undefined ? '1' : checkDigits('pvki', o.pvki, 1, 1), length: pinLength, policy: this.#pinPolicy };
      }
      if (o.tokenKey !== undefined) {
        const tokenKey = open('tokenKey', 'token.tokenize');
        recipe.token = { key: tokenKey.key, options: (o.tokenOptions ?? {}) as TokenOptions };
        tokenPlan(recipe.token.options, length); // checks the options now
      }
      const kcvs = () => Object.fromEntries(fields.map((f, i) => [f, kcvOf(keys[i]!.key, keys[i]!.algorithm)]));
      return { recipe, panKey: panKey.key, panKeyKcv: kcvOf(panKey.key, panKey.algorithm), kcvs, release };
    } catch (e) {
      release();
      throw e;
    }
  }

  /** Binds a PAN range to the first permutation key used with it: another key would repeat numbers. */
  async #bindRange(store: Store, range: string, panKeyKcv: string): Promise<void> {
    const { value } = await store.putIdempotent(`${range}/panKey`, panKeyKcv);
    if (value !== panKeyKcv) {
      throw new CardHsmError('ERR_KEY_USAGE', `"panKey" differs from the key (KCV ${value}) that numbers ${range}: another key would repeat PANs`, 'panKey');
    }
  }

  /** Leases `count` counters (possibly in several runs near the end of the range). */
  async #lease(store: Store, range: string, count: number, capacity: number): Promise<Array<[number, number]>> {
    const leases: Array<[number, number]> = [];
    for (let got = 0; got < count; ) {
      const lease = await store.leaseRange(range, count - got, capacity);
      if (lease === null) throw rangeExhausted(range);
      leases.push([lease.start, lease.end]);
      got += lease.end - lease.start;
    }
    return leases;
  }

  /** The counter leases of an idempotent run: the stored ones when the key was used before, else new ones. */
  async #idempotentLeases(store: Store, key: string, digest: string, range: string, count: number, capacity: number, expiry: string): Promise<{ leases: Array<[number, number]>; expiry: string }> {
    const recordKey = `issue/${key}`;
    const read = (json: string) => {
      const r = JSON.parse(json) as { digest: string; leases: Array<[number, number]>; expiry: string };
      if (r.digest !== digest) throw new CardHsmError('ERR_IDEMPOTENCY', '"idempotencyKey" was used before with different parameters', 'idempotencyKey');
      return r;
    };
    const existing = await store.getIdempotent(recordKey);
    if (existing !== undefined) return read(existing);
    const leases = await this.#lease(store, range, count, capacity);
    // A concurrent run with the same key may have recorded first: its leases win, ours become gaps.
    return read((await store.putIdempotent(recordKey, JSON.stringify({ digest, leases, expiry }))).value);
  }

  /**
   * Mass issuance (seed "Actualizar Tarjetas Masivas"): `count` new cards, streamed in batches computed in the
   * WASM kernels. Each card has a unique Luhn-valid PAN (a keyed permutation of leased counters), its CVV, CVV2
   * and iCVV, and optionally a PIN (encrypted, with PVV) and a PAN token. With `idempotencyKey`, a repeated call
   * returns the same cards (same counters, same values) instead of issuing new ones.
   */
  issueCards(options: IssueOptions & { count: number; idempotencyKey?: string; batchSize?: number; workers?: number; onProgress?: (progress: { issued: number; total: number }) => void }): AsyncGenerator<IssuedCard, void> {
    return flatten(this.#issueSlices(options));
  }

  /** issueCards as slices of a few hundred cards (see cardsFromText), flattened by the caller. */
  async *#issueSlices(options: unknown): AsyncGenerator<IssuedCard[]> {
    const o = checkOptions('options', options);
    const ctx: AuditContext = { keyKcv: null, usage: null };
    let issued = 0;
    let release = () => {};
    try {
      const count = checkInt('count', o.count, 1, 1_000_000_000);
      const batchSize = o.batchSize === undefined ? 10_000 : checkInt('batchSize', o.batchSize, 1, 1_000_000);
      const idempotencyKey = o.idempotencyKey === undefined ? undefined : checkIdempotencyKey(o.idempotencyKey);
      const store = this.#requireStore();
      const { recipe, kcvs, panKey, panKeyKcv, release: done } = this.#recipe(o, ctx, new Date());
      release = done;
      const issuer = recipe.issuer;
      // Worker threads pay off for large runs only: starting a pool costs ~0.1 s here, what one thread needs for
      // ~40,000 cards, and two workers save about half the time.
      const workers = o.workers === undefined ? (count >= POOL_MIN_CARDS ? Math.min(availableParallelism(), 8) : 1) : checkInt('workers', o.workers, 1, 64);
      const range = panRange(issuer);
      await this.#bindRange(store, range, panKeyKcv);
      let plan: AsyncIterable<[number, number]> | Iterable<[number, number]>;
      if (idempotencyKey !== undefined) {
        const digest = issueDigest(o, kcvs(), count);
        const replay = await this.#idempotentLeases(store, idempotencyKey, digest, range, count, issuer.capacity, recipe.expiry);
        recipe.expiry = replay.expiry;
        plan = replay.leases;
      } else {
        plan = this.#leaseStream(store, range, count, batchSize, issuer.capacity);
      }
      const batches =
        workers > 1
          ? issueInPool({ ...recipe, panKey, bin: issuer.bin, length: issuer.length }, plan, batchSize, { workers, failOnceAt: o._failOnceAt as number | undefined })
          : inThread(recipe, plan, batchSize);
      for await (const batch of batches) {
        for (let at = 0; at < batch.count; at += YIELD_SLICE) yield cardsFromText(recipe, batch, at, Math.min(batch.count, at + YIELD_SLICE));
        issued += batch.count;
        if (typeof o.onProgress === 'function') o.onProgress({ issued, total: count });
      }
      this.#record('issueCards', undefined, ctx, 'success');
    } catch (e) {
      this.#record('issueCards', undefined, ctx, 'error', e);
      throw e;
    } finally {
      release();
    }
  }

  /** Leases counters batch by batch, so that a crash loses at most one batch (as a gap, never a duplicate). */
  async *#leaseStream(store: Store, range: string, count: number, batchSize: number, capacity: number): AsyncGenerator<[number, number]> {
    for (let got = 0; got < count; ) {
      for (const lease of await this.#lease(store, range, Math.min(batchSize, count - got), capacity)) {
        got += lease[1] - lease[0];
        yield lease;
      }
    }
  }

  /**
   * One counter for issueCard from a small lease held by this Hsm: up to 100 at a time, fewer at the end of the
   * range (a full 100 would be refused there, and the range's last PANs could never be issued).
   */
  async #nextCounter(store: Store, range: string, capacity: number): Promise<number> {
    let lease = this.#leases.get(range);
    if (!lease || lease.next >= lease.end) {
      const got = await store.leaseRange(range, 100, capacity);
      if (got === null) throw rangeExhausted(range);
      lease = { next: got.start, end: got.end };
      this.#leases.set(range, lease);
    }
    return lease.next++;
  }

  /** An instant card (seed "Crear Tarjeta Instantánea"): one card, ready to use. */
  async issueCard(options: IssueOptions): Promise<IssuedCard> {
    const o = checkOptions('options', options);
    return this.#run('issueCard', undefined, async (ctx) => {
      const store = this.#requireStore();
      const { recipe, panKeyKcv, release } = this.#recipe(o, ctx, new Date());
      try {
        const range = panRange(recipe.issuer);
        await this.#bindRange(store, range, panKeyKcv);
        const counter = await this.#nextCounter(store, range, recipe.issuer.capacity);
        return cardsAt(recipe, counter, 1)[0]!;
      } finally {
        release();
      }
    });
  }

  /** How many PANs of a prefix and length have been leased (issued, or lost as gaps) and how many remain. */
  async panCapacity(options: { bin: string; length?: number }): Promise<{ issued: number; remaining: number }> {
    const o = checkOptions('options', options);
    return this.#run('panCapacity', undefined, async () => {
      const bin = checkDigits('bin', o.bin, 6, 11);
      const length = o.length === undefined ? 16 : checkInt('length', o.length, 13, 19);
      const digits = length - bin.length - 1; // at least 1: prefix <= 11 digits, length >= 13
      const issued = await this.#requireStore().rangeNext(panRange({ bin, length }));
      return { issued, remaining: 10 ** digits - issued };
    });
  }

  /**
   * Reissue (seed "Actualizar la Acción de la Tarjeta"): LOST or STOLEN gives a new PAN (a new card; the old
   * card's reference is marked replaced); DAMAGED, EXPIRED or EMERGENCY keeps the PAN with a new expiry and new
   * CVVs. The old card's PIN state stays tied to its reference, so a same-number reissue carries no new PIN.
   */
  async reissueCard(options: IssueOptions & { pan: string; reason: ReissueReason }): Promise<IssuedCard> {
    const o = checkOptions('options', options);
    const reason = checkOneOf('reason', o.reason, ['LOST', 'STOLEN', 'DAMAGED', 'EXPIRED', 'EMERGENCY'] as const);
    const pan = checkDigits('pan', o.pan, 12, 19);
    if (reason === 'LOST' || reason === 'STOLEN') {
      const card = await this.issueCard(options);
      const store = this.#requireStore();
      const old = this.cardRef(pan);
      await store.setSetting(old, 'status', `REPLACED:${reason}`);
      await store.setSetting(old, 'replacedBy', this.cardRef(card.pan));
      return card;
    }
    return this.#run('reissueCard', pan, async (ctx) => {
      const { recipe, release } = this.#recipe({ ...o, pinKey: undefined, pvk: undefined }, ctx, new Date());
      try {
        return cardsFor(recipe, [pan])[0]!;
      } finally {
        release();
      }
    });
  }

  /** A PAN's token under an AES D0 key block (see tokenizePan for the options). */
  tokenizePan(options: { tokenKey: string; pan: string } & TokenOptions): string {
    const { tokenKey, pan, ...opts } = checkOptions('options', options) as unknown as { tokenKey: unknown; pan: unknown } & TokenOptions;
    return this.#run('tokenizePan', pan, (ctx) => {
      const k = this.#open(ctx, 'tokenKey', tokenKey, 'token.tokenize');
      return this.#withKeys([k], () => tokenizePan(k.key, pan as string, opts));
    });
  }

  /** The PAN behind a token, under an AES D0 key block that allows decryption. */
  detokenizePan(options: { tokenKey: string; token: string } & TokenOptions): string {
    const { tokenKey, token, ...opts } = checkOptions('options', options) as unknown as { tokenKey: unknown; token: unknown } & TokenOptions;
    return this.#run('detokenizePan', undefined, (ctx) => {
      const k = this.#open(ctx, 'tokenKey', tokenKey, 'token.detokenize');
      return this.#withKeys([k], () => detokenizePan(k.key, token as string, opts));
    });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Dynamic CVV2 (TW-DCVV2 v1) with E6 issuer master keys; the static-CVV2 switch and a try counter in the store
  // -------------------------------------------------------------------------------------------------------------

  #dcvv2Options(imk: OpenKey, at: unknown): { at: Date | number | undefined; windowSeconds: number; digits: 3 | 4; profile: Dcvv2Profile } {
    return { at: at as Date | number | undefined, windowSeconds: this.#dcvv2.windowSeconds, digits: this.#dcvv2.digits, profile: imk.header.algorithm === 'H' ? 'HMAC' : 'TDES' };
  }

  /** The current window's dynamic CVV2 of a card under an E6 IMK key block (HMAC256: HMAC profile; TDES2: TDES). */
  generateDynamicCvv2(options: { imk: string; pan: string; psn: string; expiry: string; at?: Date | number }): Dcvv2Code {
    return this.generateDynamicCvv2Codes({ ...checkOptions('options', options), count: 1 } as never)[0]!;
  }

  /** The next `count` (1..24) windows' codes, for cards that display codes offline. */
  generateDynamicCvv2Codes(options: { imk: string; pan: string; psn: string; expiry: string; count: number; at?: Date | number }): Dcvv2Code[] {
    const o = checkOptions('options', options);
    return this.#run('generateDynamicCvv2', o.pan, (ctx) => {
      const imk = this.#open(ctx, 'imk', o.imk, 'dcvv2');
      return this.#withKeys([imk], () => generateDynamicCvv2Codes(imk.key, o.pan as string, o.psn as string, o.expiry as string, o.count as number, this.#dcvv2Options(imk, o.at)));
    });
  }

  /** From now on the card's static CVV2 is refused (verifyCardCvv2 throws ERR_STATIC_CVV2_DISABLED). */
  async enableDynamicCvv2(cardRef: string): Promise<void> {
    await this.#run('enableDynamicCvv2', undefined, async () => this.#requireStore().setSetting(checkCardRefShape(cardRef), 'dcvv2', 'enabled'));
  }

  /** Returns the card to its static CVV2. */
  async disableDynamicCvv2(cardRef: string): Promise<void> {
    await this.#run('disableDynamicCvv2', undefined, async () => this.#requireStore().setSetting(checkCardRefShape(cardRef), 'dcvv2', 'disabled'));
  }

  async #dynamicEnabled(cardRef: string): Promise<boolean> {
    return (await this.#requireStore().getSetting(cardRef, 'dcvv2')) === 'enabled';
  }

  /** The store-aware CVV2 check card services call: refuses a static CVV2 once dynamic CVV2 is enabled. */
  async verifyCardCvv2(options: { cardRef: string; cvk: string; pan: string; expiry: string; cvv: string }): Promise<boolean> {
    const o = checkOptions('options', options);
    return this.#run(
      'verifyCardCvv2',
      o.pan,
      async (ctx) => {
        const pan = checkDigits('pan', o.pan, 12, 19);
        const cardRef = this.#checkCardRef(o.cardRef, pan);
        const cvv = checkDigits('cvv', o.cvv, 3, 3);
        if (await this.#dynamicEnabled(cardRef)) {
          throw new CardHsmError('ERR_STATIC_CVV2_DISABLED', 'this card uses dynamic CVV2: the static CVV2 is no longer accepted', 'cvv');
        }
        const cvk = this.#open(ctx, 'cvk', o.cvk, 'cvv.verify');
        return this.#withKeys([cvk], () => constantTimeEqualString(generateCvv2(cvk.key, pan, o.expiry as string), cvv));
      },
      (ok) => (ok ? 'success' : 'failure'),
    );
  }

  /**
   * Verifies a dynamic CVV2 against the card's IMK within the configured drift, counting failures in the store on
   * a counter of its own (limit dcvv2.tryLimit, default 5; ERR_DCVV2_LOCKED once reached) and resetting it on
   * success. With dcvv2.monotonic, a code from a window older than the last accepted one is refused (and counted).
   */
  async verifyDynamicCvv2(options: { cardRef: string; imk: string; pan: string; psn: string; expiry: string; code: string; at?: Date | number }): Promise<{ valid: boolean; drift: number | null; attemptsRemaining: number; locked: boolean }> {
    const o = checkOptions('options', options);
    return this.#run(
      'verifyDynamicCvv2',
      o.pan,
      async (ctx) => {
        const pan = checkDigits('pan', o.pan, 12, 19);
        const cardRef = this.#checkCardRef(o.cardRef, pan);
        const store = this.#requireStore();
        const limit = this.#dcvv2.tryLimit;
        if ((await store.getAttempts('dcvv2', cardRef)).locked) throw dcvv2Locked();
        const imk = this.#open(ctx, 'imk', o.imk, 'dcvv2');
        // One reading of the clock for the check and for the watermark, so that both see the same window.
        const at = o.at === undefined ? Date.now() : o.at;
        const opts = this.#dcvv2Options(imk, at);
        const result = this.#withKeys([imk], () => verifyDynamicCvv2(imk.key, pan, o.psn as string, o.expiry as string, o.code as string, { ...opts, back: this.#dcvv2.back, fwd: this.#dcvv2.fwd }));
        let valid = result.valid;
        if (valid && this.#dcvv2.monotonic) {
          const window = dcvv2Window(new Date(at as Date | number).getTime(), opts.windowSeconds) + result.drift!;
          valid = (await store.raiseWatermark(cardRef, 'dcvv2.window', window)) || (await store.getSetting(cardRef, 'dcvv2.window')) === String(window);
        }
        return { valid, drift: valid ? result.drift : null, ...(await countAttempt(store, 'dcvv2', cardRef, limit, valid, dcvv2Locked)) };
      },
      (r) => (r.valid ? 'success' : 'failure'),
    );
  }

}

/** The key algorithms and their sizes in bytes. */
export const KEY_ALGORITHMS: Readonly<Record<KeyAlgorithm, { bytes: number }>> = ALGORITHMS;

function pinLocked(): CardHsmError {
  return new CardHsmError('ERR_PIN_LOCKED', 'the PIN is locked after too many failed attempts; set a new PIN', 'cardRef');
}

function checkCardRefShape(value: unknown): string {
  if (typeof value !== 'string' || !/^[0-9A-F]{64}$/.test(value)) {
    throw new CardHsmError('ERR_FORMAT', '"cardRef" expected a card reference (64 hex characters from Hsm.cardRef)', 'cardRef');
  }
  return value;
}

function checkIdempotencyKey(value: unknown): string {
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(value)) {
    throw new CardHsmError('ERR_FORMAT', '"idempotencyKey" expected 1..128 printable ASCII characters without spaces', 'idempotencyKey');
  }
  return value;
}

/** Computes batches in this thread, in counter order. */
async function* inThread(recipe: CardRecipe, plan: AsyncIterable<[number, number]> | Iterable<[number, number]>, batchSize: number): AsyncGenerator<CardText> {
  for await (const [start, end] of plan) {
    for (let at = start; at < end; at += batchSize) yield cardTextAt(recipe, at, Math.min(batchSize, end - at));
  }
}

/** The store's name for the counter range of a PAN prefix and length. */
function panRange(shape: { bin: string; length: number }): string {
  return `pan/${shape.bin}/${shape.length}`;
}

/** Runs at least this long use the worker pool unless `workers` says otherwise. */
const POOL_MIN_CARDS = 200_000;

/** Cards turned into objects at a time while streaming (see cardsFromText). */
const YIELD_SLICE = 256;

/** What makes two issuance requests "the same": every parameter, keys by their public KCVs. */
function issueDigest(o: Record<string, unknown>, kcvs: Record<string, string>, count: number): string {
  const fields = ['bin', 'length', 'expiry', 'monthsToExpiration', 'serviceCode', 'pvki', 'pinLength', 'tokenOptions'];
  const material = JSON.stringify({ count, kcvs, ...Object.fromEntries(fields.map((f) => [f, o[f] ?? null])) }, (_, v: unknown) => (v instanceof Uint8Array ? bytesToHex(v) : v));
  return createHash('sha256').update(material).digest('hex');
}

function rangeExhausted(range: string): CardHsmError {
  return new CardHsmError('ERR_RANGE_EXHAUSTED', `no PANs left in ${range}`, 'bin');
}

/**
 * Records a verification on the card's counter of `kind`: a success resets it, a failure counts (locking at
 * `limit`). Either applies only while the card is unlocked — a concurrent lock wins, and `locked()` is thrown.
 */
async function countAttempt(store: Store, kind: CounterKind, cardRef: string, limit: number, ok: boolean, locked: () => CardHsmError): Promise<{ attemptsRemaining: number; locked: boolean }> {
  if (ok) {
    if (!(await store.recordSuccess(kind, cardRef)).applied) throw locked();
    return { attemptsRemaining: limit, locked: false };
  }
  const after = await store.recordFailure(kind, cardRef, limit);
  if (!after.applied) throw locked();
  return { attemptsRemaining: Math.max(0, limit - after.failed), locked: after.locked };
}

function dcvv2Locked(): CardHsmError {
  return new CardHsmError('ERR_DCVV2_LOCKED', 'dynamic CVV2 is locked for this card after too many failed attempts', 'cardRef');
}
