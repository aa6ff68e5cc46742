// fast-check arbitraries for card data (ISO/IEC 7812 PANs, ISO 7813 expiry and service codes, ISO 9564-1 PINs and
// PIN blocks, DES keys with FIPS 46-3 odd parity, Visa CVV method card values), for property tests in card services.
// Imported as `cardhsm/arbitraries`; fast-check is a peer dependency of this subpath only. Options are checked when
// an arbitrary is built, so a malformed option throws CardHsmError at the call site, not inside a property run.
import fc from 'fast-check';
import { CardHsmError } from './errors.js';
import { hexToBytes } from './bytes.js';
import { luhnCheckDigit } from './luhn.js';
import type { PinPolicy } from './pinpolicy.js';
import { pinPolicyPredicate } from './_pinpolicy.js';
import { fixDesParity } from './keys/parity.js';
import { generateCvv, generateCvv2, generateIcvv } from './cvv.js';
import {
  encipherPinBlockIso4,
  encodePinBlockIso0,
  encodePinBlockIso1,
  encodePinBlockIso2,
  encodePinBlockIso3,
} from './pinblock.js';
import { checkBytes, checkDigits, checkInt, checkOptions } from './_validate.js';
import type { IssuedCard } from './issue/cards.js';

/**
 * Options of the `pan` and `invalidPan` arbitraries: a fixed BIN (1..11 digits) and the PAN length (13..19,
 * default 16).
 * @example
 * const opts = { bin: '457173', length: 19 }
 * fc.sample(pan(opts), 20).every((p) => p.length === 19 && p.startsWith('457173') && isLuhnValid(p)) // => true
 */
export interface PanOptions {
  /** 1..11 leading digits (BIN/IIN). Default: a random IIN whose first digit is 2-6. */
  bin?: string;
  /** Total PAN length including the check digit, 13..19. Default 16. */
  length?: number;
}

/**
 * Options of the `issuedCard` arbitrary: PanOptions and the CVK the card values are computed under.
 * @example
 * const opts = { bin: '412345', cvk: hexToBytes('12345678123456788765432187654321') }
 * fc.sample(issuedCard(opts), 10).every((c) => c.pan.startsWith('412345') && verifyCvv2(opts.cvk, c.pan, c.expiry, c.cvv2)) // => true
 */
export interface IssuedCardOptions extends PanOptions {
  /** 16-byte CVK (CVK A || CVK B). Default: the test CVK 0123456789ABCDEFFEDCBA9876543210. */
  cvk?: Uint8Array;
}

/**
 * A generated ISO 9564-1 PIN block with the inputs it was built from (a value of the `pinBlock` arbitrary); `key`
 * only for format 4.
 * @example
 * Object.keys(fc.sample(pinBlock(4), 1)[0]).sort() // => ['block', 'key', 'pan', 'pin']
 * fc.sample(pinBlock(4), 10).every(({ pin, pan, block, key }) => decipherPinBlockIso4(key, block, pan) === pin) // => true
 */
export interface GeneratedPinBlock {
  pin: string;
  pan: string;
  block: Uint8Array;
  key?: Uint8Array;
}

/**
 * A generated card (a value of the `issuedCard` arbitrary): the library's IssuedCard without its optional `token`,
 * `pinBlock` and `pvv`.
 * @example
 * Object.keys(fc.sample(issuedCard(), 1)[0]).sort() // => ['cvv', 'cvv2', 'expiry', 'icvv', 'lastFour', 'pan', 'serviceCode']
 */
export type GeneratedCard = Omit<IssuedCard, 'token' | 'pinBlock' | 'pvv'>;

const TEST_CVK_HEX = '0123456789ABCDEFFEDCBA9876543210';
const DES_LENGTHS: readonly unknown[] = [8, 16, 24];

/** Exactly `n` decimal digits, each shrinking towards 0. */
const digits = (n: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });

/** Exactly `n` hex nibbles from `alphabet`, each shrinking towards the alphabet's first character. */
const nibbles = (n: number, alphabet: string): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength: n, maxLength: n });

const bytes = (n: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ minLength: n, maxLength: n });

/** Checked `bin` and `length`; a PAN needs at least one body digit between the BIN and the check digit. */
function panOptions(opts: unknown): { bin: string | undefined; length: number } {
  const o = checkOptions('opts', opts);
  const bin = o.bin === undefined ? undefined : checkDigits('opts.bin', o.bin, 1, 11);
  const length =
    o.length === undefined ? 16 : checkInt('opts.length', o.length, Math.max(13, (bin?.length ?? 0) + 2), 19);
  return { bin, length };
}

