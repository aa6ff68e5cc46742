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

/**
 * Options of tokenizePan, tokenizePanBatch and detokenizePan: the clear digits kept on each side, the alphabet of
 * the middle, the tokens' Luhn property and the FF1 tweak. Detokenize with the same options.
 * The token values were computed with this library; test/token.test.ts checks the construction against
 * ff1Encrypt (NIST SP 800-38G samples) step by step.
 * @example
 * const opts = { keepLeft: 4, keepRight: 4, luhn: 'any' }
 * tokenizePan(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), '4111111111111111', opts) === '4111' + ff1Encrypt(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), new Uint8Array(0), 10, '11111111') + '1111' // => true
 * detokenizePan(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), tokenizePan(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), '4111111111111111', opts), opts) // => '4111111111111111'
 */
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
 * Tokens for many PANs (12..19 digits each; lengths may differ) under one AES key (16, 24 or 32 bytes), one per
 * PAN in order, the PANs of each length computed together (one FF1 pass per cycle-walking step). Options and
 * tokens as tokenizePan. The token values were computed with this library; test/token.test.ts checks the
 * construction against ff1Encrypt (NIST SP 800-38G samples) step by step.
 * @example
 * tokenizePanBatch(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), ['4111111111111111', '5555555555554444']) // => ['4111111210731111', '5555554967094444']
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
  for (const [length, at] of byLength)
    tokenizeGroup(
      tokenKey,
      r,
      at.map((i) => list[i] as string),
      length,
    ).forEach((t, j) => {
      tokens[at[j]!] = t;
    });
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
 * `pan`: 12..19 digits, Luhn-valid for 'invalid' and 'valid' tokens; the token has the PAN's length.
 * The token values were computed with this library; test/token.test.ts checks the construction against
 * ff1Encrypt (NIST SP 800-38G samples) step by step.
 * @example
 * tokenizePan(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), '4111111111111111') // => '4111111210731111'
 * tokenizePan(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), '4111111111111111', { luhn: 'valid' }) // => '4111118544211111'
 * tokenizePan(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), '4111111111111111', { alphabet: 'alphanumeric' }) // => '411111KZZRNY1111'
 * isLuhnValid(tokenizePan(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), '4111111111111111')) // => false
 * @throws ERR_TYPE, ERR_LENGTH (PAN 12-19 digits; a middle below FF1's domain), ERR_FORMAT (options; a PAN that
 *   fails Luhn for 'valid' and 'invalid' tokens)
 */
export function tokenizePan(tokenKey: Uint8Array, pan: string, opts?: TokenOptions): string {
  return tokenizePanBatch(tokenKey, [pan], opts)[0]!;
}

/**
 * The PAN behind a token (12..19 characters) made by tokenizePan with the same key (AES, 16, 24 or 32 bytes) and
 * options. The token values were computed with this library; test/token.test.ts checks the construction against
 * ff1Encrypt (NIST SP 800-38G samples) step by step.
 * @example
 * detokenizePan(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), '4111111210731111') // => '4111111111111111'
 * detokenizePan(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), '411111KZZRNY1111', { alphabet: 'alphanumeric' }) // => '4111111111111111'
 * (() => { try { detokenizePan(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), '4111111111111111') } catch (e) { return [e.code, e.field] } })() // => ['ERR_FORMAT', 'token']
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (a token that this key and these options cannot have produced)
 */
export function detokenizePan(tokenKey: Uint8Array, token: string, opts?: TokenOptions): string {
  const r = rulesOf(opts);
  checkKeyAndTweak(tokenKey, r);
  checkString('token', token);
  if (token.length < 12 || token.length > 19)
    throw new CardHsmError('ERR_LENGTH', `"token" expected 12..19 characters, got length=${token.length}`, 'token');
  const k = middleLength(token.length, r, 'token');
  const alphabet = r.alphanumeric ? ALNUM : ALNUM.slice(0, 10);
  const d = new Uint8Array(token.length);
  for (let i = 0; i < token.length; i++) {
    const inMiddle = i >= r.left && i < r.left + k;
    const v = (inMiddle ? alphabet : ALNUM.slice(0, 10)).indexOf(token[i]!);
    if (v < 0)
      throw new CardHsmError('ERR_FORMAT', `"token" has a character outside its alphabet at index ${i}`, 'token');
    d[i] = v;
  }
  if (!r.alphanumeric && r.luhn !== 'any') {
    const passes = isLuhnValid(token);
    if (passes !== (r.luhn === 'valid'))
      throw new CardHsmError('ERR_FORMAT', `"token" is not a luhn '${r.luhn}' token`, 'token');
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
