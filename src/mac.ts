// CMAC (NIST SP 800-38B) over AES and TDES: the MAC of TR-31 versions D and B and of AES key check values.
// Messages longer than one kernel buffer are CBC-MACed in chunks, then the last block finishes the CMAC.
import { checkBytes } from './validate.js';
import { CardHsmError } from './errors.js';
import { withKernel, keySchedule, ALG_AES, ALG_TDES, type Kernel } from './wasm/calls.js';

function checkData(data: unknown): Uint8Array {
  if (!(data instanceof Uint8Array)) {
    throw new CardHsmError('ERR_TYPE', `"data" expected a Uint8Array, got ${data === null ? 'null' : typeof data}`, 'data');
  }
  return data;
}

/**
 * Feeds every block of `data` but the last through CBC (output discarded, chaining value left in IV) and
 * returns the offset of the final block, which the CMAC kernel then finishes.
 */
function absorbPrefix(k: Kernel, data: Uint8Array, block: number, cbc: (n: number) => void): number {
  const last = data.length === 0 ? 0 : data.length - (data.length % block || block);
  const step = k.IO_BYTES - (k.IO_BYTES % block);
  for (let off = 0; off < last; off += step) {
    const chunk = Math.min(step, last - off);
    k.mem.set(data.subarray(off, off + chunk), k.IN);
    cbc(chunk / block);
  }
  return last;
}

function cmac(alg: number, key: Uint8Array, data: Uint8Array, block: number): Uint8Array {
  return withKernel(data.length, Math.max(block, data.length), (k) => {
    const [ks, mode] = keySchedule(k, alg, key);
    const aes = alg === ALG_AES;
    const cbc = aes ? k.x.aesCbc : k.x.tdesCbc;
    const finish = aes ? k.x.aesCmac : k.x.tdesCmac;
    k.mem.fill(0, k.IV, k.IV + 16);
    const last = absorbPrefix(k, data, block, (n) => cbc(ks, mode, 0, k.IV, k.IN, k.OUT, n));
    k.mem.set(data.subarray(last), k.IN);
    finish(ks, mode, k.IV, k.IN, data.length - last, k.OUT);
    return k.mem.slice(k.OUT, k.OUT + block);
  });
}

/**
 * AES-CMAC (NIST SP 800-38B) of `data` (any length) under a 16-, 24- or 32-byte key; the full 16-byte tag.
 * @example bytesToHex(aesCmac(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), new Uint8Array(0))) // 'BB1D6929E95937287FA37D129B756746'
 * @throws ERR_TYPE, ERR_LENGTH
 */
export function aesCmac(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkBytes('key', key, [16, 24, 32]);
  return cmac(ALG_AES, key, checkData(data), 16);
}

/**
 * TDES-CMAC (NIST SP 800-38B) of `data` (any length) under an 8-, 16- or 24-byte key; the full 8-byte tag.
 * @throws ERR_TYPE, ERR_LENGTH
 */
export function tdesCmac(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkBytes('key', key, [8, 16, 24]);
  return cmac(ALG_TDES, key, checkData(data), 8);
}
