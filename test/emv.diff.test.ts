// Differential: every EMV operation against the independent reference written from EMV Book 2 over node:crypto
// (test/helpers/emv-reference.ts, itself checked against the public vectors), 10,000 random cases per operation.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/index.js';
import * as R from './helpers/emv-reference.js';
import { refDesEcbEncrypt } from './helpers/reference.js';
import { expiry, serviceCode } from '../src/arbitraries.js';
import { anyPin as pinArb, bytesOf, digits } from './helpers/arb.js';
import { PROFILES, tagsOf } from './helpers/emv.js';

const RUNS = 10_000;
const x = api.bytesToHex;
const key16 = bytesOf(16);
const pan = digits(12, 19);
const psn = digits(2, 2);
const option = fc.constantFrom('A' as const, 'B' as const);
const profileName = fc.constantFrom(...(Object.keys(PROFILES) as R.RefProfile[]));

const txFor = (name: R.RefProfile) => {
  const p = PROFILES[name]!;
  const minIad = p.iad === 'IAD' ? 1 : p.iad === 'VISA_CVR' ? 7 : p.iad === 'MASTERCARD_CVR' ? 8 : 18;
  return fc.record({
    amountAuthorized: bytesOf(6),
    amountOther: bytesOf(6),
    terminalCountryCode: bytesOf(2),
    tvr: bytesOf(5),
    transactionCurrencyCode: bytesOf(2),
    transactionDate: bytesOf(3),
    transactionType: bytesOf(1),
    unpredictableNumber: bytesOf(4),
    aip: bytesOf(2),
    atc: bytesOf(2),
    iad: fc.uint8Array({ minLength: minIad, maxLength: 32 }),
  });
};
const profileCase = profileName.chain((name) =>
  fc.record({ name: fc.constant(name), imk: key16, pan, psn, tx: txFor(name) }),
);

describe('key derivation', () => {
  test('ICC master keys, Options A and B', () => {
    fc.assert(
      fc.property(key16, pan, psn, option, (imk, p, s, o) => {
        expect(api.deriveIccMasterKey(imk, p, s, o)).toEqual(R.refMasterKey(imk, p, s, o));
      }),
      { numRuns: RUNS },
    );
  });
  test('master keys in one batch of 10,000 (both options)', () => {
    const cards = fc.sample(fc.record({ pan, psn }), RUNS);
    const imk = fc.sample(key16, 1)[0]!;
    for (const o of ['A', 'B'] as const) {
      const got = api.deriveIccMasterKeyBatch(imk, cards, o);
      cards.forEach(
        (c, i) => void expect(got.subarray(16 * i, 16 * i + 16)).toEqual(R.refMasterKey(imk, c.pan, c.psn, o)),
      );
    }
  });
  test('personalisation keys of 10,000 cards under five IMKs', () => {
    const cards = fc.sample(fc.record({ pan, psn }), RUNS);
    const [ac, smi, smc, cvc3, dcvv] = fc.sample(key16, 5);
    const got = api.derivePersoKeys({ ac: ac!, smi: smi!, smc: smc!, cvc3: cvc3!, dcvv: dcvv! }, cards);
    cards.forEach((c, i) => {
      expect(got[i]!.mkAc).toEqual(R.refMasterKey(ac!, c.pan, c.psn));
      expect(got[i]!.mkSmc).toEqual(R.refMasterKey(smc!, c.pan, c.psn));
      expect(got[i]!.mkDcvv).toEqual(R.refMasterKey(dcvv!, c.pan, c.psn));
      if (i % 10 === 0) {
        expect(got[i]!.mkSmi).toEqual(R.refMasterKey(smi!, c.pan, c.psn));
        expect(got[i]!.mkCvc3).toEqual(R.refMasterKey(cvc3!, c.pan, c.psn));
      }
    });
  });
  test('common session keys', () => {
    fc.assert(
      fc.property(key16, bytesOf(8), (mk, r) => {
        expect(api.deriveCommonSessionKey(mk, r)).toEqual(R.refCommonSessionKey(mk, r));
      }),
      { numRuns: RUNS },
    );
  });
  test('Mastercard session keys', () => {
    fc.assert(
      fc.property(key16, bytesOf(2), bytesOf(4), (mk, a, u) => {
        expect(api.deriveMastercardSessionKey(mk, a, u)).toEqual(R.refMastercardSessionKey(mk, a, u));
      }),
      { numRuns: RUNS },
    );
  });
  test('Visa secure messaging session keys', () => {
    fc.assert(
      fc.property(key16, bytesOf(2), (mk, a) => {
        expect(api.deriveVisaSmSessionKey(mk, a)).toEqual(R.refVisaSmSessionKey(mk, a));
      }),
      { numRuns: RUNS },
    );
  });
  test('EMV2000 tree session keys (heights 8 and 16 with branch factors 4 and 2, random IVs)', () => {
    const shape = fc.constantFrom([8, 4] as const, [16, 2] as const, [9, 4] as const);
    fc.assert(
      fc.property(key16, bytesOf(2), shape, bytesOf(16), (mk, a, [height, b], iv) => {
        expect(api.deriveEmv2000TreeSessionKey(mk, a, { height, branchFactor: b, iv })).toEqual(
          R.refEmv2000Tree(mk, a, height, b, iv),
        );
      }),
      { numRuns: RUNS },
    );
  });
});

