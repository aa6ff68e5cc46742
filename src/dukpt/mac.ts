// Message authentication under DUKPT MAC keys.
//   TDES DUKPT (ANSI X9.24-1 A.4): the MAC request / MAC response variants of the transaction key, with ISO/IEC
//   9797-1 MAC algorithm 3 and padding method 1 (the A.4 examples; 'RETAIL', the default) or TDES-CMAC (NIST SP
//   800-38B, 'CMAC').
//   AES DUKPT (ANSI X9.24-3 6.3.2): requests under the MAC generation key (usage 2000), responses under the MAC
//   verification key (2001), or `usage` MAC_BOTH (2002); AES-CMAC ('CMAC', the default; SP 800-38B) with an AES
//   key, HMAC-SHA-256 ('HMAC'; FIPS 198-1) with an HMAC key, or TDES-CMAC / the retail MAC with a TDES2 key.
import { CardHsmError } from '../errors.js';
import { constantTimeEqual } from '../bytes.js';
import { checkBytes, checkOneOf, checkOptions, checkUint8Array } from '../_validate.js';
import { aesCmac, tdesCmac } from '../mac.js';
import { hmac } from '../mac.js';
import { isoMacUnchecked } from '../_mac.js';
import { checkSource, familyOf, operationAlgorithm, workingKey, type CheckedSource } from './_source.js';
import type { DukptKeySource } from './source.js';
import type { AesDukptAlgorithm, AesDukptUsage } from './aes.js';

/**
 * Which way a DUKPT message goes, which picks its key: 'REQUEST' (from the terminal: TDES MAC/data request
 * variants, AES MAC generation / data encryption keys) or 'RESPONSE' (from the host: the response variants, AES MAC
 * verification / data decryption keys). The example's MACs are moov-io/dukpt's (des_test.go initial sequence #1:
 * their first 4 bytes are ANSI X9.24-1 A.4.2's).
 * @example
 * const source = { bdk: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), ksn: hexToBytes('FFFF9876543210E00001') }
 * bytesToHex(generateDukptMac(source, new TextEncoder().encode('4012345678909D987'), { direction: 'REQUEST' })) // => '9CCC78173FC4FB64'
 * bytesToHex(generateDukptMac(source, new TextEncoder().encode('4012345678909D987'), { direction: 'RESPONSE' })) // => '20364223C1FF00FA'
 */
export type DukptDirection = 'REQUEST' | 'RESPONSE';

/**
 * The MAC algorithm under a DUKPT MAC key: 'RETAIL' (ISO/IEC 9797-1 MAC algorithm 3, padding method 1: X9.24-1
 * A.4's, with a TDES2 key), 'CMAC' (NIST SP 800-38B: TDES-CMAC or AES-CMAC as the key is) or 'HMAC' (HMAC-SHA-256
 * with an AES DUKPT HMAC key). The example's TDES-CMAC is openemv/dukpt's hand-crafted cmac_request_verify #1 (not
 * in the standard); the HMAC is moov-io/dukpt's (aes_test.go TestAES128 initial sequence #1, an HMAC128 key).
 * @example
 * bytesToHex(generateDukptMac({ bdk: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), ksn: hexToBytes('FFFF9876543210E00001') }, new TextEncoder().encode('4012345678909D987'), { method: 'CMAC' })) // => '211003F1D5B79DD7'
 * bytesToHex(generateDukptMac({ bdk: hexToBytes('FEDCBA9876543210F1F1F1F1F1F1F1F1'), ksn: hexToBytes('123456789012345600000001') }, new TextEncoder().encode('4012345678909D987'), { method: 'HMAC' })) // => 'B6F8B3159CD4E140159DA87A68C0FB7AF2F123D222662E98988C76386E8E8A02'
 */
export type DukptMacMethod = 'RETAIL' | 'CMAC' | 'HMAC';