/** Luhn-valid PANs from checked options (shared by pan, invalidPan and issuedCard). */
function panOf({ bin, length }: { bin: string | undefined; length: number }): fc.Arbitrary<string> {
  // A random 6- or 8-digit IIN starting 2-6 followed by random digits is, digit for digit, a leading 2-6 followed
  // by random digits: generating it that way needs no chain, so every digit shrinks independently.
  const head = bin === undefined ? fc.integer({ min: 2, max: 6 }).map(String) : fc.constant(bin);
  const bodyLength = length - 1 - (bin === undefined ? 1 : bin.length);
  return fc.tuple(head, digits(bodyLength)).map(([h, body]) => h + body + luhnCheckDigit(h + body));
}

/**
 * Luhn-valid PANs (ISO/IEC 7812-1): `bin` ‖ random digits ‖ check digit, `length` digits in all.
 * Shrinks towards the smallest leading digit and a zero body.
 * @example
 * fc.sample(pan({ bin: '411111' }), 20).every((p) => p.length === 16 && p.startsWith('411111') && isLuhnValid(p)) // => true
 * fc.assert(fc.property(pan(), (p) => isLuhnValid(p))) // => undefined
 * (() => { try { pan({ bin: '41111a' }) } catch (e) { return [e.code, e.field] } })() // => ['ERR_FORMAT', 'opts.bin']
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (`opts`, `opts.bin` 1..11 digits, `opts.length` an integer 13..19)
 */
export function pan(opts?: PanOptions): fc.Arbitrary<string> {
  return panOf(panOptions(opts));
}

/**
 * Digit strings of PAN length that fail Luhn: a valid PAN with its check digit moved by 1..9 (mod 10).
 * @example
 * fc.sample(invalidPan({ bin: '411111' }), 20).every((p) => p.length === 16 && p.startsWith('411111') && !isLuhnValid(p)) // => true
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (as `pan`)
 */
export function invalidPan(opts?: PanOptions): fc.Arbitrary<string> {
  return fc
    .tuple(pan(opts), fc.integer({ min: 1, max: 9 }))
    .map(([p, delta]) => p.slice(0, -1) + String((Number(p.at(-1)) + delta) % 10));
}

/**
 * PINs that satisfy `checkPinPolicy(pin, policy)` (default policy: 4..12 digits, no repeated digit, no ascending or
 * descending run with wrap-around). Generated then filtered: the default policy refuses ~0.3% of 4-digit PINs.
 * A deny-list that refuses every PIN of the allowed lengths would make generation loop forever.
 * @example
 * fc.sample(pin({ minLength: 6, maxLength: 6 }), 20).every((p) => p.length === 6 && checkPinPolicy(p).ok) // => true
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (a malformed policy: fields `policy`, `policy.minLength`, …)
 */
export function pin(policy?: PinPolicy): fc.Arbitrary<string> {
  const allowed = pinPolicyPredicate(policy); // validates the policy now, before any property runs
  const minLength = policy?.minLength ?? 4;
  const maxLength = policy?.maxLength ?? 12;
  const unit = fc.constantFrom(...'0123456789');
  return fc.string({ unit, minLength, maxLength }).filter(allowed);
}

/**
 * Expiry dates as 'YYMM' with MM 01..12 (shrinks towards '0001').
 * @example
 * fc.sample(expiry(), 50).every((e) => /^[0-9]{2}(0[1-9]|1[0-2])$/.test(e)) // => true
 */
export function expiry(): fc.Arbitrary<string> {
  const two = (n: number): string => String(n).padStart(2, '0');
  return fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 12 })).map(([y, m]) => two(y) + two(m));
}

/**
 * ISO 7813 service codes: interchange 1, 2, 5, 6, 7 or 9; authorization 0, 2 or 4; services 0..7 (shrinks to '100').
 * @example
 * fc.sample(serviceCode(), 50).every((s) => /^[125679][024][0-7]$/.test(s)) // => true
 */
export function serviceCode(): fc.Arbitrary<string> {
  const first = fc.constantFrom(1, 2, 5, 6, 7, 9);
  const second = fc.constantFrom(0, 2, 4);
  return fc.tuple(first, second, fc.integer({ min: 0, max: 7 })).map((d) => d.join(''));
}

/**
 * DES / TDES keys of `length` bytes (8, 16 or 24; default 16) with odd parity in every byte.
 * Shrinks towards 0101…01.
 * @example
 * fc.sample(desKey(24), 10).every((k) => k.length === 24 && hasOddDesParity(k)) // => true
 * (() => { try { desKey(12) } catch (e) { return [e.code, e.field] } })() // => ['ERR_FORMAT', 'length']
 * @throws ERR_TYPE (not a number), ERR_FORMAT (not 8, 16 or 24)
 */
