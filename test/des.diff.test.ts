// Differential: cardhsm's DES/TDES kernel against node:crypto (OpenSSL) and node-forge, 10,000 random cases
// per mode and direction. Single DES runs on OpenSSL as des-ede with K || K (Node 20 rejects des-ecb).
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { tdesEncryptEcb, tdesDecryptEcb, tdesEncryptCbc, tdesDecryptCbc } from '../src/index.js';
import { refDesEcbEncrypt, refDesEcbDecrypt, refDesCbcEncrypt, refDesCbcDecrypt } from './helpers/reference.js';
import { forgeTdes } from './helpers/forge.js';
import { anyDesKey, blocks, bytesOf } from './helpers/arb.js';

const RUNS = 10_000;

describe('TDES against node:crypto and node-forge', () => {
  test('ECB encrypt and decrypt', () => {
    fc.assert(
      fc.property(anyDesKey, blocks(8, 4), (key, data) => {
        const c = tdesEncryptEcb(key, data);
        expect(c).toEqual(refDesEcbEncrypt(key, data));
        expect(c).toEqual(forgeTdes(key, data, 'ECB', undefined, false));
        expect(tdesDecryptEcb(key, data)).toEqual(refDesEcbDecrypt(key, data));
      }),
      { numRuns: RUNS },
    );
  });

  test('CBC encrypt and decrypt', () => {
    fc.assert(
      fc.property(anyDesKey, blocks(8, 4), bytesOf(8), (key, data, iv) => {
        const c = tdesEncryptCbc(key, data, iv);
        expect(c).toEqual(refDesCbcEncrypt(key, data, iv));
        expect(c).toEqual(forgeTdes(key, data, 'CBC', iv, false));
        expect(tdesDecryptCbc(key, data, iv)).toEqual(refDesCbcDecrypt(key, data, iv));
      }),
      { numRuns: RUNS },
    );
  });
});
