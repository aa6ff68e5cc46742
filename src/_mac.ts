// The ISO/IEC 9797-1 MAC core for the library's own uses (EMV cryptograms and scripts, DUKPT's retail MAC, the
// Hsm's M keys), which pass validated arguments; mac.ts is the public face and validates.
import { withKernel, keySchedule, ALG_TDES, type Kernel } from './wasm/_calls.js';

/**
 * Feeds every block of `data` but the last through CBC (output discarded, chaining value left in IV) and
 * returns the offset of the final block, which the CMAC kernel then finishes.
 */
export function absorbPrefix(k: Kernel, data: Uint8Array, block: number, cbc: (n: number) => void): number {
  const last = data.length === 0 ? 0 : data.length - (data.length % block || block);
  const step = k.IO_BYTES - (k.IO_BYTES % block);
  for (let off = 0; off < last; off += step) {
    const chunk = Math.min(step, last - off);
    k.mem.set(data.subarray(off, off + chunk), k.IN);
    cbc(chunk / block);
  }
  return last;
}

/**
 * ISO/IEC 9797-1 MAC of `data` (validated by the caller): algorithm 1 or 3, padding 1-3, the leftmost `length`
 * bytes. Shared by isoMac and the EMV modules (cryptograms, issuer scripts), which pass validated arguments.
 */
export function isoMacUnchecked(
  key: Uint8Array,
  data: Uint8Array,
  algorithm: 1 | 3,
  padding: 1 | 2 | 3,
  length: number,
): Uint8Array {
  const head = padding === 3 ? 8 : 0;
  // The CBC chaining writes each chunk's ciphertext to OUT, so OUT is wiped as far as IN.
  const used = Math.max(head, data.length, 8);
  return withKernel(used, used, (k) => {
    const [ks, mode] = keySchedule(k, ALG_TDES, key);
    // Algorithm 3 chains single DES under K (K1 of the K || K' schedule) and finishes with EDE(K, K', K).
    const single = algorithm === 3 ? 1 : mode;
    const finalSingle = algorithm === 3 ? 0 : mode;
    const x = k.x;
    k.mem.fill(0, k.IV, k.IV + 8);
    if (padding === 3) {
      // Method 3: the block L (the data's length in bits, big-endian) comes first; it is never the last block.
      const bits = data.length * 8;
      const view = new DataView(k.mem.buffer, k.IN, 8);
      view.setUint32(0, Math.floor(bits / 2 ** 32));
      view.setUint32(4, bits >>> 0);
      x.tdesCbc(ks, single, 0, k.IV, k.IN, k.OUT, 1);
    }
    const last = absorbPrefix(k, data, 8, (n) => x.tdesCbc(ks, single, 0, k.IV, k.IN, k.OUT, n));
    k.mem.set(data.subarray(last), k.IN);
    x.isoMacFinish(ks, single, finalSingle, k.IV, k.IN, data.length - last, +(padding === 2), k.OUT);
    return k.mem.slice(k.OUT, k.OUT + length);
  });
}
