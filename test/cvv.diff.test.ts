// Differential: CVV, CVV2, iCVV and the CVV batch against the reference written from the specification over
// node:crypto (test/helpers/reference.ts), 10,000 random cases.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/index.js';
import * as ref from './helpers/reference.js';
import { cvk, expiry, serviceCode } from '../src/arbitraries.js';
import * as arb from './helpers/arb.js';

const RUNS = 10_000;
const opts = { numRuns: RUNS };

describe('CVV against the reference', () => {
  test('CVV, CVV2, iCVV', () => {
    fc.assert(
      fc.property(cvk(), arb.anyPan, expiry(), serviceCode(), (cvk, pan, expiry, sc) => {
        expect(api.generateCvv(cvk, pan, expiry, sc)).toBe(ref.refCvv(cvk, pan, expiry, sc));
        expect(api.generateCvv2(cvk, pan, expiry)).toBe(ref.refCvv(cvk, pan, expiry, '000'));
        expect(api.generateIcvv(cvk, pan, expiry)).toBe(ref.refCvv(cvk, pan, expiry, '999'));
      }),
      opts,
    );
  });

  test('CVV batch equals the reference item by item', () => {
    const item = fc.record({ pan: arb.anyPan, expiry: expiry(), serviceCode: serviceCode() });
    fc.assert(
      fc.property(cvk(), fc.array(item, { maxLength: 50 }), (cvk, items) => {
        expect(api.generateCvvBatch(cvk, items)).toEqual(
          items.map((i) => ref.refCvv(cvk, i.pan, i.expiry, i.serviceCode)),
        );
      }),
      { numRuns: 500 },
    );
  });
});
