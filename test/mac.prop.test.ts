// Properties of the ISO/IEC 9797-1 MACs and HMAC: a one-bit change of key or message changes the MAC; shorter MACs
// are prefixes of the full one; padding method 1 cannot tell trailing zeros apart while 2 and 3 can (the reason
// methods 2 and 3 exist); algorithm 3 with K' = K is algorithm 1 with DES K; inputs are never modified; totality.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { CardHsmError, isoMac, hmac } from '../src/index.js';
import { bytesOf, junk } from './helpers/arb.js';

const key16 = bytesOf(16);
const message = fc.uint8Array({ minLength: 1, maxLength: 64 });
const padding = fc.constantFrom(1 as const, 2 as const, 3 as const);
const algorithm = fc.constantFrom(1 as const, 3 as const);
const flip = (b: Uint8Array, bit: number): Uint8Array => {
  const c = b.slice();
  c[(bit >> 3) % c.length]! ^= 1 << (bit & 7);
  return c;
};

describe('isoMac', () => {
  test('a one-bit change of the message changes the 8-byte MAC', () => {
    fc.assert(
      fc.property(key16, message, algorithm, padding, fc.nat(), (k, m, a, p, bit) => {
        expect(isoMac(k, flip(m, bit), { algorithm: a, padding: p })).not.toEqual(
          isoMac(k, m, { algorithm: a, padding: p }),
        );
      }),
      { numRuns: 2000 },
    );
  });

  test('a one-bit change of a key bit that DES uses (not a parity bit) changes the MAC', () => {
    fc.assert(
      fc.property(
        key16,
        message,
        padding,
        fc.integer({ min: 0, max: 127 }).filter((b) => (b & 7) !== 0),
        (k, m, p, bit) => {
          // Bit 0 of each byte is parity, ignored by DES; algorithm 3 uses all 16 bytes (K and K').
          const c = k.slice();
          c[bit >> 3]! ^= 1 << (bit & 7);
          expect(isoMac(c, m, { algorithm: 3, padding: p })).not.toEqual(isoMac(k, m, { algorithm: 3, padding: p }));
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('a MAC of length n is the first n bytes of the 8-byte MAC', () => {
    fc.assert(
      fc.property(key16, message, algorithm, padding, fc.integer({ min: 4, max: 8 }), (k, m, a, p, n) => {
        expect(isoMac(k, m, { algorithm: a, padding: p, length: n })).toEqual(
          isoMac(k, m, { algorithm: a, padding: p }).subarray(0, n),
        );
      }),
    );
  });

  test('padding 1 maps M and M || 00 to one MAC (fewer than 8 zeros to a block); padding 2 and 3 do not', () => {
    fc.assert(
      fc.property(
        key16,
        fc.uint8Array({ minLength: 1, maxLength: 30 }).filter((m) => m.length % 8 !== 0),
        algorithm,
        (k, m, a) => {
          const longer = new Uint8Array(m.length + 1);
          longer.set(m);
          expect(isoMac(k, longer, { algorithm: a, padding: 1 })).toEqual(isoMac(k, m, { algorithm: a, padding: 1 }));
          expect(isoMac(k, longer, { algorithm: a, padding: 2 })).not.toEqual(
            isoMac(k, m, { algorithm: a, padding: 2 }),
          );
          expect(isoMac(k, longer, { algorithm: a, padding: 3 })).not.toEqual(
            isoMac(k, m, { algorithm: a, padding: 3 }),
          );
        },
      ),
    );
  });

  test("algorithm 3 with K' = K equals algorithm 1 under single DES K", () => {
    fc.assert(
      fc.property(bytesOf(8), message, padding, (k, m, p) => {
        const kk = new Uint8Array(16);
        kk.set(k);
        kk.set(k, 8);
        expect(isoMac(kk, m, { algorithm: 3, padding: p })).toEqual(isoMac(k, m, { algorithm: 1, padding: p }));
      }),
    );
  });

  test('inputs are not modified and the output is a fresh array', () => {
    fc.assert(
      fc.property(key16, message, algorithm, padding, (k, m, a, p) => {
        const k0 = k.slice(),
          m0 = m.slice();
        const out = isoMac(k, m, { algorithm: a, padding: p });
        expect(k).toEqual(k0);
        expect(m).toEqual(m0);
        expect(out.buffer).not.toBe(k.buffer);
        expect(out.byteLength).toBe(out.buffer.byteLength);
      }),
    );
  });

  test('totality: arbitrary arguments return 4..8 bytes or throw CardHsmError', () => {
    fc.assert(
      fc.property(
        fc.oneof(junk, key16),
        fc.oneof(junk, message),
        fc.oneof(
          junk,
          fc.record({
            algorithm: fc.oneof(algorithm, junk),
            padding: fc.oneof(padding, junk),
            length: fc.oneof(fc.integer({ min: 0, max: 10 }), junk),
          }),
        ),
        (k, m, o) => {
          try {
            const r = isoMac(k as Uint8Array, m as Uint8Array, o as never);
            expect(r.length >= 4 && r.length <= 8).toBe(true);
          } catch (e) {
            expect(e).toBeInstanceOf(CardHsmError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('hmac', () => {
  const hash = fc.constantFrom('SHA-256' as const, 'SHA-384' as const, 'SHA-512' as const);
  test('a one-bit change of key or message changes the tag', () => {
    fc.assert(
      fc.property(hash, fc.uint8Array({ minLength: 1, maxLength: 150 }), message, fc.nat(), (h, k, m, bit) => {
        expect(hmac(h, flip(k, bit), m)).not.toEqual(hmac(h, k, m));
        expect(hmac(h, k, flip(m, bit))).not.toEqual(hmac(h, k, m));
      }),
      { numRuns: 1000 },
    );
  });

  test('totality: arbitrary arguments return a 32/48/64-byte tag or throw CardHsmError', () => {
    fc.assert(
      fc.property(fc.oneof(junk, hash), fc.oneof(junk, fc.uint8Array()), fc.oneof(junk, fc.uint8Array()), (h, k, m) => {
        try {
          expect([32, 48, 64]).toContain(hmac(h as 'SHA-256', k as Uint8Array, m as Uint8Array).length);
        } catch (e) {
          expect(e).toBeInstanceOf(CardHsmError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
