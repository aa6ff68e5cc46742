// Scheme profiles: every vector of test/vectors/emv-cvn.json through the profile functions (pyemv's CVN tests and
// docstring, jPOS's CVN data builders citing Visa's VSDC guide), batch verification equal to single, refusals.
import { describe, expect, test } from 'vitest';
import * as api from '../src/index.js';
import { loadVectors, str, title } from './helpers/vectors.js';
import { expectCardHsmError } from './helpers/errors.js';
import { PROFILES, txOf, encryptedPin } from './helpers/emv.js';

const h = api.hexToBytes;
const x = api.bytesToHex;
const PIN_KEY = h('0123456789ABCDEF0123456789ABCDEF');

describe('known answers (test/vectors/emv-cvn.json)', () => {
  test.each(loadVectors('emv-cvn').map((v, i) => [title(v, i), v] as const))('%s', (_, v) => {
    const profile = PROFILES[str(v, 'profile')]!;
    const tx = txOf(v.tx as unknown as Record<string, string>);
    if (v.type === 'data') return expect(x(api.emvArqcData(profile, tx))).toBe(v.data);
    if (v.type !== 'profile') throw new Error(`unknown vector type ${String(v.type)}`);
    const card = { pan: str(v, 'pan'), psn: str(v, 'psn') };
    const imkAc = h(str(v, 'imkAc'));
    expect(x(api.generateEmvArqc(profile, imkAc, card, tx))).toBe(v.arqc);
    expect(api.verifyEmvArqc(profile, imkAc, card, tx, h(str(v, 'arqc')))).toBe(true);
    expect(api.verifyEmvArqcBatch(profile, imkAc, [{ ...card, tx, arqc: h(str(v, 'arqc')) }])).toEqual([true]);
    const response = profile.arpcMethod === 1 ? { arc: h(str(v, 'response')) } : { csu: h(str(v, 'response')) };
    expect(x(api.generateEmvArpc(profile, imkAc, card, tx, h(str(v, 'arqc')), response))).toBe(v.arpc);
    const ctx = { atc: tx.atc, arqc: h(str(v, 'arqc')) };
    expect(x(api.generateEmvScriptMac(profile, h(str(v, 'imkSmi')), card, ctx, h(str(v, 'header'))))).toBe(v.mac);
    const keys = { imkAc, imkSmi: h(str(v, 'imkSmi')), imkSmc: h(str(v, 'imkSmc')) };
    const pc = v.pinChange as unknown as { pin: string; command: string } | undefined;
    if (pc) {
      const script = api.generateEmvPinChange(profile, keys, card, ctx, encryptedPin(pc.pin, card.pan, PIN_KEY));
      expect(x(script.command)).toBe(pc.command);
      expect(x(script.command)).toBe(
        `84240002${x(Uint8Array.of(script.pinData.length + 8))}${x(script.pinData)}${x(script.mac)}`,
      );
    }
    const pcc = v.pinChangeWithCurrent as unknown as { pin: string; currentPin: string; command: string } | undefined;
    if (pcc) {
      const script = api.generateEmvPinChange(
        profile,
        keys,
        card,
        ctx,
        encryptedPin(pcc.pin, card.pan, PIN_KEY),
        encryptedPin(pcc.currentPin, card.pan, PIN_KEY),
      );
      expect(x(script.command)).toBe(pcc.command);
    }
  });

  test('the profiles are frozen and name what the module header documents', () => {
    for (const [name, p] of Object.entries(PROFILES)) {
      expect(Object.isFrozen(p)).toBe(true);
      expect(p.name).toBe(name);
    }
    expect([api.VISA_CVN10.padding, api.VISA_CVN18.padding, api.MASTERCARD_CVN16.padding]).toEqual([1, 2, 2]);
  });
});

