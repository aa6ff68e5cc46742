// Differential: the Visa PVV against the reference written from the specification over node:crypto
// (test/helpers/reference.ts), 10,000 random cases.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/index.js';
import * as ref from './helpers/reference.js';
import * as arb from './helpers/arb.js';

const RUNS = 10_000;
const opts = { numRuns: RUNS };

describe('Visa PVV against the reference', () => {
  test('Visa PVV (single- and double-length PVK)', () => {
    fc.assert(
      fc.property(arb.pvk, arb.anyPan, arb.digits(1, 1), arb.anyPin, (pvk, pan, pvki, pin) => {
        expect(api.generateVisaPvv(pvk, pan, pvki, pin)).toBe(ref.refVisaPvv(pvk, pan, pvki, pin));
      }),
      opts,
    );
  });
});
