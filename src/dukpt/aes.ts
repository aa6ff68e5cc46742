// AES DUKPT on the host, ANSI X9.24-3:2017: the initial key from the BDK and the initial key ID (6.5.1), the
// intermediate derivation key of a KSN's counter (one derivation per one-bit, 6.5), and working keys by key usage
// and algorithm (6.3.2 Tables 2 and 3). Every key is AES-ECB(parent, derivation data) in counter mode (NIST SP
// 800-108). BDKs and initial keys are AES-128/192/256; working keys are AES-128/192/256, HMAC-128/192/256 (keys for
// HMAC-SHA-256) or 2/3-key TDES — the raw derivation output, parity bits unadjusted, as the supplement's values
// show. A working key stronger than the key it derives from is refused (6.1.3).
import { checkBytes, checkOneOf, checkOptions } from '../_validate.js';
import { checkKsn, checkKsns } from './_ksn.js';
import { deriveKeys, KIND } from './_derive.js';
import { AES_DUKPT_ALGORITHMS, AES_DUKPT_USAGES, keyBytesOf, workingSpec } from './_aes.js';
import type { WorkingSpec } from './_derive.js';

/**
 * The key usage of an AES DUKPT working key (X9.24-3 6.3.2 Table 2): PIN_ENCRYPTION (1000), MAC_GENERATION (2000),
 * MAC_VERIFICATION (2001), MAC_BOTH (2002), DATA_ENCRYPT (3000), DATA_DECRYPT (3001), DATA_BOTH (3002),
 * KEY_ENCRYPTION (0002), KEY_DERIVATION (8000); each gives a different key. The example's keys are the ANSI
 * X9.24-3:2017 supplement's (AES-128 BDK, KSN #1).
 * @example
 * const bdk = hexToBytes('FEDCBA9876543210F1F1F1F1F1F1F1F1'), ksn = hexToBytes('123456789012345600000001')
 * bytesToHex(deriveAesDukptWorkingKey(bdk, ksn, { usage: 'PIN_ENCRYPTION' })) // => 'AF8CB133A78F8DC2D1359F18527593FB'
 * bytesToHex(deriveAesDukptWorkingKey(bdk, ksn, { usage: 'MAC_GENERATION' })) // => 'A2DC23DE6FDE0824A2BC321E08E4B8B7'
 */
export type AesDukptUsage =
  | 'PIN_ENCRYPTION'
  | 'MAC_GENERATION'
  | 'MAC_VERIFICATION'
  | 'MAC_BOTH'
  | 'DATA_ENCRYPT'
  | 'DATA_DECRYPT'
  | 'DATA_BOTH'
  | 'KEY_ENCRYPTION'
  | 'KEY_DERIVATION';

/**
 * The algorithm and length of an AES DUKPT working key (X9.24-3 6.3.2 Table 3): AES128/192/256, HMAC128/192/256
 * (keys for HMAC-SHA-256) or 2/3-key TDES. An AES or HMAC key longer than its BDK is refused (ERR_KEY_USAGE,
 * 6.1.3). The example's key is the ANSI X9.24-3:2017 supplement's (AES-256 BDK, KSN #1, PIN encryption key).
 * @example
 * const bdk256 = hexToBytes('FEDCBA9876543210F1F1F1F1F1F1F1F1FEDCBA9876543210F1F1F1F1F1F1F1F1')
 * bytesToHex(deriveAesDukptWorkingKey(bdk256, hexToBytes('123456789012345600000001'), { usage: 'PIN_ENCRYPTION', algorithm: 'AES256' })) // => '8C1AB7BEE973829E30242E0BBBDD4946D540C98FC1B5BDCF94790001A23FD502'
 * (() => { try { deriveAesDukptWorkingKey(hexToBytes('FEDCBA9876543210F1F1F1F1F1F1F1F1'), hexToBytes('123456789012345600000001'), { usage: 'PIN_ENCRYPTION', algorithm: 'AES256' }) } catch (e) { return [e.code, e.field] } })() // => ['ERR_KEY_USAGE', 'opts.algorithm']
 */
