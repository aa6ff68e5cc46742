// The Hsm facade: key lifecycle under the LMK, card verification values, PINs, data keys and security values,
// each checked against the clear-key primitives.
import { describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createDecipheriv } from 'node:crypto';
import * as api from '../src/index.js';
import { Hsm } from '../src/index.js';
import { CLEAR, LMK, OTHER_LMK, makeHsm, testHsm } from './helpers/hsm.js';
import { expectCardHsmError } from './helpers/errors.js';

const h = api.hexToBytes;
const hex = api.bytesToHex;
const PAN = '4123456789012345';

describe('key lifecycle', () => {
  test('generateKey: each algorithm, defaults, parity, KCV of the clear key', () => {
    const { hsm } = makeHsm();
    for (const algorithm of ['TDES2', 'TDES3', 'AES128', 'AES192', 'AES256', 'HMAC256'] as const) {
      const { keyBlock, kcv } = hsm.generateKey({ usage: 'D0', algorithm });
      const { header, key } = api.unwrapTr31(LMK, keyBlock);
      expect(header.version).toBe('D');
      expect(key.length).toBe(api.KEY_ALGORITHMS[algorithm].bytes);
      expect(kcv).toBe(api.keyCheckValue(key, { algorithm: algorithm.startsWith('TDES') ? 'TDES' : 'AES' }));
      if (algorithm.startsWith('TDES')) expect(api.hasOddDesParity(key)).toBe(true);
      expect(hsm.describeKey(keyBlock)).toEqual({
        usage: 'D0',
        algorithm,
        modeOfUse: 'B',
        keyVersion: '00',
        exportability: 'E',
        kcv,
      });
    }
    expect(hsm.describeKey(hsm.generateKey({ usage: 'C0', algorithm: 'TDES2' }).keyBlock).modeOfUse).toBe('C');
    // Fresh random keys: never zero, never repeated.
    for (const algorithm of ['TDES2', 'AES128', 'AES256', 'HMAC256'] as const) {
      const a = api.unwrapTr31(LMK, hsm.generateKey({ usage: 'D0', algorithm }).keyBlock).key;
      const b = api.unwrapTr31(LMK, hsm.generateKey({ usage: 'D0', algorithm }).keyBlock).key;
      expect(a.some((x) => x !== 0) && b.some((x) => x !== 0)).toBe(true);
      expect(api.bytesToHex(a)).not.toBe(api.bytesToHex(b));
    }
    expect(
      hsm.describeKey(
        hsm.generateKey({ usage: 'V2', algorithm: 'TDES2', exportability: 'N', keyVersion: '07' }).keyBlock,
      ),
    ).toMatchObject({ modeOfUse: 'C', exportability: 'N', keyVersion: '07' });
  });

  test('importKeyComponents: XOR of 2-3 components, KCV check, parity rule, single component only when allowed', () => {
    const { hsm } = makeHsm();
    const c1 = h('0123456789ABCDEF0123456789ABCDEF');
    const c2 = h('FEDCBA9876543210FEDCBA9876543210');
    const c3 = h('1010101010101010E0E0E0E0E0E0E0E0');
    const xor = api.fixDesParity(c1.map((b, i) => b ^ c2[i]! ^ c3[i]!));
    const kcv = api.keyCheckValue(xor);
    const r = hsm.importKeyComponents({ usage: 'P0', algorithm: 'TDES2', components: [c1, c2, c3], kcv });
    expect(r.kcv).toBe(kcv);
    expect(api.unwrapTr31(LMK, r.keyBlock).key).toEqual(xor);
    expectCardHsmError(
      () => hsm.importKeyComponents({ usage: 'P0', algorithm: 'TDES2', components: [c1, c2, c3], kcv: 'ABCDEF' }),
      'ERR_KCV_MISMATCH',
      'kcv',
    );
    expectCardHsmError(
      () => hsm.importKeyComponents({ usage: 'P0', algorithm: 'TDES2', components: [c1] }),
      'ERR_LENGTH',
      'components',
    );
    expectCardHsmError(
      () => hsm.importKeyComponents({ usage: 'P0', algorithm: 'TDES2', components: [c1, c2, c3, c1] }),
      'ERR_LENGTH',
      'components',
    );
    const distinct = h('0123456789ABCDEFFEDCBA9876543210'); // c1's halves are equal: single DES, refused (keys.weak.test.ts)
    expectCardHsmError(
      () => hsm.importKeyComponents({ usage: 'P0', algorithm: 'TDES2', components: [distinct, h('00'.repeat(16))] }),
      'ERR_KEY_PARITY',
      'components[1]',
    );
    expect(
      hsm.importKeyComponents({
        usage: 'P0',
        algorithm: 'TDES2',
        components: [distinct, h('00'.repeat(16))],
        fixParity: true,
      }).kcv,
    ).toBe(api.keyCheckValue(distinct));
    expectCardHsmError(
      () =>
        hsm.importKeyComponents({
          usage: 'P0',
          algorithm: 'TDES2',
          components: [c1, h('00'.repeat(16))],
          fixParity: true,
        }),
      'ERR_WEAK_KEY',
      'components',
    );
    expectCardHsmError(
      () => hsm.importKeyComponents({ usage: 'P0', algorithm: 'TDES3', components: [c1, c2] }),
      'ERR_LENGTH',
      'components[0]',
    );
    const aes = hsm.importKeyComponents({
      usage: 'D0',
      algorithm: 'AES128',
      components: [h('A1B2C3D4E5F60718293A4B5C6D7E8F90'), new Uint8Array(16)],
    });
    expect(aes.kcv).toBe('9AD77D'); // kcv.json: AES-CMAC KCV of A1B2…8F90
  });

  test('importKey / exportKey through a KEK, honouring exportability and strength', () => {
    const { hsm, keys } = makeHsm();
    // A partner sends a PIN key wrapped under the shared TDES KEK (TR-31 version B).
    const partnerBlock = api.wrapTr31(CLEAR.kek, 'B0000P0TB00E0000', CLEAR.zpk2);
    const imported = hsm.importKey({ keyBlock: partnerBlock, kek: keys.kek });
    expect(imported.kcv).toBe(api.keyCheckValue(CLEAR.zpk2));
    expect(hsm.describeKey(imported.keyBlock)).toMatchObject({
      usage: 'P0',
      algorithm: 'TDES2',
      modeOfUse: 'B',
      exportability: 'E',
    });
    // And back out again.
    const exported = hsm.exportKey({ keyBlock: imported.keyBlock, kek: keys.kek });
    expect(exported.keyBlock[0]).toBe('B');
    expect(api.unwrapTr31(CLEAR.kek, exported.keyBlock).key).toEqual(CLEAR.zpk2);
    // AES KEK: version D.
    const aesExport = hsm.exportKey({ keyBlock: keys.aesDek, kek: keys.aesKek });
    expect(aesExport.keyBlock[0]).toBe('D');
    expect(api.unwrapTr31(CLEAR.aesKek, aesExport.keyBlock).key).toEqual(CLEAR.aesDek);
    // Non-exportable keys stay in.
    const sealed = hsm.generateKey({ usage: 'P0', algorithm: 'TDES2', exportability: 'N' }).keyBlock;
    expectCardHsmError(() => hsm.exportKey({ keyBlock: sealed, kek: keys.kek }), 'ERR_KEY_USAGE', 'keyBlock');
    // Never under a weaker KEK.
    expectCardHsmError(() => hsm.exportKey({ keyBlock: keys.aesKek, kek: keys.kek }), 'ERR_KEY_USAGE', 'kek');
    // A KEK must be a KEK, and a block must match the KEK's algorithm family.
    expectCardHsmError(() => hsm.importKey({ keyBlock: partnerBlock, kek: keys.dek }), 'ERR_KEY_USAGE', 'kek');
    expectCardHsmError(
      () => hsm.importKey({ keyBlock: partnerBlock, kek: keys.aesKek }),
      'ERR_TR31_HEADER',
      'keyBlock',
    );
  });

  test('rotateLmk: every key re-wrapped under an LMK formed from components, same attributes and KCVs; old blocks do not open under it', () => {
    const { hsm, keys } = makeHsm();
    const blocks = Object.values(keys);
    const half = new Uint8Array(32).fill(0x5a);
    const rotated = hsm.rotateLmk(Hsm.fromLmkComponents([half, OTHER_LMK.map((b) => b ^ 0x5a)]), blocks);
    const next = testHsm({ lmk: OTHER_LMK });
    rotated.forEach((block, i) => {
      expect(next.describeKey(block)).toEqual(hsm.describeKey(blocks[i]!));
      expectCardHsmError(() => next.describeKey(blocks[i]!), 'ERR_TR31_MAC', 'keyBlock');
    });
    expect(next.generateCvv({ cvk: rotated[0]!, pan: PAN, expiry: '8701', serviceCode: '101' })).toBe('561');
  });

  test('a key block made under another LMK fails with ERR_TR31_MAC', () => {
    const { keys } = makeHsm(OTHER_LMK);
    const { hsm } = makeHsm();
    expectCardHsmError(
      () => hsm.generateCvv({ cvk: keys.cvk, pan: PAN, expiry: '8701', serviceCode: '101' }),
      'ERR_TR31_MAC',
      'cvk',
    );
  });
});

