// FF1 (NIST SP 800-38G) known answers from public sources — the nine NIST samples, the Zcash radix-2 vectors and
// a selection of Wycheproof edge cases, each naming its source in test/vectors/ff1.json — and the exact error
// (code and field) for every rule the library enforces.
import { describe, expect, test } from 'vitest';
import * as api from '../src/index.js';
import { expectCardHsmError } from './helpers/errors.js';
import { loadVectors, str, title } from './helpers/vectors.js';
import { RADIXES, alphabetOf, minLength, maxLength } from './helpers/ff1.js';

const h = api.hexToBytes;
const { ff1Encrypt, ff1Decrypt } = api;

/** `n` characters cycling through the radix's alphabet. */
const numerals = (radix: number, n: number): string =>
  Array.from({ length: n }, (_, i) => alphabetOf(radix)[i % radix]).join('');

const KEY = h('2B7E151628AED2A6ABF7158809CF4F3C');
const NO_TWEAK = new Uint8Array(0);
const both = [ff1Encrypt, ff1Decrypt] as const;

describe('FF1 known answers (test/vectors/ff1.json)', () => {
  const vectors = loadVectors('ff1');

  test('the file holds all nine NIST samples (AES-128 1-3, AES-192 4-6, AES-256 7-9)', () => {
    for (let n = 1; n <= 9; n++) {
      expect(
        vectors.filter((v) =>
          v.source.startsWith(`NIST SP 800-38G FF1samples.pdf (CSRC example values), Sample #${n} `),
        ),
      ).toHaveLength(1);
    }
    const keyBytes = (n: number) => str(vectors.find((v) => v.source.includes(`Sample #${n} `))!, 'key').length / 2;
    expect([1, 2, 3].map(keyBytes)).toEqual([16, 16, 16]);
    expect([4, 5, 6].map(keyBytes)).toEqual([24, 24, 24]);
    expect([7, 8, 9].map(keyBytes)).toEqual([32, 32, 32]);
  });

  test('every vector is inside the library limits, in the radix alphabet and the same length both sides', () => {
    for (const v of vectors) {
      const radix = v.radix as number;
      const pt = str(v, 'plaintext');
      const ct = str(v, 'ciphertext');
      expect(RADIXES, v.source).toContain(radix);
      expect(pt.length, v.source).toBe(ct.length);
      expect(pt.length, v.source).toBeGreaterThanOrEqual(minLength(radix));
      expect(pt.length, v.source).toBeLessThanOrEqual(maxLength(radix));
      for (const c of pt + ct) expect(alphabetOf(radix), v.source).toContain(c);
    }
  });

  vectors.forEach((v, i) => {
    test(title(v, i), () => {
      const key = h(str(v, 'key'));
      const tweak = h(str(v, 'tweak'));
      const radix = v.radix as number;
      expect(ff1Encrypt(key, tweak, radix, str(v, 'plaintext'))).toBe(str(v, 'ciphertext'));
      expect(ff1Decrypt(key, tweak, radix, str(v, 'ciphertext'))).toBe(str(v, 'plaintext'));
    });
  });
});

