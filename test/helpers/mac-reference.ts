/**
 * An independent reference for ISO/IEC 9797-1:2011 MAC algorithms 1 and 3 with padding methods 1-3, written from the
 * standard's text over node:crypto's DES (via ./reference.ts, which touches only node:crypto), and HMAC with node:crypto
 * as the oracle. Nothing here imports the library under test. Clarity over speed.
 *
 *  - Padding (6.3): method 1 appends as few (possibly no) zero bits as give a POSITIVE multiple of the block length
 *    (so empty data becomes one zero block); method 2 appends a single one bit, then method 1; method 3 is method 1
 *    preceded by a block L holding the data's length in bits, right-justified.
 *  - Initial transformation 1 (7.2.1): H1 = e_K(D1). Iteration (7.3): Hi = e_K(Di XOR Hi-1).
 *  - Output transformation 1 (7.4.1): G = Hq; output transformation 3 (7.4.3): G = e_K(d_K'(Hq)).
 *  - MAC algorithm 1 (annex: CBC-MAC) uses transformation 1 with the block cipher under the whole key (DES or TDES);
 *    MAC algorithm 3 uses DES under K for the iteration and output transformation 3 with K'.
 *  - Truncation (7.5): the leftmost m bits.
 */
import { createHmac } from 'node:crypto';
import { refDesEcbEncrypt, refDesEcbDecrypt } from './reference.js';

export function refPad(data: Uint8Array, method: 1 | 2 | 3): Uint8Array {
  if (method === 2) {
    const withOne = new Uint8Array(data.length + 1);
    withOne.set(data);
    withOne[data.length] = 0x80;
    return refPad(withOne, 1);
  }
  if (method === 3) {
    const l = new Uint8Array(8);
    let bits = BigInt(data.length) * 8n;
    for (let i = 7; i >= 0; i--) {
      l[i] = Number(bits & 0xffn);
      bits >>= 8n;
    }
    const rest = refPad(data, 1);
    const out = new Uint8Array(8 + rest.length);
    out.set(l);
    out.set(rest, 8);
    return out;
  }
  const blocks = Math.max(1, Math.ceil(data.length / 8));
  const out = new Uint8Array(blocks * 8);
  out.set(data);
  return out;
}

function xor8(a: Uint8Array, b: Uint8Array): Uint8Array {
  return Uint8Array.from(a, (x, i) => x ^ b[i]!);
}

export function refIsoMac(
  key: Uint8Array,
  data: Uint8Array,
  algorithm: 1 | 3,
  padding: 1 | 2 | 3,
  length = 8,
): Uint8Array {
  const d = refPad(data, padding);
  const k = algorithm === 3 ? key.subarray(0, 8) : key;
  let h: Uint8Array = new Uint8Array(8);
  for (let i = 0; i < d.length; i += 8) h = refDesEcbEncrypt(k, xor8(h, d.subarray(i, i + 8)));
  if (algorithm === 3) h = refDesEcbEncrypt(key.subarray(0, 8), refDesEcbDecrypt(key.subarray(8, 16), h));
  return h.slice(0, length);
}

export function refHmac(hash: 'SHA-256' | 'SHA-384' | 'SHA-512', key: Uint8Array, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac(hash.replace('-', '').toLowerCase(), key).update(data).digest());
}
