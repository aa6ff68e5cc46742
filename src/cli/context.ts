// Where the command line gets its LMK, development keys and store. The LMK comes from CARDHSM_LMK (64 hex
// characters) or the file named by --lmk-file; without either, a development LMK is created in the current
// folder (cardhsm-dev.json) on first use, with a warning on every run. Development keys for `issue` are kept
// beside it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CardHsmError } from '../errors.js';
import { bytesToHex } from '../bytes.js';
import { randomBytes } from '../_bytes.js';
import { lmkFromHex, lmkCheckValue } from '../keys/lmk.js';
import { Hsm, type KeyAlgorithm } from '../hsm/hsm.js';
import type { Store } from '../store/store.js';
import type { Io } from './output.js';
import { readText } from './files.js';

export const DEV_FILE = 'cardhsm-dev.json';

interface DevFile {
  warning: string;
  lmk: string;
  keys: Record<string, string>;
  /** `cardhsm serve`'s development keys, apart from `issue`'s (whose runs are bound to their key set). */
  service?: Record<string, string>;
}

export interface LmkSource {
  lmk: Uint8Array;
  /** True for the development LMK of the current folder. */
  development: boolean;
}

function readDev(): DevFile | undefined {
  if (!existsSync(DEV_FILE)) return undefined;
  return JSON.parse(readFileSync(DEV_FILE, 'utf8')) as DevFile;
}

/** The LMK for this run, announcing a development LMK on stderr every time. */
export function loadLmk(io: Io, lmkFile: string | undefined): LmkSource {
  if (process.env.CARDHSM_LMK !== undefined && lmkFile !== undefined) {
    throw new CardHsmError(
      'ERR_USAGE',
      'CARDHSM_LMK is set and --lmk-file was given: name the LMK one way only',
      '--lmk-file',
    );
  }
  if (process.env.CARDHSM_LMK !== undefined)
    return { lmk: lmkFromHex(process.env.CARDHSM_LMK.trim()), development: false };
  if (lmkFile !== undefined) {
    return { lmk: lmkFromHex(readText(lmkFile, '--lmk-file').trim()), development: false };
  }
  let dev = readDev();
  if (!dev) {
    dev = {
      warning: 'DEVELOPMENT LMK AND KEYS — never use for real cards',
      lmk: bytesToHex(randomBytes(32)),
      keys: {},
    };
    writeFileSync(DEV_FILE, `${JSON.stringify(dev, null, 2)}\n`, { mode: 0o600 });
    io.err(`cardhsm: created a development LMK in ./${DEV_FILE}`);
  }
  const lmk = lmkFromHex(dev.lmk);
  io.err(
    `cardhsm: WARNING: using the development LMK in ./${DEV_FILE} (KCV ${lmkCheckValue(lmk)}); set CARDHSM_LMK or --lmk-file for real keys`,
  );
  return { lmk, development: true };
}

const DEV_KEYS: Record<string, { usage: string; algorithm: KeyAlgorithm }> = {
  cvk: { usage: 'C0', algorithm: 'TDES2' },
  panKey: { usage: 'D0', algorithm: 'AES256' },
  pinKey: { usage: 'P0', algorithm: 'TDES2' },
  pvk: { usage: 'V2', algorithm: 'TDES2' },
  tokenKey: { usage: 'D0', algorithm: 'AES128' },
};

/** The development key blocks kept beside the development LMK, created on first use (by a custodian Hsm). */
export function developmentKeys(lmk: Uint8Array): Record<string, string> {
  const dev = readDev();
  if (!dev) throw new CardHsmError('ERR_FORMAT', 'no development LMK in this folder', 'lmk');
  const hsm = new Hsm({ lmk, activities: 'custodian' });
  let changed = false;
  for (const [name, spec] of Object.entries(DEV_KEYS)) {
    if (dev.keys[name] === undefined) {
      dev.keys[name] = hsm.generateKey(spec).keyBlock;
      changed = true;
    }
  }
  if (changed) writeFileSync(DEV_FILE, `${JSON.stringify(dev, null, 2)}\n`, { mode: 0o600 });
  return dev.keys;
}

const DEV_SERVICE_KEYS: Record<string, { usage: string; algorithm: KeyAlgorithm }> = {
  imk: { usage: 'E6', algorithm: 'HMAC256' },
  recordKey: { usage: 'D0', algorithm: 'AES256' },
};

/**
 * `cardhsm serve`'s extra development key blocks (the dynamic CVV2 IMK and the record key that seals stored
 * PANs), kept beside the development LMK and created on first use by a custodian Hsm.
 */
export function developmentServiceKeys(lmk: Uint8Array): Record<string, string> {
  const dev = readDev();
  if (!dev) throw new CardHsmError('ERR_FORMAT', 'no development LMK in this folder', 'lmk');
  const hsm = new Hsm({ lmk, activities: 'custodian' });
  dev.service ??= {};
  let changed = false;
  for (const [name, spec] of Object.entries(DEV_SERVICE_KEYS)) {
    if (dev.service[name] === undefined) {
      dev.service[name] = hsm.generateKey(spec).keyBlock;
      changed = true;
    }
  }
  if (changed) writeFileSync(DEV_FILE, `${JSON.stringify(dev, null, 2)}\n`, { mode: 0o600 });
  return dev.service;
}

/** The store: SQLite at ./cardhsm.db by default, or PostgreSQL for a postgres:// URL. */
export async function openStore(spec: string | undefined): Promise<Store> {
  const target = spec ?? 'cardhsm.db';
  if (/^postgres(ql)?:\/\//.test(target)) {
    const { PostgresStore } = await import('../store/postgres.js');
    return new PostgresStore({ connectionString: target });
  }
  const { SqliteStore } = await import('../store/sqlite.js');
  return new SqliteStore({ path: resolve(target) });
}
