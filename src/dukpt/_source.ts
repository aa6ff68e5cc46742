// The key side of a DUKPT operation (PIN, MAC, data): a BDK or one device's initial key, the transaction's KSN,
// and for AES DUKPT the working key's algorithm. The KSN's length names the scheme — 10 bytes TDES DUKPT
// (ANSI X9.24-1), 12 bytes AES DUKPT (ANSI X9.24-3) — so one shape serves both, as on AWS Payment Cryptography.
// A facade that opens a B0 (BDK) or B1 (initial key) key block passes the clear key here.
import { CardHsmError } from '../errors.js';
import { checkBytes, checkOneOf, checkOptions } from '../_validate.js';
import { checkKsn, schemeOfKsn, type DukptScheme } from './_ksn.js';
import type { AesDukptAlgorithm, AesDukptUsage } from './aes.js';
import { AES_DUKPT_ALGORITHMS, aesWorkingKeys } from './_aes.js';
import type { DukptVariant } from './tdes.js';
import { tdesWorkingKeys } from './_tdes.js';
import type { KeySource } from './_derive.js';

/** A validated source: the key source for the kernel, the KSN, and the algorithm asked for (AES only). */
export interface CheckedSource {
  source: KeySource;
  scheme: DukptScheme;
  ksn: Uint8Array;
  /** The source key's length in bytes. */
  keyBytes: number;
  algorithm: AesDukptAlgorithm | undefined;
}

/**
 * Validates a DUKPT source; `at` prefixes field names ('from' gives 'from.bdk', 'from.ksn'; '' gives 'bdk').
 * TDES: bdk or initialKey (the IPEK) of 16 bytes, no algorithm. AES: 16, 24 or 32 bytes.
 */
export function checkSource(at: string, value: unknown): CheckedSource {
  const o = checkOptions(at || 'source', value);
  const ksnField = at ? `${at}.ksn` : 'ksn';
  const scheme = schemeOfKsn(ksnField, o.ksn);
  return { ...checkSourceKey(at, o, scheme), ksn: checkKsn(ksnField, o.ksn, scheme) };
}

/** The key half of a source (no KSN): for batches, whose KSNs come per item. */
export function checkSourceKey(
  at: string,
  o: Record<string, unknown>,
  scheme: DukptScheme,
): Omit<CheckedSource, 'ksn'> {
  const f = (name: string) => (at ? `${at}.${name}` : name);
  const lengths = scheme === 'TDES' ? [16] : [16, 24, 32];
  if ((o.bdk === undefined) === (o.initialKey === undefined)) {
    throw new CardHsmError('ERR_FORMAT', `"${at || 'source'}" expected exactly one of bdk and initialKey`, f('bdk'));
  }
  const source: KeySource =
    o.bdk !== undefined
      ? { scheme, bdk: checkBytes(f('bdk'), o.bdk, lengths) }
      : { scheme, initialKey: checkBytes(f('initialKey'), o.initialKey, lengths) };
  let algorithm: AesDukptAlgorithm | undefined;
  if (o.algorithm !== undefined) {
    if (scheme === 'TDES')
      throw new CardHsmError(
        'ERR_FORMAT',
        `"${f('algorithm')}" applies to AES DUKPT only (12-byte KSNs)`,
        f('algorithm'),
      );
    algorithm = checkOneOf(f('algorithm'), o.algorithm, AES_DUKPT_ALGORITHMS);
  }
  const keyBytes = 'bdk' in source ? source.bdk.length : source.initialKey.length;
  return { source, scheme, keyBytes, algorithm };
}

/** The family of an AES DUKPT working key algorithm. */
export function familyOf(algorithm: AesDukptAlgorithm): 'AES' | 'TDES' | 'HMAC' {
  return algorithm.startsWith('AES') ? 'AES' : algorithm.startsWith('TDES') ? 'TDES' : 'HMAC';
}

/** The working key for a checked source: the TDES variant, or the AES DUKPT key of `usage` and `algorithm`. */
export function workingKey(
  s: CheckedSource,
  variant: DukptVariant,
  usage: AesDukptUsage,
  algorithm: AesDukptAlgorithm,
  field: string,
): Uint8Array {
  return s.scheme === 'TDES'
    ? tdesWorkingKeys(s.source, [s.ksn], variant)[0]!
    : aesWorkingKeys(s.source, [s.ksn], usage, algorithm, field)[0]!;
}

/**
 * The AES DUKPT working key algorithm for an operation: the one asked for (`algorithm`), checked against the
 * families the operation allows, else `fallback`.
 */
export function operationAlgorithm(
  algorithm: AesDukptAlgorithm | undefined,
  at: string,
  allowed: ReadonlyArray<'AES' | 'TDES' | 'HMAC'>,
  fallback: AesDukptAlgorithm,
): AesDukptAlgorithm {
  const chosen = algorithm ?? fallback;
  if (!allowed.includes(familyOf(chosen))) {
    const field = at ? `${at}.algorithm` : 'algorithm';
    throw new CardHsmError(
      'ERR_KEY_USAGE',
      `"${field}" ${chosen} does not serve this operation (${allowed.join(' or ')} keys do)`,
      field,
    );
  }
  return chosen;
}
