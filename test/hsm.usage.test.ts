// The usage rule table: every facade operation against keys of every usage (and the modes of use that matter),
// expecting success exactly where X9.143's usage and mode of use allow it, and ERR_KEY_USAGE otherwise — before
// any cryptography (the refused call leaves an audit record without a KCV: the key was never unwrapped).
import { describe, expect, test } from 'vitest';
import { CardHsmError, KEY_USAGE_RULES, MemoryStore, X9143_USAGES, type KeyAlgorithm } from '../src/index.js';
import { LMK, makeHsm } from './helpers/hsm.js';

const PAN = '4123456789012345';
const { hsm, audit, keys } = makeHsm(LMK, { store: new MemoryStore() });

/** One key per (usage, mode, algorithm) worth distinguishing. */
const KEYS: Record<string, string> = {};
for (const [usage, algorithm, modes] of [
  ['C0', 'TDES2', 'CGV'],
  ['P0', 'TDES2', 'BED'],
  ['P0', 'AES128', 'B'],
  ['V1', 'TDES2', 'CGV'],
  ['V2', 'TDES2', 'CGV'],
  ['D0', 'TDES2', 'BED'],
  ['D0', 'AES128', 'B'],
  ['K0', 'TDES2', 'BED'],
  ['K1', 'AES256', 'B'],
  ['M0', 'TDES2', 'C'],
  ['E6', 'HMAC256', 'CGVX'],
  ['M3', 'TDES2', 'CGV'],
  ['M7', 'HMAC256', 'C'],
  ['E0', 'TDES2', 'X'],
  ['E2', 'TDES2', 'X'],
  ['B0', 'TDES2', 'X'],
  ['B1', 'TDES2', 'X'],
] as const) {
  for (const modeOfUse of modes)
    KEYS[`${usage}/${modeOfUse}/${algorithm}`] = hsm.generateKey({
      usage,
      algorithm: algorithm as KeyAlgorithm,
      modeOfUse,
    }).keyBlock;
}

const pinBlock = hsm.encryptClearPin({ pinKey: keys.zpk, pin: '1234', pan: PAN, format: 0 });
const aesPinBlock = hsm.encryptClearPin({ pinKey: keys.aesPinKey, pin: '1234', pan: PAN, format: 4 });
const KSN = new Uint8Array([0xff, 0xff, 0x98, 0x76, 0x54, 0x32, 0x10, 0xe0, 0, 1]);
const TX = {
  amountAuthorized: new Uint8Array(6),
  amountOther: new Uint8Array(6),
  terminalCountryCode: new Uint8Array(2),
  tvr: new Uint8Array(5),
  transactionCurrencyCode: new Uint8Array(2),
  transactionDate: new Uint8Array(3),
  transactionType: new Uint8Array(1),
  unpredictableNumber: new Uint8Array(4),
  aip: new Uint8Array(2),
  atc: new Uint8Array(2),
  iad: new Uint8Array(7),
};
const chosen = hsm.encryptClearPin({ pinKey: keys.zpk, pin: '2580', pan: PAN, format: 0 });
const setPinWith = (pvk: string, pinKey: string) =>
  hsm.setPin({
    cardRef: hsm.cardRef(PAN),
    pinBlock: chosen,
    pinKey,
    format: 0,
    pan: PAN,
    method: { type: 'VISA_PVV', pvk, pvki: '1' },
  });

