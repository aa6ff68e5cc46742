// Mastercard CVC3: every vector of test/vectors/emv-cvc3.json (pyemv, jPOS), verification of 3..5 transmitted
// digits, and refusals.
import { describe, expect, test } from 'vitest';
import * as api from '../src/index.js';
import { loadVectors, str, title } from './helpers/vectors.js';
import { expectCardHsmError } from './helpers/errors.js';

const h = api.hexToBytes;

describe('known answers (test/vectors/emv-cvc3.json)', () => {
  test.each(loadVectors('emv-cvc3').map((v, i) => [title(v, i), v] as const))('%s', (_, v) => {
    const args = [
      h(str(v, 'imk')),
      str(v, 'pan'),
      str(v, 'psn'),
      h(str(v, 'track')),
      h(str(v, 'atc')),
      h(str(v, 'un')),
    ] as const;
    const cvc3 = str(v, 'cvc3');
    const full = api.generateCvc3(...args);
    expect(full).toMatch(/^[0-9]{5}$/);
    expect(full.slice(5 - cvc3.length)).toBe(cvc3);
    expect(api.verifyCvc3(...args, cvc3)).toBe(true);
    const other = String((Number(cvc3) + 1) % 10 ** cvc3.length).padStart(cvc3.length, '0');
    expect(api.verifyCvc3(...args, other)).toBe(false);
  });
});

describe('arguments', () => {
  const imk = h('01234567899876543210012345678998');
  const track = h('5123456789012345D35121010000000000000F');
  test.each([
    [
      () => api.generateCvc3(imk, '5123456789012345', '00', new Uint8Array(0), h('005E'), h('00000899')),
      'ERR_LENGTH',
      'trackData',
    ],
    [
      () => api.generateCvc3(imk, '5123456789012345', '00', new Uint8Array(129), h('005E'), h('00000899')),
      'ERR_LENGTH',
      'trackData',
    ],
    [() => api.generateCvc3(imk, '5123456789012345', '00', track, h('5E'), h('00000899')), 'ERR_LENGTH', 'atc'],
    [() => api.generateCvc3(imk, '5123456789012345', '00', track, h('005E'), h('0899')), 'ERR_LENGTH', 'un'],
    [
      () => api.generateCvc3(imk.subarray(0, 8), '5123456789012345', '00', track, h('005E'), h('00000899')),
      'ERR_LENGTH',
      'imkCvc3',
    ],
    [() => api.verifyCvc3(imk, '5123456789012345', '00', track, h('005E'), h('00000899'), '48'), 'ERR_LENGTH', 'cvc3'],
    [
      () => api.verifyCvc3(imk, '5123456789012345', '00', track, h('005E'), h('00000899'), '294880'),
      'ERR_LENGTH',
      'cvc3',
    ],
  ] as const)('%#: %s %s', (fn, code, field) => {
    expectCardHsmError(fn, code, field);
  });
});
