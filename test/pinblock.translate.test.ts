// translatePinBlock (ISO 9564-1 PIN translation in one kernel call) against an independent composition: the
// reference PIN block codecs of test/helpers/reference.ts over node:crypto DES/AES (themselves checked against
// the ISO 9564-1 and FIPS vectors in helpers.reference.test.ts). Every pair of transit formats, every key kind;
// then refusals, and the wiping of the kernel's scratch (the clear PIN must not stay in WASM memory).
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/index.js';
import { kernel } from '../src/wasm/_loader.js';
import { aesKey, anyDesKey, anyPin, bytesOf, digits } from './helpers/arb.js';
import { expectCardHsmError } from './helpers/errors.js';
import * as ref from './helpers/reference.js';

const k = kernel();
const baseline = k.mem.slice(); // before any call of this file (each test file gets its own instance)

type Format = 0 | 1 | 3 | 4;
const FORMATS: Format[] = [0, 1, 3, 4];
const keyFor = (format: Format) => (format === 4 ? aesKey : anyDesKey);
const nibblesHex = (n: number, alphabet: string) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength: n, maxLength: n });

/** An encrypted block of `pin` in `format`, made by the reference codecs (random fill from fast-check). */
function refBlock(
  format: Format,
  key: Uint8Array,
  pin: string,
  pan: string,
  fill: { hex: string; bytes: Uint8Array },
): Uint8Array {
  if (format === 4) return ref.refEncipherIso4(key, pin, pan, fill.bytes);
  const clear =
    format === 0
      ? ref.refEncodeIso0(pin, pan)
      : format === 1
        ? ref.refEncodeIso1(pin, fill.hex.slice(0, 14 - pin.length))
        : ref.refEncodeIso3(pin, pan, fill.hex.slice(0, 14 - pin.length));
  return ref.refDesEcbEncrypt(key, clear);
}

/** The PIN inside an encrypted block, by the reference codecs. */
function refPin(format: Format, key: Uint8Array, block: Uint8Array, pan: string): string {
  if (format === 4) return ref.refDecipherIso4(key, block, pan);
  const clear = ref.refDesEcbDecrypt(key, block);
  return format === 0
    ? ref.refDecodeIso0(clear, pan)
    : format === 1
      ? ref.refDecodeIso1(clear)
      : ref.refDecodeIso3(clear, pan);
}

const pair = fc
  .tuple(fc.constantFrom(...FORMATS), fc.constantFrom(...FORMATS))
  .filter(([from, to]) => to !== 1 || from === 1)
  .chain(([from, to]) =>
    fc.record({ from: fc.constant(from), to: fc.constant(to), fromKey: keyFor(from), toKey: keyFor(to) }),
  );
const card = fc.record({
  pin: anyPin,
  pan: digits(12, 19),
  fill: fc.record({ hex: nibblesHex(10, 'ABCDEF'), bytes: bytesOf(8) }),
});

