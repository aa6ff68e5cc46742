// Key management, the control plane (AWS Payment Cryptography's control plane; payShield's key commands): keys
// generated, formed from custodians' components, imported and exported under KEKs, described, and re-wrapped for
// an LMK rotation. No method returns a clear key; a non-exportable key leaves only re-wrapped under another LMK.
import { CardHsmError } from '../errors.js';
import { randomBytes } from '../_bytes.js';
import { checkArray, checkBytes, checkOneOf } from '../_validate.js';
import { fixDesParity, hasOddDesParity } from '../keys/parity.js';
import { checkDistinctComponents, checkNotWeak } from '../keys/_weak.js';
import { unwrapTr31, wrapTr31 } from '../tr31.js';
import {
  ALGORITHM_NAMES,
  algorithmOf,
  checkKeyBlock,
  kcvOf,
  keyBytes,
  rewrapHeader,
  strongerThan,
  withKeys,
  type KeyAlgorithm,
  type KeyResult,
  type KeyVault,
} from './_vault.js';
import { withOptions, type Run } from './_operation.js';
import { HSM_KEY_USAGES } from './_usage.js';
import type { ImportComponentsOptions, KekTransferOptions, KeyAttributes, KeyDescription } from './options.js';

/** Default mode of use per key usage (X9.143): B for PIN, data and key-encryption keys, C for CVKs and PVKs. */
const DEFAULT_MODE: Record<string, string> = { P0: 'B', D0: 'B', K0: 'B', K1: 'B', C0: 'C', V1: 'C', V2: 'C', E6: 'X' };

type Attributes = {
  usage: string;
  algorithm: KeyAlgorithm;
  modeOfUse: string;
  exportability: string;
  keyVersion: string;
};

function attributes(o: Record<string, unknown>): Attributes {
  const usage = checkOneOf('usage', o.usage, HSM_KEY_USAGES);
  const algorithm = checkOneOf('algorithm', o.algorithm, ALGORITHM_NAMES);
  const modeOfUse =
    o.modeOfUse === undefined ? (DEFAULT_MODE[usage] ?? 'N') : checkOneOf('modeOfUse', o.modeOfUse, [...'BCDEGNSTVXY']);
  const exportability =
    o.exportability === undefined ? 'E' : checkOneOf('exportability', o.exportability, ['E', 'N', 'S']);
  const keyVersion = o.keyVersion === undefined ? '00' : o.keyVersion;
  if (typeof keyVersion !== 'string' || !/^[0-9A-Za-z]{2}$/.test(keyVersion)) {
    throw new CardHsmError('ERR_FORMAT', '"keyVersion" expected 2 letters or digits', 'keyVersion');
  }
  return { usage, algorithm, modeOfUse, exportability, keyVersion };
}

export class ControlPlane {
  readonly #vault: KeyVault;
  readonly #run: Run;
  readonly #allowSingleComponent: boolean;

  constructor(vault: KeyVault, run: Run, allowSingleComponent: boolean) {
    this.#vault = vault;
    this.#run = run;
    this.#allowSingleComponent = allowSingleComponent;
  }

