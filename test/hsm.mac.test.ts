// MACs through the Hsm, with key blocks (issue 16): the algorithm follows the M key's usage (ISO/IEC 9797-1
// algorithms 1 and 3, CMAC, HMAC) and its mode of use decides whether it generates or verifies.
import { describe, expect, test } from 'vitest';
import { createHmac } from 'node:crypto';
import * as api from '../src/index.js';
import { Hsm, MemoryStore } from '../src/index.js';
import { expectCardHsmError } from './helpers/errors.js';
import { keyLoader, LMK } from './helpers/hsm.js';

const h = api.hexToBytes;
const x = api.bytesToHex;
const { load } = keyLoader();
const online = new Hsm({ lmk: LMK, store: new MemoryStore() });

describe("MACs by the key's usage", () => {
  const data = new TextEncoder().encode('Now is the time for all ');
  test('M3 is ISO/IEC 9797-1 algorithm 3 (Annex B: A1C72E74EA3FA9B6), M1 algorithm 1, M5 CMAC, M7 HMAC', () => {
    const m3 = load('M3', 'TDES2', '0123456789ABCDEFFEDCBA9876543210');
    expect(x(online.generateMac({ key: m3, data }))).toBe('A1C72E74EA3FA9B6');
    expect(x(online.generateMac({ key: m3, data, length: 4 }))).toBe('A1C72E74');
    expect(online.verifyMac({ key: m3, data, mac: h('A1C72E74') })).toBe(true);
    expect(online.verifyMac({ key: m3, data, mac: h('A1C72E75') })).toBe(false);
    const m1 = load('M1', 'TDES2', '0123456789ABCDEFFEDCBA9876543210');
    expect(online.generateMac({ key: m1, data })).toEqual(
      api.isoMac(h('0123456789ABCDEFFEDCBA9876543210'), data, { algorithm: 1, padding: 1 }),
    );
    const m5 = load('M5', 'TDES2', '4CF15134A2850DD58A3D10BA80570D38');
    expect(x(online.generateMac({ key: m5, data: h('6BC1BEE22E409F96') }))).toBe('4FF2AB813C53CE83'); // SP 800-38B D.4 (cmac.json)
    const hmacKey = '0B'.repeat(32);
    const m7 = load('M7', 'HMAC256', hmacKey);
    expect(online.generateMac({ key: m7, data, hash: 'SHA-384' })).toEqual(
      new Uint8Array(createHmac('sha384', Buffer.from(hmacKey, 'hex')).update(data).digest()),
    );
  });

  test('mode of use: a V key verifies only, a G key generates only; other usages are refused', () => {
    const verifyOnly = load('M3', 'TDES2', '0123456789ABCDEFFEDCBA9876543210', 'V');
    const generateOnly = load('M3', 'TDES2', '0123456789ABCDEFFEDCBA9876543210', 'G');
    expectCardHsmError(() => online.generateMac({ key: verifyOnly, data }), 'ERR_KEY_USAGE', 'key');
    expect(online.verifyMac({ key: verifyOnly, data, mac: h('A1C72E74EA3FA9B6') })).toBe(true);
    expect(x(online.generateMac({ key: generateOnly, data }))).toBe('A1C72E74EA3FA9B6');
    expectCardHsmError(
      () => online.verifyMac({ key: generateOnly, data, mac: h('A1C72E74EA3FA9B6') }),
      'ERR_KEY_USAGE',
      'key',
    );
    expectCardHsmError(
      () => online.generateMac({ key: load('D0', 'TDES2', '0123456789ABCDEFFEDCBA9876543210'), data }),
      'ERR_KEY_USAGE',
      'key',
    );
    expectCardHsmError(() => online.verifyMac({ key: generateOnly, data, mac: h('A1C7') }), 'ERR_KEY_USAGE', 'key');
  });
});
