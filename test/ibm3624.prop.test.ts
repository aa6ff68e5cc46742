// Properties of IBM 3624: the offset of a PIN verifies, the natural PIN has offset 0…0; validation data and
// malformed inputs.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/index.js';
import * as arb from './helpers/arb.js';
import { expectCardHsmError } from './helpers/errors.js';

describe('IBM 3624', () => {
  test('the offset of a PIN verifies; the natural PIN has offset 0…0', () => {
    fc.assert(
      fc.property(arb.pvk, arb.hexUpper(16), arb.decimalizationTable, arb.anyPin, (pvk, data, table, pin) => {
        const offset = api.generateIbm3624Offset(pvk, data, table, pin);
        expect(offset).toHaveLength(pin.length);
        expect(api.verifyIbm3624Offset(pvk, data, table, pin, offset)).toBe(true);
        const natural = api.generateIbm3624Pin(pvk, data, table, pin.length);
        expect(api.generateIbm3624Offset(pvk, data, table, natural)).toBe('0'.repeat(pin.length));
      }),
    );
  });
  test('validation data helper and malformed inputs', () => {
    expect(api.ibm3624ValidationData('4123456789012')).toBe('4123456789012FFF');
    expect(api.ibm3624ValidationData('4123456789012345678')).toBe('4123456789012345');
    expect(api.ibm3624ValidationData('41234567', 'a')).toBe('41234567AAAAAAAA');
    const pvk = new Uint8Array(16);
    expectCardHsmError(
      () => api.generateIbm3624Pin(pvk, '0123', '0123456789012345', 4),
      'ERR_LENGTH',
      'validationData',
    );
    expectCardHsmError(
      () => api.generateIbm3624Pin(pvk, '0123456789ABCDEG', '0123456789012345', 4),
      'ERR_FORMAT',
      'validationData',
    );
    expectCardHsmError(
      () => api.generateIbm3624Pin(pvk, '0123456789ABCDEF', '012345678901234A', 4),
      'ERR_FORMAT',
      'decimalizationTable',
    );
    expectCardHsmError(
      () => api.generateIbm3624Pin(pvk, '0123456789ABCDEF', '0123456789012345', 13),
      'ERR_FORMAT',
      'pinLength',
    );
    expectCardHsmError(
      () => api.verifyIbm3624Offset(pvk, '0123456789ABCDEF', '0123456789012345', '12345', '1234'),
      'ERR_LENGTH',
      'offset',
    );
  });
});
