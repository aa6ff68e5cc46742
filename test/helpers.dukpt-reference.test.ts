// Proves the DUKPT reference (./helpers/dukpt-reference.ts) against every vector of ./vectors/dukpt.json before the
// differential tests trust it: IPEK, transaction keys, PIN blocks, retail MACs and data of X9.24-1 A.4; initial,
// transaction and working keys and ISO 4 PIN blocks of the X9.24-3 supplement (AES-128 and AES-256 BDKs),
// including the supplement's 17-bit counter 1FFFF that the library refuses; the TDES-CMACs openemv crafted and
// moov-io's CMACs, HMACs and data, which fix the request/response conventions.
import { describe, expect, test } from 'vitest';
import { loadVectors, str, title } from './helpers/vectors.js';
import * as r from './helpers/dukpt-reference.js';
import {
  refAesCbcEncrypt,
  refCmac,
  refDesCbcEncrypt,
  refDesEcbEncrypt,
  refEncipherIso4,
  refEncodeIso0,
} from './helpers/reference.js';

const h = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const x = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const vectors = loadVectors('dukpt');
const of = (kind: string) => vectors.filter((v) => v.kind === kind);
const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
/** The message zero-padded to whole blocks, as the A.4 and moov-io data vectors encrypt it. */
const padded = (s: string, block: number) => {
  const out = new Uint8Array(Math.ceil(s.length / block) * block);
  out.set(ascii(s));
  return out;
};

describe('TDES DUKPT reference (X9.24-1:2009 A.4)', () => {
  test.each(of('tdes-ipek').map((v, i) => [title(v, i), v] as const))('IPEK %s', (_, v) => {
    expect(x(r.refTdesIpek(h(str(v, 'bdk')), h(str(v, 'ksn'))))).toBe(v.ipek);
  });

  test.each([...of('tdes-transaction'), ...of('tdes-moov')].map((v, i) => [title(v, i), v] as const))('%s', (_, v) => {
    const key = r.refTdesTransactionKey(h(str(v, 'bdk')), h(str(v, 'ksn')));
    expect(x(key)).toBe(v.transactionKey);
    const data = ascii(str(v, 'macData'));
    expect(x(r.refRetailMac(r.refTdesWorkingKey(key, 'MAC_REQUEST'), data)).startsWith(str(v, 'macRequest'))).toBe(
      true,
    );
    expect(x(r.refRetailMac(r.refTdesWorkingKey(key, 'MAC_RESPONSE'), data)).startsWith(str(v, 'macResponse'))).toBe(
      true,
    );
    const buffer = padded(str(v, 'macData'), 8);
    expect(buffer).toHaveLength(24);
    expect(x(refDesCbcEncrypt(r.refTdesWorkingKey(key, 'DATA_REQUEST'), buffer, new Uint8Array(8)))).toBe(
      v.dataRequest,
    );
    if (v.dataResponse)
      expect(x(refDesCbcEncrypt(r.refTdesWorkingKey(key, 'DATA_RESPONSE'), buffer, new Uint8Array(8)))).toBe(
        v.dataResponse,
      );
    if (v.pinBlock) {
      expect(x(refEncodeIso0(str(v, 'pin'), str(v, 'pan')))).toBe(v.pinBlockClear);
      expect(x(refDesEcbEncrypt(r.refTdesWorkingKey(key, 'PIN'), refEncodeIso0(str(v, 'pin'), str(v, 'pan'))))).toBe(
        v.pinBlock,
      );
    }
  });

  test.each(of('tdes-cmac').map((v, i) => [title(v, i), v] as const))('%s', (_, v) => {
    const key = r.refTdesTransactionKey(h(str(v, 'bdk')), h(str(v, 'ksn')));
    const data = ascii(str(v, 'macData'));
    expect(x(refCmac(r.refTdesWorkingKey(key, 'MAC_REQUEST'), data, 'TDES'))).toBe(v.cmacRequest);
    expect(x(refCmac(r.refTdesWorkingKey(key, 'MAC_RESPONSE'), data, 'TDES'))).toBe(v.cmacResponse);
  });

  test('the transaction key from the IPEK equals the one from the BDK', () => {
    const [bdk, ksn] = [h('0123456789ABCDEFFEDCBA9876543210'), h('FFFF9876543210E00015')];
    expect(r.refTdesTransactionKeyFromIpek(r.refTdesIpek(bdk, ksn), ksn)).toEqual(r.refTdesTransactionKey(bdk, ksn));
  });
});

