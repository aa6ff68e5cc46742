/**
 * An independent DUKPT reference ("oracle") for the differential tests, written from the standards' text over
 * node:crypto (through the DES/AES oracles of reference.ts). It imports nothing from the library. It is meant
 * to be read: byte arrays and bit strings, one step of the standard per line, no tables, no shortcuts — and it
 * deliberately does NOT enforce the counter rules (at most 10 / 16 one-bits), so that the supplement's own
 * values for a 17-bit counter can be reproduced.
 *
 *  - TDES DUKPT, ANSI X9.24-1:2009 Annex A: A.6 (initial PIN encryption key), the "Calculate Key" walk over the
 *    21-bit encryption counter, A.2 "Non-reversible Key Generation Process", A.4 Table A-1 (variants) and the
 *    data-key one-way function (figure A-2).
 *  - AES DUKPT, ANSI X9.24-3:2017 6.3.2-6.3.3 (derivation data), 6.3.4 (key derivation = SP 800-108 counter mode
 *    with AES-ECB as the PRF), 6.5 (host derivation of the working key for a KSN).
 *  - ISO/IEC 9797-1 MAC algorithm 3 with padding method 1 (the "retail MAC" of the X9.24-1 A.4 examples).
 */
import { createHmac } from 'node:crypto';
import { refAesEcbEncrypt, refDesEcbDecrypt, refDesEcbEncrypt } from './reference.js';

const xor = (a: Uint8Array, b: Uint8Array): Uint8Array => a.map((v, i) => v ^ b[i]!);
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));

// ---------------------------------------------------------------------------------------------------------------
// TDES DUKPT (X9.24-1:2009 Annex A)
// ---------------------------------------------------------------------------------------------------------------

/** The constant of A.6 step 2 and of A.2 step 4: C0C0 C0C0 0000 0000 C0C0 C0C0 0000 0000. */
const C0_MASK = hex('C0C0C0C000000000C0C0C0C000000000');

/** The 21 counter bits are the rightmost 21 bits of the 80-bit KSN. */
export function refTdesCounter(ksn: Uint8Array): number {
  return ((ksn[7]! & 0x1f) << 16) | (ksn[8]! << 8) | ksn[9]!;
}

/**
 * A.6: "the initial PIN encryption key": the leftmost 64 bits of the KSN with the counter set to zero,
 * TDEA-encrypted under the BDK (left half), then under the BDK XOR C0C0... (right half).
 */
export function refTdesIpek(bdk: Uint8Array, ksn: Uint8Array): Uint8Array {
  const ksnReg = ksn.slice(0, 8);
  ksnReg[7]! &= 0xe0;
  const left = refDesEcbEncrypt(bdk, ksnReg);
  const right = refDesEcbEncrypt(xor(bdk, C0_MASK), ksnReg);
  return concat(left, right);
}

/** A.2 "Non-reversible Key Generation Process" on a 16-byte key register with crypto register-1 `reg` (8 bytes). */
export function refNrkgp(keyReg: Uint8Array, reg: Uint8Array): Uint8Array {
  const desOnce = (key8: Uint8Array, block: Uint8Array) => refDesEcbEncrypt(key8, block); // an 8-byte key: single DES
  // 1. Crypto register-1 XORed with the right half of the key register goes to crypto register-2.
  // 2. Crypto register-2 DEA-encrypted using, as the key, the left half of the key register goes to register-2.
  // 3. Crypto register-2 XORed with the right half of the key register goes to crypto register-2.
  let r2 = xor(reg, keyReg.subarray(8));
  r2 = desOnce(keyReg.subarray(0, 8), r2);
  r2 = xor(r2, keyReg.subarray(8));
  // 4. XOR the key register with C0C0 C0C0 0000 0000 C0C0 C0C0 0000 0000.
  const k = xor(keyReg, C0_MASK);
  // 5.-7. The same with the modified key register, into crypto register-1.
  let r1 = xor(reg, k.subarray(8));
  r1 = desOnce(k.subarray(0, 8), r1);
  r1 = xor(r1, k.subarray(8));
  // The new key: crypto register-1 (left) || crypto register-2 (right).
  return concat(r1, r2);
}

