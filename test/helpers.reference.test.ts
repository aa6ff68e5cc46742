/**
 * Proves the reference oracles in ./helpers/reference.ts against the public
 * known-answer vectors in ./vectors/*.json. Every vector in every file must be
 * exercised by exactly one branch below; an unrecognised vector shape fails.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  refAesCbcDecrypt,
  refAesCbcEncrypt,
  refAesEcbDecrypt,
  refAesEcbEncrypt,
  refCmac,
  refCvv,
  refDecipherIso4,
  refDecodeIso0,
  refDecodeIso1,
  refDecodeIso2,
  refDecodeIso3,
  refDesCbcDecrypt,
  refDesCbcEncrypt,
  refDesEcbDecrypt,
  refDesEcbEncrypt,
  refEncipherIso4,
  refEncodeIso0,
  refEncodeIso1,
  refEncodeIso2,
  refEncodeIso3,
  refIbm3624Offset,
  refIbm3624Pin,
  refIsLuhnValid,
  refKcv,
  refLuhnCheckDigit,
  refVisaPvv,
} from './helpers/reference.js';

type Vector = Record<string, unknown> & { source: string };

function loadVectors(name: string): Vector[] {
  const url = new URL(`./vectors/${name}.json`, import.meta.url);
  const parsed = JSON.parse(readFileSync(url, 'utf8')) as { vectors: Vector[] };
  return parsed.vectors;
}

function hex(s: unknown): Uint8Array {
  if (typeof s !== 'string' || s.length % 2 !== 0 || !/^[0-9A-F]*$/.test(s)) {
    throw new Error(`vector field is not uppercase hex: ${String(s)}`);
  }
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

function str(v: Vector, field: string): string {
  const value = v[field];
  if (typeof value !== 'string') throw new Error(`vector field ${field} missing: ${v.source}`);
  return value;
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  return a.map((x, i) => x ^ (b[i] as number));
}

function label(i: number, v: Vector): string {
  return `#${i + 1} ${v.source.slice(0, 110)}`;
}

/** Common structural checks: every vector names a source; hex fields are uppercase. */
function checkCommon(name: string, vectors: Vector[]): void {
  it(`${name}.json: every vector has a non-empty source`, () => {
    expect(vectors.length).toBeGreaterThan(0);
    for (const v of vectors) {
      expect(typeof v.source).toBe('string');
      expect(v.source.length).toBeGreaterThan(10);
    }
  });
}

describe('DES / TDES (des.json)', () => {
  const vectors = loadVectors('des');
  checkCommon('des', vectors);
  vectors.forEach((v, i) => {
    it(label(i, v), () => {
      const key = hex(v.key);
      const pt = hex(v.plaintext);
      const ct = hex(v.ciphertext);
      const expectedKeyLength = { DES: 8, TDES2: 16, TDES3: 24 }[str(v, 'algorithm')];
      expect(key.length).toBe(expectedKeyLength);
      if (v.mode === 'ECB') {
        expect(toHex(refDesEcbEncrypt(key, pt))).toBe(toHex(ct));
        expect(toHex(refDesEcbDecrypt(key, ct))).toBe(toHex(pt));
      } else if (v.mode === 'CBC') {
        const iv = hex(v.iv);
        expect(toHex(refDesCbcEncrypt(key, pt, iv))).toBe(toHex(ct));
        expect(toHex(refDesCbcDecrypt(key, ct, iv))).toBe(toHex(pt));
      } else {
        throw new Error(`unknown mode ${String(v.mode)}`);
      }
    });
  });
});

describe('AES (aes.json)', () => {
  const vectors = loadVectors('aes');
  checkCommon('aes', vectors);
  vectors.forEach((v, i) => {
    it(label(i, v), () => {
      const key = hex(v.key);
      const pt = hex(v.plaintext);
      const ct = hex(v.ciphertext);
      if (v.mode === 'ECB') {
        expect(toHex(refAesEcbEncrypt(key, pt))).toBe(toHex(ct));
        expect(toHex(refAesEcbDecrypt(key, ct))).toBe(toHex(pt));
      } else if (v.mode === 'CBC') {
        const iv = hex(v.iv);
        expect(toHex(refAesCbcEncrypt(key, pt, iv))).toBe(toHex(ct));
        expect(toHex(refAesCbcDecrypt(key, ct, iv))).toBe(toHex(pt));
      } else {
        throw new Error(`unknown mode ${String(v.mode)}`);
      }
    });
  });
});

describe('CMAC (cmac.json)', () => {
  const vectors = loadVectors('cmac');
  checkCommon('cmac', vectors);
  vectors.forEach((v, i) => {
    it(label(i, v), () => {
      const algorithm = str(v, 'algorithm');
      if (algorithm !== 'AES' && algorithm !== 'TDES') throw new Error(`bad algorithm ${algorithm}`);
      const mac = refCmac(hex(v.key), hex(v.message), algorithm);
      expect(toHex(mac)).toBe(str(v, 'mac'));
    });
  });
});