export type AesDukptAlgorithm = 'AES128' | 'AES192' | 'AES256' | 'TDES2' | 'TDES3' | 'HMAC128' | 'HMAC192' | 'HMAC256';

/**
 * Which working key to derive (deriveAesDukptWorkingKey and its variants): the usage, and the algorithm, by
 * default the AES key of the BDK's (or initial key's) length. The example's key is the ANSI X9.24-3:2017
 * supplement's (AES-128 BDK, KSN #1, data encryption key).
 * @example
 * const opts = { usage: 'DATA_ENCRYPT' }
 * bytesToHex(deriveAesDukptWorkingKey(hexToBytes('FEDCBA9876543210F1F1F1F1F1F1F1F1'), hexToBytes('123456789012345600000001'), opts)) // => 'A35C412EFD41FDB98B69797C02DCD08F'
 * bytesToHex(deriveAesDukptWorkingKey(hexToBytes('FEDCBA9876543210F1F1F1F1F1F1F1F1'), hexToBytes('123456789012345600000001'), { ...opts, algorithm: 'AES128' })) // => 'A35C412EFD41FDB98B69797C02DCD08F'
 */
export interface AesDukptKeyOptions {
  /** The key usage (X9.24-3 6.3.2 Table 2). */
  usage: AesDukptUsage;
  /** The working key's algorithm and length (Table 3); default the AES key of the BDK's length. */
  algorithm?: AesDukptAlgorithm;
}

const KEY_LENGTHS = [16, 24, 32];

/** Validated working key options for a source key of `sourceBytes`. */
function checkKeyOptions(opts: unknown, sourceBytes: number): { spec: WorkingSpec; bytes: number } {
  const o = checkOptions('opts', opts);
  const usage = checkOneOf('opts.usage', o.usage, AES_DUKPT_USAGES);
  const algorithm =
    o.algorithm === undefined
      ? (`AES${sourceBytes * 8}` as AesDukptAlgorithm)
      : checkOneOf('opts.algorithm', o.algorithm, AES_DUKPT_ALGORITHMS);
  return { spec: workingSpec(usage, algorithm, sourceBytes, 'opts.algorithm'), bytes: keyBytesOf(algorithm) };
}

const checkBdk = (bdk: unknown): Uint8Array => checkBytes('bdk', bdk, KEY_LENGTHS);

/**
 * The initial key of a device (X9.24-3 6.5.1): derived from the BDK with usage 8001 and the initial key ID as
 * context. The example's keys are the ANSI X9.24-3:2017 supplement's (AES-128 and AES-256 BDKs).
 * @param bdk 16, 24 or 32 bytes (AES-128/192/256)
 * @param initialKeyId 8 bytes: the BDK ID (4) and the derivation ID (4), the KSN's left two thirds
 * @returns a key of the BDK's length
 * @example
 * bytesToHex(deriveAesDukptInitialKey(hexToBytes('FEDCBA9876543210F1F1F1F1F1F1F1F1'), hexToBytes('1234567890123456'))) // => '1273671EA26AC29AFA4D1084127652A1'
 * bytesToHex(deriveAesDukptInitialKey(hexToBytes('FEDCBA9876543210F1F1F1F1F1F1F1F1FEDCBA9876543210F1F1F1F1F1F1F1F1'), hexToBytes('1234567890123456'))) // => 'CE9CE0C101D1138F97FB6CAD4DF045A7083D4EAE2D35A31789D01CCF0949550F'
 * @throws ERR_TYPE, ERR_LENGTH (bdk not 16, 24 or 32 bytes; initialKeyId not 8)
 */
