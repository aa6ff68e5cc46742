// A separate process hammering one counted verification, for the concurrency tests: it runs `count` PIN
// verifications (job.op 'pin') or static CVV2 checks ('cvv2') with `concurrency` in flight against the built
// package and prints one JSON summary line. Input: argv[2] as JSON. The Hsm is an authorization one, as an online
// host's is.
import { Hsm, hexToBytes } from '../../dist/index.js';

const job = JSON.parse(process.argv[2]);
const store =
  job.store === 'sqlite'
    ? new (await import('../../dist/store/sqlite.js')).SqliteStore({ path: job.path })
    : new (await import('../../dist/store/postgres.js')).PostgresStore({ connectionString: job.url }); // pool of 10: requests queue for a connection
const hsm = new Hsm({
  lmk: hexToBytes(job.lmk),
  activities: 'authorization',
  store,
  pinTryLimit: job.limit,
  cardCodeTryLimit: job.limit,
});

const check =
  job.op === 'cvv2'
    ? () =>
        hsm
          .verifyCardCvv2({ cardRef: job.cardRef, cvk: job.cvk, pan: job.pan, expiry: job.expiry, cvv: job.cvv })
          .then((ok) => ({ verified: ok, locked: false }))
    : () =>
        hsm.verifyPin({
          cardRef: job.cardRef,
          pinBlock: hexToBytes(job.pinBlock),
          pinKey: job.pinKey,
          format: 0,
          pan: job.pan,
        });

const summary = { verified: 0, rejected: 0, locked: 0, lockedResults: 0, errors: {} };
let next = 0;
async function lane() {
  while (next < job.count) {
    next++;
    try {
      const r = await check();
      if (r.verified) summary.verified++;
      else summary.rejected++;
      if (r.locked) summary.lockedResults++;
    } catch (e) {
      if (e.code === 'ERR_PIN_LOCKED' || e.code === 'ERR_CVV_LOCKED') summary.locked++;
      else summary.errors[e.code ?? String(e)] = (summary.errors[e.code ?? String(e)] ?? 0) + 1;
    }
  }
}
await Promise.all(Array.from({ length: job.concurrency }, lane));
await store.close();
console.log(JSON.stringify(summary));
