// TW-DCVV2 v1: cardhsm's time-windowed dynamic CVV2, specified from public standards only so that anyone can
// re-implement it (no public standard defines one; Visa's dCVV2 is reachable only through Visa).
//
// HMAC profile (default), IMK = a 32-byte HMAC-SHA-256 key:
//   K_card  = HMAC-SHA-256(IMK, 0x00000001 || "TW-DCVV2" || 0x00 || Context || 0x00000100)      NIST SP 800-108r1,
//             counter mode, one block, L = 256; Context = ASCII(PAN) "|" ASCII(PSN, 2 digits) "|" ASCII(YYMM)
//   C       = floor((unixSeconds - T0) / X), T0 = 0, X = window length in seconds (60..64,800; default 3,600)
//   code    = HMAC-SHA-256(K_card, C as 8 bytes big-endian), dynamic truncation as in RFC 6238 (offset = low 4 bits
//             of the last byte; the 31-bit big-endian integer there) mod 10^d, zero-padded; d = 3 or 4
// TDES profile (for issuers whose policy allows only TDES), IMK = a double-length TDES key:
//   K_card  = EMV Option A (EMV Book 2, A1.4.1) from PAN and PSN
//   code    = Visa CVV method under K_card over PAN || YYMM || C (8 digits), right-padded with 0 to 32 digits; first d
// A code is valid from C*X + T0 until (C+1)*X + T0.
import { CardHsmError } from './errors.js';
import { checkArray, checkBytes, checkDigits, checkInt, checkOneOf, checkOptions } from './_validate.js';
import { constantTimeEqualString } from './_bytes.js';
import { masterKeys } from './emv/_kd.js';
import { cvvOfDigitStrings } from './_cvv.js';
import { withKernel, putAscii, getAscii } from './wasm/_calls.js';
import { dcvv2Window } from './_dcvv2.js';

/**
 * The TW-DCVV2 v1 profile: 'HMAC' (the default; a 32-byte HMAC-SHA-256 IMK, NIST SP 800-108 card keys and RFC 6238
 * truncation) or 'TDES' (a 16-byte TDES IMK, EMV Option A card keys and the Visa CVV method).
 * The values are test/vectors/dcvv2.json's (no public standard defines TW-DCVV2: they were computed with the
 * independent implementation test/helpers/dcvv2-reference.ts over node:crypto).
 * @example
 * const profile = 'TDES'
 * generateDynamicCvv2(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '4123456789012345', '00', '2812', { at: Date.parse('2026-11-22T12:30:00Z'), profile }).code // => '505'
 */
export type Dcvv2Profile = 'HMAC' | 'TDES';

/**
 * Options of the dynamic CVV2 functions: the moment, the window length, the code length and the profile.
 * The values are test/vectors/dcvv2.json's (no public standard defines TW-DCVV2: they were computed with the
 * independent implementation test/helpers/dcvv2-reference.ts over node:crypto).
 * @example
 * const opts = { at: Date.parse('2026-11-22T12:30:00Z'), digits: 4 }
 * generateDynamicCvv2(hexToBytes('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F'), '4123456789012345', '01', '2812', opts).code // => '0266'
 */
export interface Dcvv2Options {
  /** The moment, as a Date or milliseconds since the Unix epoch (like Date.now()); default now. */
  at?: Date | number;
  /** Window length X in seconds, 60..64,800; default 3,600. */
  windowSeconds?: number;
  /** Code length, 3 (default) or 4. */
  digits?: 3 | 4;
  /** 'HMAC' (default; 32-byte IMK) or 'TDES' (16-byte IMK). */
  profile?: Dcvv2Profile;
}

/**
 * One dynamic CVV2: the code (3 or 4 digits), its window number C and the window's bounds (`validFrom` inclusive,
 * `expiresAt` exclusive).
 * The values are test/vectors/dcvv2.json's (no public standard defines TW-DCVV2: they were computed with the
 * independent implementation test/helpers/dcvv2-reference.ts over node:crypto).
 * @example
 * const c = generateDynamicCvv2(hexToBytes('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F'), '4123456789012345', '00', '2812', { at: Date.parse('2026-11-22T12:30:00Z') })
 * c // => { code: '670', window: 498708, validFrom: new Date('2026-11-22T12:00:00Z'), expiresAt: new Date('2026-11-22T13:00:00Z') }
 */
