// `cardhsm issue`: mass issuance to a file — one unmasked IssuedCard per line (JSON lines or CSV, finished by the
// kernel: Hsm.issueCardLines), streamed with a progress bar and live throughput on stderr when it is a terminal,
// a summary at the end. Counters live in the store (./cardhsm.db by default, or --store postgres://…). Every flag
// is checked, and the keys opened, before the output file exists; the file is created 0600. Ctrl-C stops after
// the batch being written: the file ends on a whole record and the store stays consistent (leases are single
// statements). With --idempotency-key a re-run reproduces the same cards: it checks the file's records against
// them one by one and continues after the last whole record — never a duplicate, never a record it did not write.
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { CardHsmError } from '../errors.js';
import { Hsm } from '../hsm/hsm.js';
import type { IssueOptions } from '../hsm/options.js';
import type { Store } from '../store/store.js';
import { examples, int } from './calculator.js';
import { CardFile, scanExisting, type ExistingFile } from './cardfile.js';
import { checkWritable, readText } from './files.js';
import { developmentKeys, loadLmk, openStore } from './context.js';
import { usageError, type Io } from './output.js';

/** The CSV header: IssuedCard's fields, in the order Hsm.issueCardLines writes them. */
const CSV_FIELDS = [
  'pan',
  'lastFour',
  'expiry',
  'serviceCode',
  'cvv',
  'cvv2',
  'icvv',
  'token',
  'pinBlock',
  'pvv',
] as const;
const KEY_FLAGS = {
  cvk: '--cvk',
  panKey: '--pan-key',
  pinKey: '--pin-key',
  pvk: '--pvk',
  tokenKey: '--token-key',
} as const;
type KeyName = keyof typeof KEY_FLAGS;
type Keys = Partial<Record<KeyName, string>>;

interface Progress {
  tick(n: number): void;
  stop(): void;
}

