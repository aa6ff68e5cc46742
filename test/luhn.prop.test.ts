// Properties of the Luhn check digit: a number with its check digit validates, any single-digit change fails, junk
// is false rather than an error, and very long numbers agree with the chunk-free definition.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/index.js';
import * as arb from './helpers/arb.js';

/** `s` with the digit at `i` replaced by a different digit. */
const changeDigit = (s: string, i: number, delta: number): string =>
  s.slice(0, i) + String((Number(s[i]) + delta) % 10) + s.slice(i + 1);

describe('Luhn', () => {
  test('a number with its check digit always validates', () => {
    fc.assert(fc.property(arb.digits(1, 30), (d) => { expect(api.isLuhnValid(d + api.luhnCheckDigit(d))).toBe(true); }));
  });
  test('any single-digit change always fails', () => {
    fc.assert(
      fc.property(arb.digits(1, 30), fc.nat(), fc.integer({ min: 1, max: 9 }), (d, at, delta) => {
        const pan = d + api.luhnCheckDigit(d);
        expect(api.isLuhnValid(changeDigit(pan, at % pan.length, delta))).toBe(false);
      }),
    );
  });
  test('isLuhnValid is false, never an error, for anything that is not 2+ digits', () => {
    fc.assert(fc.property(arb.junk, (v) => { if (!(typeof v === 'string' && /^[0-9]{2,}$/.test(v))) expect(api.isLuhnValid(v as string)).toBe(false); }));
  });
  test('very long numbers (several kernel buffers) agree with the chunk-free definition', () => {
    const d = '7992739871'.repeat(120_000);
    expect(api.luhnCheckDigit(d)).toBe(api.luhnCheckDigit(d.slice(0, 10) + d.slice(10)));
    expect(api.isLuhnValid(d + api.luhnCheckDigit(d))).toBe(true);
  });
});
