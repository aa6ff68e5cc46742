// One contract for every Store adapter — MemoryStore, SqliteStore and PostgresStore (a real server) — so that
// an adapter is correct exactly when it behaves like the others.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CardHsmError, MemoryStore, type Store } from '../src/index.js';
import { SqliteStore } from '../src/store/sqlite.js';
import { PostgresStore } from '../src/store/postgres.js';
import { postgresPool } from '../src/store/_driver.js';
import { postgresAvailable, startPostgres, type Postgres } from './helpers/postgres.js';

let unique = 0;
const ref = () => `CARD${Date.now().toString(36)}${(unique++).toString(36)}`.padEnd(20, 'X');

function contract(name: string, make: () => Promise<Store>, done: () => Promise<void> = async () => {}) {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await make();
    });
    afterAll(async () => {
      await store.close();
      await done();
    });

    test('attempt counters: count, lock at the limit, refuse while locked, reset', async () => {
      const card = ref();
      expect(await store.getAttempts('pin', card)).toEqual({ failed: 0, locked: false });
      expect(await store.recordFailure('pin', card, 3)).toEqual({ failed: 1, locked: false, applied: true });
      expect(await store.recordFailure('pin', card, 3)).toEqual({ failed: 2, locked: false, applied: true });
      expect(await store.recordSuccess('pin', card)).toEqual({ applied: true });
      expect(await store.getAttempts('pin', card)).toEqual({ failed: 0, locked: false });
      for (let i = 1; i <= 3; i++) expect((await store.recordFailure('pin', card, 3)).failed).toBe(i);
      expect(await store.getAttempts('pin', card)).toEqual({ failed: 3, locked: true });
      expect(await store.recordFailure('pin', card, 3)).toEqual({ failed: 3, locked: true, applied: false });
      expect(await store.recordSuccess('pin', card)).toEqual({ applied: false });
      expect(await store.getAttempts('dcvv2', card)).toEqual({ failed: 0, locked: false }); // counters are independent
      await store.resetAttempts('pin', card);
      expect(await store.getAttempts('pin', card)).toEqual({ failed: 0, locked: false });
      expect(await store.recordFailure('pin', ref(), 1)).toEqual({ failed: 1, locked: true, applied: true });
    });

    test('concurrent failures never exceed the limit', async () => {
      const card = ref();
      const results = await Promise.all(Array.from({ length: 40 }, () => store.recordFailure('pin', card, 5)));
      expect(results.filter((r) => r.applied)).toHaveLength(5);
      expect(await store.getAttempts('pin', card)).toEqual({ failed: 5, locked: true });
    });

    test('activation codes: single use, attempt-limited, replaceable', async () => {
      const card = ref();
      expect(await store.consumeActivationCode(card, 'H1', 3)).toEqual({ result: 'NONE', attempts: 0 });
      await store.putActivationCode(card, 'H1');
      expect(await store.consumeActivationCode(card, 'H2', 3)).toEqual({ result: 'MISMATCH', attempts: 1 });
      expect(await store.consumeActivationCode(card, 'H1', 3)).toEqual({ result: 'ACTIVATED', attempts: 1 });
      expect((await store.consumeActivationCode(card, 'H1', 3)).result).toBe('USED');
      await store.putActivationCode(card, 'H3');
      for (let i = 1; i <= 3; i++)
        expect(await store.consumeActivationCode(card, 'HX', 3)).toEqual({ result: 'MISMATCH', attempts: i });
      expect(await store.consumeActivationCode(card, 'H3', 3)).toEqual({ result: 'LOCKED', attempts: 3 });
      const racers = ref();
      await store.putActivationCode(racers, 'OK');
      const race = await Promise.all(Array.from({ length: 10 }, () => store.consumeActivationCode(racers, 'OK', 3)));
      expect(race.filter((r) => r.result === 'ACTIVATED')).toHaveLength(1);
    });

    test('ranges: leases never overlap and stop at the limit', async () => {
      const name = `range-${ref()}`;
      expect(await store.rangeNext(name)).toBe(0);
      const leases = await Promise.all(Array.from({ length: 12 }, () => store.leaseRange(name, 10, 105)));
      const granted = leases.filter((l) => l !== null).sort((a, b) => a!.start - b!.start) as {
        start: number;
        end: number;
      }[];
      expect(granted.map((l) => [l.start, l.end])).toEqual([
        [0, 10],
        [10, 20],
        [20, 30],
        [30, 40],
        [40, 50],
        [50, 60],
        [60, 70],
        [70, 80],
        [80, 90],
        [90, 100],
        [100, 105],
      ]);
      expect(leases.filter((l) => l === null)).toHaveLength(1);
      expect(await store.rangeNext(name)).toBe(105);
      expect(await store.leaseRange(name, 10, 105)).toBeNull();
      expect(await store.leaseRange(name, 10, 2 ** 40)).toEqual({ start: 105, end: 115 }); // large limits (12-digit bodies)
    });

    test('settings and watermarks', async () => {
      const card = ref();
      expect(await store.getSetting(card, 'dcvv2')).toBeUndefined();
      await store.setSetting(card, 'dcvv2', 'enabled');
      expect(await store.getSetting(card, 'dcvv2')).toBe('enabled');
      expect(await store.raiseWatermark(card, 'window', 10)).toBe(true);
      expect(await store.raiseWatermark(card, 'window', 9)).toBe(false);
      expect(await store.raiseWatermark(card, 'window', 10)).toBe(false);
      expect(await store.raiseWatermark(card, 'window', 11)).toBe(true);
      expect(await store.getSetting(card, 'window')).toBe('11');
    });

    test('idempotency records: first writer wins', async () => {
      const key = `idem-${ref()}`;
      expect(await store.getIdempotent(key)).toBeUndefined();
      const writes = await Promise.all(['a', 'b', 'c'].map((v) => store.putIdempotent(key, v)));
      expect(writes.filter((w) => w.created)).toHaveLength(1);
      const winner = writes.find((w) => w.created)!.value;
      expect(writes.every((w) => w.value === winner)).toBe(true);
      expect(await store.getIdempotent(key)).toBe(winner);
    });

    test('malformed arguments are typed errors', async () => {
      await expect(store.getAttempts('pin', '' as string)).rejects.toBeInstanceOf(CardHsmError);
      await expect(store.recordFailure('pin', ref(), -1)).rejects.toMatchObject({ code: 'ERR_FORMAT', field: 'limit' });
      await expect(store.leaseRange('r', 1.5, 10)).rejects.toMatchObject({ code: 'ERR_FORMAT', field: 'size' });
    });
  });
}

