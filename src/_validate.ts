// Argument checks at the TypeScript boundary. Kernels assume valid input, so every public function runs these
// first. Messages describe shape only: `"pan" expected 12..19 digits, got length=11`.
import { CardHsmError } from './errors.js';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Uint8Array) return 'Uint8Array';
  return typeof value;
}

function range(min: number, max: number): string {
  return min === max ? `${min}` : `${min}..${max}`;
}

/** True when `value` is a string of `min`..`max` ASCII digits (the hot paths' check before the precise one). */
export function isDigits(value: unknown, min: number, max: number): boolean {
  if (typeof value !== 'string' || value.length < min || value.length > max) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** A string of `min`..`max` ASCII digits. */
export function checkDigits(field: string, value: unknown, min: number, max: number): string {
  if (typeof value !== 'string') {
    throw new CardHsmError(
      'ERR_TYPE',
      `"${field}" expected a string of ${range(min, max)} digits, got ${describe(value)}`,
      field,
    );
  }
  if (value.length < min || value.length > max) {
    throw new CardHsmError(
      'ERR_LENGTH',
      `"${field}" expected ${range(min, max)} digits, got length=${value.length}`,
      field,
    );
  }
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) {
      throw new CardHsmError(
        'ERR_FORMAT',
        `"${field}" expected ${range(min, max)} digits, got a non-digit at index ${i}`,
        field,
      );
    }
  }
  return value;
}

/**
 * A card's expiry date as issued: YYMM, 4 digits with a month 01..12. (The calculator primitives take any 4
 * digits, as published vectors do; issuance refuses a date that cannot be one.)
 */
export function checkExpiryYymm(field: string, value: unknown): string {
  const v = checkDigits(field, value, 4, 4);
  const month = Number(v.slice(2));
  if (month < 1 || month > 12)
    throw new CardHsmError('ERR_FORMAT', `"${field}" expected YYMM with a month 01..12`, field);
  return v;
}

/** A string of exactly `length` hex digits (either case); `allowed` narrows the digit set (e.g. 'ABCDEF'). */
export function checkHex(field: string, value: unknown, length: number, allowed?: string): string {
  if (typeof value !== 'string') {
    throw new CardHsmError(
      'ERR_TYPE',
      `"${field}" expected a string of ${length} hex digits, got ${describe(value)}`,
      field,
    );
  }
  if (value.length !== length) {
    throw new CardHsmError('ERR_LENGTH', `"${field}" expected ${length} hex digits, got length=${value.length}`, field);
  }
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!.toUpperCase();
    const ok = allowed ? allowed.includes(c) : '0123456789ABCDEF'.includes(c);
    if (!ok) {
      const set = allowed ? allowed.split('').join('') : 'hex';
      throw new CardHsmError(
        'ERR_FORMAT',
        `"${field}" expected ${length} ${set} digits, got a bad character at index ${i}`,
        field,
      );
    }
  }
  return value.toUpperCase();
}

/** A string (of any length). */
export function checkString(field: string, value: unknown): string {
  if (typeof value !== 'string')
    throw new CardHsmError('ERR_TYPE', `"${field}" expected a string, got ${describe(value)}`, field);
  return value;
}

/** A Uint8Array of any length. */
export function checkUint8Array(field: string, value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array))
    throw new CardHsmError('ERR_TYPE', `"${field}" expected a Uint8Array, got ${describe(value)}`, field);
  return value;
}

/** A Uint8Array whose length is one of `lengths`. */
export function checkBytes(field: string, value: unknown, lengths: readonly number[]): Uint8Array {
  const bytes = checkUint8Array(field, value);
  if (!lengths.includes(bytes.length)) {
    throw new CardHsmError(
      'ERR_LENGTH',
      `"${field}" expected ${lengths.join(', ')} bytes, got length=${bytes.length}`,
      field,
    );
  }
  return bytes;
}

/** A Uint8Array whose length is a multiple of `block` (zero allowed). */
export function checkBlocks(field: string, value: unknown, block: number): Uint8Array {
  const bytes = checkUint8Array(field, value);
  if (bytes.length % block !== 0) {
    throw new CardHsmError(
      'ERR_LENGTH',
      `"${field}" expected a multiple of ${block} bytes, got length=${bytes.length}`,
      field,
    );
  }
  return bytes;
}

/** An integer in `min`..`max`. */
export function checkInt(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number') {
    throw new CardHsmError(
      'ERR_TYPE',
      `"${field}" expected an integer ${range(min, max)}, got ${describe(value)}`,
      field,
    );
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new CardHsmError('ERR_FORMAT', `"${field}" expected an integer ${range(min, max)}`, field);
  }
  return value;
}

/** One of a fixed set of option strings. */
export function checkOneOf<T extends string>(field: string, value: unknown, options: readonly T[]): T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
    throw new CardHsmError('ERR_FORMAT', `"${field}" expected one of ${options.join(', ')}`, field);
  }
  return value as T;
}

/** An options bag: undefined, or a plain object. */
export function checkOptions(field: string, value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    throw new CardHsmError('ERR_TYPE', `"${field}" expected an options object, got ${describe(value)}`, field);
  }
  return value as Record<string, unknown>;
}

/** An array (of batch items). */
export function checkArray(field: string, value: unknown): readonly unknown[] {
  if (!Array.isArray(value)) {
    throw new CardHsmError('ERR_TYPE', `"${field}" expected an array, got ${describe(value)}`, field);
  }
  return value;
}

/**
 * A record of digit-string fields (a batch item), checked in `spec` order as [field, min digits, max digits];
 * `at` prefixes the field names ('items[3].'), and without it the object itself is called 'item'. `spec` is a
 * constant array, so a call costs no more than the checks written out.
 */
export function checkDigitFields<K extends string>(
  at: string,
  item: unknown,
  spec: ReadonlyArray<readonly [K, number, number]>,
): Record<K, string> {
  const o = checkOptions(at ? at.slice(0, -1) : 'item', item);
  const out = {} as Record<K, string>;
  for (const [field, min, max] of spec) out[field] = checkDigits(at + field, o[field], min, max);
  return out;
}
