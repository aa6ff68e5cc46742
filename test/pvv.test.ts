// Known answers for the Visa PVV from public sources (psec, jPOS, HSM simulators; each vector names its source in
// test/vectors/pvv.json).
import { describe, expect, test } from 'vitest';
import * as api from '../src/index.js';
import { loadVectors, pvkOf, str, title } from './helpers/vectors.js';

describe('Visa PVV (test/vectors/pvv.json)', () => {
  loadVectors('pvv').forEach((v, i) => {
    test(title(v, i), () => {
      // Sources that give only the TSP's 11 PAN digits: any PAN whose digits before the check digit end in them.
      const pan = v.pan !== undefined && v.tspPanDigits === undefined ? str(v, 'pan') : `0${str(v, 'tspPanDigits')}0`;
      const pvk = pvkOf(v);
      expect(api.generateVisaPvv(pvk, pan, str(v, 'pvki'), str(v, 'pin'))).toBe(str(v, 'pvv'));
      expect(api.verifyVisaPvv(pvk, pan, str(v, 'pvki'), str(v, 'pin'), str(v, 'pvv'))).toBe(true);
    });
  });
});
