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

/** The LMK's public fingerprint: AES-CMAC KCV (X9.24-1:2017), 3 bytes. */
export function lmkCheckValue(lmk: Uint8Array): string {
  checkBytes('lmk', lmk, [LMK_BYTES]);
  return keyCheckValue(lmk, { algorithm: 'AES', method: 'CMAC' });
}

/**
 * Combines 2-3 clear LMK components (32 bytes each) by XOR. Returns the LMK with its KCV and each component's KCV,
 * which the custodians compare against the values recorded when the components were generated.
 * @throws ERR_TYPE, ERR_LENGTH (component count or size), ERR_WEAK_KEY (identical components, an all-zero LMK)
 */
export function combineLmkComponents(components: Uint8Array[]): { lmk: Uint8Array; kcv: string; componentKcvs: string[] } {
  const list = checkArray('components', components);
  if (list.length < 2 || list.length > 3) {
    throw new CardHsmError('ERR_LENGTH', `"components" expected 2..3 components, got length=${list.length}`, 'components');
  }
  const parts = list.map((c, i) => checkBytes(`components[${i}]`, c, [LMK_BYTES]));
  checkDistinctComponents(parts);
  const lmk = new Uint8Array(LMK_BYTES);
  for (const part of parts) for (let i = 0; i < LMK_BYTES; i++) lmk[i]! ^= part[i]!;
  checkNotWeak('components', lmk, false);
  return { lmk, kcv: lmkCheckValue(lmk), componentKcvs: parts.map(lmkCheckValue) };
}

/** An LMK from configuration: 64 hex characters. @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT */
export function lmkFromHex(hex: string): Uint8Array {
  return hexToBytes(checkHex('lmk', hex, 2 * LMK_BYTES));
}

/**
 * A random LMK for development and tests, announced with a loud warning through `warn` (default: console.error):
 * keys made under it are worthless in production, and it exists only in this process unless the caller keeps it.
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
