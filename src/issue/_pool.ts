// The issuance worker pool: mass issuance spread over worker threads (one WASM instance each), results streamed
// back in counter order. A batch whose worker fails is retried once, with the same counter range, on a fresh
// worker; if it fails again the whole run fails. Either way every counter yields its card once: never a
// duplicate, never a silent gap.
//
// The threads outlive a run: starting one costs tens of milliseconds (more than a service's whole request for a
// few thousand cards), so they are kept for the next run and ended after IDLE_MS without one. Keys do not outlive
// a run: each run sends its recipe, and its end wipes it in every worker. Idle threads do not keep the process alive.
import type { Worker } from 'node:worker_threads';
import { nodeWorkers } from '../_node.js';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CardHsmError } from '../errors.js';
import type { CardRecipe, CardText } from './_cards.js';
import { kernelModule } from '../wasm/_loader.js';

/** What a worker needs: the recipe with the PAN permutation key instead of the PanIssuer. */
export type WorkerRecipe = Omit<CardRecipe, 'issuer'> & { panKey: Uint8Array; bin: string; length: number };

export type WorkerRequest =
  | { type: 'start'; run: number; recipe: WorkerRecipe; module: object; failOnceAt?: number }
  | { type: 'batch'; run: number; id: number; start: number; count: number }
  | { type: 'end'; run: number };

type Reply = { id: number; cards?: CardText; error?: string };

/** Idle threads end after this long without a run (setPoolIdleMs changes it, for tests). */
let idleMs = 10_000;

/** Test hook: how long idle threads live (the library reads no environment: only cli/ touches process.env). */
export function setPoolIdleMs(ms: number): void {
  idleMs = ms;
}

/**
 * The built worker script, dist/issue/worker.js, found from this module: next to it (unbundled), from a shared
 * chunk in dist/chunks/ (bundled), or from the TypeScript sources in src/issue/ (tests).
 */
function workerUrl(): URL {
  for (const candidate of ['./worker.js', '../issue/worker.js', '../../dist/issue/worker.js']) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new CardHsmError(
    'ERR_INTERNAL',
    'the issuance worker script (dist/issue/worker.js) is missing: run npm run build',
  );
}

/** A copy of the recipe's keys for one worker; the caller keeps (and later zeroes) its own. */
function copyRecipe(recipe: WorkerRecipe): WorkerRecipe {
  return {
    ...recipe,
    cvk: recipe.cvk.slice(),
    panKey: recipe.panKey.slice(),
    ...(recipe.pin ? { pin: { ...recipe.pin, pinKey: recipe.pin.pinKey.slice(), pvk: recipe.pin.pvk.slice() } } : {}),
    ...(recipe.token ? { token: { ...recipe.token, key: recipe.token.key.slice() } } : {}),
  };
}

class PoolWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (cards: CardText) => void; reject: (e: Error) => void }>();
  #dead: Error | undefined;

  constructor() {
    // Node options pass on to the thread, except --input-type, which workers refuse (`node --input-type=module -e`).
    // Reading the process's flags is worker_threads plumbing: the one place outside cli/ that touches process.
    this.#worker = new (nodeWorkers().Worker)(workerUrl(), {
      execArgv: process.execArgv.filter((a) => !a.startsWith('--input-type')),
    });
    this.#worker.unref();
    this.#worker.on('message', (r: Reply) => {
      const p = this.#pending.get(r.id);
      this.#pending.delete(r.id);
      if (r.error !== undefined) p?.reject(new Error(r.error));
      else p?.resolve(r.cards!);
      if (this.#pending.size === 0) this.#worker.unref();
    });
    const fail = (e: Error) => {
      this.#dead = e;
      for (const p of this.#pending.values()) p.reject(e);
      this.#pending.clear();
    };
    this.#worker.on('error', fail);
    this.#worker.on('exit', (code) => fail(new Error(`worker exited with code ${code}`)));
  }

  get alive(): boolean {
    return this.#dead === undefined;
  }

  start(run: number, recipe: WorkerRecipe, failOnceAt?: number): void {
    if (this.alive)
      this.#worker.postMessage({
        type: 'start',
        run,
        recipe: copyRecipe(recipe),
        module: kernelModule(),
        failOnceAt,
      } satisfies WorkerRequest);
  }

  end(run: number): void {
    if (this.alive) this.#worker.postMessage({ type: 'end', run } satisfies WorkerRequest);
  }

  batch(run: number, id: number, start: number, count: number): Promise<CardText> {
    if (this.#dead) return Promise.reject(this.#dead);
    // Referenced while answers are due, so that a run keeps the process alive until its last card.
    this.#worker.ref();
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ type: 'batch', run, id, start, count } satisfies WorkerRequest);
    });
  }

  async terminate(): Promise<void> {
    this.#dead ??= new Error('worker terminated');
    await this.#worker.terminate();
  }
}

