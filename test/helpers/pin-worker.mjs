// A separate process hammering verifyPin, for the concurrency tests: it runs `count` verifications with
// `concurrency` in flight against the built package and prints one JSON summary line. Input: argv[2] as JSON.
import { Hsm, hexToBytes } from '../../dist/index.js';

const job = JSON.parse(process.argv[2]);
const store =
  job.store === 'sqlite'
    ? new (await import('../../dist/store/sqlite.js')).SqliteStore({ path: job.path })
    : new (await import('../../dist/store/postgres.js')).PostgresStore({ connectionString: job.url }); // pool of 10: requests queue for a connection
const hsm = new Hsm({ lmk: hexToBytes(job.lmk), store, pinTryLimit: job.limit });

const summary = { verified: 0, rejected: 0, locked: 0, lockedResults: 0, errors: {} };
let next = 0;
async function lane() {
  while (next < job.count) {
    next++;
    try {
      const r = await hsm.verifyPin({ cardRef: job.cardRef, pinBlock: hexToBytes(job.pinBlock), pinKey: job.pinKey, format: 0, pan: job.pan, method: job.method });
      if (r.verified) summary.verified++;
      else summary.rejected++;
      if (r.locked) summary.lockedResults++;
    } catch (e) {
      if (e.code === 'ERR_PIN_LOCKED') summary.locked++;
      else summary.errors[e.code ?? String(e)] = (summary.errors[e.code ?? String(e)] ?? 0) + 1;
    }
  }
}
await Promise.all(Array.from({ length: job.concurrency }, lane));
await store.close();
console.log(JSON.stringify(summary));
