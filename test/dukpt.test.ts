// DUKPT known answers and refusals. Vectors (test/vectors/dukpt.json, each with its source): ANSI X9.24-1:2009
// A.4 (IPEK, the initial and rollover counter sequences with transaction keys, PIN blocks, MACs, encrypted data),
// the ANSI X9.24-3:2017 supplement (AES-128 and AES-256 BDKs: initial, transaction and working keys, ISO 4 PIN
// blocks, the last counters), openemv's TDES-CMACs, moov-io's full MACs, HMACs and data, and joyner-perez's host
// derivations at more counters. Then the usage table, and every refusal by code and field.
import { describe, expect, test } from 'vitest';
import * as api from '../src/index.js';
import { loadVectors, str, title, type Vector } from './helpers/vectors.js';
import { expectCardHsmError } from './helpers/errors.js';
import * as ref from './helpers/dukpt-reference.js';

const h = api.hexToBytes;
const x = api.bytesToHex;
const vectors = loadVectors('dukpt');
const of = (...kinds: string[]) =>
  vectors.filter((v) => kinds.includes(v.kind as string)).map((v, i) => [title(v, i), v] as const);
const ascii = (s: string) => new TextEncoder().encode(s);
const zeroPadded = (s: string, block: number) => {
  const out = new Uint8Array(Math.ceil(s.length / block) * block);
  out.set(ascii(s));
  return out;
};
const src = (v: Vector) => ({ bdk: h(str(v, 'bdk')), ksn: h(str(v, 'ksn')) });

const TDES_BDK = h('0123456789ABCDEFFEDCBA9876543210');
const AES_BDK = h('FEDCBA9876543210F1F1F1F1F1F1F1F1');
const ZPK = h('FEDCBA98765432100123456789ABCDEF');

