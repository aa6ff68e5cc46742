// Key check values: a key's public fingerprint. ANSI X9.24-1: encrypt an all-zero block (DES/TDES, and legacy
// AES); ANSI X9.24-1:2017 / X9.143 (TR-31): the CMAC of an all-zero block (AES).
import { CardHsmError } from '../errors.js';
import { bytesToHex } from '../bytes.js';
import { checkBytes, checkInt, checkOneOf, checkOptions } from '../_validate.js';
import { tdesEncryptEcb } from '../des.js';
import { aesEncryptEcb } from '../aes.js';
import { aesCmac, tdesCmac } from '../mac.js';

/**
 * The cipher of a key check value: 'TDES' (DES and TDES keys of 8, 16 or 24 bytes; an 8-byte key is single DES)
 * or 'AES' (16, 24 or 32 bytes). A 16- or 24-byte key is TDES unless 'AES' is given. The AES value is a public Go
 * test's (kek_test.go, test/vectors/kcv.json); the TDES one was computed with this library.
 * @example
 * keyCheckValue(hexToBytes('A1B2C3D4E5F60718293A4B5C6D7E8F90'), { algorithm: 'AES' }) // => '9AD77D'
 * keyCheckValue(hexToBytes('A1B2C3D4E5F60718293A4B5C6D7E8F90'), { algorithm: 'TDES' }) // => '76CDB5'
 * keyCheckValue(hexToBytes('A1B2C3D4E5F60718293A4B5C6D7E8F90')) // => '76CDB5'
 */
export type KcvAlgorithm = 'TDES' | 'AES';

/**
 * How a key check value is computed: 'ZEROS' encrypts one all-zero block (ANSI X9.24-1; the default for TDES),
 * 'CMAC' takes the CMAC of one all-zero block (X9.24-1:2017, X9.143; the default for AES). The AES values are the
 * component check values of a public Go test (kek_test.go, test/vectors/kcv.json).
 * @example
 * keyCheckValue(hexToBytes('A1B2C3D4E5F60718293A4B5C6D7E8F90'), { algorithm: 'AES', method: 'ZEROS' }) // => '40ED1B'
 * keyCheckValue(hexToBytes('A1B2C3D4E5F60718293A4B5C6D7E8F90'), { algorithm: 'AES', method: 'CMAC' }) // => '9AD77D'
 */
export type KcvMethod = 'ZEROS' | 'CMAC';

/**
 * Options of keyCheckValue: the algorithm and method (defaults from the key length) and the length in bytes.
 * @example
 * const opts = { algorithm: 'TDES', method: 'ZEROS', length: 2 }
 * keyCheckValue(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), opts) // => '08D7'
 */
export interface KcvOptions {
  /** Default from the key length: 8/16/24 bytes -> TDES, 32 -> AES (16 and 24 are TDES unless 'AES' is given). */
  algorithm?: KcvAlgorithm;
  /** Default ZEROS for TDES, CMAC for AES. */
  method?: KcvMethod;
  /** Bytes of the check value, 2..8; default 3. */
  length?: number;
}

/**
 * The key check value of `key` (8, 16 or 24 bytes for TDES; 16, 24 or 32 for AES): uppercase hex of the leftmost
 * `opts.length` bytes (2..8, default 3) of the encrypted zero block (ZEROS) or of the CMAC of the zero block (CMAC).
 * The algorithm defaults from the key length (32 bytes: AES, else TDES), the method from the algorithm. The TDES
 * value extends psec's 2-byte `08D7` (knovichikhin/psec, test/vectors/kcv.json) to the usual 3 bytes.
 * @example
 * keyCheckValue(hexToBytes('0123456789ABCDEFFEDCBA9876543210')) // => '08D7B4'
 * keyCheckValue(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), { length: 2 }) // => '08D7'
 * keyCheckValue(hexToBytes('A1B2C3D4E5F60718293A4B5C6D7E8F90'), { algorithm: 'AES' }) // => '9AD77D'
 * @throws ERR_TYPE, ERR_LENGTH (key length for the algorithm), ERR_FORMAT (unknown algorithm or method, bad length)
 */
export function keyCheckValue(key: Uint8Array, opts?: KcvOptions): string {
  const o = checkOptions('opts', opts);
  checkBytes('key', key, [8, 16, 24, 32]);
  const algorithm =
    o.algorithm === undefined
      ? key.length === 32
        ? 'AES'
        : 'TDES'
      : checkOneOf('opts.algorithm', o.algorithm, ['TDES', 'AES'] as const);
  const method =
    o.method === undefined
      ? algorithm === 'AES'
        ? 'CMAC'
        : 'ZEROS'
      : checkOneOf('opts.method', o.method, ['ZEROS', 'CMAC'] as const);
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
