// MACs, EMV chip cryptography and DUKPT through the Hsm, with key blocks (issues 16 and 17): the public vectors
// the primitives pass, now with the keys as M, E, B0/B1 and P0 blocks under the LMK — usage and mode of use
// enforced, the online profile allowed to verify ARQCs, translate terminal PIN blocks and check MACs, but not to
// personalise cards or export terminal keys.
import { describe, expect, test } from 'vitest';
import { createHmac } from 'node:crypto';
import * as api from '../src/index.js';
import { Hsm, MemoryStore } from '../src/index.js';
import { loadVectors, str } from './helpers/vectors.js';
import { txOf } from './helpers/emv.js';
import { expectCardHsmError } from './helpers/errors.js';
import { LMK } from './helpers/hsm.js';

const h = api.hexToBytes;
const x = api.bytesToHex;
const custodian = new Hsm({ lmk: LMK, activities: 'custodian', development: { allowSingleComponent: true, warn: () => {} } });
const load = (usage: string, algorithm: api.KeyAlgorithm, hex: string, modeOfUse?: string) => custodian.importKeyComponents({ usage, algorithm, modeOfUse, components: [h(hex)], allowSingleComponent: true, fixParity: algorithm.startsWith('TDES') }).keyBlock;
const online = new Hsm({ lmk: LMK, store: new MemoryStore() });
const issuance = new Hsm({ lmk: LMK, activities: 'issuance', store: new MemoryStore() });

describe('MACs by the key\'s usage', () => {
  const data = new TextEncoder().encode('Now is the time for all ');
  test('M3 is ISO/IEC 9797-1 algorithm 3 (Annex B: A1C72E74EA3FA9B6), M1 algorithm 1, M5 CMAC, M7 HMAC', () => {
    const m3 = load('M3', 'TDES2', '0123456789ABCDEFFEDCBA9876543210');
    expect(x(online.generateMac({ key: m3, data }))).toBe('A1C72E74EA3FA9B6');
    expect(x(online.generateMac({ key: m3, data, length: 4 }))).toBe('A1C72E74');
    expect(online.verifyMac({ key: m3, data, mac: h('A1C72E74') })).toBe(true);
    expect(online.verifyMac({ key: m3, data, mac: h('A1C72E75') })).toBe(false);
    const m1 = load('M1', 'TDES2', '0123456789ABCDEFFEDCBA9876543210');
    expect(online.generateMac({ key: m1, data })).toEqual(api.isoMac(h('0123456789ABCDEFFEDCBA9876543210'), data, { algorithm: 1, padding: 1 }));
    const m5 = load('M5', 'TDES2', '4CF15134A2850DD58A3D10BA80570D38');
    expect(x(online.generateMac({ key: m5, data: h('6BC1BEE22E409F96') }))).toBe('4FF2AB813C53CE83'); // SP 800-38B D.4 (cmac.json)
    const hmacKey = '0B'.repeat(32);
    const m7 = load('M7', 'HMAC256', hmacKey);
    expect(online.generateMac({ key: m7, data, hash: 'SHA-384' })).toEqual(new Uint8Array(createHmac('sha384', Buffer.from(hmacKey, 'hex')).update(data).digest()));
  });

  test('mode of use: a V key verifies only, a G key generates only; other usages are refused', () => {
    const verifyOnly = load('M3', 'TDES2', '0123456789ABCDEFFEDCBA9876543210', 'V');
    const generateOnly = load('M3', 'TDES2', '0123456789ABCDEFFEDCBA9876543210', 'G');
    expectCardHsmError(() => online.generateMac({ key: verifyOnly, data }), 'ERR_KEY_USAGE', 'key');
    expect(online.verifyMac({ key: verifyOnly, data, mac: h('A1C72E74EA3FA9B6') })).toBe(true);
    expect(x(online.generateMac({ key: generateOnly, data }))).toBe('A1C72E74EA3FA9B6');
    expectCardHsmError(() => online.verifyMac({ key: generateOnly, data, mac: h('A1C72E74EA3FA9B6') }), 'ERR_KEY_USAGE', 'key');
    expectCardHsmError(() => online.generateMac({ key: load('D0', 'TDES2', '0123456789ABCDEFFEDCBA9876543210'), data }), 'ERR_KEY_USAGE', 'key');
    expectCardHsmError(() => online.verifyMac({ key: generateOnly, data, mac: h('A1C7') }), 'ERR_KEY_USAGE', 'key');
  });
});