describe('TDES DUKPT known answers (X9.24-1:2009 A.4)', () => {
  test.each(of('tdes-ipek'))('IPEK %s', (_, v) => {
    expect(x(api.deriveDukptIpek(h(str(v, 'bdk')), h(str(v, 'ksn'))))).toBe(v.ipek);
    // The counter bits of the KSN are ignored.
    expect(x(api.deriveDukptIpek(h(str(v, 'bdk')), h('FFFF9876543210FFFFFF')))).toBe(v.ipek);
  });

  test.each(of('tdes-transaction'))('%s', (_, v) => {
    const s = src(v);
    const key = api.deriveDukptTransactionKey(s.bdk, s.ksn);
    expect(x(key)).toBe(v.transactionKey);
    expect(x(api.deriveDukptTransactionKeyFromIpek(h('6AC292FAA1315B4D858AB3A3D7D5933A'), s.ksn))).toBe(
      v.transactionKey,
    );
    expect(x(api.tdesEncryptEcb(api.dukptWorkingKey(key, 'PIN'), h(str(v, 'pinBlockClear'))))).toBe(v.pinBlock);
    expect(x(api.encryptDukptPinBlock({ ...s, format: 0, pin: str(v, 'pin'), pan: str(v, 'pan') }))).toBe(v.pinBlock);
    expect(api.decryptDukptPinBlock({ ...s, format: 0, pinBlock: h(str(v, 'pinBlock')), pan: str(v, 'pan') })).toBe(
      v.pin,
    );
    const data = ascii(str(v, 'macData'));
    expect(x(api.generateDukptMac(s, data).subarray(0, 4))).toBe(v.macRequest);
    expect(x(api.generateDukptMac(s, data, { direction: 'RESPONSE' }).subarray(0, 4))).toBe(v.macResponse);
    expect(api.verifyDukptMac(s, data, h(str(v, 'macRequest')))).toBe(true);
    expect(api.verifyDukptMac(s, data, h(str(v, 'macResponse')), { direction: 'RESPONSE' })).toBe(true);
    expect(x(api.encryptDukptData(s, zeroPadded(str(v, 'macData'), 8)))).toBe(v.dataRequest);
    expect(api.decryptDukptData(s, h(str(v, 'dataRequest')))).toEqual(zeroPadded(str(v, 'macData'), 8));
    expect(
      x(
        api.tdesEncryptCbc(
          api.dukptWorkingKey(key, 'DATA_REQUEST'),
          zeroPadded(str(v, 'macData'), 8),
          new Uint8Array(8),
        ),
      ),
    ).toBe(v.dataRequest);
    // Translated to a ZPK: exactly the ISO 0 block of the same PIN under the ZPK (format 0 has no random fill).
    const expected = api.tdesEncryptEcb(ZPK, api.encodePinBlockIso0(str(v, 'pin'), str(v, 'pan')));
    expect(
      api.translateDukptPinBlock({
        pinBlock: h(str(v, 'pinBlock')),
        pan: str(v, 'pan'),
        from: { ...s, format: 0 },
        to: { key: ZPK, format: 0 },
      }),
    ).toEqual(expected);
  });

  test('the whole A.4 counter sequence in one batch, equal to the one-by-one keys', () => {
    const rows = vectors.filter((v) => v.kind === 'tdes-transaction');
    expect(
      api
        .deriveDukptTransactionKeys(
          TDES_BDK,
          rows.map((v) => h(str(v, 'ksn'))),
        )
        .map(x),
    ).toEqual(rows.map((v) => v.transactionKey));
    const out = api.translateDukptPinBlocks({
      from: { bdk: TDES_BDK, format: 0 },
      to: { key: ZPK, format: 0 },
      items: rows.map((v) => ({ ksn: h(str(v, 'ksn')), pinBlock: h(str(v, 'pinBlock')), pan: str(v, 'pan') })),
    });
    const block = x(api.tdesEncryptEcb(ZPK, api.encodePinBlockIso0('1234', '4012345678909')));
    expect(out.map((b) => b && x(b))).toEqual(rows.map(() => block));
    // The same from the device's IPEK (a host holding a B1 key rather than the BDK).
    const fromIpek = api.translateDukptPinBlocks({
      from: { initialKey: h('6AC292FAA1315B4D858AB3A3D7D5933A'), format: 0 },
      to: { key: ZPK, format: 0 },
      items: rows.map((v) => ({ ksn: h(str(v, 'ksn')), pinBlock: h(str(v, 'pinBlock')), pan: str(v, 'pan') })),
    });
    expect(fromIpek.map((b) => b && x(b))).toEqual(rows.map(() => block));
  });

  test.each(of('tdes-moov'))('%s', (_, v) => {
    const s = src(v);
    const data = ascii(str(v, 'macData'));
    expect(x(api.generateDukptMac(s, data))).toBe(v.macRequest);
    expect(x(api.generateDukptMac(s, data, { direction: 'RESPONSE' }))).toBe(v.macResponse);
    expect(x(api.encryptDukptData(s, zeroPadded(str(v, 'macData'), 8), { direction: 'RESPONSE' }))).toBe(
      v.dataResponse,
    );
    expect(api.decryptDukptData(s, h(str(v, 'dataResponse')), { direction: 'RESPONSE' })).toEqual(
      zeroPadded(str(v, 'macData'), 8),
    );
  });

  test.each(of('tdes-cmac'))('%s', (_, v) => {
    const data = ascii(str(v, 'macData'));
    expect(x(api.generateDukptMac(src(v), data, { method: 'CMAC' }))).toBe(v.cmacRequest);
    expect(x(api.generateDukptMac(src(v), data, { method: 'CMAC', direction: 'RESPONSE' }))).toBe(v.cmacResponse);
  });

  test('working key variants (A.4 Table A-1): the PIN, MAC and data bytes, and the data keys’ one-way step', () => {
    // The A.4 transaction key for counter 1; the expected variants are Table A-1 applied by hand.
    const key = h('042666B49184CFA368DE9628D0397BC9');
    expect(x(api.dukptWorkingKey(key, 'PIN'))).toBe('042666B49184CF5C68DE9628D0397B36');
    expect(x(api.dukptWorkingKey(key, 'MAC_REQUEST'))).toBe('042666B4918430A368DE9628D03984C9');
    expect(x(api.dukptWorkingKey(key, 'MAC_RESPONSE'))).toBe('042666B46E84CFA368DE96282F397BC9');
    // Data keys: the variant, then its halves encrypted under itself (computed by the reference's figure A-2 step).
    for (const variant of ['DATA_REQUEST', 'DATA_RESPONSE'] as const) {
      expect(api.dukptWorkingKey(key, variant)).toEqual(ref.refTdesWorkingKey(key, variant));
    }
    // The one-way step is applied: the data key is not the bare variant (byte 5 of each half XOR FF).
    expect(x(api.dukptWorkingKey(key, 'DATA_REQUEST'))).not.toBe('042666B4917BCFA368DE9628D0C67BC9');
  });
});

