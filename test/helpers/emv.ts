// Shared EMV test helpers: vector tags (hex by EMV tag) as the library's EmvTransaction, profiles by name.
import * as api from '../../src/index.js';
import type { EmvTransaction, CvnProfile } from '../../src/index.js';
import type { RefTx } from './emv-reference.js';

const h = api.hexToBytes;

/** The library's profiles by name (EMV_CVN_PROFILES, indexable by a vector's string). */
export const PROFILES: Readonly<Record<string, CvnProfile>> = api.EMV_CVN_PROFILES;

/** A vector's tags (hex by EMV tag) as an EmvTransaction. */
export function txOf(tags: Record<string, string>): EmvTransaction {
  const out: Record<string, Uint8Array> = {};
  for (const [tag, field] of Object.entries(api.EMV_TRANSACTION_TAGS)) out[field] = h(tags[tag]!);
  return out as unknown as EmvTransaction;
}

/** An EmvTransaction as hex by EMV tag (the reference's form). */
export function tagsOf(tx: EmvTransaction): RefTx {
  const out: Record<string, string> = {};
  for (const [tag, field] of Object.entries(api.EMV_TRANSACTION_TAGS)) out[tag] = api.bytesToHex(tx[field]);
  return out as RefTx;
}

/** A PIN encrypted as an ISO 9564 format 0 block under `key` (the shape a PIN change takes it in). */
export function encryptedPin(pin: string, pan: string, key: Uint8Array): api.EncryptedPinBlock {
  return { pinBlock: api.tdesEncryptEcb(key, api.encodePinBlockIso0(pin, pan)), pan, key, format: 0 };
}
