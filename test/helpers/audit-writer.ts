// One writing process for the audit concurrency proof: opens a JsonlAuditSink on a shared file, prints "ready",
// waits until the `go` file exists (so that every process starts appending at the same moment, not one after the
// other's start-up), appends `count` records (napping 1 ms every 50, so that the writers interleave even when one
// is scheduled first) and prints "done". Run as `node --import tsx audit-writer.ts JOB`,
// JOB = JSON { path, key (hex), count, go }.
import { existsSync } from 'node:fs';
import { auditWriter, JsonlAuditSink, type AuditRecord } from '../../src/hsm/_audit.js';

const job = JSON.parse(process.argv[2]!) as { path: string; key: string; count: number; go: string };
const sink = new JsonlAuditSink(job.path);
const append = auditWriter(sink, Uint8Array.from(Buffer.from(job.key, 'hex')));
process.stdout.write('ready\n');
const nap = new Int32Array(new SharedArrayBuffer(4));
while (!existsSync(job.go)) Atomics.wait(nap, 0, 0, 1);
for (let i = 0; i < job.count; i++) {
  const record: AuditRecord = {
    time: new Date().toISOString(),
    operation: 'verifyPin',
    activity: 'pin.verify',
    profile: 'authorization',
    keyKcv: '0A1B2C',
    usage: 'V2',
    outcome: i % 7 === 0 ? 'failure' : 'success',
    pan: '412345******2345',
  };
  append(record);
  if (i % 50 === 49) Atomics.wait(nap, 0, 0, 1);
}
process.stdout.write(`done ${sink.writer}\n`);
