// ISO 9564-1 PIN blocks as the kernel takes them (pinblock.ts has the formats' public codecs and translation):
// record layouts, fill, decode status, the translation rule and a translation side's key — shared by PIN
// translation, DUKPT PIN translation and the Hsm's PIN planes.
import { CardHsmError } from './errors.js';
import { randomBytes } from './_bytes.js';
import { checkBytes, checkOptions } from './_validate.js';
import { keySchedule, putAscii, ALG_AES, ALG_TDES, type Kernel } from './wasm/_calls.js';
import type { PinBlockFormat, PinBlockSide } from './pinblock.js';

/** A PIN block format in transit (0, 1, 3 or 4). */
export function checkPinBlockFormat(field: string, value: unknown): PinBlockFormat {
  if (value === 0 || value === 1 || value === 3 || value === 4) return value;
  throw new CardHsmError('ERR_FORMAT', `"${field}" expected ISO 9564 format 0, 1, 3 or 4`, field);
}

/** Bytes per encode/decode record and per result of the kernel (assembly/pinblock.ts). */
export const RECORD = 48;
export const OUT = 16;

const DECODE_ERRORS = ['', 'control field', 'PIN length (4..12)', 'PIN digit (0-9)', 'filler'] as const;

/** Nibbles packed high first into 8 bytes: the kernel's fill field. */
export function packNibbles(nibbles: readonly number[]): Uint8Array {
  const out = new Uint8Array(8);
  for (const [i, v] of nibbles.entries()) out[i >> 1]! |= v << (i & 1 ? 0 : 4);
  return out;
}

/** Uniform random nibbles, 0-F or (`aToF`) A-F by rejection sampling (12 is a multiple of 6, so no bias). */
export function randomNibbles(count: number, aToF: boolean): number[] {
  const out: number[] = [];
  while (out.length < count) {
    for (const b of randomBytes(count)) {
      for (const v of [b >> 4, b & 15]) {
        if (out.length === count) break;
        if (!aToF) out.push(v);
        else if (v < 12) out.push(10 + (v % 6));
      }
    }
  }
  return out;
}

/** Writes a decode record (the kernel's DECODE_RECORD: block, PAN length, PAN) at `rec`. */
export function writeDecodeRecord(m: Uint8Array, rec: number, block: Uint8Array, pan: string): void {
  m.fill(0, rec, rec + RECORD);
  m.set(block, rec);
  m[rec + 16] = pan.length;
  putAscii(m, rec + 17, pan);
}

/** Throws ERR_PINBLOCK_FORMAT for a kernel decode status other than OK (0). */
export function requireDecoded(format: PinBlockFormat | 2, status: number, field = 'pinBlock'): void {
  if (status !== 0) {
    throw new CardHsmError(
      'ERR_PINBLOCK_FORMAT',
      `"${field}" does not decode as ISO 9564 format ${format}: bad ${DECODE_ERRORS[status]}`,
      field,
    );
  }
}

/**
 * The one translation rule: ISO 0, 3 or 4 -> ISO 1 is refused (ERR_PIN_TRANSLATION). Format 1 carries no PAN, so
 * such a translation strips the PAN binding that stops PIN-block attacks.
 */
export function checkTranslation(from: PinBlockFormat, to: PinBlockFormat): void {
  if (to === 1 && from !== 1)
    throw new CardHsmError(
      'ERR_PIN_TRANSLATION',
      `translation from ISO format ${from} to ISO format 1 is not allowed`,
      'to.format',
    );
}

export const TRANSLATE_RECORD = 48; // assembly/pinblock.ts TRANSLATE_RECORD: the block, PAN length, PAN, fill at 36
export const TRANSLATE_OUT = 32; //    status, then the new block at 16

/** A validated key and format of an encrypted PIN block (`field` names it in errors). */
export function checkSide(field: string, side: unknown): PinBlockSide {
  const o = checkOptions(field, side);
  const format = checkPinBlockFormat(`${field}.format`, o.format);
  return { format, key: checkBytes(`${field}.key`, o.key, format === 4 ? [16, 24, 32] : [8, 16, 24]) };
}

/** The key's schedule for the kernel and its mode (AES for format 4, TDES for the others). */
export function pinKeySchedule(k: Kernel, side: PinBlockSide): [number, number] {
  return keySchedule(k, side.format === 4 ? ALG_AES : ALG_TDES, side.key);
}

/** Fresh fill for a new block: 8 random bytes (format 4), 14 random nibbles (1: 0-F, 3: A-F), none for 0. */
export function translationFill(format: PinBlockFormat): Uint8Array {
  if (format === 4) return randomBytes(8);
  return format === 0 ? new Uint8Array(8) : packNibbles(randomNibbles(14, format === 3));
}
