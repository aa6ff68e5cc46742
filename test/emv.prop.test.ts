// Properties of the EMV primitives: generate/verify round trips (ARQC, profile ARQC, dCVV, CVC3), one-bit changes
// of key, data, ATC or UN break them, every derived key has odd parity, Option B equals A up to 16 digits, the
// Visa SM key inverts itself (XOR), inputs are never modified, and the PIN change data decrypts to the right block.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/index.js';
import { expiry, serviceCode } from '../src/arbitraries.js';
import { anyPan as pan, anyPin as pinArb, bytesOf, digits } from './helpers/arb.js';
import { PROFILES } from './helpers/emv.js';

const key16 = bytesOf(16);
const psn = digits(2, 2);
const flip = (b: Uint8Array, bit: number): Uint8Array => {
  const c = b.slice();
  c[(bit >> 3) % c.length]! ^= 1 << (bit & 7);
  return c;
};
/** Flips a bit DES uses (not the parity bit 0 of a byte). */
const flipKeyBit = (k: Uint8Array, n: number): Uint8Array => {
  const c = k.slice();
  c[n % 16]! ^= 2 << (n % 7);
  return c;
};
const tx = fc.record({
  amountAuthorized: bytesOf(6),
  amountOther: bytesOf(6),
  terminalCountryCode: bytesOf(2),
  tvr: bytesOf(5),
  transactionCurrencyCode: bytesOf(2),
  transactionDate: bytesOf(3),
  transactionType: bytesOf(1),
  unpredictableNumber: bytesOf(4),
  aip: bytesOf(2),
  atc: bytesOf(2),
  iad: fc.uint8Array({ minLength: 18, maxLength: 32 }),
});

