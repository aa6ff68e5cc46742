// PAN tokens (the seeds' PAN-TOKEN: computed with a security key, numeric or alphanumeric, shown anywhere
// instead of the PAN): FF1 over the digits between the kept ones, specified exactly so that tokens are portable:
//   'any'          token = left || FF1(key, tweak, 10, middle) || right
//   'valid'        FF1 applied to the middle repeatedly (cycle-walking) until the whole token passes Luhn: a
//                  permutation of the Luhn-valid numbers with that left and right
//   'invalid'      the PAN's last middle digit d replaced by (d + 1) mod 10 (which always breaks Luhn), then FF1
//                  applied to the middle repeatedly until the whole token fails Luhn: a permutation of the
//                  Luhn-invalid numbers, entered through a bijection from the valid ones. 9 in 10 middles fail
//                  Luhn, so this walks ~1.1 FF1 evaluations per token where 'valid' walks ~10.
//   alphanumeric   middle' = FF1(key, tweak, 36, middle) over 0-9A-Z (the digits are already radix-36 numerals)
import { CardHsmError } from './errors.js';
import { checkArray, checkBytes, checkDigits, checkInt, checkOneOf, checkOptions, checkString, checkUint8Array } from './_validate.js';
import { ff1Numerals, ff1WalkLuhn, FF1_MIN_DOMAIN } from './ff1.js';
import { isLuhnValid } from './luhn.js';
import { decodeAscii } from './wasm/calls.js';

export interface TokenOptions {
  /** Leading PAN digits kept in the clear, 0..8 (default 6: the BIN). */
  keepLeft?: number;
  /** Trailing PAN digits kept in the clear, 0..4 (default 4). */
  keepRight?: number;
  /** 'numeric' (default) or 'alphanumeric' (middle over 0-9A-Z). */
  alphabet?: 'numeric' | 'alphanumeric';
  /** Numeric tokens only: 'invalid' (default: a token never passes Luhn), 'valid' or 'any'. */
  luhn?: 'invalid' | 'valid' | 'any';
  /** FF1 tweak (default empty). */
  tweak?: Uint8Array;
}

interface Rules {
  left: number;
  right: number;
  alphanumeric: boolean;
  luhn: 'invalid' | 'valid' | 'any';
  tweak: Uint8Array;
}

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const EMPTY = new Uint8Array(0);

