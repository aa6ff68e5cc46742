// Key check values: a key's public fingerprint. ANSI X9.24-1: encrypt an all-zero block (DES/TDES, and legacy
// AES); ANSI X9.24-1:2017 / X9.143 (TR-31): the CMAC of an all-zero block (AES).
import { CardHsmError } from '../errors.js';
import { bytesToHex } from '../bytes.js';
import { checkBytes, checkInt, checkOneOf, checkOptions } from '../_validate.js';
import { tdesEncryptEcb } from '../des.js';
import { aesEncryptEcb } from '../aes.js';
import { aesCmac, tdesCmac } from '../mac.js';

export type KcvAlgorithm = 'TDES' | 'AES';
export type KcvMethod = 'ZEROS' | 'CMAC';

export interface KcvOptions {
  /** Default from the key length: 8/16/24 bytes -> TDES, 32 -> AES (16 and 24 are TDES unless 'AES' is given). */
  algorithm?: KcvAlgorithm;
  /** Default ZEROS for TDES, CMAC for AES. */
  method?: KcvMethod;
  /** Bytes of the check value, 2..8; default 3. */
  length?: number;
}

/**
 * The key check value of `key`: uppercase hex of the leftmost `length` bytes of the encrypted zero block (ZEROS)
 * or of the CMAC of the zero block (CMAC).
 * @example keyCheckValue(hexToBytes('0123456789ABCDEFFEDCBA9876543210')) // '08D7B4'
 * @throws ERR_TYPE, ERR_LENGTH (key length for the algorithm), ERR_FORMAT (unknown algorithm or method, bad length)
 */
export function keyCheckValue(key: Uint8Array, opts?: KcvOptions): string {
  const o = checkOptions('opts', opts);
  checkBytes('key', key, [8, 16, 24, 32]);
  const algorithm = o.algorithm === undefined ? (key.length === 32 ? 'AES' : 'TDES') : checkOneOf('opts.algorithm', o.algorithm, ['TDES', 'AES'] as const);
  const method = o.method === undefined ? (algorithm === 'AES' ? 'CMAC' : 'ZEROS') : checkOneOf('opts.method', o.method, ['ZEROS', 'CMAC'] as const);
  const length = o.length === undefined ? 3 : checkInt('opts.length', o.length, 2, 8);
  if (algorithm === 'AES' && key.length === 8) {
    throw new CardHsmError('ERR_LENGTH', '"key" expected 16, 24, 32 bytes for AES, got length=8', 'key');
  }
  if (algorithm === 'TDES' && key.length === 32) {
    throw new CardHsmError('ERR_LENGTH', '"key" expected 8, 16, 24 bytes for TDES, got length=32', 'key');
  }
  const zero = new Uint8Array(algorithm === 'AES' ? 16 : 8);
  let check: Uint8Array;
  if (algorithm === 'AES') check = method === 'CMAC' ? aesCmac(key, zero) : aesEncryptEcb(key, zero);
  else check = method === 'CMAC' ? tdesCmac(key, zero) : tdesEncryptEcb(key, zero);
  return bytesToHex(check.subarray(0, length));
}
