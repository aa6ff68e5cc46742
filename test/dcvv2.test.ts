// TW-DCVV2 v1: the truncation core against RFC 6238 Appendix B, known answers for both profiles recorded from an
// independent reference over node:crypto (test/helpers/dcvv2-reference.ts), a 10,000-case differential, window
// properties, uniformity, and errors.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import * as api from '../src/index.js';
import { hotpSha256 } from '../src/_dcvv2.js';
import { refHmacCode, refOptionA, refTdesCode } from './helpers/dcvv2-reference.js';
import { expectCardHsmError } from './helpers/errors.js';
import { expiry } from '../src/arbitraries.js';
import { anyPan, bytesOf, digits } from './helpers/arb.js';

const file = JSON.parse(readFileSync(new URL('./vectors/dcvv2.json', import.meta.url), 'utf8')) as {
  rfc6238: { source: string; seed: string; vectors: [number, string][] };
  vectors: Array<{
    profile: 'HMAC' | 'TDES';
    imk: string;
    pan: string;
    psn: string;
    expiry: string;
    at: string;
    windowSeconds: number;
    digits: 3 | 4;
    window: number;
    code: string;
  }>;
};
const h = api.hexToBytes;
const IMK = h('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F');
const PAN = '4123456789012345';

describe('RFC 6238 Appendix B, SHA-256 (the truncation core)', () => {
  test.each(file.rfc6238.vectors)('t = %i -> %s', (t, code) => {
    expect(hotpSha256(Buffer.from(file.rfc6238.seed, 'ascii'), Math.floor(t / 30), 8)).toBe(code);
  });
});

describe('known answers (test/vectors/dcvv2.json)', () => {
  test.each(file.vectors.map((v, i) => [i, v.profile, v] as const))('#%i %s', (_, __, v) => {
    const at = Date.parse(v.at);
    const opts = { at, windowSeconds: v.windowSeconds, digits: v.digits, profile: v.profile };
    const got = api.generateDynamicCvv2(h(v.imk), v.pan, v.psn, v.expiry, opts);
    expect(got).toEqual({
      code: v.code,
      window: v.window,
      validFrom: new Date(v.window * v.windowSeconds * 1000),
      expiresAt: new Date((v.window + 1) * v.windowSeconds * 1000),
    });
    expect(api.verifyDynamicCvv2(h(v.imk), v.pan, v.psn, v.expiry, v.code, opts)).toEqual({ valid: true, drift: 0 });
  });

  test('EMV Option A equals the reference', () => {
    expect(api.deriveIccMasterKey(h('0123456789ABCDEFFEDCBA9876543210'), PAN, '00', 'A')).toEqual(
      Uint8Array.from(refOptionA(h('0123456789ABCDEFFEDCBA9876543210'), PAN, '00')),
    );
  });
});

const card = fc.record({ pan: anyPan, psn: digits(2, 2), expiry: expiry() });
const when = fc.integer({ min: 1_000_000_000_000, max: 4_000_000_000_000 });
const windowSeconds = fc.constantFrom(60, 300, 900, 3600, 64_800);

describe('differential: 10,000 cases per profile against the reference', () => {
  test('HMAC profile', () => {
    fc.assert(
      fc.property(
        bytesOf(32),
        card,
        when,
        windowSeconds,
        fc.constantFrom(3 as const, 4 as const),
        (imk, c, at, x, d) => {
          const got = api.generateDynamicCvv2(imk, c.pan, c.psn, c.expiry, { at, windowSeconds: x, digits: d });
          expect(got.code).toBe(refHmacCode(imk, c.pan, c.psn, c.expiry, Math.floor(Math.floor(at / 1000) / x), d));
        },
      ),
      { numRuns: 10_000 },
    );
  });
  test('TDES profile', () => {
    fc.assert(
      fc.property(
        bytesOf(16),
        card,
        when,
        windowSeconds,
        fc.constantFrom(3 as const, 4 as const),
        (imk, c, at, x, d) => {
          const got = api.generateDynamicCvv2(imk, c.pan, c.psn, c.expiry, {
            at,
            windowSeconds: x,
            digits: d,
            profile: 'TDES',
          });
          expect(got.code).toBe(refTdesCode(imk, c.pan, c.psn, c.expiry, Math.floor(Math.floor(at / 1000) / x), d));
        },
      ),
      { numRuns: 10_000 },
    );
  });
  test('the batch equals single calls', () => {
    const cards = Array.from({ length: 50 }, (_, i) => ({
      pan: String(4000000000000000 + i * 131),
      psn: '00',
      expiry: '2812',
    }));
    const batch = api.generateDynamicCvv2Batch(IMK, cards, { at: 1.8e12 });
    cards.forEach(
      (c, i) => void expect(batch[i]).toEqual(api.generateDynamicCvv2(IMK, c.pan, c.psn, c.expiry, { at: 1.8e12 })),
    );
  });
});

