// A worker thread of the issuance pool. Per run it receives the recipe (clear keys, copied into this thread),
// then counter ranges, answering each with the complete cards as the kernel's text records; the run's end zeroes
// its keys. The thread itself stays for later runs (see pool.ts).
import { parentPort } from 'node:worker_threads';
import { PanIssuer } from './pan.js';
import { cardTextAt, type CardRecipe } from './_cards.js';
import type { WorkerRequest } from './_pool.js';
import { useKernelModule } from '../wasm/_loader.js';

const runs = new Map<number, { recipe: CardRecipe; failOnce: number | undefined }>();

function wipe(r: CardRecipe): void {
  r.issuer.wipe();
  r.cvk.fill(0);
  r.pin?.pinKey.fill(0);
  r.pin?.pvk.fill(0);
  r.token?.key.fill(0);
}

parentPort!.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'start') {
    useKernelModule(msg.module);
    const r = msg.recipe;
    runs.set(msg.run, {
      recipe: { ...r, issuer: new PanIssuer({ key: r.panKey, bin: r.bin, length: r.length }) },
      failOnce: msg.failOnceAt,
    });
    r.panKey.fill(0);
    return;
  }
  if (msg.type === 'end') {
    const run = runs.get(msg.run);
    if (run) wipe(run.recipe);
    runs.delete(msg.run);
    return;
  }
  try {
    const run = runs.get(msg.run);
    if (!run) throw new Error(`no recipe for run ${msg.run}`);
    if (run.failOnce === msg.start) {
      run.failOnce = undefined;
      throw new Error('injected failure');
    }
    const cards = cardTextAt(run.recipe, msg.start, msg.count);
    // Lines travel as bytes: transferred, not copied (and this thread keeps no copy of the card data).
    parentPort!.postMessage({ id: msg.id, cards }, cards.lines ? [cards.lines.buffer as ArrayBuffer] : []);
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) });
  }
});
