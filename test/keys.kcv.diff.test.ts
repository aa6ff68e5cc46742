// Differential: key check values (both methods, TDES and AES keys) against the reference written from the
// specifications over node:crypto (test/helpers/reference.ts), 10,000 random cases.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/index.js';
import * as ref from './helpers/reference.js';
import * as arb from './helpers/arb.js';

const RUNS = 10_000;
const opts = { numRuns: RUNS };

describe('key check values against the reference', () => {
  test('key check values, both methods', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          arb.anyDesKey.map((k) => ['TDES', k] as const),
          arb.aesKey.map((k) => ['AES', k] as const),
        ),
        fc.integer({ min: 2, max: 8 }),
        ([algorithm, key], length) => {
          for (const method of ['ZEROS', 'CMAC'] as const) {
            expect(api.keyCheckValue(key, { algorithm, method, length })).toBe(
              ref.refKcv(key, algorithm, method, length),
            );
          }
        },
      ),
      opts,
    );
  });
});
