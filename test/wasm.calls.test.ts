// The call discipline (src/wasm/_calls.ts: copy in, call, copy out, wipe; one kernel call at a time): no key, PIN or PAN left in WASM memory
// after any public call (outside the key-schedule cache, which clearKeyCache empties), and memory that never grows.
import { describe, expect, test } from 'vitest';
import { kernel } from '../src/wasm/_loader.js';
import { withKernel } from '../src/wasm/_calls.js';
import { expectCardHsmError } from './helpers/errors.js';
import * as api from '../src/index.js';
import { API, callRow, CVK, PAN, PIN } from './helpers/api-table.js';

/** Byte ranges of memory that differ from `before`, outside [skipFrom, skipTo). */
function changedRanges(before: Uint8Array, after: Uint8Array, skipFrom: number, skipTo: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < after.length; i++) {
    if (i === skipFrom) i = skipTo;
    if (i < after.length && before[i] !== after[i]) out.push(`@${i}`);
    if (out.length > 5) break;
  }
  return out;
}

function containsAscii(hay: Uint8Array, needle: string): boolean {
  const n = Buffer.from(needle, 'latin1');
  return Buffer.from(hay.buffer, hay.byteOffset, hay.length).indexOf(n) >= 0;
}

describe('WASM memory after each public call', () => {
  const k = kernel();
  api.clearKeyCache();
  const baseline = k.mem.slice();

  test('the key-schedule slots fit (checked by the kernel at compile time)', () => {
    expect((k.x.SLOT_FITS.value as number) === 1).toBe(true);
  });

  for (const row of API) {
    test(`${row.name} leaves no input, output or key outside the key cache`, () => {
      callRow(row, row.valid);
      expect(changedRanges(baseline, k.mem, k.CACHE, k.CACHE + k.CACHE_BYTES)).toEqual([]);
      const cache = k.mem.subarray(k.CACHE, k.CACHE + k.CACHE_BYTES);
      expect(containsAscii(cache, PAN)).toBe(false);
      expect(containsAscii(cache, PIN)).toBe(false);
    });
  }

  test('failing calls wipe too (bad PIN block, wrong key length)', () => {
    expect(() => api.decodePinBlockIso0(api.hexToBytes('0412AAAAAAAAAAAA'), PAN)).toThrow();
    expect(() => api.decipherPinBlockIso4(CVK, new Uint8Array(16), PAN)).toThrow();
    expect(() => api.generateCvv(new Uint8Array(15), PAN, '8701', '101')).toThrow();
    expect(changedRanges(baseline, k.mem, k.CACHE, k.CACHE + k.CACHE_BYTES)).toEqual([]);
  });

  test('multi-chunk calls (larger than one IO buffer) wipe every byte they used', () => {
    const big = new Uint8Array(k.IO_BYTES * 2 + 24).fill(0x5a);
    api.tdesEncryptEcb(CVK, big);
    api.aesCmac(api.hexToBytes('000102030405060708090A0B0C0D0E0F'), big);
    expect(changedRanges(baseline, k.mem, k.CACHE, k.CACHE + k.CACHE_BYTES)).toEqual([]);
  });

  test('clearKeyCache returns memory to its state at instantiation', () => {
    api.generateCvv(CVK, PAN, '8701', '101');
    expect(k.mem.subarray(k.CACHE, k.CACHE + k.CACHE_BYTES).some((b) => b !== 0)).toBe(true);
    api.clearKeyCache();
    expect(changedRanges(baseline, k.mem, -1, -1)).toEqual([]);
  });

  test('memory never grows', () => {
    expect(k.x.memory.buffer.byteLength).toBe(baseline.length);
  });
});

describe('withKernel', () => {
  test('a kernel call inside another is refused (it would overwrite the outer call’s inputs), and the kernel stays usable', () => {
    const key = new Uint8Array(16).fill(1);
    const cvv = api.generateCvv(key, '4123456789012345', '8701', '101');
    expectCardHsmError(() => withKernel(16, 16, () => api.tdesEncryptEcb(key, new Uint8Array(8))), 'ERR_INTERNAL');
    expect(withKernel(0, 0, () => 42)).toBe(42);
    expect(api.generateCvv(key, '4123456789012345', '8701', '101')).toBe(cvv);
  });

  test('a body that throws releases the kernel', () => {
    expect(() =>
      withKernel(0, 0, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(withKernel(0, 0, () => 'free')).toBe('free');
  });
});
