// A real `cardhsm serve` service for tests, in this process, on 127.0.0.1 with a free port: SQLite in a temporary
// folder, or a PostgreSQL URL. Keys are imported from known clear components (so tests can decrypt exports and
// look for clear keys in database dumps); one API client per role plus one with every role.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCipheriv } from 'node:crypto';
import { ACTIVITIES, Hsm, hexToBytes, type KeyAlgorithm } from '../../src/index.js';
import { resolveConfig, startService, type RunningService } from '../../src/service/main.js';
import { CardhsmClient } from '../../src/client/index.js';
import { ROLES, type Role } from '../../src/service/roles.js';

export const LMK_HEX = '000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F';

/** Clear test keys (hex): what a dump must never contain. */
export const CLEAR_KEYS = {
  cvk: '0123456789ABCDEFFEDCBA9876543210',
  panKey: '2B7E151628AED2A6ABF7158809CF4F3C2B7E151628AED2A6ABF7158809CF4F3C',
  pinKey: '0123456789ABCDEF89ABCDEF01234567',
  pvk: '1C1C1C1C1C1C1C1C0123456789ABCDEF',
  tokenKey: '000102030405060708090A0B0C0D0E0F',
  imk: '00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF',
  recordKey: 'F0E1D2C3B4A5968778695A4B3C2D1E0FF0E1D2C3B4A5968778695A4B3C2D1E0F',
  zpk: 'FEDCBA98765432100123456789ABCDEF',
  transport: 'ABCDEF01234567890123456789ABCDEF',
};

export const SECRETS: Record<string, string> = Object.fromEntries(
  [...ROLES, 'all', 'none'].map((r) => [`cli-${r.replace('_', '-')}`, `secret-of-${r}-`.padEnd(40, 'x')]),
);

let blocks: Record<string, string> | undefined;

/** Key blocks of the clear test keys under the test LMK (made once per process). */
export function keyBlocks(): Record<string, string> {
  if (blocks) return blocks;
  const hsm = new Hsm({
    lmk: hexToBytes(LMK_HEX),
    activities: [...ACTIVITIES],
    development: { allowSingleComponent: true, warn: () => {} },
  });
  const load = (usage: string, algorithm: KeyAlgorithm, hex: string, modeOfUse?: string) =>
    hsm.importKeyComponents({
      usage,
      algorithm,
      components: [hexToBytes(hex)],
      allowSingleComponent: true,
      fixParity: true,
      ...(modeOfUse ? { modeOfUse } : {}),
    }).keyBlock;
  blocks = {
    cvk: load('C0', 'TDES2', CLEAR_KEYS.cvk),
    pan_key: load('D0', 'AES256', CLEAR_KEYS.panKey),
    pin_key: load('P0', 'TDES2', CLEAR_KEYS.pinKey),
    pvk: load('V2', 'TDES2', CLEAR_KEYS.pvk),
    token_key: load('D0', 'AES128', CLEAR_KEYS.tokenKey),
    imk: load('E6', 'HMAC256', CLEAR_KEYS.imk),
    record_key: load('D0', 'AES256', CLEAR_KEYS.recordKey),
    zpk: load('P0', 'TDES2', CLEAR_KEYS.zpk),
    transport: load('D0', 'TDES2', CLEAR_KEYS.transport, 'E'),
  };
  return blocks;
}

export interface ConfigOptions {
  store: string;
  groups?: Array<Record<string, unknown>>;
  jobs?: { lease_seconds?: number; chunk_size?: number };
  port?: number;
  /** cors.origins: the browser origins whose pages may call the service. */
  corsOrigins?: string[];
}

export const GROUP = 'afg-test';
export const DCVV_GROUP = 'afg-dcvv';
export const NOCODE_GROUP = 'afg-nocode';

