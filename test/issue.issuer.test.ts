// Card issuance (src/issue/issuer.ts, through the Hsm): mass and instant issuance with every value checked against
// the clear-key primitives, idempotency, capacity and exhaustion, and reissue.
import { describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as api from '../src/index.js';
import { MemoryStore, type IssuedCard } from '../src/index.js';
import { SqliteStore } from '../src/store/sqlite.js';
import { LMK, testHsm } from './helpers/hsm.js';

const AES = api.hexToBytes('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F');
const h = api.hexToBytes;

function setup(store: api.Store = new MemoryStore()) {
  const hsm = testHsm({ lmk: LMK, store });
  const imp = (usage: string, algorithm: api.KeyAlgorithm, key: string) =>
    hsm.importKeyComponents({ usage, algorithm, components: [h(key)], allowSingleComponent: true, fixParity: true })
      .keyBlock;
  const clear = {
    cvk: '0123456789ABCDEFFEDCBA9876543210',
    panKey: api.bytesToHex(AES),
    pinKey: '0123456789ABCDEF89ABCDEF01234567',
    pvk: 'FEDCBA98765432100123456789ABCDEF',
    tokenKey: '2B7E151628AED2A6ABF7158809CF4F3C',
  };
  const keys = {
    cvk: imp('C0', 'TDES2', clear.cvk),
    panKey: imp('D0', 'AES256', clear.panKey),
    pinKey: imp('P0', 'TDES2', clear.pinKey),
    pvk: imp('V2', 'TDES2', clear.pvk),
    tokenKey: imp('D0', 'AES128', clear.tokenKey),
  };
  return { hsm, keys, clear, store };
}

/** Every value of a card, recomputed with the clear-key primitives. */
function checkCard(card: IssuedCard, clear: ReturnType<typeof setup>['clear']): void {
  expect(api.isLuhnValid(card.pan)).toBe(true);
  expect(card.lastFour).toBe(card.pan.slice(-4));
  expect(card.cvv).toBe(api.generateCvv(h(clear.cvk), card.pan, card.expiry, card.serviceCode));
  expect(card.cvv2).toBe(api.generateCvv2(h(clear.cvk), card.pan, card.expiry));
  expect(card.icvv).toBe(api.generateIcvv(h(clear.cvk), card.pan, card.expiry));
  if (card.token) expect(api.detokenizePan(h(clear.tokenKey), card.token)).toBe(card.pan);
  if (card.pinBlock) {
    const pin = api.decodePinBlockIso0(api.tdesDecryptEcb(h(clear.pinKey), h(card.pinBlock)), card.pan);
    expect(api.checkPinPolicy(pin)).toEqual({ ok: true });
    expect(card.pvv).toBe(api.generateVisaPvv(h(clear.pvk), card.pan, '1', pin));
  }
}

async function collect(cards: AsyncIterable<IssuedCard>): Promise<IssuedCard[]> {
  const out: IssuedCard[] = [];
  for await (const c of cards) out.push(c);
  return out;
}

describe('issueCards (mass issuance)', () => {
  test('every card complete and correct; unique; progress reported', async () => {
    const { hsm, keys, clear } = setup();
    const progress: number[] = [];
    const cards = await collect(
      hsm.issueCards({
        bin: '45717360',
        count: 2500,
        expiry: '2811',
        batchSize: 1000,
        ...keys,
        onProgress: (p) => progress.push(p.issued),
      }),
    );
    expect(cards).toHaveLength(2500);
    expect(new Set(cards.map((c) => c.pan)).size).toBe(2500);
    expect(progress).toEqual([1000, 2000, 2500]);
    for (const c of cards.slice(0, 300)) checkCard(c, clear);
    expect(cards[0]).toMatchObject({ expiry: '2811', serviceCode: '101' });
    expect(Object.keys(cards[0]!).sort()).toEqual([
      'cvv',
      'cvv2',
      'expiry',
      'icvv',
      'lastFour',
      'pan',
      'pinBlock',
      'pvv',
      'serviceCode',
      'token',
    ]);
  });

  test('without PIN or token keys the cards carry neither; monthsToExpiration; both expiry forms refused', async () => {
    const { hsm, keys } = setup();
    const [card] = await collect(
      hsm.issueCards({ bin: '45717360', count: 1, cvk: keys.cvk, panKey: keys.panKey, monthsToExpiration: 12 }),
    );
    expect(card!.token).toBeUndefined();
    expect(card!.pinBlock).toBeUndefined();
    const now = new Date();
    const expected = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 12, 1));
    expect(card!.expiry).toBe(
      String(expected.getUTCFullYear() % 100).padStart(2, '0') + String(expected.getUTCMonth() + 1).padStart(2, '0'),
    );
    await expect(
      collect(
        hsm.issueCards({
          bin: '45717360',
          count: 1,
          cvk: keys.cvk,
          panKey: keys.panKey,
          expiry: '2811',
          monthsToExpiration: 12,
        }),
      ),
    ).rejects.toMatchObject({ code: 'ERR_FORMAT', field: 'expiry' });
    await expect(
      collect(hsm.issueCards({ bin: '45717360', count: 1, cvk: keys.cvk, panKey: keys.panKey, pinKey: keys.pinKey })),
    ).rejects.toMatchObject({ code: 'ERR_FORMAT', field: 'pvk' });
  });

  test('the same idempotency key returns the same cards; other parameters are refused', async () => {
    const { hsm, keys } = setup();
    const args = { bin: '45717360', count: 300, expiry: '2811', ...keys, idempotencyKey: 'batch-2026-11-22' };
    const first = await collect(hsm.issueCards(args));
    const again = await collect(hsm.issueCards(args));
    expect(again).toEqual(first);
    expect(await hsm.panCapacity({ bin: '45717360' })).toMatchObject({ issued: 300 });
    await expect(collect(hsm.issueCards({ ...args, count: 301 }))).rejects.toMatchObject({ code: 'ERR_IDEMPOTENCY' });
    const other = await collect(hsm.issueCards({ ...args, idempotencyKey: 'batch-2' }));
    expect(other.some((c) => first.some((f) => f.pan === c.pan))).toBe(false);
  });

  test('a prefix stays bound to its first permutation key', async () => {
    const { hsm, keys } = setup();
    await collect(hsm.issueCards({ bin: '45717360', count: 1, cvk: keys.cvk, panKey: keys.panKey }));
    const otherKey = hsm.generateKey({ usage: 'D0', algorithm: 'AES256' }).keyBlock;
    await expect(
      collect(hsm.issueCards({ bin: '45717360', count: 1, cvk: keys.cvk, panKey: otherKey })),
    ).rejects.toMatchObject({ code: 'ERR_KEY_USAGE', field: 'panKey' });
    expect((await collect(hsm.issueCards({ bin: '45717361', count: 1, cvk: keys.cvk, panKey: otherKey }))).length).toBe(
      1,
    );
  });

  test('capacity and exhaustion', async () => {
    const { hsm, keys } = setup();
    const bin = '45717360123'; // 11 digits + 1 body digit + check digit = 13: ten PANs in all
    expect(await hsm.panCapacity({ bin, length: 13 })).toEqual({ issued: 0, remaining: 10 });
    const cards = await collect(hsm.issueCards({ bin, length: 13, count: 10, cvk: keys.cvk, panKey: keys.panKey }));
    expect(new Set(cards.map((c) => c.pan)).size).toBe(10);
    expect(await hsm.panCapacity({ bin, length: 13 })).toEqual({ issued: 10, remaining: 0 });
    await expect(hsm.issueCard({ bin, length: 13, cvk: keys.cvk, panKey: keys.panKey })).rejects.toMatchObject({
      code: 'ERR_RANGE_EXHAUSTED',
    });
  });

  test('instant cards use a range to its last PAN (their leases of 100 may come back shorter)', async () => {
    const { hsm, keys } = setup();
    const bin = '45717360123'; // ten PANs in all, fewer than one lease
    const pans = new Set<string>();
    for (let i = 0; i < 10; i++)
      pans.add((await hsm.issueCard({ bin, length: 13, cvk: keys.cvk, panKey: keys.panKey })).pan);
    expect(pans.size).toBe(10);
    await expect(hsm.issueCard({ bin, length: 13, cvk: keys.cvk, panKey: keys.panKey })).rejects.toMatchObject({
      code: 'ERR_RANGE_EXHAUSTED',
    });
  });
});

