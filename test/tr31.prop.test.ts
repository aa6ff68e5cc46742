// TR-31 properties: unwrap∘wrap = identity for every version written, usage, algorithm and key length 0-32
// bytes, with and without optional blocks; every single-character change of a key block is rejected.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/index.js';
import { CardHsmError } from '../src/index.js';
import { bytesOf } from './helpers/arb.js';
import { Tr31Kbpk, unwrapTr31With } from '../src/_tr31.js';

const USAGES = [
  'B0',
  'C0',
  'D0',
  'E0',
  'E1',
  'E2',
  'E3',
  'E4',
  'E5',
  'E6',
  'K0',
  'K1',
  'M0',
  'M3',
  'M7',
  'P0',
  'V1',
  'V2',
  'S0',
];
const kbpkFor = (version: 'B' | 'D') =>
  (version === 'B' ? fc.constantFrom(16, 24) : fc.constantFrom(16, 24, 32)).chain(bytesOf);
const optional = fc.array(
  fc.record({
    id: fc.constantFrom('KS', 'KC', 'KP', 'HM', 'TS', 'CT', 'IK'),
    data: fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFXYZ -'), maxLength: 40 }),
  }),
  { maxLength: 3 },
);

const arbitraryBlock = fc.constantFrom('B' as const, 'D' as const).chain((version) =>
  fc.record({
    version: fc.constant(version),
    kbpk: kbpkFor(version),
    usage: fc.constantFrom(...USAGES),
    algorithm: fc.constantFrom(...'ADEHRST'),
    modeOfUse: fc.constantFrom(...'BCDEGNSTVXY'),
    keyVersion: fc.constantFrom('00', '01', 'c1', '7Z'),
    exportability: fc.constantFrom('E', 'N', 'S'),
    optionalBlocks: optional,
    key: fc.integer({ min: 0, max: 32 }).chain(bytesOf),
  }),
);

describe('TR-31 properties', () => {
  test('unwrap∘wrap = identity', () => {
    fc.assert(
      fc.property(arbitraryBlock, ({ kbpk, key, ...fields }) => {
        const block = api.wrapTr31(kbpk, { ...fields, length: 0, reserved: '00' }, key);
        const { header, key: out } = api.unwrapTr31(kbpk, block);
        expect(out).toEqual(key);
        expect(header).toMatchObject({
          ...fields,
          optionalBlocks: expect.arrayContaining(fields.optionalBlocks),
          length: block.length,
        });
      }),
      { numRuns: 1000 },
    );
  });

  test('every single-character change is rejected', () => {
    fc.assert(
      fc.property(
        arbitraryBlock,
        fc.nat(),
        fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef !~'),
        ({ kbpk, key, ...fields }, at, c) => {
          const block = api.wrapTr31(kbpk, { ...fields, length: 0, reserved: '00' }, key);
          const i = at % block.length;
          fc.pre(block[i] !== c);
          expect(() => api.unwrapTr31(kbpk, block.slice(0, i) + c + block.slice(i + 1))).toThrow(CardHsmError);
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('arbitrary strings never unwrap and never throw anything but CardHsmError', () => {
    const kbpk = new Uint8Array(16);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ unit: fc.constantFrom(...'BD0123456789ABCDEFKPS'), maxLength: 120 }),
        ),
        (s) => {
          expect(() => api.unwrapTr31(kbpk, s)).toThrow(CardHsmError);
          try {
            api.parseTr31Header(s);
          } catch (e) {
            expect(e).toBeInstanceOf(CardHsmError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  // The Hsm's Tr31Kbpk remembers blocks it authenticated (by exact text) and skips their parse and MAC on a
  // repeat: that shortcut must change no answer.
  test('a remembered block unwraps as before; its altered copies are still refused; remembering is bounded', () => {
    fc.assert(
      fc.property(
        arbitraryBlock,
        fc.nat(),
        fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef !~'),
        ({ kbpk, key, ...fields }, at, c) => {
          const block = api.wrapTr31(kbpk, { ...fields, length: 0, reserved: '00' }, key);
          const k = new Tr31Kbpk(kbpk);
          const first = unwrapTr31With(k, block);
          expect(k.verified(block)?.header).toEqual(first.header);
          const again = unwrapTr31With(k, block);
          expect(again.key).toEqual(key);
          expect(again.header).toEqual(first.header);
          expect(Object.isFrozen(again.header) && Object.isFrozen(again.header.optionalBlocks)).toBe(true);
          const i = at % block.length;
          fc.pre(block[i] !== c);
          const altered = block.slice(0, i) + c + block.slice(i + 1);
          expect(() => unwrapTr31With(k, altered)).toThrow(CardHsmError);
          expect(k.verified(altered)?.header).toBeUndefined();
          k.wipe();
          expect(k.verified(block)?.header).toBeUndefined();
        },
      ),
      { numRuns: 1000 },
    );
    const kbpk = new Uint8Array(32).fill(7);
    const k = new Tr31Kbpk(kbpk);
    const blocks = Array.from({ length: 300 }, (_, i) =>
      api.wrapTr31(kbpk, 'D0000D0AE00E0000', Uint8Array.of(i >> 8, i & 0xff, ...new Uint8Array(14))),
    );
    for (const b of blocks) unwrapTr31With(k, b);
    expect(k.verified(blocks[0]!)?.header).toBeUndefined(); // forgotten: past the bound
    expect(k.verified(blocks[299]!)?.header).toBeDefined();
    expect(blocks.map((b) => unwrapTr31With(k, b).key[1])).toEqual(blocks.map((_, i) => i & 0xff));
  });
});