export function deriveAesDukptInitialKey(bdk: Uint8Array, initialKeyId: Uint8Array): Uint8Array {
  const key = checkBdk(bdk);
  return deriveKeys(
    { scheme: 'AES', bdk: key },
    [checkBytes('initialKeyId', initialKeyId, [8])],
    KIND.INITIAL,
    key.length,
  )[0]!;
}

/**
 * The intermediate derivation key of a KSN's counter (X9.24-3 6.5; the supplement's "transaction key"): from
 * the initial key, one derivation (usage 8000) per one-bit of the counter, most significant first. Every
 * working key of the transaction derives from it. The example is the ANSI X9.24-3:2017 supplement's KSN #1
 * (AES-128 BDK), then its counter 1FFFF, which has 17 one-bits: no device uses it.
 * @param bdk 16, 24 or 32 bytes
 * @param ksn 12 bytes: initial key ID (8) and counter (4); the counter 1..FFFF0000 with at most 16 one-bits
 * @returns a key of the BDK's length
 * @example
 * bytesToHex(deriveAesDukptTransactionKey(hexToBytes('FEDCBA9876543210F1F1F1F1F1F1F1F1'), hexToBytes('123456789012345600000001'))) // => '4F21B565BAD9835E112B6465635EAE44'
 * (() => { try { deriveAesDukptTransactionKey(hexToBytes('FEDCBA9876543210F1F1F1F1F1F1F1F1'), hexToBytes('12345678901234560001FFFF')) } catch (e) { return [e.code, e.reason] } })() // => ['ERR_FORMAT', 'COUNTER_BITS']
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (counter 0 or with more than 16 one-bits: reason COUNTER_ZERO / COUNTER_BITS)
 */
export function deriveAesDukptTransactionKey(bdk: Uint8Array, ksn: Uint8Array): Uint8Array {
  const key = checkBdk(bdk);
  return deriveKeys({ scheme: 'AES', bdk: key }, [checkKsn('ksn', ksn, 'AES')], KIND.TRANSACTION, key.length)[0]!;
}

/**
 * deriveAesDukptTransactionKey for many KSNs under one BDK, in one kernel call per 16,000 KSNs (the BDK's
 * schedule expanded once). The example is the ANSI X9.24-3:2017 supplement's KSNs #1 and #2 (AES-128 BDK).
 * @param bdk 16, 24 or 32 bytes; @param ksns 12-byte KSNs, counters as for deriveAesDukptTransactionKey
 * @returns one key of the BDK's length per KSN, in order
 * @example deriveAesDukptTransactionKeys(hexToBytes('FEDCBA9876543210F1F1F1F1F1F1F1F1'), [hexToBytes('123456789012345600000001'), hexToBytes('123456789012345600000002')]).map(bytesToHex) // => ['4F21B565BAD9835E112B6465635EAE44', '2F34D68DE10F68D38091A73B9E7C437C']
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (field names carry the index: `ksns[3]`)
 */
export function deriveAesDukptTransactionKeys(bdk: Uint8Array, ksns: readonly Uint8Array[]): Uint8Array[] {
  const key = checkBdk(bdk);
  return deriveKeys({ scheme: 'AES', bdk: key }, checkKsns('ksns', ksns, 'AES'), KIND.TRANSACTION, key.length);
}

/**
 * A working key of a transaction (X9.24-3 6.5): derived from the counter's derivation key with the usage and
 * algorithm of `opts` and the derivation ID and counter as context. The example is the ANSI X9.24-3:2017
 * supplement's PIN encryption key of KSN #1 (AES-128 BDK).
 * @param bdk 16, 24 or 32 bytes
 * @param ksn 12 bytes, a counter as for deriveAesDukptTransactionKey
 * @param opts `usage` (PIN_ENCRYPTION, MAC_GENERATION, MAC_VERIFICATION, MAC_BOTH, DATA_ENCRYPT, DATA_DECRYPT,
 *   DATA_BOTH, KEY_ENCRYPTION, KEY_DERIVATION) and `algorithm` (AES128/192/256, HMAC128/192/256, TDES2, TDES3;
 *   default the AES key of the BDK's length)
 * @returns the key: 16, 24 or 32 bytes
 * @example bytesToHex(deriveAesDukptWorkingKey(hexToBytes('FEDCBA9876543210F1F1F1F1F1F1F1F1'), hexToBytes('123456789012345600000001'), { usage: 'PIN_ENCRYPTION', algorithm: 'AES128' })) // => 'AF8CB133A78F8DC2D1359F18527593FB'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT, ERR_KEY_USAGE (an AES or HMAC key longer than the BDK)
 */