describe('EMV with E0/E1/E2/E4 key blocks', () => {
  const v = loadVectors('emv-cvn').find((t) => t.profile === 'VISA_CVN18' && t.type === 'profile')!;
  const tx = txOf(v.tx as unknown as Record<string, string>);
  const card = { pan: str(v, 'pan'), psn: str(v, 'psn') };
  const imk = load('E0', 'TDES2', str(v, 'imkAc'), 'X');
  const arqc = h(str(v, 'arqc'));

  test('the online host verifies an ARQC (VISA CVN 18 vector) and answers with the ARPC; a forged one gets no ARPC', () => {
    const r = online.verifyEmvArqc({ imk, profile: 'VISA_CVN18', ...card, transaction: tx, arqc, response: { csu: h(str(v, 'response')) } });
    expect(r.valid).toBe(true);
    expect(x(r.arpc!)).toBe(v.arpc);
    const forged = arqc.slice();
    forged[0]! ^= 1;
    expect(online.verifyEmvArqc({ imk, profile: 'VISA_CVN18', ...card, transaction: tx, arqc: forged, response: { csu: h(str(v, 'response')) } })).toEqual({ valid: false });
    expectCardHsmError(() => online.verifyEmvArqc({ imk: load('E1', 'TDES2', str(v, 'imkAc'), 'X'), profile: 'VISA_CVN18', ...card, transaction: tx, arqc }), 'ERR_KEY_USAGE', 'imk');
    expectCardHsmError(() => online.verifyEmvArqc({ imk, profile: 'VISA_CVN99' as never, ...card, transaction: tx, arqc }), 'ERR_FORMAT', 'profile');
  });

  test('issuer script MAC (E2) and PIN change from an encrypted PIN block (E1, E2)', () => {
    const imkSmi = load('E2', 'TDES2', str(v, 'imkSmi'), 'X');
    const imkSmc = load('E1', 'TDES2', str(v, 'imkSmc'), 'X');
    const ctx = { atc: tx.atc, arqc };
    expect(x(online.generateEmvScriptMac({ imkSmi, profile: 'VISA_CVN18', ...card, ...ctx, header: h(str(v, 'header')) }))).toBe(v.mac);
    const pc = v.pinChange as unknown as { pin: string; command: string };
    const zpk = load('P0', 'TDES2', '0123456789ABCDEFFEDCBA9876543210');
    const pinBlock = api.tdesEncryptEcb(h('0123456789ABCDEFFEDCBA9876543210'), api.encodePinBlockIso0(pc.pin, card.pan));
    const script = online.generateEmvPinChange({ profile: 'VISA_CVN18', imkSmi, imkSmc, imkAc: imk, ...card, ...ctx, newPin: { pinBlock, pinKey: zpk, format: 0 } });
    expect(x(script.command)).toBe(pc.command);
  });

  test('personalisation: ICC master keys exported under a KEK (issuance only), equal to the derivation', () => {
    const imks = { ac: imk, smi: load('E2', 'TDES2', str(v, 'imkSmi'), 'X'), smc: load('E1', 'TDES2', str(v, 'imkSmc'), 'X') };
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
    const dcvv = { imk: load('E4', 'TDES2', dcvvClear, 'X'), pan: '1234567890123456', psn: '00', expiry: '1310', serviceCode: '226', atc: h('3210') };
    const code = api.generateDcvv(h(dcvvClear), dcvv.pan, dcvv.psn, dcvv.expiry, dcvv.serviceCode, dcvv.atc);
    expect(issuance.generateDcvv(dcvv)).toBe(code);
    const cardRef = online.cardRef(dcvv.pan);
    expect(await online.verifyCardDcvv({ ...dcvv, cardRef, dcvv: code })).toBe(true);
    expect(await online.verifyCardDcvv({ ...dcvv, cardRef, dcvv: String((Number(code) + 1) % 1000).padStart(3, '0') })).toBe(false);
    expectCardHsmError(() => online.generateDcvv(dcvv), 'ERR_NOT_AUTHORIZED');
    const cvc3 = { imk: load('E4', 'TDES2', '01234567899876543210012345678998', 'X'), pan: '5123456789012345', psn: '00', trackData: h('5123456789012345D35121010000000000000F'), atc: h('005E'), unpredictableNumber: h('00000899') };
    expect(issuance.generateCvc3(cvc3)).toBe('29488'); // the cvc3.ts example (jPOS)
    expect(await online.verifyCardCvc3({ ...cvc3, cardRef: online.cardRef(cvc3.pan), cvc3: '488' })).toBe(true);
  });
});

