// Message authentication codes:
//   CMAC (NIST SP 800-38B) over AES and TDES: the MAC of TR-31 versions D and B and of AES key check values;
//   ISO/IEC 9797-1:2011 MAC algorithm 1 (CBC-MAC, DES or TDES) and algorithm 3 (the "retail MAC", ANSI X9.19:
//   DES CBC under K, then D(K') E(K) on the last block), padding methods 1, 2 and 3 (6.3.1-6.3.3): the MACs of
//   ISO 8583 messages and of the EMV cryptograms and issuer scripts;
//   HMAC (FIPS 198-1, RFC 2104) over SHA-256, SHA-384 and SHA-512 (FIPS 180-4).
// Messages longer than one kernel buffer are chained in chunks, then the last block finishes the MAC.
import { checkBytes, checkInt, checkOneOf, checkOptions, checkUint8Array } from './_validate.js';
import { CardHsmError } from './errors.js';
import { withKernel, keySchedule, ALG_AES, ALG_TDES } from './wasm/_calls.js';
import { absorbPrefix, isoMacUnchecked } from './_mac.js';

const checkData = (data: unknown): Uint8Array => checkUint8Array('data', data);

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
 * AES-CMAC (NIST SP 800-38B) of `data` (any length, 0 included) under a 16-, 24- or 32-byte key; the full 16-byte
 * tag (truncate it yourself where a protocol sends fewer bytes). The examples are NIST SP 800-38B Appendix D.1
 * (AES-128) Examples 1 and 2, also RFC 4493 section 4.
 * @example
 * bytesToHex(aesCmac(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), new Uint8Array(0))) // => 'BB1D6929E95937287FA37D129B756746'
 * bytesToHex(aesCmac(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), hexToBytes('6BC1BEE22E409F96E93D7E117393172A'))) // => '070A16B46B4D4144F79BDD9DD04A287C'
 * @throws ERR_TYPE, ERR_LENGTH (key)
 */
export function aesCmac(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkBytes('key', key, [16, 24, 32]);
  return cmac(ALG_AES, key, checkData(data), 16);
}

/**
 * TDES-CMAC (NIST SP 800-38B) of `data` (any length, 0 included) under an 8-, 16- or 24-byte key; the full 8-byte
 * tag. The example is NIST SP 800-38B Appendix D.5 (two-key TDEA) Example 18, as corrected by NIST's
 * Updated_CMAC_Examples.pdf.
 * @example
 * bytesToHex(tdesCmac(hexToBytes('4CF15134A2850DD58A3D10BA80570D38'), hexToBytes('6BC1BEE22E409F96'))) // => '4FF2AB813C53CE83'
 * @throws ERR_TYPE, ERR_LENGTH (key)
 */
export function tdesCmac(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkBytes('key', key, [8, 16, 24]);
  return cmac(ALG_TDES, key, checkData(data), 8);
}

/**
 * ISO/IEC 9797-1 MAC algorithm, padding method and MAC length (bytes, the leftmost of the output block), for
 * isoMac. The example is MAC algorithm 1 with padding method 1 and a 32-bit MAC over ISO/IEC 9797-1 Annex B's
 * "Now is the time for all ", the value as test/vectors/isomac.json has it (confirmed by the independent reference
 * test/helpers/mac-reference.ts).
 * @example
 * const opts = { algorithm: 1, padding: 1, length: 4 }
 * bytesToHex(isoMac(hexToBytes('0123456789ABCDEF'), new TextEncoder().encode('Now is the time for all '), opts)) // => '70A30640'
 */
export interface IsoMacOptions {
  /** 1: CBC-MAC (single DES with an 8-byte key, TDES with 16 or 24); 3: retail MAC with a 16-byte key K || K'. */
  algorithm: 1 | 3;
  /** 1: zeros (an empty message is one zero block); 2: 0x80 then zeros; 3: a length block L, then zeros. */
  padding: 1 | 2 | 3;
  /** 4..8 bytes; default 8. */
  length?: number;
}

/** Validated ISO/IEC 9797-1 options. */
function isoMacOptions(opts: unknown): Required<IsoMacOptions> {
  const o = checkOptions('opts', opts);
  if (o.algorithm !== 1 && o.algorithm !== 3)
    throw new CardHsmError('ERR_FORMAT', '"opts.algorithm" expected 1 or 3', 'opts.algorithm');
  if (o.padding !== 1 && o.padding !== 2 && o.padding !== 3)
    throw new CardHsmError('ERR_FORMAT', '"opts.padding" expected 1, 2 or 3', 'opts.padding');
  const { algorithm, padding } = o as { algorithm: 1 | 3; padding: 1 | 2 | 3 };
  const length = o.length === undefined ? 8 : checkInt('opts.length', o.length, 4, 8);
  return { algorithm, padding, length };
}

