// The store port: everything cardhsm must remember between calls, behind one small interface with three
// adapters (memory, SQLite, PostgreSQL). Every mutation is a single atomic statement, so concurrent processes
// never lose an update or exceed a limit. Cards are referenced by a keyed hash of the PAN (Hsm.cardRef), never
// by the PAN; no table holds a PAN, PIN or key.
import { CardHsmError } from '../errors.js';

/** Independent attempt counters per card. */
export type CounterKind = 'pin' | 'cvv' | 'cvv2' | 'dcvv2';

export interface AttemptState {
  failed: number;
  locked: boolean;
}

export type ActivationResult = 'ACTIVATED' | 'MISMATCH' | 'LOCKED' | 'USED' | 'NONE';

export interface Store {
  /** Failed attempts and lock state (0 / false for a card never seen). */
  getAttempts(kind: CounterKind, cardRef: string): Promise<AttemptState>;
  /**
   * Counts a failed attempt and locks the card when `failed` reaches `limit`. `applied` is false, and nothing
   * changes, when the card was already locked.
   */
  recordFailure(kind: CounterKind, cardRef: string, limit: number): Promise<AttemptState & { applied: boolean }>;
  /** Clears the failure count after a success; `applied` is false, and nothing changes, when the card is locked. */
  recordSuccess(kind: CounterKind, cardRef: string): Promise<{ applied: boolean }>;
  /** Clears count and lock (a new PIN was set). */
  resetAttempts(kind: CounterKind, cardRef: string): Promise<void>;

  /** Stores a card's activation code (as a keyed hash), replacing any earlier one, with no attempts used. */
  putActivationCode(cardRef: string, codeHash: string): Promise<void>;
  /**
   * Uses the code if `codeHash` matches and it is neither used nor locked (ACTIVATED); otherwise counts a failed
   * attempt (MISMATCH), or reports why it cannot (LOCKED after `limit` failures, USED, NONE).
   */
  consumeActivationCode(cardRef: string, codeHash: string, limit: number): Promise<{ result: ActivationResult; attempts: number }>;

  /**
   * Leases up to `size` consecutive counter values [start, end) from the named range, which never exceeds
   * `limit`; null when the range is exhausted. With `whole`, exactly `size` values or nothing (null when fewer
   * remain). Leases never overlap, across processes and machines.
   */
  leaseRange(name: string, size: number, limit: number, whole?: boolean): Promise<{ start: number; end: number } | null>;
  /** The next unleased value of a range (0 for a new range). */
  rangeNext(name: string): Promise<number>;

  /** Per-card settings (e.g. dynamic CVV2 enabled). */
  getSetting(cardRef: string, name: string): Promise<string | undefined>;
  setSetting(cardRef: string, name: string, value: string): Promise<void>;
  /** Raises a per-card integer setting to `value` if it is higher than the stored one; true when it was raised. */
  raiseWatermark(cardRef: string, name: string, value: number): Promise<boolean>;

  /** Stores `value` under `key` unless the key exists; returns the value now stored and whether it was created. */
  putIdempotent(key: string, value: string): Promise<{ created: boolean; value: string }>;
  getIdempotent(key: string): Promise<string | undefined>;

  close(): Promise<void>;
}

/** The error every adapter raises when its database cannot be reached or written. */
export function storeUnavailable(cause: unknown): CardHsmError {
  const detail = cause instanceof Error ? (cause as Error & { code?: string }).code ?? cause.name : 'unknown';
  return new CardHsmError('ERR_STORE_UNAVAILABLE', `the store cannot be reached or written (${detail})`, 'store');
}

/** Argument checks shared by the adapters (they are the boundary a caller may reach directly). */
export function checkRef(value: unknown, field = 'cardRef'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 200) {
    throw new CardHsmError('ERR_FORMAT', `"${field}" expected a non-empty string of at most 200 characters`, field);
  }
  return value;
}

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
