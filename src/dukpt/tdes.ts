// TDES DUKPT on the host, ANSI X9.24-1:2009 Annex A (also X9.24-3:2017 Annex C): the initial key (IPEK) from the
// BDK and a KSN (A.6), the transaction key of any KSN (the counter walk through the non-reversible key
// generation process, A.2), and the working keys by variant (A.4 Table A-1), data keys with their one-way step.
// BDKs and IPEKs are double-length (16-byte) TDES keys; parity bits are ignored, as by every DES implementation.
import { checkBytes, checkOneOf } from '../_validate.js';
import { tdesEncryptEcb } from '../des.js';
import { checkKsn, checkKsns, TDES_KSN_BYTES } from './_ksn.js';
import { deriveKeys, KIND, type KeySource } from './_derive.js';
import { DUKPT_VARIANTS } from './_tdes.js';

/**
 * The working keys of a TDES DUKPT transaction key (X9.24-1 A.4 Table A-1): 'PIN', 'MAC_REQUEST', 'MAC_RESPONSE',
 * 'DATA_REQUEST', 'DATA_RESPONSE'. The example checks two of them against X9.24-1 A.4.2 initial sequence #1: the
 * MAC of '4012345678909D987' (retail MAC, its first 4 bytes as the standard prints them) and the request data
 * encrypted in CBC from a zero IV.
 * @example
 * const tk = deriveDukptTransactionKey(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), hexToBytes('FFFF9876543210E00001'))
 * bytesToHex(isoMac(dukptWorkingKey(tk, 'MAC_REQUEST'), new TextEncoder().encode('4012345678909D987'), { algorithm: 3, padding: 1, length: 4 })) // => '9CCC7817'
 * bytesToHex(tdesEncryptCbc(dukptWorkingKey(tk, 'DATA_REQUEST'), hexToBytes('343031323334353637383930394439383700000000000000'), new Uint8Array(8))) // => 'FC0D53B7EA1FDA9EE68AAF2E70D9B9506229BE2AA993F04F'
 */
export type DukptVariant = 'PIN' | 'MAC_REQUEST' | 'MAC_RESPONSE' | 'DATA_REQUEST' | 'DATA_RESPONSE';

/** A.4 Table A-1: the byte (of each 8-byte half) that each variant XORs with FF. */
const VARIANT_BYTE: Record<DukptVariant, number> = {
  PIN: 7,
  MAC_REQUEST: 6,
  MAC_RESPONSE: 4,
  DATA_REQUEST: 5,
  DATA_RESPONSE: 3,
};

const checkBdk = (bdk: unknown): Uint8Array => checkBytes('bdk', bdk, [16]);

/**
 * The initial key (IPEK) of the device that `ksn` belongs to (X9.24-1 A.6): the KSN's leftmost 8 bytes with the
 * counter cleared, encrypted under the BDK (left half) and under BDK XOR C0C0C0C000000000C0C0C0C000000000. The
 * example is ANSI X9.24-1:2009 A.4's BDK and initial KSN; any counter gives the device's same IPEK.
 * @param bdk the base derivation key, 16 bytes (2-key TDES)
 * @param ksn the 10-byte key serial number; its 21 counter bits are ignored
 * @returns the 16-byte IPEK
 * @example
 * bytesToHex(deriveDukptIpek(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), hexToBytes('FFFF9876543210E00000'))) // => '6AC292FAA1315B4D858AB3A3D7D5933A'
 * bytesToHex(deriveDukptIpek(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), hexToBytes('FFFF9876543210E00001'))) // => '6AC292FAA1315B4D858AB3A3D7D5933A'
 * @throws ERR_TYPE, ERR_LENGTH (bdk not 16 bytes, ksn not 10)
 */
export function deriveDukptIpek(bdk: Uint8Array, ksn: Uint8Array): Uint8Array {
  const source: KeySource = { scheme: 'TDES', bdk: checkBdk(bdk) };
  return deriveKeys(source, [checkBytes('ksn', ksn, [TDES_KSN_BYTES])], KIND.INITIAL, 16)[0]!;
}

/**
 * The transaction key of `ksn` (X9.24-1 A.2 and A.6): from the IPEK, one non-reversible key generation per
 * one-bit of the 21-bit counter, most significant first. The key from which the PIN, MAC and data keys vary
 * (dukptWorkingKey). The example is ANSI X9.24-1:2009 A.4.2 initial sequence #1, then the initial key's own KSN
 * (counter 0), which no transaction uses.
 * @param bdk 16 bytes
 * @param ksn 10 bytes; the counter must be 1..1FFFFF with at most 10 one-bits (a device never uses others)
 * @returns 16 bytes
 * @example
 * bytesToHex(deriveDukptTransactionKey(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), hexToBytes('FFFF9876543210E00001'))) // => '042666B49184CFA368DE9628D0397BC9'
 * (() => { try { deriveDukptTransactionKey(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), hexToBytes('FFFF9876543210E00000')) } catch (e) { return [e.code, e.reason] } })() // => ['ERR_FORMAT', 'COUNTER_ZERO']
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (counter 0 or with more than 10 one-bits: reason COUNTER_ZERO / COUNTER_BITS)
 */
