// README's main job end to end: `cardhsm issue --count 1000000 --out cards.jsonl` (the built CLI, the SQLite
// store, development keys, a fresh process per run, timed from spawn to exit), beside the library's pooled
// issueCards rate for the same cards in a fresh process (timed from the call to the last card). The CLI adds
// start-up, JSON lines, the file and its digest; the target is that all of it costs at most a fifth.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const CLI = join(DIST, 'cli', 'main.js');
const RUNS = 3;

function cli(cwd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cardhsm ${args.join(' ')} failed: ${r.stderr}`);
  return (performance.now() - t0) / 1000;
}

/** The library's rate for `count` cards with the folder's development keys and store, in a fresh process. */
function library(cwd: string, count: number): number {
  const dev = JSON.parse(readFileSync(join(cwd, 'cardhsm-dev.json'), 'utf8')) as {
    lmk: string;
    keys: Record<string, string>;
  };
  const script = `
    const { Hsm, hexToBytes } = await import(${JSON.stringify(join(DIST, 'index.js'))});
    const { SqliteStore } = await import(${JSON.stringify(join(DIST, 'store', 'sqlite.js'))});
    const store = new SqliteStore({ path: ${JSON.stringify(join(cwd, 'cardhsm.db'))} });
    const hsm = new Hsm({ lmk: hexToBytes(${JSON.stringify(dev.lmk)}), store, activities: 'issuance' });
    const t0 = performance.now();
    let n = 0;
    for await (const _ of hsm.issueCards({ bin: '45717360', count: ${count}, monthsToExpiration: 36, ...${JSON.stringify(dev.keys)} })) n++;
    const seconds = (performance.now() - t0) / 1000;
    await store.close();
    const { closeIssuancePool } = await import(${JSON.stringify(join(DIST, 'index.js'))});
    await closeIssuancePool();
    console.log(n / seconds);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`library issuance failed: ${r.stderr}`);
  return Number(r.stdout.trim());
}

/** Medians of RUNS alternating runs: the CLI's end-to-end rate and the library's, in cards per second. */
export function cliIssuance(quick: boolean): { count: number; runs: number; cli: number; library: number } {
  const count = quick ? 200_000 : 1_000_000;
  const cwd = mkdtempSync(join(tmpdir(), 'cardhsm-bench-cli-'));
  try {
    cli(cwd, ['issue', '--bin', '45717360', '--count', '1000', '--out', 'warm.jsonl']); // development LMK, keys, store
    const cliRates: number[] = [];
    const libRates: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      cliRates.push(
        count / cli(cwd, ['issue', '--bin', '45717360', '--count', String(count), '--out', `cards-${i}.jsonl`]),
      );
      rmSync(join(cwd, `cards-${i}.jsonl`));
      libRates.push(library(cwd, count));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[RUNS >> 1]!;
    return { count, runs: RUNS, cli: median(cliRates), library: median(libRates) };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}