describe('AES DUKPT known answers (X9.24-3:2017 supplement)', () => {
  test.each(of('aes-initial'))('%s', (_, v) => {
    expect(x(api.deriveAesDukptInitialKey(h(str(v, 'bdk')), h(str(v, 'initialKeyId'))))).toBe(v.initialKey);
  });

  test.each(of('aes-transaction'))('%s', (_, v) => {
    expect(x(api.deriveAesDukptTransactionKey(h(str(v, 'bdk')), h(str(v, 'ksn'))))).toBe(v.transactionKey);
  });

  test.each(of('aes-working'))('%s', (_, v) => {
    const opts = {
      usage: str(v, 'usage') as api.AesDukptUsage,
      algorithm: str(v, 'algorithm') as api.AesDukptAlgorithm,
    };
    expect(x(api.deriveAesDukptWorkingKey(h(str(v, 'bdk')), h(str(v, 'ksn')), opts))).toBe(v.key);
    expect(api.deriveAesDukptWorkingKeys(h(str(v, 'bdk')), [h(str(v, 'ksn'))], opts).map(x)).toEqual([v.key]);
  });

  test.each(of('aes-working-ik'))('%s', (_, v) => {
    const opts = {
      usage: str(v, 'usage') as api.AesDukptUsage,
      algorithm: str(v, 'algorithm') as api.AesDukptAlgorithm,
    };
    expect(x(api.deriveAesDukptWorkingKeyFromInitialKey(h(str(v, 'initialKey')), h(str(v, 'ksn')), opts))).toBe(v.key);
    expect(x(api.deriveAesDukptWorkingKey(AES_BDK, h(str(v, 'ksn')), opts))).toBe(v.key);
  });

  test.each(of('aes-pin'))('%s', (_, v) => {
    const s = src(v);
    expect(
      x(api.encryptDukptPinBlock({ ...s, format: 4, pin: str(v, 'pin'), pan: str(v, 'pan'), fill: h(str(v, 'fill')) })),
    ).toBe(v.pinBlock);
    expect(api.decryptDukptPinBlock({ ...s, format: 4, pinBlock: h(str(v, 'pinBlock')), pan: str(v, 'pan') })).toBe(
      v.pin,
    );
    const expected = api.tdesEncryptEcb(ZPK, api.encodePinBlockIso0(str(v, 'pin'), str(v, 'pan')));
    expect(
      api.translateDukptPinBlock({
        pinBlock: h(str(v, 'pinBlock')),
        pan: str(v, 'pan'),
        from: { ...s, format: 4 },
        to: { key: ZPK, format: 0 },
      }),
    ).toEqual(expected);
    const [batch] = api.translateDukptPinBlocks({
      from: { bdk: s.bdk, format: 4 },
      to: { key: ZPK, format: 0 },
      items: [{ ksn: s.ksn, pinBlock: h(str(v, 'pinBlock')), pan: str(v, 'pan') }],
    });
    expect(batch).toEqual(expected);
    const initialKey = api.deriveAesDukptInitialKey(s.bdk, s.ksn.subarray(0, 8));
    const [fromInitialKey] = api.translateDukptPinBlocks({
      from: { initialKey, format: 4 },
      to: { key: ZPK, format: 0 },
      items: [{ ksn: s.ksn, pinBlock: h(str(v, 'pinBlock')), pan: str(v, 'pan') }],
    });
    expect(fromInitialKey).toEqual(expected);
    expect(
      api.translateDukptPinBlock({
        pinBlock: h(str(v, 'pinBlock')),
        pan: str(v, 'pan'),
        from: { initialKey, ksn: s.ksn, format: 4 },
        to: { key: ZPK, format: 0 },
      }),
    ).toEqual(expected);
  });

  test.each(of('aes-moov'))('%s', (_, v) => {
    const s = src(v);
    const data = ascii(str(v, 'macData'));
    expect(x(api.deriveAesDukptTransactionKey(s.bdk, s.ksn))).toBe(v.transactionKey);
    expect(x(api.generateDukptMac(s, data))).toBe(v.cmacRequest);
    expect(x(api.generateDukptMac(s, data, { direction: 'RESPONSE' }))).toBe(v.cmacResponse);
    expect(x(api.generateDukptMac(s, data, { method: 'HMAC' }))).toBe(v.hmacRequest);
    expect(x(api.generateDukptMac({ ...s, algorithm: 'HMAC128' }, data, { direction: 'RESPONSE' }))).toBe(
      v.hmacResponse,
    );
    expect(api.verifyDukptMac(s, data, h(str(v, 'hmacRequest')).subarray(0, 16), { method: 'HMAC' })).toBe(true);
    expect(x(api.encryptDukptData(s, zeroPadded(str(v, 'macData'), 16)))).toBe(v.dataRequest);
    expect(x(api.encryptDukptData(s, zeroPadded(str(v, 'macData'), 16), { direction: 'RESPONSE' }))).toBe(
      v.dataResponse,
    );
    expect(api.decryptDukptData(s, h(str(v, 'dataResponse')), { direction: 'RESPONSE' })).toEqual(
      zeroPadded(str(v, 'macData'), 16),
    );
  });

  test.each(of('aes-reference-only'))('refused though published (17 one-bits): %s', (_, v) => {
    const err = expectCardHsmError(
      () => api.deriveAesDukptTransactionKey(h(str(v, 'bdk')), h(str(v, 'ksn'))),
      'ERR_FORMAT',
      'ksn',
    );
    expect(err.reason).toBe('COUNTER_BITS');
  });
});

