// The key side of a DUKPT operation as callers give it (checked in _source.ts): a BDK or one device's initial key,
// the transaction's KSN, and for AES DUKPT the working key's algorithm. The KSN's length names the scheme.
import type { AesDukptAlgorithm } from './aes.js';

/**
 * A BDK or a device's initial key, with the transaction's KSN (10 bytes: TDES DUKPT, BDK or IPEK 16 bytes; 12
 * bytes: AES DUKPT, BDK or initial key 16, 24 or 32 bytes) and, for AES DUKPT, the working key's algorithm. The
 * example is ANSI X9.24-1:2009 A.4: the device's IPEK gives the MAC the BDK gives (moov-io/dukpt's full 8 bytes of
 * initial sequence #1's MAC request).
 * @example
 * const message = new TextEncoder().encode('4012345678909D987')
 * const fromIpek = { initialKey: hexToBytes('6AC292FAA1315B4D858AB3A3D7D5933A'), ksn: hexToBytes('FFFF9876543210E00001') }
 * bytesToHex(generateDukptMac(fromIpek, message)) // => '9CCC78173FC4FB64'
 * bytesToHex(generateDukptMac({ bdk: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), ksn: fromIpek.ksn }, message)) // => '9CCC78173FC4FB64'
 */
export type DukptKeySource =
  | { bdk: Uint8Array; ksn: Uint8Array; algorithm?: AesDukptAlgorithm }
  | { initialKey: Uint8Array; ksn: Uint8Array; algorithm?: AesDukptAlgorithm };