export function deriveDukptTransactionKey(bdk: Uint8Array, ksn: Uint8Array): Uint8Array {
  const source: KeySource = { scheme: 'TDES', bdk: checkBdk(bdk) };
  return deriveKeys(source, [checkKsn('ksn', ksn, 'TDES')], KIND.TRANSACTION, 16)[0]!;
}

/**
 * The transaction keys of many KSNs under one BDK, in one kernel call per 16,000 KSNs (the BDK's schedules are
 * expanded once): what an acquirer host does for the PIN blocks of many terminals. The example is ANSI
 * X9.24-1:2009 A.4.2 initial sequence #1 and #2.
 * @param bdk 16 bytes
 * @param ksns 10-byte KSNs, counters as for deriveDukptTransactionKey (field names in errors carry the index: `ksns[3]`)
 * @returns one 16-byte key per KSN, in order
 * @example deriveDukptTransactionKeys(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), [hexToBytes('FFFF9876543210E00001'), hexToBytes('FFFF9876543210E00002')]).map(bytesToHex) // => ['042666B49184CFA368DE9628D0397BC9', 'C46551CEF9FD24B0AA9AD834130D3BC7']
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (reason COUNTER_ZERO / COUNTER_BITS)
 */
export function deriveDukptTransactionKeys(bdk: Uint8Array, ksns: readonly Uint8Array[]): Uint8Array[] {
  const source: KeySource = { scheme: 'TDES', bdk: checkBdk(bdk) };
  return deriveKeys(source, checkKsns('ksns', ksns, 'TDES'), KIND.TRANSACTION, 16);
}

/**
 * The transaction key of `ksn` from the device's IPEK rather than the BDK (for a host that holds the IPEK, as a
 * B1 key block, instead of the BDK). The example is ANSI X9.24-1:2009 A.4: its IPEK and initial sequence #1.
 * @param ipek 16 bytes
 * @param ksn 10 bytes, a counter as for deriveDukptTransactionKey
 * @returns 16 bytes, the same key deriveDukptTransactionKey gives from the BDK
 * @example bytesToHex(deriveDukptTransactionKeyFromIpek(hexToBytes('6AC292FAA1315B4D858AB3A3D7D5933A'), hexToBytes('FFFF9876543210E00001'))) // => '042666B49184CFA368DE9628D0397BC9'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (reason COUNTER_ZERO / COUNTER_BITS)
 */
export function deriveDukptTransactionKeyFromIpek(ipek: Uint8Array, ksn: Uint8Array): Uint8Array {
  const source: KeySource = { scheme: 'TDES', initialKey: checkBytes('ipek', ipek, [16]) };
  return deriveKeys(source, [checkKsn('ksn', ksn, 'TDES')], KIND.TRANSACTION, 16)[0]!;
}

/**
 * A working key of a transaction key (X9.24-1 A.4 Table A-1): the variant constant XORed into both halves — PIN
 * (byte 7 of each half), MAC request (6), MAC response (4), data request (5), data response (3) — and for the two
 * data keys the one-way step that implementations often miss: each half then TDES-encrypted under the variant
 * key itself. The example is the PIN key of ANSI X9.24-1:2009 A.4.2 initial sequence #1's transaction key, and
 * the PIN block it encrypts there (PIN 1234, PAN 4012345678909).
 * @param transactionKey 16 bytes (deriveDukptTransactionKey)
 * @param variant 'PIN' | 'MAC_REQUEST' | 'MAC_RESPONSE' | 'DATA_REQUEST' | 'DATA_RESPONSE' (DukptVariant)
 * @returns 16 bytes
 * @example
 * const pinKey = dukptWorkingKey(hexToBytes('042666B49184CFA368DE9628D0397BC9'), 'PIN')
 * bytesToHex(pinKey) // => '042666B49184CF5C68DE9628D0397B36'
 * bytesToHex(tdesEncryptEcb(pinKey, encodePinBlockIso0('1234', '4012345678909'))) // => '1B9C1845EB993A7A'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (an unknown variant)
 */
export function dukptWorkingKey(transactionKey: Uint8Array, variant: DukptVariant): Uint8Array {
  const key = checkBytes('transactionKey', transactionKey, [16]).slice();
  const at = VARIANT_BYTE[checkOneOf('variant', variant, DUKPT_VARIANTS)];
  key[at]! ^= 0xff;
  key[8 + at]! ^= 0xff;
  if (variant !== 'DATA_REQUEST' && variant !== 'DATA_RESPONSE') return key;
  try {
    return tdesEncryptEcb(key, key); // both halves, each under the whole variant key
  } finally {
    key.fill(0);
  }
}