describe('the domain and length limits', () => {
  test('the limits stated for the common radixes', () => {
    expect([minLength(10), maxLength(10)]).toEqual([6, 36]);
    expect([minLength(36), maxLength(36)]).toEqual([4, 24]);
    expect([minLength(62), maxLength(62)]).toEqual([4, 20]);
    expect([minLength(2), maxLength(2)]).toEqual([20, 124]);
  });

  test.each(RADIXES)(
    'radix %i: the shortest and longest allowed lengths work, one less and one more are ERR_LENGTH on input',
    (radix) => {
      const lo = minLength(radix);
      const hi = maxLength(radix);
      for (const fn of both) {
        for (const n of [lo, hi]) {
          const out = fn(KEY, NO_TWEAK, radix, numerals(radix, n));
          expect(out).toHaveLength(n);
          expect(
            fn === ff1Encrypt ? ff1Decrypt(KEY, NO_TWEAK, radix, out) : ff1Encrypt(KEY, NO_TWEAK, radix, out),
          ).toBe(numerals(radix, n));
        }
        expectCardHsmError(() => fn(KEY, NO_TWEAK, radix, numerals(radix, lo - 1)), 'ERR_LENGTH', 'input');
        expectCardHsmError(() => fn(KEY, NO_TWEAK, radix, numerals(radix, hi + 1)), 'ERR_LENGTH', 'input');
      }
    },
  );

  test('radix^length below 1,000,000: ERR_LENGTH on input, however short', () => {
    for (const fn of both) {
      for (const input of ['', '0', '12', '12345', '99999'])
        expectCardHsmError(() => fn(KEY, NO_TWEAK, 10, input), 'ERR_LENGTH', 'input');
      expectCardHsmError(() => fn(KEY, NO_TWEAK, 2, '1'.repeat(19)), 'ERR_LENGTH', 'input'); // 2^19 = 524,288
      expectCardHsmError(() => fn(KEY, NO_TWEAK, 36, 'zzz'), 'ERR_LENGTH', 'input'); // 36^3 = 46,656
      expectCardHsmError(() => fn(KEY, NO_TWEAK, 62, 'ZZZ'), 'ERR_LENGTH', 'input'); // 62^3 = 238,328
      expectCardHsmError(() => fn(KEY, NO_TWEAK, 7, '6666666'), 'ERR_LENGTH', 'input'); // 7^7 = 823,543
      expect(fn(KEY, NO_TWEAK, 7, '66666666')).toHaveLength(8); // 7^8 = 5,764,801
    }
  });

  test('halves of 63 bits or more: ERR_LENGTH on input (radix 10 > 36 digits, radix 36 > 24, radix 62 > 20)', () => {
    for (const fn of both) {
      expectCardHsmError(() => fn(KEY, NO_TWEAK, 10, '1'.repeat(37)), 'ERR_LENGTH', 'input');
      expectCardHsmError(() => fn(KEY, NO_TWEAK, 10, '1'.repeat(38)), 'ERR_LENGTH', 'input');
      expectCardHsmError(() => fn(KEY, NO_TWEAK, 10, '1'.repeat(1000)), 'ERR_LENGTH', 'input');
      expectCardHsmError(() => fn(KEY, NO_TWEAK, 36, 'a'.repeat(25)), 'ERR_LENGTH', 'input');
      expectCardHsmError(() => fn(KEY, NO_TWEAK, 62, 'A'.repeat(21)), 'ERR_LENGTH', 'input');
      expectCardHsmError(() => fn(KEY, NO_TWEAK, 2, '1'.repeat(125)), 'ERR_LENGTH', 'input'); // 2^63 itself is out
      expectCardHsmError(() => fn(KEY, NO_TWEAK, 8, '7'.repeat(41)), 'ERR_LENGTH', 'input'); // 8^21 = 2^63
      expect(fn(KEY, NO_TWEAK, 8, '7'.repeat(40))).toHaveLength(40); // 8^20 = 2^60
    }
  });

  test('published vectors outside the library limits are rejected, not miscomputed', () => {
    // C2SP/wycheproof aes_ff1_base62_test.json tcId 7 ("small message size": 62^2 < 10^6; valid only under the
    // original SP 800-38G radix^minlen >= 100 rule) and aes_ff1_base36_test.json tcId 7 (36^2, "DN" -> "IZ").
    expectCardHsmError(
      () => ff1Encrypt(h('ad65778960d778c614e2673dee073acb'), h('4505f45a8fa30b90'), 62, 'xt'),
      'ERR_LENGTH',
      'input',
    );
    expectCardHsmError(
      () => ff1Encrypt(h('ad65778960d778c614e2673dee073acb'), h('4505f45a8fa30b90'), 36, 'dn'),
      'ERR_LENGTH',
      'input',
    );
    // aes_ff1_base10_test.json tcId 1237 (radix 10, 38 digits: halves of 19 digits exceed 63 bits).
    expectCardHsmError(
      () =>
        ff1Encrypt(
          h('1882ed1962852c6fc7c2218ba48d3c58'),
          h('25e032b39da50d1e'),
          10,
          '52746963796066785628587618707103883210',
        ),
      'ERR_LENGTH',
      'input',
    );
    // aes_ff1_base62_test.json tcId 789 (radix 62, 21 characters), letters case-swapped into cardhsm's alphabet.
    expectCardHsmError(
      () =>
        ff1Decrypt(
          h('54897a7e63855142189bc30a692271dd'),
          h('414c4c69682f9e842c3d2380cc15cde610805ade7507'),
          62,
          'w0YzaOfAU3MDWVnFrgfLW',
        ),
      'ERR_LENGTH',
      'input',
    );
    // ubiqsecurity/ubiq-fpe-python ff1_test.py test_nist3_prime (radix 36, 42 characters).
    expectCardHsmError(
      () => ff1Encrypt(KEY, h('3737373770717273373737'), 36, '0123456789abcdefghijklmnopqrstuvwxyz012345'),
      'ERR_LENGTH',
      'input',
    );
  });
});