/** Each operation, with the key under test in the role named, the other keys correct. */
const OPERATIONS: Record<string, { allowed: string[]; call: (key: string) => unknown }> = {
  generateCvv: {
    allowed: ['C0/C/TDES2', 'C0/G/TDES2'],
    call: (k) => hsm.generateCvv({ cvk: k, pan: PAN, expiry: '8701', serviceCode: '101' }),
  },
  verifyCvv: {
    allowed: ['C0/C/TDES2', 'C0/V/TDES2'],
    call: (k) => hsm.verifyCvv({ cvk: k, pan: PAN, expiry: '8701', serviceCode: '101', cvv: '561' }),
  },
  encryptClearPin: {
    allowed: ['P0/B/TDES2', 'P0/E/TDES2'],
    call: (k) => hsm.encryptClearPin({ pinKey: k, pin: '1234', pan: PAN, format: 0 }),
  },
  'translatePinBlock(to)': {
    allowed: ['P0/B/TDES2', 'P0/E/TDES2'],
    call: (k) =>
      hsm.translatePinBlock({ pinBlock, pan: PAN, from: { key: keys.zpk, format: 0 }, to: { key: k, format: 0 } }),
  },
  'translatePinBlock(from, ISO 4)': {
    allowed: ['P0/B/AES128'],
    call: (k) =>
      hsm.translatePinBlock({
        pinBlock: aesPinBlock,
        pan: PAN,
        from: { key: k, format: 4 },
        to: { key: keys.zpk, format: 0 },
      }),
  },
  'setPin(pvk)': {
    allowed: ['V2/C/TDES2', 'V2/G/TDES2'],
    call: (k) => setPinWith(k, keys.zpk),
  },
  'setPin(pinKey)': {
    allowed: ['P0/B/TDES2', 'P0/D/TDES2'],
    call: (k) => setPinWith(keys.pvk, k),
  },
  'registerPinVerificationData(pvk)': {
    allowed: ['V2/C/TDES2', 'V2/V/TDES2'],
    call: (k) =>
      hsm.registerPinVerificationData({
        cardRef: hsm.cardRef(PAN),
        pan: PAN,
        data: { type: 'VISA_PVV', pvk: k, pvki: '1', pvv: '0000' },
      }),
  },
  'setPin(IBM 3624 pvk)': {
    allowed: ['V1/C/TDES2', 'V1/G/TDES2'],
    call: (k) =>
      hsm.setPin({
        cardRef: hsm.cardRef(PAN),
        pinBlock: chosen,
        pinKey: keys.zpk,
        format: 0,
        pan: PAN,
        method: {
          type: 'IBM3624_OFFSET',
          pvk: k,
          validationData: '4123456789012345',
          decimalizationTable: '0123456789012345',
        },
      }),
  },
  'generateDynamicCvv2(imk)': {
    allowed: ['E6/C/HMAC256', 'E6/G/HMAC256', 'E6/X/HMAC256'],
    call: (k) => hsm.generateDynamicCvv2({ imk: k, pan: PAN, psn: '00', expiry: '2812' }),
  },
  'verifyDynamicCvv2(imk)': {
    allowed: ['E6/C/HMAC256', 'E6/V/HMAC256', 'E6/X/HMAC256'],
    call: (k) =>
      hsm.verifyDynamicCvv2({ cardRef: hsm.cardRef(PAN), imk: k, pan: PAN, psn: '00', expiry: '2812', code: '000' }),
  },
  generateMac: {
    allowed: ['M0/C/TDES2', 'M3/C/TDES2', 'M3/G/TDES2', 'M7/C/HMAC256'],
    call: (k) => hsm.generateMac({ key: k, data: new Uint8Array(8) }),
  },
  verifyMac: {
    allowed: ['M0/C/TDES2', 'M3/C/TDES2', 'M3/V/TDES2', 'M7/C/HMAC256'],
    call: (k) => hsm.verifyMac({ key: k, data: new Uint8Array(8), mac: new Uint8Array(8) }),
  },
  'verifyEmvArqc(imk)': {
    allowed: ['E0/X/TDES2'],
    call: (k) =>
      hsm.verifyEmvArqc({
        imk: k,
        profile: 'VISA_CVN10',
        pan: PAN,
        psn: '00',
        transaction: TX,
        arqc: new Uint8Array(8),
      }),
  },
  'generateEmvScriptMac(imkSmi)': {
    allowed: ['E2/X/TDES2'],
    call: (k) =>
      hsm.generateEmvScriptMac({
        imkSmi: k,
        profile: 'VISA_CVN10',
        pan: PAN,
        psn: '00',
        atc: new Uint8Array(2),
        arqc: new Uint8Array(8),
        header: new Uint8Array(5),
      }),
  },
  'translateDukptPinBlock(from)': {
    allowed: ['B0/X/TDES2', 'B1/X/TDES2'],
    call: (k) =>
      hsm.translateDukptPinBlock({
        pinBlock: pinBlock,
        pan: PAN,
        from: { bdk: k, ksn: KSN, format: 0 },
        to: { key: keys.zpk, format: 0 },
      }),
  },
  'exportDukptInitialKey(bdk)': {
    allowed: ['B0/X/TDES2'],
    call: (k) => hsm.exportDukptInitialKey({ bdk: k, ksn: KSN, kek: keys.kek }),
  },
  encryptData: {
    allowed: ['D0/B/TDES2', 'D0/E/TDES2', 'D0/B/AES128'],
    call: (k) => hsm.encryptData({ key: k, data: new Uint8Array(16), mode: 'ECB' }),
  },
  decryptData: {
    allowed: ['D0/B/TDES2', 'D0/D/TDES2', 'D0/B/AES128'],
    call: (k) => hsm.decryptData({ key: k, data: new Uint8Array(16), mode: 'ECB' }),
  },
  'exportKey(kek)': {
    allowed: ['K0/B/TDES2', 'K0/E/TDES2', 'K1/B/AES256'],
    call: (k) => hsm.exportKey({ keyBlock: keys.zpk, kek: k }),
  },
  'exportSecurityValues(transportKey)': {
    allowed: ['D0/B/TDES2', 'D0/E/TDES2'],
    call: (k) =>
      hsm.exportSecurityValues({ cvk: keys.cvk, pan: PAN, expiry: '8701', serviceCode: '101', transportKey: k }),
  },
};