describe('round trips and one-bit changes', () => {
  test('ARQC: verifies its own output; a flipped data or key bit does not', () => {
    fc.assert(
      fc.property(
        key16,
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.constantFrom(1 as const, 2 as const),
        fc.nat(),
        (k, d, p, bit) => {
          const arqc = api.generateArqc(k, d, p);
          expect(api.verifyArqc(k, d, arqc, p)).toBe(true);
          expect(api.verifyArqc(k, flip(d, bit), arqc, p)).toBe(false);
          expect(api.verifyArqc(flipKeyBit(k, bit), d, arqc, p)).toBe(false);
          expect(api.verifyArqc(k, d, flip(arqc, bit), p)).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('profile ARQCs: round trip; a flipped bit of any tag the profile covers, the ATC or the PAN fails', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(PROFILES)),
        key16,
        pan,
        psn,
        tx,
        fc.nat(),
        (p, imk, pn, s, t, bit) => {
          const card = { pan: pn, psn: s };
          const arqc = api.generateEmvArqc(p, imk, card, t);
          expect(api.verifyEmvArqc(p, imk, card, t, arqc)).toBe(true);
          expect(api.verifyEmvArqc(p, imk, card, { ...t, atc: flip(t.atc, bit) }, arqc)).toBe(false);
          expect(api.verifyEmvArqc(p, imk, card, { ...t, amountAuthorized: flip(t.amountAuthorized, bit) }, arqc)).toBe(
            false,
          );
          const other = { pan: pn.slice(0, -1) + String((Number(pn.at(-1)) + 1) % 10), psn: s };
          expect(api.verifyEmvArqc(p, imk, other, t, arqc)).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('dCVV: round trip; another ATC changes it about 999 times in 1000 (never the same for 50 consecutive ATCs)', () => {
    fc.assert(
      fc.property(key16, pan, psn, expiry(), serviceCode(), bytesOf(2), (imk, p, s, e, sc, atc) => {
        const code = api.generateDcvv(imk, p, s, e, sc, atc);
        expect(code).toMatch(/^[0-9]{3}$/);
        expect(api.verifyDcvv(imk, p, s, e, sc, atc, code)).toBe(true);
      }),
      { numRuns: 500 },
    );
    const imk = api.hexToBytes('12345678123456781234567812345678');
    const codes = Array.from({ length: 50 }, (_, i) =>
      api.generateDcvv(imk, '1234567890123456', '00', '1310', '226', Uint8Array.of(0, i)),
    );
    expect(new Set(codes).size).toBeGreaterThan(40);
  });

  test('CVC3: round trip with 3, 4 or 5 digits; a flipped UN bit changes the 5-digit code', () => {
    let collisions = 0;
    fc.assert(
      fc.property(
        key16,
        pan,
        psn,
        fc.uint8Array({ minLength: 1, maxLength: 40 }),
        bytesOf(2),
        bytesOf(4),
        fc.integer({ min: 3, max: 5 }),
        fc.nat(),
        (imk, p, s, t, atc, un, n, bit) => {
          const full = api.generateCvc3(imk, p, s, t, atc, un);
          expect(api.verifyCvc3(imk, p, s, t, atc, un, full.slice(5 - n))).toBe(true);
          // The last 2 bytes of a TDES block: a changed input gives another code except with probability 1/65536, so
          // over 500 runs a collision or two may happen by chance (0.8% of runs see one); a code that ignored the UN
          // would collide every time.
          if (api.generateCvc3(imk, p, s, t, atc, flip(un, bit)) === full) collisions++;
        },
      ),
      { numRuns: 500 },
    );
    expect(collisions).toBeLessThan(3);
  });
});

describe('keys', () => {
  test('every derived key has odd parity; Option B equals Option A for PANs of up to 16 digits', () => {
    fc.assert(
      fc.property(key16, pan, psn, bytesOf(8), bytesOf(2), bytesOf(4), (imk, p, s, r, atc, un) => {
        const mk = api.deriveIccMasterKey(imk, p, s);
        const mkB = api.deriveIccMasterKey(imk, p, s, 'B');
        for (const k of [
          mk,
          mkB,
          api.deriveCommonSessionKey(mk, r),
          api.deriveMastercardSessionKey(mk, atc, un),
          api.deriveVisaSmSessionKey(mk, atc),
          api.deriveEmv2000TreeSessionKey(mk, atc),
        ]) {
          expect(k).toHaveLength(16);
          expect(api.hasOddDesParity(k)).toBe(true);
        }
        // Longer PANs: Option B hashes PAN || PSN with SHA-1, a Y other than Option A's but with probability ~2^-64.
        if (p.length <= 16) expect(mkB).toEqual(mk);
        else expect(mkB).not.toEqual(mk);
      }),
      { numRuns: 1000 },
    );
  });

  test('the Visa SM key is the MK XOR a mask: applying it twice gives the MK (up to parity)', () => {
    fc.assert(
      fc.property(key16, bytesOf(2), (mk, atc) => {
        const odd = api.fixDesParity(mk);
        expect(api.deriveVisaSmSessionKey(api.deriveVisaSmSessionKey(odd, atc), atc)).toEqual(odd);
      }),
    );
  });

  test('inputs are never modified', () => {
    fc.assert(
      fc.property(key16, pan, psn, bytesOf(8), (imk, p, s, r) => {
        const before = [imk.slice(), r.slice()];
        const mk = api.deriveIccMasterKey(imk, p, s);
        const mkBefore = mk.slice();
        api.deriveCommonSessionKey(mk, r);
        api.generateArpc1(mk, r, r.subarray(0, 2));
        api.generateArpc2(mk, r, r.subarray(0, 4), r);
        expect([imk, r]).toEqual(before);
        expect(mk).toEqual(mkBefore);
      }),
      { numRuns: 300 },
    );
  });
});

describe('PIN change data', () => {
  test('decrypts under the SMC key to the card PIN block: ISO 2 in Mastercard mode, VIS XOR UDK-A in Visa mode', () => {
    const zpk = api.hexToBytes('0123456789ABCDEFFEDCBA9876543210');
    fc.assert(
      fc.property(key16, key16, digits(12, 19), pinArb, (smc, mkAc, p, pin) => {
        const block = {
          pinBlock: api.tdesEncryptEcb(zpk, api.encodePinBlockIso0(pin, p)),
          pan: p,
          key: zpk,
          format: 0 as const,
        };
        const mc = api.generatePinChangeData(smc, block, { pinBlock: 'ISO2', encryption: 'MASTERCARD' });
        expect(api.decodePinBlockIso2(api.tdesDecryptEcb(smc, mc))).toBe(pin);
        const visa = api.tdesDecryptEcb(
          smc,
          api.generatePinChangeData(smc, block, { pinBlock: 'VIS', encryption: 'VISA', iccMkAc: mkAc }),
        );
        expect(visa[0]).toBe(8);
        expect(visa[9]).toBe(0x80);
        const vis = visa.slice(1, 9);
        for (let i = 4; i < 8; i++) vis[i]! ^= mkAc[i]!;
        expect(api.bytesToHex(vis)).toBe(`0${pin.length.toString(16).toUpperCase()}${pin}`.padEnd(16, 'F'));
      }),
      { numRuns: 500 },
    );
  });
});
