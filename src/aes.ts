// AES-128/192/256 in ECB and CBC modes (FIPS 197, NIST SP 800-38A), no padding. AES-ECB serves PIN block
// format 4 and FF1; CBC serves data keys.
import { checkBlocks, checkBytes } from './_validate.js';
import { blockCipher, ALG_AES } from './wasm/_calls.js';

const KEY_LENGTHS = [16, 24, 32] as const;

function run(key: Uint8Array, data: Uint8Array, decrypt: boolean, iv: Uint8Array | undefined): Uint8Array {
  checkBytes('key', key, KEY_LENGTHS);
  checkBlocks('data', data, 16);
  return blockCipher(ALG_AES, key, data, decrypt, iv);
}

/**
 * AES-ECB encryption of `data` (a multiple of 16 bytes, 0 included) under a 16-, 24- or 32-byte key; returns as
 * many bytes. The example is FIPS 197 Appendix C.1 (AES-128).
 * @example
 * bytesToHex(aesEncryptEcb(hexToBytes('000102030405060708090A0B0C0D0E0F'), hexToBytes('00112233445566778899AABBCCDDEEFF'))) // => '69C4E0D86A7B0430D8CDB78070B4C55A'
 * @throws ERR_TYPE, ERR_LENGTH (key length, data not a multiple of 16)
 */
export function aesEncryptEcb(key: Uint8Array, data: Uint8Array): Uint8Array {
  return run(key, data, false, undefined);
}

/**
 * AES-ECB decryption of `data` (a multiple of 16 bytes) under a 16-, 24- or 32-byte key; see aesEncryptEcb. The
 * example reverses FIPS 197 Appendix C.1.
 * @example
 * bytesToHex(aesDecryptEcb(hexToBytes('000102030405060708090A0B0C0D0E0F'), hexToBytes('69C4E0D86A7B0430D8CDB78070B4C55A'))) // => '00112233445566778899AABBCCDDEEFF'
 * @throws ERR_TYPE, ERR_LENGTH (key length, data not a multiple of 16)
 */
export function aesDecryptEcb(key: Uint8Array, data: Uint8Array): Uint8Array {
  return run(key, data, true, undefined);
}

/**
 * AES-CBC encryption of `data` (a multiple of 16 bytes) under a 16-, 24- or 32-byte key with a 16-byte IV, no
 * padding. The example is block 1 of NIST SP 800-38A F.2.1 (CBC-AES128.Encrypt).
 * @example
 * bytesToHex(aesEncryptCbc(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), hexToBytes('6BC1BEE22E409F96E93D7E117393172A'), hexToBytes('000102030405060708090A0B0C0D0E0F'))) // => '7649ABAC8119B246CEE98E9B12E9197D'
 * @throws ERR_TYPE, ERR_LENGTH (key, IV, data not a multiple of 16)
 */
export function aesEncryptCbc(key: Uint8Array, data: Uint8Array, iv: Uint8Array): Uint8Array {
  return run(key, data, false, checkBytes('iv', iv, [16]));
}

/**
 * AES-CBC decryption of `data` (a multiple of 16 bytes) under a 16-, 24- or 32-byte key with a 16-byte IV, no
 * padding. The example is block 1 of NIST SP 800-38A F.2.2 (CBC-AES128.Decrypt).
 * @example
 * bytesToHex(aesDecryptCbc(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), hexToBytes('7649ABAC8119B246CEE98E9B12E9197D'), hexToBytes('000102030405060708090A0B0C0D0E0F'))) // => '6BC1BEE22E409F96E93D7E117393172A'
 * @throws ERR_TYPE, ERR_LENGTH (key, IV, data not a multiple of 16)
 */
export function aesDecryptCbc(key: Uint8Array, data: Uint8Array, iv: Uint8Array): Uint8Array {
  return run(key, data, true, checkBytes('iv', iv, [16]));
}
