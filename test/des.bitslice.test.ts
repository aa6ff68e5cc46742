// The bitsliced DES/TDES kernel (assembly/bitslice.ts, generated rounds in assembly/des_bitslice.ts) against the
// table-driven path and node:crypto. Batches of 10 or more blocks run bitsliced (BS_MIN), one block at a time
// never does, so a batch must equal its blocks done singly, and both must equal OpenSSL. Sizes cluster around
// that threshold and around multiples of the 128-block group (final partial groups of 10 or more run sliced,
// smaller ones by table).
// Seeded, so every run checks the same ~190,000 blocks and ~37,000 card records.
import { describe, expect, test } from 'vitest';
import * as api from '../src/index.js';
import { kernel } from '../src/wasm/_loader.js';
import { refDesEcbEncrypt, refDesEcbDecrypt, refCvv, refVisaPvv } from './helpers/reference.js';
import { mulberry32 } from '../scripts/mulberry32.mjs'; // seeded, so failures reproduce

function randomBytes(rand: () => number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (rand() * 256) | 0;
  return out;
}

function randomDigits(rand: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String((rand() * 10) | 0);
  return s;
}

// Batch sizes in blocks or records: around the slicing threshold (10), the group size and partial final groups.
const SIZES = [
  1, 2, 7, 8, 9, 10, 11, 12, 31, 63, 64, 65, 127, 128, 129, 130, 136, 137, 138, 139, 140, 150, 191, 192, 193, 255, 256,
  257, 265, 266, 267, 300, 383, 384, 385, 1000, 4097,
];

/** Index of the first differing byte, or -1 (vitest's deep equality is slow on half-megabyte arrays). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** The batch's blocks encrypted (or decrypted) one public call per block: always the table path. */
function oneByOne(key: Uint8Array, data: Uint8Array, decrypt: boolean): Uint8Array {
  const out = new Uint8Array(data.length);
  const f = decrypt ? api.tdesDecryptEcb : api.tdesEncryptEcb;
  for (let off = 0; off < data.length; off += 8) out.set(f(key, data.subarray(off, off + 8)), off);
  return out;
}

describe('bitsliced ECB equals the table path and node:crypto', () => {
  const cases = [
    { name: 'DES', keyBytes: 8 },
    { name: '2-key TDES', keyBytes: 16 },
    { name: '3-key TDES', keyBytes: 24 },
  ];
  for (const { name, keyBytes } of cases) {
    for (const decrypt of [false, true]) {
      test(`${name} ${decrypt ? 'decrypt' : 'encrypt'}, every size twice (~20,000 blocks)`, () => {
        const rand = mulberry32(keyBytes * 2 + +decrypt);
        const f = decrypt ? api.tdesDecryptEcb : api.tdesEncryptEcb;
        const ref = decrypt ? refDesEcbDecrypt : refDesEcbEncrypt;
        for (const size of [...SIZES, ...SIZES]) {
          const key = randomBytes(rand, keyBytes);
          const data = randomBytes(rand, 8 * size);
          const batch = f(key, data);
          expect(firstDifference(batch, oneByOne(key, data, decrypt)), `size ${size}`).toBe(-1);
          expect(firstDifference(batch, ref(key, data)), `size ${size}`).toBe(-1);
        }
      });
    }
  }

  test('round trips through the sliced path, and a batch larger than one kernel buffer', () => {
    const rand = mulberry32(99);
    const key = randomBytes(rand, 24);
    const data = randomBytes(rand, 8 * (65_536 + 200)); // two kernel calls: a full buffer, then 200 blocks
    const c = api.tdesEncryptEcb(key, data);
    expect(firstDifference(c, refDesEcbEncrypt(key, data))).toBe(-1);
    expect(firstDifference(api.tdesDecryptEcb(key, c), data)).toBe(-1);
  });

  test('known answer through the sliced path (FIPS 81: 3FA40E8A984D4815 in every block)', () => {
    const block = api.hexToBytes('4E6F772069732074');
    const data = new Uint8Array(8 * 130);
    for (let i = 0; i < 130; i++) data.set(block, 8 * i);
    const c = api.tdesEncryptEcb(api.hexToBytes('0123456789ABCDEF'), data);
    for (let i = 0; i < 130; i++) expect(api.bytesToHex(c.subarray(8 * i, 8 * i + 8))).toBe('3FA40E8A984D4815');
  });
});