  generateKey(options: KeyAttributes): KeyResult {
    return withOptions(this.#run, 'generateKey', options, (ctx, o) => {
      const { algorithm, ...attrs } = attributes(o);
      const raw = randomBytes(keyBytes(algorithm));
      const key = algorithm.startsWith('TDES') ? fixDesParity(raw) : raw;
      if (key !== raw) raw.fill(0); // the parity-fixed copy replaces the raw bytes
      try {
        const result = this.#vault.seal(attrs, key, algorithm);
        Object.assign(ctx, { keyKcv: result.kcv, usage: attrs.usage });
        return result;
      } finally {
        key.fill(0);
      }
    });
  }

  importKeyComponents(options: ImportComponentsOptions): KeyResult {
    return withOptions(this.#run, 'importKeyComponents', options, (ctx, o) => {
      const { algorithm, ...attrs } = attributes(o);
      const bytes = keyBytes(algorithm);
      const list = checkArray('components', o.components);
      // Dual control: one component only for a development Hsm that asked for it.
      const min = o.allowSingleComponent === true && this.#allowSingleComponent ? 1 : 2;
      if (list.length < min || list.length > 3) {
        throw new CardHsmError(
          'ERR_LENGTH',
          `"components" expected ${min}..3 components, got length=${list.length}`,
          'components',
        );
      }
      const des = algorithm.startsWith('TDES');
      const key = new Uint8Array(bytes);
      try {
        const parts = list.map((c, i) => checkBytes(`components[${i}]`, c, [bytes]));
        checkDistinctComponents(des ? parts.map(fixDesParity) : parts);
        parts.forEach((part, i) => {
          if (des && o.fixParity !== true && !hasOddDesParity(part)) {
            throw new CardHsmError(
              'ERR_KEY_PARITY',
              `"components[${i}]" does not have odd DES parity (pass fixParity: true to correct it)`,
              `components[${i}]`,
            );
          }
          for (let j = 0; j < bytes; j++) key[j]! ^= part[j]!;
        });
        if (des) key.set(fixDesParity(key));
        checkNotWeak('components', key, des);
        const kcv = kcvOf(key, algorithm);
        if (
          o.kcv !== undefined &&
          (typeof o.kcv !== 'string' || o.kcv.toUpperCase() !== kcv.slice(0, o.kcv.length) || o.kcv.length < 4)
        ) {
          throw new CardHsmError(
            'ERR_KCV_MISMATCH',
            '"kcv" does not match the check value of the combined components',
            'kcv',
          );
        }
        Object.assign(ctx, { keyKcv: kcv, usage: attrs.usage });
        return this.#vault.seal(attrs, key, algorithm);
      } finally {
        key.fill(0);
      }
    });
  }

  importKey(options: KekTransferOptions): KeyResult {
    return withOptions(this.#run, 'importKey', options, (ctx, o) => {
      const kek = this.#vault.open('kek', o.kek, 'kek.unwrap');
      return withKeys([kek], () => {
        const block = checkKeyBlock('keyBlock', o.keyBlock);
        const expected = kek.algorithm.startsWith('TDES') ? 'ABC' : 'D';
        if (!expected.includes(block[0] ?? '')) {
          throw new CardHsmError(
            'ERR_TR31_HEADER',
            `"keyBlock" version ${block[0] ?? ''} cannot be wrapped under a ${kek.algorithm} KEK`,
            'keyBlock',
          );
        }
        const { header, key } = unwrapTr31(kek.key, block);
        try {
          const algorithm = algorithmOf(header, key.length);
          Object.assign(ctx, { keyKcv: kcvOf(key, algorithm), usage: header.usage });
          // SP 800-57: a key is only as strong as the key that protected it in transit.
          if (strongerThan(algorithm, kek.algorithm)) {
            throw new CardHsmError(
              'ERR_KEY_USAGE',
              `"keyBlock" holds a ${algorithm} key, stronger than the ${kek.algorithm} KEK that wraps it (NIST SP 800-57)`,
              'keyBlock',
            );
          }
          checkNotWeak('keyBlock', key, algorithm.startsWith('TDES'));
          return this.#vault.seal(header, key, algorithm, header.optionalBlocks);
        } finally {
          key.fill(0);
        }
      });
    });
  }

  exportKey(options: KekTransferOptions): KeyResult {
    return withOptions(this.#run, 'exportKey', options, (ctx, o) => {
      const subject = this.#vault.open('keyBlock', o.keyBlock, null, ctx);
      const keys = [subject];
      return withKeys(keys, () => {
        if (subject.header.exportability === 'N') {
          throw new CardHsmError('ERR_KEY_USAGE', '"keyBlock" is non-exportable (exportability N)', 'keyBlock');
        }
        const kek = this.#vault.open('kek', o.kek, 'kek.wrap');
        keys.push(kek);
        if (strongerThan(subject.algorithm, kek.algorithm)) {
          throw new CardHsmError(
            'ERR_KEY_USAGE',
            `"kek" (${kek.algorithm}) is weaker than the key it would protect (${subject.algorithm})`,
            'kek',
          );
        }
        return {
          keyBlock: wrapTr31(
            kek.key,
            rewrapHeader(subject.header, kek.algorithm.startsWith('TDES') ? 'B' : 'D'),
            subject.key,
          ),
          kcv: kcvOf(subject.key, subject.algorithm),
        };
      });
    });
  }

  describeKey(keyBlock: string): KeyDescription {
    return this.#run('describeKey', undefined, (ctx) => {
      const k = this.#vault.open('keyBlock', keyBlock, null, ctx);
      return withKeys([k], () => {
        const { usage, modeOfUse, keyVersion, exportability } = k.header;
        return { usage, algorithm: k.algorithm, modeOfUse, keyVersion, exportability, kcv: kcvOf(k.key, k.algorithm) };
      });
    });
  }

  /**
   * Re-wraps blocks from this vault to `target`, the vault of an Hsm formed from components (undefined for any
   * other target: refused, since a caller who knows the target LMK could unwrap non-exportable keys with it).
   * Every block is re-wrapped before any is returned.
   */
  rotateLmk(target: KeyVault | undefined, keyBlocks: string[]): string[] {
    return this.#run('rotateLmk', undefined, (ctx) => {
      if (target === undefined)
        throw new CardHsmError(
          'ERR_TYPE',
          '"target" expected an Hsm made with Hsm.fromLmkComponents (an LMK no caller holds)',
          'target',
        );
      ctx.keyKcv = target.kcv;
      return checkArray('keyBlocks', keyBlocks).map((block, i) =>
        this.#vault.rewrapTo(target, `keyBlocks[${i}]`, block),
      );
    });
  }
}
