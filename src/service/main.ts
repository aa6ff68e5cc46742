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
export { sign, bodySha256 } from './auth.js';
export { SIGNATURE_HEADERS, canonicalString } from './signature.js';
export { checkKeys } from './context.js';

/**
 * What startService needs: the checked configuration (resolveConfig), the LMK (32 bytes) and, optionally, a clock
 * (milliseconds), a log line sink and the job runner's poll interval (ms). The example starts a second service from
 * the `service`'s configuration file on a store of its own.
 * @example
 * const options = { config: resolveConfig({ ...configFile, store: `sqlite:${tmp}/start-options.db` }, {}), lmk: lmkFromHex('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F'), jobPollMs: 500 }
 * const running = await startService(options)
 * (await (await fetch(`${running.url}/healthz`)).json())  // => { data: { status: 'ok' } }
 * await running.close()  // => undefined
 */
export interface StartOptions {
  /** The checked configuration (resolveConfig); the listen port 0 binds a free port. */
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

/**
 * A started service: its URL (with the port actually bound), the Fastify app and the handlers' context, and close(),
 * which stops taking requests, lets the running job chunk finish and closes the databases (calling it again waits
 * for the same close).
 * @example
 * const running = await startService({ config: resolveConfig({ ...configFile, store: `sqlite:${tmp}/running.db` }, {}), lmk: lmkFromHex('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F') })
 * [/^http:\/\/127\.0\.0\.1:[0-9]+$/.test(running.url), running.ctx.config.groups.size]  // => [true, 3]
 * await running.close()  // => undefined
 * await fetch(`${running.url}/healthz`).then((r) => r.status, (e) => e.name)  // => 'TypeError'
 */
export interface RunningService {
  /** http://host:port (the bound port when the configuration asked for port 0). */
  url: string;
  app: App;
  ctx: Ctx;
  close(): Promise<void>;
}

/**
 * The route modules startService registers (cards, batches, embosser, PIN, accounts): each a function that declares
 * its routes to a registrar. Between them they serve every operation of ROUTE_ACCESS; the example collects their
 * operationIds with a registrar that only records them.
 * @example
 * const operations = []
 * ROUTES.forEach((register) => register({ route: (route) => operations.push(route.operationId) }))
 * operations.sort()  // => Object.keys(ROUTE_ACCESS).sort()
 */
export const ROUTES = [cardRoutes, batchRoutes, embosserRoutes, pinRoutes, accountRoutes];

async function openStore(target: ServiceConfig['store']): Promise<Store> {
  if (target.startsWith('sqlite:')) {
    const { SqliteStore } = await import('../store/sqlite.js');
    return new SqliteStore({ path: target.slice('sqlite:'.length) });
  }
  const { PostgresStore } = await import('../store/postgres.js');
  return new PostgresStore({ connectionString: target, max: 20 });
}

/**
 * Starts the card-management API (what `cardhsm serve` runs): checks every key block under the LMK (checkKeys),
 * opens the database and the Hsm's store named by `config.store` (migrations run once, under a lock), builds the
 * Hsms (so the caller may wipe `lmk` once this resolves), listens on `config.host`:`config.port` and starts the job
 * runner. The example starts a service on SQLite in `tmp`, asks its readiness probe, and stops it; then a start under
 * another LMK, refused before anything is opened.
 *
 * @throws ConfigError (a key block of the wrong usage, or one that does not verify under this LMK: every problem with
 * its JSON path), ERR_STORE_UNAVAILABLE (the database cannot be opened or migrated), or the listen error (a port in
 * use).
 * @example
 * const running = await startService({ config: resolveConfig({ ...configFile, store: `sqlite:${tmp}/start.db` }, {}), lmk: lmkFromHex('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F') })
 * (await (await fetch(`${running.url}/readyz`)).json())  // => { data: { status: 'ready' } }
 * await running.close()  // => undefined
 * const otherLmk = lmkFromHex('F0E0D0C0B0A090807060504030201000F1E1D1C1B1A191817161514131211101')
 * await startService({ config: resolveConfig({ ...configFile, store: `sqlite:${tmp}/refused.db` }, {}), lmk: otherLmk }).catch((e) => [e.name, e.problems[0]])  // => ['ConfigError', '/record_key: the key block does not verify under this LMK']
 */
export async function startService(o: StartOptions): Promise<RunningService> {
  const problems = checkKeys(o.config, o.lmk);
  if (problems.length > 0) throw new ConfigError(problems);
  const database = await openDatabase(o.config.store);
  let store: Store | undefined;
  try {
    store = await openStore(o.config.store);
    const ctx = createContext({
      config: o.config,
      lmk: o.lmk,
      database,
      store,
      nodeId: randomBytes(8).toString('hex'),
      ...(o.now ? { now: o.now } : {}),
      ...(o.log ? { log: o.log } : {}),
    });
    const runner = new JobRunner(ctx);
    const { app } = await buildApp(ctx, runner, ROUTES);
    await app.listen({ host: o.config.host, port: o.config.port });
    const address = app.server.address();
    if (address === null || typeof address === 'string')
      throw new CardHsmError('ERR_INTERNAL', 'the server has no TCP address');
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