describe('KCV (kcv.json)', () => {
  const vectors = loadVectors('kcv');
  checkCommon('kcv', vectors);
  vectors.forEach((v, i) => {
    it(label(i, v), () => {
      const algorithm = str(v, 'algorithm');
      const method = str(v, 'method');
      if (algorithm !== 'AES' && algorithm !== 'TDES') throw new Error(`bad algorithm ${algorithm}`);
      if (method !== 'ZEROS' && method !== 'CMAC') throw new Error(`bad method ${method}`);
      const length = v.length as number;
      const key = hex(v.key);
      if (Array.isArray(v.components)) {
        // The key must be the XOR of the published components.
        let acc: Uint8Array = new Uint8Array(key.length);
        for (const c of v.components as string[]) acc = xor(acc, hex(c));
        expect(toHex(acc)).toBe(toHex(key));
      }
      expect(refKcv(key, algorithm, method, length)).toBe(str(v, 'kcv'));
    });
  });

  it('default length is 3 bytes', () => {
    expect(refKcv(hex('0123456789ABCDEFFEDCBA9876543210'), 'TDES', 'ZEROS')).toHaveLength(6);
  });
});

describe('Luhn (luhn.json)', () => {
  const vectors = loadVectors('luhn');
  checkCommon('luhn', vectors);
  vectors.forEach((v, i) => {
    it(label(i, v), () => {
      if (typeof v.number === 'string') {
        expect(refIsLuhnValid(v.number)).toBe(v.valid);
      } else if (typeof v.payload === 'string') {
        const cd = str(v, 'checkDigit');
        expect(refLuhnCheckDigit(v.payload)).toBe(cd);
        expect(refIsLuhnValid(v.payload + cd)).toBe(true);
      } else {
        throw new Error('unknown luhn vector shape');
      }
    });
  });
});

describe('CVV (cvv.json)', () => {
  const vectors = loadVectors('cvv');
  checkCommon('cvv', vectors);
  vectors.forEach((v, i) => {
    it(label(i, v), () => {
      expect(refCvv(hex(v.cvk), str(v, 'pan'), str(v, 'expiry'), str(v, 'serviceCode'))).toBe(str(v, 'cvv'));
    });
  });
});

describe('Visa PVV (pvv.json)', () => {
  const vectors = loadVectors('pvv');
  checkCommon('pvv', vectors);
  vectors.forEach((v, i) => {
    it(label(i, v), () => {
      const pvk = hex(v.pvk);
      const pvki = str(v, 'pvki');
      const pin = str(v, 'pin');
      const expected = str(v, 'pvv');
      let checked = false;
      if (typeof v.pan === 'string') {
        expect(refVisaPvv(pvk, v.pan, pvki, pin)).toBe(expected);
        checked = true;
        if (typeof v.tspPanDigits === 'string') {
          expect(v.pan.slice(0, -1).slice(-11)).toBe(v.tspPanDigits);
        }
      }
      if (typeof v.tspPanDigits === 'string') {
        // Any check digit may follow the 11 TSP digits; '0' is used here.
        expect(refVisaPvv(pvk, `${v.tspPanDigits}0`, pvki, pin)).toBe(expected);
        checked = true;
      }
      expect(checked).toBe(true);
    });
  });
});

describe('IBM 3624 (ibm3624.json)', () => {
  const vectors = loadVectors('ibm3624');
  checkCommon('ibm3624', vectors);
  vectors.forEach((v, i) => {
    it(label(i, v), () => {
      const pvk = hex(v.pvk);
      const vd = str(v, 'validationData');
      const table = str(v, 'decimalizationTable');
      const pin = str(v, 'pin');
      const offset = str(v, 'offset');
      if (typeof v.pan === 'string') {
        // Re-derive the validation data from the source's PAN parameters.
        const start = v.panVerifyOffset as number;
        const len = v.panVerifyLength as number;
        const derived = v.pan.slice(start, start + len).padEnd(16, str(v, 'panPad'));
        expect(derived).toBe(vd);
      }
      expect(refIbm3624Offset(pvk, vd, table, pin)).toBe(offset);
      // natural PIN + offset (digitwise mod 10) must give back the customer PIN.
      const natural = refIbm3624Pin(pvk, vd, table, pin.length);
      const customer = Array.from(natural, (d, k) => String((Number(d) + Number(offset[k])) % 10)).join('');
      expect(customer).toBe(pin);
      if (typeof v.naturalPin === 'string') {
        expect(natural).toBe(v.naturalPin);
      }
    });
  });
});

