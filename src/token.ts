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
import { checkArray, checkDigits, checkString } from './_validate.js';
import { ALNUM, ALNUM_CODES, checkKeyAndTweak, middleLength, permuteMiddles, rulesOf, type Rules } from './_token.js';
import { isLuhnValid } from './luhn.js';
import { decodeAscii } from './wasm/_calls.js';

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
