// Visa PIN Verification Value (Visa PIN security; IBM CCA "VISA-PVV"): TSP = 11 PAN digits || PVKI || 4 PIN
// digits, TDES-encrypted under the PVK, decimalized to 4 digits.
//
// Depends on: des.ts (tdesBlock), digits.ts, bitslice.ts (batches of BS_MIN records or more).
import { tdesBlock } from './des';
import { packDigits16, decimalize } from './digits';
import { bsPvv, bsBlocks } from './bitslice';

/** Bytes of one input record: the 16-digit transformed security parameter (TSP) in ASCII. */
export const PVV_RECORD: i32 = 16;

/**
 * For each of `n` TSP records at `src`, writes the 4-digit PVV (ASCII) to `dst` with stride 4. Batches of BS_MIN
 * records or more run bitsliced.
 */
export function pvvBatch(ks: usize, single: bool, src: usize, dst: usize, n: i32): void {
  const sliced = bsBlocks(n);
  if (sliced > 0) bsPvv(ks, single, src, dst, sliced);
  for (let i = sliced; i < n; i++) {
    const c = tdesBlock(packDigits16(src + <usize>(i * PVV_RECORD)), ks, false, single);
    decimalize(c, 4, dst + <usize>(i * 4));
  }
}