export interface Dcvv2Code {
  code: string;
  /** The window number C. */
  window: number;
  validFrom: Date;
  expiresAt: Date;
}

/**
 * A card of generateDynamicCvv2Batch: PAN (12..19 digits), PAN sequence number (2 digits) and expiry (YYMM).
 * The values are test/vectors/dcvv2.json's (no public standard defines TW-DCVV2: they were computed with the
 * independent implementation test/helpers/dcvv2-reference.ts over node:crypto).
 * @example
 * const card = { pan: '4123456789012345', psn: '00', expiry: '2812' }
 * generateDynamicCvv2Batch(hexToBytes('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F'), [card], { at: Date.parse('2026-11-22T12:30:00Z') })[0].code // => '670'
 */
export interface Dcvv2Card {
  pan: string;
  /** PAN sequence number, 2 digits. */
  psn: string;
  /** YYMM */
  expiry: string;
}

interface Settings {
  windowSeconds: number;
  digits: number;
  profile: Dcvv2Profile;
  window: number;
}

const CONTEXT_STRIDE = 65;

function settingsOf(opts: unknown): Settings & { o: Record<string, unknown> } {
  const o = checkOptions('opts', opts);
  const windowSeconds =
    o.windowSeconds === undefined ? 3600 : checkInt('opts.windowSeconds', o.windowSeconds, 60, 64_800);
  const digits = o.digits === undefined ? 3 : checkInt('opts.digits', o.digits, 3, 4);
  const profile = o.profile === undefined ? 'HMAC' : checkOneOf('opts.profile', o.profile, ['HMAC', 'TDES'] as const);
  let ms: number;
  if (o.at === undefined) ms = Date.now();
  else if (o.at instanceof Date) ms = o.at.getTime();
  else if (typeof o.at === 'number') ms = o.at;
  else throw new CardHsmError('ERR_TYPE', '"opts.at" expected a Date or milliseconds since the epoch', 'opts.at');
  if (!Number.isFinite(ms) || ms < 0 || ms > 8.64e15)
    throw new CardHsmError('ERR_FORMAT', '"opts.at" expected a time from 1970 on', 'opts.at');
  return { o, windowSeconds, digits, profile, window: dcvv2Window(ms, windowSeconds) };
}

function checkCard(card: unknown, at: string): Dcvv2Card {
  const c = checkOptions(at || 'card', card);
  const p = at ? `${at}.` : '';
  return {
    pan: checkDigits(`${p}pan`, c.pan, 12, 19),
    psn: checkDigits(`${p}psn`, c.psn, 2, 2),
    expiry: checkDigits(`${p}expiry`, c.expiry, 4, 4),
  };
}

function checkImk(imk: unknown, profile: Dcvv2Profile): Uint8Array {
  return checkBytes('imk', imk, [profile === 'HMAC' ? 32 : 16]);
}

/** HMAC profile: codes for `count` windows from `first`, for each card, in as few kernel calls as fit. */
function hmacCodes(
  imk: Uint8Array,
  cards: readonly Dcvv2Card[],
  first: number,
  count: number,
  digits: number,
): string[][] {
  const result: string[][] = [];
  return withKernel(64 + cards.length * CONTEXT_STRIDE, cards.length * count * digits, (k) => {
    const m = k.mem;
    const keyAt = k.IN; // the IMK first, then the context records
    m.set(imk, keyAt);
    const ctx = k.IN + 64;
    const per = Math.min(Math.floor((k.IO_BYTES - 64) / CONTEXT_STRIDE), Math.floor(k.IO_BYTES / (count * digits)));
    for (let base = 0; base < cards.length; base += per) {
      const chunk = cards.slice(base, base + per);
      chunk.forEach((c, i) => {
        const context = `${c.pan}|${c.psn}|${c.expiry}`;
        m[ctx + i * CONTEXT_STRIDE] = context.length;
        putAscii(m, ctx + i * CONTEXT_STRIDE + 1, context);
      });
      k.x.dcvv2HmacBatch(keyAt, imk.length, ctx, CONTEXT_STRIDE, chunk.length, first, count, digits, k.OUT);
      chunk.forEach(
        (_, i) =>
          void result.push(
            Array.from({ length: count }, (_, w) => getAscii(m, k.OUT + (i * count + w) * digits, digits)),
          ),
      );
    }
    return result;
  });
}