export function deriveAesDukptWorkingKey(bdk: Uint8Array, ksn: Uint8Array, opts: AesDukptKeyOptions): Uint8Array {
  const key = checkBdk(bdk);
  const { spec, bytes } = checkKeyOptions(opts, key.length);
  return deriveKeys({ scheme: 'AES', bdk: key }, [checkKsn('ksn', ksn, 'AES')], KIND.WORKING, bytes, spec)[0]!;
}

/**
 * deriveAesDukptWorkingKey for many KSNs under one BDK (one usage and algorithm), in one kernel call per 16,000.
 * The example is the ANSI X9.24-3:2017 supplement's PIN encryption keys of KSNs #1 and #2 (AES-128 BDK).
 * @param bdk 16, 24 or 32 bytes; @param ksns 12-byte KSNs; @param opts `{ usage, algorithm? }` (AesDukptKeyOptions)
 * @returns one key per KSN, in order
 * @example deriveAesDukptWorkingKeys(hexToBytes('FEDCBA9876543210F1F1F1F1F1F1F1F1'), [hexToBytes('123456789012345600000001'), hexToBytes('123456789012345600000002')], { usage: 'PIN_ENCRYPTION' }).map(bytesToHex) // => ['AF8CB133A78F8DC2D1359F18527593FB', 'D30BDC73EC9714B000BEC66BDB7B6D09']
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT, ERR_KEY_USAGE
 */
export function deriveAesDukptWorkingKeys(
  bdk: Uint8Array,
  ksns: readonly Uint8Array[],
  opts: AesDukptKeyOptions,
): Uint8Array[] {
  const key = checkBdk(bdk);
  const { spec, bytes } = checkKeyOptions(opts, key.length);
  return deriveKeys({ scheme: 'AES', bdk: key }, checkKsns('ksns', ksns, 'AES'), KIND.WORKING, bytes, spec);
}

/**
 * deriveAesDukptWorkingKey from the device's initial key rather than the BDK (for a host that holds the initial
 * key, as a B1 key block). The example is the ANSI X9.24-3:2017 supplement's initial key (AES-128 BDK) and the PIN
 * encryption key it lists for KSN #7.
 * @param initialKey 16, 24 or 32 bytes (deriveAesDukptInitialKey)
 * @param ksn 12 bytes, a counter as for deriveAesDukptTransactionKey; @param opts `{ usage, algorithm? }`
 * @returns the key, as deriveAesDukptWorkingKey gives it from the BDK
 * @example bytesToHex(deriveAesDukptWorkingKeyFromInitialKey(hexToBytes('1273671EA26AC29AFA4D1084127652A1'), hexToBytes('123456789012345600000007'), { usage: 'PIN_ENCRYPTION' })) // => '6ECF912F3B18CA11A7A27BB60705FD09'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT, ERR_KEY_USAGE
 */
export function deriveAesDukptWorkingKeyFromInitialKey(
  initialKey: Uint8Array,
  ksn: Uint8Array,
  opts: AesDukptKeyOptions,
): Uint8Array {
  const key = checkBytes('initialKey', initialKey, KEY_LENGTHS);
  const { spec, bytes } = checkKeyOptions(opts, key.length);
  return deriveKeys({ scheme: 'AES', initialKey: key }, [checkKsn('ksn', ksn, 'AES')], KIND.WORKING, bytes, spec)[0]!;
}
