// FF1 (NIST SP 800-38G) as kernel drivers over numerals, for the library's own uses: the PAN permutation
// (issue/pan.ts), PAN tokens with their Luhn cycle-walking (token.ts) and the public ff1Encrypt/ff1Decrypt
// (ff1.ts, which validate). Callers validate; these only stream records through assembly/ff1.ts.
import { withKernel, keySchedule, ALG_AES, type Kernel } from './wasm/_calls.js';

/** The smallest domain FF1 allows (SP 800-38G Rev. 1 draft): radix^length >= 1,000,000. */
export const FF1_MIN_DOMAIN = 1_000_000;
/** The longest tweak the kernel takes, in bytes. */
export const FF1_MAX_TWEAK = 1024;
const MAX_TWEAK = FF1_MAX_TWEAK;

/**
 * Streams records of `size` numerals through an FF1 kernel under one key and tweak (the tweak first in IN, the
 * records after it), in as few calls as the buffers allow. `call` runs the kernel on `count` records at `records`
 * and returns where their results are.
 */
function ff1Stream(
  key: Uint8Array,
  tweak: Uint8Array,
  size: number,
  data: Uint8Array,
  call: (k: Kernel, ks: number, nr: number, records: number, count: number) => number,
  out: Uint8Array = new Uint8Array(data.length),
): Uint8Array {
  const count = data.length / size;
  if (count === 0) return out;
  return withKernel(MAX_TWEAK + data.length, data.length, (k) => {
    const [ks, nr] = keySchedule(k, ALG_AES, key);
    k.mem.set(tweak, k.IN);
    const records = k.IN + MAX_TWEAK;
    const per = Math.floor((k.IO_BYTES - MAX_TWEAK) / size);
    for (let base = 0; base < count; base += per) {
      const c = Math.min(per, count - base);
      k.mem.set(data.subarray(base * size, (base + c) * size), records);
      const at = call(k, ks, nr, records, c);
      out.set(k.mem.subarray(at, at + c * size), base * size);
    }
    return out;
  });
}

/**
 * FF1 over numerals (byte values below `radix`): `count` records of `n` numerals each, all under one key and
 * tweak. Inputs are validated by the caller.
 */
export function ff1Numerals(
  key: Uint8Array,
  tweak: Uint8Array,
  radix: number,
  n: number,
  numerals: Uint8Array,
  decrypt: boolean,
): Uint8Array {
  return ff1Stream(key, tweak, n, numerals, (k, ks, nr, records, c) => {
    k.x.ff1Batch(ks, nr, radix, n, k.IN, tweak.length, +decrypt, records, k.OUT, c);
    return k.OUT;
  });
}

/**
 * Cycle-walking FF1 radix 10 over whole numbers (digit values, `total` each): FF1 on the `k` digits at `left`,
 * repeated in the kernel until the number passes Luhn (`valid`) or fails it. In place on `numbers`; validated by
 * the caller.
 */
export function ff1WalkLuhn(
  key: Uint8Array,
  tweak: Uint8Array,
  total: number,
  left: number,
  k: number,
  numbers: Uint8Array,
  decrypt: boolean,
  valid: boolean,
): void {
  // Results go straight back into `numbers`: each chunk is copied into the kernel before its results come out.
  const walk = (kernel: Kernel, ks: number, nr: number, records: number, c: number) => {
    kernel.x.ff1WalkBatch(ks, nr, total, left, k, kernel.IN, tweak.length, +decrypt, +valid, records, c);
    return records; // in place
  };
  ff1Stream(key, tweak, total, numbers, walk, numbers);
}