describe('characters outside the alphabet: ERR_FORMAT on input', () => {
  test('characters beyond the radix, the other case, punctuation and non-ASCII', () => {
    const cases: Array<[number, string]> = [
      [10, '012345678a'],
      [10, '01234 5678'],
      [10, '-123456789'],
      [10, '０１２３４５６７８９'], // full-width digits
      [10, '٠١٢٣٤٥٦٧٨٩'], // Arabic-Indic digits
      [9, '0123456789'], // '9' is not a radix-9 numeral
      [16, '0123456789abcdefg'],
      [36, '0123456789ABCDEFGHI'], // radix 36 is lowercase only
      [35, `${'0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, 20)}z`],
      [62, '0123456789abcdef_hij'],
      [62, 'abcdefghij😀klmnopq'], // a surrogate pair: two code units, neither a numeral
      [62, 'abcdefgh\u0000ijklmnop'],
      [2, '0101010101010101010102'],
    ];
    for (const fn of both)
      for (const [radix, input] of cases)
        expectCardHsmError(() => fn(KEY, NO_TWEAK, radix, input), 'ERR_FORMAT', 'input');
  });

  test('published invalid plaintexts (C2SP/wycheproof "plaintext contains invalid values")', () => {
    // aes_ff1_base10_test.json tcIds 55-57 and aes_ff1_base62_test.json tcId 55 (a '|' in "|GrC", here "|gRc").
    const k10 = h('ed4561abc903a9e722ddb8aa94cc662d');
    const t10 = h('975f6d7701e004f7');
    for (const input of ['R84237', '88Q237', '88423='])
      expectCardHsmError(() => ff1Encrypt(k10, t10, 10, input), 'ERR_FORMAT', 'input');
    expectCardHsmError(
      () => ff1Encrypt(h('8a74f1cae832ef8d58c26b49157c187b'), h('d7b8bdae53aba381'), 62, '|gRc'),
      'ERR_FORMAT',
      'input',
    );
  });

  test('an input that is not a string: ERR_TYPE on input', () => {
    for (const fn of both) {
      for (const input of [
        1234567890,
        1234567890n,
        ['0', '1', '2', '3', '4', '5'],
        null,
        undefined,
        h('00010203040506'),
      ]) {
        expectCardHsmError(() => fn(KEY, NO_TWEAK, 10, input as never), 'ERR_TYPE', 'input');
      }
    }
  });
});