describe('AES DUKPT reference (X9.24-3:2017 supplement)', () => {
  test.each(of('aes-initial').map((v, i) => [title(v, i), v] as const))('%s', (_, v) => {
    expect(x(r.refAesInitialKey(h(str(v, 'bdk')), h(str(v, 'initialKeyId'))))).toBe(v.initialKey);
  });

  test.each([...of('aes-transaction'), ...of('aes-reference-only')].map((v, i) => [title(v, i), v] as const))(
    '%s',
    (_, v) => {
      const ksn = h(str(v, 'ksn'));
      expect(x(r.refAesDerivationKey(r.refAesInitialKey(h(str(v, 'bdk')), ksn.subarray(0, 8)), ksn))).toBe(
        v.transactionKey,
      );
    },
  );

  test.each(of('aes-working').map((v, i) => [title(v, i), v] as const))('%s', (_, v) => {
    expect(
      x(
        r.refAesWorkingKey(
          h(str(v, 'bdk')),
          h(str(v, 'ksn')),
          str(v, 'usage') as r.RefUsage,
          str(v, 'algorithm') as r.RefAlgorithm,
        ),
      ),
    ).toBe(v.key);
  });

  test.each(of('aes-working-ik').map((v, i) => [title(v, i), v] as const))('%s', (_, v) => {
    expect(
      x(
        r.refAesWorkingKeyFromInitialKey(
          h(str(v, 'initialKey')),
          h(str(v, 'ksn')),
          str(v, 'usage') as r.RefUsage,
          str(v, 'algorithm') as r.RefAlgorithm,
        ),
      ),
    ).toBe(v.key);
  });

  test.each(of('aes-pin').map((v, i) => [title(v, i), v] as const))('%s', (_, v) => {
    const key = r.refAesWorkingKey(
      h(str(v, 'bdk')),
      h(str(v, 'ksn')),
      'PIN_ENCRYPTION',
      str(v, 'algorithm') as r.RefAlgorithm,
    );
    expect(x(refEncipherIso4(key, str(v, 'pin'), str(v, 'pan'), h(str(v, 'fill'))))).toBe(v.pinBlock);
  });

  test.each(of('aes-moov').map((v, i) => [title(v, i), v] as const))('%s', (_, v) => {
    const [bdk, ksn, data] = [h(str(v, 'bdk')), h(str(v, 'ksn')), ascii(str(v, 'macData'))];
    const key = (usage: r.RefUsage, algorithm: r.RefAlgorithm) => r.refAesWorkingKey(bdk, ksn, usage, algorithm);
    expect(x(refCmac(key('MAC_GENERATION', 'AES128'), data, 'AES'))).toBe(v.cmacRequest);
    expect(x(refCmac(key('MAC_VERIFICATION', 'AES128'), data, 'AES'))).toBe(v.cmacResponse);
    expect(x(r.refHmacSha256(key('MAC_GENERATION', 'HMAC128'), data))).toBe(v.hmacRequest);
    expect(x(r.refHmacSha256(key('MAC_VERIFICATION', 'HMAC128'), data))).toBe(v.hmacResponse);
    const buffer = new Uint8Array(32);
    buffer.set(data);
    expect(x(refAesCbcEncrypt(key('DATA_ENCRYPT', 'AES128'), buffer, new Uint8Array(16)))).toBe(v.dataRequest);
    expect(x(refAesCbcEncrypt(key('DATA_DECRYPT', 'AES128'), buffer, new Uint8Array(16)))).toBe(v.dataResponse);
  });

  test('derivation data layout (6.3.3): version, block counter, usage, algorithm, length, context', () => {
    expect(x(r.refDerivationData(1, r.REF_USAGE.KEY_DERIVATION_INITIAL_KEY, 'AES128', h('1234567890123456')))).toBe(
      '0101800100020080' + '1234567890123456',
    );
    expect(x(r.refDerivationData(2, r.REF_USAGE.PIN_ENCRYPTION, 'TDES3', h('9012345600000001')))).toBe(
      '01021000000100C0' + '9012345600000001',
    );
  });
});
