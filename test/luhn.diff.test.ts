// Differential: the Luhn check digit and validation against the reference written from ISO/IEC 7812-1 Annex B
// (test/helpers/reference.ts), 10,000 random cases.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/index.js';
import * as ref from './helpers/reference.js';
import * as arb from './helpers/arb.js';

const RUNS = 10_000;
const opts = { numRuns: RUNS };

describe('Luhn against the reference', () => {
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
