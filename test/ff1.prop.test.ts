// Properties of FF1: decrypt∘encrypt = identity over random keys, tweaks, radixes and every allowed length; the
// output keeps the length and alphabet; the tweak and key change the ciphertext; encryption is injective; bad
// lengths, characters, keys and tweaks get their documented errors; and junk never escapes as another error type.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { inspect } from 'node:util';
import { CardHsmError, ff1Decrypt, ff1Encrypt } from '../src/index.js';
import { aesKey, bytesOf, junk } from './helpers/arb.js';
import { expectCardHsmError } from './helpers/errors.js';
import { ALPHABET, RADIXES, alphabetOf, minLength, maxLength } from './helpers/ff1.js';

const radixArb = fc.constantFrom(...RADIXES);
const tweakArb = fc.uint8Array({ maxLength: 64 });
/** A numeral string of exactly `n` characters of the radix alphabet. */
const numeralsOf = (radix: number, n: number) =>
  fc.string({ unit: fc.constantFrom(...alphabetOf(radix)), minLength: n, maxLength: n });
/** A valid (radix, input) pair: any radix, any length from the domain minimum to the 63-bit maximum. */
const radixAndInput = radixArb.chain((radix) =>
  fc
    .integer({ min: minLength(radix), max: maxLength(radix) })
    .chain((n) => numeralsOf(radix, n).map((input) => ({ radix, input }))),
);

const inAlphabet = (s: string, radix: number): boolean => [...s].every((c) => alphabetOf(radix).includes(c));