describe('translatePinBlock', () => {
  test('KAT: the CLI example (ISO 0 under one double-length ZPK to another) and its composition by hand', () => {
    const h = api.hexToBytes;
    const [zpk1, zpk2, pan] = [
      h('0123456789ABCDEFFEDCBA9876543210'),
      h('FEDCBA98765432100123456789ABCDEF'),
      '5555555551234567',
    ];
    const block = ref.refDesEcbEncrypt(zpk1, ref.refEncodeIso0('1234', pan));
    expect(api.bytesToHex(block)).toBe('230B4C43B8BA2C5C');
    const out = api.translatePinBlock({
      pinBlock: block,
      pan,
      from: { key: zpk1, format: 0 },
      to: { key: zpk2, format: 0 },
    });
    expect(api.bytesToHex(out)).toBe('1D399B7C36398D29');
    expect(out).toEqual(ref.refDesEcbEncrypt(zpk2, ref.refEncodeIso0('1234', pan)));
  });

  test('every allowed pair of formats and key kinds: the new block holds the same PIN (exactly the reference block for ISO 0)', () => {
    fc.assert(
      fc.property(pair, card, ({ from, to, fromKey, toKey }, { pin, pan, fill }) => {
        const out = api.translatePinBlock({
          pinBlock: refBlock(from, fromKey, pin, pan, fill),
          pan,
          from: { key: fromKey, format: from },
          to: { key: toKey, format: to },
        });
        expect(out).toHaveLength(to === 4 ? 16 : 8);
        expect(refPin(to, toKey, out, pan)).toBe(pin);
        if (to === 0) expect(out).toEqual(ref.refDesEcbEncrypt(toKey, ref.refEncodeIso0(pin, pan)));
      }),
      { numRuns: 2000 },
    );
  });

  test('a new random fill every time for formats 1, 3 and 4 (the same PIN never gives the same block)', () => {
    const [zpk, aes, pan] = [new Uint8Array(16).fill(3), new Uint8Array(16).fill(5), '4111111111111111'];
    const block = ref.refDesEcbEncrypt(zpk, ref.refEncodeIso1('1234', 'ABCDEFABCD'));
    for (const [format, key] of [
      [1, zpk],
      [3, zpk],
      [4, aes],
    ] as const) {
      const outs = Array.from({ length: 20 }, () =>
        api.bytesToHex(
          api.translatePinBlock({ pinBlock: block, pan, from: { key: zpk, format: 1 }, to: { key, format } }),
        ),
      );
      expect(new Set(outs).size).toBe(20);
    }
  });

  test('a block under another key, or for another PAN, is refused as ERR_PINBLOCK_FORMAT without the PIN in the message', () => {
    fc.assert(
      fc.property(fc.constantFrom<Format>(0, 4), card, (format, { pin, pan, fill }) => {
        const key = format === 4 ? new Uint8Array(16).fill(1) : new Uint8Array(16).fill(2);
        const other = key.map((b) => b ^ 0x55);
        const block = refBlock(format, key, pin, pan, fill);
        const to = { key: new Uint8Array(16).fill(9), format: 0 as const };
        const err = expectCardHsmError(
          () => api.translatePinBlock({ pinBlock: block, pan, from: { key: other, format }, to }),
          'ERR_PINBLOCK_FORMAT',
          'pinBlock',
        );
        expect(err.message).not.toContain(pin);
      }),
      { numRuns: 300 },
    );
  });

  test('refusals: into format 1 from a PAN-bound format, format 2, block and key lengths, junk options', () => {
    const [tdes, aes, pan] = [new Uint8Array(16), new Uint8Array(16), '4111111111111111'];
    const b8 = new Uint8Array(8);
    for (const from of [0, 3, 4] as const) {
      expectCardHsmError(
        () =>
          api.translatePinBlock({
            pinBlock: new Uint8Array(from === 4 ? 16 : 8),
            pan,
            from: { key: from === 4 ? aes : tdes, format: from },
            to: { key: tdes, format: 1 },
          }),
        'ERR_PIN_TRANSLATION',
        'to.format',
      );
    }
    expectCardHsmError(
      () =>
        api.translatePinBlock({
          pinBlock: b8,
          pan,
          from: { key: tdes, format: 2 as never },
          to: { key: tdes, format: 0 },
        }),
      'ERR_FORMAT',
      'from.format',
    );
    expectCardHsmError(
      () =>
        api.translatePinBlock({
          pinBlock: b8,
          pan,
          from: { key: tdes, format: 0 },
          to: { key: tdes, format: 2 as never },
        }),
      'ERR_FORMAT',
      'to.format',
    );
    expectCardHsmError(
      () => api.translatePinBlock({ pinBlock: b8, pan, from: { key: aes, format: 4 }, to: { key: tdes, format: 0 } }),
      'ERR_LENGTH',
      'pinBlock',
    );
    expectCardHsmError(
      () =>
        api.translatePinBlock({
          pinBlock: b8,
          pan,
          from: { key: new Uint8Array(32), format: 0 },
          to: { key: tdes, format: 0 },
        }),
      'ERR_LENGTH',
      'from.key',
    );
    expectCardHsmError(
      () =>
        api.translatePinBlock({
          pinBlock: b8,
          pan,
          from: { key: tdes, format: 0 },
          to: { key: new Uint8Array(8), format: 4 },
        }),
      'ERR_LENGTH',
      'to.key',
    );
    expectCardHsmError(
      () =>
        api.translatePinBlock({
          pinBlock: b8,
          pan: '41x1',
          from: { key: tdes, format: 0 },
          to: { key: tdes, format: 0 },
        }),
      'ERR_FORMAT',
      'pan',
    );
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (from, to) => {
        try {
          api.translatePinBlock({ pinBlock: b8, pan, from, to } as never);
        } catch (e) {
          expect(e).toBeInstanceOf(api.CardHsmError);
        }
      }),
      { numRuns: 500 },
    );
  });

  test('after translations that succeed and that fail, only the key cache differs from instantiation', () => {
    const [zpk, pan] = [new Uint8Array(24).fill(7), '4111111111111111'];
    const block = ref.refDesEcbEncrypt(zpk, ref.refEncodeIso0('123456789012', pan));
    api.translatePinBlock({
      pinBlock: block,
      pan,
      from: { key: zpk, format: 0 },
      to: { key: new Uint8Array(32).fill(1), format: 4 },
    });
    expect(() =>
      api.translatePinBlock({
        pinBlock: block,
        pan: '4111111111111129',
        from: { key: zpk, format: 0 },
        to: { key: zpk, format: 3 },
      }),
    ).toThrow(api.CardHsmError);
    const changed: number[] = [];
    for (let i = 0; i < baseline.length && changed.length < 5; i++)
      if (k.mem[i] !== baseline[i] && (i < k.CACHE || i >= k.CACHE + k.CACHE_BYTES)) changed.push(i);
    expect(changed).toEqual([]);
  });
});