/** TDES profile: codes for `count` windows from `first`, for each card. */
function tdesCodes(
  imk: Uint8Array,
  cards: readonly Dcvv2Card[],
  first: number,
  count: number,
  digits: number,
): string[][] {
  return cards.map((c) => {
    const cardKey = masterKeys([imk], [c], 'A')[0]![0]!;
    const data = Array.from({ length: count }, (_, w) =>
      (c.pan + c.expiry + String((first + w) % 1e8).padStart(8, '0')).padEnd(32, '0'),
    );
    try {
      return cvvOfDigitStrings(cardKey, data, digits);
    } finally {
      cardKey.fill(0);
    }
  });
}

function codes(imk: Uint8Array, cards: readonly Dcvv2Card[], s: Settings, first: number, count: number): string[][] {
  return s.profile === 'HMAC'
    ? hmacCodes(imk, cards, first, count, s.digits)
    : tdesCodes(imk, cards, first, count, s.digits);
}

function describe(code: string, window: number, s: Settings): Dcvv2Code {
  return {
    code,
    window,
    validFrom: new Date(window * s.windowSeconds * 1000),
    expiresAt: new Date((window + 1) * s.windowSeconds * 1000),
  };
}

/**
 * The dynamic CVV2 of a card for the window containing `opts.at` (default now): `imk` (32 bytes for the HMAC
 * profile, 16 for TDES), `pan` (12..19 digits), `psn` (2 digits), `expiry` (4 digits, YYMM).
 * The values are test/vectors/dcvv2.json's (no public standard defines TW-DCVV2: they were computed with the
 * independent implementation test/helpers/dcvv2-reference.ts over node:crypto).
 * @example
 * const imk = hexToBytes('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F')
 * generateDynamicCvv2(imk, '4123456789012345', '00', '2812', { at: Date.parse('2026-11-22T12:30:00Z') }) // => { code: '670', window: 498708, validFrom: new Date('2026-11-22T12:00:00Z'), expiresAt: new Date('2026-11-22T13:00:00Z') }
 * generateDynamicCvv2(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '4123456789012345', '00', '2812', { at: Date.parse('2026-11-22T12:30:00Z'), profile: 'TDES' }).code // => '505'
 * @throws ERR_TYPE, ERR_LENGTH (IMK 32 bytes for HMAC, 16 for TDES), ERR_FORMAT
 */
export function generateDynamicCvv2(
  imk: Uint8Array,
  pan: string,
  psn: string,
  expiry: string,
  opts?: Dcvv2Options,
): Dcvv2Code {
  return generateDynamicCvv2Codes(imk, pan, psn, expiry, 1, opts)[0]!;
}

/**
 * The codes of the current and the next `count - 1` windows (`count` 1..24), for cards that display codes offline;
 * other arguments as generateDynamicCvv2. The first code is test/vectors/dcvv2.json's; the next two were computed
 * with this library.
 * @example
 * const codes = generateDynamicCvv2Codes(hexToBytes('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F'), '4123456789012345', '00', '2812', 3, { at: Date.parse('2026-11-22T12:30:00Z') })
 * codes.map((c) => c.code) // => ['670', '450', '518']
 * codes[2].validFrom // => new Date('2026-11-22T14:00:00Z')
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (as generateDynamicCvv2; `count` outside 1..24)
 */