/** A progress bar over the whole job (a resumed part included); its rate counts only the cards made now. */
function progressBar(total: number, already: number): Progress {
  if (!process.stderr.isTTY) return { tick: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: 'issuing [{bar}] {percentage}% | {value}/{total} cards | {rate} cards/s | ETA {eta_formatted}',
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const t0 = Date.now();
  let done = 0;
  bar.start(total, already, { rate: 0 });
  return {
    tick(n) {
      done += n;
      bar.update(already + done, { rate: Math.round(done / Math.max(0.001, (Date.now() - t0) / 1000)) });
    },
    stop: () => bar.stop(),
  };
}

/** Key blocks from --keys-file (a JSON object of key blocks by name), then the key flags over them. */
function keysFrom(o: Record<string, string | undefined>): Keys {
  const keys: Keys = {};
  if (o.keysFile !== undefined) {
    const text = readText(o.keysFile, '--keys-file');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CardHsmError('ERR_FORMAT', '--keys-file is not a JSON object of key blocks', '--keys-file');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new CardHsmError('ERR_FORMAT', '--keys-file is not a JSON object of key blocks', '--keys-file');
    for (const name of Object.keys(KEY_FLAGS) as KeyName[]) {
      const v = (parsed as Record<string, unknown>)[name];
      if (v === undefined) continue;
      if (typeof v !== 'string')
        throw new CardHsmError('ERR_FORMAT', `--keys-file: "${name}" is not a key block string`, '--keys-file');
      keys[name] = v;
    }
  }
  for (const name of Object.keys(KEY_FLAGS) as KeyName[]) if (o[name] !== undefined) keys[name] = o[name];
  return keys;
}

/** Keys come in pairs: a CVK with the PAN key, a PIN key with its PVK. Says which flag is missing. */
function checkPairs(keys: Keys): void {
  for (const [a, b] of [
    ['cvk', 'panKey'],
    ['pinKey', 'pvk'],
  ] as const) {
    if ((keys[a] === undefined) !== (keys[b] === undefined)) {
      const [given, missing] = keys[a] === undefined ? [b, a] : [a, b];
      throw usageError(`${KEY_FLAGS[given]} needs ${KEY_FLAGS[missing]} too (give both, in flags or in --keys-file)`);
    }
  }
}

/** The run's parameters as the CLI received them: what a finished file's record is bound to. */
function runDigest(o: Record<string, string | undefined>, keys: Keys, csv: boolean): string {
  const params = {
    bin: o.bin,
    count: o.count,
    length: o.length,
    expiry: o.expiry ?? null,
    serviceCode: o.serviceCode,
    csv,
    keys,
  };
  return createHash('sha256').update(JSON.stringify(params)).digest('hex');
}

interface Finished {
  params: string;
  sha256: string;
}

/** The store record of a finished file of an idempotent run (format-specific). */
const finishedKey = (idempotencyKey: string, csv: boolean) => `cli/issue/${idempotencyKey}/${csv ? 'csv' : 'jsonl'}`;

async function finishedRecord(store: Store, key: string): Promise<Finished | undefined> {
  const value = await store.getIdempotent(key);
  return value === undefined ? undefined : (JSON.parse(value) as Finished);
}

export function registerIssue(program: Command, io: Io): void {
  const cmd = program
    .command('issue')
    .description(
      'mass issuance: unique Luhn-valid PANs with CVV, CVV2, iCVV, PIN block + PVV and token, streamed to a file',
    )
    .requiredOption('--bin <digits>', 'issuer prefix, 6..11 digits')
    .requiredOption('--count <n>', 'cards to issue, 1..1000000000')
    .requiredOption('--out <file>', 'output file, created 0600 (it holds clear card data); - for standard output')
    .option('--format <jsonl|csv>', 'jsonl (one IssuedCard JSON per line) or csv', 'jsonl')
    .option('--length <n>', 'PAN length 13..19', '16')
    .option('--expiry <YYMM>', 'year and month, month 01..12 (default: 36 months from now)')
    .option('--service-code <digits>', 'service code', '101')
    .option(
      '--keys-file <file>',
      'a JSON object of key blocks {cvk, panKey, pinKey?, pvk?, tokenKey?} (flags override it)',
    )
    .option('--cvk <key block>', 'C0 key block (default: the development keys)')
    .option('--pan-key <key block>', 'AES D0 key block of the PAN permutation (with --cvk)')
    .option('--pin-key <key block>', 'P0 key block: each card gets a PIN, returned encrypted (with --pvk)')
    .option('--pvk <key block>', 'V2 key block for the PVV')
    .option('--token-key <key block>', 'AES D0 key block: each card gets a PAN token')
    .option('--workers <n>', 'worker threads (default: the cores, for large runs)')
    .option(
      '--idempotency-key <text>',
      'a re-run with the same key reproduces the same cards, checks the file and resumes it',
    )
    .option('--store <path|url>', 'SQLite file or postgres:// URL', 'cardhsm.db');
  examples(cmd, [
    'cardhsm issue --bin 45717360 --count 3 --expiry 2912 --out cards.jsonl --idempotency-key demo',
    'issued 3 cards to cards.jsonl …',
  ]);
  cmd.action(async (o: Record<string, string | undefined>, c: Command) => {
    const g = c.optsWithGlobals() as { lmkFile?: string };
    const format = o.format?.toLowerCase();
    if (format !== 'csv' && format !== 'jsonl')
      throw new CardHsmError('ERR_FORMAT', '--format expected jsonl or csv', '--format');
    const csv = format === 'csv';
    const count = int(o.count, '--count')!;
    if (count < 1 || count > 1_000_000_000)
      throw new CardHsmError('ERR_FORMAT', '--count expected a whole number 1..1000000000', '--count');
    const out = o.out!;
    const idempotencyKey = o.idempotencyKey;
    const exists = out !== '-' && existsSync(out);
    if (out !== '-') checkWritable(out, '--out');
    if (exists && idempotencyKey === undefined)
      throw usageError('--out names a file that exists: choose another --out, or resume with --idempotency-key');
    let keys = keysFrom(o);
    checkPairs(keys);
    const existing: ExistingFile | undefined = exists ? scanExisting(out, csv) : undefined;
    if (existing && existing.records > count) {
      throw new CardHsmError(
        'ERR_IDEMPOTENCY',
        `--out holds ${existing.records} records, more than --count ${count}: it is not this run's file`,
        '--out',
      );
    }

    const source = loadLmk(io, g.lmkFile);
    const store = await openStore(o.store);
    let file: CardFile | undefined;
    try {
      const hsm = new Hsm({ lmk: source.lmk, store, activities: 'issuance' });
      if (keys.cvk === undefined) {
        if (!source.development)
          throw usageError(
            'give --cvk and --pan-key key blocks, or --keys-file (development keys exist only with the development LMK)',
          );
        keys = { ...developmentKeys(source.lmk), ...keys };
      }
      const params = runDigest(o, keys, csv);
      const doneKey = idempotencyKey === undefined ? undefined : finishedKey(idempotencyKey, csv);
      // A finished file of this very run: nothing to make, nothing to check card by card.
      if (doneKey && existing?.records === count && !existing.partial) {
        const done = await finishedRecord(store, doneKey);
        if (done?.params === params && done.sha256 === existing.hash.copy().digest('hex')) {
          io.err(`cardhsm: ${out} already holds the ${count} cards of idempotency key ${idempotencyKey}`);
          io.out(`issued 0 cards to ${out} (all ${count} already there) in 0.00 s`);
          return;
        }
      }
      const options: IssueOptions & { count: number } = {
        bin: o.bin!,
        count,
        length: int(o.length, '--length'),
        serviceCode: o.serviceCode,
        ...(o.expiry === undefined ? { monthsToExpiration: 36 } : { expiry: o.expiry }),
        ...(keys as { cvk: string; panKey: string }),
      };
      file = new CardFile(out, csv ? CSV_FIELDS.join(',') : undefined, out === '-' ? undefined : existing);
      const r = await writeCards(hsm, file, { ...options, idempotencyKey, workers: int(o.workers, '--workers') }, csv);
      const sha256 = file.finish(!r.interrupted);
      file = undefined;
      if (doneKey && sha256 !== undefined)
        await store.putIdempotent(doneKey, JSON.stringify({ params, sha256 } satisfies Finished));
      const say = out === '-' ? io.err : io.out;
      const total = r.checked + r.written;
      if (r.interrupted) {
        io.err(
          `cardhsm: interrupted after ${total} of ${count} cards; ${out} ends on a whole record${idempotencyKey === undefined ? '' : '; re-run with the same --idempotency-key to continue'}`,
        );
        process.exitCode = 130;
        return;
      }
      if (total !== count) throw new CardHsmError('ERR_INTERNAL', `expected ${count} cards, wrote ${total}`);
      const rate = Math.round(r.written / Math.max(r.seconds, 0.001));
      say(
        `issued ${r.written} cards to ${out === '-' ? 'standard output' : out}${r.checked ? ` (resumed after ${r.checked} verified records)` : ''} in ${r.seconds.toFixed(2)} s (${rate} cards/s)`,
      );
    } finally {
      file?.close();
      await store.close();
    }
  });
}

/** Streams the run's cards into `file`: the first ones checked against the file, the rest written. */
async function writeCards(
  hsm: Hsm,
  file: CardFile,
  options: Parameters<Hsm['issueCards']>[0],
  csv: boolean,
): Promise<{ checked: number; written: number; seconds: number; interrupted: boolean }> {
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
  };
  process.on('SIGINT', onSigint);
  const checked = file.pendingChecks;
  const progress = progressBar(options.count, checked);
  let t0 = Date.now();
  let written = 0;
  try {
    for await (const lines of hsm.issueCardLines({ ...options, format: csv ? 'csv' : 'jsonl' })) {
      const fresh = checkResumed(file, lines);
      if (fresh === undefined) {
        lines.fill(0);
        continue;
      }
      if (written === 0 && checked > 0) t0 = Date.now(); // the rate counts the new cards only
      const n = countLines(fresh);
      await file.write(fresh);
      lines.fill(0); // the checked lines before `fresh` too
      written += n;
      progress.tick(n);
      // The issuance loop only awaits resolved promises; give the event loop a turn so Ctrl-C is seen.
      await new Promise((resolve) => setImmediate(resolve));
      if (interrupted) break;
    }
  } finally {
    progress.stop();
    process.off('SIGINT', onSigint);
  }
  return { checked, written, seconds: (Date.now() - t0) / 1000, interrupted };
}

/**
 * Checks the batch's first lines against the records an interrupted run left in the file (a resumed run); returns
 * the lines past them, or undefined when the whole batch was already there.
 */
function checkResumed(file: CardFile, lines: Uint8Array): Uint8Array | undefined {
  let from = 0;
  while (file.pendingChecks > 0 && from < lines.length) {
    const end = lines.indexOf(NEWLINE, from);
    file.check(ascii.decode(lines.subarray(from, end)));
    from = end + 1;
  }
  if (from >= lines.length) return undefined;
  return from === 0 ? lines : lines.subarray(from);
}

const NEWLINE = 10;
const ascii = new TextDecoder('latin1');

/** Every line of a run has one length (fixed-width fields), so a batch's count is its length over the first's. */
function countLines(lines: Uint8Array): number {
  return lines.length / (lines.indexOf(NEWLINE) + 1);
}
