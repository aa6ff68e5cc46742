// The issuance kernel (assembly/cards.ts through src/issue/cards.ts) against the same cards composed from the
// public primitives, each tested on its own against public vectors: PanIssuer.pansAt (FF1 in JS-driven
// batches), generateCvvBatch, tokenizePanBatch, derivePins, generateVisaPvvBatch and the PIN block codecs.
// Random recipes cover every PAN shape, token option, PIN length, policy and key kind; then chunking, errors and
// the wiping of the kernel's scratch.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/index.js';
import { PanIssuer } from '../src/index.js';
import { cardsAt, cardsFor, derivePins, type CardRecipe } from '../src/issue/_cards.js';
import type { IssuedCard } from '../src/issue/cards.js';
import { kernel } from '../src/wasm/_loader.js';
import { cvk, expiry, serviceCode } from '../src/arbitraries.js';
import { aesKey, bytesOf, digits } from './helpers/arb.js';
import { expectCardHsmError } from './helpers/errors.js';

const k = kernel();
const baseline = k.mem.slice(); // before any call of this file (each test file gets its own instance)

/** The cards of `pans` the slow way, one primitive at a time. PIN blocks are checked by decoding them. */
function reference(r: CardRecipe, pans: string[]): Omit<IssuedCard, 'pinBlock'>[] {
  const n = pans.length;
  const cvvs = api.generateCvvBatch(
    r.cvk,
    [r.serviceCode, '000', '999'].flatMap((serviceCode) => pans.map((pan) => ({ pan, expiry: r.expiry, serviceCode }))),
  );
  const tokens = r.token ? api.tokenizePanBatch(r.token.key, pans, r.token.options) : undefined;
  const pins = r.pin ? derivePins(r.pin.pvk, pans, r.pin.length, r.pin.policy) : undefined;
  const pvvs = r.pin
    ? api.generateVisaPvvBatch(
        r.pin.pvk,
        pans.map((pan, i) => ({ pan, pvki: r.pin!.pvki, pin: pins![i]! })),
      )
    : undefined;
  return pans.map((pan, i) => ({
    pan,
    lastFour: pan.slice(-4),
    expiry: r.expiry,
    serviceCode: r.serviceCode,
    cvv: cvvs[i]!,
    cvv2: cvvs[n + i]!,
    icvv: cvvs[2 * n + i]!,
    ...(tokens ? { token: tokens[i]! } : {}),
    ...(pvvs ? { pvv: pvvs[i]! } : {}),
  }));
}

/**
 * The ISO 4 fill the kernel documents (assembly/cards.ts cardsIso4Fill), written out from TDES: F =
 * TDES_PVK(TDES_PVK(B1) XOR B2 XOR 0x80) with B1 || B2 the PAN's digits 'F'-padded to 31 nibbles, then 0.
 */
function iso4Fill(pvk: Uint8Array, pan: string): Uint8Array {
  const nibbles = Array.from({ length: 32 }, (_, i) => (i < pan.length ? pan.charCodeAt(i) - 48 : i < 31 ? 15 : 0));
  const half = (from: number) =>
    Uint8Array.from({ length: 8 }, (_, j) => (nibbles[from + 2 * j]! << 4) | nibbles[from + 2 * j + 1]!);
  const y = api.tdesEncryptEcb(pvk, half(0));
  const b2 = half(16);
  const x = y.map((v, j) => v ^ b2[j]! ^ (j === 7 ? 0x80 : 0));
  return api.tdesEncryptEcb(pvk, x);
}

/** The PIN inside a card's encrypted PIN block. */
function pinOf(r: CardRecipe, card: IssuedCard): string {
  const block = api.hexToBytes(card.pinBlock!);
  if (r.pin!.aes) return api.decipherPinBlockIso4(r.pin!.pinKey, block, card.pan);
  return api.decodePinBlockIso0(api.tdesDecryptEcb(r.pin!.pinKey, block), card.pan);
}

function expectSameCards(r: CardRecipe, got: IssuedCard[], pans: string[]): void {
  const want = reference(r, pans);
  expect(got.map(({ pinBlock, ...rest }) => rest)).toEqual(want);
  if (r.pin) {
    const pins = derivePins(r.pin.pvk, pans, r.pin.length, r.pin.policy);
    expect(got.map((c) => pinOf(r, c))).toEqual(pins);
    // ISO 4 blocks are exactly the documented ones (so an idempotent re-run reproduces them byte for byte).
    if (r.pin.aes) {
      const expected = got.map((c, i) =>
        api.bytesToHex(api.encipherPinBlockIso4(r.pin!.pinKey, pins[i]!, c.pan, iso4Fill(r.pin!.pvk, c.pan))),
      );
      expect(got.map((c) => c.pinBlock)).toEqual(expected);
    }
    expect(
      got.every((c) => c.pinBlock === c.pinBlock!.toUpperCase() && c.pinBlock!.length === (r.pin!.aes ? 32 : 16)),
    ).toBe(true);
  } else {
    expect(got.every((c) => c.pinBlock === undefined && c.pvv === undefined)).toBe(true);
  }
}

