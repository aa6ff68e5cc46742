// The benchmark harness: every workload has cardhsm and its peers, measured in the same run with the
// `benchmark` package after their outputs were cross-checked, and reported as operations per second with the
// ratio cardhsm ÷ each peer.
import Benchmark from 'benchmark';

export interface Contender {
  name: string;
  /** Operations (cards, CVVs, blocks, …) one call performs. */
  ops: number;
  /** Sync workloads return nothing; async ones return a Promise (run deferred). */
  run: () => unknown;
}

export interface Workload {
  id: string;
  title: string;
  unit: string;
  cardhsm: Contender;
  peers: Contender[];
  /** Throws when any contender's output differs from cardhsm's. Runs before timing. */
  check: () => void | Promise<void>;
}

export interface Measured {
  name: string;
  opsPerSecond: number;
  rme: number;
}

export interface Row {
  id: string;
  title: string;
  unit: string;
  cardhsm: Measured;
  peers: Measured[];
}

/** A full collection between contenders (with --expose-gc), so that one's garbage does not bill the next. */
function settle(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function measure(c: Contender, maxTime: number): Promise<Measured> {
  settle();
  return new Promise((resolve, reject) => {
    const probe = c.run();
    const async = probe instanceof Promise;
    const bench = new Benchmark(c.name, {
      defer: async,
      maxTime,
      minSamples: 5,
      fn: async
        ? (d: Benchmark.Deferred) => void (c.run() as Promise<unknown>).then(() => d.resolve())
        : () => void c.run(),
      onComplete: () => resolve({ name: c.name, opsPerSecond: bench.hz * c.ops, rme: bench.stats.rme }),
      onError: (e: unknown) => reject(e),
    } as Benchmark.Options);
    void Promise.resolve(probe).then(() => bench.run({ async: true }));
  });
}

export async function runWorkload(w: Workload, maxTime: number): Promise<Row> {
  await w.check();
  const cardhsm = await measure(w.cardhsm, maxTime);
  const peers: Measured[] = [];
  for (const p of w.peers) peers.push(await measure(p, maxTime));
  return { id: w.id, title: w.title, unit: w.unit, cardhsm, peers };
}

/** Throws unless every entry of `got` equals `want` (as JSON). */
export function same(what: string, want: unknown, got: unknown): void {
  if (JSON.stringify(want) !== JSON.stringify(got))
    throw new Error(`cross-check failed: ${what} disagrees with cardhsm`);
}

export const fmt = (n: number): string =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(1);
