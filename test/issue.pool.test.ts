// Mass issuance on worker threads: the same cards, in the same order, as in one thread; and a batch whose worker
// fails is retried with the same counter range, so no card is duplicated or missing.
import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MemoryStore, PanIssuer, type IssuedCard } from '../src/index.js';
import { cardsFromText, cardTextAt, type CardRecipe } from '../src/issue/_cards.js';
import { issueInPool } from '../src/issue/_pool.js';
import { LMK, testHsm } from './helpers/hsm.js';

async function collect(cards: AsyncIterable<IssuedCard>): Promise<IssuedCard[]> {
  const out: IssuedCard[] = [];
  for await (const c of cards) out.push(c);
  return out;
}

function setup() {
  const hsm = testHsm({ lmk: LMK, store: new MemoryStore() });
  const g = (usage: string, algorithm: 'TDES2' | 'AES256' | 'AES128') => hsm.generateKey({ usage, algorithm }).keyBlock;
  return {
    hsm,
    keys: {
      cvk: g('C0', 'TDES2'),
      panKey: g('D0', 'AES256'),
      pinKey: g('P0', 'TDES2'),
      pvk: g('V2', 'TDES2'),
      tokenKey: g('D0', 'AES128'),
    },
  };
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
    // The pool's own test seam (PoolOptions.failOnceAt): the first worker fails the batch that starts at counter 1000.
    const recipe: CardRecipe = {
      issuer: new PanIssuer({ key: new Uint8Array(32).fill(3), bin: '457173', length: 16 }),
      cvk: new Uint8Array(16).fill(4),
      expiry: '2911',
      serviceCode: '101',
    };
    const reference = cardsFromText(recipe, cardTextAt(recipe, 0, 4000));
    const faulty: IssuedCard[] = [];
    const worker = { ...recipe, panKey: new Uint8Array(32).fill(3), bin: '457173', length: 16 };
    for await (const batch of issueInPool(worker, [[0, 4000]], 500, { workers: 2, failOnceAt: 1000 }))
      faulty.push(...cardsFromText(recipe, batch));
    expect(faulty).toEqual(reference);
    expect(new Set(faulty.map((c) => c.pan)).size).toBe(4000);
  }, 60_000);

  test('concurrent runs share the threads without mixing their recipes', async () => {
    const a = setup();
    const b = setup(); // other keys
    const args = { bin: '457173', count: 3000, expiry: '2911', batchSize: 400 };
    const [pa, pb] = await Promise.all([
      collect(a.hsm.issueCards({ ...args, ...a.keys, workers: 2, idempotencyKey: 'a' })),
      collect(b.hsm.issueCards({ ...args, ...b.keys, workers: 2, idempotencyKey: 'b' })),
    ]);
    expect(pa).toEqual(await collect(a.hsm.issueCards({ ...args, ...a.keys, workers: 1, idempotencyKey: 'a' })));
    expect(pb).toEqual(await collect(b.hsm.issueCards({ ...args, ...b.keys, workers: 1, idempotencyKey: 'b' })));
    expect(pa[0]!.cvv === pb[0]!.cvv && pa[0]!.pan === pb[0]!.pan && pa[1]!.cvv === pb[1]!.cvv).toBe(false);
  }, 60_000);

  test('a process whose pooled run is over exits by itself: idle threads do not hold it', () => {
    // An idle timeout far beyond the test's own, so only unreferenced threads can let the child exit in time.
    const script = `
      import { Hsm, MemoryStore } from '${new URL('../src/index.ts', import.meta.url).href}';
      import { setPoolIdleMs } from '${new URL('../src/issue/_pool.ts', import.meta.url).href}';
      setPoolIdleMs(3_600_000);
      const hsm = new Hsm({ lmk: new Uint8Array(32).fill(7), store: new MemoryStore(), activities: ['keys.generate', 'issue'] });
      const g = (usage, algorithm) => hsm.generateKey({ usage, algorithm }).keyBlock;
      let n = 0;
      for await (const _ of hsm.issueCards({ bin: '457173', count: 2000, batchSize: 250, expiry: '2911', cvk: g('C0', 'TDES2'), panKey: g('D0', 'AES256'), workers: 2 })) n++;
      console.log(n);`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 50_000,
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    expect(child.signal).toBeNull();
    expect(child.stdout.trim()).toBe('2000');
    expect(child.status).toBe(0);
  }, 60_000);
});