export function generateDynamicCvv2Codes(
  imk: Uint8Array,
  pan: string,
  psn: string,
  expiry: string,
  count: number,
  opts?: Dcvv2Options,
): Dcvv2Code[] {
  const s = settingsOf(opts);
  const key = checkImk(imk, s.profile);
  const card = checkCard({ pan, psn, expiry }, '');
  checkInt('count', count, 1, 24);
  return codes(key, [card], s, s.window, count)[0]!.map((code, w) => describe(code, s.window + w, s));
}

/**
 * The current window's codes for many cards (Dcvv2Card), in one kernel call (HMAC profile) — for issuers that push
 * codes. `imk` as generateDynamicCvv2; one Dcvv2Code per card, in order. The first code is test/vectors/dcvv2.json's;
 * the second is the 3-digit form of its 4-digit '0266' for PSN 01 (computed with this library).
 * @example
 * generateDynamicCvv2Batch(hexToBytes('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F'), [{ pan: '4123456789012345', psn: '00', expiry: '2812' }, { pan: '4123456789012345', psn: '01', expiry: '2812' }], { at: Date.parse('2026-11-22T12:30:00Z') }).map((c) => c.code) // => ['670', '266']
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (field names carry the index)
 */
export function generateDynamicCvv2Batch(
  imk: Uint8Array,
  cards: readonly Dcvv2Card[],
  opts?: Dcvv2Options,
): Dcvv2Code[] {
  const s = settingsOf(opts);
  const key = checkImk(imk, s.profile);
  const list = checkArray('cards', cards).map((c, i) => checkCard(c, `cards[${i}]`));
  return codes(key, list, s, s.window, 1).map(([code]) => describe(code!, s.window, s));
}

/**
 * Checks a code against the windows from `back` before to `fwd` after the current one (back + fwd <= 2; defaults
 * 1 and 0). All windows are compared, in constant time; when several match, the one nearest the current window
 * wins (the current first, then the earlier of two equally near). `drift` = matched window - current window (null
 * when no window matches). `code` has `opts.digits` digits; other arguments as generateDynamicCvv2. The code 670 is
 * test/vectors/dcvv2.json's for the window 12:00-13:00 UTC.
 * @example
 * const imk = hexToBytes('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F')
 * verifyDynamicCvv2(imk, '4123456789012345', '00', '2812', '670', { at: Date.parse('2026-11-22T12:59:59Z') }) // => { valid: true, drift: 0 }
 * verifyDynamicCvv2(imk, '4123456789012345', '00', '2812', '670', { at: Date.parse('2026-11-22T13:10:00Z') }) // => { valid: true, drift: -1 }
 * verifyDynamicCvv2(imk, '4123456789012345', '00', '2812', '670', { at: Date.parse('2026-11-22T14:10:00Z') }) // => { valid: false, drift: null }
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (malformed input only)
 */
export function verifyDynamicCvv2(
  imk: Uint8Array,
  pan: string,
  psn: string,
  expiry: string,
  code: string,
  opts?: Dcvv2Options & { back?: number; fwd?: number },
): { valid: boolean; drift: number | null } {
  const s = settingsOf(opts);
  const key = checkImk(imk, s.profile);
  const card = checkCard({ pan, psn, expiry }, '');
  checkDigits('code', code, s.digits, s.digits);
  const back = s.o.back === undefined ? 1 : checkInt('opts.back', s.o.back, 0, 2);
  const fwd = s.o.fwd === undefined ? 0 : checkInt('opts.fwd', s.o.fwd, 0, 2);
  if (back + fwd > 2) throw new CardHsmError('ERR_FORMAT', '"opts.back" + "opts.fwd" must be at most 2', 'opts.back');
  const first = Math.max(0, s.window - back);
  const candidates = codes(key, [card], s, first, s.window + fwd - first + 1)[0]!;
  let best: number | null = null;
  let bestRank = Infinity;
  candidates.forEach((c, i) => {
    const drift = first + i - s.window;
    const rank = Math.abs(drift) * 2 + (drift > 0 ? 1 : 0);
    const match = constantTimeEqualString(c, code);
    // Every candidate is compared; the choice below has no early exit.
    const better = match && rank < bestRank;
    best = better ? drift : best;
    bestRank = better ? rank : bestRank;
  });
  return { valid: best !== null, drift: best };
}
