// PostgresStore: for card services that run many instances, on node-postgres (an optional peer dependency, loaded
// when a PostgresStore is constructed). Every mutation is one statement, so concurrent instances never lose an
// update; any driver failure — refused connection, server shutdown, timeout — surfaces
// as ERR_STORE_UNAVAILABLE, and the pool reconnects once the server is back.
import type pg from 'pg';
import { CardHsmError } from '../errors.js';
import { SCHEMA, SQL, SqlStore, type Row, type Statement } from './_sql.js';
import { storeUnavailable } from './_checks.js';
import { postgresPool } from './_driver.js';

/**
 * Options of PostgresStore: the server's connection string and the pool size. The example needs no server: the
 * constructor only checks the options (connections are made by the first call), and a non-string
 * connectionString is refused.
 * @example
 * const options = { connectionString: 'postgres://cardhsm@127.0.0.1:1/cardhsm', max: 2 }
 * await new PostgresStore(options).close() // => undefined
 * (() => { try { new PostgresStore({ connectionString: 42 }) } catch (e) { return [e.code, e.field] } })() // => ['ERR_TYPE', 'connectionString']
 */
export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database */
  connectionString: string;
  /** Pool size; default 10. */
  max?: number;
}

/**
 * The Store on PostgreSQL, on node-postgres (an optional peer dependency, loaded when a PostgresStore is
 * constructed), for card services with many instances: every mutation is one statement, the tables are made on
 * first use, and any driver failure (refused connection, shutdown, timeout) is ERR_STORE_UNAVAILABLE, after which
 * the pool reconnects. The example runs without a server: port 1 refuses the connection, so the call fails closed.
 * @example
 * const store = new PostgresStore({ connectionString: 'postgres://cardhsm@127.0.0.1:1/cardhsm' })
 * await store.getAttempts('pin', 'CARD-REF').catch((e) => e.code) // => 'ERR_STORE_UNAVAILABLE'
 * await store.close() // => undefined
 * @throws ERR_TYPE (no connection string), ERR_STORE_UNAVAILABLE (pg missing; from its methods: the server cannot
 *   be reached or written)
 */
export class PostgresStore extends SqlStore {
  readonly #pool: pg.Pool;
  #schema: Promise<void> | undefined;
  #closed: Promise<void> | undefined;

  constructor(options: PostgresStoreOptions) {
    super();
    if (typeof options?.connectionString !== 'string') {
      throw new CardHsmError('ERR_TYPE', '"connectionString" expected a postgres:// URL', 'connectionString');
    }
    this.#pool = postgresPool({ connectionString: options.connectionString, max: options.max ?? 10 });
  }

  /** Creates the tables once per store, under an advisory lock so that concurrent instances do not race. */
  #ensureSchema(): Promise<void> {
    this.#schema ??= (async () => {
      const client = await this.#pool.connect();
      try {
        await client.query('BEGIN');
        await client.query("SELECT pg_advisory_xact_lock(hashtext('cardhsm schema'))");
        for (const ddl of SCHEMA) await client.query(ddl);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    })().catch((e: unknown) => {
      this.#schema = undefined; // try again on the next call
      throw e;
    });
    return this.#schema;
  }

  protected async query(statement: Statement, params: unknown[]): Promise<Row[]> {
    try {
      await this.#ensureSchema();
      return (await this.#pool.query({ name: `cardhsm_${statement}`, text: SQL[statement], values: params }))
        .rows as Row[];
    } catch (e) {
      throw storeUnavailable(e);
    }
  }

  async close(): Promise<void> {
    // Idempotent: pg refuses a second end() with an untyped error.
    this.#closed ??= this.#pool.end().catch((e: unknown) => {
      throw storeUnavailable(e);
    });
    await this.#closed;
  }
}
