// fast-check arbitraries for the property and differential tests, beside the ones the product ships
// (src/arbitraries.ts, the cardhsm/arbitraries subpath). Card data — PANs, PINs, expiry dates, service codes, DES
// keys, CVKs, PIN blocks — comes from src/arbitraries.ts, so the tests use what users get; each export here says
// why the product's own does not serve.
import fc from 'fast-check';
import { desKey, pan, pin } from '../../src/arbitraries.js';

/** Exactly `n` random bytes: data, IVs, fills, and keys whose parity is the point (the product ships card data). */
export const bytesOf = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
/** AES keys of 16, 24 or 32 bytes: the product ships no AES key arbitrary. */
export const aesKey = fc.constantFrom(16, 24, 32).chain(bytesOf);
/** DES keys of every length the ciphers take (8, 16, 24 bytes): the product's desKey() draws one length. */
export const anyDesKey = fc.constantFrom(8, 16, 24).chain((n) => desKey(n));
/** PVKs, single or double length as the PVV and IBM 3624 primitives take them: the product's desKey() of either. */
export const pvk = fc.constantFrom(8, 16).chain((n) => desKey(n));
/** Whole blocks of `size` bytes, 0..maxBlocks of them: cipher input, not card data. */
export const blocks = (size: number, maxBlocks = 8) =>
  fc.integer({ min: 0, max: maxBlocks }).chain((n) => bytesOf(n * size));
/**
 * Digit strings of any length `min..max`: for digits that are not a card value the product generates — Luhn
 * payloads, PVKIs, PSNs, deny-lists, and PANs as the primitives take them (12..19 digits, Luhn or not; the
 * product's PANs are Luhn-valid and 13..19 digits, so a 12-digit PAN field that needs padding never comes up).
 */
export const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
/** Luhn-valid PANs of every length 13..19: the product's pan() draws one length per arbitrary (16 by default). */
export const anyPan = fc.integer({ min: 13, max: 19 }).chain((length) => pan({ length }));
/**
 * Every PIN the primitives take, 4..12 digits: the product's pin() under a policy that refuses none (its default
 * policy refuses repeated digits and runs, which the primitives accept).
 */
export const anyPin = pin({ rejectRepeated: false, rejectSequences: false });
/** Upper-case hex strings of `n` characters (IBM 3624 validation data): not card data the product generates. */
export const hexUpper = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789ABCDEF'), minLength: n, maxLength: n });
/** IBM 3624 decimalization tables (16 digits): the product ships none. */
export const decimalizationTable = digits(16, 16);

/** Inputs that are wrong in type or shape: for totality and rejection properties (the opposite of what it ships). */
export const junk = fc.oneof(
  fc.anything(),
  fc.string({ maxLength: 40 }),
  digits(0, 25),
  fc.uint8Array({ maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFxz '), maxLength: 33 }),
  fc.integer(),
  fc.constant(undefined),
  fc.constant(null),
);