const tdesKey = fc.constantFrom(16, 24).chain(bytesOf);
const shape = fc.record({ bin: digits(6, 11), length: fc.integer({ min: 13, max: 19 }) });
const tokenOptions = fc
  .record(
    {
      keepLeft: fc.integer({ min: 0, max: 8 }),
      keepRight: fc.integer({ min: 0, max: 4 }),
      alphabet: fc.constantFrom('numeric' as const, 'alphanumeric' as const),
      luhn: fc.constantFrom('invalid' as const, 'valid' as const, 'any' as const),
      tweak: fc.uint8Array({ maxLength: 20 }),
    },
    { requiredKeys: [] },
  )
  .map((o) => (o.alphabet === 'alphanumeric' ? { ...o, luhn: undefined } : o));
const policy = fc.record(
  {
    rejectRepeated: fc.boolean(),
    rejectSequences: fc.boolean(),
    wrapAround: fc.boolean(),
    denyList: fc.array(digits(4, 6), { maxLength: 5 }),
  },
  { requiredKeys: [] },
);
const recipe = fc.record({
  shape,
  panKey: aesKey,
  cvk: cvk(),
  expiry: expiry(),
  serviceCode: serviceCode(),
  token: fc.option(fc.record({ key: aesKey, options: tokenOptions }), { nil: undefined }),
  pin: fc.option(
    fc.record({
      aes: fc.boolean(),
      tdes: tdesKey,
      aesKey,
      pvk: tdesKey.map((key) => key.subarray(0, 16)),
      pvki: digits(1, 1),
      length: fc.integer({ min: 4, max: 12 }),
      policy,
    }),
    { nil: undefined },
  ),
});

type RecipeValues = typeof recipe extends fc.Arbitrary<infer T> ? T : never;

function recipeOf(v: RecipeValues): CardRecipe {
  return {
    issuer: new PanIssuer({ key: v.panKey, bin: v.shape.bin, length: v.shape.length }),
    cvk: v.cvk,
    expiry: v.expiry,
    serviceCode: v.serviceCode,
    ...(v.token ? { token: { key: v.token.key, options: v.token.options } } : {}),
    ...(v.pin
      ? {
          pin: {
            pinKey: v.pin.aes ? v.pin.aesKey : v.pin.tdes,
            aes: v.pin.aes,
            pvk: v.pin.pvk,
            pvki: v.pin.pvki,
            length: v.pin.length,
            policy: v.pin.policy,
          },
        }
      : {}),
  };
}

/** The middle a token would encrypt is within FF1's domain. */
/** A recipe with a token and a PIN: ISO-4 under AES when `aes`, else ISO-0 under TDES. */
function everyOption(aes: boolean): CardRecipe {
  const pinKey = new Uint8Array(16).fill(4);
  return recipeOf({
    shape: { bin: '457173', length: 16 },
    panKey: new Uint8Array(32).fill(1),
    cvk: new Uint8Array(16).fill(2),
    expiry: '2911',
    serviceCode: '101',
    token: { key: new Uint8Array(16).fill(3), options: {} },
    pin: {
      aes,
      tdes: aes ? new Uint8Array(16) : pinKey,
      aesKey: aes ? pinKey : new Uint8Array(16),
      pvk: new Uint8Array(16).fill(5),
      pvki: '1',
      length: 4,
      policy: {},
    },
  });
}

const tokenFits = (v: RecipeValues): boolean => {
  if (!v.token) return true;
  const o = v.token.options;
  const mid = v.shape.length - (o.keepLeft ?? 6) - (o.keepRight ?? 4);
  return o.alphabet === 'alphanumeric' ? mid >= 4 : mid >= 6;
};

