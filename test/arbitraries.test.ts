// The `cardhsm/arbitraries` subpath: every generated value is valid by the library's own checks, each arbitrary
// shrinks to a simpler value that is still valid, and malformed options throw CardHsmError when the arbitrary is built.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as arb from '../src/arbitraries.js';
import * as api from '../src/index.js';
import { expectCardHsmError } from './helpers/errors.js';

const RUNS = { numRuns: 300 };
const TEST_CVK = api.hexToBytes('0123456789ABCDEFFEDCBA9876543210');

/** Digits other than 0 in `s` (without its last `skip` characters): a measure of how far a value has shrunk. */
const nonZero = (s: string, skip = 0): number => [...s.slice(0, s.length - skip)].filter((c) => c !== '0').length;
/** Bytes other than 0x01, the parity-fixed zero byte. */
const nonTrivialBytes = (k: Uint8Array): number => k.filter((b) => b !== 0x01).length;

/**
 * Runs `fails` as a property over `a` (fixed seed) and returns the first failing value seen and the shrunk
 * counterexample, after checking that the run failed and shrank at least once.
 */
function shrinkRun<T>(a: fc.Arbitrary<T>, fails: (v: T) => boolean): { first: T; shrunk: T } {
  let first: T | undefined;
  let seen = false;
  const result = fc.check(
    fc.property(a, (v) => {
      if (!fails(v)) return;
      if (!seen) [first, seen] = [v, true];
      throw new Error('rejected');
    }),
    { seed: 20240607, numRuns: 500 },
  );
  expect(result.failed).toBe(true);
  expect(result.numShrinks).toBeGreaterThan(0);
  return { first: first as T, shrunk: result.counterexample![0] };
}

