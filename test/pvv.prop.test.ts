// Properties of the Visa PVV: always 4 digits, verifies, depends only on the first 4 PIN digits; malformed inputs.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/index.js';
import * as arb from './helpers/arb.js';
import { expectCardHsmError } from './helpers/errors.js';

describe('Visa PVV', () => {
  test('always 4 digits; verifies; depends only on the first 4 PIN digits', () => {
    fc.assert(
      fc.property(arb.pvk, arb.anyPan, arb.digits(1, 1), arb.anyPin, (pvk, pan, pvki, pin) => {
        const pvv = api.generateVisaPvv(pvk, pan, pvki, pin);
        expect(pvv).toMatch(/^[0-9]{4}$/);
        expect(api.verifyVisaPvv(pvk, pan, pvki, pin, pvv)).toBe(true);
        expect(api.generateVisaPvv(pvk, pan, pvki, pin.slice(0, 4))).toBe(pvv);
        expect(api.generateVisaPvvBatch(pvk, [{ pan, pvki, pin }])).toEqual([pvv]);
      }),
    );
  });
  test('malformed inputs', () => {
    const pvk = new Uint8Array(16);
    expectCardHsmError(() => api.generateVisaPvv(pvk, '4123456789012345', '12', '1234'), 'ERR_LENGTH', 'pvki');
    expectCardHsmError(() => api.generateVisaPvv(pvk, '4123456789012345', '1', '123'), 'ERR_LENGTH', 'pin');
    expectCardHsmError(
      () => api.generateVisaPvv(new Uint8Array(24), '4123456789012345', '1', '1234'),
      'ERR_LENGTH',
      'pvk',
    );
    expectCardHsmError(() => api.verifyVisaPvv(pvk, '4123456789012345', '1', '1234', '12a4'), 'ERR_FORMAT', 'pvv');
  });
});
