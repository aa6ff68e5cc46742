// `cardhsm issue`: mass issuance to a file — one unmasked IssuedCard per line (JSON lines, or CSV), streamed
// with a progress bar and live throughput on stderr when it is a terminal, a summary at the end. Counters live in
// the store (./cardhsm.db by default, or --store postgres://…). Ctrl-C stops after the record being written:
// the file ends on a whole record and the store stays consistent (leases are single statements). With
// --idempotency-key a re-run reproduces the same cards and continues the file after its last whole record —
// never a duplicate.
import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { CardHsmError } from '../errors.js';
import { Hsm, type IssueOptions } from '../hsm/hsm.js';
import type { IssuedCard } from '../issue/cards.js';
import { examples, int } from './calculator.js';
import { developmentKeys, loadLmk, openStore } from './context.js';
import { usageError, type Io } from './output.js';

const CSV_FIELDS = ['pan', 'lastFour', 'expiry', 'serviceCode', 'cvv', 'cvv2', 'icvv', 'token', 'pinBlock', 'pvv'] as const;

function line(card: IssuedCard, csv: boolean): string {
  return csv ? CSV_FIELDS.map((f) => card[f] ?? '').join(',') : JSON.stringify(card);
}

/** Whole records already in `path` (a partial last line is cut off), header excluded. */
function resume(path: string, csv: boolean): number {
  if (!existsSync(path)) return 0;
  const text = readFileSync(path, 'latin1');
  const end = text.lastIndexOf('\n') + 1;
  if (end < text.length) {
    const fd = openSync(path, 'r+');
    ftruncateSync(fd, end);
    closeSync(fd);
  }
  const lines = text.slice(0, end).split('\n').filter((l) => l.length > 0).length;
  return csv ? Math.max(0, lines - 1) : lines;
}

interface Progress {
  tick(n: number): void;
  stop(): void;
}

function progressBar(io: Io, total: number): Progress {
  if (!process.stderr.isTTY) return { tick: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format: 'issuing [{bar}] {percentage}% | {value}/{total} cards | {rate} cards/s | ETA {eta_formatted}', stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  const t0 = Date.now();
  let done = 0;
  bar.start(total, 0, { rate: 0 });
  return {
    tick(n) {
      done += n;
      bar.update(done, { rate: Math.round(done / Math.max(0.001, (Date.now() - t0) / 1000)) });
    },
    stop: () => bar.stop(),
  };
}

export function registerIssue(program: Command, io: Io): void {
  const cmd = program
    .command('issue')
    .description('mass issuance: unique Luhn-valid PANs with CVV, CVV2, iCVV, PIN block + PVV and token, streamed to a file')
    .requiredOption('--bin <digits>', 'issuer prefix, 6..11 digits')
    .requiredOption('--count <n>', 'cards to issue')
    .requiredOption('--out <file>', 'output file (appended to when resuming an idempotent run)')
    .option('--format <jsonl|csv>', 'jsonl (one IssuedCard JSON per line) or csv', 'jsonl')
    .option('--length <n>', 'PAN length 13..19', '16')
    .option('--expiry <YYMM>', 'default: 36 months from now')
    .option('--service-code <digits>', 'service code', '101')
    .option('--cvk <key block>', 'C0 key block (default: the development keys)')
    .option('--pan-key <key block>', 'AES D0 key block of the PAN permutation')
    .option('--pin-key <key block>', 'P0 key block: each card gets a PIN, returned encrypted')
    .option('--pvk <key block>', 'V2 key block for the PVV')
    .option('--token-key <key block>', 'AES D0 key block: each card gets a PAN token')
    .option('--workers <n>', 'worker threads (default: the cores, for large runs)')
    .option('--idempotency-key <text>', 'a re-run with the same key reproduces the same cards and resumes the file')
    .option('--store <path|url>', 'SQLite file or postgres:// URL', 'cardhsm.db');
  examples(cmd, ['cardhsm issue --bin 45717360 --count 3 --expiry 2912 --out cards.jsonl --idempotency-key demo', 'issued 3 cards to cards.jsonl …']);
  cmd.action(async (o: Record<string, string | undefined>, c: Command) => {
    const g = c.optsWithGlobals() as { lmkFile?: string };
    const csv = o.format === 'csv';
    if (!csv && o.format !== 'jsonl') throw usageError('--format expected jsonl or csv');
    const count = int(o.count, '--count')!;
    const source = loadLmk(io, g.lmkFile);
    const store = await openStore(o.store);
    const hsm = new Hsm({ lmk: source.lmk, store });
    const given = { cvk: o.cvk, panKey: o.panKey, pinKey: o.pinKey, pvk: o.pvk, tokenKey: o.tokenKey };
    let keys: Partial<Record<keyof typeof given, string>> = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
    if (keys.cvk === undefined && keys.panKey === undefined) {
      if (!source.development) throw usageError('give --cvk and --pan-key key blocks (development keys exist only with the development LMK)');
      keys = developmentKeys(hsm);
    }
    const options: IssueOptions & { count: number } = {
      bin: o.bin!,
      count,
      length: int(o.length, '--length'),
      serviceCode: o.serviceCode,
      ...(o.expiry === undefined ? { monthsToExpiration: 36 } : { expiry: o.expiry }),
      ...(keys as { cvk: string; panKey: string }),
    };
    const skip = o.idempotencyKey === undefined ? 0 : resume(o.out!, csv);
    if (o.idempotencyKey === undefined && existsSync(o.out!)) throw usageError(`${o.out} exists: choose another --out, or resume with --idempotency-key`);
    const fd = openSync(o.out!, 'a');
    if (csv && skip === 0 && readFileSync(o.out!, 'latin1').length === 0) writeSync(fd, CSV_FIELDS.join(',') + '\n');
    let interrupted = false;
    const onSigint = () => {
      interrupted = true;
    };
    process.on('SIGINT', onSigint);
    const progress = progressBar(io, count);
    const t0 = Date.now();
    let seen = 0;
    let written = 0;
    let pending: string[] = [];
    const flush = () => {
      if (pending.length === 0) return;
      writeSync(fd, pending.join('\n') + '\n'); // whole records only, in one write
      written += pending.length;
      progress.tick(pending.length);
      pending = [];
    };
    try {
      for await (const card of hsm.issueCards({ ...options, idempotencyKey: o.idempotencyKey, workers: int(o.workers, '--workers') })) {
        if (seen++ < skip) continue;
        pending.push(line(card, csv));
        if (pending.length >= 1000) {
          flush();
          // The issuance loop only awaits resolved promises; give the event loop a turn so Ctrl-C is seen.
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (interrupted) break;
      }
      flush();
    } finally {
      progress.stop();
      closeSync(fd);
      process.off('SIGINT', onSigint);
      await store.close();
    }
    const seconds = (Date.now() - t0) / 1000;
    const total = skip + written;
    if (interrupted) {
      io.err(`cardhsm: interrupted after ${total} of ${count} cards; ${o.out} ends on a whole record${o.idempotencyKey === undefined ? '' : '; re-run with the same --idempotency-key to continue'}`);
      process.exitCode = 130;
      return;
    }
    io.out(`issued ${written} cards to ${o.out}${skip ? ` (resumed after ${skip})` : ''} in ${seconds.toFixed(2)} s (${Math.round(written / Math.max(seconds, 0.001))} cards/s)`);
    if (total !== count) throw new CardHsmError('ERR_INTERNAL', `expected ${count} cards, wrote ${total}`);
  });
}