describe('pan', () => {
  test('default: 16 Luhn-valid digits with a leading 2-6', () => {
    fc.assert(
      fc.property(arb.pan(), (p) => {
        expect(p).toMatch(/^[2-6][0-9]{15}$/);
        expect(api.isLuhnValid(p)).toBe(true);
      }),
      RUNS,
    );
  });
  test('bin and length are honoured, all lengths 13..19', () => {
    const opts = fc.record({
      bin: fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 11 }),
      length: fc.integer({ min: 13, max: 19 }),
    });
    fc.assert(
      fc.property(
        opts.chain((o) => fc.tuple(fc.constant(o), arb.pan(o))),
        ([o, p]) => {
          expect(p.startsWith(o.bin)).toBe(true);
          expect(p).toHaveLength(o.length);
          expect(api.isLuhnValid(p)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
  test('shrinks towards fewer non-zero digits and stays valid', () => {
    const { first, shrunk } = shrinkRun(arb.pan({ bin: '411111' }), (p) => p.includes('9'));
    expect(shrunk.startsWith('411111') && api.isLuhnValid(shrunk) && shrunk.includes('9')).toBe(true);
    expect(nonZero(shrunk.slice(6), 1)).toBeLessThan(nonZero(first.slice(6), 1));
    expect(nonZero(shrunk.slice(6), 1)).toBeLessThanOrEqual(1);
  });
  test('default-IIN PANs shrink their leading digit to 2', () => {
    const { shrunk } = shrinkRun(arb.pan({ length: 13 }), (p) => p.length === 13);
    expect(shrunk).toBe(`200000000000${api.luhnCheckDigit('200000000000')}`);
  });
});

describe('invalidPan', () => {
  test('digit strings of PAN length that fail Luhn', () => {
    fc.assert(
      fc.property(arb.invalidPan(), (p) => {
        expect(p).toMatch(/^[2-6][0-9]{15}$/);
        expect(api.isLuhnValid(p)).toBe(false);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(arb.invalidPan({ bin: '5', length: 19 }), (p) => {
        expect(p).toMatch(/^5[0-9]{18}$/);
        expect(api.isLuhnValid(p)).toBe(false);
      }),
      RUNS,
    );
  });
  test('shrinks to a simpler PAN that still fails Luhn', () => {
    const { first, shrunk } = shrinkRun(arb.invalidPan(), (p) => p.includes('9'));
    expect(api.isLuhnValid(shrunk)).toBe(false);
    expect(shrunk).toHaveLength(16);
    expect(nonZero(shrunk, 1)).toBeLessThan(nonZero(first, 1));
  });
});

describe('pin', () => {
  test('default policy: 4..12 digits, allowed by checkPinPolicy', () => {
    fc.assert(
      fc.property(arb.pin(), (p) => {
        expect(p).toMatch(/^[0-9]{4,12}$/);
        expect(api.checkPinPolicy(p)).toEqual({ ok: true });
      }),
      RUNS,
    );
  });
  test('a custom policy is honoured', () => {
    const policy = { minLength: 4, maxLength: 4, wrapAround: false, denyList: ['0001', '0002', '2580'] };
    fc.assert(
      fc.property(arb.pin(policy), (p) => {
        expect(p).toHaveLength(4);
        expect(api.checkPinPolicy(p, policy)).toEqual({ ok: true });
      }),
      RUNS,
    );
  });
  test('a deny-list refusing half the PINs is honoured, also while shrinking', () => {
    const denyList = Array.from({ length: 5000 }, (_, i) => String(i).padStart(4, '0'));
    const policy = { minLength: 4, maxLength: 4, denyList };
    fc.assert(
      fc.property(arb.pin(policy), (p) => {
        expect(api.checkPinPolicy(p, policy)).toEqual({ ok: true });
      }),
      RUNS,
    );
    const { shrunk } = shrinkRun(arb.pin(policy), () => true);
    expect(api.checkPinPolicy(shrunk, policy)).toEqual({ ok: true });
    expect(shrunk.slice(1)).toBe('000');
  });
  test('shrinks to a shorter, simpler PIN that the policy still allows', () => {
    const { first, shrunk } = shrinkRun(arb.pin(), (p) => p.includes('5'));
    expect(api.checkPinPolicy(shrunk)).toEqual({ ok: true });
    expect(shrunk.includes('5')).toBe(true);
    expect(shrunk).toHaveLength(4);
    expect(shrunk.length * 10 + nonZero(shrunk)).toBeLessThan(first.length * 10 + nonZero(first));
  });
});

describe('expiry and service code', () => {
  test('expiry is YYMM with MM 01..12', () => {
    fc.assert(
      fc.property(arb.expiry(), (e) => {
        expect(e).toMatch(/^[0-9]{2}(0[1-9]|1[0-2])$/);
      }),
      RUNS,
    );
  });
  test('expiry shrinks to the smallest failing date', () => {
    expect(shrinkRun(arb.expiry(), (e) => Number(e.slice(2)) >= 6).shrunk).toBe('0006');
  });
  test('service codes follow ISO 7813 digit by digit', () => {
    fc.assert(
      fc.property(arb.serviceCode(), (sc) => {
        expect(sc).toMatch(/^[125679][024][0-7]$/);
      }),
      RUNS,
    );
  });
  test('service code shrinks to the smallest failing code', () => {
    expect(shrinkRun(arb.serviceCode(), (sc) => Number(sc[2]) >= 3).shrunk).toBe('103');
  });
});

describe('desKey and cvk', () => {
  test('odd parity in every byte, default 16 bytes', () => {
    fc.assert(
      fc.property(arb.desKey(), (k) => {
        expect(k).toHaveLength(16);
        expect(api.hasOddDesParity(k)).toBe(true);
      }),
      RUNS,
    );
    for (const n of [8, 16, 24] as const) {
      fc.assert(
        fc.property(arb.desKey(n), (k) => {
          expect(k).toHaveLength(n);
          expect(api.hasOddDesParity(k)).toBe(true);
        }),
        { numRuns: 100 },
      );
    }
  });
  test('cvk is a 16-byte odd-parity key that computes CVVs', () => {
    fc.assert(
      fc.property(arb.cvk(), (k) => {
        expect(k).toHaveLength(16);
        expect(api.hasOddDesParity(k)).toBe(true);
        expect(api.generateCvv(k, '4123456789012345', '8701', '101')).toMatch(/^[0-9]{3}$/);
      }),
      RUNS,
    );
  });
  test('keys shrink towards 0101…01 and keep their parity', () => {
    for (const a of [arb.desKey(24), arb.cvk()]) {
      const { first, shrunk } = shrinkRun(a, (k) => k.some((b) => b >= 0x80));
      expect(api.hasOddDesParity(shrunk)).toBe(true);
      expect(nonTrivialBytes(shrunk)).toBe(1);
      expect(nonTrivialBytes(shrunk)).toBeLessThan(nonTrivialBytes(first));
    }
  });
});

describe('pinBlock', () => {
  const decode = (format: 0 | 1 | 2 | 3 | 4, v: arb.GeneratedPinBlock): string => {
    if (format === 0) return api.decodePinBlockIso0(v.block, v.pan);
    if (format === 1) return api.decodePinBlockIso1(v.block);
    if (format === 2) return api.decodePinBlockIso2(v.block);
    if (format === 3) return api.decodePinBlockIso3(v.block, v.pan);
    return api.decipherPinBlockIso4(v.key!, v.block, v.pan);
  };
  const formats = [0, 1, 2, 3, 4] as const;

  test.each(formats)('format %i decodes to its PIN, with a key only for format 4', (format) => {
    fc.assert(
      fc.property(arb.pinBlock(format), (v) => {
        expect(v.block).toHaveLength(format === 4 ? 16 : 8);
        if (format !== 4) expect(v.block[0]! >> 4).toBe(format);
        expect(decode(format, v)).toBe(v.pin);
        expect(api.checkPinPolicy(v.pin).ok).toBe(true);
        expect(api.isLuhnValid(v.pan)).toBe(true);
        if (format === 4) expect(v.key).toHaveLength(16);
        else expect('key' in v).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
  test.each(formats)('format %i replays: the same seed gives the same blocks', (format) => {
    const sample = () => fc.sample(arb.pinBlock(format), { seed: 7, numRuns: 20 }).map((v) => api.bytesToHex(v.block));
    expect(sample()).toEqual(sample());
  });
  test.each(formats)('format %i shrinks to a shorter, simpler PIN and still decodes', (format) => {
    const { first, shrunk } = shrinkRun(arb.pinBlock(format), (v) => v.pin.includes('7'));
    expect(decode(format, shrunk)).toBe(shrunk.pin);
    expect(shrunk.pin).toHaveLength(4);
    expect(shrunk.pin.length * 10 + nonZero(shrunk.pin)).toBeLessThan(first.pin.length * 10 + nonZero(first.pin));
  });
});

describe('issuedCard', () => {
  const check = (k: Uint8Array, c: arb.GeneratedCard): void => {
    expect(api.isLuhnValid(c.pan)).toBe(true);
    expect(c.lastFour).toBe(c.pan.slice(-4));
    expect(c.expiry).toMatch(/^[0-9]{2}(0[1-9]|1[0-2])$/);
    expect(c.serviceCode).toMatch(/^[125679][024][0-7]$/);
    expect(api.verifyCvv(k, c.pan, c.expiry, c.serviceCode, c.cvv)).toBe(true);
    expect(api.verifyCvv2(k, c.pan, c.expiry, c.cvv2)).toBe(true);
    expect(api.verifyIcvv(k, c.pan, c.expiry, c.icvv)).toBe(true);
  };

  test('default test CVK: every CVV verifies', () => {
    fc.assert(
      fc.property(arb.issuedCard(), (c) => {
        expect(Object.keys(c).sort()).toEqual(['cvv', 'cvv2', 'expiry', 'icvv', 'lastFour', 'pan', 'serviceCode']);
        check(TEST_CVK, c);
      }),
      RUNS,
    );
  });
  test('a given CVK, BIN and length', () => {
    fc.assert(
      fc.property(
        arb.cvk().chain((k) => fc.tuple(fc.constant(k), arb.issuedCard({ cvk: k, bin: '412345', length: 19 }))),
        ([k, c]) => {
          expect(c.pan).toMatch(/^412345[0-9]{13}$/);
          check(k, c);
        },
      ),
      { numRuns: 100 },
    );
  });
  test('the CVK is copied when the arbitrary is built', () => {
    const k = TEST_CVK.slice();
    const a = arb.issuedCard({ cvk: k });
    k.fill(0);
    fc.assert(
      fc.property(a, (c) => {
        check(TEST_CVK, c);
      }),
      { numRuns: 20 },
    );
  });
  test('shrinks to a simpler card whose CVVs still verify', () => {
    const { first, shrunk } = shrinkRun(arb.issuedCard(), (c) => c.cvv.startsWith('0'));
    check(TEST_CVK, shrunk);
    const size = (c: arb.GeneratedCard): number => nonZero(c.pan, 1) + nonZero(c.expiry) + nonZero(c.serviceCode);
    expect(size(shrunk)).toBeLessThan(size(first));
  });
});

describe('option validation', () => {
  const bad = (v: unknown) => v as never;
  test('pan, invalidPan and issuedCard check opts, opts.bin and opts.length', () => {
    for (const make of [arb.pan, arb.invalidPan, arb.issuedCard]) {
      expectCardHsmError(() => make(bad('411111')), 'ERR_TYPE', 'opts');
      expectCardHsmError(() => make({ bin: bad(411111) }), 'ERR_TYPE', 'opts.bin');
      expectCardHsmError(() => make({ bin: '' }), 'ERR_LENGTH', 'opts.bin');
      expectCardHsmError(() => make({ bin: '411111111111' }), 'ERR_LENGTH', 'opts.bin');
      expectCardHsmError(() => make({ bin: '41a111' }), 'ERR_FORMAT', 'opts.bin');
      expectCardHsmError(() => make({ length: bad('16') }), 'ERR_TYPE', 'opts.length');
      for (const length of [12, 20, 16.5, NaN]) expectCardHsmError(() => make({ length }), 'ERR_FORMAT', 'opts.length');
    }
  });
  test('issuedCard checks opts.cvk', () => {
    expectCardHsmError(() => arb.issuedCard({ cvk: bad('0123456789ABCDEFFEDCBA9876543210') }), 'ERR_TYPE', 'opts.cvk');
    expectCardHsmError(() => arb.issuedCard({ cvk: new Uint8Array(8) }), 'ERR_LENGTH', 'opts.cvk');
  });
  test('pin checks the policy', () => {
    expectCardHsmError(() => arb.pin(bad(4)), 'ERR_TYPE', 'policy');
    expectCardHsmError(() => arb.pin({ minLength: 3 }), 'ERR_FORMAT', 'policy.minLength');
    expectCardHsmError(() => arb.pin({ minLength: 6, maxLength: 5 }), 'ERR_FORMAT', 'policy.maxLength');
    expectCardHsmError(() => arb.pin({ rejectRepeated: bad('no') }), 'ERR_TYPE', 'policy.rejectRepeated');
    expectCardHsmError(() => arb.pin({ denyList: ['12a4'] }), 'ERR_FORMAT', 'policy.denyList[0]');
  });
  test('desKey checks the length and pinBlock the format', () => {
    expectCardHsmError(() => arb.desKey(bad('16')), 'ERR_TYPE', 'length');
    for (const n of [0, 12, 32, 16.5]) expectCardHsmError(() => arb.desKey(bad(n)), 'ERR_FORMAT', 'length');
    expectCardHsmError(() => arb.pinBlock(bad('0')), 'ERR_TYPE', 'format');
    for (const f of [-1, 5, 1.5]) expectCardHsmError(() => arb.pinBlock(bad(f)), 'ERR_FORMAT', 'format');
  });
});
