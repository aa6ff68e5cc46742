// PAN tokens: the exact construction (checked against FF1 directly), every option, round trips and the Luhn
// guarantees (fast-check), option errors, and the Hsm facade with D0 AES key blocks.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/index.js';
import { expectCardHsmError } from './helpers/errors.js';
import { pan as luhnPan } from '../src/arbitraries.js';
import { aesKey, anyPan, digits } from './helpers/arb.js';
import { makeHsm } from './helpers/hsm.js';

const KEY = api.hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C');
const PAN = '4111111111111111';
const EMPTY = new Uint8Array(0);

describe('the construction, exactly', () => {
  test("'any': left || FF1(key, tweak, 10, middle) || right", () => {
    const middle = PAN.slice(6, 12);
    expect(api.tokenizePan(KEY, PAN, { luhn: 'any' })).toBe(
      PAN.slice(0, 6) + api.ff1Encrypt(KEY, EMPTY, 10, middle) + PAN.slice(12),
    );
    const tweak = Uint8Array.of(1, 2, 3);
    expect(api.tokenizePan(KEY, PAN, { luhn: 'any', keepLeft: 4, keepRight: 2, tweak })).toBe(
      PAN.slice(0, 4) + api.ff1Encrypt(KEY, tweak, 10, PAN.slice(4, 14)) + PAN.slice(14),
    );
  });

  test("'valid': FF1 applied until the token passes Luhn", () => {
    let middle = PAN.slice(6, 12);
    do middle = api.ff1Encrypt(KEY, EMPTY, 10, middle);
    while (!api.isLuhnValid(PAN.slice(0, 6) + middle + PAN.slice(12)));
    expect(api.tokenizePan(KEY, PAN, { luhn: 'valid' })).toBe(PAN.slice(0, 6) + middle + PAN.slice(12));
  });

  test("'invalid': the last middle digit + 1, then FF1 applied until the token fails Luhn", () => {
    const walk = (pan: string, keepLeft: number, keepRight: number): string => {
      const k = pan.length - keepLeft - keepRight;
      let middle = pan.slice(keepLeft, keepLeft + k - 1) + String((Number(pan[keepLeft + k - 1]) + 1) % 10);
      do middle = api.ff1Encrypt(KEY, EMPTY, 10, middle);
      while (api.isLuhnValid(pan.slice(0, keepLeft) + middle + pan.slice(keepLeft + k)));
      return pan.slice(0, keepLeft) + middle + pan.slice(keepLeft + k);
    };
    expect(api.tokenizePan(KEY, PAN, { luhn: 'invalid' })).toBe(walk(PAN, 6, 4));
    expect(api.tokenizePan(KEY, PAN)).toBe(walk(PAN, 6, 4)); // the default
    // Enough PANs that some need a second FF1 step (1 in 10 does).
    const pans = Array.from({ length: 40 }, (_, i) => {
      const body = `457173${String((i * 7919) % 1e6).padStart(6, '0')}123`;
      return body + api.luhnCheckDigit(body);
    });
    const steps = pans.map((p) => {
      let m = p.slice(6, 11) + String((Number(p[11]) + 1) % 10),
        n = 0;
      do {
        m = api.ff1Encrypt(KEY, EMPTY, 10, m);
        n++;
      } while (api.isLuhnValid(p.slice(0, 6) + m + p.slice(12)));
      return n;
    });
    expect(Math.max(...steps)).toBeGreaterThan(1);
    expect(api.tokenizePanBatch(KEY, pans)).toEqual(pans.map((p) => walk(p, 6, 4)));
    expect(api.tokenizePanBatch(KEY, pans, { keepLeft: 4, keepRight: 2 })).toEqual(pans.map((p) => walk(p, 4, 2)));
    // Only 1 in 9 Luhn-invalid numbers is the token of a PAN; detokenizing any other one is refused.
    let refused = 0;
    for (let i = 0; i < 90; i++) {
      const body = `457173${String((i * 104729) % 1e6).padStart(6, '0')}123`;
      const candidate = body + String((Number(api.luhnCheckDigit(body)) + 1 + (i % 9)) % 10);
      try {
        const pan = api.detokenizePan(KEY, candidate);
        expect(api.isLuhnValid(pan)).toBe(true);
        expect(api.tokenizePan(KEY, pan)).toBe(candidate);
      } catch (e) {
        expect((e as api.CardHsmError).code).toBe('ERR_FORMAT');
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(60);
    expect(refused).toBeLessThan(90);
  });

  test("'alphanumeric': FF1 radix 36 over 0-9A-Z", () => {
    const middle = api.ff1Encrypt(KEY, EMPTY, 36, PAN.slice(6, 12)).toUpperCase();
    expect(api.tokenizePan(KEY, PAN, { alphabet: 'alphanumeric' })).toBe(PAN.slice(0, 6) + middle + PAN.slice(12));
  });
});

describe('properties', () => {
  const options = fc.record(
    {
      keepLeft: fc.integer({ min: 0, max: 8 }),
      keepRight: fc.integer({ min: 0, max: 4 }),
      luhn: fc.constantFrom('invalid' as const, 'valid' as const, 'any' as const),
      tweak: fc.uint8Array({ maxLength: 16 }),
    },
    { requiredKeys: [] },
  );

  test('detokenize inverts tokenize; deterministic; the kept digits stay; invalid tokens never pass Luhn', () => {
    fc.assert(
      fc.property(aesKey, anyPan, options, (key, pan, opts) => {
        fc.pre(pan.length - (opts.keepLeft ?? 6) - (opts.keepRight ?? 4) >= 6);
        const token = api.tokenizePan(key, pan, opts);
        expect(token).toHaveLength(pan.length);
        expect(api.tokenizePan(key, pan, opts)).toBe(token);
        expect(api.detokenizePan(key, token, opts)).toBe(pan);
        expect(token.slice(0, opts.keepLeft ?? 6)).toBe(pan.slice(0, opts.keepLeft ?? 6));
        const luhn = opts.luhn ?? 'invalid';
        if (luhn === 'invalid') expect(api.isLuhnValid(token)).toBe(false);
        if (luhn === 'valid') expect(api.isLuhnValid(token)).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  test('a batch of mixed lengths equals its PANs tokenized one by one, in order', () => {
    fc.assert(
      fc.property(
        aesKey,
        fc.array(
          fc.integer({ min: 16, max: 19 }).chain((length) => luhnPan({ length })),
          { minLength: 1, maxLength: 12 },
        ),
        options,
        (key, pans, opts) => {
          fc.pre(Math.min(...pans.map((p) => p.length)) - (opts.keepLeft ?? 6) - (opts.keepRight ?? 4) >= 6);
          expect(api.tokenizePanBatch(key, pans, opts)).toEqual(pans.map((p) => api.tokenizePan(key, p, opts)));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('alphanumeric tokens round-trip and use only 0-9A-Z', () => {
    fc.assert(
      fc.property(aesKey, digits(12, 19), fc.integer({ min: 0, max: 8 }), (key, pan, keepLeft) => {
        fc.pre(pan.length - keepLeft - 4 >= 4);
        const token = api.tokenizePan(key, pan, { alphabet: 'alphanumeric', keepLeft });
        expect(token).toMatch(/^[0-9A-Z]+$/);
        expect(api.detokenizePan(key, token, { alphabet: 'alphanumeric', keepLeft })).toBe(pan);
      }),
      { numRuns: 1000 },
    );
  });

  test("tokens of distinct PANs are distinct (a permutation), and 'any' does not require Luhn", () => {
    const pans = Array.from({ length: 2000 }, (_, i) => String(4000000000000000 + i * 7919));
    const tokens = api.tokenizePanBatch(KEY, pans, { luhn: 'any' });
    expect(new Set(tokens).size).toBe(pans.length);
    expect(tokens.map((t) => api.detokenizePan(KEY, t, { luhn: 'any' }))).toEqual(pans);
  });

  test('junk never crashes: a string or a CardHsmError', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.anything(), digits(0, 22), fc.string()),
        fc.oneof(fc.anything(), options),
        (pan, opts) => {
          try {
            expect(typeof api.tokenizePan(KEY, pan as string, opts as api.TokenOptions)).toBe('string');
          } catch (e) {
            expect(e).toBeInstanceOf(api.CardHsmError);
          }
          try {
            api.detokenizePan(KEY, pan as string, opts as api.TokenOptions);
          } catch (e) {
            expect(e).toBeInstanceOf(api.CardHsmError);
          }
        },
      ),
    );
  });
});

describe('errors', () => {
  test('domain rule, Luhn requirements, options', () => {
    expectCardHsmError(() => api.tokenizePan(KEY, '4111111111111', {}), 'ERR_LENGTH', 'pan'); // 13 - 6 - 4 = 3 digits
    expect(api.tokenizePan(KEY, '4111111111111', { keepLeft: 3, keepRight: 1, luhn: 'any' })).toHaveLength(13);
    expectCardHsmError(() => api.tokenizePan(KEY, '4111111111111112'), 'ERR_FORMAT', 'pan');
    expect(api.tokenizePan(KEY, '4111111111111112', { luhn: 'any' })).toHaveLength(16);
    expectCardHsmError(
      () => api.tokenizePan(KEY, PAN, { alphabet: 'alphanumeric', luhn: 'valid' }),
      'ERR_FORMAT',
      'opts.luhn',
    );
    expectCardHsmError(() => api.tokenizePan(KEY, PAN, { keepLeft: 9 }), 'ERR_FORMAT', 'opts.keepLeft');
    expectCardHsmError(() => api.tokenizePan(KEY, PAN, { keepRight: 5 }), 'ERR_FORMAT', 'opts.keepRight');
    expectCardHsmError(() => api.tokenizePan(new Uint8Array(8), PAN), 'ERR_LENGTH', 'tokenKey');
    expectCardHsmError(
      () => api.detokenizePan(KEY, api.tokenizePan(KEY, PAN, { luhn: 'valid' })),
      'ERR_FORMAT',
      'token',
    ); // a valid token read as 'invalid'
    expectCardHsmError(() => api.detokenizePan(KEY, '411111ABCDEF1111'), 'ERR_FORMAT', 'token');
    // A batch reports its first bad PAN in order, whatever the kind of fault or the PAN lengths.
    expectCardHsmError(
      () =>
        api.tokenizePanBatch(KEY, [
          PAN,
          `411111111111111111${api.luhnCheckDigit('411111111111111111')}`,
          '4111111111111112',
          '411111111111x111',
        ]),
      'ERR_FORMAT',
      'pans[2]',
    );
    expectCardHsmError(() => api.tokenizePanBatch(KEY, [PAN, '41111', '4111111111111112']), 'ERR_LENGTH', 'pans[1]');
  });
});

describe('on the Hsm facade', () => {
  test('D0 AES key blocks; a decrypt-only key cannot tokenize, an encrypt-only key cannot detokenize', () => {
    const { hsm } = makeHsm();
    const both = hsm.importKeyComponents({
      usage: 'D0',
      algorithm: 'AES128',
      components: [KEY],
      allowSingleComponent: true,
    }).keyBlock;
    const token = hsm.tokenizePan({ tokenKey: both, pan: PAN, alphabet: 'alphanumeric' });
    expect(token).toBe(api.tokenizePan(KEY, PAN, { alphabet: 'alphanumeric' }));
    expect(hsm.detokenizePan({ tokenKey: both, token, alphabet: 'alphanumeric' })).toBe(PAN);
    const encryptOnly = hsm.generateKey({ usage: 'D0', algorithm: 'AES256', modeOfUse: 'E' }).keyBlock;
    const t2 = hsm.tokenizePan({ tokenKey: encryptOnly, pan: PAN });
    expectCardHsmError(() => hsm.detokenizePan({ tokenKey: encryptOnly, token: t2 }), 'ERR_KEY_USAGE', 'tokenKey');
    const tdes = hsm.generateKey({ usage: 'D0', algorithm: 'TDES2' }).keyBlock;
    expectCardHsmError(() => hsm.tokenizePan({ tokenKey: tdes, pan: PAN }), 'ERR_KEY_USAGE', 'tokenKey');
  });
});
