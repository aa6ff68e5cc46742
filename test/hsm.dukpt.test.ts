// DUKPT through the Hsm, with B0/B1 key blocks (issue 17, ANSI X9.24-1 A.4 vectors): terminal PIN blocks translated
// and verified by the online host, MACs and data under the terminal's keys, and the initial key exported under a KEK
// by the custodian only.
import { describe, expect, test } from 'vitest';
import * as api from '../src/index.js';
import { Hsm, MemoryStore } from '../src/index.js';
import { expectCardHsmError } from './helpers/errors.js';
import { keyLoader, LMK } from './helpers/hsm.js';

const h = api.hexToBytes;
const x = api.bytesToHex;
const { custodian, load } = keyLoader();
const online = new Hsm({ lmk: LMK, store: new MemoryStore() });

describe('DUKPT with B0/B1 key blocks (ANSI X9.24-1 A.4)', () => {
  const bdk = load('B0', 'TDES2', '0123456789ABCDEFFEDCBA9876543210', 'X');
  const ksn = h('FFFF9876543210E00001');
  const pinBlock = h('1B9C1845EB993A7A'); // PIN 1234, PAN 4012345678909
  const pan = '4012345678909';
  const zpkClear = 'FEDCBA98765432100123456789ABCDEF';
  const zpk = load('P0', 'TDES2', zpkClear);

  test("a terminal's PIN block translated to a zone PIN key by the online host", () => {
    const out = online.translateDukptPinBlock({
      pinBlock,
      pan,
      from: { bdk, ksn, format: 0 },
      to: { key: zpk, format: 0 },
    });
    expect(api.decodePinBlockIso0(api.tdesDecryptEcb(h(zpkClear), out), pan)).toBe('1234');
    expectCardHsmError(
      () =>
        online.translateDukptPinBlock({
          pinBlock,
          pan,
          from: { bdk: zpk, ksn, format: 0 },
          to: { key: zpk, format: 0 },
        }),
      'ERR_KEY_USAGE',
      'from.bdk',
    );
  });

  test('verifyPin from a DUKPT-encrypted block, counted like any other', async () => {
    const store = new MemoryStore();
    const host = new Hsm({ lmk: LMK, store });
    const back = new Hsm({ lmk: LMK, activities: 'issuance', store });
    const pvk = load('V2', 'TDES2', '0123456789ABCDEFFEDCBA9876543210');
    const cardPan = '4012345678909';
    const cardRef = host.cardRef(cardPan);
    await back.registerPinVerificationData({
      cardRef,
      pan: cardPan,
      data: {
        type: 'VISA_PVV',
        pvk,
        pvki: '1',
        pvv: api.generateVisaPvv(h('0123456789ABCDEFFEDCBA9876543210'), cardPan, '1', '1234'),
      },
    });
    expect(await host.verifyPin({ cardRef, pinBlock, dukpt: { bdk, ksn }, format: 0, pan: cardPan })).toEqual({
      verified: true,
      attemptsRemaining: 3,
      locked: false,
    });
    const other = api.encryptDukptPinBlock({
      pin: '9999',
      pan: cardPan,
      bdk: h('0123456789ABCDEFFEDCBA9876543210'),
      ksn,
      format: 0,
    });
    expect(
      (await host.verifyPin({ cardRef, pinBlock: other, dukpt: { bdk, ksn }, format: 0, pan: cardPan })).verified,
    ).toBe(false);
  });

  test("MACs and data under the terminal's keys; the initial key exported under a KEK (custodian only)", () => {
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