/**
 * The transaction key for a KSN, from the IPEK: the shift register walks the counter's bits from the most
 * significant; for every one-bit, that bit is set in the rightmost 64 bits of the KSN (counter cleared below it)
 * and the key register goes through the NRKGP.
 */
export function refTdesTransactionKeyFromIpek(ipek: Uint8Array, ksn: Uint8Array): Uint8Array {
  const counter = refTdesCounter(ksn);
  // The 64-bit "KSN register": the rightmost 8 bytes of the KSN with the counter cleared.
  const reg = ksn.slice(2, 10);
  reg[5]! &= 0xe0;
  reg[6] = 0;
  reg[7] = 0;
  let key: Uint8Array = ipek.slice();
  for (let bit = 20; bit >= 0; bit--) {
    if ((counter >> bit) & 1) {
      reg[7 - (bit >> 3)]! |= 1 << (bit & 7);
      key = refNrkgp(key, reg);
    }
  }
  return key;
}

export function refTdesTransactionKey(bdk: Uint8Array, ksn: Uint8Array): Uint8Array {
  return refTdesTransactionKeyFromIpek(refTdesIpek(bdk, ksn), ksn);
}

export type RefTdesVariant = 'PIN' | 'MAC_REQUEST' | 'MAC_RESPONSE' | 'DATA_REQUEST' | 'DATA_RESPONSE';

/** A.4 Table A-1: the variant constants, XORed into the transaction key. */
const VARIANT_MASKS: Record<RefTdesVariant, string> = {
  PIN: '00000000000000FF00000000000000FF',
  MAC_REQUEST: '000000000000FF00000000000000FF00',
  MAC_RESPONSE: '00000000FF00000000000000FF000000',
  DATA_REQUEST: '0000000000FF00000000000000FF0000',
  DATA_RESPONSE: '000000FF00000000000000FF00000000',
};

/** The working key: the variant; for data keys, then each half TDEA-encrypted under the variant key itself. */
export function refTdesWorkingKey(transactionKey: Uint8Array, variant: RefTdesVariant): Uint8Array {
  const key = xor(transactionKey, hex(VARIANT_MASKS[variant]));
  if (variant !== 'DATA_REQUEST' && variant !== 'DATA_RESPONSE') return key;
  return concat(refDesEcbEncrypt(key, key.subarray(0, 8)), refDesEcbEncrypt(key, key.subarray(8)));
}

/**
 * ISO/IEC 9797-1 MAC algorithm 3 (K = the left half, K' = the right half), padding method 1 (zeros; an empty
 * message is one zero block): CBC-MAC with single DES under K, then the last output decrypted under K' and
 * encrypted under K. The full 8 bytes.
 */
export function refRetailMac(key16: Uint8Array, data: Uint8Array): Uint8Array {
  const padded = new Uint8Array(Math.max(8, Math.ceil(data.length / 8) * 8));
  padded.set(data);
  const k = key16.subarray(0, 8);
  const k2 = key16.subarray(8);
  let h: Uint8Array = new Uint8Array(8);
  for (let off = 0; off < padded.length; off += 8) h = refDesEcbEncrypt(k, xor(h, padded.subarray(off, off + 8)));
  // Output transformation 3: G = e_K(d_K'(H_q)), single DES (8-byte keys).
  return refDesEcbEncrypt(k, refDesEcbDecrypt(k2, h));
}

// ---------------------------------------------------------------------------------------------------------------
// AES DUKPT (X9.24-3:2017)
// ---------------------------------------------------------------------------------------------------------------

/** 6.3.2 Table 2: key usage indicators. */
export const REF_USAGE = {
  KEY_ENCRYPTION: 0x0002,
  PIN_ENCRYPTION: 0x1000,
  MAC_GENERATION: 0x2000,
  MAC_VERIFICATION: 0x2001,
  MAC_BOTH: 0x2002,
  DATA_ENCRYPT: 0x3000,
  DATA_DECRYPT: 0x3001,
  DATA_BOTH: 0x3002,
  KEY_DERIVATION: 0x8000,
  KEY_DERIVATION_INITIAL_KEY: 0x8001,
} as const;
export type RefUsage = keyof typeof REF_USAGE;

