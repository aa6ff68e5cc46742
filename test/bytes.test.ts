// The hex helpers of src/bytes.ts: either case in, uppercase out, and typed errors for bad input.
import { describe, expect, test } from 'vitest';
import * as api from '../src/index.js';

const h = api.hexToBytes;
const hex = api.bytesToHex;

describe('hex helpers', () => {
  test('either case in, uppercase out; bad input is typed', () => {
    expect(hex(h('0a1B2c'))).toBe('0A1B2C');
    expect(h('')).toEqual(new Uint8Array(0));
    expect(() => h('abc')).toThrow(expect.objectContaining({ code: 'ERR_LENGTH', field: 'hex' }));
    expect(() => h('zz')).toThrow(expect.objectContaining({ code: 'ERR_FORMAT', field: 'hex' }));
    expect(() => h(12 as never)).toThrow(expect.objectContaining({ code: 'ERR_TYPE', field: 'hex' }));
    expect(() => hex('00' as never)).toThrow(expect.objectContaining({ code: 'ERR_TYPE', field: 'bytes' }));
  });
});
