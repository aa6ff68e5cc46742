// The local master key (LMK): an AES-256 key under which every operational key is stored as a TR-31 version D
// key block. It arrives as 2-3 clear components held by different custodians (XORed; dual control), from
// configuration (64 hex characters), or — for development only — freshly generated with a loud warning.
import { CardHsmError } from '../errors.js';
import { hexToBytes } from '../bytes.js';
import { randomBytes } from '../_bytes.js';
import { checkArray, checkBytes, checkHex } from '../_validate.js';
import { keyCheckValue } from './kcv.js';
import { checkDistinctComponents, checkNotWeak } from './_weak.js';

const LMK_BYTES = 32;

/**
 * The LMK's public fingerprint: the AES-CMAC key check value (X9.24-1:2017) of `lmk` (32 bytes), 3 bytes as 6
 * uppercase hex characters. The value was computed with this library (keyCheckValue, whose AES-CMAC check values
 * match public vectors).
 * @example
 * lmkCheckValue(lmkFromHex('F0E1D2C3B4A5968778695A4B3C2D1E0FE1F0C3D2A5B4879669784B5A2D3C0F1E')) // => '03D202'
 * @throws ERR_TYPE, ERR_LENGTH (not 32 bytes)
 */
export function lmkCheckValue(lmk: Uint8Array): string {
  checkBytes('lmk', lmk, [LMK_BYTES]);
  return keyCheckValue(lmk, { algorithm: 'AES', method: 'CMAC' });
}

/**
 * Combines 2-3 clear LMK components (32 bytes each) by XOR. Returns the LMK (32 bytes) with its KCV and each
 * component's KCV (lmkCheckValue), which the custodians compare against the values recorded when the components
 * were generated. The check values were computed with this library.
 * @example
 * const { lmk, kcv, componentKcvs } = combineLmkComponents([hexToBytes('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F'), hexToBytes('F0E0D0C0B0A090807060504030201000F1E1D1C1B1A191817161514131211101')])
 * bytesToHex(lmk) // => 'F0E1D2C3B4A5968778695A4B3C2D1E0FE1F0C3D2A5B4879669784B5A2D3C0F1E'
 * [kcv, componentKcvs] // => ['03D202', ['377822', '8ED5F9']]
 * @throws ERR_TYPE, ERR_LENGTH (component count or size), ERR_WEAK_KEY (identical components, an all-zero LMK)
 */
export function combineLmkComponents(components: Uint8Array[]): {
  lmk: Uint8Array;
  kcv: string;
  componentKcvs: string[];
} {
  const list = checkArray('components', components);
  if (list.length < 2 || list.length > 3) {
    throw new CardHsmError(
      'ERR_LENGTH',
      `"components" expected 2..3 components, got length=${list.length}`,
      'components',
    );
  }
  const parts = list.map((c, i) => checkBytes(`components[${i}]`, c, [LMK_BYTES]));
  checkDistinctComponents(parts);
  const lmk = new Uint8Array(LMK_BYTES);
  for (const part of parts) for (let i = 0; i < LMK_BYTES; i++) lmk[i]! ^= part[i]!;
  checkNotWeak('components', lmk, false);
  return { lmk, kcv: lmkCheckValue(lmk), componentKcvs: parts.map(lmkCheckValue) };
}

/**
 * An LMK (32 bytes) from configuration: exactly 64 hex characters, either case.
 * @example
 * lmkFromHex('F0E1D2C3B4A5968778695A4B3C2D1E0FE1F0C3D2A5B4879669784B5A2D3C0F1E').length // => 32
 * (() => { try { lmkFromHex('0001') } catch (e) { return [e.code, e.field] } })() // => ['ERR_LENGTH', 'lmk']
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT
 */
export function lmkFromHex(hex: string): Uint8Array {
  return hexToBytes(checkHex('lmk', hex, 2 * LMK_BYTES));
}

/**
 * A random LMK (32 bytes from the CSPRNG) for development and tests, announced with a loud warning naming its KCV
 * through `warn` (default: console.error): keys made under it are worthless in production, and it exists only in
 * this process unless the caller keeps it.
 * @example
 * const warnings = []
 * const lmk = generateDevelopmentLmk((message) => warnings.push(message))
 * lmk.length // => 32
 * warnings[0].includes(`DEVELOPMENT LMK (KCV ${lmkCheckValue(lmk)})`) // => true
 * @throws ERR_TYPE (`warn` not a function)
 */
export function generateDevelopmentLmk(warn: (message: string) => void = console.error): Uint8Array {
  if (typeof warn !== 'function') throw new CardHsmError('ERR_TYPE', '"warn" expected a function', 'warn');
  const lmk = randomBytes(LMK_BYTES);
  warn(
    `*** cardhsm WARNING: using a freshly generated DEVELOPMENT LMK (KCV ${lmkCheckValue(lmk)}). ` +
      'Keys wrapped under it are for development only. Load a production LMK from components or configuration. ***',
  );
  return lmk;
}
