// Visa dCVV (not TW-DCVV2): every vector of test/vectors/emv-dcvv.json (jPOS), verification, and refusals.
import { describe, expect, test } from 'vitest';
import * as api from '../src/index.js';
import { loadVectors, str, title } from './helpers/vectors.js';
import { expectCardHsmError } from './helpers/errors.js';

const h = api.hexToBytes;

describe('known answers (test/vectors/emv-dcvv.json)', () => {
  test.each(loadVectors('emv-dcvv').map((v, i) => [title(v, i), v] as const))('%s', (_, v) => {
    const args = [
      h(str(v, 'imk')),
      str(v, 'pan'),
      str(v, 'psn'),
      str(v, 'expiry'),
      str(v, 'serviceCode'),
      h(str(v, 'atc')),
    ] as const;
    expect(api.generateDcvv(...args, { option: v.option as 'A' | 'B' })).toBe(v.dcvv);
    expect(api.verifyDcvv(...args, str(v, 'dcvv'), { option: v.option as 'A' | 'B' })).toBe(true);
    expect(
      api.verifyDcvv(...args, String((Number(v.dcvv) + 1) % 1000).padStart(3, '0'), { option: v.option as 'A' | 'B' }),
    ).toBe(false);
  });
});

describe('arguments', () => {
  const imk = h('12345678123456781234567812345678');
  const atc = h('3210');
  test.each([
    [() => api.generateDcvv(imk.subarray(0, 8), '1234567890123456', '00', '1310', '226', atc), 'ERR_LENGTH', 'imkDcvv'],
    [() => api.generateDcvv(imk, '1234567890123456', '00', '131', '226', atc), 'ERR_LENGTH', 'expiry'],
    [() => api.generateDcvv(imk, '1234567890123456', '00', '1310', '2X6', atc), 'ERR_FORMAT', 'serviceCode'],
    [() => api.generateDcvv(imk, '1234567890123456', '00', '1310', '226', h('32')), 'ERR_LENGTH', 'atc'],
    [
      () => api.generateDcvv(imk, '1234567890123456', '00', '1310', '226', atc, { option: 'C' as never }),
      'ERR_FORMAT',
      'opts.option',
    ],
    [() => api.verifyDcvv(imk, '1234567890123456', '00', '1310', '226', atc, '42'), 'ERR_LENGTH', 'dcvv'],
  ] as const)('%#: %s %s', (fn, code, field) => {
    expectCardHsmError(fn, code, field);
  });
});
