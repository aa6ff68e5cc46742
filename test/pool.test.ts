// Mass issuance on worker threads: the same cards, in the same order, as in one thread; and a batch whose worker
// fails is retried with the same counter range, so no card is duplicated or missing.
import { describe, expect, test } from 'vitest';
import { Hsm, MemoryStore, type IssuedCard } from '../src/index.js';
import { LMK } from './helpers/hsm.js';

async function collect(cards: AsyncIterable<IssuedCard>): Promise<IssuedCard[]> {
  const out: IssuedCard[] = [];
  for await (const c of cards) out.push(c);
  return out;
}

function setup() {
  const hsm = new Hsm({ lmk: LMK, store: new MemoryStore() });
  const g = (usage: string, algorithm: 'TDES2' | 'AES256' | 'AES128') => hsm.generateKey({ usage, algorithm }).keyBlock;
  return { hsm, keys: { cvk: g('C0', 'TDES2'), panKey: g('D0', 'AES256'), pinKey: g('P0', 'TDES2'), pvk: g('V2', 'TDES2'), tokenKey: g('D0', 'AES128') } };
}

describe('worker pool', () => {
  test('2 workers give exactly the cards of 1 thread, in counter order', async () => {
    const { hsm, keys } = setup();
    const args = { bin: '457173', count: 5000, expiry: '2911', batchSize: 700, ...keys, idempotencyKey: 'pool-1' };
    const pooled = await collect(hsm.issueCards({ ...args, workers: 2 }));
    const single = await collect(hsm.issueCards({ ...args, workers: 1 }));
    expect(pooled).toHaveLength(5000);
    expect(pooled).toEqual(single);
  }, 60_000);

  test('a worker failure is retried on the same counter range: no duplicate, no missing card', async () => {
    const { hsm, keys } = setup();
    const args = { bin: '457173', count: 4000, expiry: '2911', batchSize: 500, ...keys, idempotencyKey: 'pool-2' };
    const reference = await collect(hsm.issueCards({ ...args, workers: 1 }));
    // The first worker fails the batch that starts at counter 1000 (the third batch of the run's lease).
    const faulty = await collect(hsm.issueCards({ ...args, workers: 2, _failOnceAt: 1000 } as never));
    expect(faulty).toEqual(reference);
    expect(new Set(faulty.map((c) => c.pan)).size).toBe(4000);
  }, 60_000);
});
