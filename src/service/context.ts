// What every handler works with: the configuration, the database, the Hsm's store, and the Hsms — one per
// profile (and per PIN try limit, a per-group setting), plus the record vault, a narrow Hsm that may only compute
// card references and seal or unseal stored PANs under the record key. Handlers take a Ctx and plain inputs, so
// they run without HTTP in tests.
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { CardHsmError } from '../errors.js';
import { bytesToHex, hexToBytes } from '../bytes.js';
import { Hsm } from '../hsm/hsm.js';
import { JsonlAuditSink } from '../hsm/audit.js';
import type { Store } from '../store/store.js';
import type { ApiClient, AffinityGroup, ServiceConfig } from './config.js';
import type { ServiceDatabase } from './db.js';
import type { RouteProfile } from './roles.js';
import { ServiceError } from './errors.js';

/** The seeds' PIN rules: 4 digits, not ascending, descending or repeated. */
export const PIN_POLICY = { minLength: 4, maxLength: 4, rejectRepeated: true, rejectSequences: true } as const;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A public id in the seeds' style: a prefix and 27 random base-62 characters (e.g. crd-2K4…). */
export function newId(prefix: string): string {
  const bytes = nodeRandomBytes(27);
  let s = '';
  for (const b of bytes) s += ALPHABET[b % 62];
  return `${prefix}-${s}`;
}

export interface Ctx {
  config: ServiceConfig;
  database: ServiceDatabase;
  store: Store;
  /** This process's id for job leases. */
  nodeId: string;
  /** Milliseconds since the epoch (injectable for tests). */
  now(): number;
  hsm(profile: Exclude<RouteProfile, 'none'>, group?: AffinityGroup): Hsm;
  cardRef(pan: string): string;
  sealPan(pan: string): string;
  unsealPan(sealed: string): string;
  /** The lookup key of an activation code (a keyed PRP of it, so a code finds its card without being stored). */
  codeLookup(code: string): string;
  group(id: string, field?: string): AffinityGroup;
  client(id: string): ApiClient;
  /** The API client's transport key block (D0), or 422 TRANSPORT_KEY_MISSING: where card values leave encrypted. */
  transportKey(clientId: string): string;
  log(line: string): void;
}

export interface ContextOptions {
  config: ServiceConfig;
  lmk: Uint8Array;
  database: ServiceDatabase;
  store: Store;
  nodeId: string;
  now?: () => number;
  log?: (line: string) => void;
}

export function createContext(o: ContextOptions): Ctx {
  const { config } = o;
  const audit = config.auditLog === undefined ? undefined : new JsonlAuditSink(config.auditLog);
  const common = {
    lmk: o.lmk,
    store: o.store,
    ...(config.cardRefKey === undefined ? {} : { cardRefKey: config.cardRefKey }),
    ...(audit === undefined ? {} : { audit }),
  };
  const vault = new Hsm({ ...common, activities: ['card.ref', 'data.encrypt', 'data.decrypt'] });
  // Every Hsm is made now, while the LMK is at hand (the caller may wipe it once the service has started): one
  // per profile and PIN try limit in use.
  const hsms = new Map<string, Hsm>();
  const limits = new Set([3, ...[...config.groups.values()].map((g) => g.pinTryLimit)]);
  for (const profile of ['authorization', 'issuance'] as const) {
    for (const limit of limits) {
      hsms.set(
        `${profile}/${limit}`,
        new Hsm({
          ...common,
          activities: profile,
          pinTryLimit: limit,
          pinPolicy: { ...PIN_POLICY },
          dcvv2: { windowSeconds: config.dcvv2WindowSeconds },
        }),
      );
    }
  }
  const hsm = (profile: 'authorization' | 'issuance', group?: AffinityGroup): Hsm =>
    hsms.get(`${profile}/${group?.pinTryLimit ?? 3}`)!;
  const recordKey = config.recordKey;
  return {
    config,
    database: o.database,
    store: o.store,
    nodeId: o.nodeId,
    now: o.now ?? Date.now,
    hsm,
    cardRef: (pan) => vault.cardRef(pan),
    sealPan(pan) {
      const iv = nodeRandomBytes(16);
      const data = new TextEncoder().encode(pan.padEnd(32, 'F'));
      return bytesToHex(iv) + bytesToHex(vault.encryptData({ key: recordKey, data, mode: 'CBC', iv }));
    },
    unsealPan(sealed) {
      const clear = vault.decryptData({
        key: recordKey,
        data: hexToBytes(sealed.slice(32)),
        mode: 'CBC',
        iv: hexToBytes(sealed.slice(0, 32)),
      });
      const text = new TextDecoder().decode(clear);
      clear.fill(0);
      const pan = text.replace(/F+$/, '');
      if (!/^[0-9]{12,19}$/.test(pan))
        throw new CardHsmError('ERR_STORE_INTEGRITY', 'a stored PAN does not unseal under the record key', 'pan_enc');
      return pan;
    },
    codeLookup(code) {
      return bytesToHex(
        vault.encryptData({
          key: recordKey,
          data: new TextEncoder().encode(`ACT/${code}`.padEnd(16, 'F')),
          mode: 'ECB',
        }),
      );
    },
    group(id, field = 'affinity_group_id') {
      const g = config.groups.get(id);
      if (!g) throw new ServiceError(404, 'AFFINITY_GROUP_NOT_FOUND', 'no affinity group with this id', field);
      return g;
    },
    client(id) {
      return config.clients.get(id)!;
    },
    transportKey(clientId) {
      const key = config.clients.get(clientId)?.transportKey;
      if (key === undefined) {
        const detail = 'this API client has no transport key registered (clients[].transport_key)';
        throw new ServiceError(422, 'TRANSPORT_KEY_MISSING', detail, 'transport_key');
      }
      return key;
    },
    log: o.log ?? (() => {}),
  };
}

