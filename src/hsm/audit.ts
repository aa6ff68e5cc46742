// Audit trail of the Hsm facade: one record per key-management or cryptographic operation, never carrying a
// key, PIN or full PAN (PANs are masked to the first 6 and last 4 digits). The JSON-lines file sink chains each
// record to the previous one by SHA-256, so removing, reordering or editing a record breaks the chain that
// verifyAuditLog checks. (A chain cannot show that its newest records were cut off: anchor the latest hash
// elsewhere — a ticket, a second log — when that matters.)
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { CardHsmError } from '../errors.js';

/** A file path from the caller: a non-empty string (never a descriptor: 0 would read standard input). */
function checkPath(path: unknown): string {
  if (typeof path !== 'string' || path.length === 0 || path.includes('\0')) {
    throw new CardHsmError('ERR_TYPE', '"path" expected a file path string', 'path');
  }
  return path;
}

/** Runs a file operation, reporting a failure as ERR_FILE (the OS error code only: its text may quote paths). */
function onFile<T>(doing: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CardHsmError) throw e;
    const code = (e as { code?: unknown }).code;
    throw new CardHsmError('ERR_FILE', `cannot ${doing} the audit file (${typeof code === 'string' ? code : 'I/O error'})`, 'path');
  }
}

export type AuditOutcome = 'success' | 'failure' | 'error';

export interface AuditRecord {
  /** ISO 8601 time of the operation. */
  time: string;
  operation: string;
  /** The authorized activity the operation ran under, and the Hsm's profile. */
  activity: string;
  profile: string;
  /** KCV of the (first) key the operation used, once its key block was authenticated; null before that. */
  keyKcv: string | null;
  usage: string | null;
  /** success; failure = a verification that answered "no"; error = the operation threw. */
  outcome: AuditOutcome;
  errorCode?: string;
  /** Masked PAN (first 6, last 4) when the operation concerned a card. */
  pan?: string;
}

export interface AuditSink {
  write(record: AuditRecord): void;
}

/** Keeps records in memory (tests, or a caller that forwards them elsewhere). */
export class MemoryAuditSink implements AuditSink {
  readonly records: AuditRecord[] = [];
  write(record: AuditRecord): void {
    this.records.push(record);
  }
}

const GENESIS = '0'.repeat(64);
const OUTCOMES: readonly unknown[] = ['success', 'failure', 'error'];

/** A record as the Hsm writes it: only its documented fields, each of its documented type. */
function checkRecord(record: unknown): AuditRecord {
  const r = (record !== null && typeof record === 'object' ? record : {}) as Record<string, unknown>;
  const text = (v: unknown) => typeof v === 'string' && v.length <= 200;
  const ok =
    text(r.time) && text(r.operation) && text(r.activity) && text(r.profile) && (r.keyKcv === null || text(r.keyKcv)) && (r.usage === null || text(r.usage)) && OUTCOMES.includes(r.outcome) &&
    (r.errorCode === undefined || text(r.errorCode)) && (r.pan === undefined || (typeof r.pan === 'string' && maskPan(r.pan.replace(/\*/g, '0')) !== undefined && r.pan.includes('*')));
  if (!ok) throw new CardHsmError('ERR_TYPE', '"record" expected an AuditRecord { time, operation, keyKcv, usage, outcome, errorCode?, pan? }', 'record');
  const { time, operation, activity, profile, keyKcv, usage, outcome, errorCode, pan } = r as unknown as AuditRecord;
  return { time, operation, activity, profile, keyKcv, usage, outcome, ...(errorCode === undefined ? {} : { errorCode }), ...(pan === undefined ? {} : { pan }) };
}

interface ChainedLine extends AuditRecord {
  seq: number;
  prev: string;
  hash?: string;
}

function chainHash(line: Omit<ChainedLine, 'hash'>): string {
  return createHash('sha256').update(JSON.stringify(line)).digest('hex');
}

/** Appends hash-chained JSON lines to a file, continuing the chain of an existing file. */
export class JsonlAuditSink implements AuditSink {
  readonly path: string;
  #seq = 0;
  #prev = GENESIS;

  constructor(path: string) {
    this.path = checkPath(path);
    if (existsSync(path)) {
      const lines = onFile('read', () => readFileSync(path, 'utf8')).split('\n').filter((l) => l.length > 0);
      const last = lines.at(-1);
      if (last !== undefined) {
        let parsed: ChainedLine;
        try {
          parsed = JSON.parse(last) as ChainedLine;
        } catch {
          throw new CardHsmError('ERR_FORMAT', 'the audit file does not end in a whole record', 'path');
        }
        this.#seq = parsed.seq + 1;
        this.#prev = parsed.hash ?? GENESIS;
      }
    }
  }

  write(record: AuditRecord): void {
    const line: ChainedLine = { seq: this.#seq, prev: this.#prev, ...checkRecord(record) };
    const hash = chainHash(line);
    onFile('append to', () => appendFileSync(this.path, JSON.stringify({ ...line, hash }) + '\n'));
    this.#seq++;
    this.#prev = hash;
  }
}

/** Checks a JsonlAuditSink file: every record parses, is numbered in order and chains to the one before. */
export function verifyAuditLog(path: string): { ok: boolean; records: number; badLine?: number; reason?: string } {
  const file = checkPath(path);
  const lines = onFile('read', () => readFileSync(file, 'utf8')).split('\n');
  if (lines.at(-1) === '') lines.pop();
  let prev = GENESIS;
  for (let i = 0; i < lines.length; i++) {
    const bad = (reason: string) => ({ ok: false, records: lines.length, badLine: i + 1, reason });
    let parsed: ChainedLine;
    try {
      parsed = JSON.parse(lines[i]!) as ChainedLine;
    } catch {
      return bad('not JSON');
    }
    const { hash, ...rest } = parsed;
    if (rest.seq !== i) return bad(`sequence ${String(rest.seq)}, expected ${i}`);
    if (rest.prev !== prev) return bad('does not chain to the previous record');
    if (hash !== chainHash(rest)) return bad('hash does not match the record');
    prev = hash;
  }
  return { ok: true, records: lines.length };
}

/** A PAN masked to its first 6 and last 4 digits, for audit records and logs. */
export function maskPan(pan: unknown): string | undefined {
  if (typeof pan !== 'string' || !/^[0-9]{10,19}$/.test(pan)) return undefined;
  return pan.slice(0, 6) + '*'.repeat(pan.length - 10) + pan.slice(-4);
}

// Interim wiring (replaced by the keyed, multi-writer trail): the Hsm's key is remembered, records go to write().
const auditKeys = new WeakMap<object, Uint8Array>();
export function registerAuditKey(owner: object, key: Uint8Array): void {
  auditKeys.set(owner, key.slice());
}
export function auditWriter(sink: AuditSink | JsonlAuditSink, _key: Uint8Array): (record: AuditRecord) => void {
  return (record) => (sink as AuditSink).write(record);
}