describe('the AES DUKPT usage table (X9.24-3 6.3.2 Tables 2 and 3, 6.1.3)', () => {
  const usages: api.AesDukptUsage[] = [
    'PIN_ENCRYPTION',
    'MAC_GENERATION',
    'MAC_VERIFICATION',
    'MAC_BOTH',
    'DATA_ENCRYPT',
    'DATA_DECRYPT',
    'DATA_BOTH',
    'KEY_ENCRYPTION',
    'KEY_DERIVATION',
  ];
  const algorithms: api.AesDukptAlgorithm[] = [
    'AES128',
    'AES192',
    'AES256',
    'TDES2',
    'TDES3',
    'HMAC128',
    'HMAC192',
    'HMAC256',
  ];
  const ksn = h('123456789012345600000005');
  for (const bdkBytes of [16, 24, 32]) {
    const bdk = Uint8Array.from({ length: bdkBytes }, (_, i) => 0x40 + i);
    test(`every usage and algorithm from an AES-${bdkBytes * 8} BDK: the reference's key, or ERR_KEY_USAGE when stronger than the BDK`, () => {
      for (const usage of usages) {
        for (const algorithm of algorithms) {
          const bits = {
            AES128: 128,
            AES192: 192,
            AES256: 256,
            TDES2: 128,
            TDES3: 192,
            HMAC128: 128,
            HMAC192: 192,
            HMAC256: 256,
          }[algorithm];
          const stronger = !algorithm.startsWith('TDES') && bits > bdkBytes * 8;
          if (stronger) {
            expectCardHsmError(
              () => api.deriveAesDukptWorkingKey(bdk, ksn, { usage, algorithm }),
              'ERR_KEY_USAGE',
              'opts.algorithm',
            );
          } else {
            const key = api.deriveAesDukptWorkingKey(bdk, ksn, { usage, algorithm });
            expect(key).toEqual(ref.refAesWorkingKey(bdk, ksn, usage, algorithm));
            expect(key).toHaveLength(bits / 8);
          }
        }
      }
    });
  }

  test('TDES working keys from an AES BDK are the raw derivation output: parity is not adjusted', () => {
    const keys = Array.from({ length: 20 }, (_, i) =>
      api.deriveAesDukptWorkingKey(AES_BDK, h(`1234567890123456${(i + 1).toString(16).padStart(8, '0')}`), {
        usage: 'PIN_ENCRYPTION',
        algorithm: 'TDES2',
      }),
    );
    expect(keys.some((k) => !api.hasOddDesParity(k))).toBe(true);
  });

  test('the default algorithm is the AES key of the BDK’s length', () => {
    const bdk = new Uint8Array(32).fill(9);
    expect(api.deriveAesDukptWorkingKey(bdk, ksn, { usage: 'DATA_BOTH' })).toEqual(
      api.deriveAesDukptWorkingKey(bdk, ksn, { usage: 'DATA_BOTH', algorithm: 'AES256' }),
    );
  });
});

