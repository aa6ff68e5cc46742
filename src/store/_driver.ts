// Loading an optional database driver (a CommonJS package) when a store is constructed, not when its module is
// imported: a missing driver is then a typed error naming the package to install, never ERR_MODULE_NOT_FOUND.
// Only the adapters import this (it is the one place the stores touch node:module).
import { createRequire } from 'node:module';
import type pg from 'pg';
import { CardHsmError } from '../errors.js';

/** The driver package `name`, or ERR_STORE_UNAVAILABLE saying how to install it. */
export function loadDriver<T>(name: 'better-sqlite3' | 'pg'): T {
  try {
    return createRequire(import.meta.url)(name) as T;
  } catch (e) {
    const missing = (e as { code?: unknown }).code === 'MODULE_NOT_FOUND';
    throw new CardHsmError(
      'ERR_STORE_UNAVAILABLE',
      missing
        ? `the store needs the optional package ${name}: npm install ${name}`
        : `cannot load ${name} (${(e as Error).name})`,
      'store',
    );
  }
}

/**
 * A pg pool that survives the server dropping its connections (a restart, a failover, `pg_terminate_backend`): the
 * pool's own 'error' covers idle connections, and every connection gets a listener of its own for the moments it
 * is checked out but between queries (inside a transaction, say), when pg would otherwise throw the error out of
 * the process. Queries in flight still fail, and the pool discards a broken connection when it is released.
 */
export function postgresPool(options: pg.PoolConfig): pg.Pool {
  const { Pool } = loadDriver<typeof pg>('pg');
  const pool = new Pool({ connectionTimeoutMillis: 5_000, query_timeout: 15_000, ...options });
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