/**
 * Checks every key block of a configuration under `lmk` (32 bytes) against its expected usage and algorithm: the
 * record key (D0 AES), the card-reference key (M7 HMAC256), each key set's cvk (C0 TDES2), pan_key and token_key (D0
 * AES), pin_key (P0 TDES), pvk (V2 TDES2) and imk (E6), each client's zone PIN key (P0 TDES) and transport key (D0
 * TDES). Returns the problems, each with its JSON path (empty: all good); startService throws them as a ConfigError,
 * so a wrong LMK shows at start, not on the first card. Never throws for a bad block, never names a key.
 * @example
 * const config = resolveConfig(configFile, {})
 * checkKeys(config, lmkFromHex('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F'))  // => []
 * checkKeys({ ...config, recordKey: keys.cvk }, lmkFromHex('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F'))  // => ['/record_key: expected a D0 key (AES128 or AES192 or AES256), got C0 TDES2']
 * checkKeys(config, lmkFromHex('F0E0D0C0B0A090807060504030201000F1E1D1C1B1A191817161514131211101'))[0]  // => '/record_key: the key block does not verify under this LMK'
 */
export function checkKeys(config: ServiceConfig, lmk: Uint8Array): string[] {
  const hsm = new Hsm({ lmk, activities: 'authorization' });
  const problems: string[] = [];
  const expect = (path: string, block: string | undefined, usage: string, algorithms: string[]) => {
    if (block === undefined) return;
    try {
      const d = hsm.describeKey(block);
      if (d.usage !== usage || !algorithms.includes(d.algorithm))
        problems.push(`${path}: expected a ${usage} key (${algorithms.join(' or ')}), got ${d.usage} ${d.algorithm}`);
    } catch (e) {
      problems.push(
        `${path}: ${e instanceof CardHsmError && e.code === 'ERR_TR31_MAC' ? 'the key block does not verify under this LMK' : 'not a key block'}`,
      );
    }
  };
  const tdes = ['TDES2', 'TDES3'];
  const aes = ['AES128', 'AES192', 'AES256'];
  expect('/record_key', config.recordKey, 'D0', aes);
  expect('/card_ref_key', config.cardRefKey, 'M7', ['HMAC256']);
  const seen = new Set<string>();
  for (const g of config.groups.values()) {
    if (seen.has(g.keySetName)) continue;
    seen.add(g.keySetName);
    const at = `/key_sets/${g.keySetName}`;
    expect(`${at}/cvk`, g.keys.cvk, 'C0', ['TDES2']);
    expect(`${at}/pan_key`, g.keys.pan_key, 'D0', aes);
    expect(`${at}/pin_key`, g.keys.pin_key, 'P0', tdes);
    expect(`${at}/pvk`, g.keys.pvk, 'V2', ['TDES2']);
    expect(`${at}/token_key`, g.keys.token_key, 'D0', aes);
    expect(`${at}/imk`, g.keys.imk, 'E6', ['HMAC256', 'TDES2']);
  }
  for (const c of config.clients.values()) {
    expect(`/clients/${c.id}/zone_pin_key`, c.zonePinKey, 'P0', tdes);
    expect(`/clients/${c.id}/transport_key`, c.transportKey, 'D0', tdes);
  }
  return problems;
}
