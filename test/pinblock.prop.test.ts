// Properties of the card primitives: Luhn, CVV family, PVV, IBM 3624 and PIN blocks.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/index.js';
import * as arb from './helpers/arb.js';
import { expectCardHsmError } from './helpers/errors.js';

/** `s` with the digit at `i` replaced by a different digit. */
const changeDigit = (s: string, i: number, delta: number): string =>
  s.slice(0, i) + String((Number(s[i]) + delta) % 10) + s.slice(i + 1);

describe('Luhn', () => {
  test('a number with its check digit always validates', () => {
    fc.assert(fc.property(arb.digits(1, 30), (d) => { expect(api.isLuhnValid(d + api.luhnCheckDigit(d))).toBe(true); }));
  });
  test('any single-digit change always fails', () => {
    fc.assert(
      fc.property(arb.digits(1, 30), fc.nat(), fc.integer({ min: 1, max: 9 }), (d, at, delta) => {
        const pan = d + api.luhnCheckDigit(d);
        expect(api.isLuhnValid(changeDigit(pan, at % pan.length, delta))).toBe(false);
      }),
    );
  });
  test('isLuhnValid is false, never an error, for anything that is not 2+ digits', () => {
    fc.assert(fc.property(arb.junk, (v) => { if (!(typeof v === 'string' && /^[0-9]{2,}$/.test(v))) expect(api.isLuhnValid(v as string)).toBe(false); }));
  });
  test('very long numbers (several kernel buffers) agree with the chunk-free definition', () => {
    const d = '7992739871'.repeat(120_000);
    expect(api.luhnCheckDigit(d)).toBe(api.luhnCheckDigit(d.slice(0, 10) + d.slice(10)));
    expect(api.isLuhnValid(d + api.luhnCheckDigit(d))).toBe(true);
  });
});

