// Known answers for IBM 3624 natural PINs, offsets and validation data from public sources (psec, HSM simulators;
// each vector names its source in test/vectors/ibm3624.json).
import { describe, expect, test } from 'vitest';
import * as api from '../src/index.js';
import { loadVectors, pvkOf, str, title } from './helpers/vectors.js';

describe('IBM 3624 (test/vectors/ibm3624.json)', () => {
  loadVectors('ibm3624').forEach((v, i) => {
    test(title(v, i), () => {
      const pvk = pvkOf(v);
      const [data, table, pin, offset] = [
        str(v, 'validationData'),
        str(v, 'decimalizationTable'),
        str(v, 'pin'),
        str(v, 'offset'),
      ];
      expect(api.generateIbm3624Offset(pvk, data, table, pin)).toBe(offset);
      expect(api.verifyIbm3624Offset(pvk, data, table, pin, offset)).toBe(true);
      if (v.naturalPin !== undefined)
        expect(api.generateIbm3624Pin(pvk, data, table, pin.length)).toBe(str(v, 'naturalPin'));
      if (v.pan !== undefined && v.panVerifyOffset === 0 && v.panVerifyLength === 16) {
        expect(api.ibm3624ValidationData(str(v, 'pan'))).toBe(data);
      }
    });
  });
});