describe('issueCard (instant) and reissueCard', () => {
  test('instant cards are unique across Hsm instances sharing a store (two processes on one SQLite file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cardhsm-issue-'));
    const a = setup(new SqliteStore({ path: join(dir, 's.db') }));
    const b = testHsm({ lmk: LMK, store: new SqliteStore({ path: join(dir, 's.db') }) });
    const pans = new Set<string>();
    for (let i = 0; i < 150; i++) {
      pans.add((await a.hsm.issueCard({ bin: '45717360', expiry: '2811', ...a.keys })).pan);
      pans.add((await b.issueCard({ bin: '45717360', expiry: '2811', ...a.keys })).pan);
    }
    expect(pans.size).toBe(300);
    checkCard(await a.hsm.issueCard({ bin: '45717360', expiry: '2811', ...a.keys }), a.clear);
    rmSync(dir, { recursive: true, force: true });
  });

  test('LOST/STOLEN: a new number; DAMAGED/EXPIRED/EMERGENCY: same number, new expiry and CVVs, no new PIN', async () => {
    const { hsm, keys, clear, store } = setup();
    const card = await hsm.issueCard({ bin: '45717360', expiry: '2811', ...keys });
    const stolen = await hsm.reissueCard({ pan: card.pan, reason: 'STOLEN', bin: '45717360', expiry: '2911', ...keys });
    expect(stolen.pan).not.toBe(card.pan);
    checkCard(stolen, clear);
    expect(await store.getSetting(hsm.cardRef(card.pan), 'replacedBy')).toBe(hsm.cardRef(stolen.pan));
    const damaged = await hsm.reissueCard({
      pan: card.pan,
      reason: 'DAMAGED',
      bin: '45717360',
      expiry: '2911',
      ...keys,
    });
    expect(damaged.pan).toBe(card.pan);
    expect(damaged.expiry).toBe('2911');
    expect(damaged.pinBlock).toBeUndefined();
    expect(damaged.token).toBe(card.token);
    checkCard(damaged, clear);
    await expect(
      hsm.reissueCard({ pan: card.pan, reason: 'BROKEN' as never, bin: '45717360', ...keys }),
    ).rejects.toMatchObject({ code: 'ERR_FORMAT', field: 'reason' });
  });
});
