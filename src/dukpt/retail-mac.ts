// ISO/IEC 9797-1 MAC algorithm 3 (the "retail MAC" of ANSI X9.19) with padding method 1, for the TDES DUKPT MAC
// keys (ANSI X9.24-1 A.4 MACs with it). A minimal internal one: src/mac.ts is gaining a general ISO 9797-1 MAC,
// which should replace this file once both are merged.
//   H1..Hq = CBC-MAC of the zero-padded message under single DES with K (the key's left half); the MAC is
//   e_K(d_K'(Hq)) with K' the right half — which is 2-key TDES encryption of the last block XOR Hq-1.
import { tdesEncryptCbc, tdesEncryptEcb } from '../des.js';

/** The full 8-byte ISO 9797-1 algorithm 3 MAC of `data` (any length) under a validated 16-byte key. */
export function retailMac(key: Uint8Array, data: Uint8Array): Uint8Array {
  const padded = new Uint8Array(Math.max(8, Math.ceil(data.length / 8) * 8)); // an empty message is one zero block
  padded.set(data);
  const last = padded.length - 8;
  const chain = last === 0 ? new Uint8Array(8) : tdesEncryptCbc(key.subarray(0, 8), padded.subarray(0, last), new Uint8Array(8)).subarray(last - 8);
  const final = padded.subarray(last).map((b, i) => b ^ chain[i]!);
  try {
    return tdesEncryptEcb(key, final);
  } finally {
    padded.fill(0);
    final.fill(0);
  }
}
