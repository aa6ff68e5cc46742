// Known-answer vectors from public sources, one JSON file per primitive in test/vectors/ (each vector names its
// source). Returned loosely typed: each test reads the fields its file defines.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { bytesToHex, hexToBytes } from '../../src/index.js';

const h = hexToBytes;
const hex = bytesToHex;

export type Vector = Record<string, string | number | string[] | undefined> & { source: string };

export function loadVectors(name: string): Vector[] {
  const file = new URL(`../vectors/${name}.json`, import.meta.url);
  const { vectors } = JSON.parse(readFileSync(file, 'utf8')) as { vectors: Vector[] };
  if (!Array.isArray(vectors) || vectors.length === 0) throw new Error(`no vectors in ${name}.json`);
  return vectors;
}

/** A vector's field as a string (throws when absent, so a renamed field fails loudly). */
export function str(v: Vector, field: string): string {
  const value = v[field];
  if (typeof value !== 'string') throw new Error(`vector field "${field}" missing in: ${v.source}`);
  return value;
}

/** Test title: the first words of the source, enough to find it in the file. */
export function title(v: Vector, i: number): string {
  return `#${i} ${v.source.slice(0, 90)}`;
}

/** A 24-byte key with K1 = K2 = K3 (or 16 with K1 = K2) is single DES; cardhsm's PVK APIs take 8 or 16 bytes. */
export function pvkOf(v: Vector): Uint8Array {
  const k = h(str(v, 'pvk'));
  if (
    k.length === 24 &&
    hex(k.subarray(0, 8)) === hex(k.subarray(8, 16)) &&
    hex(k.subarray(0, 8)) === hex(k.subarray(16))
  )
    return k.subarray(0, 8);
  return k;
}

type Cipher = (key: Uint8Array, data: Uint8Array, iv: Uint8Array) => Uint8Array;

/** ECB and CBC known answers for one block cipher, both directions: one test per vector of `file`. */
export function blockCipherVectors(file: string, ecb: [Cipher, Cipher], cbc: [Cipher, Cipher]): void {
  loadVectors(file).forEach((v, i) => {
    test(title(v, i), () => {
      const key = h(str(v, 'key'));
      const [enc, dec] = v.mode === 'CBC' ? cbc : ecb;
      const iv = v.mode === 'CBC' ? h(str(v, 'iv')) : new Uint8Array(0); // ECB functions ignore it
      expect(hex(enc(key, h(str(v, 'plaintext')), iv))).toBe(str(v, 'ciphertext'));
      expect(hex(dec(key, h(str(v, 'ciphertext')), iv))).toBe(str(v, 'plaintext'));
    });
  });
}