/**
 * ISO/IEC 9797-1 MAC algorithm 1 (CBC-MAC: single DES with an 8-byte key, TDES with a 16- or 24-byte key) or
 * algorithm 3 (retail MAC, ANSI X9.19: a 16-byte key K || K'), padding method 1, 2 or 3, of `data` (any length);
 * returns the leftmost `length` (4..8, default 8) bytes. Padding method 1 of empty data is one zero block, as
 * ISO/IEC 9797-1 (a positive number of blocks), pyemv and psec have it. The first example is ISO/IEC 9797-1:2011
 * Annex B.4 (algorithm 3, K = 0123456789ABCDEF, K' = FEDCBA9876543210); the second, algorithm 1 over the same
 * message, is test/vectors/isomac.json's value confirmed by the independent reference test/helpers/mac-reference.ts.
 * @example
 * bytesToHex(isoMac(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), new TextEncoder().encode('Now is the time for all '), { algorithm: 3, padding: 1 })) // => 'A1C72E74EA3FA9B6'
 * bytesToHex(isoMac(hexToBytes('0123456789ABCDEF'), new TextEncoder().encode('Now is the time for all '), { algorithm: 1, padding: 1, length: 4 })) // => '70A30640'
 * @throws ERR_TYPE, ERR_LENGTH (key 8/16/24 bytes for algorithm 1, 16 for algorithm 3), ERR_FORMAT (options)
 */
export function isoMac(key: Uint8Array, data: Uint8Array, opts: IsoMacOptions): Uint8Array {
  const o = isoMacOptions(opts);
  checkBytes('key', key, o.algorithm === 3 ? [16] : [8, 16, 24]);
  return isoMacUnchecked(key, checkData(data), o.algorithm, o.padding, o.length);
}

/** An HMAC key: any byte string up to 1024 bytes (RFC 2104 allows any length; longer ones serve no purpose). */
function checkKeyBytes(key: unknown): Uint8Array {
  if (!(key instanceof Uint8Array)) checkBytes('key', key, []);
  const k = key as Uint8Array;
  if (k.length > 1024)
    throw new CardHsmError('ERR_LENGTH', `"key" expected 0..1024 bytes, got length=${k.length}`, 'key');
  return k;
}

/**
 * The hash of hmac: SHA-256, SHA-384 or SHA-512 (FIPS 180-4), giving 32-, 48- or 64-byte tags. The example is
 * RFC 4231 test case 1.
 * @example
 * const hash = 'SHA-512'
 * bytesToHex(hmac(hash, hexToBytes('0B'.repeat(20)), new TextEncoder().encode('Hi There'))).slice(0, 16) // => '87AA7CDEA5EF619D'
 * hmac(hash, hexToBytes('0B'.repeat(20)), new TextEncoder().encode('Hi There')).length // => 64
 */
export type HmacHash = 'SHA-256' | 'SHA-384' | 'SHA-512';
const HMAC_BITS: Record<HmacHash, number> = { 'SHA-256': 256, 'SHA-384': 384, 'SHA-512': 512 };

/**
 * HMAC (FIPS 198-1, RFC 2104) of `data` (any length) under `key` (0..1024 bytes; keys longer than the hash's
 * block are hashed first) with SHA-256, SHA-384 or SHA-512 (FIPS 180-4); the full 32-, 48- or 64-byte tag. The hashes run
 * in the kernel, so no platform crypto API is needed. The examples are RFC 4231 test cases 1 and 2.
 * @example
 * bytesToHex(hmac('SHA-256', hexToBytes('0B'.repeat(20)), new TextEncoder().encode('Hi There'))) // => 'B0344C61D8DB38535CA8AFCEAF0BF12B881DC200C9833DA726E9376C2E32CFF7'
 * bytesToHex(hmac('SHA-384', new TextEncoder().encode('Jefe'), new TextEncoder().encode('what do ya want for nothing?'))).slice(0, 16) // => 'AF45D2E376484031'
 * @throws ERR_TYPE, ERR_LENGTH (key over 1024 bytes), ERR_FORMAT (hash)
 */
export function hmac(hash: HmacHash, key: Uint8Array, data: Uint8Array): Uint8Array {
  const bits = HMAC_BITS[checkOneOf('hash', hash, ['SHA-256', 'SHA-384', 'SHA-512'] as const)];
  checkKeyBytes(key);
  checkData(data);
  const block = bits === 256 ? 64 : 128;
  return withKernel(Math.max(key.length, data.length), 64, (k) => {
    const m = k.mem;
    const x = k.x;
    m.set(key, k.IN);
    x.hmacStart(bits, k.IN, key.length);
    m.fill(0, k.IN, k.IN + key.length);
    const step = k.IO_BYTES - (k.IO_BYTES % block);
    // Every whole block but the last bytes goes through hmacUpdate; hmacFinish takes the rest (at most one buffer).
    const last = data.length <= step ? 0 : data.length - (((data.length - 1) % step) + 1);
    for (let off = 0; off < last; off += step) {
      m.set(data.subarray(off, off + step), k.IN);
      x.hmacUpdate(bits, k.IN, step);
    }
    m.set(data.subarray(last), k.IN);
    x.hmacFinish(bits, k.IN, data.length - last, last, k.OUT);
    return m.slice(k.OUT, k.OUT + bits / 8);
  });
}