contract('MemoryStore', async () => new MemoryStore());

const sqliteDir = mkdtempSync(join(tmpdir(), 'cardhsm-sqlite-'));
contract(
  'SqliteStore',
  async () => new SqliteStore({ path: join(sqliteDir, 'contract.db') }),
  async () => rmSync(sqliteDir, { recursive: true, force: true }),
);

// Without PostgreSQL binaries a local run reports these as skipped (with a SKIP line); CI requires them.
describe.skipIf(!postgresAvailable())('on PostgreSQL', () => {
  let pg: Postgres;
  contract(
    'PostgresStore',
    async () => {
      pg = await startPostgres();
      return new PostgresStore({ connectionString: pg.url });
    },
    async () => pg.destroy(),
  );
});

describe('unavailable stores', () => {
  test('SQLite: a path that cannot be opened is ERR_STORE_UNAVAILABLE', () => {
    expect(() => new SqliteStore({ path: '/nonexistent-dir/x/y.db' })).toThrow(
      expect.objectContaining({ code: 'ERR_STORE_UNAVAILABLE' }),
    );
  });
  test('PostgreSQL: a refused connection is ERR_STORE_UNAVAILABLE', async () => {
    const store = new PostgresStore({ connectionString: 'postgres://postgres@127.0.0.1:1/postgres' });
    await expect(store.getAttempts('pin', 'CARD')).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    await store.close();
  });
});

// The connection the server drops while the pool has lent it out and no query runs on it (inside a transaction,
// say): pg emits 'error' on the client, which, unheard, throws out of the process (seen once in CI, during the
// service's outage test). postgresPool gives every connection a listener.
describe.skipIf(!postgresAvailable())('a PostgreSQL connection dropped by the server while lent out', () => {
  test('the process survives, the held connection refuses its next query, the pool serves the next caller', async () => {
    const server = await startPostgres();
    const pool = postgresPool({ connectionString: server.url, max: 2 });
    try {
      const held = await pool.connect();
      const { pid } = (await held.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!;
      const ended = new Promise((resolve) => held.once('end', resolve)); // 'end' only: an 'error' listener would hide the bug
      await pool.query('SELECT pg_terminate_backend($1)', [pid]);
      await ended;
      await expect(held.query('SELECT 1')).rejects.toThrow();
      held.release(true);
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
    } finally {
      await pool.end();
      server.destroy();
    }
  }, 60_000);
});
