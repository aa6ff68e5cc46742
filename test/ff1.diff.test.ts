// Differential: cardhsm's FF1 kernel against @noble/ciphers' FF1 (an independent BigInt implementation of
// NIST SP 800-38G over numeral arrays), 10,000+ random cases across AES-128/192/256, radixes 2..36 and 62, every
// allowed length and tweaks of 0..1024 bytes, encrypting and decrypting the same random input.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { FF1 } from '@noble/ciphers/ff1.js';
import { ff1Decrypt, ff1Encrypt, hexToBytes } from '../src/index.js';
import { aesKey } from './helpers/arb.js';
import { loadVectors, str } from './helpers/vectors.js';
import { alphabetOf, minLength, maxLength } from './helpers/ff1.js';

const OTHER_RADIXES = Array.from({ length: 35 }, (_, i) => i + 2).filter((r) => r !== 10 && r !== 36);

/** noble's FF1 on the numerals of `input` (cardhsm's alphabet), mapped back to characters. */
function noble(key: Uint8Array, tweak: Uint8Array, radix: number, input: string, decrypt: boolean): string {
  const a = alphabetOf(radix);
  const x = Array.from(input, (c) => a.indexOf(c));
  const f = FF1(radix, key, tweak);
  return (decrypt ? f.decrypt(x) : f.encrypt(x)).map((v) => a[v]).join('');
}

const numeralsOf = (radix: number, n: number) =>
  fc.string({ unit: fc.constantFrom(...alphabetOf(radix)), minLength: n, maxLength: n });
const inputFor = (radix: number) =>
  fc.integer({ min: minLength(radix), max: maxLength(radix) }).chain((n) => numeralsOf(radix, n));
const caseFor = (radixes: fc.Arbitrary<number>, tweak: fc.Arbitrary<Uint8Array>) =>
  fc.record({ key: aesKey, tweak, radix: radixes }).chain((c) => inputFor(c.radix).map((input) => ({ ...c, input })));

const shortTweak = fc.uint8Array({ maxLength: 64 });
const TIMEOUT = 120_000;
let cases = 0;

/** Both directions on one input: cardhsm and noble must agree on encrypt(x) and on decrypt(x). */
function agree({
  key,
  tweak,
  radix,
  input,
}: {
  key: Uint8Array;
  tweak: Uint8Array;
  radix: number;
  input: string;
}): void {
  cases++;
  expect(ff1Encrypt(key, tweak, radix, input)).toBe(noble(key, tweak, radix, input, false));
  expect(ff1Decrypt(key, tweak, radix, input)).toBe(noble(key, tweak, radix, input, true));
}

describe('FF1 against @noble/ciphers', () => {
  test('noble reproduces every known answer of test/vectors/ff1.json (the oracle is sound)', () => {
    for (const v of loadVectors('ff1')) {
      const key = hexToBytes(str(v, 'key'));
      const tweak = hexToBytes(str(v, 'tweak'));
      expect(noble(key, tweak, v.radix as number, str(v, 'plaintext'), false), v.source).toBe(str(v, 'ciphertext'));
      expect(noble(key, tweak, v.radix as number, str(v, 'ciphertext'), true), v.source).toBe(str(v, 'plaintext'));
    }
  });

  test(
    'radix 10, lengths 6..36, 3,000 cases',
    () => {
      fc.assert(
        fc.property(caseFor(fc.constant(10), shortTweak), (c) => {
          agree(c);
        }),
        { numRuns: 3000 },
      );
    },
    TIMEOUT,
  );

  test(
    'radix 36, lengths 4..24, 3,000 cases',
    () => {
      fc.assert(
        fc.property(caseFor(fc.constant(36), shortTweak), (c) => {
          agree(c);
        }),
        { numRuns: 3000 },
      );
    },
    TIMEOUT,
  );

  test(
    'radix 62, lengths 4..20, 3,000 cases',
    () => {
      fc.assert(
        fc.property(caseFor(fc.constant(62), shortTweak), (c) => {
          agree(c);
        }),
        { numRuns: 3000 },
      );
    },
    TIMEOUT,
  );

  test(
    'the other radixes 2..35, every allowed length, 3,000 cases',
    () => {
      fc.assert(
        fc.property(caseFor(fc.constantFrom(...OTHER_RADIXES), shortTweak), (c) => {
          agree(c);
        }),
        { numRuns: 3000 },
      );
    },
    TIMEOUT,
  );

  test(
    'long tweaks (65..1024 bytes, across the 16-byte padding boundaries), 1,000 cases',
    () => {
      const longTweak = fc.integer({ min: 65, max: 1024 }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));
      fc.assert(
        fc.property(caseFor(fc.constantFrom(2, 10, 16, 36, 62), longTweak), (c) => {
          agree(c);
        }),
        { numRuns: 1000 },
      );
    },
    TIMEOUT,
  );

  test(
    'the shortest and longest length of every radix, with numerals at their extremes, 1,000 cases',
    () => {
      const edge = fc
        .record({ key: aesKey, tweak: shortTweak, radix: fc.constantFrom(...OTHER_RADIXES, 10, 36, 62) })
        .chain((c) =>
          fc
            .constantFrom(minLength(c.radix), maxLength(c.radix))
            .chain((n) =>
              fc.oneof(
                numeralsOf(c.radix, n),
                fc.constant('0'.repeat(n)),
                fc.constant(alphabetOf(c.radix).at(-1)!.repeat(n)),
                fc.nat({ max: n }).map(
                  (k) =>
                    '0'.repeat(k) +
                    alphabetOf(c.radix)
                      .at(-1)!
                      .repeat(n - k),
                ),
              ),
            )
            .map((input) => ({ ...c, input })),
        );
      fc.assert(
        fc.property(edge, (c) => {
          agree(c);
        }),
        { numRuns: 1000 },
      );
    },
    TIMEOUT,
  );

  test('at least 10,000 random cases were compared, each in both directions', () => {
    // Runs after the property tests above (vitest runs the tests of a file in order).
    expect(cases).toBeGreaterThanOrEqual(10_000);
  });
});
