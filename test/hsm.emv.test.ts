// EMV chip cryptography through the Hsm, with key blocks (issue 16): the public vectors the primitives pass, now
// with the keys as E0/E1/E2/E4 blocks under the LMK — usage and mode of use enforced, the online profile allowed to
// verify ARQCs and check dynamic codes, but not to personalise cards.
import { describe, expect, test } from 'vitest';
import * as api from '../src/index.js';
import { Hsm, MemoryStore } from '../src/index.js';
import { loadVectors, str } from './helpers/vectors.js';
import { txOf } from './helpers/emv.js';
import { expectCardHsmError } from './helpers/errors.js';
import { keyLoader, LMK } from './helpers/hsm.js';

const h = api.hexToBytes;
const x = api.bytesToHex;
const { load } = keyLoader();
const online = new Hsm({ lmk: LMK, store: new MemoryStore() });
const issuance = new Hsm({ lmk: LMK, activities: 'issuance', store: new MemoryStore() });

describe('EMV with E0/E1/E2/E4 key blocks', () => {
  const v = loadVectors('emv-cvn').find((t) => t.profile === 'VISA_CVN18' && t.type === 'profile')!;
  const tx = txOf(v.tx as unknown as Record<string, string>);
  const card = { pan: str(v, 'pan'), psn: str(v, 'psn') };
  const imk = load('E0', 'TDES2', str(v, 'imkAc'), 'X');
  const arqc = h(str(v, 'arqc'));

  test('the online host verifies an ARQC (VISA CVN 18 vector) and answers with the ARPC; a forged one gets no ARPC', () => {
    const r = online.verifyEmvArqc({
      imk,
      profile: 'VISA_CVN18',
      ...card,
      transaction: tx,
      arqc,
      response: { csu: h(str(v, 'response')) },
    });
    expect(r.valid).toBe(true);
    expect(x(r.arpc!)).toBe(v.arpc);
    const forged = arqc.slice();
    forged[0]! ^= 1;
    expect(
      online.verifyEmvArqc({
        imk,
        profile: 'VISA_CVN18',
        ...card,
        transaction: tx,
        arqc: forged,
        response: { csu: h(str(v, 'response')) },
      }),
    ).toEqual({ valid: false });
    expectCardHsmError(
      () =>
        online.verifyEmvArqc({
          imk: load('E1', 'TDES2', str(v, 'imkAc'), 'X'),
          profile: 'VISA_CVN18',
          ...card,
          transaction: tx,
          arqc,
        }),
      'ERR_KEY_USAGE',
      'imk',
    );
    expectCardHsmError(
      () => online.verifyEmvArqc({ imk, profile: 'VISA_CVN99' as never, ...card, transaction: tx, arqc }),
      'ERR_FORMAT',
      'profile',
    );
  });

  test('issuer script MAC (E2) and PIN change from an encrypted PIN block (E1, E2)', () => {
    const imkSmi = load('E2', 'TDES2', str(v, 'imkSmi'), 'X');
    const imkSmc = load('E1', 'TDES2', str(v, 'imkSmc'), 'X');
    const ctx = { atc: tx.atc, arqc };
    expect(
      x(online.generateEmvScriptMac({ imkSmi, profile: 'VISA_CVN18', ...card, ...ctx, header: h(str(v, 'header')) })),
    ).toBe(v.mac);
    const pc = v.pinChange as unknown as { pin: string; command: string };
    const zpk = load('P0', 'TDES2', '0123456789ABCDEFFEDCBA9876543210');
    const pinBlock = api.tdesEncryptEcb(
      h('0123456789ABCDEFFEDCBA9876543210'),
      api.encodePinBlockIso0(pc.pin, card.pan),
    );
    const script = online.generateEmvPinChange({
      profile: 'VISA_CVN18',
      imkSmi,
      imkSmc,
      imkAc: imk,
      ...card,
      ...ctx,
      newPin: { pinBlock, pinKey: zpk, format: 0 },
    });
    expect(x(script.command)).toBe(pc.command);
  });

  test('personalisation: ICC master keys exported under a KEK (issuance only), equal to the derivation', () => {
    const imks = {
      ac: imk,
      smi: load('E2', 'TDES2', str(v, 'imkSmi'), 'X'),
      smc: load('E1', 'TDES2', str(v, 'imkSmc'), 'X'),
    };
    const kekClear = '89ABCDEF0123456776543210FEDCBA98';
    const kek = load('K0', 'TDES2', kekClear);
    const [out] = issuance.exportEmvPersoKeys({ imks, cards: [card], kek });
    const mkAc = api.unwrapTr31(h(kekClear), out!.keyBlocks.mkAc!.keyBlock);
    expect(mkAc.header.usage).toBe('E0');
    expect(mkAc.key).toEqual(api.deriveIccMasterKey(h(str(v, 'imkAc')), card.pan, card.psn));
    expect(Object.keys(out!.keyBlocks).sort()).toEqual(['mkAc', 'mkSmc', 'mkSmi']);
    expectCardHsmError(() => online.exportEmvPersoKeys({ imks, cards: [card], kek }), 'ERR_NOT_AUTHORIZED');
  });

  test('Visa dCVV and Mastercard CVC3 under E4 keys: generated in issuance, checked and counted online', async () => {
    // (jPOS's dCVV example key, 1234567812345678 twice, is single DES: a key block refuses it, so another key here.)
    const dcvvClear = '0123456789ABCDEFFEDCBA9876543210';
    const dcvv = {
      imk: load('E4', 'TDES2', dcvvClear, 'X'),
      pan: '1234567890123456',
      psn: '00',
      expiry: '1310',
      serviceCode: '226',
      atc: h('3210'),
    };
    const code = api.generateDcvv(h(dcvvClear), dcvv.pan, dcvv.psn, dcvv.expiry, dcvv.serviceCode, dcvv.atc);
    expect(issuance.generateDcvv(dcvv)).toBe(code);
    const cardRef = online.cardRef(dcvv.pan);
    expect(await online.verifyCardDcvv({ ...dcvv, cardRef, dcvv: code })).toBe(true);
    expect(
      await online.verifyCardDcvv({ ...dcvv, cardRef, dcvv: String((Number(code) + 1) % 1000).padStart(3, '0') }),
    ).toBe(false);
    expectCardHsmError(() => online.generateDcvv(dcvv), 'ERR_NOT_AUTHORIZED');
    const cvc3 = {
      imk: load('E4', 'TDES2', '01234567899876543210012345678998', 'X'),
      pan: '5123456789012345',
      psn: '00',
      trackData: h('5123456789012345D35121010000000000000F'),
      atc: h('005E'),
      unpredictableNumber: h('00000899'),
    };
    expect(issuance.generateCvc3(cvc3)).toBe('29488'); // the cvc3.ts example (jPOS)
    expect(await online.verifyCardCvc3({ ...cvc3, cardRef: online.cardRef(cvc3.pan), cvc3: '488' })).toBe(true);
  });
});
