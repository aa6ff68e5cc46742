// The key side of a DUKPT operation as callers give it (checked in _source.ts): a BDK or one device's initial key,
// the transaction's KSN, and for AES DUKPT the working key's algorithm. The KSN's length names the scheme.
import type { AesDukptAlgorithm } from './aes.js';

/** A BDK or a device's initial key, with the transaction's KSN (10 bytes: TDES DUKPT; 12 bytes: AES DUKPT). */
export type DukptKeySource =
  | { bdk: Uint8Array; ksn: Uint8Array; algorithm?: AesDukptAlgorithm }
  | { initialKey: Uint8Array; ksn: Uint8Array; algorithm?: AesDukptAlgorithm };
