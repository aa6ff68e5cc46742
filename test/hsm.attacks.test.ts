// The HSM boundary against a caller with ordinary access to every public method: each attack that worked on the
// facade before authorized activities (issue 13, attacks 1-10), run again in the profile where it matters. A
// payment HSM assumes the host may be compromised: no sequence of calls may yield a clear PIN or a non-exportable
// key, counters trust no caller, privileged commands need authorization, the audit trail cannot be rewritten.
import { describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import * as api from '../src/index.js';
import { Hsm, JsonlAuditSink, MemoryStore, verifyAuditLog } from '../src/index.js';
import { LMK } from './helpers/hsm.js';
import { expectCardHsmError } from './helpers/errors.js';

const PAN = '4000001234567899';
const OTHER = '4000009876543210';

/** The keys of a bank, made in a ceremony, and the bank's three Hsms over one store. */
function bank() {
  const store = new MemoryStore();
  const custodian = new Hsm({ lmk: LMK, activities: 'custodian' });
  const g = (usage: string, algorithm: api.KeyAlgorithm, modeOfUse?: string) =>
    custodian.generateKey({ usage, algorithm, modeOfUse }).keyBlock;
  const keys = {
    zpk: g('P0', 'TDES2'),
    pvk: g('V2', 'TDES2'),
    ibmPvk: g('V1', 'TDES2'),
    cvk: g('C0', 'TDES2'),
    panKey: g('D0', 'AES256'),
    imkVerify: g('E6', 'HMAC256', 'V'),
    imk: g('E6', 'HMAC256'),
  };
  const issuance = new Hsm({ lmk: LMK, activities: 'issuance', store });
  const online = new Hsm({ lmk: LMK, store });
  return { store, custodian, issuance, online, keys };
}

describe('attack 1: a PIN from any encrypted PIN block through PVV/offset generation', () => {
  test('the calls that turned a chosen PIN block into a PVV or offset are gone; PIN issuance returns none', async () => {
    const { issuance, online, keys } = bank();
    for (const hsm of [issuance, online]) {
      for (const method of ['generateVisaPvv', 'generateIbm3624Offset', 'verifyPinVisaPvv', 'verifyPinIbm3624Offset'])
        expect(method in hsm).toBe(false);
    }
    // Within issuance, setting or generating PINs stores verification data and answers nothing derived from the PIN.
    const block = (pin: string, pan = PAN) => issuance.encryptClearPin({ pinKey: keys.zpk, pin, pan, format: 0 });
    const method = {
      type: 'IBM3624_OFFSET' as const,
      pvk: keys.ibmPvk,
      validationData: '4000001234567899',
      decimalizationTable: '0123456789012345',
    };
    expect(
      await issuance.setPin({
        cardRef: issuance.cardRef(PAN),
        pinBlock: block('2580'),
        pinKey: keys.zpk,
        format: 0,
        pan: PAN,
        method,
      }),
    ).toBeUndefined();
    expect(
      Object.keys(
        await issuance.generatePin({
          cardRef: issuance.cardRef(OTHER),
          pinKey: keys.zpk,
          pan: OTHER,
          method: { type: 'VISA_PVV', pvk: keys.pvk, pvki: '1' },
        }),
      ),
    ).toEqual(['pinBlock']);
    expect(
      await issuance
        .activateCard({
          cardRef: issuance.cardRef(PAN),
          activationCode: '0000000000',
          pinBlock: block('2580'),
          pinKey: keys.zpk,
          format: 0,
          pan: PAN,
          method,
        })
        .catch((e) => e.code),
    ).toBe('ERR_ACTIVATION_CODE');
  });
});

describe('attack 2: a free format oracle in verifyPin', () => {
  test('64 single-bit flips of a PIN block: each counts as a wrong PIN, none answers ERR_PINBLOCK_FORMAT', async () => {
    const { issuance, online, keys } = bank();
    const cardRef = online.cardRef(PAN);
    await issuance.setPin({
      cardRef,
      pinBlock: issuance.encryptClearPin({ pinKey: keys.zpk, pin: '2580', pan: PAN, format: 0 }),
      pinKey: keys.zpk,
      format: 0,
      pan: PAN,
      method: { type: 'VISA_PVV', pvk: keys.pvk, pvki: '1' },
    });
    const victim = issuance.encryptClearPin({ pinKey: keys.zpk, pin: '7391', pan: PAN, format: 0 });
    const codes: string[] = [];
    for (let bit = 0; bit < 64; bit++) {
      const flipped = victim.slice();
      flipped[bit >> 3]! ^= 0x80 >> (bit & 7);
      codes.push(
        await online.verifyPin({ cardRef, pinBlock: flipped, pinKey: keys.zpk, format: 0, pan: PAN }).then(
          (r) => (r.verified ? 'VERIFIED' : 'WRONG'),
          (e) => e.code,
        ),
      );
    }
    expect(codes.slice(0, 3)).toEqual(['WRONG', 'WRONG', 'WRONG']);
    expect(new Set(codes.slice(3))).toEqual(new Set(['ERR_PIN_LOCKED']));
  });

  test("a block under another card's PAN counts on the card it is presented for", async () => {
    const { issuance, online, keys } = bank();
    const cardRef = online.cardRef(OTHER);
    await issuance.setPin({
      cardRef,
      pinBlock: issuance.encryptClearPin({ pinKey: keys.zpk, pin: '2580', pan: OTHER, format: 0 }),
      pinKey: keys.zpk,
      format: 0,
      pan: OTHER,
      method: { type: 'VISA_PVV', pvk: keys.pvk, pvki: '1' },
    });
    const victim = issuance.encryptClearPin({ pinKey: keys.zpk, pin: '7391', pan: PAN, format: 0 });
    const answers = [];
    for (let i = 0; i < 4; i++)
      answers.push(
        await online.verifyPin({ cardRef, pinBlock: victim, pinKey: keys.zpk, format: 0, pan: OTHER }).then(
          (r) => r.attemptsRemaining,
          (e) => e.code,
        ),
      );
    expect(answers).toEqual([2, 1, 0, 'ERR_PIN_LOCKED']);
  });
});

describe('attack 3: counters reset by the caller', () => {
  test("a caller-supplied PVV is ignored (no such input); setPin is not the online host's; 40 guesses end at the lock", async () => {
    const { issuance, online, keys, store } = bank();
    const cardRef = online.cardRef(PAN);
    await issuance.setPin({
      cardRef,
      pinBlock: issuance.encryptClearPin({ pinKey: keys.zpk, pin: '2580', pan: PAN, format: 0 }),
      pinKey: keys.zpk,
      format: 0,
      pan: PAN,
      method: { type: 'VISA_PVV', pvk: keys.pvk, pvki: '1' },
    });
    const pvvOf0000 = api.generateVisaPvv(new Uint8Array(16), PAN, '1', '0000');
    const guess = (pin: string) =>
      online
        .verifyPin({
          cardRef,
          pinBlock: issuance.encryptClearPin({ pinKey: keys.zpk, pin, pan: PAN, format: 0 }),
          pinKey: keys.zpk,
          format: 0,
          pan: PAN,
          method: { type: 'VISA_PVV', pvk: keys.pvk, pvki: '1', pvv: pvvOf0000 },
        } as never)
        .then(
          (r) => r.verified,
          (e) => e.code,
        );
    const answers = [];
    for (let i = 0; i < 20; i++) answers.push(await guess('1357'), await guess('1358'), await guess('0000'));
    expect(answers.slice(0, 3)).toEqual([false, false, false]);
    expect(new Set(answers.slice(3))).toEqual(new Set(['ERR_PIN_LOCKED']));
    await expect(
      online.setPin({
        cardRef,
        pinBlock: issuance.encryptClearPin({ pinKey: keys.zpk, pin: '2580', pan: PAN, format: 0 }),
        pinKey: keys.zpk,
        format: 0,
        pan: PAN,
        method: { type: 'VISA_PVV', pvk: keys.pvk, pvki: '1' },
      }),
    ).rejects.toMatchObject({ code: 'ERR_NOT_AUTHORIZED' });
    expect((await store.getAttempts('pin', cardRef)).locked).toBe(true);
  });
});

describe('attack 4: a static CVV2 found by trying all 1,000', () => {
  test("verifyCardCvv2 counts: 5 wrong codes lock the card, the right one is refused after; the uncounted check is not the host's", async () => {
    const { issuance, online, keys } = bank();
    const cardRef = online.cardRef(PAN);
    const right = issuance.generateCvv2({ cvk: keys.cvk, pan: PAN, expiry: '2812' });
    const answers: unknown[] = [];
    for (let v = 0; v < 1000 && answers.length < 1000; v++) {
      const cvv = String(v).padStart(3, '0');
      if (cvv === right) continue;
      answers.push(
        await online.verifyCardCvv2({ cardRef, cvk: keys.cvk, pan: PAN, expiry: '2812', cvv }).catch((e) => e.code),
      );
    }
    expect(answers.slice(0, 5)).toEqual([false, false, false, false, false]);
    expect(new Set(answers.slice(5))).toEqual(new Set(['ERR_CVV_LOCKED']));
    await expect(
      online.verifyCardCvv2({ cardRef, cvk: keys.cvk, pan: PAN, expiry: '2812', cvv: right }),
    ).rejects.toMatchObject({ code: 'ERR_CVV_LOCKED' });
    expect(await online.getCvv2Attempts(cardRef)).toEqual({ failed: 5, remaining: 0, locked: true });
    expectCardHsmError(
      () => online.verifyCvv2({ cvk: keys.cvk, pan: PAN, expiry: '2812', cvv: right }),
      'ERR_NOT_AUTHORIZED',
    );
  });
});

describe('attack 5: a non-exportable key out through LMK rotation', () => {
  test('the target must be an Hsm formed from components; exportability survives; the online host cannot rotate', () => {
    const { custodian, online } = bank();
    const secret = custodian.generateKey({ usage: 'D0', algorithm: 'AES256', exportability: 'N' }).keyBlock;
    const myLmk = new Uint8Array(32).fill(0x42);
    expectCardHsmError(() => online.rotateLmk(myLmk as never, [secret]), 'ERR_NOT_AUTHORIZED');
    expectCardHsmError(() => custodian.rotateLmk(myLmk as never, [secret]), 'ERR_TYPE', 'target');
    expectCardHsmError(
      () => custodian.rotateLmk(new Hsm({ lmk: myLmk, activities: 'custodian' }), [secret]),
      'ERR_TYPE',
      'target',
    );
    const target = Hsm.fromLmkComponents([new Uint8Array(32).fill(0x11), new Uint8Array(32).fill(0x24)], {
      activities: 'custodian',
    });
    const [moved] = custodian.rotateLmk(target, [secret]);
    expect(target.describeKey(moved!).exportability).toBe('N');
    expect(target.describeKey(moved!).kcv).toBe(custodian.describeKey(secret).kcv);
    expectCardHsmError(
      () =>
        target.exportKey({ keyBlock: moved!, kek: target.generateKey({ usage: 'K1', algorithm: 'AES256' }).keyBlock }),
      'ERR_KEY_USAGE',
      'keyBlock',
    );
    // Only the LMK the two components make opens it — which no caller was given in one piece.
    expect(api.bytesToHex(api.unwrapTr31(new Uint8Array(32).fill(0x11 ^ 0x24), moved!).key)).toHaveLength(64);
    expectCardHsmError(() => api.unwrapTr31(myLmk, moved!), 'ERR_TR31_MAC', 'keyBlock');
  });
});

describe('attack 6: known-value keys for anyone', () => {
  test('generateKey and importKeyComponents are custodian work; one component only on a development Hsm', () => {
    const { issuance, online, custodian } = bank();
    const component = api.hexToBytes('0123456789ABCDEFFEDCBA9876543210');
    for (const hsm of [issuance, online]) {
      expectCardHsmError(() => hsm.generateKey({ usage: 'K0', algorithm: 'TDES2' }), 'ERR_NOT_AUTHORIZED');
      expectCardHsmError(
        () =>
          hsm.importKeyComponents({
            usage: 'P0',
            algorithm: 'TDES2',
            components: [component],
            allowSingleComponent: true,
          }),
        'ERR_NOT_AUTHORIZED',
      );
    }
    expectCardHsmError(
      () =>
        custodian.importKeyComponents({
          usage: 'P0',
          algorithm: 'TDES2',
          components: [component],
          allowSingleComponent: true,
        }),
      'ERR_LENGTH',
      'components',
    );
    const warnings: string[] = [];
    const dev = new Hsm({
      lmk: LMK,
      activities: 'custodian',
      development: { allowSingleComponent: true, warn: (m) => warnings.push(m) },
    });
    expect(warnings.join('')).toContain('development only');
    expect(
      dev.importKeyComponents({ usage: 'P0', algorithm: 'TDES2', components: [component], allowSingleComponent: true })
        .kcv,
    ).toBe('08D7B4');
  });
});

describe('attack 7: a forgeable audit trail', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cardhsm-attack-audit-'));
  const path = join(dir, 'audit.jsonl');

  test('rewritten and re-chained without the key: refused; two writers on one file: verified; records name activity and profile', () => {
    const a = new Hsm({ lmk: LMK, activities: 'custodian', audit: new JsonlAuditSink(path) });
    const b = new Hsm({ lmk: LMK, activities: 'custodian', audit: new JsonlAuditSink(path) });
    for (let i = 0; i < 3; i++) {
      a.generateKey({ usage: 'D0', algorithm: 'AES128' });
      b.generateKey({ usage: 'D0', algorithm: 'AES128' });
    }
    expectCardHsmError(
      () => a.generateCvv({ cvk: 'x', pan: PAN, expiry: '2812', serviceCode: '101' }),
      'ERR_NOT_AUTHORIZED',
    );
    expect(verifyAuditLog(path, { hsm: a })).toMatchObject({ ok: true, records: 7, writers: 2, torn: [] });
    const lines = readFileSync(path, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-1)).toMatchObject({
      operation: 'generateCvv',
      activity: 'card.generate',
      profile: 'custodian',
      outcome: 'error',
      errorCode: 'ERR_NOT_AUTHORIZED',
    });
    // The old attack: change an outcome and re-chain every record with an unkeyed hash.
    const prev = new Map<unknown, string>();
    const forged = lines.map((l) => {
      const { mac: _mac, ...rest } = l;
      const line = { ...rest, prev: prev.get(l.writer) ?? '0'.repeat(64), outcome: 'success' };
      const mac = createHash('sha256').update(JSON.stringify(line)).digest('hex');
      prev.set(l.writer, mac);
      return JSON.stringify({ ...line, mac });
    });
    writeFileSync(path, `${forged.join('\n')}\n`);
    expect(verifyAuditLog(path, { hsm: a }).ok).toBe(false);
  });

  test('a torn last line: the next sink opens, the trail verifies with the line reported', () => {
    const file = join(dir, 'torn.jsonl');
    const first = new Hsm({ lmk: LMK, activities: 'custodian', audit: new JsonlAuditSink(file) });
    first.generateKey({ usage: 'D0', algorithm: 'AES128' });
    first.generateKey({ usage: 'D0', algorithm: 'AES128' });
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, text.length - 40)); // a crash in the middle of the second record
    const sink = new JsonlAuditSink(file);
    expect(sink.tornAtOpen).toBe(true);
    const again = new Hsm({ lmk: LMK, activities: 'custodian', audit: sink });
    again.generateKey({ usage: 'D0', algorithm: 'AES128' });
    expect(verifyAuditLog(file, { hsm: again })).toMatchObject({ ok: true, records: 2, writers: 2, torn: [2] });
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('attack 8: duplicate PANs across nested prefixes', () => {
  function issuer() {
    const { custodian, store } = bank();
    const keys = {
      cvk: custodian.generateKey({ usage: 'C0', algorithm: 'TDES2' }).keyBlock,
      panKey: custodian.generateKey({ usage: 'D0', algorithm: 'AES256' }).keyBlock,
    };
    return { hsm: new Hsm({ lmk: LMK, activities: 'issuance', store }), keys };
  }
  const drain = async (cards: AsyncIterable<api.IssuedCard>) => {
    const out: string[] = [];
    for await (const c of cards) out.push(c.pan);
    return out;
  };

  test('457173 then 45717360 at 16 digits, and 45717360123 after 4571736012 at 13: the second is refused', async () => {
    for (const [first, second, length] of [
      ['457173', '45717360', 16],
      ['4571736012', '45717360123', 13],
      ['45717360', '457173', 16],
    ] as const) {
      const { hsm, keys } = issuer();
      expect(await drain(hsm.issueCards({ bin: first, length, count: 5, expiry: '2812', ...keys }))).toHaveLength(5);
      await expect(
        drain(hsm.issueCards({ bin: second, length, count: 5, expiry: '2812', ...keys })),
      ).rejects.toMatchObject({ code: 'ERR_PAN_RANGE_OVERLAP', field: 'bin' });
      await expect(hsm.issueCard({ bin: second, length, expiry: '2812', ...keys })).rejects.toMatchObject({
        code: 'ERR_PAN_RANGE_OVERLAP',
      });
      // The first range still issues, and another length of the second prefix is its own range.
      expect(await drain(hsm.issueCards({ bin: first, length, count: 10, expiry: '2812', ...keys }))).toHaveLength(10);
      expect(
        await drain(hsm.issueCards({ bin: second, length: length + 1, count: 10, expiry: '2812', ...keys })),
      ).toHaveLength(10);
    }
  }, 60_000);

  test('property: any two prefixes in use at one length never issue the same PAN', async () => {
    const { hsm, keys } = issuer();
    const used = new Set<string>();
    await fc.assert(
      // Prefixes from a small tree (457173 plus up to 5 digits of 0 and 1) so that nesting is the common case.
      fc.asyncProperty(
        fc.stringMatching(/^[01]{0,5}$/).map((tail) => `457173${tail}`),
        fc.constantFrom(13, 16),
        async (bin, length) => {
          const pans = await drain(hsm.issueCards({ bin, length, count: 5, expiry: '2812', ...keys })).catch(
            (e: api.CardHsmError) => {
              // Refused as overlapping, or as too small for another 5 (a 1-digit range holds 10 PANs).
              expect(['ERR_PAN_RANGE_OVERLAP', 'ERR_RANGE_EXHAUSTED']).toContain(e.code);
              return [];
            },
          );
          for (const p of pans) {
            expect(used.has(p)).toBe(false);
            used.add(p);
          }
        },
      ),
      { numRuns: 150 },
    );
    expect(used.size).toBeGreaterThan(50);
  }, 60_000);
});

describe('attack 9: one call exhausting a range', () => {
  test('an idempotent run larger than what remains leases nothing and says how many remain', async () => {
    const { custodian, store } = bank();
    const hsm = new Hsm({ lmk: LMK, activities: 'issuance', store });
    const keys = {
      cvk: custodian.generateKey({ usage: 'C0', algorithm: 'TDES2' }).keyBlock,
      panKey: custodian.generateKey({ usage: 'D0', algorithm: 'AES256' }).keyBlock,
    };
    // 13 digits after a 10-digit prefix: 2 free digits, 100 PANs.
    const run = (count: number, idempotencyKey: string) =>
      (async () => {
        let n = 0;
        for await (const _ of hsm.issueCards({
          bin: '4571736012',
          length: 13,
          count,
          expiry: '2812',
          ...keys,
          idempotencyKey,
        }))
          n++;
        return n;
      })();
    expect(await run(60, 'a')).toBe(60);
    await expect(run(41, 'b')).rejects.toMatchObject({
      code: 'ERR_RANGE_EXHAUSTED',
      message: expect.stringContaining('40 PANs left'),
    });
    expect(await hsm.panCapacity({ bin: '4571736012', length: 13 })).toEqual({ issued: 60, remaining: 40 });
    expect(await run(40, 'c')).toBe(40);
  });
});

describe('attack 10: a verify-only E6 key generating codes', () => {
  test('mode of use V verifies and does not generate; G generates and does not verify', async () => {
    const { custodian, issuance, online, keys } = bank();
    expectCardHsmError(
      () => issuance.generateDynamicCvv2({ imk: keys.imkVerify, pan: PAN, psn: '00', expiry: '2812' }),
      'ERR_KEY_USAGE',
      'imk',
    );
    const generateOnly = custodian.generateKey({ usage: 'E6', algorithm: 'HMAC256', modeOfUse: 'G' }).keyBlock;
    const { code } = issuance.generateDynamicCvv2({ imk: generateOnly, pan: PAN, psn: '00', expiry: '2812' });
    await expect(
      online.verifyDynamicCvv2({
        cardRef: online.cardRef(PAN),
        imk: generateOnly,
        pan: PAN,
        psn: '00',
        expiry: '2812',
        code,
      }),
    ).rejects.toMatchObject({ code: 'ERR_KEY_USAGE' });
    expect(
      (
        await online.verifyDynamicCvv2({
          cardRef: online.cardRef(PAN),
          imk: keys.imk,
          pan: PAN,
          psn: '00',
          expiry: '2812',
          code: issuance.generateDynamicCvv2({ imk: keys.imk, pan: PAN, psn: '00', expiry: '2812' }).code,
        })
      ).valid,
    ).toBe(true);
  });
});

describe('attack 11: relaxing the enforced tables through their exported objects', () => {
  /** Every object reachable from `value` that is not frozen, by path. */
  const unfrozen = (value: unknown, path: string): string[] => {
    if (value === null || typeof value !== 'object') return [];
    const own = Object.isFrozen(value) ? [] : [path];
    return [...own, ...Object.entries(value).flatMap(([k, v]) => unfrozen(v, `${path}.${k}`))];
  };

  test('every exported table is deeply frozen (rules, profiles, activities, algorithms, usages, EMV profiles)', () => {
    const tables = Object.entries(api).filter(([, v]) => v !== null && typeof v === 'object');
    expect(tables.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        'KEY_USAGE_RULES',
        'HSM_PROFILES',
        'METHOD_ACTIVITIES',
        'ACTIVITIES',
        'KEY_ALGORITHMS',
        'X9143_USAGES',
        'EMV_CVN_PROFILES',
      ]),
    );
    expect(tables.flatMap(([name, v]) => unfrozen(v, name))).toEqual([]);
  });

  test('writes into them throw, and the Hsm still enforces what it did: a PIN key is no CVK, an AES-256 KEK not exportable under TDES', () => {
    const { custodian, issuance, keys } = bank();
    expect(() => (api.KEY_USAGE_RULES['cvv.generate'].usages as string[]).push('P0')).toThrow(TypeError);
    expect(() => ((api.KEY_ALGORITHMS.AES256 as { bytes: number }).bytes = 8)).toThrow(TypeError);
    expect(() => ((api.HSM_PROFILES.authorization as string[]).length = 0)).toThrow(TypeError);
    expect(() => ((api.METHOD_ACTIVITIES as Record<string, string>).generateKey = 'card.ref')).toThrow(TypeError);
    expectCardHsmError(
      () => issuance.generateCvv({ cvk: keys.zpk, pan: PAN, expiry: '2812', serviceCode: '101' }),
      'ERR_KEY_USAGE',
      'cvk',
    );
    const aesKek = custodian.generateKey({ usage: 'K0', algorithm: 'AES256' }).keyBlock;
    const tdesKek = custodian.generateKey({ usage: 'K0', algorithm: 'TDES2' }).keyBlock;
    expectCardHsmError(() => custodian.exportKey({ keyBlock: aesKek, kek: tdesKek }), 'ERR_KEY_USAGE', 'kek');
  });

  test('a malformed key block names the caller\'s option, not "keyBlock"', () => {
    const { issuance } = bank();
    expectCardHsmError(
      () => issuance.generateCvv({ cvk: 'x', pan: PAN, expiry: '2812', serviceCode: '101' }),
      'ERR_TR31_LENGTH',
      'cvk',
    );
    expectCardHsmError(
      () =>
        issuance.generateCvv({
          cvk: `D0112C0TC00E0000${'0'.repeat(96)}`,
          pan: PAN,
          expiry: '2812',
          serviceCode: '101',
        }),
      'ERR_TR31_MAC',
      'cvk',
    );
  });
});
