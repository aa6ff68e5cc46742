// The call discipline of src/wasm/_calls.ts: one kernel call at a time, regions wiped after each.
import { describe, expect, test } from 'vitest';
import { withKernel } from '../src/wasm/_calls.js';
import { generateCvv, tdesEncryptEcb } from '../src/index.js';
import { expectCardHsmError } from './helpers/errors.js';

describe('withKernel', () => {
  test('a kernel call inside another is refused (it would overwrite the outer call’s inputs), and the kernel stays usable', () => {
    const key = new Uint8Array(16).fill(1);
    const cvv = generateCvv(key, '4123456789012345', '8701', '101');
    expectCardHsmError(() => withKernel(16, 16, () => tdesEncryptEcb(key, new Uint8Array(8))), 'ERR_INTERNAL');
    expect(withKernel(0, 0, () => 42)).toBe(42);
    expect(generateCvv(key, '4123456789012345', '8701', '101')).toBe(cvv);
  });

  test('a body that throws releases the kernel', () => {
    expect(() => withKernel(0, 0, () => { throw new Error('boom'); })).toThrow('boom');
    expect(withKernel(0, 0, () => 'free')).toBe('free');
  });
});
