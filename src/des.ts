// DES and TDES in ECB and CBC modes (FIPS 46-3, NIST SP 800-67 Rev. 2, SP 800-38A), no padding.
// Keys: 8 bytes (single DES), 16 (2-key TDES, K3 = K1) or 24 (3-key TDES). Parity bits are ignored, as by
// every DES implementation; check them with hasOddDesParity where a key's origin matters.
import { checkBlocks, checkBytes } from './_validate.js';
import { blockCipher, ALG_TDES } from './wasm/_calls.js';

const KEY_LENGTHS = [8, 16, 24] as const;

function run(key: Uint8Array, data: Uint8Array, decrypt: boolean, iv: Uint8Array | undefined): Uint8Array {
  checkBytes('key', key, KEY_LENGTHS);
  checkBlocks('data', data, 8);
  return blockCipher(ALG_TDES, key, data, decrypt, iv);
}

/**
 * TDES-ECB encryption of `data` (a multiple of 8 bytes) under an 8-, 16- or 24-byte key.
 * @example bytesToHex(tdesEncryptEcb(hexToBytes('0123456789ABCDEF'), hexToBytes('4E6F772069732074'))) // '3FA40E8A984D4815'
 * @throws ERR_TYPE, ERR_LENGTH (key length, data not a multiple of 8)
 */
export function tdesEncryptEcb(key: Uint8Array, data: Uint8Array): Uint8Array {
  return run(key, data, false, undefined);
}

/** TDES-ECB decryption; see tdesEncryptEcb. */
export function tdesDecryptEcb(key: Uint8Array, data: Uint8Array): Uint8Array {
  return run(key, data, true, undefined);
}

/** TDES-CBC encryption with an 8-byte IV, no padding. @throws ERR_TYPE, ERR_LENGTH */
export function tdesEncryptCbc(key: Uint8Array, data: Uint8Array, iv: Uint8Array): Uint8Array {
  return run(key, data, false, checkBytes('iv', iv, [8]));
}

/** TDES-CBC decryption with an 8-byte IV, no padding. @throws ERR_TYPE, ERR_LENGTH */
export function tdesDecryptCbc(key: Uint8Array, data: Uint8Array, iv: Uint8Array): Uint8Array {
  return run(key, data, true, checkBytes('iv', iv, [8]));
}