describe('DUKPT with B0/B1 key blocks (ANSI X9.24-1 A.4)', () => {
  const bdk = load('B0', 'TDES2', '0123456789ABCDEFFEDCBA9876543210', 'X');
  const ksn = h('FFFF9876543210E00001');
  const pinBlock = h('1B9C1845EB993A7A'); // PIN 1234, PAN 4012345678909
  const pan = '4012345678909';
  const zpkClear = 'FEDCBA98765432100123456789ABCDEF';
  const zpk = load('P0', 'TDES2', zpkClear);

  test('a terminal\'s PIN block translated to a zone PIN key by the online host', () => {
    const out = online.translateDukptPinBlock({ pinBlock, pan, from: { bdk, ksn, format: 0 }, to: { key: zpk, format: 0 } });
    expect(api.decodePinBlockIso0(api.tdesDecryptEcb(h(zpkClear), out), pan)).toBe('1234');
    expectCardHsmError(() => online.translateDukptPinBlock({ pinBlock, pan, from: { bdk: zpk, ksn, format: 0 }, to: { key: zpk, format: 0 } }), 'ERR_KEY_USAGE', 'from.bdk');
  });

  test('verifyPin from a DUKPT-encrypted block, counted like any other', async () => {
    const store = new MemoryStore();
    const host = new Hsm({ lmk: LMK, store });
    const back = new Hsm({ lmk: LMK, activities: 'issuance', store });
    const pvk = load('V2', 'TDES2', '0123456789ABCDEFFEDCBA9876543210');
    const cardPan = '4012345678909';
    const cardRef = host.cardRef(cardPan);
    await back.registerPinVerificationData({ cardRef, pan: cardPan, data: { type: 'VISA_PVV', pvk, pvki: '1', pvv: api.generateVisaPvv(h('0123456789ABCDEFFEDCBA9876543210'), cardPan, '1', '1234') } });
    expect(await host.verifyPin({ cardRef, pinBlock, dukpt: { bdk, ksn }, format: 0, pan: cardPan })).toEqual({ verified: true, attemptsRemaining: 3, locked: false });
    const other = api.encryptDukptPinBlock({ pin: '9999', pan: cardPan, bdk: h('0123456789ABCDEFFEDCBA9876543210'), ksn, format: 0 });
    expect((await host.verifyPin({ cardRef, pinBlock: other, dukpt: { bdk, ksn }, format: 0, pan: cardPan })).verified).toBe(false);
  });

  test('MACs and data under the terminal\'s keys; the initial key exported under a KEK (custodian only)', () => {
    const data = h('3430313233343536373839303944393837');
    const mac = online.generateDukptMac({ bdk, ksn, data });
    expect(mac).toEqual(api.generateDukptMac({ bdk: h('0123456789ABCDEFFEDCBA9876543210'), ksn }, data));
    expect(online.verifyDukptMac({ bdk, ksn, data, mac: mac.slice(0, 4) })).toBe(true);
    const sealed = online.encryptDukptData({ bdk, ksn, data: new Uint8Array(16) });
    expect(online.decryptDukptData({ bdk, ksn, data: sealed })).toEqual(new Uint8Array(16));
    const kekClear = '11111111111111112222222222222222';
    const kek = load('K0', 'TDES2', kekClear);
    const { keyBlock } = custodian.exportDukptInitialKey({ bdk, ksn: h('FFFF9876543210E00008'), kek });
    const { header, key } = api.unwrapTr31(h(kekClear), keyBlock);
    expect(x(key)).toBe('6AC292FAA1315B4D858AB3A3D7D5933A'); // X9.24-1 A.4: the IPEK of FFFF9876543210E00000
    expect(header).toMatchObject({ usage: 'B1', optionalBlocks: [{ id: 'KS', data: 'FFFF9876543210E00000' }] });
    expectCardHsmError(() => online.exportDukptInitialKey({ bdk, ksn, kek }), 'ERR_NOT_AUTHORIZED');
  });
});
