// The PIN lifecycle on the Hsm facade with durable state: set, verify with a try counter and lock, generate,
// activation codes, and fail-closed behaviour when the store is down. (Concurrency and the database adapters:
// hsm.pin.concurrency.test.ts.)
import { describe, expect, test } from 'vitest';
import * as api from '../src/index.js';
import { CardHsmError, Hsm, MemoryAuditSink, MemoryStore, type Store } from '../src/index.js';
import { CLEAR, LMK, makeHsm, testHsm } from './helpers/hsm.js';
import { expectCardHsmError } from './helpers/errors.js';

const PAN = '1122334455667788';

const PVV3 = (pvk: string) => ({ type: 'VISA_PVV' as const, pvk, pvki: '3' });
const PVV1 = (pvk: string) => ({ type: 'VISA_PVV' as const, pvk, pvki: '1' });

function setup(store: Store = new MemoryStore(), extra: Record<string, unknown> = {}) {
  const { keys } = makeHsm();
  const hsm = testHsm({ lmk: LMK, store, decimalizationTables: ['0123456789012345', '1234567890123456'], ...extra });
  const cardRef = hsm.cardRef(PAN);
  const block = (pin: string, format: 0 | 1 | 3 = 0) =>
    hsm.encryptClearPin({ pinKey: keys.zpk, pin, pan: PAN, format });
  return { hsm, keys, cardRef, block, store };
}

describe('card references', () => {
  test('keyed, stable, 64 hex characters, never the PAN', () => {
    const { hsm, cardRef } = setup();
    expect(cardRef).toMatch(/^[0-9A-F]{64}$/);
    expect(hsm.cardRef(PAN)).toBe(cardRef);
    expect(testHsm({ lmk: new Uint8Array(32) }).cardRef(PAN)).not.toBe(cardRef);
    expect(cardRef).not.toContain(PAN);
  });
  test('an M7 HMAC card-reference key keeps references across LMK rotation', () => {
    const { hsm } = setup();
    const refKey = hsm.generateKey({ usage: 'M7', algorithm: 'HMAC256' }).keyBlock;
    const before = testHsm({ lmk: LMK, cardRefKey: refKey }).cardRef(PAN);
    const components = [new Uint8Array(32).fill(9), new Uint8Array(32).fill(0x90)];
    const [rotated] = hsm.rotateLmk(Hsm.fromLmkComponents(components), [refKey]);
    expect(testHsm({ lmk: new Uint8Array(32).fill(9 ^ 0x90), cardRefKey: rotated! }).cardRef(PAN)).toBe(before);
    expectCardHsmError(
      () => testHsm({ lmk: LMK, cardRefKey: hsm.generateKey({ usage: 'D0', algorithm: 'HMAC256' }).keyBlock }),
      'ERR_KEY_USAGE',
      'cardRefKey',
    );
  });
});

/** The PVV a card's verification data holds (read back from the store, for tests that check the value). */
async function storedPvv(store: Store, cardRef: string): Promise<string> {
  const stored = (await store.getSetting(cardRef, 'pin.verification'))!;
  return (JSON.parse(stored.slice(0, stored.lastIndexOf('|'))) as { pvv: string }).pvv;
}

