// The service entry (`cardhsm/service`, and `cardhsm serve`): opens the database and the Hsm's store, checks every
// configured key block under the LMK, builds the app, listens, and starts the job runner. `close()` stops taking
// requests, lets the running job chunk finish, and closes the databases. The caller (the CLI) owns the process:
// signals, the LMK source and the development files.
import { randomBytes } from 'node:crypto';
import { CardHsmError } from '../errors.js';
import type { Store } from '../store/store.js';
import { buildApp, type App } from './app.js';
import { ConfigError, type ServiceConfig } from './config.js';
import { checkKeys, createContext, type Ctx } from './context.js';
import { openDatabase } from './db.js';
import { JobRunner } from './jobs.js';
import { purgeNonces } from './idempotency.js';
import { cardRoutes } from './routes/cards.js';
import { batchRoutes } from './routes/batches.js';
import { embosserRoutes } from './routes/embosser.js';
import { pinRoutes } from './routes/pin.js';
import { accountRoutes } from './routes/accounts.js';

export { resolveConfig, ConfigError, type ServiceConfig, type AffinityGroup, type ApiClient } from './config.js';
export { ROLES, ROUTE_ACCESS, type Role } from './roles.js';
export { SIGNATURE_HEADERS, canonicalString, sign, bodySha256 } from './auth.js';
export { checkKeys } from './context.js';

export interface StartOptions {
  config: ServiceConfig;
  /** The LMK (32 bytes); copied by the Hsms, so the caller may wipe it after start. */
  lmk: Uint8Array;
  /** Milliseconds since the epoch; default Date.now (tests inject a clock). */
  now?: () => number;
  /** One line per event worth a human's eye (start, internal errors): never a PAN, PIN, key or secret. */
  log?: (line: string) => void;
  /** How often idle nodes look for jobs, ms (default 1000). */
  jobPollMs?: number;
}

export interface RunningService {
  /** http://host:port (the bound port when the configuration asked for port 0). */
  url: string;
  app: App;
  ctx: Ctx;
  close(): Promise<void>;
}

export const ROUTES = [cardRoutes, batchRoutes, embosserRoutes, pinRoutes, accountRoutes];

async function openStore(target: ServiceConfig['store']): Promise<Store> {
  if (target.startsWith('sqlite:')) {
    const { SqliteStore } = await import('../store/sqlite.js');
    return new SqliteStore({ path: target.slice('sqlite:'.length) });
  }
  const { PostgresStore } = await import('../store/postgres.js');
  return new PostgresStore({ connectionString: target, max: 20 });
}

export async function startService(o: StartOptions): Promise<RunningService> {
  const problems = checkKeys(o.config, o.lmk);
  if (problems.length > 0) throw new ConfigError(problems);
  const database = await openDatabase(o.config.store);
  let store: Store | undefined;
  try {
    store = await openStore(o.config.store);
    const ctx = createContext({ config: o.config, lmk: o.lmk, database, store, nodeId: randomBytes(8).toString('hex'), ...(o.now ? { now: o.now } : {}), ...(o.log ? { log: o.log } : {}) });
    const runner = new JobRunner(ctx);
    const { app } = await buildApp(ctx, runner, ROUTES);
    await app.listen({ host: o.config.host, port: o.config.port });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new CardHsmError('ERR_INTERNAL', 'the server has no TCP address');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    runner.start(o.jobPollMs ?? 1000);
    const purge = setInterval(() => void purgeNonces(ctx).catch(() => {}), 60_000);
    purge.unref();
    let closing: Promise<void> | undefined;
    return {
      url: `http://${host}:${address.port}`,
      app,
      ctx,
      close() {
        closing ??= (async () => {
          clearInterval(purge);
          await app.close();
          await runner.stop();
          await store!.close();
          await database.close();
        })();
        return closing;
      },
    };
  } catch (e) {
    await store?.close().catch(() => {});
    await database.close().catch(() => {});
    throw e;
  }
}