/** 6.3.2 Table 3: algorithm indicators and key lengths in bits. */
export const REF_ALGORITHM = {
  TDES2: [0x0000, 128],
  TDES3: [0x0001, 192],
  AES128: [0x0002, 128],
  AES192: [0x0003, 192],
  AES256: [0x0004, 256],
  HMAC128: [0x0005, 128],
  HMAC192: [0x0005, 192],
  HMAC256: [0x0005, 256],
} as const;
export type RefAlgorithm = keyof typeof REF_ALGORITHM;

const u16 = (v: number) => Uint8Array.of(v >> 8, v & 0xff);

/** 6.3.3: the 16 bytes of derivation data for one block of output. */
export function refDerivationData(
  blockCounter: number,
  usage: number,
  algorithm: RefAlgorithm,
  context: Uint8Array,
): Uint8Array {
  const [indicator, bits] = REF_ALGORITHM[algorithm];
  return concat(Uint8Array.of(0x01, blockCounter), u16(usage), u16(indicator), u16(bits), context);
}

/** 6.3.4: the derived key is AES-ECB(key, derivation data) for block counters 1, 2, …, truncated to its length. */
export function refDeriveKey(key: Uint8Array, usage: number, algorithm: RefAlgorithm, context: Uint8Array): Uint8Array {
  const bits = REF_ALGORITHM[algorithm][1];
  const blocks: Uint8Array[] = [];
  for (let i = 1; i <= Math.ceil(bits / 128); i++)
    blocks.push(refAesEcbEncrypt(key, refDerivationData(i, usage, algorithm, context)));
  return concat(...blocks).slice(0, bits / 8);
}

const aesType = (key: Uint8Array): RefAlgorithm => `AES${key.length * 8}` as RefAlgorithm;

/** 6.5.1: the initial key from the BDK and the 8-byte initial key ID. */
export function refAesInitialKey(bdk: Uint8Array, initialKeyId: Uint8Array): Uint8Array {
  return refDeriveKey(bdk, REF_USAGE.KEY_DERIVATION_INITIAL_KEY, aesType(bdk), initialKeyId);
}

/** The context of every key below the initial key: the derivation ID (KSN bytes 4..7) || a 32-bit counter. */
function refContext(ksn: Uint8Array, counter: number): Uint8Array {
  return concat(
    ksn.subarray(4, 8),
    Uint8Array.of(counter >>> 24, (counter >>> 16) & 0xff, (counter >>> 8) & 0xff, counter & 0xff),
  );
}

/**
 * 6.5 "Host Derive Working Key", its first part: from the initial key, one intermediate derivation key per one-bit
 * of the transaction counter (KSN bytes 8..11), most significant first; each one's counter is the bits walked so far.
 */
export function refAesDerivationKey(initialKey: Uint8Array, ksn: Uint8Array): Uint8Array {
  const counter = ((ksn[8]! << 24) | (ksn[9]! << 16) | (ksn[10]! << 8) | ksn[11]!) >>> 0;
  let key: Uint8Array = initialKey.slice();
  let walked = 0;
  for (let bit = 31; bit >= 0; bit--) {
    const mask = 2 ** bit;
    if (Math.floor(counter / mask) % 2 === 1) {
      walked += mask;
      key = refDeriveKey(key, REF_USAGE.KEY_DERIVATION, aesType(initialKey), refContext(ksn, walked));
    }
  }
  return key;
}

/** 6.5, the second part: the working key of `usage` and `algorithm` from the counter's derivation key. */
export function refAesWorkingKeyFromInitialKey(
  initialKey: Uint8Array,
  ksn: Uint8Array,
  usage: RefUsage,
  algorithm: RefAlgorithm,
): Uint8Array {
  const counter = ((ksn[8]! << 24) | (ksn[9]! << 16) | (ksn[10]! << 8) | ksn[11]!) >>> 0;
  return refDeriveKey(refAesDerivationKey(initialKey, ksn), REF_USAGE[usage], algorithm, refContext(ksn, counter));
}

export function refAesWorkingKey(
  bdk: Uint8Array,
  ksn: Uint8Array,
  usage: RefUsage,
  algorithm: RefAlgorithm,
): Uint8Array {
  return refAesWorkingKeyFromInitialKey(refAesInitialKey(bdk, ksn.subarray(0, 8)), ksn, usage, algorithm);
}

/** HMAC-SHA-256 from node:crypto, for the HMAC working keys. */
export function refHmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', key).update(data).digest());
}
