// SqliteStore: the embedded default — one file, WAL mode, on better-sqlite3 (an optional dependency, loaded when
// a SqliteStore is constructed). Processes on one machine share the file; SQLite serializes writers, and a writer
// waits (busy timeout 5 s, then retries for up to a minute) rather than failing: busy is never reported as
// unavailable. Writes are group-committed: the statements that arrive while the event loop is busy run in one
// transaction — each statement still atomic on its own, each promise resolved only after the commit — so that a
// busy card service pays one fsync (synchronous=FULL) per turn of the event loop instead of one per statement.
import type Database from 'better-sqlite3';
import { CardHsmError } from '../errors.js';
import { SCHEMA, SQL, SqlStore, type Row, type Statement } from './_sql.js';
import { storeUnavailable } from './_checks.js';
import { loadDriver } from './_driver.js';

const BUSY_TIMEOUT_MS = 5_000;
const BUSY_GIVE_UP_MS = 60_000;

/**
 * Options of SqliteStore: the database file (created with its tables if absent), or ':memory:' for a private
 * in-memory database.
 * @example
 * const options = { path: ':memory:' }
 * const store = new SqliteStore(options)
 * await store.leaseRange('45717360/16', 1000, 10 ** 7) // => { start: 0, end: 1000 }
 * await store.close() // => undefined
 */
export interface SqliteStoreOptions {
  /** Database file (created if absent), or ':memory:'. */
  path: string;
}

/** better-sqlite3 takes named parameters: $1 becomes @p1. */
const named = (sql: string): string => sql.replace(/\$(\d+)/g, '@p$1');
const bind = (params: unknown[]): Record<string, unknown> => Object.fromEntries(params.map((v, i) => [`p${i + 1}`, v]));

function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return (
    code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || (typeof code === 'string' && code.startsWith('SQLITE_BUSY'))
  );
}

/** Statements that only read: they run at once, outside the group commit. */
const READS: ReadonlySet<Statement> = new Set([
  'getAttempts',
  'getActivationCode',
  'rangeNext',
  'getSetting',
  'getIdempotent',
]);

interface PendingWrite {
  statement: Statement;
  params: unknown[];
  resolve: (rows: Row[]) => void;
  reject: (error: unknown) => void;
}

/**
 * The Store in one SQLite file (WAL mode, synchronous=FULL), on better-sqlite3 (an optional dependency, loaded
 * when a SqliteStore is constructed): the embedded default, shared by the processes of one machine. Busy is
 * waited out (5 s busy timeout, then retries up to a minute), never reported; writes are group-committed. State survives closing and
 * reopening, as in the example (`tmp` is a temporary directory).
 * @example
 * const store = new SqliteStore({ path: `${tmp}/sqlite-store-example.db` })
 * await store.recordFailure('pin', 'CARD-REF', 3) // => { failed: 1, locked: false, applied: true }
 * await store.close() // => undefined
 * const reopened = new SqliteStore({ path: `${tmp}/sqlite-store-example.db` })
 * await reopened.getAttempts('pin', 'CARD-REF') // => { failed: 1, locked: false }
 * await reopened.close()
 * @throws ERR_TYPE (no path), ERR_STORE_UNAVAILABLE (better-sqlite3 missing, a file that cannot be opened or written)
 */
export class SqliteStore extends SqlStore {
  readonly #db: Database.Database;
  readonly #statements = new Map<Statement, Database.Statement>();
  /** Writes waiting for the next group commit (at most one turn of the event loop). */
  #pending: PendingWrite[] = [];
  #scheduled = false;

  constructor(options: SqliteStoreOptions) {
    super();
    if (typeof options?.path !== 'string' || options.path.length === 0) {
      throw new CardHsmError('ERR_TYPE', '"path" expected a file path', 'path');
    }
    try {
      const Driver = loadDriver<typeof Database>('better-sqlite3');
      this.#db = new Driver(options.path, { timeout: BUSY_TIMEOUT_MS });
      this.#retryBusy(() => {
        this.#db.pragma('journal_mode = WAL');
        // FULL: a recorded PIN failure survives power loss (NORMAL could lose the last commits).
        this.#db.pragma('synchronous = FULL');
        this.#db
          .transaction(() => {
            for (const ddl of SCHEMA) this.#db.exec(ddl);
          })
          .immediate();
      });
    } catch (e) {
      throw e instanceof CardHsmError ? e : storeUnavailable(e);
    }
  }

  #retryBusy<T>(fn: () => T): T {
    const deadline = Date.now() + BUSY_GIVE_UP_MS;
    for (;;) {
      try {
        return fn();
      } catch (e) {
        if (!isBusy(e) || Date.now() > deadline) throw storeUnavailable(e);
      }
    }
  }

  #run(statement: Statement, params: unknown[]): Row[] {
    let s = this.#statements.get(statement);
    if (!s) {
      s = this.#db.prepare(named(SQL[statement]));
      this.#statements.set(statement, s);
    }
    if (s.reader) return s.all(bind(params)) as Row[];
    s.run(bind(params));
    return [];
  }

  protected async query(statement: Statement, params: unknown[]): Promise<Row[]> {
    if (READS.has(statement)) return this.#retryBusy(() => this.#run(statement, params));
    return new Promise<Row[]>((resolve, reject) => {
      this.#pending.push({ statement, params, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  /**
   * Runs the waiting writes in one IMMEDIATE transaction. A statement that fails is undone alone (SQLite aborts the
   * statement, not the transaction) and rejects its own caller; a commit that fails rejects them all.
   */
  #flush(): void {
    this.#scheduled = false;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return;
    let outcomes: Array<{ rows: Row[] } | { error: unknown }> = [];
    try {
      this.#retryBusy(() => {
        outcomes = [];
        this.#db
          .transaction(() => {
            for (const w of batch) {
              try {
                outcomes.push({ rows: this.#run(w.statement, w.params) });
              } catch (e) {
                if (isBusy(e)) throw e; // the whole transaction is retried
                outcomes.push({ error: e });
              }
            }
          })
          .immediate();
      });
    } catch (e) {
      for (const w of batch) w.reject(e instanceof CardHsmError ? e : storeUnavailable(e));
      return;
    }
    batch.forEach((w, i) => {
      const o = outcomes[i]!;
      if ('error' in o) w.reject(storeUnavailable(o.error));
      else w.resolve(o.rows);
    });
  }

  async close(): Promise<void> {
    this.#flush(); // writes already accepted are committed (or rejected), never dropped
    this.#db.close();
  }
}
