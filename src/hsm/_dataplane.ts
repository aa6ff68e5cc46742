// Stateless card and PIN operations, the data plane: card codes, PIN encryption and translation, data keys,
// security values for a client, PAN tokens and dynamic CVV2 codes — each with key blocks checked against
// KEY_USAGE_RULES. Nothing here remembers anything: counted verification lives in the card state (cardstate.ts).
import { CardHsmError } from '../errors.js';
import { bytesToHex, constantTimeEqual, hexToBytes } from '../bytes.js';
import { constantTimeEqualString } from '../_bytes.js';
import {
  checkArray,
  checkBytes,
  checkDigits,
  checkInt,
  checkOneOf,
  checkOptions,
  checkUint8Array,
} from '../_validate.js';
import { aesCmac, hmac, tdesCmac } from '../mac.js';
import { isoMacUnchecked } from '../_mac.js';
import { aesDecryptCbc, aesDecryptEcb, aesEncryptCbc, aesEncryptEcb } from '../aes.js';
import { tdesDecryptCbc, tdesDecryptEcb, tdesEncryptCbc, tdesEncryptEcb } from '../des.js';
import { generateCvvBatch, type CvvInput } from '../cvv.js';
import * as pinblock from '../pinblock.js';
import { checkPinBlockFormat, checkTranslation } from '../_pinblock.js';
import { detokenizePan, tokenizePan } from '../token.js';
import { generateDynamicCvv2Codes, type Dcvv2Code, type Dcvv2Profile } from '../dcvv2.js';
import { decryptPin, encryptPin, requirePinKeyAlgorithm } from './_pins.js';
import { kcvOf, withKeys, type KeyNote, type KeyVault, type OpenKey } from './_vault.js';
import { verdict, withOptions, type Run } from './_operation.js';
import type { Purpose } from './usage.js';
import type * as O from './options.js';

/** The dynamic CVV2 policy the Hsm was configured with. */
export interface Dcvv2Policy {
  windowSeconds: number;
  digits: 3 | 4;
  back: number;
  fwd: number;
  tryLimit: number;
  monotonic: boolean;
}

/** The dynamic CVV2 options of a card's IMK: the profile follows the key (HMAC256 or TDES2). */
export function dcvv2Options(
  policy: Dcvv2Policy,
  imk: OpenKey,
  at: unknown,
): { at: Date | number | undefined; windowSeconds: number; digits: 3 | 4; profile: Dcvv2Profile } {
  return {
    at: at as Date | number | undefined,
    windowSeconds: policy.windowSeconds,
    digits: policy.digits,
    profile: imk.header.algorithm === 'H' ? 'HMAC' : 'TDES',
  };
}

/** CVVs of `items` under the C0 key block `cvk`, opened for `purpose`. */
export function cvvsUnder(
  vault: KeyVault,
  note: KeyNote | undefined,
  cvk: unknown,
  items: readonly CvvInput[],
  purpose: Purpose,
): string[] {
  const k = vault.open('cvk', cvk, purpose, note);
  return withKeys([k], () => generateCvvBatch(k.key, items));
}

export class DataPlane {
  readonly #vault: KeyVault;
  readonly #run: Run;
  readonly #dcvv2: Dcvv2Policy;

  constructor(vault: KeyVault, run: Run, dcvv2: Dcvv2Policy) {
    this.#vault = vault;
    this.#run = run;
    this.#dcvv2 = dcvv2;
  }

  // ---- card codes (C0): generation, and uncounted checks (as revealing as generation: issuance only) ----------

  generateCvv(method: 'generateCvv' | 'generateCvv2' | 'generateIcvv', options: unknown, serviceCode?: string): string {
    return withOptions(
      this.#run,
      method,
      options,
      (ctx, o) =>
        cvvsUnder(
          this.#vault,
          ctx,
          o.cvk,
          [{ pan: o.pan, expiry: o.expiry, serviceCode: serviceCode ?? o.serviceCode } as CvvInput],
          'cvv.generate',
        )[0]!,
    );
  }

  verifyCvv(method: 'verifyCvv' | 'verifyCvv2' | 'verifyIcvv', options: unknown, serviceCode?: string): boolean {
    return withOptions(
      this.#run,
      method,
      options,
      (ctx, o) => {
        const expected = checkDigits('cvv', o.cvv, 3, 3);
        return constantTimeEqualString(
          cvvsUnder(
            this.#vault,
            ctx,
            o.cvk,
            [{ pan: o.pan, expiry: o.expiry, serviceCode: serviceCode ?? o.serviceCode } as CvvInput],
            'cvv.verify',
          )[0]!,
          expected,
        );
      },
      verdict,
    );
  }

