// Keys that must never be formed from components or imported: the DES weak and semi-weak keys (NIST SP 800-67
// Rev. 2 §3.3.2, as FIPS 74 lists them), TDES keys whose parts collapse to single DES (SP 800-67 §3.1: K1 ≠ K2,
// and K2 ≠ K3 for three keys), and an all-zero key of any algorithm. Parity bits are ignored: they take no part
// in DES, so 0000000000000000 is the weak key 0101010101010101.
import { CardHsmError } from '../errors.js';
import { bytesToHex, constantTimeEqual, hexToBytes } from '../bytes.js';
import { fixDesParity } from './parity.js';

/** The 4 weak and 12 semi-weak DES keys, with odd parity (SP 800-67 Rev. 2 §3.3.2). */
const WEAK_DES_KEYS: readonly string[] = [
  '0101010101010101',
  'FEFEFEFEFEFEFEFE',
  'E0E0E0E0F1F1F1F1',
  '1F1F1F1F0E0E0E0E',
  '011F011F010E010E',
  '1F011F010E010E01',
  '01E001E001F101F1',
  'E001E001F101F101',
  '01FE01FE01FE01FE',
  'FE01FE01FE01FE01',
  '1FE01FE00EF10EF1',
  'E01FE01FF10EF10E',
  '1FFE1FFE0EFE0EFE',
  'FE1FFE1FFE0EFE0E',
  'E0FEE0FEF1FEF1FE',
  'FEE0FEE0FEF1FEF1',
];

let weakSet: Set<string> | undefined;

/**
 * True when the 8-byte DES key is weak or semi-weak (its parity bits ignored).
 * @example isWeakDesKey(hexToBytes('0101010101010101')) // true
 */
export function isWeakDesKey(part: Uint8Array): boolean {
  weakSet ??= new Set(WEAK_DES_KEYS);
  return part.length === 8 && weakSet.has(bytesToHex(fixDesParity(part)));
}

/** The weak and semi-weak DES keys, for tests and documentation. */
export function weakDesKeys(): Uint8Array[] {
  return WEAK_DES_KEYS.map(hexToBytes);
}

/**
 * Refuses a key that is all zeros, or for TDES (`des` true) has a weak or semi-weak part or parts that make it
 * single DES. `field` names the input in the error (ERR_WEAK_KEY); the message never shows the key.
 */
export function checkNotWeak(field: string, key: Uint8Array, des: boolean): void {
  if (key.every((b) => b === 0) || (des && key.every((b) => (b & 0xfe) === 0))) {
    throw new CardHsmError('ERR_WEAK_KEY', `"${field}" would be a key of all zeros`, field);
  }
  if (!des) return;
  const parts = [0, 8, 16].filter((at) => at < key.length).map((at) => key.subarray(at, at + 8));
  if (parts.some(isWeakDesKey))
    throw new CardHsmError('ERR_WEAK_KEY', `"${field}" would be a weak or semi-weak DES key (SP 800-67 §3.3.2)`, field);
  const same = (a: Uint8Array, b: Uint8Array) => constantTimeEqual(fixDesParity(a), fixDesParity(b));
  if (parts.length > 1 && (same(parts[0]!, parts[1]!) || (parts.length === 3 && same(parts[1]!, parts[2]!)))) {
    throw new CardHsmError(
      'ERR_WEAK_KEY',
      `"${field}" would be single DES: its key parts repeat (SP 800-67 §3.1)`,
      field,
    );
  }
}

/** Refuses two identical components: dual control needs each custodian's secret to count. */
export function checkDistinctComponents(components: readonly Uint8Array[]): void {
  for (let i = 0; i < components.length; i++) {
    for (let j = i + 1; j < components.length; j++) {
      if (constantTimeEqual(components[i]!, components[j]!)) {
        throw new CardHsmError(
          'ERR_WEAK_KEY',
          `"components[${j}]" repeats "components[${i}]": their XOR cancels (dual control needs distinct components)`,
          `components[${j}]`,
        );
      }
    }
  }
}
