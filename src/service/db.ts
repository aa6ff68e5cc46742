// The service's card records, in the store's own database (the SQLite file or the PostgreSQL database the Hsm's
// store uses), through Kysely: typed queries and one migration list that both dialects run. What is kept: card
// records with the PAN sealed under the record key (AES-256-CBC, random IV) and its keyed reference (cardRef) for
// lookups — never a clear PAN, CVV or PIN; shipments, accounts, durable jobs, idempotency records per client and
// the signature nonces of the last 300 s. Booleans are 0/1 integers and times ISO-8601 text (lease deadlines are
// epoch milliseconds), so that one query reads the same on both databases.
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Compilable,
  type Migration,
  type MigrationProvider,
} from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import { loadDriver, postgresPool } from '../store/_driver.js';
import { storeUnavailable } from '../store/_checks.js';

export interface CardsTable {
  id: string;
  card_ref: string;
  pan_enc: string;
  last_four: string;
  expiry: string;
  service_code: string;
  status: string;
  status_reason: string | null;
  card_type: string;
  product_type: string;
  provider: string;
  innominate: number;
  affinity_group_id: string;
  user_id: string | null;
  shipment_id: string | null;
  account_id: string | null;
  cardholder_name: string | null;
  country_code: string;
  start_date: string;
  activated_at: string | null;
  previous_card_id: string | null;
  activation_lookup: string | null;
  job_id: string | null;
  job_seq: number | null;
  limits: string | null;
  dcvv: number;
  client_id: string;
  /** `client/idempotency-key` of the request that created the card: a retry finds it instead of making another. */
  request_key: string | null;
  created_at: string;
  updated_at: string;
}

export interface ShipmentsTable {
  id: string;
  kind: string;
  distribution_type: string | null;
  address: string | null;
  receiver: string | null;
  created_at: string;
  updated_at: string;
}

export interface AccountsTable {
  id: string;
  user_id: string;
  status: string;
  client_id: string;
  created_at: string;
}

export interface JobsTable {
  id: string;
  kind: string;
  client_id: string;
  affinity_group_id: string;
  quantity: number;
  issued: number;
  status: string;
  params: string;
  shipment_id: string | null;
  lease_owner: string | null;
  lease_until: number;
  error: string | null;
  created_at: string;
  updated_at: string;
}

export interface IdempotencyTable {
  client_id: string;
  key: string;
  request_hash: string;
  state: string;
  status_code: number | null;
  response: string | null;
  lease_until: number;
  created_at: string;
}

export interface NoncesTable {
  client_id: string;
  nonce: string;
  expires_at: number;
}

/** SQLite's write-behind nonce ledger: one row per flush, its nonces as JSON [client, nonce, expiresAt] triples. */
export interface NonceBatchesTable {
  expires_at: number;
  nonces: string;
}

export interface Database {
  svc_cards: CardsTable;
  svc_shipments: ShipmentsTable;
  svc_accounts: AccountsTable;
  svc_jobs: JobsTable;
  svc_idempotency: IdempotencyTable;
  svc_nonces: NoncesTable;
  svc_nonce_batches: NonceBatchesTable;
}

export type Db = Kysely<Database>;