describe('card verification values', () => {
  const { hsm, keys } = makeHsm();
  test('CVV, CVV2, iCVV equal the primitives and verify', () => {
    expect(hsm.generateCvv({ cvk: keys.cvk, pan: PAN, expiry: '8701', serviceCode: '101' })).toBe('561');
    expect(hsm.verifyCvv({ cvk: keys.cvk, pan: PAN, expiry: '8701', serviceCode: '101', cvv: '561' })).toBe(true);
    expect(hsm.verifyCvv({ cvk: keys.cvk, pan: PAN, expiry: '8701', serviceCode: '101', cvv: '562' })).toBe(false);
    const cvv2 = api.generateCvv2(CLEAR.cvk, PAN, '8701');
    expect(hsm.generateCvv2({ cvk: keys.cvk, pan: PAN, expiry: '8701' })).toBe(cvv2);
    expect(hsm.verifyCvv2({ cvk: keys.cvk, pan: PAN, expiry: '8701', cvv: cvv2 })).toBe(true);
    const icvv = api.generateIcvv(CLEAR.cvk, PAN, '8701');
    expect(hsm.generateIcvv({ cvk: keys.cvk, pan: PAN, expiry: '8701' })).toBe(icvv);
    expect(hsm.verifyIcvv({ cvk: keys.cvk, pan: PAN, expiry: '8701', cvv: icvv })).toBe(true);
  });
  test('batch variants', () => {
    const items = [
      { pan: PAN, expiry: '8701', serviceCode: '101' },
      { pan: '4999988887777000', expiry: '9105', serviceCode: '111' },
    ];
    expect(hsm.generateCvvBatch({ cvk: keys.cvk, items })).toEqual(['561', '245']);
    expect(
      hsm.verifyCvvBatch({
        cvk: keys.cvk,
        items: [
          { ...items[0]!, cvv: '561' },
          { ...items[1]!, cvv: '246' },
        ],
      }),
    ).toEqual([true, false]);
  });
});