describe('CVV family', () => {
  test('always 3 digits and verifies', () => {
    fc.assert(
      fc.property(arb.cvk, arb.pan, arb.expiry, arb.serviceCode, (cvk, pan, expiry, sc) => {
        const cvv = api.generateCvv(cvk, pan, expiry, sc);
        expect(cvv).toMatch(/^[0-9]{3}$/);
        expect(api.verifyCvv(cvk, pan, expiry, sc, cvv)).toBe(true);
        expect(api.verifyCvv(cvk, pan, expiry, sc, changeDigit(cvv, 0, 1))).toBe(false);
      }),
    );
  });

  test('changing any one input changes the CVV in at least 99% of random trials', () => {
    let trials = 0;
    let changed = 0;
    fc.assert(
      fc.property(arb.cvk, arb.pan, arb.expiry, arb.serviceCode, fc.nat(), fc.integer({ min: 1, max: 9 }), fc.nat({ max: 3 }), (cvk, pan, expiry, sc, at, delta, which) => {
        const base = api.generateCvv(cvk, pan, expiry, sc);
        let other: string;
        if (which === 0) other = api.generateCvv(cvk, changeDigit(pan, at % pan.length, delta), expiry, sc);
        else if (which === 1) other = api.generateCvv(cvk, pan, changeDigit(expiry, at % 4, delta), sc);
        else if (which === 2) other = api.generateCvv(cvk, pan, expiry, changeDigit(sc, at % 3, delta));
        else {
          const k = cvk.slice();
          k[at % 16]! ^= 2 << (at % 7); // flip a non-parity bit
          other = api.generateCvv(k, pan, expiry, sc);
        }
        trials++;
        if (other !== base) changed++;
      }),
      { numRuns: 4000 },
    );
    expect(changed / trials).toBeGreaterThanOrEqual(0.99);
  });

  test('CVV2 is service code 000 and iCVV is 999', () => {
    fc.assert(
      fc.property(arb.cvk, arb.pan, arb.expiry, (cvk, pan, expiry) => {
        expect(api.generateCvv2(cvk, pan, expiry)).toBe(api.generateCvv(cvk, pan, expiry, '000'));
        expect(api.generateIcvv(cvk, pan, expiry)).toBe(api.generateCvv(cvk, pan, expiry, '999'));
        expect(api.verifyCvv2(cvk, pan, expiry, api.generateCvv2(cvk, pan, expiry))).toBe(true);
        expect(api.verifyIcvv(cvk, pan, expiry, api.generateIcvv(cvk, pan, expiry))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test('malformed inputs are rejected with code and field', () => {
    const cvk = new Uint8Array(16);
    expectCardHsmError(() => api.generateCvv(cvk, '12345678901', '8701', '101'), 'ERR_LENGTH', 'pan');
    expectCardHsmError(() => api.generateCvv(cvk, '41234567890123A5', '8701', '101'), 'ERR_FORMAT', 'pan');
    expectCardHsmError(() => api.generateCvv(cvk, '4123456789012345', '870', '101'), 'ERR_LENGTH', 'expiry');
    expectCardHsmError(() => api.generateCvv(cvk, '4123456789012345', '8701', 101 as never), 'ERR_TYPE', 'serviceCode');
    expectCardHsmError(() => api.generateCvv(new Uint8Array(24), '4123456789012345', '8701', '101'), 'ERR_LENGTH', 'cvk');
    expectCardHsmError(() => api.verifyCvv(cvk, '4123456789012345', '8701', '101', '56'), 'ERR_LENGTH', 'cvv');
    expectCardHsmError(() => api.generateCvvBatch(cvk, [{ pan: '4123456789012345', expiry: '8701', serviceCode: '101' }, { pan: '1', expiry: '8701', serviceCode: '101' }]), 'ERR_LENGTH', 'items[1].pan');
  });

  test('a batch larger than one kernel buffer equals the single calls', () => {
    const cvk = api.hexToBytes('0123456789ABCDEFFEDCBA9876543210');
    const items = Array.from({ length: 40_000 }, (_, i) => ({ pan: String(4000000000000000 + i * 7919), expiry: String(2501 + (i % 12)), serviceCode: '101' }));
    const batch = api.generateCvvBatch(cvk, items);
    for (const i of [0, 1, 16383, 16384, 16385, 39999]) expect(batch[i]).toBe(api.generateCvv(cvk, items[i]!.pan, items[i]!.expiry, '101'));
  });
});

describe('Visa PVV', () => {
  test('always 4 digits; verifies; depends only on the first 4 PIN digits', () => {
    fc.assert(
      fc.property(arb.pvk, arb.pan, arb.digits(1, 1), arb.pin, (pvk, pan, pvki, pin) => {
        const pvv = api.generateVisaPvv(pvk, pan, pvki, pin);
        expect(pvv).toMatch(/^[0-9]{4}$/);
        expect(api.verifyVisaPvv(pvk, pan, pvki, pin, pvv)).toBe(true);
        expect(api.generateVisaPvv(pvk, pan, pvki, pin.slice(0, 4))).toBe(pvv);
        expect(api.generateVisaPvvBatch(pvk, [{ pan, pvki, pin }])).toEqual([pvv]);
      }),
    );
  });
  test('malformed inputs', () => {
    const pvk = new Uint8Array(16);
    expectCardHsmError(() => api.generateVisaPvv(pvk, '4123456789012345', '12', '1234'), 'ERR_LENGTH', 'pvki');
    expectCardHsmError(() => api.generateVisaPvv(pvk, '4123456789012345', '1', '123'), 'ERR_LENGTH', 'pin');
    expectCardHsmError(() => api.generateVisaPvv(new Uint8Array(24), '4123456789012345', '1', '1234'), 'ERR_LENGTH', 'pvk');
    expectCardHsmError(() => api.verifyVisaPvv(pvk, '4123456789012345', '1', '1234', '12a4'), 'ERR_FORMAT', 'pvv');
  });
});

describe('IBM 3624', () => {
  test('the offset of a PIN verifies; the natural PIN has offset 0…0', () => {
    fc.assert(
      fc.property(arb.pvk, arb.hexUpper(16), arb.decimalizationTable, arb.pin, (pvk, data, table, pin) => {
        const offset = api.generateIbm3624Offset(pvk, data, table, pin);
        expect(offset).toHaveLength(pin.length);
        expect(api.verifyIbm3624Offset(pvk, data, table, pin, offset)).toBe(true);
        const natural = api.generateIbm3624Pin(pvk, data, table, pin.length);
        expect(api.generateIbm3624Offset(pvk, data, table, natural)).toBe('0'.repeat(pin.length));
      }),
    );
  });
  test('validation data helper and malformed inputs', () => {
    expect(api.ibm3624ValidationData('4123456789012')).toBe('4123456789012FFF');
    expect(api.ibm3624ValidationData('4123456789012345678')).toBe('4123456789012345');
    expect(api.ibm3624ValidationData('41234567', 'a')).toBe('41234567AAAAAAAA');
    const pvk = new Uint8Array(16);
    expectCardHsmError(() => api.generateIbm3624Pin(pvk, '0123', '0123456789012345', 4), 'ERR_LENGTH', 'validationData');
    expectCardHsmError(() => api.generateIbm3624Pin(pvk, '0123456789ABCDEG', '0123456789012345', 4), 'ERR_FORMAT', 'validationData');
    expectCardHsmError(() => api.generateIbm3624Pin(pvk, '0123456789ABCDEF', '012345678901234A', 4), 'ERR_FORMAT', 'decimalizationTable');
    expectCardHsmError(() => api.generateIbm3624Pin(pvk, '0123456789ABCDEF', '0123456789012345', 13), 'ERR_FORMAT', 'pinLength');
    expectCardHsmError(() => api.verifyIbm3624Offset(pvk, '0123456789ABCDEF', '0123456789012345', '12345', '1234'), 'ERR_LENGTH', 'offset');
  });
});

describe('PIN blocks', () => {
  test('decode∘encode = identity for every format (random fill)', () => {
    fc.assert(
      fc.property(arb.pin, arb.digits(2, 19), arb.aesKey, (pin, pan, key) => {
        expect(api.decodePinBlockIso0(api.encodePinBlockIso0(pin, pan), pan)).toBe(pin);
        expect(api.decodePinBlockIso1(api.encodePinBlockIso1(pin))).toBe(pin);
        expect(api.decodePinBlockIso2(api.encodePinBlockIso2(pin))).toBe(pin);
        expect(api.decodePinBlockIso3(api.encodePinBlockIso3(pin, pan), pan)).toBe(pin);
        expect(api.decipherPinBlockIso4(key, api.encipherPinBlockIso4(key, pin, pan), pan)).toBe(pin);
      }),
    );
  });

  test('format 3 random fill is A-F; format 1 and 4 random fills differ between calls', () => {
    fc.assert(
      fc.property(arb.pin, arb.digits(2, 19), (pin, pan) => {
        const clear = api.bytesToHex(api.encodePinBlockIso3(pin, pan));
        const field = api.bytesToHex(api.encodePinBlockIso0(pin, pan));
        // XOR of the ISO 3 and ISO 0 blocks is (3 xor 0) in the control nibble and (fill xor F) elsewhere.
        for (let i = 2 + pin.length; i < 16; i++) {
          const fill = parseInt(clear[i]!, 16) ^ parseInt(field[i]!, 16) ^ 0xf;
          expect(fill).toBeGreaterThanOrEqual(10);
        }
      }),
      { numRuns: 300 },
    );
    const key = new Uint8Array(16);
    expect(api.encodePinBlockIso1('1234')).not.toEqual(api.encodePinBlockIso1('1234'));
    expect(api.encipherPinBlockIso4(key, '1234', '4111111111111111')).not.toEqual(api.encipherPinBlockIso4(key, '1234', '4111111111111111'));
  });

  test('decode rejects a wrong control nibble, length, digit or fill with ERR_PINBLOCK_FORMAT', () => {
    const pan = '4111111111111111';
    const h = api.hexToBytes;
    const pad = api.encodePinBlockIso0('0000', pan); // the PAN field is block XOR PIN field of 0000
    const field0 = (hex: string) => h(hex).map((b, i) => b ^ pad[i]! ^ h('040000FFFFFFFFFF')[i]!);
    expectCardHsmError(() => api.decodePinBlockIso0(field0('141234FFFFFFFFFF'), pan), 'ERR_PINBLOCK_FORMAT', 'pinBlock');
    expectCardHsmError(() => api.decodePinBlockIso0(field0('031234FFFFFFFFFF'), pan), 'ERR_PINBLOCK_FORMAT', 'pinBlock');
    expectCardHsmError(() => api.decodePinBlockIso0(field0('0D1234FFFFFFFFFF'), pan), 'ERR_PINBLOCK_FORMAT', 'pinBlock');
    expectCardHsmError(() => api.decodePinBlockIso0(field0('04123AFFFFFFFFFF'), pan), 'ERR_PINBLOCK_FORMAT', 'pinBlock');
    expectCardHsmError(() => api.decodePinBlockIso0(field0('041234FFFFFFFFFE'), pan), 'ERR_PINBLOCK_FORMAT', 'pinBlock');
    expectCardHsmError(() => api.decodePinBlockIso2(h('241234FFFFFFFFF0')), 'ERR_PINBLOCK_FORMAT', 'pinBlock');
    expectCardHsmError(() => api.decodePinBlockIso1(h('2412340123456789')), 'ERR_PINBLOCK_FORMAT', 'pinBlock');
    expect(api.decodePinBlockIso1(h('1412340123456789'))).toBe('1234');
    const iso3 = api.encodePinBlockIso3('1234', pan, 'AAAAAAAAAA');
    iso3[7]! ^= 0x0a; // last fill nibble A -> 0
    expectCardHsmError(() => api.decodePinBlockIso3(iso3, pan), 'ERR_PINBLOCK_FORMAT', 'pinBlock');
    const key = new Uint8Array(16).fill(1);
    const iso4 = api.encipherPinBlockIso4(key, '1234', pan);
    expectCardHsmError(() => api.decipherPinBlockIso4(new Uint8Array(16), iso4, pan), 'ERR_PINBLOCK_FORMAT', 'pinBlock');
  });

  test('encode rejects bad PINs, PANs and fills', () => {
    expectCardHsmError(() => api.encodePinBlockIso0('123', '4111111111111111'), 'ERR_LENGTH', 'pin');
    expectCardHsmError(() => api.encodePinBlockIso0('1234567890123', '4111111111111111'), 'ERR_LENGTH', 'pin');
    expectCardHsmError(() => api.encodePinBlockIso0('1234', '4'), 'ERR_LENGTH', 'pan');
    expectCardHsmError(() => api.encodePinBlockIso0('1234', '41111111111111111111'), 'ERR_LENGTH', 'pan');
    expectCardHsmError(() => api.encodePinBlockIso1('1234', '012345678'), 'ERR_LENGTH', 'fill');
    expectCardHsmError(() => api.encodePinBlockIso3('1234', '4111111111111111', 'ABCDEF0BCD'), 'ERR_FORMAT', 'fill');
    expectCardHsmError(() => api.encipherPinBlockIso4(new Uint8Array(16), '1234', '', new Uint8Array(8)), 'ERR_LENGTH', 'pan');
    expectCardHsmError(() => api.encipherPinBlockIso4(new Uint8Array(16), '1234', '4', new Uint8Array(7)), 'ERR_LENGTH', 'fill');
    expect(api.decipherPinBlockIso4(new Uint8Array(16), api.encipherPinBlockIso4(new Uint8Array(16), '1234', '4'), '4')).toBe('1234');
  });
});