describe('setPin and verifyPin (Visa PVV)', () => {
  test('known answer: psec PIN 4524 with PVKI 3 -> PVV 4021 stored; then verified from the stored data', async () => {
    const { hsm, keys, cardRef, block, store } = setup();
    expect(
      await hsm.setPin({
        cardRef,
        pinBlock: block('4524'),
        pinKey: keys.zpk,
        format: 0,
        pan: PAN,
        method: PVV3(keys.pvk),
      }),
    ).toBeUndefined();
    expect(await storedPvv(store, cardRef)).toBe('4021'); // pvv.json: psec
    expect(await hsm.verifyPin({ cardRef, pinBlock: block('4524', 3), pinKey: keys.zpk, format: 3, pan: PAN })).toEqual(
      { verified: true, attemptsRemaining: 3, locked: false },
    );
  });

  test('wrong PINs count down, lock at the limit, and the lock holds even for the right PIN until setPin', async () => {
    const { hsm, keys, cardRef, block } = setup();
    await hsm.setPin({
      cardRef,
      pinBlock: block('4524'),
      pinKey: keys.zpk,
      format: 0,
      pan: PAN,
      method: PVV3(keys.pvk),
    });
    const verify = (pin: string) =>
      hsm.verifyPin({ cardRef, pinBlock: block(pin), pinKey: keys.zpk, format: 0, pan: PAN });
    expect(await verify('9999')).toEqual({ verified: false, attemptsRemaining: 2, locked: false });
    expect(await verify('4524')).toEqual({ verified: true, attemptsRemaining: 3, locked: false }); // success resets
    expect(await verify('9999')).toEqual({ verified: false, attemptsRemaining: 2, locked: false });
    expect(await verify('9998')).toEqual({ verified: false, attemptsRemaining: 1, locked: false });
    expect(await verify('9997')).toEqual({ verified: false, attemptsRemaining: 0, locked: true });
    await expect(verify('4524')).rejects.toMatchObject({ code: 'ERR_PIN_LOCKED' });
    await expect(verify('9999')).rejects.toMatchObject({ code: 'ERR_PIN_LOCKED' });
    expect(await hsm.getPinAttempts(cardRef)).toEqual({ failed: 3, remaining: 0, locked: true });
    await hsm.setPin({
      cardRef,
      pinBlock: block('4524'),
      pinKey: keys.zpk,
      format: 0,
      pan: PAN,
      method: PVV3(keys.pvk),
    });
    expect(await hsm.getPinAttempts(cardRef)).toEqual({ failed: 0, remaining: 3, locked: false });
    expect((await verify('4524')).verified).toBe(true);
  });

  test('pinTryLimit is configurable; a card without verification data is refused', async () => {
    const { hsm, keys, cardRef, block } = setup(new MemoryStore(), { pinTryLimit: 1 });
    await expect(
      hsm.verifyPin({ cardRef, pinBlock: block('1357'), pinKey: keys.zpk, format: 0, pan: PAN }),
    ).rejects.toMatchObject({ code: 'ERR_NO_VERIFICATION_DATA' });
    await hsm.setPin({
      cardRef,
      pinBlock: block('4524'),
      pinKey: keys.zpk,
      format: 0,
      pan: PAN,
      method: PVV3(keys.pvk),
    });
    expect(await hsm.verifyPin({ cardRef, pinBlock: block('1357'), pinKey: keys.zpk, format: 0, pan: PAN })).toEqual({
      verified: false,
      attemptsRemaining: 0,
      locked: true,
    });
  });

  test('verification data changed in the store outside the Hsm is refused', async () => {
    const { hsm, keys, cardRef, block, store } = setup();
    await hsm.setPin({
      cardRef,
      pinBlock: block('4524'),
      pinKey: keys.zpk,
      format: 0,
      pan: PAN,
      method: PVV3(keys.pvk),
    });
    const stored = (await store.getSetting(cardRef, 'pin.verification'))!;
    await store.setSetting(cardRef, 'pin.verification', stored.replace('"pvv":"4021"', '"pvv":"0000"'));
    await expect(
      hsm.verifyPin({ cardRef, pinBlock: block('4524'), pinKey: keys.zpk, format: 0, pan: PAN }),
    ).rejects.toMatchObject({ code: 'ERR_STORE_INTEGRITY' });
  });

  test('the policy is enforced inside the facade, with the reason and without the PIN', async () => {
    const { hsm, keys, cardRef, block } = setup();
    for (const [pin, reason] of [
      ['1234', 'SEQUENCE_ASC'],
      ['4321', 'SEQUENCE_DESC'],
      ['1111', 'REPEATED'],
    ] as const) {
      const err = await hsm
        .setPin({ cardRef, pinBlock: block(pin), pinKey: keys.zpk, format: 0, pan: PAN, method: PVV1(keys.pvk) })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CardHsmError);
      expect(err).toMatchObject({ code: 'ERR_PIN_POLICY', reason });
      expect((err as Error).message).not.toContain(pin);
    }
  });

  test('a card reference must belong to the PAN', async () => {
    const { hsm, keys, block } = setup();
    await expect(
      hsm.setPin({
        cardRef: hsm.cardRef('4123456789012345'),
        pinBlock: block('4524'),
        pinKey: keys.zpk,
        format: 0,
        pan: PAN,
        method: PVV1(keys.pvk),
      }),
    ).rejects.toMatchObject({ code: 'ERR_CARD_REF' });
  });

  test('registerPinVerificationData stores a migrated PVV, which then verifies', async () => {
    const { hsm, keys, cardRef, block } = setup();
    await hsm.registerPinVerificationData({ cardRef, pan: PAN, data: { ...PVV3(keys.pvk), pvv: '4021' } });
    expect(
      (await hsm.verifyPin({ cardRef, pinBlock: block('4524'), pinKey: keys.zpk, format: 0, pan: PAN })).verified,
    ).toBe(true);
    await expect(
      hsm.registerPinVerificationData({ cardRef, pan: PAN, data: { ...PVV3(keys.zpk), pvv: '4021' } }),
    ).rejects.toMatchObject({ code: 'ERR_KEY_USAGE' });
  });
});

