// PIN blocks and PIN verification values inside the Hsm: the one home of "decrypt a PIN block under a P0 key",
// "encrypt a PIN under a P0 key" and "the PVV or offset of a PIN", for the data plane and the card state alike.
// Clear PINs exist only inside these functions' callers and never leave the Hsm.
import { CardHsmError } from '../errors.js';
import { checkBytes, checkDigits, checkOneOf, checkOptions } from '../_validate.js';
import { tdesDecryptEcb, tdesEncryptEcb } from '../des.js';
import { generateVisaPvv } from '../pvv.js';
import { generateIbm3624Offset } from '../ibm3624.js';
import * as pinblock from '../pinblock.js';
import { withKeys, type KeyNote, type KeyVault, type OpenKey } from './_vault.js';
import type { PinVerificationData, PinVerificationKey } from './options.js';
import type { PinBlockFormat } from '../pinblock.js';

/** Formats 0, 1 and 3 are TDES blocks; format 4 is AES. */
export function requirePinKeyAlgorithm(k: OpenKey, format: PinBlockFormat, field: string): void {
  const want = format === 4 ? 'A' : 'T';
  if (k.header.algorithm !== want) {
    throw new CardHsmError(
      'ERR_KEY_USAGE',
      `"${field}" is a ${k.algorithm} key; ISO 9564 format ${format} needs ${want === 'A' ? 'an AES' : 'a TDES'} PIN key`,
      field,
    );
  }
}

/** Encrypts a PIN under a P0 key: TDES ECB of the clear block for formats 0/1/3, format 4 encipherment for 4. */
export function encryptPin(
  vault: KeyVault,
  note: KeyNote | undefined,
  pinKey: unknown,
  pin: string,
  pan: string,
  format: PinBlockFormat,
  field = 'pinKey',
): Uint8Array {
  const k = vault.open(field, pinKey, 'pin.encrypt', note);
  return withKeys([k], () => {
    requirePinKeyAlgorithm(k, format, field);
    if (format === 4) return pinblock.encipherPinBlockIso4(k.key, pin, pan);
    const clear =
      format === 0
        ? pinblock.encodePinBlockIso0(pin, pan)
        : format === 1
          ? pinblock.encodePinBlockIso1(pin)
          : pinblock.encodePinBlockIso3(pin, pan);
    try {
      return tdesEncryptEcb(k.key, clear);
    } finally {
      clear.fill(0);
    }
  });
}

/**
 * The key of a PIN block, opened and checked for its format (a caller error — a key of the wrong usage or
 * algorithm, a block of the wrong size — is thrown before the block is decrypted).
 */
export function openPinKey(
  vault: KeyVault,
  note: KeyNote | undefined,
  pinKey: unknown,
  pinBlock: unknown,
  format: PinBlockFormat,
  field = 'pinKey',
): { key: OpenKey; block: Uint8Array } {
  const block = checkBytes('pinBlock', pinBlock, [format === 4 ? 16 : 8]);
  const key = vault.open(field, pinKey, 'pin.decrypt', note);
  try {
    requirePinKeyAlgorithm(key, format, field);
  } catch (e) {
    key.key.fill(0);
    throw e;
  }
  return { key, block };
}

/** Decrypts and decodes a PIN block under an opened PIN key; ERR_PINBLOCK_FORMAT when it does not decode. */
export function decodePin(key: OpenKey, block: Uint8Array, pan: string, format: PinBlockFormat): string {
  if (format === 4) return pinblock.decipherPinBlockIso4(key.key, block, pan);
  const clear = tdesDecryptEcb(key.key, block);
  try {
    if (format === 0) return pinblock.decodePinBlockIso0(clear, pan);
    if (format === 1) return pinblock.decodePinBlockIso1(clear);
    return pinblock.decodePinBlockIso3(clear, pan);
  } finally {
    clear.fill(0);
  }
}

/** Decrypts and decodes a PIN block under a P0 key. */
export function decryptPin(
  vault: KeyVault,
  note: KeyNote | undefined,
  pinKey: unknown,
  pinBlock: unknown,
  pan: string,
  format: PinBlockFormat,
): string {
  const { key, block } = openPinKey(vault, note, pinKey, pinBlock, format);
  return withKeys([key], () => decodePin(key, block, pan, format));
}

/** A decimalization table from the configured set: a caller-chosen table lets an attacker recover PINs. */
export function checkTable(tables: ReadonlySet<string>, value: unknown, field = 'decimalizationTable'): string {
  const table = checkDigits(field, value, 16, 16);
  if (!tables.has(table)) {
    throw new CardHsmError(
      'ERR_DECIMALIZATION_TABLE',
      `"${field}" is not one of the tables this Hsm is configured to accept`,
      field,
    );
  }
  return table;
}

/** A verification method as given by a caller, checked (the key block is opened only when used). */
export function checkVerificationKey(
  value: unknown,
  tables: ReadonlySet<string>,
  field = 'method',
): PinVerificationKey {
  const m = checkOptions(field, value);
  const type = checkOneOf(`${field}.type`, m.type, ['VISA_PVV', 'IBM3624_OFFSET'] as const);
  if (typeof m.pvk !== 'string')
    throw new CardHsmError('ERR_TYPE', `"${field}.pvk" expected a key block string`, `${field}.pvk`);
  if (type === 'VISA_PVV') return { type, pvk: m.pvk, pvki: checkDigits(`${field}.pvki`, m.pvki, 1, 1) };
  const validationData = m.validationData;
  if (typeof validationData !== 'string' || !/^[0-9A-Fa-f]{16}$/.test(validationData)) {
    throw new CardHsmError('ERR_FORMAT', `"${field}.validationData" expected 16 hex digits`, `${field}.validationData`);
  }
  return {
    type,
    pvk: m.pvk,
    validationData: validationData.toUpperCase(),
    decimalizationTable: checkTable(tables, m.decimalizationTable, `${field}.decimalizationTable`),
  };
}

/** The verification data of `pin` under `method`: its PVV (V2 key) or IBM 3624 offset (V1 key). */
export function verificationData(
  vault: KeyVault,
  method: PinVerificationKey,
  pin: string,
  pan: string,
  purpose: 'generate' | 'verify',
): PinVerificationData {
  if (method.type === 'VISA_PVV') {
    const pvk = vault.open('pvk', method.pvk, purpose === 'generate' ? 'pvv.generate' : 'pvv.verify');
    return withKeys([pvk], () => ({ ...method, pvv: generateVisaPvv(pvk.key, pan, method.pvki, pin) }));
  }
  const pvk = vault.open('pvk', method.pvk, purpose === 'generate' ? 'ibm3624.generate' : 'ibm3624.verify');
  return withKeys([pvk], () => ({
    ...method,
    offset: generateIbm3624Offset(pvk.key, method.validationData, method.decimalizationTable, pin),
  }));
}

/** The stored value of verification data: the PVV or the offset. */
export const verificationValue = (d: PinVerificationData): string => (d.type === 'VISA_PVV' ? d.pvv : d.offset);
