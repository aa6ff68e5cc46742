// Issuance as finished lines (Hsm.issueCardLines, written by assembly/cards.ts cardsWriteLines): for every card
// shape — with and without a token (numeric, alphanumeric), without PINs, with TDES and AES PIN keys, PINs too long
// for the policy bitset, short bodies (keyed shuffle) and 19-digit PANs, in this thread and in the worker pool — the
// lines are exactly JSON.stringify of the cards issueCards gives for the same idempotency key, or their ten CSV
// fields; and a bad `format` is refused like any other bad option.
import { describe, expect, test } from 'vitest';
import * as api from '../src/index.js';
import { MemoryStore, type IssuedCard } from '../src/index.js';
import { LMK, testHsm } from './helpers/hsm.js';

const h = api.hexToBytes;

function setup() {
  const hsm = testHsm({ lmk: LMK, store: new MemoryStore() });
  const imp = (usage: string, algorithm: api.KeyAlgorithm, key: string) =>
    hsm.importKeyComponents({ usage, algorithm, components: [h(key)], allowSingleComponent: true, fixParity: true })
      .keyBlock;
  const keys = {
    cvk: imp('C0', 'TDES2', '0123456789ABCDEFFEDCBA9876543210'),
    panKey: imp('D0', 'AES256', '000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F'),
    pinKey: imp('P0', 'TDES2', '0123456789ABCDEF89ABCDEF01234567'),
    aesPinKey: imp('P0', 'AES128', '2B7E151628AED2A6ABF7158809CF4F3C'),
    pvk: imp('V2', 'TDES2', 'FEDCBA98765432100123456789ABCDEF'),
    tokenKey: imp('D0', 'AES128', '000102030405060708090A0B0C0D0E0F'),
  };
  return { hsm, keys };
}

/** The oracle: a card as a JSON line (IssuedCard's key order) or as its ten CSV fields. */
function expectedLine(card: IssuedCard, format: 'jsonl' | 'csv'): string {
  if (format === 'jsonl') return JSON.stringify(card);
  const c = card;
  return [c.pan, c.lastFour, c.expiry, c.serviceCode, c.cvv, c.cvv2, c.icvv, c.token, c.pinBlock, c.pvv]
    .map((v) => v ?? '')
    .join(',');
}

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of stream) out.push(x);
  return out;
}

type Shape = { name: string; options: (k: ReturnType<typeof setup>['keys']) => Record<string, unknown> };
const RANGES: Shape[] = [
  { name: '16 digits', options: () => ({ bin: '45717360' }) },
  { name: 'a 4-digit body (keyed shuffle)', options: () => ({ bin: '45717360123', length: 16 }) },
  { name: '19 digits', options: () => ({ bin: '622126', length: 19 }) },
];
const EXTRAS: Shape[] = [
  { name: 'no PIN, no token', options: () => ({}) },
  { name: 'numeric token', options: (k) => ({ tokenKey: k.tokenKey }) },
  {
    name: 'alphanumeric token, TDES PIN',
    options: (k) => ({
      tokenKey: k.tokenKey,
      tokenOptions: { alphabet: 'alphanumeric' },
      pinKey: k.pinKey,
      pvk: k.pvk,
    }),
  },
  { name: 'AES PIN key (ISO 4)', options: (k) => ({ pinKey: k.aesPinKey, pvk: k.pvk }) },
  { name: '8-digit PINs (past the bitset)', options: (k) => ({ pinKey: k.pinKey, pvk: k.pvk, pinLength: 8 }) },
];

describe('issueCardLines', () => {
  for (const range of RANGES)
    for (const extra of EXTRAS)
      test(`${range.name}, ${extra.name}: the lines of issueCards' cards, JSON and CSV`, async () => {
        const { hsm, keys } = setup();
        const base = {
          ...range.options(keys),
          ...extra.options(keys),
          expiry: '2911',
          cvk: keys.cvk,
          panKey: keys.panKey,
          count: 150,
          batchSize: 64,
          idempotencyKey: 'lines-1',
        };
        const cards = await collect(hsm.issueCards(base as api.IssueCardsOptions));
        expect(cards).toHaveLength(150);
        for (const format of ['jsonl', 'csv'] as const) {
          const batches = (await collect(hsm.issueCardLines({ ...base, format } as api.IssueCardLinesOptions))).map(
            (b) => new TextDecoder().decode(b),
          );
          expect(batches.length).toBe(Math.ceil(150 / 64)); // one string per batch
          for (const b of batches) expect(b.endsWith('\n')).toBe(true);
          expect(batches.join('')).toBe(cards.map((c) => `${expectedLine(c, format)}\n`).join(''));
        }
      });

  test('from the worker pool, the same lines as in this thread', async () => {
    const { hsm, keys } = setup();
    const base = {
      bin: '45717360',
      expiry: '2911',
      cvk: keys.cvk,
      panKey: keys.panKey,
      pinKey: keys.pinKey,
      pvk: keys.pvk,
      tokenKey: keys.tokenKey,
      count: 1000,
      batchSize: 100,
      idempotencyKey: 'pool-1',
      format: 'jsonl' as const,
    };
    const text = async (workers: number) =>
      (await collect(hsm.issueCardLines({ ...base, workers }))).map((b) => new TextDecoder().decode(b)).join('');
    const alone = await text(1);
    const pooled = await text(2);
    expect(pooled).toBe(alone);
    expect(alone.split('\n').filter(Boolean)).toHaveLength(1000);
  });

  test('a format other than jsonl or csv: ERR_FORMAT naming `format`, when the stream is first pulled', async () => {
    const { hsm, keys } = setup();
    for (const format of ['json', 'CSV', undefined, 3, null]) {
      const stream = hsm.issueCardLines({
        bin: '45717360',
        expiry: '2911',
        cvk: keys.cvk,
        panKey: keys.panKey,
        count: 1,
        format,
      } as unknown as api.IssueCardLinesOptions);
      const error = await stream.next().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(api.CardHsmError);
      expect((error as api.CardHsmError).code).toBe('ERR_FORMAT');
      expect((error as api.CardHsmError).field).toBe('format');
    }
  });
});
