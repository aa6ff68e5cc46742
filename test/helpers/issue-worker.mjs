// One issuing process for the PAN uniqueness proof: issues `count` cards through the built package against a
// shared PostgreSQL store and appends each PAN as a line to `out`, batch by batch (so a SIGKILL can land between
// a lease and its write, or in the middle of a write). Input: argv[2] as JSON; `pauseMs` slows a process down.
import { openSync, writeSync, closeSync } from 'node:fs';
import { Hsm, hexToBytes } from '../../dist/index.js';
import { PostgresStore } from '../../dist/store/postgres.js';

const job = JSON.parse(process.argv[2]);
const store = new PostgresStore({ connectionString: job.url });
const hsm = new Hsm({ lmk: hexToBytes(job.lmk), activities: job.activities ?? 'issuance', store });
const fd = openSync(job.out, 'a');
let lines = [];
for await (const card of hsm.issueCards({
  bin: job.bin,
  length: job.length,
  count: job.count,
  cvk: job.cvk,
  panKey: job.panKey,
  batchSize: job.batchSize,
})) {
  lines.push(card.pan);
  // Processes to be killed pause in the middle of each batch (leased, not yet written), so that they cannot finish
  // before the test kills them however fast issuance is, and the kill lands mid-lease.
  if (job.pauseMs && lines.length === Math.floor(job.batchSize / 2))
    await new Promise((r) => setTimeout(r, job.pauseMs));
  if (lines.length === job.batchSize) {
    writeSync(fd, `${lines.join('\n')}\n`);
    lines = [];
  }
}
if (lines.length) writeSync(fd, `${lines.join('\n')}\n`);
closeSync(fd);
await store.close();
