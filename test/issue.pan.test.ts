// The PAN permutation (src/issue/pan.ts): exact for whole small domains, FF1 radix 10 over the body with the prefix
// as tweak, the keyed shuffle (with a warning) for bodies under 6 digits, and bad prefixes and lengths.
import { describe, expect, test } from 'vitest';
import * as api from '../src/index.js';
import { PanIssuer } from '../src/index.js';
import { expectCardHsmError } from './helpers/errors.js';

const AES = api.hexToBytes('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F');

describe('PanIssuer', () => {
  test('a 6-digit body: the 1,000,000 counters give 1,000,000 distinct Luhn-valid PANs (a permutation)', () => {
    const issuer = new PanIssuer({ key: AES, bin: '457173601', length: 16 });
    expect(issuer.bodyDigits).toBe(6);
    expect(issuer.warning).toBeUndefined();
    const seen = new Uint8Array(issuer.capacity);
    for (let start = 0; start < issuer.capacity; start += 200_000) {
      for (const pan of issuer.pansAt(start, 200_000)) {
        const body = Number(pan.slice(9, 15));
        expect(seen[body]).toBe(0);
        seen[body] = 1;
      }
    }
    expect(seen.every((x) => x === 1)).toBe(true);
    expect(api.isLuhnValid(issuer.panAt(123_456))).toBe(true);
    expectCardHsmError(() => issuer.pansAt(999_999, 2), 'ERR_RANGE_EXHAUSTED', 'count');
  }, 120_000);

  test('the body is FF1 radix 10 of the counter with the prefix digits as tweak', () => {
    const issuer = new PanIssuer({ key: AES, bin: '45717360', length: 16 });
    const tweak = Uint8Array.from('45717360', (c) => c.charCodeAt(0));
    const body = api.ff1Encrypt(AES, tweak, 10, '0000042');
    expect(issuer.panAt(42)).toBe(`45717360${body}${api.luhnCheckDigit(`45717360${body}`)}`);
  });

  test.each([1, 2, 3, 4, 5])(
    'a %i-digit body uses the keyed shuffle: still an exact permutation, with a warning',
    (k) => {
      const bin = '4571736'.padEnd(18 - k, '0').slice(0, 11);
      const length = bin.length + k + 1;
      const issuer = new PanIssuer({ key: AES, bin, length });
      expect(issuer.bodyDigits).toBe(k);
      expect(issuer.warning).toMatch(/predictable/);
      const pans = issuer.pansAt(0, issuer.capacity);
      expect(new Set(pans).size).toBe(issuer.capacity);
      expect(pans.every(api.isLuhnValid)).toBe(true);
      expect(new PanIssuer({ key: AES.map((b) => b ^ 1), bin, length }).pansAt(0, issuer.capacity)).not.toEqual(pans);
    },
    60_000,
  );

  test('bad prefixes and lengths', () => {
    expectCardHsmError(() => new PanIssuer({ key: AES, bin: '12345', length: 16 }), 'ERR_LENGTH', 'bin');
    expectCardHsmError(() => new PanIssuer({ key: AES, bin: '12345678901', length: 12 }), 'ERR_FORMAT', 'length');
    expectCardHsmError(() => new PanIssuer({ key: new Uint8Array(8), bin: '123456', length: 16 }), 'ERR_LENGTH', 'key');
  });
});
