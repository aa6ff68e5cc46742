// Differential: every DUKPT operation against the reference written from X9.24-1 / X9.24-3 over node:crypto
// (test/helpers/dukpt-reference.ts, itself proven against the public vectors in helpers.dukpt-reference.test.ts),
// 10,000 random cases each: random BDKs, random key serial numbers with every counter a device can use, random PINs,
// PANs and messages. The batch kernels run 10,000 distinct KSNs in one call.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/index.js';
import * as ref from './helpers/dukpt-reference.js';
import {
  refAesCbcEncrypt,
  refCmac,
  refDecipherIso4,
  refDesCbcEncrypt,
  refDesEcbDecrypt,
  refDesEcbEncrypt,
  refDecodeIso0,
  refEncipherIso4,
  refEncodeIso0,
  refEncodeIso3,
} from './helpers/reference.js';
import { anyPin as pin, bytesOf, digits } from './helpers/arb.js';
import { aesKsn, tdesKsn } from './helpers/dukpt-arb.js';

const RUNS = 10_000;

const aesBdk = fc.constantFrom(16, 24, 32).chain(bytesOf);
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
/** Algorithms a BDK of `bytes` may derive (6.1.3). */
const allowed = (bytes: number): api.AesDukptAlgorithm[] =>
  (['AES128', 'AES192', 'AES256', 'HMAC128', 'HMAC192', 'HMAC256', 'TDES2', 'TDES3'] as const).filter(
    (a) => a.startsWith('TDES') || Number(a.slice(-3)) <= bytes * 8,
  );
const variants: api.DukptVariant[] = ['PIN', 'MAC_REQUEST', 'MAC_RESPONSE', 'DATA_REQUEST', 'DATA_RESPONSE'];
const pan = digits(12, 19);
const message = fc.uint8Array({ maxLength: 70 });
const wholeBlocks = (size: number) => fc.integer({ min: 0, max: 6 }).chain((n) => bytesOf(n * size));

