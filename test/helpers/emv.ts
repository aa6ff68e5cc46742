// Shared EMV test helpers: vector tags (hex by EMV tag) as the library's EmvTransaction, profiles by name.
import * as api from '../../src/index.js';
import type { EmvTransaction, CvnProfile } from '../../src/index.js';

const h = api.hexToBytes;

export const PROFILES: Record<string, CvnProfile> = {
  VISA_CVN10: api.VISA_CVN10,
  VISA_CVN18: api.VISA_CVN18,
  VISA_CVN22: api.VISA_CVN22,
  MASTERCARD_CVN16: api.MASTERCARD_CVN16,
  MASTERCARD_CVN17: api.MASTERCARD_CVN17,
  MASTERCARD_CVN20: api.MASTERCARD_CVN20,
  MASTERCARD_CVN21: api.MASTERCARD_CVN21,
};

export const TAG_FIELDS = {
  '9F02': 'amountAuthorized',
  '9F03': 'amountOther',
  '9F1A': 'terminalCountryCode',
  '95': 'tvr',
  '5F2A': 'transactionCurrencyCode',
  '9A': 'transactionDate',
  '9C': 'transactionType',
  '9F37': 'unpredictableNumber',
  '82': 'aip',
  '9F36': 'atc',
  '9F10': 'iad',
} as const;

/** A vector's tags (hex by EMV tag) as an EmvTransaction. */
export function txOf(tags: Record<string, string>): EmvTransaction {
  const out: Record<string, Uint8Array> = {};
  for (const [tag, field] of Object.entries(TAG_FIELDS)) out[field] = h(tags[tag]!);
  return out as unknown as EmvTransaction;
}

/** An EmvTransaction as hex by EMV tag (the reference's form). */
export function tagsOf(tx: EmvTransaction): Record<keyof typeof TAG_FIELDS, string> {
  const out: Record<string, string> = {};
  for (const [tag, field] of Object.entries(TAG_FIELDS)) out[tag] = api.bytesToHex(tx[field]);
  return out as Record<keyof typeof TAG_FIELDS, string>;
}

/** A PIN encrypted as an ISO 9564 format 0 block under `key` (the shape a PIN change takes it in). */
export function encryptedPin(pin: string, pan: string, key: Uint8Array): api.EncryptedPinBlock {
  return { pinBlock: api.tdesEncryptEcb(key, api.encodePinBlockIso0(pin, pan)), pan, key, format: 0 };
}
