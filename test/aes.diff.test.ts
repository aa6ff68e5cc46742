// Differential: cardhsm's AES kernel against node:crypto (OpenSSL) and node-forge, 10,000 random cases per mode.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { aesEncryptEcb, aesDecryptEcb, aesEncryptCbc, aesDecryptCbc } from '../src/index.js';
import { refAesEcbEncrypt, refAesEcbDecrypt, refAesCbcEncrypt, refAesCbcDecrypt } from './helpers/reference.js';
import { forgeAes } from './helpers/forge.js';
import { aesKey, blocks, bytesOf } from './helpers/arb.js';

const RUNS = 10_000;

describe('AES against node:crypto and node-forge', () => {
  test('ECB encrypt and decrypt', () => {
    fc.assert(
      fc.property(aesKey, blocks(16, 4), (key, data) => {
        const c = aesEncryptEcb(key, data);
        expect(c).toEqual(refAesEcbEncrypt(key, data));
        expect(c).toEqual(forgeAes(key, data, 'ECB', undefined, false));
        expect(aesDecryptEcb(key, data)).toEqual(refAesEcbDecrypt(key, data));
      }),
      { numRuns: RUNS },
    );
  });

  test('CBC encrypt and decrypt', () => {
    fc.assert(
      fc.property(aesKey, blocks(16, 4), bytesOf(16), (key, data, iv) => {
        const c = aesEncryptCbc(key, data, iv);
        expect(c).toEqual(refAesCbcEncrypt(key, data, iv));
        expect(c).toEqual(forgeAes(key, data, 'CBC', iv, false));
        expect(aesDecryptCbc(key, data, iv)).toEqual(refAesCbcDecrypt(key, data, iv));
      }),
      { numRuns: RUNS },
    );
  });
});
