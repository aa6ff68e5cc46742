// Proves the ISO/IEC 9797-1 and HMAC reference (./helpers/mac-reference.ts) against every public vector in
// ./vectors/isomac.json and ./vectors/hmac.json before the differential tests trust it.
import { describe, expect, test } from 'vitest';
import { loadVectors, str, title } from './helpers/vectors.js';
import { refHmac, refIsoMac, refPad } from './helpers/mac-reference.js';

const h = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

describe('ISO/IEC 9797-1 reference against the public vectors', () => {
  test.each(loadVectors('isomac').map((v, i) => [title(v, i), v] as const))('%s', (_, v) => {
    const length = typeof v.length === 'number' ? v.length : 8;
    expect(
      hex(refIsoMac(h(str(v, 'key')), h(str(v, 'data')), v.algorithm as 1 | 3, v.padding as 1 | 2 | 3, length)),
    ).toBe(str(v, 'mac'));
  });
});

describe('HMAC reference (node:crypto) against the public vectors', () => {
  test.each(loadVectors('hmac').map((v, i) => [title(v, i), v] as const))('%s', (_, v) => {
    expect(hex(refHmac(str(v, 'hash') as 'SHA-256', h(str(v, 'key')), h(str(v, 'data'))))).toBe(str(v, 'mac'));
  });
});

describe('reference padding (psec tests/test_mac.py test_pad_iso_1/2/3, 8-byte blocks)', () => {
  test.each([
    [1, '1234', '1234000000000000'],
    [1, '1234567890123456', '1234567890123456'],
    [1, '', '0000000000000000'],
    [2, '1234', '1234800000000000'],
    [2, '12345678901234', '1234567890123480'],
    [2, '1234567890123456', '12345678901234568000000000000000'],
    [3, '1234', '00000000000000101234000000000000'],
    [3, '1234567890123456', '00000000000000401234567890123456'],
  ] as const)('method %i of %s', (method, data, padded) => {
    expect(hex(refPad(h(data), method))).toBe(padded);
  });
});