describe('batch verification', () => {
  const v = loadVectors('emv-cvn').find((t) => t.profile === 'VISA_CVN18' && t.type === 'profile')!;
  const imkAc = h(str(v, 'imkAc'));
  const base = txOf(v.tx as unknown as Record<string, string>);
  test('one result per item, in order, equal to single verification; wrong ARQCs fail', () => {
    const items = Array.from({ length: 3000 }, (_, i) => {
      const tx = { ...base, atc: Uint8Array.of(i >> 8, i & 0xff), amountAuthorized: h(String(i).padStart(12, '0')) };
      const card = { pan: String(4000000000000000 + i * 7), psn: String(i % 100).padStart(2, '0') };
      const arqc = api.generateEmvArqc(api.VISA_CVN18, imkAc, card, tx);
      if (i % 3 === 0) arqc[i % 8]! ^= 1 << (i % 8);
      return { ...card, tx, arqc };
    });
    const got = api.verifyEmvArqcBatch(api.VISA_CVN18, imkAc, items);
    expect(got).toEqual(items.map((_, i) => i % 3 !== 0));
    for (const i of [0, 1, 2, 2999])
      expect(got[i]).toBe(api.verifyEmvArqc(api.VISA_CVN18, imkAc, items[i]!, items[i]!.tx, items[i]!.arqc));
    expect(api.verifyEmvArqcBatch(api.VISA_CVN18, imkAc, [])).toEqual([]);
  });
});

describe('arguments', () => {
  const v = loadVectors('emv-cvn').find((t) => t.profile === 'MASTERCARD_CVN17' && t.type === 'profile')!;
  const imk = h(str(v, 'imkAc'));
  const tx = txOf(v.tx as unknown as Record<string, string>);
  const card = { pan: '1234567890123456', psn: '00' };
  const arqc = new Uint8Array(8);
  test.each([
    [() => api.generateEmvArqc({ ...api.VISA_CVN18 }, imk, card, tx), 'ERR_FORMAT', 'profile'],
    [
      () => api.generateEmvArqc(api.MASTERCARD_CVN17, imk, card, { ...tx, iad: tx.iad.subarray(0, 17) }),
      'ERR_LENGTH',
      'tx.iad',
    ],
    [() => api.generateEmvArqc(api.VISA_CVN18, imk, card, { ...tx, iad: new Uint8Array(33) }), 'ERR_LENGTH', 'tx.iad'],
    [() => api.generateEmvArqc(api.VISA_CVN18, imk, card, { ...tx, tvr: new Uint8Array(4) }), 'ERR_LENGTH', 'tx.tvr'],
    [() => api.generateEmvArqc(api.VISA_CVN18, imk, card, { ...tx, atc: undefined as never }), 'ERR_TYPE', 'tx.atc'],
    [() => api.generateEmvArqc(api.VISA_CVN18, imk, { pan: '1234', psn: '00' }, tx), 'ERR_LENGTH', 'card.pan'],
    [() => api.generateEmvArqc(api.VISA_CVN18, imk.subarray(1), card, tx), 'ERR_LENGTH', 'imkAc'],
    [() => api.verifyEmvArqc(api.VISA_CVN18, imk, card, tx, new Uint8Array(4)), 'ERR_LENGTH', 'arqc'],
    [
      () =>
        api.verifyEmvArqcBatch(api.VISA_CVN18, imk, [
          { ...card, tx, arqc },
          { ...card, tx: { ...tx, aip: new Uint8Array(3) }, arqc },
        ]),
      'ERR_LENGTH',
      'items[1].tx.aip',
    ],
    [
      () => api.verifyEmvArqcBatch(api.VISA_CVN18, imk, [{ ...card, tx, arqc: new Uint8Array(7) }]),
      'ERR_LENGTH',
      'items[0].arqc',
    ],
    [
      () => api.generateEmvArpc(api.VISA_CVN18, imk, card, tx, arqc, { arc: new Uint8Array(2) }),
      'ERR_FORMAT',
      'response.csu',
    ],
    [
      () => api.generateEmvArpc(api.MASTERCARD_CVN16, imk, card, tx, arqc, { csu: new Uint8Array(4) }),
      'ERR_FORMAT',
      'response.arc',
    ],
    [
      () => api.generateEmvArpc(api.MASTERCARD_CVN16, imk, card, tx, arqc, { arc: new Uint8Array(3) }),
      'ERR_LENGTH',
      'arc',
    ],
    [() => api.emvArqcData(api.VISA_CVN10, { ...tx, iad: new Uint8Array(6) }), 'ERR_LENGTH', 'tx.iad'],
  ] as const)('%#: %s %s', (fn, code, field) => {
    expectCardHsmError(fn, code, field);
  });
});