describe('operation × key → allowed or ERR_KEY_USAGE', () => {
  for (const [operation, { allowed, call }] of Object.entries(OPERATIONS)) {
    for (const [name, key] of Object.entries(KEYS)) {
      const expected = allowed.includes(name) ? 'allowed' : 'ERR_KEY_USAGE';
      test(`${operation} with ${name}: ${expected}`, async () => {
        let outcome = 'allowed';
        try {
          await call(key);
        } catch (e) {
          if (!(e instanceof CardHsmError)) throw e;
          // A PIN block encrypted under another PIN key does not decode: the key was allowed and used.
          outcome = e.code === 'ERR_PINBLOCK_FORMAT' || e.code === 'ERR_PIN_POLICY' ? 'allowed' : e.code;
        }
        expect(outcome).toBe(expected);
      });
    }
  }
});

test('a refused key is never unwrapped: its audit record has no KCV', () => {
  const before = audit.records.length;
  expect(() => hsm.generateCvv({ cvk: keys.zpk, pan: PAN, expiry: '8701', serviceCode: '101' })).toThrow(CardHsmError);
  expect(audit.records.slice(before)).toEqual([
    expect.objectContaining({ operation: 'generateCvv', outcome: 'error', errorCode: 'ERR_KEY_USAGE', keyKcv: null }),
  ]);
});

test('the Hsm makes keys for exactly the usages its rules use: X9.143 usages that no rule uses are refused', () => {
  const used = new Set(Object.values(KEY_USAGE_RULES).flatMap((r) => r.usages));
  const letterAlgorithm: Record<string, KeyAlgorithm> = { T: 'TDES2', A: 'AES128', H: 'HMAC256' };
  for (const usage of X9143_USAGES) {
    const rule = Object.values(KEY_USAGE_RULES).find((r) => (r.usages as readonly string[]).includes(usage));
    const algorithm = letterAlgorithm[Object.keys(rule?.algorithms ?? { T: [16] })[0]!]!;
    const make = () => hsm.generateKey({ usage, algorithm, modeOfUse: 'N' });
    if (used.has(usage)) expect(make().keyBlock).toMatch(new RegExp(`^D\\d{4}${usage}`));
    else expect(() => make()).toThrow(expect.objectContaining({ code: 'ERR_FORMAT', field: 'usage' }));
  }
  expect([...used].sort()).toEqual([
    'B0',
    'B1',
    'C0',
    'D0',
    'E0',
    'E1',
    'E2',
    'E4',
    'E6',
    'K0',
    'K1',
    'M0',
    'M1',
    'M3',
    'M5',
    'M6',
    'M7',
    'P0',
    'V1',
    'V2',
  ]);
});