describe('bitsliced card batches equal single cards and the reference', () => {
  test('CVV: every size (~10,000 records), against generateCvv and refCvv', () => {
    const rand = mulberry32(7);
    for (const size of SIZES) {
      const cvk = randomBytes(rand, 16);
      const items = Array.from({ length: size }, () => ({
        pan: randomDigits(rand, 12 + ((rand() * 8) | 0)),
        expiry: randomDigits(rand, 4),
        serviceCode: randomDigits(rand, 3),
      }));
      const batch = api.generateCvvBatch(cvk, items);
      items.forEach((it, i) => {
        expect(batch[i], `size ${size} item ${i}`).toBe(api.generateCvv(cvk, it.pan, it.expiry, it.serviceCode));
        expect(batch[i], `size ${size} item ${i}`).toBe(refCvv(cvk, it.pan, it.expiry, it.serviceCode));
      });
    }
  });

  test('CVV: 15,000 records in one batch with one CVK (full groups and a partial one)', () => {
    const rand = mulberry32(8);
    const cvk = randomBytes(rand, 16);
    const items = Array.from({ length: 15_000 }, () => ({
      pan: randomDigits(rand, 16),
      expiry: randomDigits(rand, 4),
      serviceCode: randomDigits(rand, 3),
    }));
    const batch = api.generateCvvBatch(cvk, items);
    items.forEach((it, i) => void expect(batch[i], `item ${i}`).toBe(refCvv(cvk, it.pan, it.expiry, it.serviceCode)));
  });

  test('PVV: every size, 8- and 16-byte PVKs, against generateVisaPvv and refVisaPvv', () => {
    const rand = mulberry32(9);
    for (const keyBytes of [8, 16]) {
      for (const size of SIZES.slice(0, -1)) {
        const pvk = randomBytes(rand, keyBytes);
        const items = Array.from({ length: size }, () => ({
          pan: randomDigits(rand, 16),
          pvki: randomDigits(rand, 1),
          pin: randomDigits(rand, 4),
        }));
        const batch = api.generateVisaPvvBatch(pvk, items);
        items.forEach((it, i) => {
          expect(batch[i], `size ${size} item ${i}`).toBe(api.generateVisaPvv(pvk, it.pan, it.pvki, it.pin));
          expect(batch[i], `size ${size} item ${i}`).toBe(refVisaPvv(pvk, it.pan, it.pvki, it.pin));
        });
      }
    }
  });
});

describe('sliced calls leave no key or data in WASM memory', () => {
  test('outside the key cache, memory after ECB, CVV and PVV batches equals memory before', () => {
    const k = kernel();
    api.clearKeyCache();
    const before = k.mem.slice();
    const rand = mulberry32(10);
    api.tdesEncryptEcb(randomBytes(rand, 24), randomBytes(rand, 8 * 1000));
    api.tdesDecryptEcb(randomBytes(rand, 8), randomBytes(rand, 8 * 200));
    const cards = Array.from({ length: 300 }, () => randomDigits(rand, 16));
    api.generateCvvBatch(
      randomBytes(rand, 16),
      cards.map((pan) => ({ pan, expiry: '2512', serviceCode: '101' })),
    );
    api.generateVisaPvvBatch(
      randomBytes(rand, 16),
      cards.map((pan) => ({ pan, pvki: '1', pin: '1234' })),
    );
    const changed: number[] = [];
    for (let i = 0; i < k.mem.length && changed.length < 5; i++) {
      if (i === k.CACHE) i = k.CACHE + k.CACHE_BYTES;
      if (k.mem[i] !== before[i]) changed.push(i);
    }
    expect(changed).toEqual([]);
    api.clearKeyCache();
  });
});
