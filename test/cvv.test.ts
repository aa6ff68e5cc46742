// Known answers for CVV, CVV2 and iCVV from public sources (Visa's published CVV examples, psec, jPOS, HSM
// simulators; each vector names its source in test/vectors/cvv.json).
import { describe, expect, test } from 'vitest';
import * as api from '../src/index.js';
import { loadVectors, str, title } from './helpers/vectors.js';

const h = api.hexToBytes;

describe('CVV (test/vectors/cvv.json)', () => {
  test('the classic: PAN 4123456789012345, expiry 8701, service code 101, CVK 0123…3210 -> 561', () => {
    expect(api.generateCvv(h('0123456789ABCDEFFEDCBA9876543210'), '4123456789012345', '8701', '101')).toBe('561');
  });
  loadVectors('cvv').forEach((v, i) => {
    test(title(v, i), () => {
      const cvk = h(str(v, 'cvk'));
      const [pan, expiry, sc, cvv] = [str(v, 'pan'), str(v, 'expiry'), str(v, 'serviceCode'), str(v, 'cvv')];
      expect(api.generateCvv(cvk, pan, expiry, sc)).toBe(cvv);
      expect(api.verifyCvv(cvk, pan, expiry, sc, cvv)).toBe(true);
      expect(api.generateCvvBatch(cvk, [{ pan, expiry, serviceCode: sc }])).toEqual([cvv]);
      if (sc === '000') expect(api.generateCvv2(cvk, pan, expiry)).toBe(cvv);
      if (sc === '999') expect(api.generateIcvv(cvk, pan, expiry)).toBe(cvv);
    });
  });
});