describe('cryptograms', () => {
  const data = fc.uint8Array({ maxLength: 100 });
  const padding = fc.constantFrom(1 as const, 2 as const);
  test('ARQC over assembled data', () => {
    fc.assert(
      fc.property(key16, data, padding, (k, d, p) => {
        expect(api.generateArqc(k, d, p)).toEqual(R.refArqc(k, d, p));
      }),
      { numRuns: RUNS },
    );
  });
  test('ARPC method 1', () => {
    fc.assert(
      fc.property(key16, bytesOf(8), bytesOf(2), (k, a, c) => {
        expect(api.generateArpc1(k, a, c)).toEqual(R.refArpc1(k, a, c));
      }),
      { numRuns: RUNS },
    );
  });
  test('ARPC method 2', () => {
    fc.assert(
      fc.property(key16, bytesOf(8), bytesOf(4), fc.uint8Array({ maxLength: 8 }), (k, a, c, p) => {
        expect(api.generateArpc2(k, a, c, p)).toEqual(R.refArpc2(k, a, c, p));
      }),
      { numRuns: RUNS },
    );
  });
  test('profile ARQCs (all seven profiles) and their data', () => {
    fc.assert(
      fc.property(profileCase, (c) => {
        const p = PROFILES[c.name]!;
        expect(x(api.emvArqcData(p, c.tx))).toBe(R.refArqcData(c.name, tagsOf(c.tx)));
        expect(x(api.generateEmvArqc(p, c.imk, { pan: c.pan, psn: c.psn }, c.tx))).toBe(
          R.refProfileArqc(c.name, c.imk, c.pan, c.psn, tagsOf(c.tx)),
        );
      }),
      { numRuns: RUNS },
    );
  });
  test('profile ARPCs', () => {
    fc.assert(
      fc.property(profileCase, bytesOf(8), bytesOf(4), (c, arqc, resp) => {
        const p = PROFILES[c.name]!;
        const response = p.arpcMethod === 1 ? { arc: resp.subarray(0, 2) } : { csu: resp };
        expect(x(api.generateEmvArpc(p, c.imk, c, c.tx, arqc, response))).toBe(
          R.refProfileArpc(
            c.name,
            c.imk,
            c.pan,
            c.psn,
            tagsOf(c.tx),
            x(arqc),
            x(p.arpcMethod === 1 ? resp.subarray(0, 2) : resp),
          ),
        );
      }),
      { numRuns: RUNS },
    );
  });
  test('a batch of 10,000 ARQCs (CVN 18) verifies as the reference says, a third of them tampered', () => {
    const imk = fc.sample(key16, 1)[0]!;
    const items = fc.sample(fc.record({ pan, psn, tx: txFor('VISA_CVN18'), flip: fc.nat(63) }), RUNS).map((c, i) => {
      const arqc = R.fromHex(R.refProfileArqc('VISA_CVN18', imk, c.pan, c.psn, tagsOf(c.tx)));
      if (i % 3 === 0) arqc[c.flip >> 3]! ^= 1 << (c.flip & 7);
      return { pan: c.pan, psn: c.psn, tx: c.tx, arqc };
    });
    expect(api.verifyEmvArqcBatch(api.VISA_CVN18, imk, items)).toEqual(items.map((_, i) => i % 3 !== 0));
  });
});

