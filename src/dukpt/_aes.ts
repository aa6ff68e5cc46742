// AES DUKPT's tables (ANSI X9.24-3 tables 2 and 3) and the working-key spec the kernel takes, for the library's
// own uses (DUKPT PIN, MAC and data operations, the Hsm); aes.ts has the public derivations.
import { CardHsmError } from '../errors.js';
import { deriveKeys, KIND, type KeySource, type WorkingSpec } from './_derive.js';
import type { AesDukptAlgorithm, AesDukptUsage } from './aes.js';

/** Table 2: key usage indicators. */
export const USAGE: Record<AesDukptUsage, number> = {
  KEY_ENCRYPTION: 0x0002,
  PIN_ENCRYPTION: 0x1000,
  MAC_GENERATION: 0x2000,
  MAC_VERIFICATION: 0x2001,
  MAC_BOTH: 0x2002,
  DATA_ENCRYPT: 0x3000,
  DATA_DECRYPT: 0x3001,
  DATA_BOTH: 0x3002,
  KEY_DERIVATION: 0x8000,
};

export const AES_DUKPT_USAGES = Object.keys(USAGE) as AesDukptUsage[];

/** Table 3: algorithm indicator and length in bits. */
export const ALGORITHM: Record<AesDukptAlgorithm, readonly [number, number]> = {
  TDES2: [0, 128],
  TDES3: [1, 192],
  AES128: [2, 128],
  AES192: [3, 192],
  AES256: [4, 256],
  HMAC128: [5, 128],
  HMAC192: [5, 192],
  HMAC256: [5, 256],
};

export const AES_DUKPT_ALGORITHMS = Object.keys(ALGORITHM) as AesDukptAlgorithm[];

/** The AES algorithm of a key's own length: the default working key algorithm. */
export const aesAlgorithmOf = (key: Uint8Array): AesDukptAlgorithm => `AES${key.length * 8}` as AesDukptAlgorithm;

/** Bytes of a working key of `algorithm`. */
export const keyBytesOf = (algorithm: AesDukptAlgorithm): number => ALGORITHM[algorithm][1] / 8;

/**
 * The kernel's spec for a working key of `usage`/`algorithm` under a source key of `sourceBytes`, refusing one
 * stronger than its source (X9.24-3 6.1.3: AES and HMAC keys no longer than the BDK; TDES keys are weaker than
 * any AES key). `field` names the algorithm option in errors.
 */
export function workingSpec(
  usage: AesDukptUsage,
  algorithm: AesDukptAlgorithm,
  sourceBytes: number,
  field: string,
): WorkingSpec {
  const [indicator, bits] = ALGORITHM[algorithm];
  if (indicator >= 2 && bits > sourceBytes * 8) {
    throw new CardHsmError(
      'ERR_KEY_USAGE',
      `"${field}" ${algorithm} is stronger than the ${sourceBytes * 8}-bit key it would derive from (X9.24-3 6.1.3)`,
      field,
    );
  }
  return { usage: USAGE[usage], algorithm: indicator, bits };
}

/** Working keys for many KSNs from a validated source (the operations' common path). */
export function aesWorkingKeys(
  source: KeySource,
  ksns: readonly Uint8Array[],
  usage: AesDukptUsage,
  algorithm: AesDukptAlgorithm,
  field: string,
): Uint8Array[] {
  const sourceBytes = 'bdk' in source ? source.bdk.length : source.initialKey.length;
  return deriveKeys(
    source,
    ksns,
    KIND.WORKING,
    keyBytesOf(algorithm),
    workingSpec(usage, algorithm, sourceBytes, field),
  );
}