  generateCvvBatch(options: O.CvvBatchOptions): string[] {
    return withOptions(this.#run, 'generateCvvBatch', options, (ctx, o) =>
      cvvsUnder(this.#vault, ctx, o.cvk, checkArray('items', o.items) as CvvInput[], 'cvv.generate'),
    );
  }

  verifyCvvBatch(options: O.CvvBatchCheckOptions): boolean[] {
    return withOptions(this.#run, 'verifyCvvBatch', options, (ctx, o) => {
      const items = checkArray('items', o.items).map((item, i) => {
        const it = checkOptions(`items[${i}]`, item);
        return { ...(it as unknown as CvvInput), cvv: checkDigits(`items[${i}].cvv`, it.cvv, 3, 3) };
      });
      return cvvsUnder(this.#vault, ctx, o.cvk, items, 'cvv.verify').map((cvv, i) =>
        constantTimeEqualString(cvv, items[i]!.cvv),
      );
    });
  }

  // ---- PINs (P0) ------------------------------------------------------------------------------------------------

  encryptClearPin(options: O.EncryptClearPinOptions): Uint8Array {
    return withOptions(this.#run, 'encryptClearPin', options, (ctx, o) => {
      const format = checkPinBlockFormat('format', o.format);
      return encryptPin(
        this.#vault,
        ctx,
        o.pinKey,
        checkDigits('pin', o.pin, 4, 12),
        checkDigits('pan', o.pan, format === 4 ? 1 : 2, 19),
        format,
      );
    });
  }

  translatePinBlock(options: O.TranslatePinOptions): Uint8Array {
    return withOptions(this.#run, 'translatePinBlock', options, (ctx, o) => {
      const from = checkOptions('from', o.from);
      const to = checkOptions('to', o.to);
      const fromFormat = checkPinBlockFormat('from.format', from.format);
      const toFormat = checkPinBlockFormat('to.format', to.format);
      checkTranslation(fromFormat, toFormat);
      const pan = checkDigits('pan', o.pan, 2, 19);
      // Both keys are opened and checked before the block is decrypted; then one kernel call translates it, and
      // the clear PIN never leaves WASM memory.
      const fromKey = this.#vault.open('from.key', from.key, 'pin.decrypt', ctx);
      return withKeys([fromKey], () => {
        requirePinKeyAlgorithm(fromKey, fromFormat, 'from.key');
        const toKey = this.#vault.open('to.key', to.key, 'pin.encrypt');
        return withKeys([toKey], () => {
          requirePinKeyAlgorithm(toKey, toFormat, 'to.key');
          return pinblock.translatePinBlock({
            pinBlock: o.pinBlock as Uint8Array,
            pan,
            from: { key: fromKey.key, format: fromFormat },
            to: { key: toKey.key, format: toFormat },
          });
        });
      });
    });
  }

  // ---- data keys (D0) and a client's security values -------------------------------------------------------------

  data(method: 'encryptData' | 'decryptData', options: unknown): Uint8Array {
    const decrypt = method === 'decryptData';
    return withOptions(this.#run, method, options, (ctx, o) => {
      const k = this.#vault.open('key', o.key, decrypt ? 'data.decrypt' : 'data.encrypt', ctx);
      return withKeys([k], () => {
        const mode = checkOneOf('mode', o.mode, ['ECB', 'CBC'] as const);
        const data = o.data as Uint8Array;
        const aes = k.header.algorithm === 'A';
        if (mode === 'ECB')
          return aes
            ? (decrypt ? aesDecryptEcb : aesEncryptEcb)(k.key, data)
            : (decrypt ? tdesDecryptEcb : tdesEncryptEcb)(k.key, data);
        const iv = checkBytes('iv', o.iv, [aes ? 16 : 8]);
        return aes
          ? (decrypt ? aesDecryptCbc : aesEncryptCbc)(k.key, data, iv)
          : (decrypt ? tdesDecryptCbc : tdesEncryptCbc)(k.key, data, iv);
      });
    });
  }

  exportSecurityValues(options: O.SecurityValuesOptions): O.SecurityValues {
    return withOptions(this.#run, 'exportSecurityValues', options, (ctx, o) => {
      const pan = checkDigits('pan', o.pan, 12, 19);
      const cards = [o.serviceCode as string, '000', '999'].map((serviceCode) => ({
        pan,
        expiry: o.expiry as string,
        serviceCode,
      }));
      const [cvv, cvv2, icvv] = cvvsUnder(this.#vault, ctx, o.cvk, cards, 'cvv.generate');
      const pin =
        o.pinBlock === undefined
          ? undefined
          : decryptPin(this.#vault, undefined, o.pinKey, o.pinBlock, pan, checkPinBlockFormat('format', o.format ?? 0));
      const transport = this.#vault.open('transportKey', o.transportKey, 'transport.encrypt');
      return withKeys([transport], () => {
        const seal = (digits: string) => bytesToHex(tdesEncryptEcb(transport.key, hexToBytes(digits.padEnd(16, 'F'))));
        const result: O.SecurityValues = {
          cvv: seal(cvv!),
          cvv2: seal(cvv2!),
          icvv: seal(icvv!),
          transportKcv: kcvOf(transport.key, transport.algorithm),
        };
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

  // ---- MACs (M0-M7) ---------------------------------------------------------------------------------------------

  generateMac(options: O.MacOptions): Uint8Array {
    return withOptions(this.#run, 'generateMac', options, (ctx, o) => {
      const k = this.#vault.open('key', o.key, 'mac.generate', ctx);
      return withKeys([k], () => {
        const full = macUnder(k, o);
        const length = o.length === undefined ? full.length : checkInt('length', o.length, 4, full.length);
        return full.slice(0, length);
      });
    });
  }

  verifyMac(options: O.MacCheckOptions): boolean {
    return withOptions(
      this.#run,
      'verifyMac',
      options,
      (ctx, o) => {
        const k = this.#vault.open('key', o.key, 'mac.verify', ctx);
        return withKeys([k], () => {
          const full = macUnder(k, o);
          const mac = o.mac;
          if (!(mac instanceof Uint8Array) || mac.length < 4 || mac.length > full.length) {
            throw new CardHsmError(
              mac instanceof Uint8Array ? 'ERR_LENGTH' : 'ERR_TYPE',
              `"mac" expected 4..${full.length} bytes`,
              'mac',
            );
          }
          return constantTimeEqual(full.subarray(0, mac.length), mac);
        });
      },
      verdict,
    );
  }

  // ---- PAN tokens (D0 AES) and dynamic CVV2 codes (E6) ----------------------------------------------------------

  tokenizePan(options: O.TokenizeOptions): string {
    return withOptions(this.#run, 'tokenizePan', options, (ctx, o) => {
      const { tokenKey, pan, ...opts } = o as unknown as O.TokenizeOptions;
      const k = this.#vault.open('tokenKey', tokenKey, 'token.tokenize', ctx);
      return withKeys([k], () => tokenizePan(k.key, pan, opts));
    });
  }

  detokenizePan(options: O.DetokenizeOptions): string {
    return withOptions(this.#run, 'detokenizePan', options, (ctx, o) => {
      const { tokenKey, token, ...opts } = o as unknown as O.DetokenizeOptions;
      const k = this.#vault.open('tokenKey', tokenKey, 'token.detokenize', ctx);
      return withKeys([k], () => detokenizePan(k.key, token, opts));
    });
  }

  generateDynamicCvv2Codes(
    method: 'generateDynamicCvv2' | 'generateDynamicCvv2Codes',
    options: unknown,
    count?: number,
  ): Dcvv2Code[] {
    return withOptions(this.#run, method, options, (ctx, o) => {
      const imk = this.#vault.open('imk', o.imk, 'dcvv2.generate', ctx);
      return withKeys([imk], () =>
        generateDynamicCvv2Codes(
          imk.key,
          o.pan as string,
          o.psn as string,
          o.expiry as string,
          count ?? (o.count as number),
          dcvv2Options(this.#dcvv2, imk, o.at),
        ),
      );
    });
  }
}

/** The full MAC of `o.data` under an opened M key: the algorithm follows the key's usage (X9.143). */
function macUnder(k: OpenKey, o: Record<string, unknown>): Uint8Array {
  const data = checkUint8Array('data', o.data);
  const padding = (o.padding === undefined ? 1 : checkInt('padding', o.padding, 1, 3)) as 1 | 2 | 3;
  switch (k.header.usage) {
    case 'M0':
    case 'M1':
      return isoMacUnchecked(k.key, data, 1, padding, 8);
    case 'M3':
      if (k.key.length !== 16)
        throw new CardHsmError(
          'ERR_KEY_USAGE',
          '"key" an ISO 9797-1 algorithm 3 key is double-length TDES (K || K\')',
          'key',
        );
      return isoMacUnchecked(k.key, data, 3, padding, 8);
    case 'M7':
      return hmac(
        o.hash === undefined ? 'SHA-256' : checkOneOf('hash', o.hash, ['SHA-256', 'SHA-384', 'SHA-512'] as const),
        k.key,
        data,
      );
    default: // M5, M6: CMAC
      return k.header.algorithm === 'A' ? aesCmac(k.key, data) : tdesCmac(k.key, data);
  }
}

/** Refuses a card reference string of the wrong shape (ERR_FORMAT), for methods that take one without its PAN. */
export function checkCardRefShape(value: unknown): string {
  if (typeof value !== 'string' || !/^[0-9A-F]{64}$/.test(value)) {
    throw new CardHsmError(
      'ERR_FORMAT',
      '"cardRef" expected a card reference (64 hex characters from Hsm.cardRef)',
      'cardRef',
    );
  }
  return value;
}
