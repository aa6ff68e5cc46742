// A fixture Hsm with one key of each kind, for the facade tests. The LMK and the clear keys are fixed so that
// tests can compare against the primitives.
import { ACTIVITIES, Hsm, MemoryAuditSink, hexToBytes, type HsmOptions, type KeyAlgorithm } from '../../src/index.js';

/**
 * An Hsm for tests of functionality: every activity (the profiles have tests of their own, hsm.profiles.test.ts)
 * and single-component keys (development), so that known test keys load in one call.
 */
export function testHsm(
  options: Omit<HsmOptions, 'activities' | 'development'> & Partial<Pick<HsmOptions, 'activities'>>,
): Hsm {
  return new Hsm({
    activities: [...ACTIVITIES],
    development: { allowSingleComponent: true, warn: () => {} },
    ...options,
  });
}

export const LMK = hexToBytes('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F');
export const OTHER_LMK = hexToBytes('F0E0D0C0B0A090807060504030201000F1E1D1C1B1A191817161514131211101');
export const CLEAR = {
  cvk: hexToBytes('0123456789ABCDEFFEDCBA9876543210'),
  zpk: hexToBytes('0123456789ABCDEF89ABCDEF01234567'),
  zpk2: hexToBytes('FEDCBA98765432100123456789ABCDEF'),
  aesPinKey: hexToBytes('00112233445566778899AABBCCDDEEFF'),
  pvk: hexToBytes('0123456789ABCDEFFEDCBA9876543210'),
  ibmPvk: hexToBytes('0123456789ABCDEFFEDCBA9876543210'),
  dek: hexToBytes('0123456789ABCDEF1032547698BADCFE'),
  aesDek: hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'),
  kek: hexToBytes('11111111111111112222222222222222'),
  aesKek: hexToBytes('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F'),
  transport: hexToBytes('0123456789ABCDEFFEDCBA9876543210'),
};

export function makeHsm(lmk = LMK, extra: Partial<HsmOptions> = {}) {
  const audit = new MemoryAuditSink();
  const hsm = testHsm({ lmk, audit, ...extra });
  const load = (usage: string, algorithm: KeyAlgorithm, key: Uint8Array, extra: Record<string, unknown> = {}) =>
    hsm.importKeyComponents({
      usage,
      algorithm,
      components: [key],
      allowSingleComponent: true,
      fixParity: true,
      ...extra,
    }).keyBlock;
  const keys = {
    cvk: load('C0', 'TDES2', CLEAR.cvk),
    zpk: load('P0', 'TDES2', CLEAR.zpk),
    zpk2: load('P0', 'TDES2', CLEAR.zpk2),
    aesPinKey: load('P0', 'AES128', CLEAR.aesPinKey),
    pvk: load('V2', 'TDES2', CLEAR.pvk),
    ibmPvk: load('V1', 'TDES2', CLEAR.ibmPvk),
    dek: load('D0', 'TDES2', CLEAR.dek),
    aesDek: load('D0', 'AES128', CLEAR.aesDek),
    kek: load('K0', 'TDES2', CLEAR.kek),
    aesKek: load('K0', 'AES256', CLEAR.aesKek),
    transport: load('D0', 'TDES2', CLEAR.transport, { modeOfUse: 'E' }),
  };
  return { hsm, audit, keys };
}

/**
 * A development custodian (one component per key allowed) and `load`, which imports a clear test key as a key block
 * of any usage and mode of use: for the facade tests that start from published vectors.
 */
export function keyLoader(lmk = LMK) {
  const custodian = new Hsm({
    lmk,
    activities: 'custodian',
    development: { allowSingleComponent: true, warn: () => {} },
  });
  const load = (usage: string, algorithm: KeyAlgorithm, hex: string, modeOfUse?: string) =>
    custodian.importKeyComponents({
      usage,
      algorithm,
      modeOfUse,
      components: [hexToBytes(hex)],
      allowSingleComponent: true,
      fixParity: algorithm.startsWith('TDES'),
    }).keyBlock;
  return { custodian, load };
}
