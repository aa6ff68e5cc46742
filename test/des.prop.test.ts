// Properties of DES and TDES: decrypt∘encrypt = identity in ECB and CBC, inputs untouched and outputs fresh, and
// malformed keys, data and IVs rejected with the documented error codes. (Three rejection tests check the AES or CMAC
// counterpart of the same rule in the same test.)
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/index.js';
import { anyDesKey, blocks, bytesOf } from './helpers/arb.js';
import { expectCardHsmError } from './helpers/errors.js';

describe('round trips', () => {
  test('TDES ECB and CBC', () => {
    fc.assert(
      fc.property(anyDesKey, blocks(8, 16), bytesOf(8), (key, data, iv) => {
        expect(api.tdesDecryptEcb(key, api.tdesEncryptEcb(key, data))).toEqual(data);
        expect(api.tdesDecryptCbc(key, api.tdesEncryptCbc(key, data, iv), iv)).toEqual(data);
      }),
    );
  });

  test('inputs are never modified and outputs are fresh arrays', () => {
    const key = api.hexToBytes('0123456789ABCDEFFEDCBA9876543210');
    const data = new Uint8Array(16).fill(7);
    const out = api.tdesEncryptEcb(key, data);
    expect(data).toEqual(new Uint8Array(16).fill(7));
    expect(out.buffer).not.toBe(data.buffer);
    expect(out.byteLength).toBe(out.buffer.byteLength);
  });
});

describe('rejections', () => {
  const badLength = (ok: number[]) =>
    fc
      .integer({ min: 0, max: 40 })
      .filter((n) => !ok.includes(n))
      .chain(bytesOf);
  test('DES keys of any other length: ERR_LENGTH on key', () => {
    fc.assert(
      fc.property(badLength([8, 16, 24]), (key) => {
        expectCardHsmError(() => api.tdesEncryptEcb(key, new Uint8Array(8)), 'ERR_LENGTH', 'key');
      }),
    );
  });
  test('data that is not whole blocks: ERR_LENGTH on data', () => {
    const key = new Uint8Array(16);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }).filter((n) => n % 8 !== 0),
        (n) => {
          expectCardHsmError(() => api.tdesEncryptEcb(key, new Uint8Array(n)), 'ERR_LENGTH', 'data');
        },
      ),
    );
    expectCardHsmError(() => api.aesEncryptEcb(key, new Uint8Array(8)), 'ERR_LENGTH', 'data');
  });
  test('IVs of the wrong length: ERR_LENGTH on iv', () => {
    expectCardHsmError(
      () => api.tdesEncryptCbc(new Uint8Array(16), new Uint8Array(8), new Uint8Array(16)),
      'ERR_LENGTH',
      'iv',
    );
    expectCardHsmError(
      () => api.aesEncryptCbc(new Uint8Array(16), new Uint8Array(16), new Uint8Array(8)),
      'ERR_LENGTH',
      'iv',
    );
  });
  test('strings where bytes are expected: ERR_TYPE', () => {
    expectCardHsmError(() => api.tdesEncryptEcb('0123456789ABCDEF' as never, new Uint8Array(8)), 'ERR_TYPE', 'key');
    expectCardHsmError(() => api.aesCmac(new Uint8Array(16), 'abc' as never), 'ERR_TYPE', 'data');
  });
});
