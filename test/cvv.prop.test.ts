// Properties of the CVV family: always 3 digits and verifying, sensitive to every input, CVV2 and iCVV as service
// codes 000 and 999, batches equal to single calls, and malformed inputs rejected with code and field.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/index.js';
import { cvk, expiry, serviceCode } from '../src/arbitraries.js';
import * as arb from './helpers/arb.js';
import { expectCardHsmError } from './helpers/errors.js';

/** `s` with the digit at `i` replaced by a different digit. */
const changeDigit = (s: string, i: number, delta: number): string =>
  s.slice(0, i) + String((Number(s[i]) + delta) % 10) + s.slice(i + 1);

describe('CVV family', () => {
  test('always 3 digits and verifies', () => {
    fc.assert(
      fc.property(cvk(), arb.anyPan, expiry(), serviceCode(), (cvk, pan, expiry, sc) => {
        const cvv = api.generateCvv(cvk, pan, expiry, sc);
        expect(cvv).toMatch(/^[0-9]{3}$/);
        expect(api.verifyCvv(cvk, pan, expiry, sc, cvv)).toBe(true);
        expect(api.verifyCvv(cvk, pan, expiry, sc, changeDigit(cvv, 0, 1))).toBe(false);
      }),
    );
  });

  test('changing any one input changes the CVV in at least 99% of random trials', () => {
    let trials = 0;
    let changed = 0;
    fc.assert(
      fc.property(
        cvk(),
        arb.anyPan,
        expiry(),
        serviceCode(),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        fc.nat({ max: 3 }),
        (cvk, pan, expiry, sc, at, delta, which) => {
          const base = api.generateCvv(cvk, pan, expiry, sc);
          let other: string;
          if (which === 0) other = api.generateCvv(cvk, changeDigit(pan, at % pan.length, delta), expiry, sc);
          else if (which === 1) other = api.generateCvv(cvk, pan, changeDigit(expiry, at % 4, delta), sc);
          else if (which === 2) other = api.generateCvv(cvk, pan, expiry, changeDigit(sc, at % 3, delta));
          else {
            const k = cvk.slice();
            k[at % 16]! ^= 2 << (at % 7); // flip a non-parity bit
            other = api.generateCvv(k, pan, expiry, sc);
          }
          trials++;
          if (other !== base) changed++;
        },
      ),
      { numRuns: 4000 },
    );
    expect(changed / trials).toBeGreaterThanOrEqual(0.99);
  });

  test('CVV2 is service code 000 and iCVV is 999', () => {
    fc.assert(
      fc.property(cvk(), arb.anyPan, expiry(), (cvk, pan, expiry) => {
        expect(api.generateCvv2(cvk, pan, expiry)).toBe(api.generateCvv(cvk, pan, expiry, '000'));
        expect(api.generateIcvv(cvk, pan, expiry)).toBe(api.generateCvv(cvk, pan, expiry, '999'));
        expect(api.verifyCvv2(cvk, pan, expiry, api.generateCvv2(cvk, pan, expiry))).toBe(true);
        expect(api.verifyIcvv(cvk, pan, expiry, api.generateIcvv(cvk, pan, expiry))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test('malformed inputs are rejected with code and field', () => {
    const cvk = new Uint8Array(16);
    expectCardHsmError(() => api.generateCvv(cvk, '12345678901', '8701', '101'), 'ERR_LENGTH', 'pan');
    expectCardHsmError(() => api.generateCvv(cvk, '41234567890123A5', '8701', '101'), 'ERR_FORMAT', 'pan');
    expectCardHsmError(() => api.generateCvv(cvk, '4123456789012345', '870', '101'), 'ERR_LENGTH', 'expiry');
    expectCardHsmError(() => api.generateCvv(cvk, '4123456789012345', '8701', 101 as never), 'ERR_TYPE', 'serviceCode');
    expectCardHsmError(
      () => api.generateCvv(new Uint8Array(24), '4123456789012345', '8701', '101'),
      'ERR_LENGTH',
      'cvk',
    );
    expectCardHsmError(() => api.verifyCvv(cvk, '4123456789012345', '8701', '101', '56'), 'ERR_LENGTH', 'cvv');
    expectCardHsmError(
      () =>
        api.generateCvvBatch(cvk, [
          { pan: '4123456789012345', expiry: '8701', serviceCode: '101' },
          { pan: '1', expiry: '8701', serviceCode: '101' },
        ]),
      'ERR_LENGTH',
      'items[1].pan',
    );
  });

  test('a batch larger than one kernel buffer equals the single calls', () => {
    const cvk = api.hexToBytes('0123456789ABCDEFFEDCBA9876543210');
    const items = Array.from({ length: 40_000 }, (_, i) => ({
      pan: String(4000000000000000 + i * 7919),
      expiry: String(2501 + (i % 12)),
      serviceCode: '101',
    }));
    const batch = api.generateCvvBatch(cvk, items);
    for (const i of [0, 1, 16383, 16384, 16385, 39999])
      expect(batch[i]).toBe(api.generateCvv(cvk, items[i]!.pan, items[i]!.expiry, '101'));
  });
});
