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
 * AES-ECB encryption of `data` (a multiple of 16 bytes) under a 16-, 24- or 32-byte key.
 * @example bytesToHex(aesEncryptEcb(hexToBytes('000102030405060708090A0B0C0D0E0F'), hexToBytes('00112233445566778899AABBCCDDEEFF'))) // '69C4E0D86A7B0430D8CDB78070B4C55A'
 * @throws ERR_TYPE, ERR_LENGTH
 */
export function aesEncryptEcb(key: Uint8Array, data: Uint8Array): Uint8Array {
  return run(key, data, false, undefined);
}

/** AES-ECB decryption; see aesEncryptEcb. */
export function aesDecryptEcb(key: Uint8Array, data: Uint8Array): Uint8Array {
  return run(key, data, true, undefined);
}

/** AES-CBC encryption with a 16-byte IV, no padding. @throws ERR_TYPE, ERR_LENGTH */
export function aesEncryptCbc(key: Uint8Array, data: Uint8Array, iv: Uint8Array): Uint8Array {
  return run(key, data, false, checkBytes('iv', iv, [16]));
}

/** AES-CBC decryption with a 16-byte IV, no padding. @throws ERR_TYPE, ERR_LENGTH */
export function aesDecryptCbc(key: Uint8Array, data: Uint8Array, iv: Uint8Array): Uint8Array {
  return run(key, data, true, checkBytes('iv', iv, [16]));
}