// The process's pool: threads shared by every run, the number of runs using them, and the idle timer.
const pool: PoolWorker[] = [];
let runs = 0;
let nextRun = 0;
let nextId = 0;
let idle: ReturnType<typeof setTimeout> | undefined;

/** `n` live threads for a run, started as needed. */
function acquire(n: number): PoolWorker[] {
  clearTimeout(idle);
  runs++;
  for (let i = pool.length - 1; i >= 0; i--) if (!pool[i]!.alive) pool.splice(i, 1);
  while (pool.length < n) pool.push(new PoolWorker());
  return pool.slice(0, n);
}

function release(): void {
  if (--runs > 0) return;
  idle = setTimeout(() => void closeIssuancePool(), idleMs);
  idle.unref();
}

/**
 * Ends the issuance pool's worker threads now (they also end by themselves after 10 s without a run and never keep
 * the process alive, so most programs never call this); resolves when they have exited. The example runs a small
 * issuance on one worker thread, then ends it. Its first PAN was computed with this library.
 * @example
 * const pans = []
 * for await (const card of hsm.issueCards({ bin: '45717360', count: 20, batchSize: 10, expiry: '2911', cvk: keys.cvk, panKey: keys.aesDek, workers: 1 })) pans.push(card.pan)
 * [pans.length, pans[0]] // => [20, '4571736089111496']
 * await closeIssuancePool() // => undefined
 */
export async function closeIssuancePool(): Promise<void> {
  clearTimeout(idle);
  await Promise.all(pool.splice(0).map((w) => w.terminate()));
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
export async function* issueInPool(
  recipe: WorkerRecipe,
  ranges: AsyncIterable<[number, number]> | Iterable<[number, number]>,
  batchSize: number,
  options: PoolOptions,
): AsyncGenerator<CardText> {
  const run = nextRun++;
  const workers = acquire(options.workers);
  for (const [i, w] of workers.entries()) w.start(run, recipe, i === 0 ? options.failOnceAt : undefined);
  let turn = 0;
  const inFlight: Array<{ start: number; count: number; result: Promise<CardText> }> = [];
  const submit = (start: number, count: number) => {
    const alive = workers.filter((w) => w.alive);
    const w = alive[turn++ % Math.max(1, alive.length)];
    const result = w ? w.batch(run, nextId++, start, count) : Promise.reject(new Error('no worker alive'));
    result.catch(() => {}); // handled when awaited, in order
    inFlight.push({ start, count, result });
  };
  const retryOnce = async (start: number, count: number): Promise<CardText> => {
    const fresh = new PoolWorker();
    try {
      fresh.start(run, recipe);
      return await fresh.batch(run, nextId++, start, count);
    } catch (e) {
      throw new CardHsmError(
        'ERR_INTERNAL',
        `issuance worker failed twice on counters ${start}..${start + count - 1}: ${(e as Error).message}`,
      );
    } finally {
      await fresh.terminate();
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
    // Batches still in flight (a consumer that stopped early) finish unread; the end wipes the run's keys after them.
    for (const w of workers) w.end(run);
    release();
  }
}
