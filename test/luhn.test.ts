// Known answers for the Luhn check digit (ISO/IEC 7812-1 Annex B) from public sources; each vector names its source
// in test/vectors/luhn.json.
import { describe, expect, test } from 'vitest';
import * as api from '../src/index.js';
import { loadVectors, str, title } from './helpers/vectors.js';

describe('Luhn (test/vectors/luhn.json)', () => {
  loadVectors('luhn').forEach((v, i) => {
    test(title(v, i), () => {
      if (v.payload !== undefined) expect(api.luhnCheckDigit(str(v, 'payload'))).toBe(str(v, 'checkDigit'));
      else expect(api.isLuhnValid(str(v, 'number'))).toBe(v.valid);
    });
  });
});
