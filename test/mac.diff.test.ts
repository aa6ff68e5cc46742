// Differential: CMAC against a reference written from NIST SP 800-38B over node:crypto, ISO/IEC 9797-1 MAC
// algorithms 1 and 3 against the reference written from ISO/IEC 9797-1 (test/helpers/mac-reference.ts), HMAC against
// node:crypto; 10,000 random cases per operation, plus messages longer than one kernel buffer (the chunked paths).
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { aesCmac, tdesCmac, isoMac, hmac } from '../src/index.js';
import { refCmac } from './helpers/reference.js';
import { refHmac, refIsoMac } from './helpers/mac-reference.js';
import { aesKey, anyDesKey, bytesOf } from './helpers/arb.js';

const RUNS = 10_000;
const message = fc.uint8Array({ maxLength: 70 });

describe('CMAC against the SP 800-38B reference', () => {
  test('AES-CMAC', () => {
    fc.assert(
      fc.property(aesKey, message, (key, m) => {
        expect(aesCmac(key, m)).toEqual(refCmac(key, m, 'AES'));
      }),
      { numRuns: RUNS },
    );
  });

  test('TDES-CMAC', () => {
    fc.assert(
      fc.property(anyDesKey, message, (key, m) => {
        expect(tdesCmac(key, m)).toEqual(refCmac(key, m, 'TDES'));
      }),
      { numRuns: RUNS },
    );
  });

  test('messages across kernel-buffer boundaries (complete and partial last blocks)', () => {
    const aes = Uint8Array.from({ length: 32 }, (_, i) => i);
    const des = Uint8Array.from({ length: 24 }, (_, i) => 0x40 + i);
    for (const len of [(1 << 19) - 1, 1 << 19, (1 << 19) + 1, (1 << 20) + 8, (1 << 20) + 16, 3 * (1 << 19) + 5]) {
      const m = Uint8Array.from({ length: len }, (_, i) => (i * 7) & 0xff);
      expect(aesCmac(aes, m)).toEqual(refCmac(aes, m, 'AES'));
      expect(tdesCmac(des, m)).toEqual(refCmac(des, m, 'TDES'));
    }
  });
});

const padding = fc.constantFrom(1 as const, 2 as const, 3 as const);
const macLength = fc.integer({ min: 4, max: 8 });

describe('ISO/IEC 9797-1 against the reference', () => {
  test('MAC algorithm 1 (DES and TDES keys), padding 1-3, lengths 4-8', () => {
    fc.assert(
      fc.property(anyDesKey, message, padding, macLength, (key, m, p, len) => {
        expect(isoMac(key, m, { algorithm: 1, padding: p, length: len })).toEqual(refIsoMac(key, m, 1, p, len));
      }),
      { numRuns: RUNS },
    );
  });

  test("MAC algorithm 3 (K || K'), padding 1-3, lengths 4-8", () => {
    fc.assert(
      fc.property(bytesOf(16), message, padding, macLength, (key, m, p, len) => {
        expect(isoMac(key, m, { algorithm: 3, padding: p, length: len })).toEqual(refIsoMac(key, m, 3, p, len));
      }),
      { numRuns: RUNS },
    );
  });

  test('messages across kernel-buffer boundaries', () => {
    const key = Uint8Array.from({ length: 16 }, (_, i) => 0x31 * i);
    // The reference makes a cipher per block, so each length runs one algorithm/padding pair.
    const cases = [
      [(1 << 19) - 1, 3, 1],
      [1 << 19, 3, 2],
      [(1 << 19) + 1, 1, 3],
      [(1 << 20) + 8, 3, 3],
    ] as const;
    for (const [len, a, p] of cases) {
      const m = Uint8Array.from({ length: len }, (_, i) => (i * 13) & 0xff);
      expect(isoMac(key, m, { algorithm: a, padding: p })).toEqual(refIsoMac(key, m, a, p));
    }
  });
});

describe('HMAC against node:crypto', () => {
  const hash = fc.constantFrom('SHA-256' as const, 'SHA-384' as const, 'SHA-512' as const);
  test('SHA-256/384/512, keys 0..200 bytes (longer than a block are hashed), messages 0..300 bytes', () => {
    fc.assert(
      fc.property(hash, fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 300 }), (h, key, m) => {
        expect(hmac(h, key, m)).toEqual(refHmac(h, key, m));
      }),
      { numRuns: RUNS },
    );
  });

  test('messages across kernel-buffer boundaries', () => {
    const key = Uint8Array.from({ length: 37 }, (_, i) => i);
    for (const len of [(1 << 19) - 1, 1 << 19, (1 << 19) + 1, (1 << 20) + 64, 3 * (1 << 19) + 5]) {
      const m = Uint8Array.from({ length: len }, (_, i) => (i * 7) & 0xff);
      for (const h of ['SHA-256', 'SHA-384', 'SHA-512'] as const) expect(hmac(h, key, m)).toEqual(refHmac(h, key, m));
    }
  });
});
