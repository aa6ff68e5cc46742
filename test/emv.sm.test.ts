// Issuer scripts: every vector of test/vectors/emv-sm.json (pyemv) through the library — the PIN always entering
// as an encrypted PIN block (formats 0, 1, 3 under TDES and 4 under AES give the same card data) — and refusals.
import { describe, expect, test } from 'vitest';
import * as api from '../src/index.js';
import { loadVectors, str, title, type Vector } from './helpers/vectors.js';
import { expectCardHsmError } from './helpers/errors.js';
import { encryptedPin } from './helpers/emv.js';

const h = api.hexToBytes;
const x = api.bytesToHex;
const TDES_KEY = h('0123456789ABCDEF0123456789ABCDEF');
const AES_KEY = h('000102030405060708090A0B0C0D0E0F');

/** The same PIN as encrypted blocks of every format the primitive accepts. */
function blocks(pin: string, pan: string): api.EncryptedPinBlock[] {
  return [
    encryptedPin(pin, pan, TDES_KEY),
    { pinBlock: api.tdesEncryptEcb(TDES_KEY, api.encodePinBlockIso1(pin)), pan, key: TDES_KEY, format: 1 },
    { pinBlock: api.tdesEncryptEcb(TDES_KEY, api.encodePinBlockIso3(pin, pan)), pan, key: TDES_KEY, format: 3 },
    { pinBlock: api.encipherPinBlockIso4(AES_KEY, pin, pan), pan, key: AES_KEY, format: 4 },
  ];
}

function smKey(v: Vector, imk: string): Uint8Array {
  const mk = api.deriveIccMasterKey(h(imk), str(v, 'pan'), str(v, 'psn'));
  return v.skd === 'VISA'
    ? api.deriveVisaSmSessionKey(mk, h(str(v, 'atc')))
    : api.deriveCommonSessionKey(mk, h(str(v, 'r')));
}

describe('known answers (test/vectors/emv-sm.json)', () => {
  test.each(loadVectors('emv-sm').map((v, i) => [title(v, i), v] as const))('%s', (_, v) => {
    switch (v.type) {
      case 'mac':
        return expect(x(api.generateScriptMac(h(str(v, 'key')), h(str(v, 'data'))))).toBe(v.mac);
      case 'mac-chain': {
        const mk = api.deriveIccMasterKey(h(str(v, 'imk')), str(v, 'pan'), str(v, 'psn'));
        return expect(x(api.generateScriptMac(api.deriveCommonSessionKey(mk, h(str(v, 'r'))), h(str(v, 'data'))))).toBe(
          v.mac,
        );
      }
      case 'encipher':
        return expect(
          x(api.encipherScriptData(h(str(v, 'key')), h(str(v, 'data')), v.mode as api.ScriptEncryption)),
        ).toBe(v.out);
      case 'vis-block': {
        // The clear VIS block is internal; enciphered under a known key in Mastercard mode (one ECB block) it shows.
        const sk = h('11111111111111112222222222222222');
        const data = api.generatePinChangeData(sk, encryptedPin(str(v, 'pin'), '1234567890123456', TDES_KEY), {
          pinBlock: 'VIS',
          encryption: 'MASTERCARD',
          iccMkAc: h(str(v, 'mkAc')),
        });
        return expect(x(api.tdesDecryptEcb(sk, data))).toBe(v.block);
      }
      case 'pin-change': {
        const pan = str(v, 'pan');
        const iccMkAc = v.imkAc ? api.deriveIccMasterKey(h(str(v, 'imkAc')), pan, str(v, 'psn')) : undefined;
        for (const [i, next] of blocks(str(v, 'pin'), pan).entries()) {
          const current = v.currentPin ? blocks(str(v, 'currentPin'), pan)[i] : undefined;
          const data = api.generatePinChangeData(smKey(v, str(v, 'imkSmc')), next, {
            pinBlock: v.pinBlock as 'VIS',
            encryption: v.encryption as 'VISA',
            iccMkAc,
            currentPin: current,
          });
          expect(x(data), `format ${next.format}`).toBe(v.data);
        }
        return expect(x(api.generateScriptMac(smKey(v, str(v, 'imkSmi')), h(str(v, 'header') + str(v, 'data'))))).toBe(
          v.mac,
        );
      }
      default:
        throw new Error(`unknown vector type ${String(v.type)}`);
    }
  });

  test('MAC lengths 4..8 are prefixes of the 8-byte MAC', () => {
    const key = h('0123456789ABCDEFFEDCBA9876543210');
    const full = api.generateScriptMac(key, h('8424000008'));
    for (let n = 4; n <= 8; n++) expect(api.generateScriptMac(key, h('8424000008'), n)).toEqual(full.subarray(0, n));
  });

  test('Mastercard mode pads only data that is not a multiple of 8 bytes (pyemv test_encrypt_command_data_mastercard_nonpadded)', () => {
    const key = h('AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB');
    expect(api.encipherScriptData(key, h('1234800000000000'), 'MASTERCARD')).toEqual(
      api.encipherScriptData(key, h('1234'), 'MASTERCARD'),
    );
  });
});

