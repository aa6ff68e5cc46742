// Differential: the ISO 9564-1 PIN block formats 0-4 against the reference codecs written from the specification
// over node:crypto (test/helpers/reference.ts), 10,000 random cases each.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/index.js';
import * as ref from './helpers/reference.js';
import * as arb from './helpers/arb.js';

const RUNS = 10_000;
const opts = { numRuns: RUNS };

describe('PIN blocks against the reference', () => {
  test('PIN block formats 0-3 encode and decode', () => {
    const shortPan = arb.digits(2, 19);
    fc.assert(
      fc.property(arb.anyPin, shortPan, fc.integer({ min: 0, max: 15 }), (pin, pan, seed) => {
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
      fc.property(arb.aesKey, arb.anyPin, arb.digits(1, 19), arb.bytesOf(8), (key, pin, pan, fill) => {
        const block = api.encipherPinBlockIso4(key, pin, pan, fill);
        expect(block).toEqual(ref.refEncipherIso4(key, pin, pan, fill));
        expect(ref.refDecipherIso4(key, block, pan)).toBe(pin);
      }),
      opts,
    );
  });
});
