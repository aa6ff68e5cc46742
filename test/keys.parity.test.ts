// DES parity (FIPS 46-3 section 3): known values, fixDesParity's properties, and parity bits that do not change DES
// results.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/index.js';
import { bytesOf } from './helpers/arb.js';

const h = api.hexToBytes;

describe('DES parity (FIPS 46-3: each byte has an odd number of one bits)', () => {
  test('known values', () => {
    expect(api.hasOddDesParity(h('0123456789ABCDEF'))).toBe(true);
    expect(api.hasOddDesParity(h('0123456789ABCDEFFEDCBA9876543210'))).toBe(true);
    expect(api.hasOddDesParity(h('0022446688AACCEE'))).toBe(false);
    expect(api.bytesToHex(api.fixDesParity(h('0022446688AACCEE')))).toBe('0123456789ABCDEF');
    expect(api.bytesToHex(api.fixDesParity(h('0000000000000000')))).toBe('0101010101010101');
  });
  test('fixDesParity always yields odd parity, changes only bit 0 of each byte, and is idempotent', () => {
    fc.assert(
      fc.property(fc.constantFrom(8, 16, 24).chain(bytesOf), (key) => {
        const fixed = api.fixDesParity(key);
        expect(api.hasOddDesParity(fixed)).toBe(true);
        expect(fixed.every((b, i) => (b & 0xfe) === (key[i]! & 0xfe))).toBe(true);
        expect(api.fixDesParity(fixed)).toEqual(fixed);
        expect(api.hasOddDesParity(key)).toBe(api.bytesToHex(fixed) === api.bytesToHex(key));
      }),
    );
  });
  test('parity does not change DES results (parity bits are not key bits)', () => {
    fc.assert(
      fc.property(bytesOf(16), bytesOf(8), (key, block) => {
        expect(api.tdesEncryptEcb(api.fixDesParity(key), block)).toEqual(api.tdesEncryptEcb(key, block));
      }),
      { numRuns: 200 },
    );
  });
});