export function desKey(length: 8 | 16 | 24 = 16): fc.Arbitrary<Uint8Array> {
  if (typeof length !== 'number')
    throw new CardHsmError('ERR_TYPE', `"length" expected 8, 16 or 24, got ${typeof length}`, 'length');
  if (!DES_LENGTHS.includes(length)) throw new CardHsmError('ERR_FORMAT', '"length" expected 8, 16 or 24', 'length');
  return bytes(length).map(fixDesParity);
}

/**
 * Card verification keys: 16 bytes (CVK A ‖ CVK B) with odd parity, as `generateCvv` takes them.
 * @example
 * fc.sample(cvk(), 10).every((k) => k.length === 16 && hasOddDesParity(k)) // => true
 * fc.assert(fc.property(cvk(), (k) => /^[0-9]{3}$/.test(generateCvv(k, '4123456789012345', '8701', '101')))) // => undefined
 */
export function cvk(): fc.Arbitrary<Uint8Array> {
  return desKey(16);
}

/** Format 0-3 clear blocks; fill nibbles come from the generator so that replaying a seed rebuilds the same block. */
function clearPinBlock(format: 0 | 1 | 2 | 3): fc.Arbitrary<GeneratedPinBlock> {
  // 10 nibbles cover the longest fill (14 - 4); a longer PIN takes a prefix.
  const fill = nibbles(10, format === 3 ? 'ABCDEF' : '0123456789ABCDEF');
  return fc.tuple(pin(), pan(), fill).map(([p, a, f]) => {
    const nibblesFor = f.slice(0, 14 - p.length);
    if (format === 0) return { pin: p, pan: a, block: encodePinBlockIso0(p, a) };
    if (format === 1) return { pin: p, pan: a, block: encodePinBlockIso1(p, nibblesFor) };
    if (format === 2) return { pin: p, pan: a, block: encodePinBlockIso2(p) };
    return { pin: p, pan: a, block: encodePinBlockIso3(p, a, nibblesFor) };
  });
}

/**
 * ISO 9564-1 PIN blocks of `format` with the PIN (default policy) and PAN they hold: 8-byte clear blocks for formats
 * 0-3, and for format 4 a 16-byte block enciphered under a generated 16-byte AES `key`. Fill is generated too.
 * @example
 * fc.sample(pinBlock(0), 10).every(({ pin, pan, block }) => decodePinBlockIso0(block, pan) === pin) // => true
 * fc.sample(pinBlock(3), 10).every(({ pin, pan, block }) => decodePinBlockIso3(block, pan) === pin) // => true
 * @throws ERR_TYPE (not a number), ERR_FORMAT (not 0..4)
 */
export function pinBlock(format: 0 | 1 | 2 | 3 | 4): fc.Arbitrary<GeneratedPinBlock> {
  const f = checkInt('format', format, 0, 4) as 0 | 1 | 2 | 3 | 4;
  if (f !== 4) return clearPinBlock(f);
  return fc.tuple(pin(), pan(), bytes(16), bytes(8)).map(([p, a, key, fill]) => ({
    pin: p,
    pan: a,
    block: encipherPinBlockIso4(key, p, a, fill),
    key,
  }));
}

/**
 * Issued cards: a Luhn-valid PAN, its last four digits, expiry, service code, and CVV / CVV2 / iCVV computed under
 * `opts.cvk` (default: the test CVK 0123456789ABCDEFFEDCBA9876543210 — never a production key).
 * @example
 * const c = fc.sample(issuedCard({ bin: '412345' }), 1)[0]
 * verifyCvv(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), c.pan, c.expiry, c.serviceCode, c.cvv) // => true
 * [c.pan.startsWith('412345'), c.lastFour === c.pan.slice(-4)] // => [true, true]
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (as `pan`; `opts.cvk` 16 bytes)
 */
export function issuedCard(opts?: IssuedCardOptions): fc.Arbitrary<GeneratedCard> {
  const o = checkOptions('opts', opts);
  const key = o.cvk === undefined ? hexToBytes(TEST_CVK_HEX) : checkBytes('opts.cvk', o.cvk, [16]).slice();
  return fc.tuple(panOf(panOptions(o)), expiry(), serviceCode()).map(([p, exp, sc]) => ({
    pan: p,
    lastFour: p.slice(-4),
    expiry: exp,
    serviceCode: sc,
    cvv: generateCvv(key, p, exp, sc),
    cvv2: generateCvv2(key, p, exp),
    icvv: generateIcvv(key, p, exp),
  }));
}