describe('radix', () => {
  test('numbers outside 2..36 and 62, or not integers: ERR_FORMAT on radix', () => {
    for (const fn of both) {
      for (const radix of [-10, 0, 1, 37, 40, 61, 63, 64, 256, 10.5, Number.NaN, Number.POSITIVE_INFINITY, -0.5]) {
        expectCardHsmError(() => fn(KEY, NO_TWEAK, radix, '0123456789'), 'ERR_FORMAT', 'radix');
      }
    }
  });

  test('non-numbers: ERR_TYPE on radix', () => {
    for (const fn of both) {
      for (const radix of ['10', 10n, null, undefined, {}, [10], true]) {
        expectCardHsmError(() => fn(KEY, NO_TWEAK, radix as never, '0123456789'), 'ERR_TYPE', 'radix');
      }
    }
  });

  test('radix 62 uses 0-9a-zA-Z: lowercase letters are 10..35, uppercase 36..61', () => {
    // The same numeral string under radix 62 and under a radix-36 alphabet differs in value, but a string of
    // digits and lowercase letters is valid for both and must round-trip under each.
    const s = '0123456789abcdefghij';
    expect(ff1Decrypt(KEY, NO_TWEAK, 62, ff1Encrypt(KEY, NO_TWEAK, 62, s))).toBe(s);
    expect(ff1Decrypt(KEY, NO_TWEAK, 36, ff1Encrypt(KEY, NO_TWEAK, 36, s))).toBe(s);
    expect(ff1Encrypt(KEY, NO_TWEAK, 62, 'ZZZZZZZZZZ')).toMatch(/^[0-9a-zA-Z]{10}$/);
  });
});

describe('key and tweak', () => {
  test('AES keys of any other length: ERR_LENGTH on key', () => {
    for (const fn of both) {
      for (const n of [0, 1, 8, 15, 17, 20, 23, 25, 31, 33, 48, 64]) {
        expectCardHsmError(() => fn(new Uint8Array(n), NO_TWEAK, 10, '0123456789'), 'ERR_LENGTH', 'key');
      }
    }
  });

  test('a key that is not a Uint8Array: ERR_TYPE on key', () => {
    for (const fn of both) {
      for (const key of ['2B7E151628AED2A6ABF7158809CF4F3C', Array.from(KEY), KEY.buffer, null, undefined, 16]) {
        expectCardHsmError(() => fn(key as never, NO_TWEAK, 10, '0123456789'), 'ERR_TYPE', 'key');
      }
    }
  });

  test('a tweak that is not a Uint8Array: ERR_TYPE on tweak', () => {
    for (const fn of both) {
      for (const tweak of [
        '',
        '3938373635',
        [0x39, 0x38],
        new ArrayBuffer(4),
        new Uint16Array(4),
        null,
        undefined,
        0,
      ]) {
        expectCardHsmError(() => fn(KEY, tweak as never, 10, '0123456789'), 'ERR_TYPE', 'tweak');
      }
    }
  });

  test('tweaks up to 1024 bytes work; longer ones are ERR_LENGTH on tweak', () => {
    for (const fn of both) {
      for (const n of [1023, 1024])
        expect(fn(KEY, new Uint8Array(n).fill(0x5a), 10, '0123456789')).toMatch(/^[0-9]{10}$/);
      for (const n of [1025, 1100, 4096])
        expectCardHsmError(() => fn(KEY, new Uint8Array(n), 10, '0123456789'), 'ERR_LENGTH', 'tweak');
    }
    const long = Uint8Array.from({ length: 1024 }, (_, i) => i & 0xff);
    expect(ff1Decrypt(KEY, long, 36, ff1Encrypt(KEY, long, 36, 'cardholder1234567'))).toBe('cardholder1234567');
  });

  test('keys and tweaks given as views into larger buffers behave like copies; arguments are not modified', () => {
    const keyBuf = new Uint8Array(64).fill(0xee);
    keyBuf.set(h('2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94'), 7);
    const tweakBuf = new Uint8Array(40).fill(0x11);
    tweakBuf.set(h('39383736353433323130'), 13);
    const key = keyBuf.subarray(7, 39);
    const tweak = tweakBuf.subarray(13, 23);
    const before = [Uint8Array.from(keyBuf), Uint8Array.from(tweakBuf)];
    expect(ff1Encrypt(key, tweak, 10, '0123456789')).toBe('1001623463'); // NIST sample 8
    expect(ff1Decrypt(key, tweak, 10, '1001623463')).toBe('0123456789');
    expect(keyBuf).toEqual(before[0]);
    expect(tweakBuf).toEqual(before[1]);
  });
});
