// The SQL both database adapters run, written once with $1-style parameters (SQLite gets them renamed). Each
// mutation is one statement — an upsert or a conditional UPDATE with RETURNING — so it is atomic on its own.
import { checkCount, checkRef, checkSettingValue, checkText } from './_checks.js';
import type { ActivationResult, AttemptState, CounterKind, Store } from './store.js';

export const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS cardhsm_attempts (
     kind TEXT NOT NULL, card_ref TEXT NOT NULL, failed INTEGER NOT NULL, locked INTEGER NOT NULL,
     PRIMARY KEY (kind, card_ref))`,
  `CREATE TABLE IF NOT EXISTS cardhsm_activation (
     card_ref TEXT PRIMARY KEY, code_hash TEXT NOT NULL, attempts INTEGER NOT NULL, used INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS cardhsm_ranges (name TEXT PRIMARY KEY, prev BIGINT NOT NULL, next BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS cardhsm_settings (
     card_ref TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (card_ref, name))`,
  `CREATE TABLE IF NOT EXISTS cardhsm_idempotency (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
];

export const SQL = {
  getAttempts: 'SELECT failed, locked FROM cardhsm_attempts WHERE kind = $1 AND card_ref = $2',
  // A failure counts only while the card is unlocked; the row locks itself when the count reaches the limit.
  recordFailure: `INSERT INTO cardhsm_attempts (kind, card_ref, failed, locked)
     VALUES ($1, $2, 1, CASE WHEN 1 >= $3 THEN 1 ELSE 0 END)
     ON CONFLICT (kind, card_ref) DO UPDATE
       SET failed = cardhsm_attempts.failed + 1,
           locked = CASE WHEN cardhsm_attempts.failed + 1 >= $3 THEN 1 ELSE 0 END
       WHERE cardhsm_attempts.locked = 0
     RETURNING failed, locked`,
  recordSuccess: `INSERT INTO cardhsm_attempts (kind, card_ref, failed, locked) VALUES ($1, $2, 0, 0)
     ON CONFLICT (kind, card_ref) DO UPDATE SET failed = 0 WHERE cardhsm_attempts.locked = 0
     RETURNING failed`,
  resetAttempts: `INSERT INTO cardhsm_attempts (kind, card_ref, failed, locked) VALUES ($1, $2, 0, 0)
     ON CONFLICT (kind, card_ref) DO UPDATE SET failed = 0, locked = 0`,

  putActivationCode: `INSERT INTO cardhsm_activation (card_ref, code_hash, attempts, used) VALUES ($1, $2, 0, 0)
     ON CONFLICT (card_ref) DO UPDATE SET code_hash = excluded.code_hash, attempts = 0, used = 0`,
  useActivationCode: `UPDATE cardhsm_activation SET used = 1
     WHERE card_ref = $1 AND code_hash = $2 AND used = 0 AND attempts < $3 RETURNING attempts`,
  failActivationCode: `UPDATE cardhsm_activation SET attempts = attempts + 1
     WHERE card_ref = $1 AND used = 0 AND attempts < $2 RETURNING attempts`,
  getActivationCode: 'SELECT attempts, used FROM cardhsm_activation WHERE card_ref = $1',

  createRange: 'INSERT INTO cardhsm_ranges (name, prev, next) VALUES ($1, 0, 0) ON CONFLICT (name) DO NOTHING',
  // SET expressions see the old row, so prev receives the old next: the lease is [prev, next).
  leaseRange: `UPDATE cardhsm_ranges
     SET prev = next, next = CASE WHEN next + $2 < $3 THEN next + $2 ELSE $3 END
     WHERE name = $1 AND next < $3 RETURNING prev, next`,
  // All or nothing: the lease is taken only when `size` values remain below the limit.
  leaseWhole: `UPDATE cardhsm_ranges SET prev = next, next = next + $2
     WHERE name = $1 AND next + $2 <= $3 RETURNING prev, next`,
  rangeNext: 'SELECT next FROM cardhsm_ranges WHERE name = $1',

  getSetting: 'SELECT value FROM cardhsm_settings WHERE card_ref = $1 AND name = $2',
  setSetting: `INSERT INTO cardhsm_settings (card_ref, name, value) VALUES ($1, $2, $3)
     ON CONFLICT (card_ref, name) DO UPDATE SET value = excluded.value`,
  raiseWatermark: `INSERT INTO cardhsm_settings (card_ref, name, value) VALUES ($1, $2, $3)
     ON CONFLICT (card_ref, name) DO UPDATE SET value = excluded.value
       WHERE CAST(cardhsm_settings.value AS BIGINT) < CAST(excluded.value AS BIGINT)
     RETURNING value`,

  putIdempotent:
    'INSERT INTO cardhsm_idempotency (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING value',
  getIdempotent: 'SELECT value FROM cardhsm_idempotency WHERE key = $1',
} as const;

export type Statement = keyof typeof SQL;
export type Row = Record<string, unknown>;

/** The Store written once over `query` (statement, parameters -> rows); each database adapter adds a driver. */
export abstract class SqlStore implements Store {
  protected abstract query(statement: Statement, params: unknown[]): Promise<Row[]>;
  abstract close(): Promise<void>;

  async #one(statement: Statement, params: unknown[]): Promise<Row | undefined> {
    return (await this.query(statement, params))[0];
  }

  async getAttempts(kind: CounterKind, cardRef: string): Promise<AttemptState> {
    return attemptState(await this.#one('getAttempts', [checkRef(kind, 'kind'), checkRef(cardRef)]));
  }

  async recordFailure(kind: CounterKind, cardRef: string, limit: number): Promise<AttemptState & { applied: boolean }> {
    const row = await this.#one('recordFailure', [
      checkRef(kind, 'kind'),
      checkRef(cardRef),
      checkCount(limit, 'limit'),
    ]);
    if (row) return { ...attemptState(row), applied: true };
    return { ...attemptState(await this.#one('getAttempts', [kind, cardRef])), applied: false };
  }

  async recordSuccess(kind: CounterKind, cardRef: string): Promise<{ applied: boolean }> {
    return { applied: (await this.#one('recordSuccess', [checkRef(kind, 'kind'), checkRef(cardRef)])) !== undefined };
  }

  async resetAttempts(kind: CounterKind, cardRef: string): Promise<void> {
    await this.query('resetAttempts', [checkRef(kind, 'kind'), checkRef(cardRef)]);
  }

  async putActivationCode(cardRef: string, codeHash: string): Promise<void> {
    await this.query('putActivationCode', [checkRef(cardRef), checkRef(codeHash, 'codeHash')]);
  }

  async consumeActivationCode(
    cardRef: string,
    codeHash: string,
    limit: number,
  ): Promise<{ result: ActivationResult; attempts: number }> {
    const used = await this.#one('useActivationCode', [
      checkRef(cardRef),
      checkRef(codeHash, 'codeHash'),
      checkCount(limit, 'limit'),
    ]);
    if (used) return { result: 'ACTIVATED', attempts: Number(used.attempts) };
    const failed = await this.#one('failActivationCode', [cardRef, limit]);
    if (failed) return { result: 'MISMATCH', attempts: Number(failed.attempts) };
    const row = await this.#one('getActivationCode', [cardRef]);
    if (!row) return { result: 'NONE', attempts: 0 };
    return { result: Number(row.used) === 1 ? 'USED' : 'LOCKED', attempts: Number(row.attempts) };
  }

  async leaseRange(
    name: string,
    size: number,
    limit: number,
    whole = false,
  ): Promise<{ start: number; end: number } | null> {
    const args = [checkRef(name, 'name'), checkCount(size, 'size'), checkCount(limit, 'limit')];
    const statement = whole === true ? 'leaseWhole' : 'leaseRange';
    // One round trip for every lease but a range's first (or one past its end): create the range only on a miss.
    let row = await this.#one(statement, args);
    if (!row) {
      await this.query('createRange', [name]);
      row = await this.#one(statement, args);
    }
    return row ? { start: Number(row.prev), end: Number(row.next) } : null;
  }

  async rangeNext(name: string): Promise<number> {
    return Number((await this.#one('rangeNext', [checkRef(name, 'name')]))?.next ?? 0);
  }

  async getSetting(cardRef: string, name: string): Promise<string | undefined> {
    const row = await this.#one('getSetting', [checkRef(cardRef), checkRef(name, 'name')]);
    return row === undefined ? undefined : String(row.value);
  }

  async setSetting(cardRef: string, name: string, value: string): Promise<void> {
    await this.query('setSetting', [checkRef(cardRef), checkRef(name, 'name'), checkSettingValue(value)]);
  }

  async raiseWatermark(cardRef: string, name: string, value: number): Promise<boolean> {
    return (
      (await this.#one('raiseWatermark', [
        checkRef(cardRef),
        checkRef(name, 'name'),
        String(checkCount(value, 'value')),
      ])) !== undefined
    );
  }

  async putIdempotent(key: string, value: string): Promise<{ created: boolean; value: string }> {
    const row = await this.#one('putIdempotent', [checkRef(key, 'key'), checkText(value)]);
    if (row) return { created: true, value: String(row.value) };
    return { created: false, value: String((await this.#one('getIdempotent', [key]))!.value) };
  }

  async getIdempotent(key: string): Promise<string | undefined> {
    const row = await this.#one('getIdempotent', [checkRef(key, 'key')]);
    return row === undefined ? undefined : String(row.value);
  }
}

function attemptState(row: Row | undefined): AttemptState {
  return { failed: Number(row?.failed ?? 0), locked: Number(row?.locked ?? 0) === 1 };
}