describe('IBM 3624 offsets', () => {
  test('known answer: psec PIN 1234, table 1234567890123456 -> offset 7710; the stored offset verifies', async () => {
    const { hsm, keys, cardRef, block, store } = setup();
    const method = {
      type: 'IBM3624_OFFSET' as const,
      pvk: keys.ibmPvk,
      validationData: '1122334455667788',
      decimalizationTable: '1234567890123456',
    };
    await hsm.setPin({ cardRef, pinBlock: block('1357'), pinKey: keys.zpk, format: 0, pan: PAN, method });
    const stored = (await store.getSetting(cardRef, 'pin.verification'))!;
    expect(JSON.parse(stored.slice(0, stored.lastIndexOf('|')))).toMatchObject({
      offset: api.generateIbm3624Offset(CLEAR.ibmPvk, '1122334455667788', '1234567890123456', '1357'),
    });
    expect(api.generateIbm3624Offset(CLEAR.ibmPvk, '1122334455667788', '1234567890123456', '1234')).toBe('7710'); // ibm3624.json: psec
    expect(
      (await hsm.verifyPin({ cardRef, pinBlock: block('1357'), pinKey: keys.zpk, format: 0, pan: PAN })).verified,
    ).toBe(true);
    expect(
      (await hsm.verifyPin({ cardRef, pinBlock: block('2468'), pinKey: keys.zpk, format: 0, pan: PAN })).verified,
    ).toBe(false);
    await expect(
      hsm.setPin({
        cardRef,
        pinBlock: block('1357'),
        pinKey: keys.zpk,
        format: 0,
        pan: PAN,
        method: { ...method, decimalizationTable: '9876543210987654' },
      }),
    ).rejects.toMatchObject({ code: 'ERR_DECIMALIZATION_TABLE' });
  });
});

describe('generatePin', () => {
  test('a policy-compliant random PIN, returned only encrypted; its PVV stored for the card', async () => {
    const { hsm, keys, cardRef, store } = setup();
    for (let i = 0; i < 20; i++) {
      const { pinBlock } = await hsm.generatePin({ cardRef, pinKey: keys.zpk, pan: PAN, method: PVV1(keys.pvk) });
      const pin = api.decodePinBlockIso0(api.tdesDecryptEcb(CLEAR.zpk, pinBlock), PAN);
      expect(pin).toHaveLength(4);
      expect(api.checkPinPolicy(pin)).toEqual({ ok: true });
      expect(await storedPvv(store, cardRef)).toBe(api.generateVisaPvv(CLEAR.pvk, PAN, '1', pin));
    }
    const six = await hsm.generatePin({
      cardRef,
      pinKey: keys.aesPinKey,
      pan: PAN,
      length: 6,
      format: 4,
      method: PVV1(keys.pvk),
    });
    expect(Object.keys(six)).toEqual(['pinBlock']);
    expect(api.decipherPinBlockIso4(CLEAR.aesPinKey, six.pinBlock, PAN)).toHaveLength(6);
  });
});

describe('activation codes', () => {
  test('10 digits, single use, sets the chosen PIN in the same step', async () => {
    const { hsm, keys, cardRef, block } = setup();
    const code = await hsm.generateActivationCode({ cardRef });
    expect(code).toMatch(/^[0-9]{10}$/);
    const args = {
      cardRef,
      activationCode: code,
      pinBlock: block('2468'),
      pinKey: keys.zpk,
      format: 0 as const,
      pan: PAN,
      method: PVV1(keys.pvk),
    };
    // A refused PIN does not spend the code.
    await expect(hsm.activateCard({ ...args, pinBlock: block('1111') })).rejects.toMatchObject({
      code: 'ERR_PIN_POLICY',
      reason: 'REPEATED',
    });
    const wrong = code.slice(0, 9) + String((Number(code[9]) + 1) % 10);
    expect(await hsm.activateCard({ ...args, activationCode: wrong })).toEqual({
      activated: false,
      attemptsRemaining: 2,
    });
    expect(await hsm.activateCard(args)).toEqual({ activated: true });
    expect(
      (await hsm.verifyPin({ cardRef, pinBlock: block('2468'), pinKey: keys.zpk, format: 0, pan: PAN })).verified,
    ).toBe(true);
    await expect(hsm.activateCard(args)).rejects.toMatchObject({ code: 'ERR_ACTIVATION_CODE', reason: 'USED' });
  });

  test('locks after the attempt limit; a new code starts afresh; no code -> NONE', async () => {
    const { hsm, keys, cardRef, block } = setup();
    const args = {
      cardRef,
      activationCode: '0000000000',
      pinBlock: block('2468'),
      pinKey: keys.zpk,
      format: 0 as const,
      pan: PAN,
      method: PVV1(keys.pvk),
    };
    await expect(hsm.activateCard(args)).rejects.toMatchObject({ code: 'ERR_ACTIVATION_CODE', reason: 'NONE' });
    const code = await hsm.generateActivationCode({ cardRef });
    const wrong = code === '0000000000' ? '0000000001' : '0000000000';
    for (const left of [2, 1, 0])
      expect(await hsm.activateCard({ ...args, activationCode: wrong })).toEqual({
        activated: false,
        attemptsRemaining: left,
      });
    await expect(hsm.activateCard({ ...args, activationCode: code })).rejects.toMatchObject({
      code: 'ERR_ACTIVATION_CODE',
      reason: 'LOCKED',
    });
    const fresh = await hsm.generateActivationCode({ cardRef });
    expect((await hsm.activateCard({ ...args, activationCode: fresh })).activated).toBe(true);
  });
});

