// FF1 format-preserving encryption (NIST SP 800-38G), the permutation behind unique PANs and PAN tokens.
// Radix 2-36 over the alphabet 0-9a-z (the NIST samples' alphabet) and radix 62 over 0-9a-zA-Z. The domain rule
// of the SP 800-38G Rev. 1 draft is enforced: radix^length >= 1,000,000.
import { CardHsmError } from './errors.js';
import { checkBytes, checkInt, checkString, checkUint8Array } from './_validate.js';
import { ff1Numerals, FF1_MIN_DOMAIN, FF1_MAX_TWEAK as MAX_TWEAK } from './_ff1.js';

const ALPHABET_36 = '0123456789abcdefghijklmnopqrstuvwxyz';
const ALPHABET_62 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const HALF_LIMIT = 2 ** 63;

/** Checks radix and length against FF1's rules and the kernel's 63-bit halves; returns nothing or throws. */
function checkFf1Domain(radix: number, length: number): void {
  if (length < 2 || radix ** length < FF1_MIN_DOMAIN) {
    throw new CardHsmError(
      'ERR_LENGTH',
      `"input" radix^length must be at least 1,000,000 (NIST SP 800-38G Rev. 1 draft), got ${radix}^${length}`,
      'input',
    );
  }
  if (radix ** Math.ceil(length / 2) >= HALF_LIMIT) {
    throw new CardHsmError(
      'ERR_LENGTH',
      `"input" is too long: radix^ceil(length/2) must stay below 2^63, got ${radix}^${Math.ceil(length / 2)}`,
      'input',
    );
  }
}

function checkRadix(radix: unknown): number {
  const r = checkInt('radix', radix, 2, 62);
  if (r > 36 && r !== 62) throw new CardHsmError('ERR_FORMAT', '"radix" expected 2..36 or 62', 'radix');
  return r;
}

function run(key: Uint8Array, tweak: Uint8Array, radix: number, input: string, decrypt: boolean): string {
  checkBytes('key', key, [16, 24, 32]);
  checkUint8Array('tweak', tweak);
  if (tweak.length > MAX_TWEAK)
    throw new CardHsmError(
      'ERR_LENGTH',
      `"tweak" expected at most ${MAX_TWEAK} bytes, got length=${tweak.length}`,
      'tweak',
    );
  const r = checkRadix(radix);
  checkString('input', input);
  const alphabet = (r === 62 ? ALPHABET_62 : ALPHABET_36).slice(0, r);
  const numerals = new Uint8Array(input.length);
  for (let i = 0; i < input.length; i++) {
    const v = alphabet.indexOf(input[i]!);
    if (v < 0)
      throw new CardHsmError(
        'ERR_FORMAT',
        `"input" expected characters of the radix-${r} alphabet ${alphabet}, got a bad character at index ${i}`,
        'input',
      );
    numerals[i] = v;
  }
  checkFf1Domain(r, input.length);
  const out = ff1Numerals(key, tweak, r, input.length, numerals, decrypt);
  numerals.fill(0);
  return Array.from(out, (v) => alphabet[v]!).join('');
}

/**
 * FF1 encryption of `input`, a string of numerals of `radix` (2..36 over 0-9a-z, or 62 over 0-9a-zA-Z), under an
 * AES key (16, 24 or 32 bytes) and a tweak (0..1024 bytes); returns a string of the same length and alphabet.
 * radix^length must be at least 1,000,000. The examples are NIST SP 800-38G FF1samples Samples #1 and #2.
 * @example
 * ff1Encrypt(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), new Uint8Array(0), 10, '0123456789') // => '2433477484'
 * ff1Encrypt(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), hexToBytes('39383736353433323130'), 10, '0123456789') // => '6124200773'
 * (() => { try { ff1Encrypt(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), new Uint8Array(0), 10, '12345') } catch (e) { return [e.code, e.field] } })() // => ['ERR_LENGTH', 'input']
 * @throws ERR_TYPE, ERR_LENGTH (domain below 10^6, or halves beyond 63 bits), ERR_FORMAT (radix, characters)
 */
export function ff1Encrypt(key: Uint8Array, tweak: Uint8Array, radix: number, input: string): string {
  return run(key, tweak, radix, input, false);
}

/**
 * FF1 decryption of `input` (numerals of `radix`) under an AES key (16, 24 or 32 bytes) and a tweak (0..1024
 * bytes); see ff1Encrypt. The examples reverse NIST SP 800-38G FF1samples Samples #1 and #3 (radix 36).
 * @example
 * ff1Decrypt(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), new Uint8Array(0), 10, '2433477484') // => '0123456789'
 * ff1Decrypt(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), hexToBytes('3737373770717273373737'), 36, 'a9tv40mll9kdu509eum') // => '0123456789abcdefghi'
 * @throws ERR_TYPE, ERR_LENGTH (domain below 10^6, or halves beyond 63 bits), ERR_FORMAT (radix, characters)
 */
export function ff1Decrypt(key: Uint8Array, tweak: Uint8Array, radix: number, input: string): string {
  return run(key, tweak, radix, input, true);
}