describe('batches through the sliced kernel (per-card keys in SIMD lanes) and the one-by-one path', () => {
  test('every profile and option, sizes around the slicing threshold (16) and group boundaries (128), mixed IAD lengths', () => {
    const imk = fc.sample(key16, 1)[0]!;
    for (const name of Object.keys(PROFILES) as R.RefProfile[]) {
      for (const size of [1, 15, 16, 17, 127, 128, 129, 300]) {
        // Most items share one IAD length (one sliced group run); a few differ (their own, shorter runs).
        const items = fc
          .sample(fc.record({ pan, psn, tx: txFor(name), flip: fc.nat(63), good: fc.boolean() }), size)
          .map((c, i) => {
            const tx =
              i % 10 === 0 ? c.tx : { ...c.tx, iad: c.tx.iad.length >= 18 ? c.tx.iad.subarray(0, 18) : c.tx.iad };
            const arqc = R.fromHex(R.refProfileArqc(name, imk, c.pan, c.psn, tagsOf(tx)));
            if (!c.good) arqc[c.flip >> 3]! ^= 1 << (c.flip & 7);
            return { pan: c.pan, psn: c.psn, tx, arqc, good: c.good };
          });
        expect(api.verifyEmvArqcBatch(PROFILES[name]!, imk, items), `${name} x ${size}`).toEqual(
          items.map((it) => it.good),
        );
      }
    }
  });
});

