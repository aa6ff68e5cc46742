// Visa CVV method (CVV, CVV2, iCVV; also the TDES profile of dynamic CVV2), as published in Visa's and
// IBM's CCA documentation: data = 32 digits, C = TDES_EDE(KA,KB)(DES_KA(block1) XOR block2), decimalized.
//
// Depends on: des.ts (tdesBlock), digits.ts, bitslice.ts (batches of BS_MIN records or more).
import { tdesBlock } from './des';
import { packDigits16, decimalize } from './digits';
import { bsCvv, bsBlocks } from './bitslice';

/** Bytes of one input record: the 32-digit data string in ASCII, NUL-padded (PAN || expiry || service code). */
export const CVV_RECORD: i32 = 32;

/**
 * For each of `n` records at `src`, writes the first `digits` decimalized digits (ASCII) to `dst` with stride
 * `digits`. `ks` is a 2-key TDES schedule of CVK A || CVK B. Batches of BS_MIN records or more run bitsliced.
 */
export function cvvBatch(ks: usize, src: usize, dst: usize, n: i32, digits: i32): void {
  const sliced = bsBlocks(n);
  if (sliced > 0) bsCvv(ks, src, dst, sliced, digits);
  for (let i = sliced; i < n; i++) {
    const rec = src + <usize>(i * CVV_RECORD);
    const b1 = packDigits16(rec);
    const b2 = packDigits16(rec + 16);
    const c = tdesBlock(tdesBlock(b1, ks, false, true) ^ b2, ks, false, false);
    decimalize(c, digits, dst + <usize>(i * digits));
  }
}