/** The configuration file object of a test service. */
export function testConfig(o: ConfigOptions): Record<string, unknown> {
  const k = keyBlocks();
  const base = {
    key_set: 'main',
    bin: '45717360',
    card_types: ['VIRTUAL', 'PHYSICAL'],
    product_type: 'PREPAID',
    provider: 'VISA',
    country_code: 'ARG',
    innominate: true,
    months_to_expiration: 36,
    activation_code_enabled: true,
    dcvv_enabled: false,
    pin_try_limit: 3,
  };
  return {
    listen: { host: '127.0.0.1', port: o.port ?? 0 },
    store: o.store,
    record_key: k.record_key,
    jobs: { lease_seconds: 30, chunk_size: 100, ...o.jobs },
    ...(o.corsOrigins ? { cors: { origins: o.corsOrigins } } : {}),
    key_sets: {
      main: { cvk: k.cvk, pan_key: k.pan_key, pin_key: k.pin_key, pvk: k.pvk, token_key: k.token_key, imk: k.imk },
    },
    affinity_groups: o.groups ?? [
      { id: GROUP, name: 'TEST', ...base },
      { id: DCVV_GROUP, name: 'DCVV', ...base, dcvv_enabled: true, pan_token_type: 'ALPHANUMERIC' },
      {
        id: NOCODE_GROUP,
        name: 'NO CODES',
        ...base,
        bin: '45717361',
        activation_code_enabled: false,
        pin_on_creation: false,
        external_shipping: true,
        innominate: false,
      },
    ],
    clients: [
      ...ROLES.map((r) => ({
        id: `cli-${r.replace('_', '-')}`,
        secret: SECRETS[`cli-${r.replace('_', '-')}`],
        roles: [r],
        zone_pin_key: k.zpk,
        transport_key: k.transport,
      })),
      { id: 'cli-all', secret: SECRETS['cli-all'], roles: [...ROLES], zone_pin_key: k.zpk, transport_key: k.transport },
      { id: 'cli-none', secret: SECRETS['cli-none'], roles: ['cards'] },
    ],
  };
}

export interface TestService {
  service: RunningService;
  url: string;
  dir: string;
  /** A client with every role. */
  all: CardhsmClient;
  as(role: Role | 'all' | 'none'): CardhsmClient;
  close(): Promise<void>;
}

export async function startTestService(o: Partial<ConfigOptions> & { now?: () => number } = {}): Promise<TestService> {
  const dir = mkdtempSync(join(tmpdir(), 'cardhsm-svc-'));
  const store = o.store ?? `sqlite:${join(dir, 'cardhsm.db')}`;
  const config = resolveConfig(testConfig({ ...o, store }), {});
  const lmk = hexToBytes(LMK_HEX);
  const service = await startService({ config, lmk, jobPollMs: 200, ...(o.now ? { now: o.now } : {}) });
  lmk.fill(0); // as `cardhsm serve` does: the service must not need the caller's copy after start
  const as = (role: Role | 'all' | 'none') => {
    const id = `cli-${role.replace('_', '-')}`;
    return new CardhsmClient({
      url: service.url,
      clientId: id,
      secret: SECRETS[id]!,
      ...(o.now ? { now: () => Math.floor(o.now!() / 1000) } : {}),
    });
  };
  return {
    service,
    url: service.url,
    dir,
    all: as('all'),
    as,
    async close() {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An ISO 9564 format 0 PIN block under a clear TDES key (the tester's side: node:crypto, not cardhsm). */
export function pinBlockIso0(pin: string, pan: string, keyHex = CLEAR_KEYS.zpk): string {
  const p = Buffer.from(`0${pin.length}${pin}`.padEnd(16, 'F'), 'hex');
  const a = Buffer.from(`0000${pan.slice(-13, -1)}`, 'hex');
  const block = Buffer.from(p.map((b, i) => b ^ a[i]!));
  const c = createCipheriv('des-ede-ecb', Buffer.from(keyHex, 'hex'), null).setAutoPadding(false);
  return Buffer.concat([c.update(block), c.final()])
    .toString('hex')
    .toUpperCase();
}

export const ADDRESS = {
  street_name: 'Street',
  street_number: '123',
  floor: '5',
  apartment: 'A',
  city: 'Buenos Aires',
  region: 'Buenos Aires',
  country: 'Argentina',
  zip_code: '5653',
  neighborhood: 'Palermo',
};
export const RECEIVER = {
  full_name: 'Gonzalo Iglesias',
  document_type: 'DNI' as const,
  document_number: '35354896',
  telephone_number: '1132421452',
};

/** Polls `check` until it returns a value (bounded: at most `tries` times, `ms` apart). */
export async function eventually<T>(check: () => Promise<T | undefined>, tries = 300, ms = 50): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, ms));
  }
  throw new Error('condition not reached');
}
