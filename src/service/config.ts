// The service's configuration (`cardhsm serve --config cardhsm.config.json`): where the LMK comes from, the
// store, the key sets (key blocks under the LMK, never clear keys), the affinity groups and the API clients with
// their roles. Checked whole at start — shape by a TypeBox schema, then references and key usages — and every
// problem is reported with its JSON path, never with a key or secret.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ROLES, type Role } from './roles.js';
import { CARD_TYPES, type CardType, Enum, PAN_TOKEN_TYPES, PRODUCT_TYPES, PROVIDERS } from './schemas.js';

const Id = (prefix: string) => Type.String({ pattern: `^${prefix}-[A-Za-z0-9_-]{1,60}$` });
const KeyBlock = Type.String({ minLength: 16, maxLength: 400, pattern: '^[A-Za-z0-9]+$' });

const KeySet = Type.Object(
  {
    cvk: KeyBlock,
    pan_key: KeyBlock,
    pin_key: KeyBlock,
    pvk: KeyBlock,
    token_key: KeyBlock,
    imk: Type.Optional(KeyBlock),
  },
  { additionalProperties: false },
);

const Group = Type.Object(
  {
    id: Id('afg'),
    name: Type.String({ minLength: 1, maxLength: 60 }),
    key_set: Type.String({ minLength: 1, maxLength: 60 }),
    bin: Type.String({ pattern: '^[0-9]{6,11}$' }),
    pan_length: Type.Optional(Type.Integer({ minimum: 13, maximum: 19 })),
    card_types: Type.Array(Enum(CARD_TYPES), { minItems: 1, uniqueItems: true }),
    product_type: Enum(PRODUCT_TYPES),
    provider: Enum(PROVIDERS),
    country_code: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    innominate: Type.Optional(Type.Boolean()),
    months_to_expiration: Type.Integer({ minimum: 1, maximum: 240 }),
    service_code: Type.Optional(Type.String({ pattern: '^[0-9]{3}$' })),
    activation_code_enabled: Type.Boolean(),
    dcvv_enabled: Type.Boolean(),
    external_shipping: Type.Optional(Type.Boolean()),
    pin_on_creation: Type.Optional(Type.Boolean()),
    pin_try_limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 9 })),
    pan_token_type: Type.Optional(Enum(PAN_TOKEN_TYPES)),
  },
  { additionalProperties: false },
);

const Client = Type.Object(
  {
    id: Id('cli'),
    secret: Type.Optional(Type.String({ minLength: 32, maxLength: 256 })),
    secret_env: Type.Optional(Type.String({ pattern: '^[A-Z_][A-Z0-9_]*$' })),
    roles: Type.Array(Type.Union(ROLES.map((r) => Type.Literal(r))), { minItems: 1, uniqueItems: true }),
    zone_pin_key: Type.Optional(KeyBlock),
    transport_key: Type.Optional(KeyBlock),
  },
  { additionalProperties: false },
);

