// The store port: everything cardhsm must remember between calls, behind one small interface with three
// adapters (memory, SQLite, PostgreSQL). Every mutation is a single atomic statement, so concurrent processes
// never lose an update or exceed a limit. Cards are referenced by a keyed hash of the PAN (Hsm.cardRef), never
// by the PAN; no table holds a PAN, PIN or key.

/**
 * Independent attempt counters per card: PIN, static CVV, static CVV2 and dynamic CVV2 each count and lock on
 * their own.
 * @example
 * const store = new MemoryStore()
 * await store.recordFailure('pin', 'CARD-REF', 3) // => { failed: 1, locked: false, applied: true }
 * await store.getAttempts('cvv2', 'CARD-REF') // => { failed: 0, locked: false }
 */
export type CounterKind = 'pin' | 'cvv' | 'cvv2' | 'dcvv2';

/**
 * One card's counter of one kind: failed attempts since the last success or reset, and whether the card is locked
 * (a lock stays until resetAttempts, e.g. a new PIN).
 * @example
 * const store = new MemoryStore()
 * await store.getAttempts('pin', 'CARD-REF') // => { failed: 0, locked: false }
 * await store.recordFailure('pin', 'CARD-REF', 2) // => { failed: 1, locked: false, applied: true }
 * await store.recordFailure('pin', 'CARD-REF', 2) // => { failed: 2, locked: true, applied: true }
 * await store.recordFailure('pin', 'CARD-REF', 2) // => { failed: 2, locked: true, applied: false }
 */
export interface AttemptState {
  failed: number;
  locked: boolean;
}

/**
 * What Store.consumeActivationCode did: ACTIVATED (the code matched and is now used), MISMATCH (a failed attempt
 * was counted), LOCKED (too many failures), USED (already activated) or NONE (no code stored for the card).
 * @example
 * const store = new MemoryStore()
 * await store.putActivationCode('CARD-REF', 'HASH-A') // => undefined
 * (await store.consumeActivationCode('CARD-REF', 'HASH-B', 3)).result // => 'MISMATCH'
 * (await store.consumeActivationCode('CARD-REF', 'HASH-A', 3)).result // => 'ACTIVATED'
 * (await store.consumeActivationCode('CARD-REF', 'HASH-A', 3)).result // => 'USED'
 * (await store.consumeActivationCode('OTHER-REF', 'HASH-A', 3)).result // => 'NONE'
 */
export type ActivationResult = 'ACTIVATED' | 'MISMATCH' | 'LOCKED' | 'USED' | 'NONE';

/**
 * The store port: everything an Hsm must remember between calls (attempt counters, activation codes, counter
 * ranges for PAN issuance, per-card settings, idempotency records), each mutation one atomic step. Adapters:
 * MemoryStore (`cardhsm`), SqliteStore (`cardhsm/store/sqlite`), PostgresStore (`cardhsm/store/postgres`). Pass one
 * as HsmOptions.store; the example's failure, recorded in the store directly, is what the Hsm then reports.
 * @example
 * const store = new MemoryStore()
 * const host = new Hsm({ lmk: lmkFromHex('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F'), store })
 * const cardRef = host.cardRef('1122334455667788')
 * await store.recordFailure('pin', cardRef, 3) // => { failed: 1, locked: false, applied: true }
 * await host.getPinAttempts(cardRef) // => { failed: 1, remaining: 2, locked: false }
 */
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
  consumeActivationCode(
    cardRef: string,
    codeHash: string,
    limit: number,
  ): Promise<{ result: ActivationResult; attempts: number }>;

  /**
   * Leases up to `size` consecutive counter values [start, end) from the named range, which never exceeds
   * `limit`; null when the range is exhausted. With `whole`, exactly `size` values or nothing (null when fewer
   * remain). Leases never overlap, across processes and machines.
   */
  leaseRange(
    name: string,
    size: number,
    limit: number,
    whole?: boolean,
  ): Promise<{ start: number; end: number } | null>;
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
