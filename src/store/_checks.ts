// What every store adapter checks and raises: the adapters are a boundary a caller may reach directly, so each
// argument is checked here once for all three.
import { CardHsmError } from '../errors.js';

/** The error every adapter raises when its database cannot be reached or written. */
export function storeUnavailable(cause: unknown): CardHsmError {
  const detail = cause instanceof Error ? ((cause as Error & { code?: string }).code ?? cause.name) : 'unknown';
  return new CardHsmError('ERR_STORE_UNAVAILABLE', `the store cannot be reached or written (${detail})`, 'store');
}

/** A card reference: a non-empty string of at most 200 characters. */
export function checkRef(value: unknown, field = 'cardRef'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 200) {
    throw new CardHsmError('ERR_FORMAT', `"${field}" expected a non-empty string of at most 200 characters`, field);
  }
  return value;
}

/** A counter value or limit: a non-negative safe integer. */
export function checkCount(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new CardHsmError('ERR_FORMAT', `"${field}" expected a non-negative safe integer`, field);
  }
  return value;
}

/** A per-card setting's value (a PIN's verification data with its key block fits): up to 4 KiB. */
export function checkSettingValue(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 4096) {
    throw new CardHsmError('ERR_FORMAT', '"value" expected a non-empty string of at most 4096 characters', 'value');
  }
  return value;
}

/** A stored value (idempotency records hold a caller's JSON): any string up to 1 MB. */
export function checkText(value: unknown, field = 'value'): string {
  if (typeof value !== 'string' || value.length > 1 << 20) {
    throw new CardHsmError('ERR_FORMAT', `"${field}" expected a string of at most 1 MiB`, field);
  }
  return value;
}