describe('ISO 9564 PIN blocks (pinblock.json)', () => {
  const vectors = loadVectors('pinblock');
  checkCommon('pinblock', vectors);
  // Fixed AES key used only to check plain-text format-4 fields through the
  // public encipher function (not a vector, just an arbitrary test key).
  const fieldKey = hex('000102030405060708090A0B0C0D0E0F');
  const knownPinField = vectors.find((v) => v.format === 4 && v.operation === 'pinField');

  vectors.forEach((v, i) => {
    it(label(i, v), () => {
      const format = v.format as number;
      const op = str(v, 'operation');
      if (op === 'both' || op === 'decode') {
        const block = hex(v.block);
        const pin = str(v, 'pin');
        switch (format) {
          case 0:
            expect(refDecodeIso0(block, str(v, 'pan'))).toBe(pin);
            if (op === 'both') expect(toHex(refEncodeIso0(pin, str(v, 'pan')))).toBe(toHex(block));
            break;
          case 1:
            expect(refDecodeIso1(block)).toBe(pin);
            if (op === 'both') expect(toHex(refEncodeIso1(pin, str(v, 'fill')))).toBe(toHex(block));
            break;
          case 2:
            expect(refDecodeIso2(block)).toBe(pin);
            if (op === 'both') expect(toHex(refEncodeIso2(pin))).toBe(toHex(block));
            break;
          case 3:
            expect(refDecodeIso3(block, str(v, 'pan'))).toBe(pin);
            if (op === 'both') {
              expect(toHex(refEncodeIso3(pin, str(v, 'pan'), str(v, 'fill')))).toBe(toHex(block));
            }
            break;
          case 4: {
            const key = hex(v.key);
            expect(refDecipherIso4(key, block, str(v, 'pan'))).toBe(pin);
            if (op === 'both') {
              expect(toHex(refEncipherIso4(key, pin, str(v, 'pan'), hex(v.fill)))).toBe(toHex(block));
            }
            break;
          }
          default:
            throw new Error(`unknown format ${format}`);
        }
      } else if (op === 'pinField' && format === 3) {
        // A 13-digit all-zero PAN makes the account number field all zeros,
        // so the format-3 block equals the plain-text PIN field.
        expect(toHex(refEncodeIso3(str(v, 'pin'), '0000000000000', str(v, 'fill')))).toBe(str(v, 'pinField'));
        expect(refDecodeIso3(hex(v.pinField), '0000000000000')).toBe(v.pin);
      } else if (op === 'pinField' && format === 4) {
        // PAN "0" gives an all-zero PAN field, so C = AES(K, AES(K, pinField)).
        const c = refEncipherIso4(fieldKey, str(v, 'pin'), '0', hex(v.fill));
        const expected = refAesEcbEncrypt(fieldKey, refAesEcbEncrypt(fieldKey, hex(v.pinField)));
        expect(toHex(c)).toBe(toHex(expected));
        expect(refDecipherIso4(fieldKey, c, '0')).toBe(v.pin);
      } else if (op === 'panField' && format === 4) {
        // With a published PIN field PF: AES^-1(K, C) XOR panField = AES(K, PF).
        if (knownPinField === undefined) throw new Error('no format-4 pinField vector available');
        const pf = hex(knownPinField.pinField);
        const c = refEncipherIso4(fieldKey, str(knownPinField, 'pin'), str(v, 'pan'), hex(knownPinField.fill));
        const lhs = xor(refAesEcbDecrypt(fieldKey, c), hex(v.panField));
        expect(toHex(lhs)).toBe(toHex(refAesEcbEncrypt(fieldKey, pf)));
        expect(refDecipherIso4(fieldKey, c, str(v, 'pan'))).toBe(knownPinField.pin);
      } else {
        throw new Error(`unknown pinblock vector shape: format ${format}, operation ${op}`);
      }
    });
  });
});

describe('reference sanity (structure, not vectors)', () => {
  it('CMAC of the empty message differs from CMAC of one zero block (padding path)', () => {
    const k = hex('2B7E151628AED2A6ABF7158809CF4F3C');
    expect(toHex(refCmac(k, new Uint8Array(0), 'AES'))).not.toBe(toHex(refCmac(k, new Uint8Array(16), 'AES')));
  });

  it('rejects malformed inputs', () => {
    expect(() => refDesEcbEncrypt(new Uint8Array(7), new Uint8Array(8))).toThrow();
    expect(() => refAesEcbEncrypt(new Uint8Array(16), new Uint8Array(15))).toThrow();
    expect(() => refDecodeIso2(hex('241234FFFFFFFFFE'))).toThrow();
    expect(() => refEncodeIso3('1234', '5555555551234567', '0123456789')).toThrow();
    expect(refIsLuhnValid('4111111111111112')).toBe(false);
  });
});
