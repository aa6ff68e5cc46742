// The service's configuration (`cardhsm serve --config cardhsm.config.json`): where the LMK comes from, the
// store, the key sets (key blocks under the LMK, never clear keys), the affinity groups and the API clients with
// their roles. Checked whole at start — shape by a TypeBox schema, then references and key usages — and every
// problem is reported with its JSON path, never with a key or secret.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ROLES, type Role } from './roles.js';

export const CARD_TYPES = ['VIRTUAL', 'PHYSICAL'] as const;
export type CardType = (typeof CARD_TYPES)[number];

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
    card_types: Type.Array(Type.Union(CARD_TYPES.map((t) => Type.Literal(t))), { minItems: 1, uniqueItems: true }),
    product_type: Type.Union([Type.Literal('PREPAID'), Type.Literal('CREDIT'), Type.Literal('DEBIT')]),
    provider: Type.Union([Type.Literal('MASTERCARD'), Type.Literal('VISA')]),
    country_code: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    innominate: Type.Optional(Type.Boolean()),
    months_to_expiration: Type.Integer({ minimum: 1, maximum: 240 }),
    service_code: Type.Optional(Type.String({ pattern: '^[0-9]{3}$' })),
    activation_code_enabled: Type.Boolean(),
    dcvv_enabled: Type.Boolean(),
    external_shipping: Type.Optional(Type.Boolean()),
    pin_on_creation: Type.Optional(Type.Boolean()),
    pin_try_limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 9 })),
    pan_token_type: Type.Optional(Type.Union([Type.Literal('NUMERIC'), Type.Literal('ALPHANUMERIC')])),
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
    listen: Type.Optional(Type.Object({ host: Type.Optional(Type.String({ minLength: 1 })), port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })) }, { additionalProperties: false })),
    lmk: Type.Optional(Type.Union([Type.Object({ env: Type.String({ pattern: '^[A-Z_][A-Z0-9_]*$' }) }, { additionalProperties: false }), Type.Object({ file: Type.String({ minLength: 1 }) }, { additionalProperties: false })])),
    store: Type.Optional(Type.String({ pattern: '^(sqlite:.+|postgres(ql)?://.+)$' })),
    record_key: KeyBlock,
    card_ref_key: Type.Optional(KeyBlock),
    audit_log: Type.Optional(Type.String({ minLength: 1 })),
    dcvv2_window_seconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 64800 })),
    jobs: Type.Optional(Type.Object({ lease_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })), chunk_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })) }, { additionalProperties: false })),
    key_sets: Type.Record(Type.String({ pattern: '^[A-Za-z0-9_-]{1,60}$' }), KeySet),
    affinity_groups: Type.Array(Group, { minItems: 1 }),
    clients: Type.Array(Client, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export type ConfigFile = Static<typeof ConfigSchema>;
export type GroupConfig = Static<typeof Group>;
export type KeySetConfig = Static<typeof KeySet>;

/** A resolved affinity group: the file's settings with defaults applied and its key set attached. */
export interface AffinityGroup {
  id: string;
  name: string;
  keySetName: string;
  keys: KeySetConfig;
  bin: string;
  panLength: number;
  cardTypes: readonly CardType[];
  productType: 'PREPAID' | 'CREDIT' | 'DEBIT';
  provider: 'MASTERCARD' | 'VISA';
  countryCode: string;
  innominate: boolean;
  monthsToExpiration: number;
  serviceCode: string;
  activationCodeEnabled: boolean;
  dcvvEnabled: boolean;
  externalShipping: boolean;
  pinOnCreation: boolean;
  pinTryLimit: number;
  panTokenType: 'NUMERIC' | 'ALPHANUMERIC';
}

export interface ApiClient {
  id: string;
  secret: string;
  roles: ReadonlySet<Role>;
  zonePinKey: string | undefined;
  transportKey: string | undefined;
}

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
  groups: ReadonlyMap<string, AffinityGroup>;
  clients: ReadonlyMap<string, ApiClient>;
}

/** A configuration problem: its JSON path and what is wrong (never the value). */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Checks a parsed configuration file and resolves it. `env` supplies `secret_env` values. Throws ConfigError with
 * every problem found. Key blocks are checked for their usage separately, by the service at start (checkKeys).
 */
export function resolveConfig(file: unknown, env: Readonly<Record<string, string | undefined>>): ServiceConfig & { lmk: ConfigFile['lmk'] } {
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
    if (!keys) problems.push(`/affinity_groups/${i}/key_set: no key set named ${JSON.stringify(g.key_set)} in /key_sets`);
    if (g.dcvv_enabled && keys && keys.imk === undefined) problems.push(`/affinity_groups/${i}/dcvv_enabled: the key set ${g.key_set} has no imk (an E6 key)`);
    const panLength = g.pan_length ?? 16;
    if (g.bin.length > panLength - 2) problems.push(`/affinity_groups/${i}/bin: ${g.bin.length} digits leave too few for a ${panLength}-digit PAN`);
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
    if ((k.secret === undefined) === (k.secret_env === undefined)) problems.push(`/clients/${i}: give "secret" or "secret_env", exactly one`);
    let secret = k.secret;
    if (k.secret_env !== undefined) {
      secret = env[k.secret_env];
      if (secret === undefined || secret.length < 32) problems.push(`/clients/${i}/secret_env: the environment variable ${k.secret_env} is unset or shorter than 32 characters`);
    }
    clients.set(k.id, { id: k.id, secret: secret ?? '', roles: new Set(k.roles), zonePinKey: k.zone_pin_key, transportKey: k.transport_key });
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
    groups,
    clients,
    lmk: c.lmk,
  };
}