export const ConfigSchema = Type.Object(
  {
    listen: Type.Optional(
      Type.Object(
        {
          host: Type.Optional(Type.String({ minLength: 1 })),
          port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
        },
        { additionalProperties: false },
      ),
    ),
    lmk: Type.Optional(
      Type.Union([
        Type.Object({ env: Type.String({ pattern: '^[A-Z_][A-Z0-9_]*$' }) }, { additionalProperties: false }),
        Type.Object({ file: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
      ]),
    ),
    store: Type.Optional(Type.String({ pattern: '^(sqlite:.+|postgres(ql)?://.+)$' })),
    cors: Type.Optional(
      Type.Object(
        {
          origins: Type.Array(
            Type.String({ pattern: '^https?://([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?$', maxLength: 300 }),
            { uniqueItems: true, maxItems: 100 },
          ),
        },
        { additionalProperties: false },
      ),
    ),
    record_key: KeyBlock,
    card_ref_key: Type.Optional(KeyBlock),
    audit_log: Type.Optional(Type.String({ minLength: 1 })),
    dcvv2_window_seconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 64800 })),
    jobs: Type.Optional(
      Type.Object(
        {
          lease_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
          chunk_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
        },
        { additionalProperties: false },
      ),
    ),
    key_sets: Type.Record(Type.String({ pattern: '^[A-Za-z0-9_-]{1,60}$' }), KeySet),
    affinity_groups: Type.Array(Group, { minItems: 1 }),
    clients: Type.Array(Client, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export type ConfigFile = Static<typeof ConfigSchema>;
export type GroupConfig = Static<typeof Group>;
export type KeySetConfig = Static<typeof KeySet>;

/**
 * A resolved affinity group (ServiceConfig.groups): the file's `affinity_groups[]` entry in camelCase, with its
 * defaults applied (panLength 16, countryCode ARG, serviceCode 101, pinOnCreation true, pinTryLimit 3, panTokenType
 * NUMERIC, innominate and externalShipping false) and its key set's key blocks attached. The API serves it, without
 * the keys, at GET /cards/v1/config/affinity-groups/{id}. The example reads the group afg-test of the `service`'s
 * configuration file, which leaves those defaults unset.
 * @example
 * const group = resolveConfig(configFile, {}).groups.get('afg-test')
 * [group.bin, group.panLength, group.serviceCode, group.pinTryLimit, group.panTokenType]  // => ['45717360', 16, '101', 3, 'NUMERIC']
 * (await client.getAffinityGroup(group.id)).months_to_expiration === group.monthsToExpiration  // => true
 */
export interface AffinityGroup {
  id: string;
  name: string;
  keySetName: string;
  keys: KeySetConfig;
  bin: string;
  panLength: number;
  cardTypes: readonly CardType[];
  productType: (typeof PRODUCT_TYPES)[number];
  provider: (typeof PROVIDERS)[number];
  countryCode: string;
  innominate: boolean;
  monthsToExpiration: number;
  serviceCode: string;
  activationCodeEnabled: boolean;
  dcvvEnabled: boolean;
  externalShipping: boolean;
  pinOnCreation: boolean;
  pinTryLimit: number;
  panTokenType: (typeof PAN_TOKEN_TYPES)[number];
}

/**
 * A resolved API client (ServiceConfig.clients): its id (`cli-…`), its secret (32-256 characters, from `secret` or
 * the environment variable `secret_env` names), its roles, and the key blocks of its zone PIN key (P0: PIN blocks
 * for validation arrive under it) and transport key (D0 TDES: security values leave under it), if configured. In
 * the example, the `service`'s back-office client signs a call that needs the cards role.
 * @example
 * const backOffice = resolveConfig(configFile, {}).clients.get('cli-back-office')
 * [...backOffice.roles]  // => ['back_office']
 * const api = new CardhsmClient({ url: service, clientId: backOffice.id, secret: backOffice.secret })
 * await api.getAffinityGroup(dev.affinityGroupId).catch((e) => [e.status, e.code])  // => [403, 'FORBIDDEN']
 */
export interface ApiClient {
  id: string;
  secret: string;
  roles: ReadonlySet<Role>;
  zonePinKey: string | undefined;
  transportKey: string | undefined;
}

/**
 * A checked configuration, as resolveConfig returns it and startService and checkKeys take it: the listen address
 * (host, port; 0 for a free port), the store (`sqlite:<path>` or a postgres:// URL), the record key and optional
 * card-reference key blocks, the audit log path, the dynamic CVV2 window (seconds), the job lease (seconds) and chunk
 * size (cards), and the affinity groups and API clients by id. The example resolves the `service`'s configuration
 * file and checks its key blocks under its LMK.
 * @example
 * const config = resolveConfig(configFile, {})
 * [config.host, config.port, config.dcvv2WindowSeconds, config.jobs]  // => ['127.0.0.1', 0, 3600, { leaseSeconds: 30, chunkSize: 100 }]
 * [[...config.groups.keys()], config.clients.size]  // => [['afg-test', 'afg-dcvv', 'afg-nocode'], 7]
 * checkKeys(config, lmkFromHex('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F'))  // => []
 */
export interface ServiceConfig {
  host: string;
  port: number;
  /** `sqlite:<path>` or a postgres:// URL. */
  store: string;
  recordKey: string;
  cardRefKey: string | undefined;
  auditLog: string | undefined;
  dcvv2WindowSeconds: number;
  jobs: { leaseSeconds: number; chunkSize: number };
  /**
   * The browser origins (scheme://host[:port], lower-cased) whose pages may call the API (CORS); none by default.
   * A request from another origin is still answered, without CORS headers, so its browser withholds the answer.
   */
  corsOrigins: readonly string[];
  groups: ReadonlyMap<string, AffinityGroup>;
  clients: ReadonlyMap<string, ApiClient>;
}

/**
 * A refused configuration: `problems` lists each problem as its JSON path and what is wrong (never the value, a key
 * or a secret), and the message joins them. resolveConfig throws it for the shape and the references, startService
 * for key blocks that do not check under the LMK (checkKeys).
 * @example
 * const refused = (file) => { try { resolveConfig(file, {}) } catch (e) { return [e.name, e.problems] } }
 * refused({ ...configFile, clients: [] })  // => ['ConfigError', ['/clients: Expected array length to be greater or equal to 1']]
 * refused({ ...configFile, affinity_groups: [{ ...configFile.affinity_groups[0], key_set: 'other' }] })  // => ['ConfigError', ['/affinity_groups/0/key_set: no key set named "other" in /key_sets']]
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Checks a parsed configuration file (`cardhsm.config.json`, see README "Configuration") and resolves it: the shape
 * (a TypeBox schema: unknown fields refused), then the references (each group's key set, a dcvv group's imk, a BIN
 * that leaves room in its PAN length, unique ids, exactly one of `secret` and `secret_env` per client), with defaults
 * applied (listen 127.0.0.1:8080, store sqlite:./cardhsm.db, a 3600 s dynamic CVV2 window, 30 s job leases, chunks of
 * 100). `env` supplies the `secret_env` values (at least 32 characters). Returns the ServiceConfig and the file's
 * `lmk` source. Key blocks are checked for their usage separately, under the LMK, by the service at start (checkKeys).
 *
 * The example's key blocks are `keys` (the test keys under the test LMK): a minimal file with one group and one client.
 *
 * @throws ConfigError with every problem found (at most 20 of the shape), each with its JSON path.
 * @example
 * const group = { id: 'afg-prepaid', name: 'PREPAID AR', key_set: 'main', bin: '45717360', card_types: ['VIRTUAL'], product_type: 'PREPAID', provider: 'VISA', months_to_expiration: 36, activation_code_enabled: false, dcvv_enabled: false }
 * const file = { record_key: keys.aesDek, key_sets: { main: { cvk: keys.cvk, pan_key: keys.aesDek, pin_key: keys.zpk, pvk: keys.pvk, token_key: keys.aesDek } }, affinity_groups: [group], clients: [{ id: 'cli-backend', secret_env: 'BACKEND_SECRET', roles: ['cards'] }] }
 * const config = resolveConfig(file, { BACKEND_SECRET: 'a secret of at least 32 characters' })
 * [config.host, config.port, config.store, config.groups.get('afg-prepaid').panLength]  // => ['127.0.0.1', 8080, 'sqlite:./cardhsm.db', 16]
 * (() => { try { resolveConfig(file, {}) } catch (e) { return e.problems } })()  // => ['/clients/0/secret_env: the environment variable BACKEND_SECRET is unset or shorter than 32 characters']
 */
export function resolveConfig(
  file: unknown,
  env: Readonly<Record<string, string | undefined>>,
): ServiceConfig & { lmk: ConfigFile['lmk'] } {
  if (!Value.Check(ConfigSchema, file)) {
    const problems = [...Value.Errors(ConfigSchema, file)].slice(0, 20).map((e) => `${e.path || '/'}: ${e.message}`);
    throw new ConfigError(problems);
  }
  const c = file;
  const problems: string[] = [];
  const groups = new Map<string, AffinityGroup>();
  c.affinity_groups.forEach((g, i) => {
    if (groups.has(g.id)) problems.push(`/affinity_groups/${i}/id: duplicate id ${g.id}`);
    const keys = c.key_sets[g.key_set];
    if (!keys)
      problems.push(`/affinity_groups/${i}/key_set: no key set named ${JSON.stringify(g.key_set)} in /key_sets`);
    if (g.dcvv_enabled && keys && keys.imk === undefined)
      problems.push(`/affinity_groups/${i}/dcvv_enabled: the key set ${g.key_set} has no imk (an E6 key)`);
    const panLength = g.pan_length ?? 16;
    if (g.bin.length > panLength - 2)
      problems.push(`/affinity_groups/${i}/bin: ${g.bin.length} digits leave too few for a ${panLength}-digit PAN`);
    groups.set(g.id, {
      id: g.id,
      name: g.name,
      keySetName: g.key_set,
      keys: keys as KeySetConfig,
      bin: g.bin,
      panLength,
      cardTypes: g.card_types,
      productType: g.product_type,
      provider: g.provider,
      countryCode: g.country_code ?? 'ARG',
      innominate: g.innominate ?? false,
      monthsToExpiration: g.months_to_expiration,
      serviceCode: g.service_code ?? '101',
      activationCodeEnabled: g.activation_code_enabled,
      dcvvEnabled: g.dcvv_enabled,
      externalShipping: g.external_shipping ?? false,
      pinOnCreation: g.pin_on_creation ?? true,
      pinTryLimit: g.pin_try_limit ?? 3,
      panTokenType: g.pan_token_type ?? 'NUMERIC',
    });
  });
  const clients = new Map<string, ApiClient>();
  c.clients.forEach((k, i) => {
    if (clients.has(k.id)) problems.push(`/clients/${i}/id: duplicate id ${k.id}`);
    if ((k.secret === undefined) === (k.secret_env === undefined))
      problems.push(`/clients/${i}: give "secret" or "secret_env", exactly one`);
    let secret = k.secret;
    if (k.secret_env !== undefined) {
      secret = env[k.secret_env];
      if (secret === undefined || secret.length < 32)
        problems.push(
          `/clients/${i}/secret_env: the environment variable ${k.secret_env} is unset or shorter than 32 characters`,
        );
    }
    clients.set(k.id, {
      id: k.id,
      secret: secret ?? '',
      roles: new Set(k.roles),
      zonePinKey: k.zone_pin_key,
      transportKey: k.transport_key,
    });
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    host: c.listen?.host ?? '127.0.0.1',
    port: c.listen?.port ?? 8080,
    store: c.store ?? 'sqlite:./cardhsm.db',
    recordKey: c.record_key,
    cardRefKey: c.card_ref_key,
    auditLog: c.audit_log,
    dcvv2WindowSeconds: c.dcvv2_window_seconds ?? 3600,
    jobs: { leaseSeconds: c.jobs?.lease_seconds ?? 30, chunkSize: c.jobs?.chunk_size ?? 100 },
    corsOrigins: (c.cors?.origins ?? []).map((o) => o.toLowerCase()),
    groups,
    clients,
    lmk: c.lmk,
  };
}
