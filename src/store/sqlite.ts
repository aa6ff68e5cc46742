// SqliteStore: the embedded default — one file, WAL mode, on better-sqlite3 (an optional dependency, loaded when
// a SqliteStore is constructed). Processes on one machine share the file; SQLite serializes writers, and a writer
// waits (busy timeout 5 s, then retries for up to a minute) rather than failing: busy is never reported as
// unavailable.
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
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || (typeof code === 'string' && code.startsWith('SQLITE_BUSY'));
}

/**
 * The Store in one SQLite file (WAL mode, synchronous=FULL), on better-sqlite3 (an optional dependency, loaded
 * when a SqliteStore is constructed): the embedded default, shared by the processes of one machine. Busy is
 * waited out (5 s busy timeout, then retries up to a minute), never reported. State survives closing and
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
        this.#db.transaction(() => SCHEMA.forEach((ddl) => this.#db.exec(ddl))).immediate();
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

  protected async query(statement: Statement, params: unknown[]): Promise<Row[]> {
    return this.#retryBusy(() => {
      let s = this.#statements.get(statement);
      if (!s) {
        s = this.#db.prepare(named(SQL[statement]));
        this.#statements.set(statement, s);
      }
      return s.reader ? (s.all(bind(params)) as Row[]) : (s.run(bind(params)), []);
    });
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}
