// DUKPT key serial numbers and their transaction counters.
//   TDES DUKPT (ANSI X9.24-1:2009 A.3): 10 bytes, the rightmost 21 bits the counter. A device only ever uses
//     counters with at most 10 one-bits (it skips the others), so a counter with more is refused, as is 0 (the
//     initial key's own KSN, never a transaction's).
//   AES DUKPT (ANSI X9.24-3:2017 6.2): 12 bytes, the 8-byte initial key ID then a 32-bit counter; at most 16
//     one-bits, so the last counter is FFFF0000 and every larger one is exhausted (and has more than 16 one-bits).
import { CardHsmError } from '../errors.js';
import { checkArray, checkBytes } from '../_validate.js';

export type DukptScheme = 'TDES' | 'AES';

export const TDES_KSN_BYTES = 10;
export const AES_KSN_BYTES = 12;
const MAX_ONE_BITS: Record<DukptScheme, number> = { TDES: 10, AES: 16 };

function popcount(n: number): number {
  let bits = 0;
  for (let v = n >>> 0; v !== 0; v &= v - 1) bits++;
  return bits;
}

/** The 21-bit counter of a 10-byte TDES DUKPT KSN. */
export function tdesCounter(ksn: Uint8Array): number {
  return ((ksn[7]! & 0x1f) << 16) | (ksn[8]! << 8) | ksn[9]!;
}

/** The 32-bit counter of a 12-byte AES DUKPT KSN. */
export function aesCounter(ksn: Uint8Array): number {
  return ((ksn[8]! << 24) | (ksn[9]! << 16) | (ksn[10]! << 8) | ksn[11]!) >>> 0;
}

/** Throws unless the KSN's counter is one a device can use (ERR_FORMAT, reason COUNTER_ZERO or COUNTER_BITS). */
function checkCounter(field: string, scheme: DukptScheme, ksn: Uint8Array): void {
  const counter = scheme === 'TDES' ? tdesCounter(ksn) : aesCounter(ksn);
  if (counter === 0) {
    throw new CardHsmError(
      'ERR_FORMAT',
      `"${field}" has transaction counter 0, which belongs to the initial key and no transaction`,
      field,
      'COUNTER_ZERO',
    );
  }
  const bits = popcount(counter);
  if (bits > MAX_ONE_BITS[scheme]) {
    throw new CardHsmError(
      'ERR_FORMAT',
      `"${field}" has a transaction counter with ${bits} one-bits; ${scheme} DUKPT devices use at most ${MAX_ONE_BITS[scheme]}`,
      field,
      'COUNTER_BITS',
    );
  }
}

/** A KSN of `scheme` whose counter a device can use. @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT */
export function checkKsn(field: string, value: unknown, scheme: DukptScheme): Uint8Array {
  const ksn = checkBytes(field, value, [scheme === 'TDES' ? TDES_KSN_BYTES : AES_KSN_BYTES]);
  checkCounter(field, scheme, ksn);
  return ksn;
}

/** The scheme a KSN's length names: 10 bytes TDES DUKPT, 12 bytes AES DUKPT. @throws ERR_TYPE, ERR_LENGTH */
export function schemeOfKsn(field: string, value: unknown): DukptScheme {
  return checkBytes(field, value, [TDES_KSN_BYTES, AES_KSN_BYTES]).length === TDES_KSN_BYTES ? 'TDES' : 'AES';
}

/** An array of KSNs of `scheme`, each checked (field names carry the index: `ksns[3]`). */
export function checkKsns(field: string, value: unknown, scheme: DukptScheme): Uint8Array[] {
  return checkArray(field, value).map((ksn, i) => checkKsn(`${field}[${i}]`, ksn, scheme));
}
