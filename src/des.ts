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
 * TDES-ECB encryption of `data` (a multiple of 8 bytes, 0 included) under an 8-byte (single DES), 16-byte (2-key
 * TDES, K3 = K1) or 24-byte (3-key TDES) key; returns as many bytes. The DES example is FIPS PUB 81 Appendix B
 * ("Now is the time for all "); the TDES one is Botan's des.vec [TripleDES] first case.
 * @example
 * bytesToHex(tdesEncryptEcb(hexToBytes('0123456789ABCDEF'), hexToBytes('4E6F772069732074'))) // => '3FA40E8A984D4815'
 * bytesToHex(tdesEncryptEcb(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), hexToBytes('0123456789ABCDE7'))) // => '7F1D0A77826B8AFF'
 * @throws ERR_TYPE, ERR_LENGTH (key length, data not a multiple of 8)
 */
export function tdesEncryptEcb(key: Uint8Array, data: Uint8Array): Uint8Array {
  return run(key, data, false, undefined);
}

/**
 * TDES-ECB decryption of `data` (a multiple of 8 bytes) under an 8-, 16- or 24-byte key; see tdesEncryptEcb. The
 * example reverses FIPS PUB 81 Appendix B.
 * @example
 * bytesToHex(tdesDecryptEcb(hexToBytes('0123456789ABCDEF'), hexToBytes('3FA40E8A984D4815'))) // => '4E6F772069732074'
 * @throws ERR_TYPE, ERR_LENGTH (key length, data not a multiple of 8)
 */
export function tdesDecryptEcb(key: Uint8Array, data: Uint8Array): Uint8Array {
  return run(key, data, true, undefined);
}

/**
 * TDES-CBC encryption of `data` (a multiple of 8 bytes) under an 8-, 16- or 24-byte key with an 8-byte IV, no
 * padding. The example is the first block of FIPS PUB 81 Appendix C (CBC, IV 1234567890ABCDEF).
 * @example
 * bytesToHex(tdesEncryptCbc(hexToBytes('0123456789ABCDEF'), hexToBytes('4E6F772069732074'), hexToBytes('1234567890ABCDEF'))) // => 'E5C7CDDE872BF27C'
 * @throws ERR_TYPE, ERR_LENGTH (key, IV, data not a multiple of 8)
 */
export function tdesEncryptCbc(key: Uint8Array, data: Uint8Array, iv: Uint8Array): Uint8Array {
  return run(key, data, false, checkBytes('iv', iv, [8]));
}

/**
 * TDES-CBC decryption of `data` (a multiple of 8 bytes) under an 8-, 16- or 24-byte key with an 8-byte IV, no
 * padding. The example reverses FIPS PUB 81 Appendix C.
 * @example
 * bytesToHex(tdesDecryptCbc(hexToBytes('0123456789ABCDEF'), hexToBytes('E5C7CDDE872BF27C'), hexToBytes('1234567890ABCDEF'))) // => '4E6F772069732074'
 * @throws ERR_TYPE, ERR_LENGTH (key, IV, data not a multiple of 8)
 */
export function tdesDecryptCbc(key: Uint8Array, data: Uint8Array, iv: Uint8Array): Uint8Array {
  return run(key, data, true, checkBytes('iv', iv, [8]));
}
