// Properties of the ISO 9564-1 PIN blocks: decode∘encode = identity for every format, random fills, and decode and
// encode rejections with ERR_PINBLOCK_FORMAT, ERR_LENGTH and ERR_FORMAT.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/index.js';
import * as arb from './helpers/arb.js';
import { expectCardHsmError } from './helpers/errors.js';

describe('PIN blocks', () => {
  test('decode∘encode = identity for every format (random fill)', () => {
    fc.assert(
      fc.property(arb.anyPin, arb.digits(2, 19), arb.aesKey, (pin, pan, key) => {
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
      fc.property(arb.anyPin, arb.digits(2, 19), (pin, pan) => {
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
    expect(api.encipherPinBlockIso4(key, '1234', '4111111111111111')).not.toEqual(
      api.encipherPinBlockIso4(key, '1234', '4111111111111111'),
    );
  });

  test('decode rejects a wrong control nibble, length, digit or fill with ERR_PINBLOCK_FORMAT', () => {
    const pan = '4111111111111111';
    const h = api.hexToBytes;
    const pad = api.encodePinBlockIso0('0000', pan); // the PAN field is block XOR PIN field of 0000
    const field0 = (hex: string) => h(hex).map((b, i) => b ^ pad[i]! ^ h('040000FFFFFFFFFF')[i]!);
    expectCardHsmError(
      () => api.decodePinBlockIso0(field0('141234FFFFFFFFFF'), pan),
      'ERR_PINBLOCK_FORMAT',
      'pinBlock',
    );
    expectCardHsmError(
      () => api.decodePinBlockIso0(field0('031234FFFFFFFFFF'), pan),
      'ERR_PINBLOCK_FORMAT',
      'pinBlock',
    );
    expectCardHsmError(
      () => api.decodePinBlockIso0(field0('0D1234FFFFFFFFFF'), pan),
      'ERR_PINBLOCK_FORMAT',
      'pinBlock',
    );
    expectCardHsmError(
      () => api.decodePinBlockIso0(field0('04123AFFFFFFFFFF'), pan),
      'ERR_PINBLOCK_FORMAT',
      'pinBlock',
    );
    expectCardHsmError(
      () => api.decodePinBlockIso0(field0('041234FFFFFFFFFE'), pan),
      'ERR_PINBLOCK_FORMAT',
      'pinBlock',
    );
    expectCardHsmError(() => api.decodePinBlockIso2(h('241234FFFFFFFFF0')), 'ERR_PINBLOCK_FORMAT', 'pinBlock');
    expectCardHsmError(() => api.decodePinBlockIso1(h('2412340123456789')), 'ERR_PINBLOCK_FORMAT', 'pinBlock');
    expect(api.decodePinBlockIso1(h('1412340123456789'))).toBe('1234');
    const iso3 = api.encodePinBlockIso3('1234', pan, 'AAAAAAAAAA');
    iso3[7]! ^= 0x0a; // last fill nibble A -> 0
    expectCardHsmError(() => api.decodePinBlockIso3(iso3, pan), 'ERR_PINBLOCK_FORMAT', 'pinBlock');
    const key = new Uint8Array(16).fill(1);
    const iso4 = api.encipherPinBlockIso4(key, '1234', pan);
    expectCardHsmError(
      () => api.decipherPinBlockIso4(new Uint8Array(16), iso4, pan),
      'ERR_PINBLOCK_FORMAT',
      'pinBlock',
    );
  });

  test('encode rejects bad PINs, PANs and fills', () => {
    expectCardHsmError(() => api.encodePinBlockIso0('123', '4111111111111111'), 'ERR_LENGTH', 'pin');
    expectCardHsmError(() => api.encodePinBlockIso0('1234567890123', '4111111111111111'), 'ERR_LENGTH', 'pin');
    expectCardHsmError(() => api.encodePinBlockIso0('1234', '4'), 'ERR_LENGTH', 'pan');
    expectCardHsmError(() => api.encodePinBlockIso0('1234', '41111111111111111111'), 'ERR_LENGTH', 'pan');
    expectCardHsmError(() => api.encodePinBlockIso1('1234', '012345678'), 'ERR_LENGTH', 'fill');
    expectCardHsmError(() => api.encodePinBlockIso3('1234', '4111111111111111', 'ABCDEF0BCD'), 'ERR_FORMAT', 'fill');
    expectCardHsmError(
      () => api.encipherPinBlockIso4(new Uint8Array(16), '1234', '', new Uint8Array(8)),
      'ERR_LENGTH',
      'pan',
    );
    expectCardHsmError(
      () => api.encipherPinBlockIso4(new Uint8Array(16), '1234', '4', new Uint8Array(7)),
      'ERR_LENGTH',
      'fill',
    );
    expect(
      api.decipherPinBlockIso4(new Uint8Array(16), api.encipherPinBlockIso4(new Uint8Array(16), '1234', '4'), '4'),
    ).toBe('1234');
  });
});
