// `cardhsm serve`: the card-management API over HTTP (src/service). With --config it runs what the file says
// (validated at start, every problem listed with its JSON path). Without it, a development service: the
// development LMK and keys of `cardhsm issue` (same loud warning), the embedded SQLite store ./cardhsm.db, one
// development affinity group and one development API client with every role, whose credentials go to
// ./cardhsm-dev-client.json (mode 0600) — its secret, and, development only, the clear zone PIN key and transport
// key (32 hex characters) so that a tester can build PIN blocks and decrypt security values. --port 0 binds a
// free port; the file and the start line carry the real URL. SIGINT/SIGTERM stop it cleanly.
import { existsSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { CardHsmError } from '../errors.js';
import { bytesToHex, hexToBytes } from '../bytes.js';
import { lmkFromHex } from '../keys/lmk.js';
import { Hsm } from '../hsm/hsm.js';
import { examples, int } from './calculator.js';
import { readText } from './files.js';
import { developmentKeys, developmentServiceKeys, loadLmk } from './context.js';
import { usageError, type Io } from './output.js';

export const DEV_CLIENT_FILE = 'cardhsm-dev-client.json';
export const DEV_GROUP_ID = 'afg-development';
export const DEV_CLIENT_ID = 'cli-development';

interface DevClient {
  url: string;
  clientId: string;
  secret: string;
  affinityGroupId: string;
  pinKey: string;
  transportKey: string;
}

function readDevClient(): DevClient | undefined {
  if (!existsSync(DEV_CLIENT_FILE)) return undefined;
  try {
    const c = JSON.parse(readFileSync(DEV_CLIENT_FILE, 'utf8')) as DevClient;
    const hex32 = /^[0-9A-F]{32}$/;
    if (typeof c.secret === 'string' && c.secret.length >= 32 && hex32.test(c.pinKey) && hex32.test(c.transportKey))
      return c;
  } catch {
    // an unreadable file is replaced by a fresh development client
  }
  return undefined;
}

/** A random double-length DES key with odd parity, as 32 uppercase hex characters. */
function randomTdesKey(): string {
  const k = randomBytes(16);
  for (let i = 0; i < 16; i++) {
    const b = k[i]! & 0xfe;
    let ones = 0;
    for (let x = b; x; x >>= 1) ones += x & 1;
    k[i] = b | (ones % 2 === 0 ? 1 : 0);
  }
  return bytesToHex(k);
}

/** The development configuration file (as --config would give it) and the development client's clear keys. */
function developmentConfig(
  lmk: Uint8Array,
  store: string,
  host: string,
  port: number,
): { file: Record<string, unknown>; client: Omit<DevClient, 'url'> } {
  const keys = developmentKeys(lmk);
  const service = developmentServiceKeys(lmk);
  const previous = readDevClient();
  const client = previous ?? {
    clientId: DEV_CLIENT_ID,
    secret: randomBytes(32).toString('base64url'),
    affinityGroupId: DEV_GROUP_ID,
    pinKey: randomTdesKey(),
    transportKey: randomTdesKey(),
  };
  // The client's two keys enter as single clear components: development only, announced by the Hsm itself.
  const custodian = new Hsm({
    lmk,
    activities: 'custodian',
    development: { allowSingleComponent: true, warn: () => {} },
  });
  const load = (usage: string, hex: string, modeOfUse?: string) =>
    custodian.importKeyComponents({
      usage,
      algorithm: 'TDES2',
      components: [hexToBytes(hex)],
      allowSingleComponent: true,
      fixParity: true,
      ...(modeOfUse ? { modeOfUse } : {}),
    }).keyBlock;
  const file = {
    listen: { host, port },
    store,
    record_key: service.recordKey,
    key_sets: {
      development: {
        cvk: keys.cvk,
        pan_key: keys.panKey,
        pin_key: keys.pinKey,
        pvk: keys.pvk,
        token_key: keys.tokenKey,
        imk: service.imk,
      },
    },
    affinity_groups: [
      {
        id: DEV_GROUP_ID,
        name: 'DEVELOPMENT',
        key_set: 'development',
        bin: '45717360',
        card_types: ['VIRTUAL', 'PHYSICAL'],
        product_type: 'PREPAID',
        provider: 'VISA',
        country_code: 'ARG',
        innominate: true,
        months_to_expiration: 36,
        activation_code_enabled: true,
        dcvv_enabled: false,
        pin_on_creation: true,
        pin_try_limit: 3,
        pan_token_type: 'NUMERIC',
      },
    ],
    clients: [
      {
        id: client.clientId,
        secret: client.secret,
        roles: ['cards', 'pci', 'back_office', 'cardholder', 'authorization'],
        zone_pin_key: load('P0', client.pinKey),
        transport_key: load('D0', client.transportKey, 'E'),
      },
    ],
  };
  return { file, client };
}

/** The LMK a configuration file names ({ env } or { file }, relative to the file), else the CLI's usual sources. */
function configLmk(
  io: Io,
  spec: unknown,
  baseDir: string,
  lmkFile: string | undefined,
): { lmk: Uint8Array; development: boolean } {
  if (spec !== undefined && spec !== null && typeof spec === 'object') {
    const s = spec as { env?: string; file?: string };
    if (s.env !== undefined) {
      const v = process.env[s.env];
      if (v === undefined)
        throw new CardHsmError('ERR_FORMAT', `the configuration names the LMK in $${s.env}, which is unset`, 'lmk');
      return { lmk: lmkFromHex(v.trim()), development: false };
    }
    if (s.file !== undefined)
      return { lmk: lmkFromHex(readText(resolve(baseDir, s.file), 'lmk.file').trim()), development: false };
  }
  return loadLmk(io, lmkFile);
}

export function registerServe(program: Command, io: Io): void {
  const cmd = program
    .command('serve')
    .description('the card-management API over HTTP (development service without --config)')
    .option(
      '--config <file>',
      'cardhsm.config.json: LMK source, store, key sets, affinity groups, API clients (see README)',
    )
    .option('--host <address>', 'listen address (default 127.0.0.1, or the configuration)')
    .option('--port <n>', 'listen port, 0 for a free one (default 8080, or the configuration)')
    .option(
      '--store <spec>',
      'development service only: sqlite:<path> or a postgres:// URL (default sqlite:./cardhsm.db)',
    )
    .option('--check', 'check the configuration (shape, references, every key block under the LMK) and exit');
  // The example must end by itself (test/cli.test.ts runs every help example): the check, not the server.
  examples(cmd, [
    'cardhsm serve --check',
    'cardhsm serve: configuration OK: 1 affinity group, 1 API client, store sqlite:…',
  ]);
  cmd.action(async (o: Record<string, string | undefined>, c: Command) => {
    const g = c.optsWithGlobals() as { lmkFile?: string };
    const port = o.port === undefined ? undefined : int(o.port, '--port');
    if (port !== undefined && (port < 0 || port > 65535))
      throw new CardHsmError('ERR_FORMAT', '--port expected 0..65535', '--port');
    const { resolveConfig, ConfigError, startService, checkKeys } = await import('../service/main.js');
    let fileConfig: Record<string, unknown>;
    let lmk: Uint8Array;
    let dev: Omit<DevClient, 'url'> | undefined;
    if (o.config !== undefined) {
      if (o.store !== undefined)
        throw usageError('--store is for the development service; with --config the store is the file\'s "store"');
      try {
        fileConfig = JSON.parse(readText(o.config, '--config')) as Record<string, unknown>;
      } catch (e) {
        if (e instanceof CardHsmError) throw e;
        throw new CardHsmError('ERR_FORMAT', '--config is not valid JSON', '--config');
      }
      lmk = configLmk(io, fileConfig?.lmk, dirname(resolve(o.config)), g.lmkFile).lmk;
    } else {
      const source = loadLmk(io, g.lmkFile);
      if (!source.development)
        throw usageError(
          'a real LMK needs --config naming its key sets, groups and clients (the development service uses the development LMK)',
        );
      lmk = source.lmk;
      const built = developmentConfig(lmk, o.store ?? 'sqlite:./cardhsm.db', o.host ?? '127.0.0.1', port ?? 8080);
      fileConfig = built.file;
      dev = built.client;
    }
    if (o.host !== undefined || port !== undefined)
      fileConfig.listen = {
        ...((fileConfig.listen as object) ?? {}),
        ...(o.host === undefined ? {} : { host: o.host }),
        ...(port === undefined ? {} : { port }),
      };
    let config: ReturnType<typeof resolveConfig>;
    try {
      config = resolveConfig(fileConfig, process.env);
    } catch (e) {
      if (e instanceof ConfigError) {
        io.err(`cardhsm: ERR_CONFIG: ${e.message}`);
        process.exitCode = 2;
        return;
      }
      throw e;
    }
    if (config.store.startsWith('sqlite:'))
      config = { ...config, store: `sqlite:${resolve(config.store.slice('sqlite:'.length))}` };
    if (o.check) {
      const problems = checkKeys(config, lmk);
      lmk.fill(0);
      if (problems.length > 0) {
        io.err(`cardhsm: ERR_CONFIG: ${new ConfigError(problems).message}`);
        process.exitCode = 2;
        return;
      }
      const n = (count: number, what: string) => `${count} ${what}${count === 1 ? '' : 's'}`;
      const store = config.store.startsWith('sqlite:') ? config.store : 'postgres://…';
      io.out(
        `cardhsm serve: configuration OK: ${n(config.groups.size, 'affinity group')}, ${n(config.clients.size, 'API client')}, store ${store}`,
      );
      return;
    }
    let service: Awaited<ReturnType<typeof startService>>;
    try {
      service = await startService({ config, lmk, log: (line) => io.err(`cardhsm serve: ${line}`) });
    } catch (e) {
      if (e instanceof ConfigError) {
        io.err(`cardhsm: ERR_CONFIG: ${e.message}`);
        process.exitCode = 2;
        return;
      }
      throw e;
    } finally {
      lmk.fill(0);
    }
    if (dev) {
      const { clientId, secret, affinityGroupId, pinKey, transportKey } = dev;
      writeFileSync(
        DEV_CLIENT_FILE,
        `${JSON.stringify({ url: service.url, clientId, secret, affinityGroupId, pinKey, transportKey } satisfies DevClient, null, 2)}\n`,
        { mode: 0o600 },
      );
      chmodSync(DEV_CLIENT_FILE, 0o600);
      io.err(
        `cardhsm serve: WARNING: development API client ${dev.clientId} (every role) and affinity group ${dev.affinityGroupId}; credentials and clear development keys in ./${DEV_CLIENT_FILE}`,
      );
    }
    io.out(`cardhsm serve: listening on ${service.url}`);
    await new Promise<void>((done) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void service.close().finally(done);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    io.err('cardhsm serve: stopped');
  });
}
