// Loading an optional database driver (a CommonJS package) when a store is constructed, not when its module is
// imported: a missing driver is then a typed error naming the package to install, never ERR_MODULE_NOT_FOUND.
// Only the adapters import this (it is the one place the stores touch node:module).
import { createRequire } from 'node:module';
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
