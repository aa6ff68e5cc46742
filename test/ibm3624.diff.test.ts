// Differential: IBM 3624 natural PINs and offsets against the reference written from the specification over
// node:crypto (test/helpers/reference.ts), 10,000 random cases.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/index.js';
import * as ref from './helpers/reference.js';
import * as arb from './helpers/arb.js';

const RUNS = 10_000;
const opts = { numRuns: RUNS };

describe('IBM 3624 against the reference', () => {
  test('IBM 3624 natural PIN and offset', () => {
    fc.assert(
      fc.property(arb.pvk, arb.hexUpper(16), arb.decimalizationTable, arb.anyPin, (pvk, data, table, pin) => {
        expect(api.generateIbm3624Pin(pvk, data, table, pin.length)).toBe(
          ref.refIbm3624Pin(pvk, data, table, pin.length),
        );
        expect(api.generateIbm3624Offset(pvk, data, table, pin)).toBe(ref.refIbm3624Offset(pvk, data, table, pin));
      }),
      opts,
    );
  });
});