describe('fail closed', () => {
  /** A store whose writes fail as a database outage would. */
  class DownStore extends MemoryStore {
    override async recordFailure(): Promise<never> {
      throw new CardHsmError('ERR_STORE_UNAVAILABLE', 'down', 'store');
    }
    override async recordSuccess(): Promise<never> {
      throw new CardHsmError('ERR_STORE_UNAVAILABLE', 'down', 'store');
    }
  }
  test('when the store cannot record the attempt, verifyPin throws ERR_STORE_UNAVAILABLE — never verified', async () => {
    const { hsm, keys, cardRef, block } = setup(new DownStore());
    await hsm.registerPinVerificationData({
      cardRef,
      pan: PAN,
      data: { ...PVV1(keys.pvk), pvv: api.generateVisaPvv(CLEAR.pvk, PAN, '1', '2468') },
    });
    for (const pin of ['2468', '1357']) {
      await expect(
        hsm.verifyPin({ cardRef, pinBlock: block(pin), pinKey: keys.zpk, format: 0, pan: PAN }),
      ).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    }
  });
  test('an Hsm without a store refuses stateful calls', async () => {
    const hsm = testHsm({ lmk: LMK });
    await expect(hsm.getPinAttempts(hsm.cardRef(PAN))).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
  });
});

describe('secrets stay out of audit records and errors', () => {
  test('a lifecycle run audits every call with a masked PAN and no PIN', async () => {
    const audit = new MemoryAuditSink();
    const { hsm, keys, cardRef, block } = setup(new MemoryStore(), { audit });
    const messages: string[] = [];
    await hsm.setPin({
      cardRef,
      pinBlock: block('8642'),
      pinKey: keys.zpk,
      format: 0,
      pan: PAN,
      method: PVV1(keys.pvk),
    });
    for (const pin of ['8642', '9753', '9753', '9753', '8642']) {
      await hsm
        .verifyPin({ cardRef, pinBlock: block(pin), pinKey: keys.zpk, format: 0, pan: PAN })
        .catch((e: Error) => messages.push(e.message));
    }
    await hsm
      .setPin({ cardRef, pinBlock: block('2222'), pinKey: keys.zpk, format: 0, pan: PAN, method: PVV1(keys.pvk) })
      .catch((e: Error) => messages.push(e.message));
    const code = await hsm.generateActivationCode({ cardRef });
    await hsm.activateCard({
      cardRef,
      activationCode: code,
      pinBlock: block('8642'),
      pinKey: keys.zpk,
      format: 0,
      pan: PAN,
      method: PVV1(keys.pvk),
    });
    const text = JSON.stringify(audit.records) + messages.join('\n');
    expect(audit.records.map((r) => r.operation)).toEqual(
      expect.arrayContaining(['setPin', 'verifyPin', 'generateActivationCode', 'activateCard']),
    );
    expect(audit.records.filter((r) => r.operation === 'verifyPin').map((r) => r.outcome)).toEqual([
      'success',
      'failure',
      'failure',
      'failure',
      'error',
    ]);
    for (const secret of [PAN, '8642', '9753', '2222', code, ...Object.values(CLEAR).map(api.bytesToHex)])
      expect(text).not.toContain(secret);
    expect(text).toContain('112233******7788');
  });
});
