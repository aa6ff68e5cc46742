// Soak checks for the performance issue: WASM memory never grows over 10 million operations, and the process's
// RSS stays flat while 10 million issued cards stream to a file. `npx tsx bench/soak.ts [--cards N] [--ops N]`.
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCvvBatch } from '../src/index.js';
import { kernel } from '../src/wasm/_loader.js';
import { CARDS, CVK } from './cvv.bench.js';
import { issuerHsm, BIN, EXPIRY } from './issue.bench.js';

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};

async function main(): Promise<void> {
  const ops = arg('--ops', 10_000_000);
  const before = kernel().x.memory.buffer.byteLength;
  for (let done = 0; done < ops; done += CARDS.length) generateCvvBatch(CVK, CARDS);
  const after = kernel().x.memory.buffer.byteLength;
  console.log(
    `WASM memory over ${ops.toLocaleString('en-US')} CVVs: ${before} -> ${after} bytes (${after === before ? 'PASS: no growth' : 'FAIL: grew'})`,
  );

  const cards = arg('--cards', 10_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'cardhsm-soak-'));
  const out = createWriteStream(join(dir, 'cards.jsonl'));
  const { hsm, keys } = issuerHsm();
  const samples: number[] = [];
  let n = 0;
  const t0 = performance.now();
  for await (const card of hsm.issueCards({ bin: BIN, count: cards, expiry: EXPIRY, ...keys })) {
    if (!out.write(`${JSON.stringify(card)}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
    if (++n % 500_000 === 0) samples.push(process.memoryUsage().rss);
  }
  await new Promise<void>((r) => out.end(() => r()));
  rmSync(dir, { recursive: true, force: true });
  const mb = (b: number) => (b / 2 ** 20).toFixed(0);
  const settled = samples.slice(Math.min(2, samples.length - 1));
  const growth = settled.length > 1 ? settled.at(-1)! - settled[0]! : 0;
  console.log(
    `streamed ${n.toLocaleString('en-US')} cards in ${((performance.now() - t0) / 1000).toFixed(0)} s; RSS every 500,000 cards (MiB): ${samples.map(mb).join(' ')}`,
  );
  console.log(
    `RSS after warm-up changed by ${mb(growth)} MiB (${Math.abs(growth) < 64 * 2 ** 20 ? 'PASS: flat' : 'FAIL: growing'})`,
  );
}

await main();