describe('issuer scripts', () => {
  test('script MACs', () => {
    fc.assert(
      fc.property(key16, fc.uint8Array({ maxLength: 100 }), fc.integer({ min: 4, max: 8 }), (k, d, n) => {
        expect(api.generateScriptMac(k, d, n)).toEqual(R.refScriptMac(k, d, n));
      }),
      { numRuns: RUNS },
    );
  });
  test('command data encipherment, three modes', () => {
    const mode = fc.constantFrom('VISA' as const, 'MASTERCARD' as const, 'EMV' as const);
    fc.assert(
      fc.property(key16, fc.uint8Array({ minLength: 1, maxLength: 60 }), mode, (k, d, m) => {
        expect(api.encipherScriptData(k, d, m)).toEqual(R.refEncipher(k, d, m));
      }),
      { numRuns: RUNS },
    );
  });
  test('PIN change data from encrypted PIN blocks (formats 0/1/3/4; ISO 2 and VIS, with and without the current PIN; three modes)', () => {
    const format = fc.constantFrom(0 as const, 1 as const, 3 as const, 4 as const);
    const target = fc.constantFrom('ISO2' as const, 'VIS' as const);
    const mode = fc.constantFrom('VISA' as const, 'MASTERCARD' as const, 'EMV' as const);
    fc.assert(
      fc.property(
        key16,
        key16,
        pan,
        pinArb,
        fc.option(pinArb),
        format,
        target,
        mode,
        (sk, mkAc, p, newPin, current, f, t, m) => {
          const pinKey = f === 4 ? mkAc : sk.map((b) => b ^ 0x5a);
          const block = (pin: string): api.EncryptedPinBlock => {
            if (f === 4) return { pinBlock: api.encipherPinBlockIso4(pinKey, pin, p), pan: p, key: pinKey, format: 4 };
            const clear =
              f === 0
                ? api.encodePinBlockIso0(pin, p)
                : f === 1
                  ? api.encodePinBlockIso1(pin)
                  : api.encodePinBlockIso3(pin, p);
            return { pinBlock: api.tdesEncryptEcb(pinKey, clear), pan: p, key: pinKey, format: f };
          };
          const withCurrent = t === 'VIS' && current !== null;
          const got = api.generatePinChangeData(sk, block(newPin), {
            pinBlock: t,
            encryption: m,
            iccMkAc: t === 'VIS' ? mkAc : undefined,
            currentPin: withCurrent ? block(current!) : undefined,
          });
          const clear =
            t === 'ISO2'
              ? R.fromHex(`2${newPin.length.toString(16)}${newPin}`.padEnd(16, 'F'))
              : R.refVisBlock(newPin, mkAc, withCurrent ? current! : undefined);
          expect(got).toEqual(R.refEncipher(sk, clear, m));
        },
      ),
      { numRuns: RUNS },
    );
  });
  test('whole PIN change commands per profile', () => {
    const pinKey = R.fromHex('0123456789ABCDEF0123456789ABCDEF');
    fc.assert(
      fc.property(
        profileName,
        key16,
        key16,
        key16,
        pan,
        psn,
        bytesOf(2),
        bytesOf(8),
        pinArb,
        (name, imkAc, imkSmi, imkSmc, p, s, atc, arqc, pin) => {
          const spec = R.REF_PROFILES[name];
          const script = api.generateEmvPinChange(
            PROFILES[name]!,
            { imkAc, imkSmi, imkSmc },
            { pan: p, psn: s },
            { atc, arqc },
            { pinBlock: api.tdesEncryptEcb(pinKey, api.encodePinBlockIso0(pin, p)), pan: p, key: pinKey, format: 0 },
          );
          const smKey = (imk: Uint8Array) => {
            const mk = R.refMasterKey(imk, p, s, spec.option);
            return spec.script === 'VISA' ? R.refVisaSmSessionKey(mk, atc) : R.refCommonSessionKey(mk, arqc);
          };
          const clear =
            spec.pin === 'VIS'
              ? R.refVisBlock(pin, R.refMasterKey(imkAc, p, s, spec.option))
              : R.fromHex(`2${pin.length.toString(16)}${pin}`.padEnd(16, 'F'));
          const data = R.refEncipher(smKey(imkSmc), clear, spec.enc);
          const header = Uint8Array.of(0x84, 0x24, 0x00, 0x02, data.length + 8);
          const mac = R.refScriptMac(smKey(imkSmi), Uint8Array.from([...header, ...atc, ...arqc, ...data]));
          expect(x(script.command)).toBe(x(header) + x(data) + x(mac));
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('contactless dynamic codes', () => {
  test('Visa dCVV (Options A and B)', () => {
    fc.assert(
      fc.property(key16, pan, psn, expiry(), serviceCode(), bytesOf(2), option, (imk, p, s, e, sc, atc, o) => {
        expect(api.generateDcvv(imk, p, s, e, sc, atc, { option: o })).toBe(R.refDcvv(imk, p, s, e, sc, atc, o));
      }),
      { numRuns: RUNS },
    );
  });
  test('Mastercard CVC3 (Options A and B)', () => {
    fc.assert(
      fc.property(
        key16,
        pan,
        psn,
        fc.uint8Array({ minLength: 1, maxLength: 79 }),
        bytesOf(2),
        bytesOf(4),
        option,
        (imk, p, s, t, atc, un, o) => {
          expect(api.generateCvc3(imk, p, s, t, atc, un, { option: o })).toBe(R.refCvc3(imk, p, s, t, atc, un, o));
        },
      ),
      { numRuns: RUNS },
    );
  });
});

test('the reference parity and TDES agree with node:crypto on a sample (sanity of the oracle)', () => {
  const k = R.fromHex('0123456789ABCDEFFEDCBA9876543210');
  expect(x(refDesEcbEncrypt(k, new Uint8Array(8))).slice(0, 6)).toBe('08D7B4');
  // The parity every reference key goes through: FIPS 46-3 odd parity in the last bit of each byte.
  expect(x(R.refOddParity(R.fromHex('0022446688AACCEE00FF80FE7F01')))).toBe('0123456789ABCDEF01FE80FE7F01');
  expect(R.refOddParity(k)).toEqual(k);
});
