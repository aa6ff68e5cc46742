// FF1 format-preserving encryption (NIST SP 800-38G), the permutation behind unique PANs and PAN tokens.
// Radix 2-36 over the alphabet 0-9a-z (the NIST samples' alphabet) and radix 62 over 0-9a-zA-Z. The domain rule
// of the SP 800-38G Rev. 1 draft is enforced: radix^length >= 1,000,000.
import { CardHsmError } from './errors.js';
import { checkBytes, checkInt, checkString, checkUint8Array } from './_validate.js';
import { withKernel, keySchedule, ALG_AES, type Kernel } from './wasm/calls.js';

const ALPHABET_36 = '0123456789abcdefghijklmnopqrstuvwxyz';
const ALPHABET_62 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const FF1_MIN_DOMAIN = 1_000_000;
const MAX_TWEAK = 1024;
const HALF_LIMIT = 2 ** 63;

/** Checks radix and length against FF1's rules and the kernel's 63-bit halves; returns nothing or throws. */
function checkFf1Domain(radix: number, length: number): void {
  if (length < 2 || radix ** length < FF1_MIN_DOMAIN) {
    throw new CardHsmError('ERR_LENGTH', `"input" radix^length must be at least 1,000,000 (NIST SP 800-38G Rev. 1 draft), got ${radix}^${length}`, 'input');
  }
  if (radix ** Math.ceil(length / 2) >= HALF_LIMIT) {
    throw new CardHsmError('ERR_LENGTH', `"input" is too long: radix^ceil(length/2) must stay below 2^63, got ${radix}^${Math.ceil(length / 2)}`, 'input');
  }
}

function checkRadix(radix: unknown): number {
  const r = checkInt('radix', radix, 2, 62);
  if (r > 36 && r !== 62) throw new CardHsmError('ERR_FORMAT', '"radix" expected 2..36 or 62', 'radix');
  return r;
}

/**
 * Streams records of `size` numerals through an FF1 kernel under one key and tweak (the tweak first in IN, the
 * records after it), in as few calls as the buffers allow. `call` runs the kernel on `count` records at `records`
 * and returns where their results are.
 */
function ff1Stream(key: Uint8Array, tweak: Uint8Array, size: number, data: Uint8Array, call: (k: Kernel, ks: number, nr: number, records: number, count: number) => number, out: Uint8Array = new Uint8Array(data.length)): Uint8Array {
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
export function ff1Numerals(key: Uint8Array, tweak: Uint8Array, radix: number, n: number, numerals: Uint8Array, decrypt: boolean): Uint8Array {
  return ff1Stream(key, tweak, n, numerals, (k, ks, nr, records, c) => {
    k.x.ff1Batch(ks, nr, radix, n, k.IN, tweak.length, +decrypt, records, k.OUT, c);
    return k.OUT;
  });
}

function run(key: Uint8Array, tweak: Uint8Array, radix: number, input: string, decrypt: boolean): string {
  checkBytes('key', key, [16, 24, 32]);
  checkUint8Array('tweak', tweak);
  if (tweak.length > MAX_TWEAK) throw new CardHsmError('ERR_LENGTH', `"tweak" expected at most ${MAX_TWEAK} bytes, got length=${tweak.length}`, 'tweak');
  const r = checkRadix(radix);
  checkString('input', input);
  const alphabet = (r === 62 ? ALPHABET_62 : ALPHABET_36).slice(0, r);
  const numerals = new Uint8Array(input.length);
  for (let i = 0; i < input.length; i++) {
    const v = alphabet.indexOf(input[i]!);
    if (v < 0) throw new CardHsmError('ERR_FORMAT', `"input" expected characters of the radix-${r} alphabet ${alphabet}, got a bad character at index ${i}`, 'input');
    numerals[i] = v;
  }
  checkFf1Domain(r, input.length);
  const out = ff1Numerals(key, tweak, r, input.length, numerals, decrypt);
  numerals.fill(0);
  return Array.from(out, (v) => alphabet[v]!).join('');
}

/**
 * FF1 encryption of a numeral string under an AES key (16, 24 or 32 bytes) and a tweak (0..1024 bytes).
 * @example ff1Encrypt(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), new Uint8Array(0), 10, '0123456789') // '2433477484'
 * @throws ERR_TYPE, ERR_LENGTH (domain below 10^6, or halves beyond 63 bits), ERR_FORMAT (radix, characters)
 */
export function ff1Encrypt(key: Uint8Array, tweak: Uint8Array, radix: number, input: string): string {
  return run(key, tweak, radix, input, false);
}

/** FF1 decryption; see ff1Encrypt. */
export function ff1Decrypt(key: Uint8Array, tweak: Uint8Array, radix: number, input: string): string {
  return run(key, tweak, radix, input, true);
}

/**
 * Cycle-walking FF1 radix 10 over whole numbers (digit values, `total` each): FF1 on the `k` digits at `left`,
 * repeated in the kernel until the number passes Luhn (`valid`) or fails it. In place on `numbers`; validated by
 * the caller.
 */
export function ff1WalkLuhn(key: Uint8Array, tweak: Uint8Array, total: number, left: number, k: number, numbers: Uint8Array, decrypt: boolean, valid: boolean): void {
  // Results go straight back into `numbers`: each chunk is copied into the kernel before its results come out.
  const walk = (kernel: Kernel, ks: number, nr: number, records: number, c: number) => {
    kernel.x.ff1WalkBatch(ks, nr, total, left, k, kernel.IN, tweak.length, +decrypt, +valid, records, c);
    return records; // in place
  };
  ff1Stream(key, tweak, total, numbers, walk, numbers);
}