function rulesOf(opts: unknown): Rules {
  const o = checkOptions('opts', opts);
  const alphanumeric = (o.alphabet === undefined ? 'numeric' : checkOneOf('opts.alphabet', o.alphabet, ['numeric', 'alphanumeric'] as const)) === 'alphanumeric';
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
function middleLength(length: number, r: Rules, field: string): number {
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
const ALNUM_CODES = Uint8Array.from(ALNUM, (c) => c.charCodeAt(0));

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
function permuteMiddles(key: Uint8Array, r: Rules, all: Uint8Array, total: number, k: number, decrypt: boolean): void {
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

function checkKeyAndTweak(key: unknown, r: Rules): void {
  checkBytes('tokenKey', key, [16, 24, 32]);
  checkTweak(r);
}

function checkTweak(r: Rules): void {
  if (r.tweak.length > 1024) throw new CardHsmError('ERR_LENGTH', `"opts.tweak" expected at most 1024 bytes, got length=${r.tweak.length}`, 'opts.tweak');
}

/**
 * Tokens for many PANs of one length under one key (one FF1 pass per cycle-walking step). See tokenizePan.
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (field names carry the index)
 */
export function tokenizePanBatch(tokenKey: Uint8Array, pans: readonly string[], opts?: TokenOptions): string[] {
  const r = rulesOf(opts);
  checkKeyAndTweak(tokenKey, r);
  const list = checkArray('pans', pans) as readonly unknown[];
  const byLength = new Map<number, number[]>();
  list.forEach((pan, i) => {
    const field = list.length === 1 ? 'pan' : `pans[${i}]`;
    const s = checkDigits(field, pan, 12, 19);
    middleLength(s.length, r, field);
    if (!r.alphanumeric && r.luhn !== 'any' && !isLuhnValid(s)) {
      throw new CardHsmError('ERR_FORMAT', `"${field}" must pass Luhn for luhn '${r.luhn}' tokens`, field);
    }
    const group = byLength.get(s.length);
    if (group) group.push(i);
    else byLength.set(s.length, [i]);
  });
  const tokens = new Array<string>(list.length);
  for (const [length, at] of byLength) tokenizeGroup(tokenKey, r, at.map((i) => list[i] as string), length).forEach((t, j) => (tokens[at[j]!] = t));
  return tokens;
}

/** Tokens of validated PANs of one length: one flat buffer through the kernel, one string decoded from it. */
function tokenizeGroup(tokenKey: Uint8Array, r: Rules, pans: readonly string[], length: number): string[] {
  const k = length - r.left - r.right;
  const all = new Uint8Array(pans.length * length);
  pans.forEach((pan, j) => {
    for (let c = 0; c < length; c++) all[j * length + c] = pan.charCodeAt(c) - 48;
  });
  if (!r.alphanumeric && r.luhn === 'invalid') {
    for (let at = r.left + k - 1; at < all.length; at += length) all[at] = (all[at]! + 1) % 10;
  }
  permuteMiddles(tokenKey, r, all, length, k, false);
  for (let i = 0; i < all.length; i++) all[i] = ALNUM_CODES[all[i]!]!;
  const text = decodeAscii(all);
  all.fill(0);
  return pans.map((_, j) => text.substring(j * length, (j + 1) * length));
}

/**
 * A PAN's token under an AES key (16/24/32 bytes): deterministic for a given key, tweak and PAN, and reversible
 * with detokenizePan. Options: keepLeft (default 6), keepRight (default 4), alphabet ('numeric' default, or
 * 'alphanumeric' over 0-9A-Z), luhn ('invalid' default, 'valid', 'any'; numeric only), tweak (default empty).
 * @example tokenizePan(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), '4111111111111111') // see README
 * @throws ERR_TYPE, ERR_LENGTH (PAN 12-19 digits; a middle below FF1's domain), ERR_FORMAT (options; a PAN that
 *   fails Luhn for 'valid' and 'invalid' tokens)
 */
export function tokenizePan(tokenKey: Uint8Array, pan: string, opts?: TokenOptions): string {
  return tokenizePanBatch(tokenKey, [pan], opts)[0]!;
}

/**
 * The PAN behind a token made by tokenizePan with the same key and options.
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (a token that this key and these options cannot have produced)
 */
export function detokenizePan(tokenKey: Uint8Array, token: string, opts?: TokenOptions): string {
  const r = rulesOf(opts);
  checkKeyAndTweak(tokenKey, r);
  checkString('token', token);
  if (token.length < 12 || token.length > 19) throw new CardHsmError('ERR_LENGTH', `"token" expected 12..19 characters, got length=${token.length}`, 'token');
  const k = middleLength(token.length, r, 'token');
  const alphabet = r.alphanumeric ? ALNUM : ALNUM.slice(0, 10);
  const d = new Uint8Array(token.length);
  for (let i = 0; i < token.length; i++) {
    const inMiddle = i >= r.left && i < r.left + k;
    const v = (inMiddle ? alphabet : ALNUM.slice(0, 10)).indexOf(token[i]!);
    if (v < 0) throw new CardHsmError('ERR_FORMAT', `"token" has a character outside its alphabet at index ${i}`, 'token');
    d[i] = v;
  }
  if (!r.alphanumeric && r.luhn !== 'any') {
    const passes = isLuhnValid(token);
    if (passes !== (r.luhn === 'valid')) throw new CardHsmError('ERR_FORMAT', `"token" is not a luhn '${r.luhn}' token`, 'token');
  }
  permuteMiddles(tokenKey, r, d, d.length, k, true);
  if (!r.alphanumeric && r.luhn === 'invalid') d[r.left + k - 1] = (d[r.left + k - 1]! + 9) % 10;
  const digits = d.every((v) => v <= 9);
  const pan = digits ? Array.from(d, (v) => String(v)).join('') : '';
  d.fill(0);
  if (!digits) throw new CardHsmError('ERR_FORMAT', '"token" does not detokenize to digits under this key', 'token');
  // Only the images of Luhn-valid PANs are tokens; any other Luhn-invalid number is not.
  if (!r.alphanumeric && r.luhn === 'invalid' && !isLuhnValid(pan)) {
    throw new CardHsmError('ERR_FORMAT', '"token" does not detokenize to a Luhn-valid PAN under this key', 'token');
  }
  return pan;
}