describe('PINs', () => {
  const { hsm, keys } = makeHsm();
  test('encryptClearPin: ISO 0/1/3 under TDES, ISO 4 under AES', () => {
    const b0 = hsm.encryptClearPin({ pinKey: keys.zpk, pin: '1234', pan: PAN, format: 0 });
    expect(api.tdesDecryptEcb(CLEAR.zpk, b0)).toEqual(api.encodePinBlockIso0('1234', PAN));
    const b1 = hsm.encryptClearPin({ pinKey: keys.zpk, pin: '1234', pan: PAN, format: 1 });
    expect(api.decodePinBlockIso1(api.tdesDecryptEcb(CLEAR.zpk, b1))).toBe('1234');
    const b3 = hsm.encryptClearPin({ pinKey: keys.zpk, pin: '1234', pan: PAN, format: 3 });
    expect(api.decodePinBlockIso3(api.tdesDecryptEcb(CLEAR.zpk, b3), PAN)).toBe('1234');
    const b4 = hsm.encryptClearPin({ pinKey: keys.aesPinKey, pin: '1234', pan: PAN, format: 4 });
    expect(api.decipherPinBlockIso4(CLEAR.aesPinKey, b4, PAN)).toBe('1234');
    expectCardHsmError(
      () => hsm.encryptClearPin({ pinKey: keys.zpk, pin: '1234', pan: PAN, format: 4 }),
      'ERR_KEY_USAGE',
      'pinKey',
    );
    expectCardHsmError(
      () => hsm.encryptClearPin({ pinKey: keys.aesPinKey, pin: '1234', pan: PAN, format: 0 }),
      'ERR_KEY_USAGE',
      'pinKey',
    );
    expectCardHsmError(
      () => hsm.encryptClearPin({ pinKey: keys.zpk, pin: '1234', pan: PAN, format: 2 as never }),
      'ERR_FORMAT',
      'format',
    );
  });

  test('translatePinBlock between keys and formats 0, 1, 3, 4; ISO 0/3/4 -> 1 refused', () => {
    const b0 = hsm.encryptClearPin({ pinKey: keys.zpk, pin: '987654', pan: PAN, format: 0 });
    const to3 = hsm.translatePinBlock({
      pinBlock: b0,
      pan: PAN,
      from: { key: keys.zpk, format: 0 },
      to: { key: keys.zpk2, format: 3 },
    });
    expect(api.decodePinBlockIso3(api.tdesDecryptEcb(CLEAR.zpk2, to3), PAN)).toBe('987654');
    const to4 = hsm.translatePinBlock({
      pinBlock: to3,
      pan: PAN,
      from: { key: keys.zpk2, format: 3 },
      to: { key: keys.aesPinKey, format: 4 },
    });
    expect(api.decipherPinBlockIso4(CLEAR.aesPinKey, to4, PAN)).toBe('987654');
    const back = hsm.translatePinBlock({
      pinBlock: to4,
      pan: PAN,
      from: { key: keys.aesPinKey, format: 4 },
      to: { key: keys.zpk, format: 0 },
    });
    expect(api.tdesDecryptEcb(CLEAR.zpk, back)).toEqual(api.encodePinBlockIso0('987654', PAN));
    const b1 = hsm.encryptClearPin({ pinKey: keys.zpk, pin: '987654', pan: PAN, format: 1 });
    expect(
      api.decodePinBlockIso1(
        api.tdesDecryptEcb(
          CLEAR.zpk2,
          hsm.translatePinBlock({
            pinBlock: b1,
            pan: PAN,
            from: { key: keys.zpk, format: 1 },
            to: { key: keys.zpk2, format: 1 },
          }),
        ),
      ),
    ).toBe('987654');
    expect(
      api.tdesDecryptEcb(
        CLEAR.zpk2,
        hsm.translatePinBlock({
          pinBlock: b1,
          pan: PAN,
          from: { key: keys.zpk, format: 1 },
          to: { key: keys.zpk2, format: 0 },
        }),
      ),
    ).toEqual(api.encodePinBlockIso0('987654', PAN));
    for (const [format, key, block] of [
      [0, keys.zpk, b0],
      [3, keys.zpk2, to3],
      [4, keys.aesPinKey, to4],
    ] as const) {
      expectCardHsmError(
        () =>
          hsm.translatePinBlock({
            pinBlock: block,
            pan: PAN,
            from: { key, format },
            to: { key: keys.zpk2, format: 1 },
          }),
        'ERR_PIN_TRANSLATION',
        'to.format',
      );
    }
    // A PIN block under the wrong key or PAN does not decode.
    expectCardHsmError(
      () =>
        hsm.translatePinBlock({
          pinBlock: b0,
          pan: PAN,
          from: { key: keys.zpk2, format: 0 },
          to: { key: keys.zpk, format: 0 },
        }),
      'ERR_PINBLOCK_FORMAT',
      'pinBlock',
    );
  });

  test('PVVs and offsets of arbitrary PIN blocks are gone from the facade (they remain as clear-key primitives)', () => {
    for (const method of ['generateVisaPvv', 'verifyPinVisaPvv', 'generateIbm3624Offset', 'verifyPinIbm3624Offset'])
      expect(method in hsm).toBe(false);
  });
});

