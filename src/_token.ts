// PAN tokens' rules and permutation (token.ts has the definition and the public functions): options checked into
// Rules, the middle's length against FF1's domain, and FF1 over the middles — cycle-walked to the Luhn class the
// mode asks for — in the kernel. The issuance kernel takes a TokenPlan to make the same tokens in one pass.
import { CardHsmError } from './errors.js';
import { checkBytes, checkInt, checkOneOf, checkOptions, checkUint8Array } from './_validate.js';
import { ff1Numerals, ff1WalkLuhn, FF1_MIN_DOMAIN } from './_ff1.js';
import type { TokenOptions } from './token.js';

export interface Rules {
  left: number;
  right: number;
  alphanumeric: boolean;
  luhn: 'invalid' | 'valid' | 'any';
  tweak: Uint8Array;
}

export const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const EMPTY = new Uint8Array(0);

export function rulesOf(opts: unknown): Rules {
  const o = checkOptions('opts', opts);
  const alphanumeric =
    (o.alphabet === undefined
      ? 'numeric'
      : checkOneOf('opts.alphabet', o.alphabet, ['numeric', 'alphanumeric'] as const)) === 'alphanumeric';
  if (alphanumeric && o.luhn !== undefined) {
    throw new CardHsmError('ERR_FORMAT', '"opts.luhn" applies to numeric tokens only', 'opts.luhn');
  }
  const tweak = o.tweak === undefined ? EMPTY : checkUint8Array('opts.tweak', o.tweak);
  return {
    left: o.keepLeft === undefined ? 6 : checkInt('opts.keepLeft', o.keepLeft, 0, 8),
    right: o.keepRight === undefined ? 4 : checkInt('opts.keepRight', o.keepRight, 0, 4),
    alphanumeric,
    luhn: o.luhn === undefined ? 'invalid' : checkOneOf('opts.luhn', o.luhn, ['invalid', 'valid', 'any'] as const),
    tweak,
  };
}

/** The middle's length, checked against FF1's domain rule with a hint to keep fewer digits. */
export function middleLength(length: number, r: Rules, field: string): number {
  const k = length - r.left - r.right;
  const radix = r.alphanumeric ? 36 : 10;
  if (k < 2 || radix ** k < FF1_MIN_DOMAIN) {
    throw new CardHsmError(
      'ERR_LENGTH',
      `"${field}" leaves ${Math.max(0, k)} digits to encrypt; FF1 needs radix^digits >= 1,000,000 (${r.alphanumeric ? 4 : 6}+ digits): keep fewer digits (keepLeft/keepRight)`,
      field,
    );
  }
  return k;
}

/** ASCII codes of the token alphabet (numerals 0-35). */
export const ALNUM_CODES = Uint8Array.from(ALNUM, (c) => c.charCodeAt(0));

/** How the kernel makes the tokens of `length`-digit PANs (issuance): validated options, the kernel's mode. */
export interface TokenPlan {
  mode: 'any' | 'valid' | 'invalid' | 'alphanumeric';
  left: number;
  right: number;
  tweak: Uint8Array;
}

/** @throws as tokenizePanBatch does for its options and for a PAN length whose middle is below FF1's domain */
export function tokenPlan(opts: TokenOptions | undefined, length: number): TokenPlan {
  const r = rulesOf(opts);
  checkTweak(r);
  middleLength(length, r, 'pan');
  return { mode: r.alphanumeric ? 'alphanumeric' : r.luhn, left: r.left, right: r.right, tweak: r.tweak };
}

/**
 * Applies FF1 to the middles of numbers laid end to end in `all` (digit values, `total` each) in place; for
 * Luhn-bound tokens, keeps applying it to each number until it passes ('valid') or fails ('invalid') Luhn
 * (cycle-walking, in the kernel).
 */
export function permuteMiddles(
  key: Uint8Array,
  r: Rules,
  all: Uint8Array,
  total: number,
  k: number,
  decrypt: boolean,
): void {
  if (!r.alphanumeric && r.luhn !== 'any') {
    ff1WalkLuhn(key, r.tweak, total, r.left, k, all, decrypt, r.luhn === 'valid');
    return;
  }
  const n = all.length / total;
  const middles = new Uint8Array(n * k);
  for (let i = 0; i < n; i++) middles.set(all.subarray(i * total + r.left, i * total + r.left + k), i * k);
  const out = ff1Numerals(key, r.tweak, r.alphanumeric ? 36 : 10, k, middles, decrypt);
  for (let i = 0; i < n; i++) all.set(out.subarray(i * k, (i + 1) * k), i * total + r.left);
  middles.fill(0);
  out.fill(0);
}

export function checkKeyAndTweak(key: unknown, r: Rules): void {
  checkBytes('tokenKey', key, [16, 24, 32]);
  checkTweak(r);
}

export function checkTweak(r: Rules): void {
  if (r.tweak.length > 1024)
    throw new CardHsmError(
      'ERR_LENGTH',
      `"opts.tweak" expected at most 1024 bytes, got length=${r.tweak.length}`,
      'opts.tweak',
    );
}