describe('refusals, by code and field', () => {
  const tdesKsn = h('FFFF9876543210E00001');
  const aesKsn = h('123456789012345600000001');

  test('key and KSN shapes', () => {
    expectCardHsmError(() => api.deriveDukptIpek(new Uint8Array(24), tdesKsn), 'ERR_LENGTH', 'bdk');
    expectCardHsmError(() => api.deriveDukptIpek(TDES_BDK, aesKsn), 'ERR_LENGTH', 'ksn');
    expectCardHsmError(() => api.deriveDukptIpek('0123' as never, tdesKsn), 'ERR_TYPE', 'bdk');
    expectCardHsmError(
      () => api.deriveDukptTransactionKeyFromIpek(TDES_BDK.subarray(0, 8), tdesKsn),
      'ERR_LENGTH',
      'ipek',
    );
    expectCardHsmError(() => api.deriveAesDukptInitialKey(AES_BDK, aesKsn), 'ERR_LENGTH', 'initialKeyId');
    expectCardHsmError(() => api.deriveAesDukptTransactionKey(new Uint8Array(8), aesKsn), 'ERR_LENGTH', 'bdk');
    expectCardHsmError(() => api.deriveAesDukptTransactionKey(AES_BDK, tdesKsn), 'ERR_LENGTH', 'ksn');
    expectCardHsmError(
      () => api.deriveAesDukptWorkingKeyFromInitialKey(new Uint8Array(20), aesKsn, { usage: 'PIN_ENCRYPTION' }),
      'ERR_LENGTH',
      'initialKey',
    );
    expectCardHsmError(() => api.dukptWorkingKey(new Uint8Array(8), 'PIN'), 'ERR_LENGTH', 'transactionKey');
    expectCardHsmError(() => api.dukptWorkingKey(TDES_BDK, 'KEK' as never), 'ERR_FORMAT', 'variant');
  });

  test('transaction counters a device never uses: 0, more than 10 (TDES) or 16 (AES) one-bits, exhausted', () => {
    const cases: Array<[() => unknown, string]> = [
      [() => api.deriveDukptTransactionKey(TDES_BDK, h('FFFF9876543210E00000')), 'COUNTER_ZERO'],
      [() => api.deriveDukptTransactionKey(TDES_BDK, h('FFFF9876543210E007FF')), 'COUNTER_BITS'], // 11 one-bits
      [() => api.deriveDukptTransactionKey(TDES_BDK, h('FFFF9876543210FFFFFF')), 'COUNTER_BITS'],
      [() => api.deriveAesDukptTransactionKey(AES_BDK, h('123456789012345600000000')), 'COUNTER_ZERO'],
      [() => api.deriveAesDukptTransactionKey(AES_BDK, h('12345678901234560001FFFF')), 'COUNTER_BITS'], // 17 one-bits
      [() => api.deriveAesDukptTransactionKey(AES_BDK, h('1234567890123456FFFF0001')), 'COUNTER_BITS'], // exhausted
      [
        () => api.deriveAesDukptWorkingKey(AES_BDK, h('1234567890123456FFFFFFFF'), { usage: 'PIN_ENCRYPTION' }),
        'COUNTER_BITS',
      ],
    ];
    for (const [fn, reason] of cases) expect(expectCardHsmError(fn, 'ERR_FORMAT', 'ksn').reason).toBe(reason);
    // The limits themselves are accepted: 10 and 16 one-bits, the last AES counter.
    expect(api.deriveDukptTransactionKey(TDES_BDK, h('FFFF9876543210FFF800'))).toHaveLength(16);
    expect(x(api.deriveAesDukptTransactionKey(AES_BDK, h('1234567890123456FFFF0000')))).toBe(
      'F6BA59389BD14A9855BE9727E7C52E3C',
    );
    expectCardHsmError(
      () => api.deriveDukptTransactionKeys(TDES_BDK, [tdesKsn, h('FFFF9876543210E00000')]),
      'ERR_FORMAT',
      'ksns[1]',
    );
    expectCardHsmError(() => api.deriveAesDukptTransactionKeys(AES_BDK, [aesKsn, tdesKsn]), 'ERR_LENGTH', 'ksns[1]');
    expectCardHsmError(() => api.deriveDukptTransactionKeys(TDES_BDK, 'x' as never), 'ERR_TYPE', 'ksns');
  });

  test('working key options', () => {
    expectCardHsmError(
      () => api.deriveAesDukptWorkingKey(AES_BDK, aesKsn, { usage: 'PIN_ENCRYPTION', algorithm: 'AES256' }),
      'ERR_KEY_USAGE',
      'opts.algorithm',
    );
    expectCardHsmError(
      () => api.deriveAesDukptWorkingKey(AES_BDK, aesKsn, { usage: 'MAC_BOTH', algorithm: 'HMAC192' }),
      'ERR_KEY_USAGE',
      'opts.algorithm',
    );
    expectCardHsmError(
      () => api.deriveAesDukptWorkingKey(AES_BDK, aesKsn, { usage: 'SIGNING' as never }),
      'ERR_FORMAT',
      'opts.usage',
    );
    expectCardHsmError(
      () => api.deriveAesDukptWorkingKey(AES_BDK, aesKsn, { usage: 'PIN_ENCRYPTION', algorithm: 'DES' as never }),
      'ERR_FORMAT',
      'opts.algorithm',
    );
    expectCardHsmError(
      () => api.deriveAesDukptWorkingKey(AES_BDK, aesKsn, undefined as never),
      'ERR_FORMAT',
      'opts.usage',
    );
    expect(api.deriveAesDukptWorkingKey(AES_BDK, aesKsn, { usage: 'PIN_ENCRYPTION', algorithm: 'TDES3' })).toHaveLength(
      24,
    );
  });

  test('PIN translation', () => {
    const block = h('1B9C1845EB993A7A');
    const pan = '4012345678909';
    const tdes = { bdk: TDES_BDK, ksn: tdesKsn, format: 0 as const };
    const zpk = { key: ZPK, format: 0 as const };
    expectCardHsmError(
      () => api.translateDukptPinBlock({ pinBlock: block, pan, from: { ...tdes, format: 4 }, to: zpk }),
      'ERR_KEY_USAGE',
      'from.format',
    );
    expectCardHsmError(
      () =>
        api.translateDukptPinBlock({ pinBlock: block, pan, from: { bdk: AES_BDK, ksn: aesKsn, format: 0 }, to: zpk }),
      'ERR_FORMAT',
      'from.algorithm',
    );
    expectCardHsmError(
      () =>
        api.translateDukptPinBlock({
          pinBlock: block,
          pan,
          from: { bdk: AES_BDK, ksn: aesKsn, format: 0, algorithm: 'AES128' },
          to: zpk,
        }),
      'ERR_KEY_USAGE',
      'from.algorithm',
    );
    expectCardHsmError(
      () =>
        api.translateDukptPinBlock({
          pinBlock: new Uint8Array(16),
          pan,
          from: { bdk: AES_BDK, ksn: aesKsn, format: 4, algorithm: 'TDES2' },
          to: zpk,
        }),
      'ERR_KEY_USAGE',
      'from.algorithm',
    );
    expectCardHsmError(
      () => api.translateDukptPinBlock({ pinBlock: block, pan, from: { ...tdes, algorithm: 'TDES2' }, to: zpk }),
      'ERR_FORMAT',
      'from.algorithm',
    );
    expectCardHsmError(
      () =>
        api.translateDukptPinBlock({ pinBlock: block, pan, from: { ...tdes, initialKey: TDES_BDK } as never, to: zpk }),
      'ERR_FORMAT',
      'from.bdk',
    );
    expectCardHsmError(
      () => api.translateDukptPinBlock({ pinBlock: block, pan, from: tdes, to: { key: ZPK, format: 1 } }),
      'ERR_PIN_TRANSLATION',
      'to.format',
    );
    expectCardHsmError(
      () => api.translateDukptPinBlock({ pinBlock: block, pan, from: { ...tdes, format: 2 as never }, to: zpk }),
      'ERR_FORMAT',
      'from.format',
    );
    expectCardHsmError(
      () => api.translateDukptPinBlock({ pinBlock: h('1B9C1845EB993A'), pan, from: tdes, to: zpk }),
      'ERR_LENGTH',
      'pinBlock',
    );
    expectCardHsmError(
      () =>
        api.translateDukptPinBlock({
          pinBlock: block,
          pan,
          from: { ...tdes, ksn: h('FFFF9876543210E00000') },
          to: zpk,
        }),
      'ERR_FORMAT',
      'from.ksn',
    );
    expectCardHsmError(
      () =>
        api.translateDukptPinBlock({ pinBlock: block, pan, from: tdes, to: { ...tdes, ksn: aesKsn.subarray(0, 11) } }),
      'ERR_LENGTH',
      'to.ksn',
    );
    // The block of another transaction: it does not decode, and the error says nothing of the PIN.
    const err = expectCardHsmError(
      () =>
        api.translateDukptPinBlock({
          pinBlock: block,
          pan,
          from: { ...tdes, ksn: h('FFFF9876543210E00002') },
          to: zpk,
        }),
      'ERR_PINBLOCK_FORMAT',
      'pinBlock',
    );
    expect(err.message).not.toContain('1234');
  });

  test('PIN decryption and encryption name their own fields', () => {
    expectCardHsmError(
      () =>
        api.decryptDukptPinBlock({
          bdk: TDES_BDK,
          ksn: tdesKsn,
          format: 2 as never,
          pinBlock: new Uint8Array(8),
          pan: '4012345678909',
        }),
      'ERR_FORMAT',
      'format',
    );
    expectCardHsmError(
      () => api.decryptDukptPinBlock({ bdk: TDES_BDK, ksn: tdesKsn, format: 0, pinBlock: new Uint8Array(8) }),
      'ERR_TYPE',
      'pan',
    );
    expectCardHsmError(
      () => api.decryptDukptPinBlock({ bdk: AES_BDK, ksn: aesKsn, format: 4, pinBlock: new Uint8Array(8), pan: '4' }),
      'ERR_LENGTH',
      'pinBlock',
    );
    expectCardHsmError(
      () => api.encryptDukptPinBlock({ bdk: AES_BDK, ksn: aesKsn, format: 4, pin: '1234', pan: '4', fill: 'AB' }),
      'ERR_TYPE',
      'fill',
    );
    expectCardHsmError(
      () =>
        api.encryptDukptPinBlock({
          bdk: TDES_BDK,
          ksn: tdesKsn,
          format: 3,
          pin: '1234',
          pan: '4012345678909',
          fill: new Uint8Array(10),
        }),
      'ERR_TYPE',
      'fill',
    );
    expectCardHsmError(
      () => api.encryptDukptPinBlock({ bdk: TDES_BDK, ksn: tdesKsn, format: 0, pin: '12', pan: '4012345678909' }),
      'ERR_LENGTH',
      'pin',
    );
    expectCardHsmError(
      () =>
        api.encryptDukptPinBlock({
          initialKey: new Uint8Array(20),
          ksn: aesKsn,
          format: 4,
          pin: '1234',
          pan: '4012345678909',
        }),
      'ERR_LENGTH',
      'initialKey',
    );
    // Format 1 carries no PAN: none is needed.
    const block = api.encryptDukptPinBlock({ bdk: TDES_BDK, ksn: tdesKsn, format: 1, pin: '1234', fill: 'ABCDEF0123' });
    expect(api.decryptDukptPinBlock({ bdk: TDES_BDK, ksn: tdesKsn, format: 1, pinBlock: block })).toBe('1234');
  });

  test('batch PIN translation: null for a block that does not decode; one scheme per batch', () => {
    const items = [
      { ksn: tdesKsn, pinBlock: h('1B9C1845EB993A7A'), pan: '4012345678909' },
      { ksn: h('FFFF9876543210E00002'), pinBlock: h('1B9C1845EB993A7A'), pan: '4012345678909' },
    ];
    const out = api.translateDukptPinBlocks({ from: { bdk: TDES_BDK, format: 0 }, to: { key: ZPK, format: 0 }, items });
    expect(out[0]).toBeInstanceOf(Uint8Array);
    expect(out[1]).toBeNull();
    expectCardHsmError(
      () =>
        api.translateDukptPinBlocks({
          from: { bdk: TDES_BDK, format: 0 },
          to: { key: ZPK, format: 0 },
          items: [items[0]!, { ...items[0]!, ksn: aesKsn }],
        }),
      'ERR_LENGTH',
      'items[1].ksn',
    );
    expectCardHsmError(
      () =>
        api.translateDukptPinBlocks({
          from: { bdk: TDES_BDK, format: 0 },
          to: { key: ZPK, format: 0 },
          items: [{ ...items[0]!, pan: '40x2' }],
        }),
      'ERR_FORMAT',
      'items[0].pan',
    );
    expectCardHsmError(
      () =>
        api.translateDukptPinBlocks({
          from: { bdk: AES_BDK, format: 0 },
          to: { key: ZPK, format: 0 },
          items: [{ ...items[0]!, ksn: aesKsn }],
        }),
      'ERR_FORMAT',
      'from.algorithm',
    );
    expect(
      api.translateDukptPinBlocks({ from: { bdk: TDES_BDK, format: 0 }, to: { key: ZPK, format: 0 }, items: [] }),
    ).toEqual([]);
  });

  test('MAC and data options', () => {
    const tdes = { bdk: TDES_BDK, ksn: tdesKsn };
    const aes = { bdk: AES_BDK, ksn: aesKsn };
    const data = new Uint8Array(24);
    expectCardHsmError(() => api.generateDukptMac(tdes, data, { method: 'HMAC' }), 'ERR_FORMAT', 'opts.method');
    expectCardHsmError(() => api.generateDukptMac(tdes, data, { usage: 'MAC_BOTH' }), 'ERR_FORMAT', 'opts.usage');
    expectCardHsmError(
      () => api.generateDukptMac({ ...aes, algorithm: 'AES128' }, data, { method: 'RETAIL' }),
      'ERR_KEY_USAGE',
      'source.algorithm',
    );
    expectCardHsmError(
      () => api.generateDukptMac({ ...aes, algorithm: 'TDES3' }, data, { method: 'RETAIL' }),
      'ERR_KEY_USAGE',
      'source.algorithm',
    );
    // The retail MAC under AES DUKPT takes a TDES2 key derived from the AES BDK.
    expect(api.generateDukptMac(aes, data, { method: 'RETAIL' })).toHaveLength(8);
    expectCardHsmError(
      () => api.generateDukptMac({ ...aes, algorithm: 'AES128' }, data, { method: 'HMAC' }),
      'ERR_KEY_USAGE',
      'source.algorithm',
    );
    expectCardHsmError(() => api.generateDukptMac(aes, 'data' as never), 'ERR_TYPE', 'data');
    expectCardHsmError(() => api.verifyDukptMac(tdes, data, new Uint8Array(3)), 'ERR_LENGTH', 'mac');
    expectCardHsmError(() => api.verifyDukptMac(tdes, data, new Uint8Array(9)), 'ERR_LENGTH', 'mac');
    expectCardHsmError(
      () => api.generateDukptMac({ bdk: TDES_BDK, ksn: h('FFFF9876543210E007FF') }, data),
      'ERR_FORMAT',
      'source.ksn',
    );
    expectCardHsmError(() => api.encryptDukptData(tdes, new Uint8Array(17)), 'ERR_LENGTH', 'data');
    expectCardHsmError(() => api.encryptDukptData(aes, new Uint8Array(24)), 'ERR_LENGTH', 'data');
    expectCardHsmError(
      () => api.encryptDukptData(tdes, data, { mode: 'ECB', iv: new Uint8Array(8) }),
      'ERR_FORMAT',
      'opts.iv',
    );
    expectCardHsmError(() => api.encryptDukptData(tdes, data, { iv: new Uint8Array(16) }), 'ERR_LENGTH', 'opts.iv');
    expectCardHsmError(
      () => api.encryptDukptData({ ...aes, algorithm: 'HMAC128' }, new Uint8Array(32)),
      'ERR_KEY_USAGE',
      'source.algorithm',
    );
    expectCardHsmError(() => api.decryptDukptData(tdes, data, { mode: 'CTR' as never }), 'ERR_FORMAT', 'opts.mode');
    expect(api.encryptDukptData({ ...aes, algorithm: 'TDES2' }, data)).toHaveLength(24);
  });
});