describe('the kernel makes exactly the cards the primitives make', () => {
  test('random recipes: counters (new cards) and given PANs (reissue)', () => {
    fc.assert(
      fc.property(recipe, fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 1, max: 40 }), (v, at, count) => {
        fc.pre(tokenFits(v));
        const r = recipeOf(v);
        const cap = r.issuer.capacity;
        const n = Math.min(count, cap);
        const start = at % (cap - n + 1);
        const pans = r.issuer.pansAt(start, n);
        expectSameCards(r, cardsAt(r, start, n), pans);
        const shuffled = [...pans].reverse();
        expectSameCards(r, cardsFor(r, shuffled), shuffled);
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  test('batches larger than one kernel chunk (2,048 cards), every option on', () => {
    const r = everyOption(false);
    const pans = r.issuer.pansAt(1000, 5000);
    expectSameCards(r, cardsAt(r, 1000, 5000), pans);
  });

  test('PANs of mixed lengths keep their order', () => {
    const r = recipeOf({
      shape: { bin: '457173', length: 16 },
      panKey: new Uint8Array(16),
      cvk: new Uint8Array(16).fill(7),
      expiry: '2701',
      serviceCode: '201',
      token: { key: new Uint8Array(16).fill(9), options: { luhn: 'valid' } },
      pin: undefined,
    });
    const pans = ['4571739876543210', '4111111111111111111', '4000000000000002'].map(
      (p) => p.slice(0, -1) + api.luhnCheckDigit(p.slice(0, -1)),
    );
    expectSameCards(r, cardsFor(r, pans), pans);
  });
});

describe('refusals', () => {
  const base = recipeOf({
    shape: { bin: '457173', length: 16 },
    panKey: new Uint8Array(16),
    cvk: new Uint8Array(16),
    expiry: '2911',
    serviceCode: '101',
    token: undefined,
    pin: undefined,
  });

  test('a policy that allows almost nothing: ERR_PIN_POLICY, as derivePins', () => {
    const everything = Array.from({ length: 10_000 }, (_, v) => String(v).padStart(4, '0'));
    const r: CardRecipe = {
      ...base,
      pin: {
        pinKey: new Uint8Array(16),
        aes: false,
        pvk: new Uint8Array(16).fill(1),
        pvki: '1',
        length: 4,
        policy: { denyList: everything },
      },
    };
    expectCardHsmError(() => cardsAt(r, 0, 3), 'ERR_PIN_POLICY');
    expectCardHsmError(() => derivePins(r.pin!.pvk, base.issuer.pansAt(0, 3), 4, r.pin!.policy), 'ERR_PIN_POLICY');
  });

  test('token options the PAN length cannot carry, and Luhn-bound tokens of a PAN that fails Luhn', () => {
    expectCardHsmError(
      () => cardsAt({ ...base, token: { key: new Uint8Array(16), options: { keepLeft: 8, keepRight: 4 } } }, 0, 1),
      'ERR_LENGTH',
    );
    expectCardHsmError(
      () => cardsFor({ ...base, token: { key: new Uint8Array(16), options: {} } }, ['4111111111111112']),
      'ERR_FORMAT',
    );
    expect(
      cardsFor({ ...base, token: { key: new Uint8Array(16), options: { luhn: 'any' } } }, ['4111111111111112'])[0]!
        .token,
    ).toHaveLength(16);
  });

  test('a fresh short-body issuer: its first cards are right (regression: the shuffle once ran inside the issuance call and wiped its inputs)', () => {
    // Bodies under 6 digits use a keyed shuffle built by AES calls of its own on first use; the first cards of a
    // fresh issuer once came out with CVVs over a wiped expiry and service code.
    for (const length of [13, 16, 19]) {
      const bin = '45717360123'.slice(0, length - 5);
      const fresh = (): PanIssuer => new PanIssuer({ key: new Uint8Array(16).fill(7), bin, length });
      const cards = cardsAt({ ...base, issuer: fresh() }, 0, 5);
      expect(cards.map((c) => c.pan)).toEqual(fresh().pansAt(0, 5));
      expect(cards.map((c) => c.cvv)).toEqual(
        cards.map((c) => api.generateCvv(base.cvk, c.pan, base.expiry, base.serviceCode)),
      );
    }
  });

  test('counters past the capacity: ERR_RANGE_EXHAUSTED', () => {
    const small = { ...base, issuer: new PanIssuer({ key: new Uint8Array(16), bin: '45717360123', length: 13 }) };
    expect(cardsAt(small, 0, 10)).toHaveLength(10);
    expectCardHsmError(() => cardsAt(small, 5, 6), 'ERR_RANGE_EXHAUSTED');
  });
});

describe('hygiene', () => {
  const changed = (): number[] => {
    const out: number[] = [];
    for (let i = 0; i < baseline.length; i++)
      if (k.mem[i] !== baseline[i] && (i < k.CACHE || i >= k.CACHE + k.CACHE_BYTES)) out.push(i);
    return out.slice(0, 5);
  };

  test('after issuing — and after a refused issue — only the key cache differs from instantiation', () => {
    const r = everyOption(true);
    expect(cardsAt(r, 0, 3000)).toHaveLength(3000);
    expect(changed()).toEqual([]);
    const refused: CardRecipe = {
      ...r,
      pin: { ...r.pin!, policy: { denyList: Array.from({ length: 10_000 }, (_, v) => String(v).padStart(4, '0')) } },
    };
    expectCardHsmError(() => cardsAt(refused, 0, 100), 'ERR_PIN_POLICY');
    expect(changed()).toEqual([]);
    expect(k.x.memory.buffer.byteLength).toBe(baseline.length);
  });
});
