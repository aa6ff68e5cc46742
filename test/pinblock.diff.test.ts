// Differential: the card primitives (CVV family, PVV, IBM 3624, PIN blocks, KCV, Luhn) against small reference
// implementations written from the specifications over node:crypto (test/helpers/reference.ts), 10,000 random
// cases each.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/index.js';
import * as ref from './helpers/reference.js';
import * as arb from './helpers/arb.js';

const RUNS = 10_000;
const opts = { numRuns: RUNS };

describe('card primitives against the references', () => {
  test('CVV, CVV2, iCVV', () => {
    fc.assert(
      fc.property(arb.cvk, arb.pan, arb.expiry, arb.serviceCode, (cvk, pan, expiry, sc) => {
        expect(api.generateCvv(cvk, pan, expiry, sc)).toBe(ref.refCvv(cvk, pan, expiry, sc));
        expect(api.generateCvv2(cvk, pan, expiry)).toBe(ref.refCvv(cvk, pan, expiry, '000'));
        expect(api.generateIcvv(cvk, pan, expiry)).toBe(ref.refCvv(cvk, pan, expiry, '999'));
      }),
      opts,
    );
  });

  test('CVV batch equals the reference item by item', () => {
    const item = fc.record({ pan: arb.pan, expiry: arb.expiry, serviceCode: arb.serviceCode });
    fc.assert(
      fc.property(arb.cvk, fc.array(item, { maxLength: 50 }), (cvk, items) => {
        expect(api.generateCvvBatch(cvk, items)).toEqual(items.map((i) => ref.refCvv(cvk, i.pan, i.expiry, i.serviceCode)));
      }),
      { numRuns: 500 },
    );
  });

  test('Visa PVV (single- and double-length PVK)', () => {
    fc.assert(
      fc.property(arb.pvk, arb.pan, arb.digits(1, 1), arb.pin, (pvk, pan, pvki, pin) => {
        expect(api.generateVisaPvv(pvk, pan, pvki, pin)).toBe(ref.refVisaPvv(pvk, pan, pvki, pin));
      }),
      opts,
    );
  });

  test('IBM 3624 natural PIN and offset', () => {
    fc.assert(
      fc.property(arb.pvk, arb.hexUpper(16), arb.decimalizationTable, arb.pin, (pvk, data, table, pin) => {
        expect(api.generateIbm3624Pin(pvk, data, table, pin.length)).toBe(ref.refIbm3624Pin(pvk, data, table, pin.length));
        expect(api.generateIbm3624Offset(pvk, data, table, pin)).toBe(ref.refIbm3624Offset(pvk, data, table, pin));
      }),
      opts,
    );
  });

  test('PIN block formats 0-3 encode and decode', () => {
    const shortPan = arb.digits(2, 19);
    fc.assert(
      fc.property(arb.pin, shortPan, fc.integer({ min: 0, max: 15 }), (pin, pan, seed) => {
        const n = 14 - pin.length;
        const fill1 = Array.from({ length: n }, (_, i) => '0123456789ABCDEF'[(seed + 5 * i) % 16]).join('');
        const fill3 = Array.from({ length: n }, (_, i) => 'ABCDEF'[(seed + i) % 6]).join('');
        const b0 = api.encodePinBlockIso0(pin, pan);
        expect(b0).toEqual(ref.refEncodeIso0(pin, pan));
        expect(ref.refDecodeIso0(b0, pan)).toBe(pin);
        expect(api.encodePinBlockIso1(pin, fill1)).toEqual(ref.refEncodeIso1(pin, fill1));
        expect(api.encodePinBlockIso2(pin)).toEqual(ref.refEncodeIso2(pin));
        const b3 = api.encodePinBlockIso3(pin, pan, fill3);
        expect(b3).toEqual(ref.refEncodeIso3(pin, pan, fill3));
        expect(api.decodePinBlockIso3(b3, pan)).toBe(ref.refDecodeIso3(b3, pan));
      }),
      opts,
    );
  });

  test('PIN block format 4 encipher and decipher', () => {
    fc.assert(
      fc.property(arb.aesKey, arb.pin, arb.digits(1, 19), arb.bytesOf(8), (key, pin, pan, fill) => {
        const block = api.encipherPinBlockIso4(key, pin, pan, fill);
        expect(block).toEqual(ref.refEncipherIso4(key, pin, pan, fill));
        expect(ref.refDecipherIso4(key, block, pan)).toBe(pin);
      }),
      opts,
    );
  });

  test('key check values, both methods', () => {
    fc.assert(
      fc.property(fc.oneof(arb.desKey.map((k) => ['TDES', k] as const), arb.aesKey.map((k) => ['AES', k] as const)), fc.integer({ min: 2, max: 8 }), ([algorithm, key], length) => {
        for (const method of ['ZEROS', 'CMAC'] as const) {
          expect(api.keyCheckValue(key, { algorithm, method, length })).toBe(ref.refKcv(key, algorithm, method, length));
        }
      }),
      opts,
    );
  });

  test('Luhn check digit and validation', () => {
    fc.assert(
      fc.property(arb.digits(1, 40), (digits) => {
        expect(api.luhnCheckDigit(digits)).toBe(ref.refLuhnCheckDigit(digits));
        if (digits.length >= 2) expect(api.isLuhnValid(digits)).toBe(ref.refIsLuhnValid(digits));
      }),
      opts,
    );
  });
});
