// A worker thread of the issuance pool: receives the recipe (clear keys, copied into this thread) once, then
// counter ranges, and answers each with the complete cards for it, as the kernel's text records. Its keys are zeroed when the pool closes it.
import { parentPort } from 'node:worker_threads';
import { PanIssuer } from './pan.js';
import { cardTextAt, type CardRecipe } from './cards.js';
import type { WorkerRecipe, WorkerRequest } from './pool.js';
import { useKernelModule } from '../wasm/loader.js';

let recipe: CardRecipe | undefined;
let failOnce: number | undefined;

function wipe(r: CardRecipe | undefined): void {
  r?.cvk.fill(0);
  r?.pin?.pinKey.fill(0);
  r?.pin?.pvk.fill(0);
  r?.token?.key.fill(0);
}

parentPort!.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'init') {
    useKernelModule(msg.module);
    const r: WorkerRecipe = msg.recipe;
    recipe = { ...r, issuer: new PanIssuer({ key: r.panKey, bin: r.bin, length: r.length }) };
    r.panKey.fill(0);
    failOnce = msg.failOnceAt;
    return;
  }
  if (msg.type === 'close') {
    wipe(recipe);
    recipe = undefined;
    parentPort!.close();
    return;
  }
  try {
    if (failOnce === msg.start) {
      failOnce = undefined;
      throw new Error('injected failure');
    }
    parentPort!.postMessage({ id: msg.id, cards: cardTextAt(recipe!, msg.start, msg.count) });
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) });
  }
});