describe('refusals', () => {
  const sk = h('0123456789ABCDEFFEDCBA9876543210');
  const pan = '1234567890123456';
  const pin = encryptedPin('1234', pan, TDES_KEY);
  const opts = { pinBlock: 'ISO2', encryption: 'EMV' } as const;
  test.each([
    [
      () => api.generatePinChangeData(sk, { ...pin, key: h('FEDCBA98765432100123456789ABCDEF') }, opts),
      'ERR_PINBLOCK_FORMAT',
      'newPin.pinBlock',
    ],
    [
      () => api.generatePinChangeData(sk, { ...pin, pan: '1234567890123356' }, opts),
      'ERR_PINBLOCK_FORMAT',
      'newPin.pinBlock',
    ],
    [() => api.generatePinChangeData(sk, { ...pin, format: 2 as never }, opts), 'ERR_FORMAT', 'newPin.format'],
    [
      () => api.generatePinChangeData(sk, { ...pin, pinBlock: new Uint8Array(16) }, opts),
      'ERR_LENGTH',
      'newPin.pinBlock',
    ],
    [() => api.generatePinChangeData(sk, pin, { pinBlock: 'VIS', encryption: 'VISA' }), 'ERR_TYPE', 'opts.iccMkAc'],
    [() => api.generatePinChangeData(sk, pin, { ...opts, currentPin: pin }), 'ERR_FORMAT', 'opts.currentPin'],
    [
      () =>
        api.generatePinChangeData(sk, pin, {
          pinBlock: 'VIS',
          encryption: 'VISA',
          iccMkAc: sk,
          currentPin: { ...pin, key: sk },
        }),
      'ERR_FORMAT',
      'opts.currentPin',
    ],
    [
      () => api.generatePinChangeData(sk, pin, { pinBlock: 'ISO1' as never, encryption: 'EMV' }),
      'ERR_FORMAT',
      'opts.pinBlock',
    ],
    [
      () => api.generatePinChangeData(sk, pin, { pinBlock: 'ISO2', encryption: 'AES' as never }),
      'ERR_FORMAT',
      'opts.encryption',
    ],
    [() => api.generatePinChangeData(sk.subarray(0, 8), pin, opts), 'ERR_LENGTH', 'skSmc'],
    [() => api.generateScriptMac(sk, new Uint8Array(4), 3), 'ERR_FORMAT', 'length'],
    [() => api.encipherScriptData(sk, new Uint8Array(0), 'EMV'), 'ERR_LENGTH', 'data'],
    [() => api.encipherScriptData(sk, new Uint8Array(8), 'CBC' as never), 'ERR_FORMAT', 'mode'],
    [
      () =>
        api.generateEmvScriptMac(
          api.VISA_CVN18,
          sk,
          { pan, psn: '00' },
          { atc: new Uint8Array(2), arqc: new Uint8Array(7) },
          h('8418000008'),
        ),
      'ERR_LENGTH',
      'ctx.arqc',
    ],
    [
      () =>
        api.generateEmvScriptMac(
          api.VISA_CVN18,
          sk,
          { pan, psn: '00' },
          { atc: new Uint8Array(2), arqc: new Uint8Array(8) },
          h('84180000'),
        ),
      'ERR_LENGTH',
      'header',
    ],
    [
      () =>
        api.generateEmvPinChange(
          api.VISA_CVN18,
          { imkSmi: sk, imkSmc: sk },
          { pan, psn: '00' },
          { atc: new Uint8Array(2), arqc: new Uint8Array(8) },
          pin,
        ),
      'ERR_TYPE',
      'keys.imkAc',
    ],
  ] as const)('%#: %s %s', (fn, code, field) => {
    expectCardHsmError(fn, code, field);
  });

  test('a refused PIN block says nothing about the PIN, key or PAN', () => {
    const e = expectCardHsmError(
      () => api.generatePinChangeData(sk, { ...pin, pan: '1234567890123356' }, opts),
      'ERR_PINBLOCK_FORMAT',
    );
    expect(e.message).not.toMatch(/1234|0123456789ABCDEF/i);
  });
});