/**
 * Options of generateDukptMac and verifyDukptMac: the direction (DukptDirection), the method (DukptMacMethod), and
 * for AES DUKPT the key usage. The example's MACs are moov-io/dukpt's (aes_test.go TestAES128 initial sequence #1:
 * responses under the MAC verification key, HMAC keys HMAC128).
 * @example
 * const source = { bdk: hexToBytes('FEDCBA9876543210F1F1F1F1F1F1F1F1'), ksn: hexToBytes('123456789012345600000001') }
 * bytesToHex(generateDukptMac(source, new TextEncoder().encode('4012345678909D987'), { direction: 'RESPONSE' })) // => 'DD4E1895FD9BF53D8DAF25568ABF551D'
 * bytesToHex(generateDukptMac(source, new TextEncoder().encode('4012345678909D987'), { direction: 'RESPONSE', method: 'HMAC' })) // => 'DDE7CB7BDE05AC9A934919B5D94C37954F2376BAF5D45031A56FE74D94C4B64D'
 */
export interface DukptMacOptions {
  /** 'REQUEST' (default: a message from the terminal) or 'RESPONSE' (from the host). */
  direction?: DukptDirection;
  /** TDES DUKPT: 'RETAIL' (default) or 'CMAC'. AES DUKPT: 'CMAC' (default), 'HMAC', or 'RETAIL' with a TDES2 key. */
  method?: DukptMacMethod;
  /** AES DUKPT only: the key usage, by default MAC_GENERATION for requests and MAC_VERIFICATION for responses. */
  usage?: 'MAC_GENERATION' | 'MAC_VERIFICATION' | 'MAC_BOTH';
}

const checkData = (data: unknown): Uint8Array => checkUint8Array('data', data);

interface MacPlan {
  s: CheckedSource;
  method: DukptMacMethod;
  algorithm: AesDukptAlgorithm;
  direction: DukptDirection;
  usage: AesDukptUsage;
  length: number;
}

function plan(source: unknown, opts: unknown): MacPlan {
  const s = checkSource('source', source);
  const o = checkOptions('opts', opts);
  const direction =
    o.direction === undefined ? 'REQUEST' : checkOneOf('opts.direction', o.direction, ['REQUEST', 'RESPONSE'] as const);
  if (s.scheme === 'TDES') {
    if (o.usage !== undefined)
      throw new CardHsmError('ERR_FORMAT', '"opts.usage" applies to AES DUKPT only (12-byte KSNs)', 'opts.usage');
    const method = o.method === undefined ? 'RETAIL' : checkOneOf('opts.method', o.method, ['RETAIL', 'CMAC'] as const);
    return { s, method, algorithm: 'TDES2', direction, usage: 'MAC_GENERATION', length: 8 };
  }
  const usage =
    o.usage !== undefined
      ? checkOneOf('opts.usage', o.usage, ['MAC_GENERATION', 'MAC_VERIFICATION', 'MAC_BOTH'] as const)
      : direction === 'REQUEST'
        ? 'MAC_GENERATION'
        : 'MAC_VERIFICATION';
  const asked =
    o.method === undefined ? undefined : checkOneOf('opts.method', o.method, ['RETAIL', 'CMAC', 'HMAC'] as const);
  const method = asked ?? (s.algorithm !== undefined && familyOf(s.algorithm) === 'HMAC' ? 'HMAC' : 'CMAC');
  const bits = s.keyBytes * 8;
  const algorithm =
    method === 'HMAC'
      ? operationAlgorithm(s.algorithm, 'source', ['HMAC'], `HMAC${bits}` as AesDukptAlgorithm)
      : method === 'CMAC'
        ? operationAlgorithm(s.algorithm, 'source', ['AES', 'TDES'], `AES${bits}` as AesDukptAlgorithm)
        : operationAlgorithm(s.algorithm, 'source', ['TDES'], 'TDES2');
  if (method === 'RETAIL' && algorithm !== 'TDES2') {
    throw new CardHsmError(
      'ERR_KEY_USAGE',
      '"source.algorithm" the retail MAC (ISO 9797-1 algorithm 3) takes a TDES2 key',
      'source.algorithm',
    );
  }
  const length = method === 'HMAC' ? 32 : familyOf(algorithm) === 'AES' ? 16 : 8;
  return { s, method, algorithm, direction, usage, length };
}

