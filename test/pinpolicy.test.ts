// PIN selection rules (the seeds: not ascending like 1234, not descending like 4321, not repeated like 1111) and
// the generator: it only produces allowed PINs, and uniformly over them.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { checkPinPolicy } from '../src/index.js';
import { generateRandomPin } from '../src/_pinpolicy.js';
import { expectCardHsmError } from './helpers/errors.js';
import { digits } from './helpers/arb.js';

describe('checkPinPolicy', () => {
  test.each([
    ['1234', 'SEQUENCE_ASC'],
    ['4321', 'SEQUENCE_DESC'],
    ['1111', 'REPEATED'],
    ['8901', 'SEQUENCE_ASC'],
    ['7890', 'SEQUENCE_ASC'],
    ['1098', 'SEQUENCE_DESC'],
    ['123456789012', 'SEQUENCE_ASC'],
    ['123', 'LENGTH'],
    ['1357', null],
    ['2468', null],
    ['1122', null],
    ['9753', null],
  ])('%s -> %s (default policy)', (pin, reason) => {
    expect(checkPinPolicy(pin)).toEqual(reason === null ? { ok: true } : { ok: false, reason });
  });

  test('options: wrap-around, fixed length, deny-list, switches', () => {
    expect(checkPinPolicy('8901', { wrapAround: false })).toEqual({ ok: true });
    expect(checkPinPolicy('1234', { wrapAround: false })).toEqual({ ok: false, reason: 'SEQUENCE_ASC' });
    expect(checkPinPolicy('13579', { minLength: 4, maxLength: 4 })).toEqual({ ok: false, reason: 'LENGTH' });
    expect(checkPinPolicy('2580', { denyList: ['2580', '1990'] })).toEqual({ ok: false, reason: 'DENYLIST' });
    expect(checkPinPolicy('1111', { rejectRepeated: false })).toEqual({ ok: true });
    expect(checkPinPolicy('1234', { rejectSequences: false })).toEqual({ ok: true });
  });

  test('malformed PINs and policies are typed errors', () => {
    expectCardHsmError(() => checkPinPolicy('12a4'), 'ERR_FORMAT', 'pin');
    expectCardHsmError(() => checkPinPolicy(1234 as never), 'ERR_TYPE', 'pin');
    expectCardHsmError(() => checkPinPolicy('1357', { minLength: 3 }), 'ERR_FORMAT', 'policy.minLength');
    expectCardHsmError(() => checkPinPolicy('1357', { minLength: 6, maxLength: 5 }), 'ERR_FORMAT', 'policy.maxLength');
    expectCardHsmError(() => checkPinPolicy('1357', { denyList: ['12x'] }), 'ERR_FORMAT', 'policy.denyList[0]');
  });

  test('a PIN that passes is never a repeat or a run (checked independently)', () => {
    const isRepeat = (p: string) => new Set(p).size === 1;
    const isRun = (p: string, step: number) =>
      [...p].every((c, i) => i === 0 || (Number(c) - Number(p[i - 1]) + 10) % 10 === (step + 10) % 10);
    fc.assert(
      fc.property(digits(4, 12), (pin) => {
        if (checkPinPolicy(pin).ok) {
          expect(isRepeat(pin)).toBe(false);
          expect(isRun(pin, 1)).toBe(false);
          expect(isRun(pin, -1)).toBe(false);
        } else {
          expect(isRepeat(pin) || isRun(pin, 1) || isRun(pin, -1)).toBe(true);
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('generateRandomPin', () => {
  test('always satisfies the policy, for every length and policy', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: 12 }),
        fc.boolean(),
        fc.array(digits(4, 4), { maxLength: 20 }),
        (length, wrapAround, denyList) => {
          const policy = { wrapAround, denyList };
          const pin = generateRandomPin(length, policy);
          expect(pin).toMatch(new RegExp(`^[0-9]{${length}}$`));
          expect(checkPinPolicy(pin, policy)).toEqual({ ok: true });
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('is uniform over the allowed 4-digit PINs (chi-square, 100,000 draws)', () => {
    const allowed = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0')).filter(
      (p) => checkPinPolicy(p).ok,
    );
    expect(allowed).toHaveLength(9970); // 10,000 minus 10 repeats, 10 ascending and 10 descending runs (with wrap-around)
    const counts = new Map(allowed.map((p) => [p, 0]));
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const pin = generateRandomPin(4);
      expect(counts.has(pin)).toBe(true);
      counts.set(pin, counts.get(pin)! + 1);
    }
    const expected = n / allowed.length;
    let chi2 = 0;
    for (const c of counts.values()) chi2 += (c - expected) ** 2 / expected;
    // Two-sided bounds at 0.5e-6 each (z = 4.89) by the Wilson-Hilferty approximation for k = 9969 degrees of
    // freedom: a correct generator falls outside them less than once in 10^6 runs.
    const k = allowed.length - 1;
    const bound = (z: number) => k * (1 - 2 / (9 * k) + z * Math.sqrt(2 / (9 * k))) ** 3;
    expect(chi2).toBeGreaterThan(bound(-4.89));
    expect(chi2).toBeLessThan(bound(4.89));
  });

  test('a length the policy does not allow, or a policy that allows nothing, is refused', () => {
    expectCardHsmError(() => generateRandomPin(3), 'ERR_FORMAT', 'length');
    expectCardHsmError(
      () =>
        generateRandomPin(4, {
          minLength: 4,
          maxLength: 4,
          denyList: Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0')),
        }),
      'ERR_PIN_POLICY',
      'policy',
    );
  });
});