describe('round trips', () => {
  test('decrypt(encrypt(x)) = x and encrypt(decrypt(x)) = x: all key sizes, tweaks 0..64 bytes, radix 2..36 and 62, every allowed length', () => {
    fc.assert(
      fc.property(aesKey, tweakArb, radixAndInput, (key, tweak, { radix, input }) => {
        const c = ff1Encrypt(key, tweak, radix, input);
        expect(ff1Decrypt(key, tweak, radix, c)).toBe(input);
        const p = ff1Decrypt(key, tweak, radix, input);
        expect(ff1Encrypt(key, tweak, radix, p)).toBe(input);
      }),
      { numRuns: 3000 },
    );
  });

  test('the output has the input length and only characters of the radix alphabet', () => {
    fc.assert(
      fc.property(aesKey, tweakArb, radixAndInput, fc.boolean(), (key, tweak, { radix, input }, decrypt) => {
        const out = (decrypt ? ff1Decrypt : ff1Encrypt)(key, tweak, radix, input);
        expect(typeof out).toBe('string');
        expect(out).toHaveLength(input.length);
        expect(inAlphabet(out, radix)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  test('the shortest and longest lengths of every radix round-trip', () => {
    const edge = radixArb.chain((radix) =>
      fc
        .constantFrom(minLength(radix), maxLength(radix))
        .chain((n) => numeralsOf(radix, n).map((input) => ({ radix, input }))),
    );
    fc.assert(
      fc.property(aesKey, tweakArb, edge, (key, tweak, { radix, input }) => {
        expect(ff1Decrypt(key, tweak, radix, ff1Encrypt(key, tweak, radix, input))).toBe(input);
      }),
      { numRuns: 1000 },
    );
  });

  test('all-zero and all-maximal numerals round-trip at every allowed length of every radix', () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
    const tweak = Uint8Array.from({ length: 11 }, (_, i) => 0x30 + i);
    for (const radix of RADIXES) {
      for (let n = minLength(radix); n <= maxLength(radix); n++) {
        for (const input of ['0'.repeat(n), alphabetOf(radix).at(-1)!.repeat(n)]) {
          const c = ff1Encrypt(key, tweak, radix, input);
          expect(c).toHaveLength(n);
          expect(ff1Decrypt(key, tweak, radix, c), `radix ${radix} n ${n} ${input}`).toBe(input);
        }
      }
    }
  });

  test('encryption is injective: 20,000 consecutive radix-10 inputs give 20,000 distinct ciphertexts', () => {
    const key = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 ^ i);
    const tweak = new Uint8Array([1, 2, 3]);
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(ff1Encrypt(key, tweak, 10, String(i).padStart(6, '0')));
    expect(seen.size).toBe(20_000);
  });
});

describe('the tweak and the key matter', () => {
  test('two different tweaks give different ciphertexts in at least 99% of trials (radix 10, length 10)', () => {
    let trials = 0;
    let differ = 0;
    fc.assert(
      fc.property(aesKey, numeralsOf(10, 10), tweakArb, tweakArb, (key, input, t1, t2) => {
        fc.pre(t1.length !== t2.length || t1.some((b, i) => b !== t2[i]));
        trials++;
        if (ff1Encrypt(key, t1, 10, input) !== ff1Encrypt(key, t2, 10, input)) differ++;
      }),
      { numRuns: 400 },
    );
    expect(trials).toBeGreaterThanOrEqual(300);
    expect(differ / trials).toBeGreaterThanOrEqual(0.99);
  });

  test('a one-bit change of the tweak changes the ciphertext in at least 99% of trials (radix 10, length 10)', () => {
    let trials = 0;
    let differ = 0;
    fc.assert(
      fc.property(
        aesKey,
        numeralsOf(10, 10),
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.nat(),
        fc.nat({ max: 7 }),
        (key, input, t1, at, bit) => {
          const t2 = t1.slice();
          t2[at % t2.length]! ^= 1 << bit;
          trials++;
          if (ff1Encrypt(key, t1, 10, input) !== ff1Encrypt(key, t2, 10, input)) differ++;
        },
      ),
      { numRuns: 400 },
    );
    expect(differ / trials).toBeGreaterThanOrEqual(0.99);
  });

  test('a one-bit change of the key changes the ciphertext in at least 99% of trials (radix 10, length 10)', () => {
    let trials = 0;
    let differ = 0;
    fc.assert(
      fc.property(aesKey, numeralsOf(10, 10), tweakArb, fc.nat(), fc.nat({ max: 7 }), (k1, input, tweak, at, bit) => {
        const k2 = k1.slice();
        k2[at % k2.length]! ^= 1 << bit;
        trials++;
        if (ff1Encrypt(k1, tweak, 10, input) !== ff1Encrypt(k2, tweak, 10, input)) differ++;
      }),
      { numRuns: 400 },
    );
    expect(differ / trials).toBeGreaterThanOrEqual(0.99);
  });

  test('an empty tweak and an absent-looking one (all zeros) are different tweaks', () => {
    const key = new Uint8Array(16).fill(3);
    expect(ff1Encrypt(key, new Uint8Array(0), 10, '0123456789')).not.toBe(
      ff1Encrypt(key, new Uint8Array(1), 10, '0123456789'),
    );
  });
});

describe('rejections', () => {
  test('lengths outside [domain minimum, 63-bit maximum]: ERR_LENGTH on input', () => {
    const badLength = radixArb.chain((radix) =>
      fc
        .oneof(
          fc.integer({ min: 0, max: minLength(radix) - 1 }),
          fc.integer({ min: maxLength(radix) + 1, max: maxLength(radix) + 80 }),
        )
        .chain((n) => numeralsOf(radix, n).map((input) => ({ radix, input }))),
    );
    fc.assert(
      fc.property(aesKey, tweakArb, badLength, fc.boolean(), (key, tweak, { radix, input }, decrypt) => {
        expectCardHsmError(() => (decrypt ? ff1Decrypt : ff1Encrypt)(key, tweak, radix, input), 'ERR_LENGTH', 'input');
      }),
      { numRuns: 1000 },
    );
  });

  test('one character outside the radix alphabet, at any position of a valid-length input: ERR_FORMAT on input', () => {
    const withBadChar = radixAndInput.chain(({ radix, input }) =>
      fc
        .tuple(
          fc.nat({ max: input.length - 1 }),
          fc
            .oneof(
              fc.constantFrom(...`${ALPHABET.slice(radix)} -_.+/:\u0000\u00e9\u0660\uff10\ud800`),
              fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
            )
            .filter((c) => c.length === 1 && !alphabetOf(radix).includes(c)),
        )
        .map(([at, c]) => ({ radix, input: input.slice(0, at) + c + input.slice(at + 1) })),
    );
    fc.assert(
      fc.property(aesKey, tweakArb, withBadChar, fc.boolean(), (key, tweak, { radix, input }, decrypt) => {
        expectCardHsmError(() => (decrypt ? ff1Decrypt : ff1Encrypt)(key, tweak, radix, input), 'ERR_FORMAT', 'input');
      }),
      { numRuns: 1000 },
    );
  });

  test('keys of any length but 16, 24, 32: ERR_LENGTH on key', () => {
    const badKey = fc
      .integer({ min: 0, max: 80 })
      .filter((n) => ![16, 24, 32].includes(n))
      .chain(bytesOf);
    fc.assert(
      fc.property(badKey, tweakArb, radixAndInput, (key, tweak, { radix, input }) => {
        expectCardHsmError(() => ff1Encrypt(key, tweak, radix, input), 'ERR_LENGTH', 'key');
        expectCardHsmError(() => ff1Decrypt(key, tweak, radix, input), 'ERR_LENGTH', 'key');
      }),
      { numRuns: 300 },
    );
  });

  test('tweaks longer than 1024 bytes: ERR_LENGTH on tweak', () => {
    fc.assert(
      fc.property(aesKey, fc.integer({ min: 1025, max: 5000 }), radixAndInput, (key, n, { radix, input }) => {
        expectCardHsmError(() => ff1Encrypt(key, new Uint8Array(n), radix, input), 'ERR_LENGTH', 'tweak');
        expectCardHsmError(() => ff1Decrypt(key, new Uint8Array(n), radix, input), 'ERR_LENGTH', 'tweak');
      }),
      { numRuns: 100 },
    );
  });

  test('integer radixes other than 2..36 and 62: ERR_FORMAT on radix', () => {
    const badRadix = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.integer()).filter((r) => !RADIXES.includes(r));
    fc.assert(
      fc.property(aesKey, badRadix, (key, radix) => {
        expectCardHsmError(() => ff1Encrypt(key, new Uint8Array(0), radix, '0123456789'), 'ERR_FORMAT', 'radix');
      }),
      { numRuns: 500 },
    );
  });
});

describe('totality: junk arguments return a string or throw CardHsmError', () => {
  /** Calls `fn` and checks the outcome: a well-formed result for the given input, or a CardHsmError. */
  function totalOn(decrypt: boolean, args: unknown[]): void {
    const fn = (decrypt ? ff1Decrypt : ff1Encrypt) as (...a: unknown[]) => unknown;
    let out: unknown;
    try {
      out = fn(...args);
    } catch (e) {
      if (!(e instanceof CardHsmError))
        throw new Error(`${fn.name} threw ${String(e)} for ${inspect(args, { depth: 2 })}`);
      expect(['ERR_TYPE', 'ERR_LENGTH', 'ERR_FORMAT']).toContain(e.code);
      expect(['key', 'tweak', 'radix', 'input']).toContain(e.field);
      return;
    }
    const [, , radix, input] = args as [unknown, unknown, number, string];
    expect(typeof out, `${fn.name} returned ${inspect(out)} for ${inspect(args, { depth: 2 })}`).toBe('string');
    expect(out as string).toHaveLength(input.length);
    expect(inAlphabet(out as string, radix)).toBe(true);
  }

  const keyish = fc.oneof(aesKey, junk, fc.integer({ min: 0, max: 40 }).chain(bytesOf));
  const tweakish = fc.oneof(
    tweakArb,
    junk,
    fc.integer({ min: 1020, max: 1030 }).chain(bytesOf),
    fc.constant(new Uint8Array(0)),
  );
  const radixish = fc.oneof(radixArb, fc.integer({ min: -5, max: 100 }), fc.double(), junk);
  const inputish = fc.oneof(
    radixAndInput.map(({ input }) => input),
    fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 130 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    junk,
  );

  test('every argument junk or valid, independently, in both directions', () => {
    fc.assert(
      fc.property(keyish, tweakish, radixish, inputish, fc.boolean(), (key, tweak, radix, input, decrypt) => {
        totalOn(decrypt, [key, tweak, radix, input]);
      }),
      { numRuns: 3000 },
    );
  });

  test('one argument of a valid call replaced by junk', () => {
    fc.assert(
      fc.property(
        aesKey,
        tweakArb,
        radixAndInput,
        fc.nat({ max: 3 }),
        junk,
        fc.boolean(),
        (key, tweak, { radix, input }, at, value, decrypt) => {
          const args: unknown[] = [key, tweak, radix, input];
          args[at] = value;
          totalOn(decrypt, args);
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('any number of junk arguments', () => {
    fc.assert(
      fc.property(fc.array(junk, { maxLength: 6 }), fc.boolean(), (args, decrypt) => {
        totalOn(decrypt, args);
      }),
      { numRuns: 1000 },
    );
  });
});
