// EMV key derivation: every vector of test/vectors/emv-kd.json (pyemv) through the library, the batch equal to
// single derivations, and argument errors (code and field).
import { describe, expect, test } from 'vitest';
import * as api from '../src/index.js';
import { loadVectors, str, title, type Vector } from './helpers/vectors.js';
import { expectCardHsmError } from './helpers/errors.js';

const h = api.hexToBytes;
const kcv = (key: Uint8Array, n: number) =>
  api.keyCheckValue(key, { algorithm: 'TDES', method: 'ZEROS', length: Math.max(2, n) }).slice(0, 2 * n);
const expectKey = (key: Uint8Array, v: Vector, full: string) => {
  expect(key).toHaveLength(16);
  expect(api.hasOddDesParity(key)).toBe(true);
  if (typeof v[full] === 'string') expect(api.bytesToHex(key)).toBe(v[full]);
  else expect(kcv(key, str(v, 'kcv').length / 2)).toBe(v.kcv);
};
const mkOf = (v: Vector) =>
  v.mk
    ? h(str(v, 'mk'))
    : api.deriveIccMasterKey(h(str(v, 'imk')), str(v, 'pan'), str(v, 'psn'), v.option as 'A' | 'B');

describe('known answers (test/vectors/emv-kd.json)', () => {
  test.each(loadVectors('emv-kd').map((v, i) => [title(v, i), v] as const))('%s', (_, v) => {
    switch (v.type) {
      case 'mk':
        expectKey(
          api.deriveIccMasterKey(h(str(v, 'imk')), str(v, 'pan'), str(v, 'psn'), v.option as 'A' | 'B'),
          v,
          'mk',
        );
        return expectKey(
          api.deriveIccMasterKeyBatch(
            h(str(v, 'imk')),
            [{ pan: str(v, 'pan'), psn: str(v, 'psn') }],
            v.option as 'A' | 'B',
          ),
          v,
          'mk',
        );
      case 'common':
        return expectKey(api.deriveCommonSessionKey(mkOf(v), h(str(v, 'r'))), v, 'sk');
      case 'visa-sm':
        return expectKey(api.deriveVisaSmSessionKey(mkOf(v), h(str(v, 'atc'))), v, 'sk');
      case 'mastercard':
        return expectKey(api.deriveMastercardSessionKey(mkOf(v), h(str(v, 'atc')), h(str(v, 'un'))), v, 'sk');
      case 'tree':
        return expect(
          api.bytesToHex(
            api.deriveEmv2000TreeSessionKey(h(str(v, 'mk')), h(str(v, 'atc')), {
              height: v.height as number,
              branchFactor: v.branchFactor as number,
              iv: h(str(v, 'iv')),
            }),
          ),
        ).toBe(v.sk);
      default:
        throw new Error(`unknown vector type ${String(v.type)}`);
    }
  });
  test('the tree defaults are height 8, branch factor 4, IV zero (pyemv derive_emv2000_tree_sk docstring)', () => {
    expect(api.bytesToHex(api.deriveEmv2000TreeSessionKey(h('0123456789ABCDEFFEDCBA9876543210'), h('001C')))).toBe(
      'E5BF6D1067F194B0A89B7F5D83BC64A2',
    );
  });
  test('Option A is the default', () => {
    const imk = h('0123456789ABCDEFFEDCBA9876543210');
    expect(api.deriveIccMasterKey(imk, '12345678901234567', '01')).toEqual(
      api.deriveIccMasterKey(imk, '12345678901234567', '01', 'A'),
    );
  });
});

describe('batch derivation', () => {
  test('equals one derivation per card, in order, across chunks and options', () => {
    const imk = h('0123456789ABCDEFFEDCBA9876543210');
    const cards = Array.from({ length: 25_000 }, (_, i) => ({
      pan: String(10n ** 18n + BigInt(i) * 7919n).slice(0, 12 + (i % 8)),
      psn: String(i % 100).padStart(2, '0'),
    }));
    for (const option of ['A', 'B'] as const) {
      const batch = api.deriveIccMasterKeyBatch(imk, cards, option);
      expect(batch).toHaveLength(16 * cards.length);
      for (const i of [0, 1, 9, 127, 128, 21844, 21845, 24999])
        expect(batch.subarray(16 * i, 16 * i + 16)).toEqual(
          api.deriveIccMasterKey(imk, cards[i]!.pan, cards[i]!.psn, option),
        );
    }
    expect(api.deriveIccMasterKeyBatch(imk, [])).toEqual(new Uint8Array(0));
  });
});

describe('arguments', () => {
  const imk = h('0123456789ABCDEFFEDCBA9876543210');
  test.each([
    [() => api.deriveIccMasterKey(imk.subarray(0, 8), '1234567890123456', '00'), 'ERR_LENGTH', 'imk'],
    [() => api.deriveIccMasterKey(imk, '12345678901', '00'), 'ERR_LENGTH', 'pan'],
    [() => api.deriveIccMasterKey(imk, '12345678901234X6', '00'), 'ERR_FORMAT', 'pan'],
    [() => api.deriveIccMasterKey(imk, '1234567890123456', '0'), 'ERR_LENGTH', 'psn'],
    [() => api.deriveIccMasterKey(imk, '1234567890123456', 0 as never), 'ERR_TYPE', 'psn'],
    [() => api.deriveIccMasterKey(imk, '1234567890123456', '00', 'C' as never), 'ERR_FORMAT', 'option'],
    [
      () =>
        api.deriveIccMasterKeyBatch(imk, [
          { pan: '1234567890123456', psn: '00' },
          { pan: '1', psn: '00' },
        ]),
      'ERR_LENGTH',
      'cards[1].pan',
    ],
    [() => api.deriveIccMasterKeyBatch(imk, 'x' as never), 'ERR_TYPE', 'cards'],
    [() => api.deriveCommonSessionKey(imk, new Uint8Array(7)), 'ERR_LENGTH', 'r'],
    [() => api.deriveCommonSessionKey(new Uint8Array(24), new Uint8Array(8)), 'ERR_LENGTH', 'iccMk'],
    [() => api.deriveMastercardSessionKey(imk, new Uint8Array(2), new Uint8Array(2)), 'ERR_LENGTH', 'un'],
    [() => api.deriveVisaSmSessionKey(imk, new Uint8Array(3)), 'ERR_LENGTH', 'atc'],
    [
      () => api.deriveEmv2000TreeSessionKey(imk, new Uint8Array(2), { height: 2, branchFactor: 2 }),
      'ERR_FORMAT',
      'opts.branchFactor',
    ],
    [() => api.deriveEmv2000TreeSessionKey(imk, new Uint8Array(2), { height: 0 }), 'ERR_FORMAT', 'opts.height'],
    [() => api.deriveEmv2000TreeSessionKey(imk, new Uint8Array(2), { iv: new Uint8Array(8) }), 'ERR_LENGTH', 'opts.iv'],
  ] as const)('%#: %s %s', (fn, code, field) => {
    expectCardHsmError(fn, code, field);
  });
});