describe('data keys', () => {
  const { hsm, keys } = makeHsm();
  test('TDES and AES, ECB and CBC, both directions', () => {
    const data = h('00112233445566778899AABBCCDDEEFF');
    const iv8 = h('0102030405060708');
    const iv16 = h('000102030405060708090A0B0C0D0E0F');
    expect(hsm.encryptData({ key: keys.dek, data, mode: 'ECB' })).toEqual(api.tdesEncryptEcb(CLEAR.dek, data));
    expect(hsm.encryptData({ key: keys.dek, data, mode: 'CBC', iv: iv8 })).toEqual(
      api.tdesEncryptCbc(CLEAR.dek, data, iv8),
    );
    expect(hsm.encryptData({ key: keys.aesDek, data, mode: 'CBC', iv: iv16 })).toEqual(
      api.aesEncryptCbc(CLEAR.aesDek, data, iv16),
    );
    expect(
      hsm.decryptData({
        key: keys.aesDek,
        data: hsm.encryptData({ key: keys.aesDek, data, mode: 'ECB' }),
        mode: 'ECB',
      }),
    ).toEqual(data);
    expect(
      hsm.decryptData({
        key: keys.dek,
        data: hsm.encryptData({ key: keys.dek, data, mode: 'CBC', iv: iv8 }),
        mode: 'CBC',
        iv: iv8,
      }),
    ).toEqual(data);
    expectCardHsmError(() => hsm.encryptData({ key: keys.dek, data, mode: 'CBC' }), 'ERR_TYPE', 'iv');
    expectCardHsmError(() => hsm.decryptData({ key: keys.transport, data, mode: 'ECB' }), 'ERR_KEY_USAGE', 'key');
  });
});

