// The issuance worker pool: mass issuance spread over worker threads (one WASM instance each), results streamed
// back in counter order. A batch whose worker fails is retried once, with the same counter range, on a fresh
// worker; if it fails again the whole run fails. Either way every counter yields its card once: never a
// duplicate, never a silent gap.
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CardHsmError } from '../errors.js';
import type { CardRecipe, CardText } from './cards.js';
import { kernelModule } from '../wasm/loader.js';

/** What a worker needs: the recipe with the PAN permutation key instead of the PanIssuer. */
export type WorkerRecipe = Omit<CardRecipe, 'issuer'> & { panKey: Uint8Array; bin: string; length: number };

export type WorkerRequest =
  | { type: 'init'; recipe: WorkerRecipe; module: object; failOnceAt?: number }
  | { type: 'batch'; id: number; start: number; count: number }
  | { type: 'close' };

type Reply = { id: number; cards?: CardText; error?: string };

/**
 * The built worker script, dist/issue/worker.js, found from this module: next to it (unbundled), from a shared
 * chunk in dist/chunks/ (bundled), or from the TypeScript sources in src/issue/ (tests).
 */
function workerUrl(): URL {
  for (const candidate of ['./worker.js', '../issue/worker.js', '../../dist/issue/worker.js']) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new CardHsmError('ERR_INTERNAL', 'the issuance worker script (dist/issue/worker.js) is missing: run npm run build');
}

class PoolWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (cards: CardText) => void; reject: (e: Error) => void }>();
  #dead: Error | undefined;

  constructor(recipe: WorkerRecipe, failOnceAt: number | undefined) {
    this.#worker = new Worker(workerUrl());
    this.#worker.on('message', (r: Reply) => {
      const p = this.#pending.get(r.id);
      this.#pending.delete(r.id);
      if (r.error !== undefined) p?.reject(new Error(r.error));
      else p?.resolve(r.cards!);
    });
    const fail = (e: Error) => {
      this.#dead = e;
      for (const p of this.#pending.values()) p.reject(e);
      this.#pending.clear();
    };
    this.#worker.on('error', fail);
    this.#worker.on('exit', (code) => fail(new Error(`worker exited with code ${code}`)));
    // Keys are copied into the worker; the caller keeps (and later zeroes) its own.
    const copy: WorkerRecipe = {
      ...recipe,
      cvk: recipe.cvk.slice(),
      panKey: recipe.panKey.slice(),
      ...(recipe.pin ? { pin: { ...recipe.pin, pinKey: recipe.pin.pinKey.slice(), pvk: recipe.pin.pvk.slice() } } : {}),
      ...(recipe.token ? { token: { ...recipe.token, key: recipe.token.key.slice() } } : {}),
    };
    this.#worker.postMessage({ type: 'init', recipe: copy, module: kernelModule(), failOnceAt } satisfies WorkerRequest);
  }

  get alive(): boolean {
    return this.#dead === undefined;
  }

  run(id: number, start: number, count: number): Promise<CardText> {
    if (this.#dead) return Promise.reject(this.#dead);
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ type: 'batch', id, start, count } satisfies WorkerRequest);
    });
  }

  async close(): Promise<void> {
    if (this.#dead) return;
    this.#worker.postMessage({ type: 'close' } satisfies WorkerRequest);
    await this.#worker.terminate();
  }
}

export interface PoolOptions {
  workers: number;
  /** Test hook: the first worker fails the batch starting at this counter once. */
  failOnceAt?: number;
}

/**
 * Computes the cards for `ranges` (counter [start, end) runs, split into `batchSize` batches) on `workers`
 * threads, yielding them in counter order, at most two batches per worker in flight.
 */
export async function* issueInPool(recipe: WorkerRecipe, ranges: AsyncIterable<[number, number]> | Iterable<[number, number]>, batchSize: number, options: PoolOptions): AsyncGenerator<CardText> {
  const workers = Array.from({ length: options.workers }, (_, i) => new PoolWorker(recipe, i === 0 ? options.failOnceAt : undefined));
  let nextId = 0;
  let turn = 0;
  const inFlight: Array<{ start: number; count: number; result: Promise<CardText> }> = [];
  const submit = (start: number, count: number) => {
    const alive = workers.filter((w) => w.alive);
    const w = alive[turn++ % Math.max(1, alive.length)];
    const result = w ? w.run(nextId++, start, count) : Promise.reject(new Error('no worker alive'));
    result.catch(() => {}); // handled when awaited, in order
    inFlight.push({ start, count, result });
  };
  const retryOnce = async (start: number, count: number): Promise<CardText> => {
    const fresh = new PoolWorker(recipe, undefined);
    try {
      return await fresh.run(nextId++, start, count);
    } catch (e) {
      throw new CardHsmError('ERR_INTERNAL', `issuance worker failed twice on counters ${start}..${start + count - 1}: ${(e as Error).message}`);
    } finally {
      await fresh.close();
    }
  };
  try {
    for await (const [start, end] of ranges) {
      for (let at = start; at < end; at += batchSize) {
        submit(at, Math.min(batchSize, end - at));
        while (inFlight.length >= 2 * workers.length) {
          const head = inFlight.shift()!;
          yield await head.result.catch(() => retryOnce(head.start, head.count));
        }
      }
    }
    while (inFlight.length > 0) {
      const head = inFlight.shift()!;
      yield await head.result.catch(() => retryOnce(head.start, head.count));
    }
  } finally {
    await Promise.all(workers.map((w) => w.close()));
  }
}