function computeMac(p: MacPlan, data: Uint8Array): Uint8Array {
  const key = workingKey(
    p.s,
    p.direction === 'REQUEST' ? 'MAC_REQUEST' : 'MAC_RESPONSE',
    p.usage,
    p.algorithm,
    'source.algorithm',
  );
  try {
    if (p.method === 'RETAIL') return isoMacUnchecked(key, data, 3, 1, 8); // ISO/IEC 9797-1 algorithm 3, padding 1 (X9.19)
    if (p.method === 'HMAC') return hmac('SHA-256', key, data);
    return familyOf(p.algorithm) === 'AES' ? aesCmac(key, data) : tdesCmac(key, data);
  } finally {
    key.fill(0);
  }
}

/**
 * The MAC of a DUKPT transaction's message, in full: 8 bytes (retail MAC, TDES-CMAC), 16 (AES-CMAC) or 32
 * (HMAC-SHA-256). Truncate it as the message format says (X9.24-1 A.4 shows the leftmost 4 bytes). The example's
 * MACs are moov-io/dukpt's: TDES (des_test.go initial sequence #1, whose first 4 bytes are ANSI X9.24-1 A.4.2's)
 * and AES-CMAC (aes_test.go TestAES128 initial sequence #1).
 * @param source `{ bdk | initialKey, ksn, algorithm? }` (DukptKeySource): a 10-byte KSN for TDES DUKPT, 12 bytes
 *   for AES DUKPT; BDK or initial key 16 bytes (TDES) or 16/24/32 (AES)
 * @param data the message, any length (HMAC: up to one kernel buffer, 512 KiB less 64 bytes)
 * @param opts `direction`, `method`, `usage` (DukptMacOptions)
 * @example
 * bytesToHex(generateDukptMac({ bdk: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), ksn: hexToBytes('FFFF9876543210E00001') }, new TextEncoder().encode('4012345678909D987'))) // => '9CCC78173FC4FB64'
 * bytesToHex(generateDukptMac({ bdk: hexToBytes('FEDCBA9876543210F1F1F1F1F1F1F1F1'), ksn: hexToBytes('123456789012345600000001') }, new TextEncoder().encode('4012345678909D987'))) // => 'A2EB5C1C35809E58404E873C3C411E31'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT, ERR_KEY_USAGE (a method the key cannot serve)
 */
export function generateDukptMac(source: DukptKeySource, data: Uint8Array, opts?: DukptMacOptions): Uint8Array {
  const p = plan(source, opts);
  return computeMac(p, checkData(data));
}

/**
 * Checks a DUKPT MAC, compared in constant time: `mac` may be the full MAC or its leftmost 4 bytes or more. A
 * wrong MAC gives false; only malformed input throws. `source`, `data` and `opts` as for generateDukptMac. The
 * example is ANSI X9.24-1:2009 A.4.2 initial sequence #1 (the MAC request's 4 bytes), then the next KSN's.
 * @example
 * verifyDukptMac({ bdk: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), ksn: hexToBytes('FFFF9876543210E00001') }, new TextEncoder().encode('4012345678909D987'), hexToBytes('9CCC7817')) // => true
 * verifyDukptMac({ bdk: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), ksn: hexToBytes('FFFF9876543210E00002') }, new TextEncoder().encode('4012345678909D987'), hexToBytes('9CCC7817')) // => false
 * @throws ERR_TYPE, ERR_LENGTH (a MAC shorter than 4 bytes or longer than the method's), ERR_FORMAT, ERR_KEY_USAGE
 */
export function verifyDukptMac(
  source: DukptKeySource,
  data: Uint8Array,
  mac: Uint8Array,
  opts?: DukptMacOptions,
): boolean {
  const p = plan(source, opts);
  const given = checkBytes(
    'mac',
    mac,
    Array.from({ length: p.length - 3 }, (_, i) => i + 4),
  );
  const full = computeMac(p, checkData(data));
  return constantTimeEqual(full.subarray(0, given.length), given);
}
