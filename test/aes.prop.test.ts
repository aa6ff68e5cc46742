// Properties of AES: decrypt∘encrypt = identity in ECB and CBC, and keys of any other length rejected with
// ERR_LENGTH on key.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/index.js';
import { aesKey, blocks, bytesOf } from './helpers/arb.js';
import { expectCardHsmError } from './helpers/errors.js';

describe('round trips', () => {
  test('AES ECB and CBC', () => {
    fc.assert(
      fc.property(aesKey, blocks(16, 16), bytesOf(16), (key, data, iv) => {
        expect(api.aesDecryptEcb(key, api.aesEncryptEcb(key, data))).toEqual(data);
        expect(api.aesDecryptCbc(key, api.aesEncryptCbc(key, data, iv), iv)).toEqual(data);
      }),
    );
  });
});

describe('rejections', () => {
  const badLength = (ok: number[]) =>
    fc
      .integer({ min: 0, max: 40 })
      .filter((n) => !ok.includes(n))
      .chain(bytesOf);
  test('AES keys of any other length: ERR_LENGTH on key', () => {
    fc.assert(
      fc.property(badLength([16, 24, 32]), (key) => {
        expectCardHsmError(() => api.aesEncryptEcb(key, new Uint8Array(16)), 'ERR_LENGTH', 'key');
      }),
    );
  });
});
