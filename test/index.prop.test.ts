// Totality of the public API: arbitrary values in any argument position (fc.anything, wrong lengths, non-digits,
// odd hex) either return a value of the documented shape or throw CardHsmError — never another error type,
// never a wrong-length result. And no error message or inspect output carries a key, PIN or PAN.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { inspect } from 'node:util';
import { CardHsmError } from '../src/index.js';
import * as api from '../src/index.js';
import { API, callRow, type ApiRow } from './helpers/api-table.js';
import { junk } from './helpers/arb.js';
import { catchCardHsmError } from './helpers/errors.js';

function totalOn(row: ApiRow, args: unknown[]): void {
  let result: unknown;
  try {
    result = callRow(row, args);
  } catch (e) {
    if (!(e instanceof CardHsmError))
      throw new Error(`${row.name} threw ${String(e)} for ${inspect(args, { depth: 2 })}`);
    expect(typeof e.code).toBe('string');
    return;
  }
  expect(row.shape(result), `${row.name} returned ${inspect(result)}`).toBe(true);
}

describe('every public function is total', () => {
  for (const row of API) {
    test(`${row.name}: one argument replaced by junk`, () => {
      fc.assert(
        fc.property(fc.nat({ max: row.valid.length - 1 }), junk, (at, value) => {
          const args = row.valid.slice();
          args[at] = value;
          totalOn(row, args);
        }),
        { numRuns: 300 },
      );
    });
    test(`${row.name}: all arguments junk, any count`, () => {
      fc.assert(
        fc.property(fc.array(junk, { maxLength: row.valid.length + 1 }), (args) => totalOn(row, args)),
        { numRuns: 200 },
      );
    });
    test(`${row.name}: the valid call returns the documented shape`, () => {
      expect(row.shape(callRow(row, row.valid))).toBe(true);
    });
  }
});

describe('errors never reveal secrets', () => {
  const key = api.hexToBytes('7D2C4F1A9B3E5D607A8C9E0B1D3F5A79');
  const pin = '9876';
  const pan = '5413330089020011';
  const secrets = [api.bytesToHex(key), pin, pan, '7d2c4f1a9b3e5d60'];
  const calls: Array<() => unknown> = [
    () => api.generateCvv(key, pan.slice(0, 11), '2512', '101'),
    () => api.generateCvv(key.subarray(0, 15), pan, '2512', '101'),
    () => api.verifyCvv(key, pan, '2512', '101', 'abc'),
    () => api.encodePinBlockIso0(`${pin}x`, pan),
    () => api.encodePinBlockIso0(pin, `${pan}0000`),
    () => api.decodePinBlockIso0(api.encodePinBlockIso0(pin, pan), '5413330089020991'),
    () => api.decodePinBlockIso3(api.encodePinBlockIso0(pin, pan), pan),
    () => api.decipherPinBlockIso4(key, api.encipherPinBlockIso4(new Uint8Array(16), pin, pan), pan),
    () =>
      api.translatePinBlock({
        pinBlock: api.tdesEncryptEcb(key, api.encodePinBlockIso0(pin, pan)),
        pan,
        from: { key: key.map((b) => b ^ 0x10), format: 0 },
        to: { key, format: 3 },
      }),
    () => api.generateVisaPvv(key, pan, '1', `${pin}0000000000`),
    () => api.verifyIbm3624Offset(key, 'ZZZZ', '0123456789012345', pin, '0000'),
    () => api.keyCheckValue(key, { algorithm: 'RSA' as never }),
    () => api.hexToBytes(`${api.bytesToHex(key)}G`),
    () => api.deriveIccMasterKey(key, `${pan}0000`, '01'),
    () =>
      api.generatePinChangeData(
        key,
        {
          pinBlock: api.tdesEncryptEcb(key, api.encodePinBlockIso0(pin, pan)),
          pan: '5413330089020911',
          key,
          format: 0,
        },
        { pinBlock: 'ISO2', encryption: 'EMV' },
      ),
    () => api.generateDcvv(key, pan, '00', '2512', '101', new Uint8Array(3)),
    () => api.isoMac(key, api.hexToBytes(pan), { algorithm: 3, padding: 1, length: 2 }),
  ];
  test.each(calls.map((fn, i) => [i, fn] as const))(
    'call %i: message, stack and inspect output are free of the inputs',
    (_, fn) => {
      const e = catchCardHsmError(fn);
      const text = [e.message, e.stack ?? '', inspect(e), JSON.stringify(e)].join('\n').toUpperCase();
      for (const s of secrets) expect(text.includes(s.toUpperCase()), `leaked ${s.length}-char secret`).toBe(false);
    },
  );
});
