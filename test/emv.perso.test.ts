// Personalisation batch: each card's MK-AC/SMI/SMC (and CVC3, dCVV when given) equal the single derivation of each
// IMK (itself checked against pyemv's vectors in emv.kd.test.ts); optional keys absent when not asked; refusals.
import { describe, expect, test } from 'vitest';
import * as api from '../src/index.js';
import { expectCardHsmError } from './helpers/errors.js';

const h = api.hexToBytes;
const imks = {
  ac: h('0123456789ABCDEFFEDCBA9876543210'),
  smi: h('FEDCBA98765432100123456789ABCDEF'),
  smc: h('89ABCDEF0123456776543210FEDCBA98'),
  cvc3: h('01234567899876543210012345678998'),
  dcvv: h('12345678123456781234567812345678'),
};

describe('derivePersoKeys', () => {
  test('pyemv test_cvn_hsm key check digits: MK-AC BAB0, MK-SMI F010, MK-SMC B154 (PAN 1234567890123456, PSN 00)', () => {
    const [card] = api.derivePersoKeys({ ac: imks.ac, smi: imks.smi, smc: imks.smc }, [
      { pan: '1234567890123456', psn: '00' },
    ]);
    expect([card!.mkAc, card!.mkSmi, card!.mkSmc].map((k) => api.keyCheckValue(k, { length: 2 }))).toEqual([
      'BAB0',
      'F010',
      'B154',
    ]);
    expect(card!.mkCvc3).toBeUndefined();
    expect(card!.mkDcvv).toBeUndefined();
  });

  test('every key of every card equals the single derivation, across chunks, both options', () => {
    const cards = Array.from({ length: 7000 }, (_, i) => ({
      pan: String(5000000000000000000n + BigInt(i) * 104729n).slice(0, 13 + (i % 7)),
      psn: String(i % 100).padStart(2, '0'),
    }));
    for (const option of ['A', 'B'] as const) {
      const out = api.derivePersoKeys(imks, cards, option);
      expect(out).toHaveLength(cards.length);
      for (const i of [0, 1, 127, 128, 6553, 6554, 6999]) {
        const c = cards[i]!;
        expect(out[i]!.pan).toBe(c.pan);
        expect(out[i]!.mkAc).toEqual(api.deriveIccMasterKey(imks.ac, c.pan, c.psn, option));
        expect(out[i]!.mkSmi).toEqual(api.deriveIccMasterKey(imks.smi, c.pan, c.psn, option));
        expect(out[i]!.mkSmc).toEqual(api.deriveIccMasterKey(imks.smc, c.pan, c.psn, option));
        expect(out[i]!.mkCvc3).toEqual(api.deriveIccMasterKey(imks.cvc3, c.pan, c.psn, option));
        expect(out[i]!.mkDcvv).toEqual(api.deriveIccMasterKey(imks.dcvv, c.pan, c.psn, option));
      }
    }
  });

  test.each([
    [() => api.derivePersoKeys({ ac: imks.ac, smi: imks.smi } as never, []), 'ERR_TYPE', 'imks.smc'],
    [() => api.derivePersoKeys({ ...imks, dcvv: new Uint8Array(8) }, []), 'ERR_LENGTH', 'imks.dcvv'],
    [() => api.derivePersoKeys(imks, [{ pan: '1234567890123456', psn: '0' }]), 'ERR_LENGTH', 'cards[0].psn'],
    [() => api.derivePersoKeys(imks, [], 'Z' as never), 'ERR_FORMAT', 'option'],
  ] as const)('refusal %#: %s %s', (fn, code, field) => {
    expectCardHsmError(fn, code, field);
  });
});
