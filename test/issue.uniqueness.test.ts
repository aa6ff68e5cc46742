// The PAN uniqueness proof: PANs issued by 4 processes sharing a PostgreSQL store, two of them killed with
// SIGKILL mid-run and restarted: zero duplicates, all Luhn-valid, all within the prefix and length, and the
// digits of every account position uniform (chi-square). CI runs 200,000 PANs; the full proof runs 10 million:
//   CARDHSM_PROOF_PANS=10000000 npx vitest run --dir test test/issue.uniqueness.test.ts
import { afterAll, expect, test, describe } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bytesToHex, isLuhnValid } from '../src/index.js';
import { PostgresStore } from '../src/store/postgres.js';
import { postgresAvailable, startPostgres, type Postgres } from './helpers/postgres.js';
import { LMK, testHsm } from './helpers/hsm.js';

const WORKER = fileURLToPath(new URL('./helpers/issue-worker.mjs', import.meta.url));
const TOTAL = Number(process.env.CARDHSM_PROOF_PANS ?? 200_000);
const BIN = '457173';
const LENGTH = 16;
const BODY = LENGTH - BIN.length - 1;

function start(job: Record<string, unknown>): { child: ChildProcess; done: Promise<number | null> } {
  const child = spawn(process.execPath, [WORKER, JSON.stringify(job)], { stdio: ['ignore', 'ignore', 'inherit'] });
  return { child, done: new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ? null : code))) };
}

/** Whole lines of a file (a SIGKILL may leave a partial last line, which was never a delivered PAN). */
function wholeLines(path: string): string[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'latin1');
  const lines = text.split('\n');
  lines.pop(); // '' after the last newline, or the partial line
  return lines;
}

let server: Postgres | undefined;
const dir = mkdtempSync(join(tmpdir(), 'cardhsm-proof-'));
afterAll(() => {
  server?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

// Without PostgreSQL binaries a local run reports these as skipped (with a SKIP line); CI requires them.
describe.skipIf(!postgresAvailable())('on PostgreSQL', () => {
  test(`${TOTAL.toLocaleString('en-US')} PANs from 4 processes, 2 killed and restarted: unique, valid, uniform`, async () => {
    server = await startPostgres();
    const hsm = testHsm({ lmk: LMK });
    const cvk = hsm.generateKey({ usage: 'C0', algorithm: 'TDES2' }).keyBlock;
    const panKey = hsm.generateKey({ usage: 'D0', algorithm: 'AES256' }).keyBlock;
    const share = TOTAL / 4;
    const batchSize = Math.max(1000, Math.min(20_000, share / 20));
    const job = (i: number, run: number, count: number) => ({
      url: server!.url,
      lmk: bytesToHex(LMK),
      bin: BIN,
      length: LENGTH,
      cvk,
      panKey,
      batchSize,
      count,
      out: join(dir, `w${i}-r${run}.txt`),
    });

    const first = [0, 1, 2, 3].map((i) => start({ ...job(i, 0, share), pauseMs: i < 2 ? 25 : 0 }));
    // Kill workers 0 and 1 with SIGKILL once each has delivered about a third of its share (mid-lease: it holds a
    // leased batch it has not finished writing).
    for (const i of [0, 1]) {
      const out = job(i, 0, share).out;
      while (!existsSync(out) || statSync(out).size < (share / 3) * (LENGTH + 1))
        await new Promise((r) => setTimeout(r, 20));
      first[i]!.child.kill('SIGKILL');
    }
    const codes = await Promise.all(first.map((w) => w.done));
    expect(codes).toEqual([null, null, 0, 0]);
    // Restart them for the rest of their share.
    const restarts = [0, 1].map((i) => start(job(i, 1, share - wholeLines(job(i, 0, share).out).length)));
    expect(await Promise.all(restarts.map((w) => w.done))).toEqual([0, 0]);

    const pans = [0, 1, 2, 3].flatMap((i) => [0, 1].flatMap((run) => wholeLines(job(i, run, 0).out)));
    expect(pans.length).toBe(TOTAL);
    const bodies = new Float64Array(pans.length);
    const counts = Array.from({ length: BODY }, () => new Array<number>(10).fill(0));
    let bad = 0;
    pans.forEach((pan, n) => {
      if (pan.length !== LENGTH || !pan.startsWith(BIN) || !isLuhnValid(pan)) bad++;
      const body = pan.slice(BIN.length, -1);
      bodies[n] = Number(body);
      for (let p = 0; p < BODY; p++) counts[p]![body.charCodeAt(p) - 48]!++;
    });
    expect(bad).toBe(0);
    bodies.sort();
    let duplicates = 0;
    for (let n = 1; n < bodies.length; n++) if (bodies[n] === bodies[n - 1]) duplicates++;
    expect(duplicates).toBe(0);
    // Each position's digits against uniform, 9 degrees of freedom. 50 is the critical value for p = 1e-6/9
    // (Bonferroni over the positions, Wilson-Hilferty): a correct permutation fails less than once in 10^6 runs.
    for (const c of counts) {
      const expected = pans.length / 10;
      const chi2 = c.reduce((s, x) => s + (x - expected) ** 2 / expected, 0);
      expect(chi2).toBeLessThan(50);
    }
    // Gaps, never duplicates: the store leased at least as many counters as were delivered.
    const store = new PostgresStore({ connectionString: server.url });
    const leased = await testHsm({ lmk: LMK, store }).panCapacity({ bin: BIN, length: LENGTH });
    await store.close();
    expect(leased.issued).toBeGreaterThanOrEqual(TOTAL);
    console.log(
      `PAN proof: ${pans.length} PANs delivered, ${leased.issued} counters leased (${leased.issued - pans.length} lost as gaps), 0 duplicates`,
    );
  }, 1_800_000);
});
