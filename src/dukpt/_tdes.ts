// TDES DUKPT's variants in the kernel's order and working keys for many KSNs, for the library's own uses (the
// batch PIN path, the key source checks); tdes.ts has the public derivations.
import { deriveKeys, KIND, type KeySource } from './_derive.js';
import type { DukptVariant } from './tdes.js';

/** In the order of assembly/dukpt.ts VARIANTS. */
export const DUKPT_VARIANTS: readonly DukptVariant[] = [
  'PIN',
  'MAC_REQUEST',
  'MAC_RESPONSE',
  'DATA_REQUEST',
  'DATA_RESPONSE',
];

/** The working keys of one variant for many KSNs (for the batch PIN path and tests). */
export function tdesWorkingKeys(source: KeySource, ksns: readonly Uint8Array[], variant: DukptVariant): Uint8Array[] {
  return deriveKeys(source, ksns, KIND.WORKING, 16, {
    usage: DUKPT_VARIANTS.indexOf(variant),
    algorithm: 0,
    bits: 128,
  });
}
