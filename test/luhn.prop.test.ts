// Properties of the Luhn check digit: a number with its check digit validates, any single-digit change fails, junk
// is false rather than an error, and very long numbers agree with the chunk-free definition.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/index.js';
import { kernel } from '../src/wasm/_loader.js';
import * as arb from './helpers/arb.js';
import * as ref from './helpers/reference.js';
import { mulberry32 } from '../scripts/mulberry32.mjs';

/** `s` with the digit at `i` replaced by a different digit. */
const changeDigit = (s: string, i: number, delta: number): string =>
  s.slice(0, i) + String((Number(s[i]) + delta) % 10) + s.slice(i + 1);

describe('Luhn', () => {
  test('a number with its check digit always validates', () => {
    fc.assert(
      fc.property(arb.digits(1, 30), (d) => {
        expect(api.isLuhnValid(d + api.luhnCheckDigit(d))).toBe(true);
      }),
    );
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
    fc.assert(
      fc.property(arb.junk, (v) => {
        if (!(typeof v === 'string' && /^[0-9]{2,}$/.test(v))) expect(api.isLuhnValid(v as string)).toBe(false);
      }),
    );
  });
  test('very long numbers (several kernel buffers) agree with the chunk-free definition', () => {
    // luhnCheckDigit and isLuhnValid feed the kernel IO_BYTES digits at a time, right to left; the reference sums
    // the whole string in one loop. Lengths just below, at and above one, two and three buffers, and short ones.
    const chunk = kernel().IO_BYTES;
    const rand = mulberry32(7812);
    for (const n of [
      1,
      2,
      15,
      16,
      19,
      chunk - 1,
      chunk,
      chunk + 1,
      2 * chunk - 1,
      2 * chunk,
      2 * chunk + 1,
      3 * chunk + 5,
    ]) {
      const d = Buffer.from(Uint8Array.from({ length: n }, () => 48 + Math.floor(rand() * 10))).toString('latin1');
      const check = ref.refLuhnCheckDigit(d);
      expect(api.luhnCheckDigit(d), `${n} digits`).toBe(check);
      expect(api.isLuhnValid(d + check), `${n + 1} digits`).toBe(true);
      if (n >= 2) expect(api.isLuhnValid(d), `${n} digits`).toBe(ref.refIsLuhnValid(d));
      // A digit changed just left of the first buffer boundary (counted from the right; the first digit of a short
      // number) breaks it.
      const at = Math.max(0, n - chunk);
      const changed = d.slice(0, at) + String((Number(d[at]) + 1) % 10) + d.slice(at + 1) + check;
      expect(api.isLuhnValid(changed), `${n + 1} digits, digit ${at} changed`).toBe(false);
    }
  });
});