describe('TDES DUKPT against the X9.24-1 reference', () => {
  test('IPEK', () => {
    fc.assert(
      fc.property(bytesOf(16), tdesKsn, (bdk, ksn) => {
        expect(api.deriveDukptIpek(bdk, ksn)).toEqual(ref.refTdesIpek(bdk, ksn));
      }),
      { numRuns: RUNS },
    );
  });

  test('transaction key (BDK and IPEK) and a working key of each variant', () => {
    fc.assert(
      fc.property(bytesOf(16), tdesKsn, fc.constantFrom(...variants), (bdk, ksn, variant) => {
        const key = api.deriveDukptTransactionKey(bdk, ksn);
        expect(key).toEqual(ref.refTdesTransactionKey(bdk, ksn));
        expect(api.deriveDukptTransactionKeyFromIpek(ref.refTdesIpek(bdk, ksn), ksn)).toEqual(key);
        expect(api.dukptWorkingKey(key, variant)).toEqual(ref.refTdesWorkingKey(key, variant));
      }),
      { numRuns: RUNS },
    );
  });

  test('the batch kernel: 10,000 distinct KSNs in one call', () => {
    const [bdk] = fc.sample(bytesOf(16), { numRuns: 1, seed: 17 });
    const ksns = fc.sample(tdesKsn, { numRuns: RUNS, seed: 18 });
    expect(api.deriveDukptTransactionKeys(bdk!, ksns)).toEqual(ksns.map((ksn) => ref.refTdesTransactionKey(bdk!, ksn)));
  });

  test('PIN translation ISO 0 -> ISO 0 (exact) and -> ISO 3 (the same PIN) under a ZPK', () => {
    fc.assert(
      fc.property(
        bytesOf(16),
        tdesKsn,
        pin,
        pan,
        fc.constantFrom(16, 24).chain(bytesOf),
        fc.boolean(),
        (bdk, ksn, p, a, zpk, toIso3) => {
          const pinKey = ref.refTdesWorkingKey(ref.refTdesTransactionKey(bdk, ksn), 'PIN');
          const block = refDesEcbEncrypt(pinKey, refEncodeIso0(p, a));
          const out = api.translateDukptPinBlock({
            pinBlock: block,
            pan: a,
            from: { bdk, ksn, format: 0 },
            to: { key: zpk, format: toIso3 ? 3 : 0 },
          });
          if (toIso3) expect(refDesEcbDecrypt(zpk, out)[0]! >> 4).toBe(3);
          else expect(out).toEqual(refDesEcbEncrypt(zpk, refEncodeIso0(p, a)));
          expect(api.decryptDukptPinBlock({ bdk, ksn, format: 0, pinBlock: block, pan: a })).toBe(p);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('PIN translation batch: 10,000 terminals in one call', () => {
    const [bdk, zpk] = fc.sample(bytesOf(16), { numRuns: 2, seed: 19 });
    const items = fc.sample(fc.record({ ksn: tdesKsn, pin, pan }), { numRuns: RUNS, seed: 20 }).map((it) => ({
      ...it,
      pinBlock: refDesEcbEncrypt(
        ref.refTdesWorkingKey(ref.refTdesTransactionKey(bdk!, it.ksn), 'PIN'),
        refEncodeIso3(it.pin, it.pan, 'ABCDEFABCDEFAB'.slice(0, 14 - it.pin.length)),
      ),
    }));
    const out = api.translateDukptPinBlocks({ from: { bdk: bdk!, format: 3 }, to: { key: zpk!, format: 0 }, items });
    expect(out).toEqual(items.map((it) => refDesEcbEncrypt(zpk!, refEncodeIso0(it.pin, it.pan))));
  });

  test('retail MAC and TDES-CMAC, request and response', () => {
    fc.assert(
      fc.property(
        bytesOf(16),
        tdesKsn,
        message,
        fc.constantFrom('REQUEST', 'RESPONSE') as fc.Arbitrary<api.DukptDirection>,
        fc.boolean(),
        (bdk, ksn, m, direction, cmac) => {
          const key = ref.refTdesWorkingKey(
            ref.refTdesTransactionKey(bdk, ksn),
            direction === 'REQUEST' ? 'MAC_REQUEST' : 'MAC_RESPONSE',
          );
          const want = cmac ? refCmac(key, m, 'TDES') : ref.refRetailMac(key, m);
          expect(api.generateDukptMac({ bdk, ksn }, m, { direction, method: cmac ? 'CMAC' : 'RETAIL' })).toEqual(want);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('data encryption, CBC with a random IV, request and response', () => {
    fc.assert(
      fc.property(
        bytesOf(16),
        tdesKsn,
        wholeBlocks(8),
        bytesOf(8),
        fc.constantFrom('REQUEST', 'RESPONSE') as fc.Arbitrary<api.DukptDirection>,
        (bdk, ksn, data, iv, direction) => {
          const key = ref.refTdesWorkingKey(
            ref.refTdesTransactionKey(bdk, ksn),
            direction === 'REQUEST' ? 'DATA_REQUEST' : 'DATA_RESPONSE',
          );
          expect(api.encryptDukptData({ bdk, ksn }, data, { direction, iv })).toEqual(refDesCbcEncrypt(key, data, iv));
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('AES DUKPT against the X9.24-3 reference', () => {
  test('initial key', () => {
    fc.assert(
      fc.property(aesBdk, bytesOf(8), (bdk, id) => {
        expect(api.deriveAesDukptInitialKey(bdk, id)).toEqual(ref.refAesInitialKey(bdk, id));
      }),
      { numRuns: RUNS },
    );
  });

  test('working key of any usage and allowed algorithm, from the BDK and from the initial key', () => {
    const arb = aesBdk.chain((bdk) =>
      fc.record({
        bdk: fc.constant(bdk),
        ksn: aesKsn,
        usage: fc.constantFrom(...usages),
        algorithm: fc.constantFrom(...allowed(bdk.length)),
      }),
    );
    fc.assert(
      fc.property(arb, ({ bdk, ksn, usage, algorithm }) => {
        const want = ref.refAesWorkingKey(bdk, ksn, usage, algorithm);
        expect(api.deriveAesDukptWorkingKey(bdk, ksn, { usage, algorithm })).toEqual(want);
        expect(
          api.deriveAesDukptWorkingKeyFromInitialKey(ref.refAesInitialKey(bdk, ksn.subarray(0, 8)), ksn, {
            usage,
            algorithm,
          }),
        ).toEqual(want);
      }),
      { numRuns: RUNS },
    );
  });

  test('the batch kernels: 10,000 distinct KSNs in one call (transaction keys, working keys)', () => {
    const [bdk] = fc.sample(bytesOf(32), { numRuns: 1, seed: 21 });
    const ksns = fc.sample(aesKsn, { numRuns: RUNS, seed: 22 });
    const derivation = ksns.map((ksn) => ref.refAesDerivationKey(ref.refAesInitialKey(bdk!, ksn.subarray(0, 8)), ksn));
    expect(api.deriveAesDukptTransactionKeys(bdk!, ksns)).toEqual(derivation);
    expect(api.deriveAesDukptWorkingKeys(bdk!, ksns, { usage: 'PIN_ENCRYPTION', algorithm: 'AES128' })).toEqual(
      ksns.map((ksn) => ref.refAesWorkingKey(bdk!, ksn, 'PIN_ENCRYPTION', 'AES128')),
    );
  });

  test('PIN translation ISO 4 (AES PIN key) -> ISO 0 under a ZPK, and ISO 0 under a TDES2/TDES3 PIN key', () => {
    fc.assert(
      fc.property(
        aesBdk,
        aesKsn,
        pin,
        pan,
        bytesOf(8),
        bytesOf(16),
        fc.constantFrom<'AES' | 'TDES2' | 'TDES3'>('AES', 'TDES2', 'TDES3'),
        (bdk, ksn, p, a, fill, zpk, kind) => {
          const algorithm = (kind === 'AES' ? `AES${bdk.length * 8}` : kind) as api.AesDukptAlgorithm;
          const key = ref.refAesWorkingKey(bdk, ksn, 'PIN_ENCRYPTION', algorithm);
          const format = kind === 'AES' ? 4 : 0;
          const block = kind === 'AES' ? refEncipherIso4(key, p, a, fill) : refDesEcbEncrypt(key, refEncodeIso0(p, a));
          const from = { bdk, ksn, format, algorithm: kind === 'AES' ? undefined : algorithm } as api.DukptPinSide;
          expect(api.translateDukptPinBlock({ pinBlock: block, pan: a, from, to: { key: zpk, format: 0 } })).toEqual(
            refDesEcbEncrypt(zpk, refEncodeIso0(p, a)),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('PIN translation batch ISO 4: 10,000 terminals in one call', () => {
    const [bdk, zpk] = fc.sample(bytesOf(16), { numRuns: 2, seed: 23 });
    const items = fc
      .sample(fc.record({ ksn: aesKsn, pin, pan, fill: bytesOf(8) }), { numRuns: RUNS, seed: 24 })
      .map((it) => ({
        ...it,
        pinBlock: refEncipherIso4(
          ref.refAesWorkingKey(bdk!, it.ksn, 'PIN_ENCRYPTION', 'AES128'),
          it.pin,
          it.pan,
          it.fill,
        ),
      }));
    const out = api.translateDukptPinBlocks({ from: { bdk: bdk!, format: 4 }, to: { key: zpk!, format: 0 }, items });
    expect(out.map((b, i) => refDecodeIso0(refDesEcbDecrypt(zpk!, b!), items[i]!.pan))).toEqual(
      items.map((it) => it.pin),
    );
  });

  test('AES-CMAC and HMAC-SHA-256, request and response', () => {
    fc.assert(
      fc.property(
        aesBdk,
        aesKsn,
        message,
        fc.constantFrom('REQUEST', 'RESPONSE') as fc.Arbitrary<api.DukptDirection>,
        fc.boolean(),
        (bdk, ksn, m, direction, hmac) => {
          const usage = direction === 'REQUEST' ? 'MAC_GENERATION' : 'MAC_VERIFICATION';
          const key = ref.refAesWorkingKey(
            bdk,
            ksn,
            usage,
            (hmac ? `HMAC${bdk.length * 8}` : `AES${bdk.length * 8}`) as ref.RefAlgorithm,
          );
          const want = hmac ? ref.refHmacSha256(key, m) : refCmac(key, m, 'AES');
          expect(api.generateDukptMac({ bdk, ksn }, m, { direction, method: hmac ? 'HMAC' : 'CMAC' })).toEqual(want);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('data encryption, CBC, request and response', () => {
    fc.assert(
      fc.property(
        aesBdk,
        aesKsn,
        wholeBlocks(16),
        bytesOf(16),
        fc.constantFrom('REQUEST', 'RESPONSE') as fc.Arbitrary<api.DukptDirection>,
        (bdk, ksn, data, iv, direction) => {
          const key = ref.refAesWorkingKey(
            bdk,
            ksn,
            direction === 'REQUEST' ? 'DATA_ENCRYPT' : 'DATA_DECRYPT',
            `AES${bdk.length * 8}` as ref.RefAlgorithm,
          );
          expect(api.encryptDukptData({ bdk, ksn }, data, { direction, iv })).toEqual(refAesCbcEncrypt(key, data, iv));
        },
      ),
      { numRuns: RUNS },
    );
  });
});

test('ISO 4 blocks made by encryptDukptPinBlock decipher under the reference key', () => {
  fc.assert(
    fc.property(aesBdk, aesKsn, pin, pan, (bdk, ksn, p, a) => {
      const block = api.encryptDukptPinBlock({ bdk, ksn, format: 4, pin: p, pan: a });
      expect(
        refDecipherIso4(
          ref.refAesWorkingKey(bdk, ksn, 'PIN_ENCRYPTION', `AES${bdk.length * 8}` as ref.RefAlgorithm),
          block,
          a,
        ),
      ).toBe(p);
    }),
    { numRuns: 2000 },
  );
});