describe('windows', () => {
  test('a code verifies in its window and within the allowed drift, and exactly when no other window matches beyond it', () => {
    fc.assert(
      fc.property(
        card,
        when,
        fc.constantFrom('HMAC' as const, 'TDES' as const),
        fc.integer({ min: -3, max: 3 }),
        fc.integer({ min: 0, max: 2 }),
        (c, at, profile, offset, back) => {
          const imk = profile === 'HMAC' ? IMK : IMK.subarray(0, 16);
          const opts = { windowSeconds: 300, profile };
          const issued = api.generateDynamicCvv2(imk, c.pan, c.psn, c.expiry, { ...opts, at });
          expect(issued.expiresAt.getTime() - issued.validFrom.getTime()).toBe(300_000);
          const later = at + offset * 300_000;
          const fwd = Math.min(2 - back, 1);
          const result = api.verifyDynamicCvv2(imk, c.pan, c.psn, c.expiry, issued.code, {
            ...opts,
            at: later,
            back,
            fwd,
          });
          // Exactly: valid iff some window in [now - back, now + fwd] has this code.
          const now = issued.window + offset;
          const windows = Array.from({ length: back + fwd + 1 }, (_, i) => now - back + i);
          const codes = api.generateDynamicCvv2Codes(imk, c.pan, c.psn, c.expiry, windows.length, {
            ...opts,
            at: (now - back) * 300_000,
          });
          expect(result.valid).toBe(codes.some((x) => x.code === issued.code));
          if (-back <= -offset && -offset <= fwd) expect(result.valid).toBe(true);
          if (result.valid) expect(codes[result.drift! + back]!.code).toBe(issued.code);
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('a code fails one window beyond the drift, except on a chance collision (measured: < 1%)', () => {
    let beyond = 0;
    let collisions = 0;
    for (let i = 0; i < 2000; i++) {
      const at = 1_700_000_000_000 + i * 3_600_000;
      const issued = api.generateDynamicCvv2(IMK, PAN, '00', '2812', { at });
      const r = api.verifyDynamicCvv2(IMK, PAN, '00', '2812', issued.code, { at: at + 2 * 3_600_000 }); // back = 1
      beyond++;
      if (r.valid) collisions++;
    }
    expect(collisions / beyond).toBeLessThan(0.01);
  });

  test('the nearest matching window wins, the current one first', () => {
    // Force a match in every window by checking a code against itself at the window boundaries.
    const at = 1_800_000_000_000;
    const [prev, cur, next] = api.generateDynamicCvv2Codes(IMK, PAN, '00', '2812', 3, { at: at - 3_600_000 });
    expect(api.verifyDynamicCvv2(IMK, PAN, '00', '2812', cur!.code, { at, back: 1, fwd: 1 })).toEqual({
      valid: true,
      drift: 0,
    });
    expect(api.verifyDynamicCvv2(IMK, PAN, '00', '2812', prev!.code, { at, back: 1, fwd: 1 })).toMatchObject({
      valid: true,
    });
    expect(api.verifyDynamicCvv2(IMK, PAN, '00', '2812', next!.code, { at, back: 1, fwd: 1 }).drift).toBe(
      prev!.code === next!.code ? -1 : cur!.code === next!.code ? 0 : 1,
    );
  });

  test('codes are uniform over 10^d (chi-square over 200,000 codes)', () => {
    const cards = Array.from({ length: 20_000 }, (_, i) => ({
      pan: String(4000000000000000 + i * 7),
      psn: '00',
      expiry: '2812',
    }));
    const counts = new Array<number>(1000).fill(0);
    for (let w = 0; w < 10; w++)
      for (const c of api.generateDynamicCvv2Batch(IMK, cards, { at: 1.7e12 + w * 3.6e6 })) counts[Number(c.code)]!++;
    const expected = 200;
    const chi2 = counts.reduce((s, x) => s + (x - expected) ** 2 / expected, 0);
    // 999 degrees of freedom; two-sided bounds at z = 4.89 (Wilson-Hilferty): a uniform source falls outside them
    // less than once in 10^6 runs. (2^31 mod 1000 leaves a bias of ~1e-7, far below what this can see.)
    const k = 999;
    const bound = (z: number) => k * (1 - 2 / (9 * k) + z * Math.sqrt(2 / (9 * k))) ** 3;
    expect(chi2).toBeGreaterThan(bound(-4.89));
    expect(chi2).toBeLessThan(bound(4.89));
  });
});

describe('errors', () => {
  test('typed', () => {
    expectCardHsmError(() => api.generateDynamicCvv2(IMK.subarray(0, 16), PAN, '00', '2812'), 'ERR_LENGTH', 'imk');
    expectCardHsmError(() => api.generateDynamicCvv2(IMK, PAN, '00', '2812', { profile: 'TDES' }), 'ERR_LENGTH', 'imk');
    expectCardHsmError(() => api.generateDynamicCvv2(IMK, PAN, '0', '2812'), 'ERR_LENGTH', 'psn');
    expectCardHsmError(
      () => api.generateDynamicCvv2(IMK, PAN, '00', '2812', { windowSeconds: 59 }),
      'ERR_FORMAT',
      'opts.windowSeconds',
    );
    expectCardHsmError(
      () => api.generateDynamicCvv2(IMK, PAN, '00', '2812', { windowSeconds: 64_801 }),
      'ERR_FORMAT',
      'opts.windowSeconds',
    );
    expectCardHsmError(
      () => api.generateDynamicCvv2(IMK, PAN, '00', '2812', { digits: 5 as never }),
      'ERR_FORMAT',
      'opts.digits',
    );
    expectCardHsmError(
      () => api.generateDynamicCvv2(IMK, PAN, '00', '2812', { at: 'now' as never }),
      'ERR_TYPE',
      'opts.at',
    );
    expectCardHsmError(() => api.generateDynamicCvv2Codes(IMK, PAN, '00', '2812', 25), 'ERR_FORMAT', 'count');
    expectCardHsmError(() => api.verifyDynamicCvv2(IMK, PAN, '00', '2812', '1234'), 'ERR_LENGTH', 'code');
    expectCardHsmError(
      () => api.verifyDynamicCvv2(IMK, PAN, '00', '2812', '123', { back: 2, fwd: 1 }),
      'ERR_FORMAT',
      'opts.back',
    );
  });
});