const MIGRATIONS: Record<string, Migration> = {
  '0001_cards': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('svc_cards')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('card_ref', 'text', (c) => c.notNull().unique())
        .addColumn('pan_enc', 'text', (c) => c.notNull())
        .addColumn('last_four', 'text', (c) => c.notNull())
        .addColumn('expiry', 'text', (c) => c.notNull())
        .addColumn('service_code', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_reason', 'text')
        .addColumn('card_type', 'text', (c) => c.notNull())
        .addColumn('product_type', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('innominate', 'integer', (c) => c.notNull())
        .addColumn('affinity_group_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('shipment_id', 'text')
        .addColumn('account_id', 'text')
        .addColumn('cardholder_name', 'text')
        .addColumn('country_code', 'text', (c) => c.notNull())
        .addColumn('start_date', 'text', (c) => c.notNull())
        .addColumn('activated_at', 'text')
        .addColumn('previous_card_id', 'text')
        .addColumn('activation_lookup', 'text', (c) => c.unique())
        .addColumn('job_id', 'text')
        .addColumn('job_seq', 'integer')
        .addColumn('limits', 'text')
        .addColumn('dcvv', 'integer', (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('request_key', 'text', (c) => c.unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      for (const column of ['status', 'user_id', 'shipment_id', 'affinity_group_id', 'start_date']) {
        await db.schema.createIndex(`svc_cards_${column}`).on('svc_cards').column(column).execute();
      }
      await db.schema.createIndex('svc_cards_job').on('svc_cards').columns(['job_id', 'job_seq']).unique().execute();
      await db.schema
        .createTable('svc_shipments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('distribution_type', 'text')
        .addColumn('address', 'text')
        .addColumn('receiver', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('svc_accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('svc_jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('affinity_group_id', 'text', (c) => c.notNull())
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('issued', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('shipment_id', 'text')
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'bigint', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('svc_jobs_status').on('svc_jobs').column('status').execute();
      await db.schema
        .createTable('svc_idempotency')
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('response', 'text')
        .addColumn('lease_until', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('svc_idempotency_pk', ['client_id', 'key'])
        .execute();
      await db.schema
        .createTable('svc_nonces')
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('svc_nonces_pk', ['client_id', 'nonce'])
        .execute();
      await db.schema.createIndex('svc_nonces_expiry').on('svc_nonces').column('expires_at').execute();
    },
  },
  // SQLite's nonces, written behind in batches (nonceLedger): one row per 100 ms instead of one per request, whose
  // three B-tree inserts cost a signed read about a tenth of its time. PostgreSQL keeps one row per nonce in
  // svc_nonces, where its primary key is what refuses a replay across nodes.
  '0002_nonce_batches': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('svc_nonce_batches')
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('nonces', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('svc_nonce_batches_expiry').on('svc_nonce_batches').column('expires_at').execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export interface ServiceDatabase {
  kind: 'sqlite' | 'postgres';
  /** Card records, jobs, idempotency. */
  db: Db;
  /** Records a signature nonce; false when the client used it before (a replay). */
  spendNonce(clientId: string, nonce: string, expiresAt: number): Promise<boolean>;
  /** Deletes the nonces that expired before `now` (epoch milliseconds). */
  purgeNonces(now: number): Promise<void>;
  /**
   * A hot lookup compiled once: its first row for other parameters (in the order of the compiled placeholders).
   * On SQLite it runs synchronously on a read-only connection of its own, so it sees committed rows only and never
   * queues behind a transaction holding the records connection; on PostgreSQL it runs through the pool.
   */
  lookup<R>(query: Compilable<R>): (parameters: readonly unknown[]) => Promise<R | undefined>;
  /** SQLite file path, or the PostgreSQL URL (for the Hsm's store). */
  target: string;
  close(): Promise<void>;
}

/**
 * Opens the database named by `store` (`sqlite:<path>` or postgres://…) and runs the migrations (once, under the
 * migrator's lock, so concurrent nodes may start together). On SQLite the records connection keeps
 * synchronous=FULL like the Hsm's store; nonces go through nonceLedger on a connection with synchronous=NORMAL.
 */
export async function openDatabase(store: string): Promise<ServiceDatabase> {
  let result: ServiceDatabase;
  if (store.startsWith('sqlite:')) {
    const path = store.slice('sqlite:'.length);
    const Driver = loadDriver<typeof BetterSqlite3>('better-sqlite3');
    // A writer sets WAL and its durability; the lookups' reader only reads what the writers committed.
    const open = (mode: 'FULL' | 'NORMAL' | 'readonly') => {
      try {
        const d = new Driver(path, { timeout: 5_000, readonly: mode === 'readonly' });
        if (mode === 'readonly') return d;
        d.pragma('journal_mode = WAL');
        d.pragma(`synchronous = ${mode}`);
        return d;
      } catch (e) {
        throw storeUnavailable(e);
      }
    };
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachedStatements(open('FULL')) }) });
    const ledger = nonceLedger(cachedStatements(open('NORMAL')));
    // Opened on first use: the migrations below create the tables it reads.
    let reader: BetterSqlite3.Database | undefined;
    result = {
      kind: 'sqlite',
      db,
      spendNonce: ledger.spend,
      purgeNonces: ledger.purge,
      lookup(query) {
        const { sql: text } = query.compile();
        let statement: BetterSqlite3.Statement | undefined;
        let names: string[] = [];
        return async (parameters) => {
          if (!statement) {
            reader ??= open('readonly');
            statement = reader.prepare(text).raw(true);
            names = statement.columns().map((c) => c.name);
          }
          const values = statement.get(parameters as unknown[]) as unknown[] | undefined;
          return values && (rowOf(names, values) as never);
        };
      },
      target: path,
      async close() {
        ledger.stop();
        reader?.close();
        await db.destroy();
      },
    };
  } else {
    const pool = postgresPool({ connectionString: store, max: 20 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const spendNonce = async (clientId: string, nonce: string, expiresAt: number) =>
      (await db
        .insertInto('svc_nonces')
        .values({ client_id: clientId, nonce, expires_at: expiresAt })
        .onConflict((oc) => oc.columns(['client_id', 'nonce']).doNothing())
        .returning('nonce')
        .executeTakeFirst()) !== undefined;
    const lookup = <R>(query: Compilable<R>) => {
      const compiled = query.compile();
      return async (parameters: readonly unknown[]) => (await db.executeQuery<R>({ ...compiled, parameters })).rows[0];
    };
    const purgeNonces = async (now: number) => {
      await db.deleteFrom('svc_nonces').where('expires_at', '<', now).execute();
    };
    result = { kind: 'postgres', db, spendNonce, purgeNonces, lookup, target: store, close: () => db.destroy() };
  }
  try {
    const { error } = await new Migrator({
      db: result.db as unknown as Kysely<unknown>,
      provider,
      migrationTableName: 'svc_migrations',
      migrationLockTableName: 'svc_migrations_lock',
    }).migrateToLatest();
    if (error) throw error;
  } catch (e) {
    await result.close().catch(() => {});
    throw storeUnavailable(e);
  }
  return result;
}

/**
 * A better-sqlite3 connection whose prepare() reuses statements: Kysely prepares every query it runs (and the nonce
 * ledger its three), and on the hot paths preparing cost more than running. Kysely holds the connection under a
 * mutex, the ledger runs each statement to its end, and neither iterates, so reusing one is safe.
 */
function cachedStatements(d: BetterSqlite3.Database): { prepare(sql: string): BetterSqlite3.Statement; close(): void } {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(text: string) {
      let s = cache.get(text);
      if (!s) {
        s = d.prepare(text);
        if (cache.size >= 256) cache.delete(cache.keys().next().value!);
        cache.set(text, s);
      }
      return s;
    },
    close: () => d.close(),
  };
}

/**
 * Signature nonces on SQLite (one node per database file): answered from memory — a set per 10-second bucket of
 * expiry, dropped whole once expired — and written behind every 100 ms as one svc_nonce_batches row, from which a
 * restarted node reloads the unexpired ones. A signed read thus costs no write on its path; what a crash can lose
 * is the last 100 ms of nonces, replayable within their 300 s only across that crash. A batch that does not parse
 * fails the reload closed (503). (PostgreSQL, with several nodes, records every nonce before answering.)
 */
function nonceLedger(d: ReturnType<typeof cachedStatements>): {
  spend: (clientId: string, nonce: string, expiresAt: number) => Promise<boolean>;
  purge: (now: number) => Promise<void>;
  stop: () => void;
} {
  const buckets = new Map<number, Set<string>>();
  let pending: Array<[string, string, number]> = [];
  let loaded = false;
  const bucketOf = (expiresAt: number) => Math.floor(expiresAt / 10_000);
  const remember = (key: string, expiresAt: number) => {
    const b = bucketOf(expiresAt);
    let set = buckets.get(b);
    if (!set) {
      set = new Set();
      buckets.set(b, set);
    }
    set.add(key);
  };
  const flush = () => {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    try {
      const latest = batch.reduce((m, n) => Math.max(m, n[2]), 0);
      d.prepare('INSERT INTO svc_nonce_batches (expires_at, nonces) VALUES (?, ?)').run(latest, JSON.stringify(batch));
    } catch {
      pending.unshift(...batch); // kept in memory (still refused as replays); written on the next flush
    }
  };
  const reload = () => {
    const now = Date.now();
    try {
      const rows = d.prepare('SELECT nonces FROM svc_nonce_batches WHERE expires_at >= ?').pluck().all(now) as string[];
      for (const text of rows)
        for (const [clientId, nonce, expiresAt] of JSON.parse(text) as Array<[string, string, number]>)
          if (expiresAt >= now) remember(`${clientId}\n${nonce}`, expiresAt);
    } catch (e) {
      throw storeUnavailable(e);
    }
    loaded = true;
  };
  const timer = setInterval(() => {
    flush();
    const now = bucketOf(Date.now());
    for (const b of buckets.keys()) if (b < now) buckets.delete(b);
  }, 100);
  timer.unref();
  return {
    async spend(clientId, nonce, expiresAt) {
      if (!loaded) reload();
      const key = `${clientId}\n${nonce}`;
      for (const set of buckets.values()) if (set.has(key)) return false;
      remember(key, expiresAt);
      pending.push([clientId, nonce, expiresAt]);
      return true;
    },
    async purge(now) {
      try {
        d.prepare('DELETE FROM svc_nonce_batches WHERE expires_at < ?').run(now);
      } catch (e) {
        throw storeUnavailable(e);
      }
    },
    stop() {
      clearInterval(timer);
      flush();
      d.close();
    },
  };
}

/**
 * A row as an object, from its values in column order. better-sqlite3 builds each row object through V8's API,
 * internalizing every column name again; for the 31 columns of a card that cost more than the query.
 */
function rowOf(names: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) row[names[i]!] = values[i];
  return row;
}

/** A cheap round trip: the readiness probe. */
export async function ping(db: Db): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
