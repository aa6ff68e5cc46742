// fast-check arbitraries for DUKPT: key serial numbers whose counters a device uses (random one-bits, at most 10
// of 21 for TDES DUKPT, 16 of 32 for AES DUKPT), over random key set / initial key IDs.
import fc from 'fast-check';
import { bytesOf } from './arb.js';

/** A counter of `width` bits with 1..`maxOnes` one-bits, as a device uses them. */
export const counter = (width: number, maxOnes: number) =>
  fc
    .uniqueArray(fc.integer({ min: 0, max: width - 1 }), { minLength: 1, maxLength: maxOnes })
    .map((bits) => bits.reduce((c, b) => c + 2 ** b, 0));

/** A 10-byte TDES DUKPT KSN: 59 random bits of key set and device ID, then the 21-bit counter. */
export const tdesKsn = fc.tuple(bytesOf(8), counter(21, 10)).map(([id, c]) => {
  const ksn = new Uint8Array(10);
  ksn.set(id);
  ksn[7] = (id[7]! & 0xe0) | (c >>> 16);
  ksn[8] = (c >>> 8) & 0xff;
  ksn[9] = c & 0xff;
  return ksn;
});

/** A 12-byte AES DUKPT KSN: the initial key ID, then the 32-bit counter. */
export const aesKsn = fc.tuple(bytesOf(8), counter(32, 16)).map(([id, c]) => {
  const ksn = new Uint8Array(12);
  ksn.set(id);
  new DataView(ksn.buffer).setUint32(8, c);
  return ksn;
});