describe('security values for a client (seed "Consultar Valores de Seguridad")', () => {
  const { hsm, keys } = makeHsm();
  const pinBlock = hsm.encryptClearPin({ pinKey: keys.zpk, pin: '1234', pan: PAN, format: 0 });
  const values = hsm.exportSecurityValues({
    cvk: keys.cvk,
    pan: PAN,
    expiry: '8701',
    serviceCode: '101',
    transportKey: keys.transport,
    pinBlock,
    pinKey: keys.zpk,
    format: 0,
  });
  const transportHex = hex(CLEAR.transport);

  test('values are F-padded digits and an ISO 0 PIN block, TDES-ECB under the transport key', () => {
    const decrypt = (v: string) => {
      const d = createDecipheriv('des-ede', Buffer.from(CLEAR.transport), null).setAutoPadding(false);
      return Buffer.concat([d.update(Buffer.from(v, 'hex')), d.final()])
        .toString('hex')
        .toUpperCase();
    };
    expect(values.transportKcv).toBe('08D7B4');
    expect(decrypt(values.cvv)).toBe('561FFFFFFFFFFFFF');
    expect(decrypt(values.cvv2)).toBe(`${api.generateCvv2(CLEAR.cvk, PAN, '8701')}FFFFFFFFFFFFF`);
    expect(decrypt(values.icvv)).toBe(`${api.generateIcvv(CLEAR.cvk, PAN, '8701')}FFFFFFFFFFFFF`);
    expect(decrypt(values.pin!)).toBe(hex(api.encodePinBlockIso0('1234', PAN)));
  });

  test('the README worked example: a client decrypts the CVV with openssl', () => {
    // Worked example (README): transport key 0123456789ABCDEFFEDCBA9876543210, CVV 561 -> ciphertext below.
    expect(values.cvv).toBe(hex(api.tdesEncryptEcb(CLEAR.transport, h('561FFFFFFFFFFFFF'))));
    let openssl: string | undefined;
    try {
      openssl = execFileSync('openssl', ['enc', '-d', '-des-ede', '-nopad', '-K', transportHex], {
        input: Buffer.from(values.cvv, 'hex'),
      })
        .toString('hex')
        .toUpperCase();
    } catch (e) {
      // Without an openssl binary, node:crypto's des-ede (the same OpenSSL cipher) above stands in.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (openssl !== undefined) expect(openssl).toBe('561FFFFFFFFFFFFF');
  });

  test('no PIN without a PIN key; the transport key must be a TDES D0 key', () => {
    expect(
      hsm.exportSecurityValues({
        cvk: keys.cvk,
        pan: PAN,
        expiry: '8701',
        serviceCode: '101',
        transportKey: keys.transport,
      }).pin,
    ).toBeUndefined();
    expectCardHsmError(
      () =>
        hsm.exportSecurityValues({
          cvk: keys.cvk,
          pan: PAN,
          expiry: '8701',
          serviceCode: '101',
          transportKey: keys.aesDek,
        }),
      'ERR_KEY_USAGE',
      'transportKey',
    );
  });
});
