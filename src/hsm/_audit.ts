// Audit trail of the Hsm facade: one record per key-management or cryptographic operation, naming the operation,
// the authorized activity it ran under and the Hsm's profile, never carrying a key, PIN or full PAN (PANs are
// masked to the first 6 and last 4 digits, as PCI DSS v4.0 req. 3.4.1 allows for display).
//
// The JSON-lines file trail is keyed, multi-writer and crash-safe:
//
// Line format. One JSON object per line (UTF-8, '\n'-terminated), written by one write(2) on an O_APPEND
// descriptor, so lines of writers in several processes never interleave:
//   {"writer":W,"seq":N,"prev":P,"time":…,"operation":…,"activity":…,"profile":…,"keyKcv":…,"usage":…,
//    "outcome":…[,"errorCode":…][,"pan":…],"mac":M}
// - writer: 16 lowercase hex digits (64 bits from the CSPRNG), new for every JsonlAuditSink. Each writer keeps its
//   own chain, so two processes (or two sinks in one process) appending to one file never break verification. A
//   sink never continues another writer's chain, not even one it finds in the file at open.
// - seq: 0, 1, 2, … per writer. prev: the mac of the same writer's previous record; GENESIS (64 '0's) for seq 0.
// - mac: HMAC-SHA-256 (RFC 2104, FIPS 198-1) under the audit key, 64 lowercase hex digits, over the ASCII tag
//   "cardhsm-audit-v1\n" followed by the canonical serialization: JSON.stringify of an object holding every other
//   field in the order above, the optional errorCode and pan only when present. The line itself is that canonical
//   text with ,"mac":M added before the closing brace.
//   The verifier does not MAC the raw line: it parses it, refuses unknown fields and ill-typed values, rebuilds the
//   canonical text from the parsed values and recomputes the MAC. So what the MAC covers is exactly what any JSON
//   reader of the line sees (whitespace, key order, escapes and duplicate keys cannot make a line read otherwise
//   than it was MACed), and there is no text surgery to cut a "mac" field out of a line, which a "mac" inside a
//   string value could confuse. The tag separates these MACs from any other use of the key.
// - The audit key (32 bytes) is the Hsm's: derived from its LMK, or a dedicated HMAC256 key block of usage M7.
//   Without it a record can be neither forged nor re-chained: rewriting, inserting, deleting from the middle,
//   duplicating or reordering a writer's records fails verifyAuditLog.
//
// Crash safety. A crash (or a disk-full short write) can leave a partial last line. `new JsonlAuditSink(path)`
// reads only the file's last byte; when it is not '\n' (tornAtOpen), the sink's first append starts with '\n' so
// its records begin on a fresh line. verifyAuditLog reports a line that is not a complete JSON record as torn (its
// line number in `torn`) without failing: each writer may lose its last record that way. A torn record the writer
// chained past (a later record whose prev names it, or whose seq skips it) is damage, and fails. When another
// process appended while a fragment was still open, its record is glued after the fragment on one line: the
// verifier finds it there (after the last '{"writer":"', which no JSON string value can contain unescaped).
//
// What no chain can show. Deleting a writer's newest records (or all of a writer's records) leaves a shorter
// chain that still verifies, and records of different writers are not chained to each other (their interleaving
// in the file means nothing beyond each record's time); a writer's whole chain from another file under the same
// key would verify too. Anchor each writer's latest mac elsewhere (a ticket, a second log, a WORM store) when
// that matters.
import { nodeCrypto } from '../_node.js';
import { closeSync, constants, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { constantTimeEqual } from '../bytes.js';
import { constantTimeEqualString } from '../_bytes.js';
import { CardHsmError } from '../errors.js';
import { checkBytes } from '../_validate.js';

/**
 * How an audited operation ended: 'success'; 'failure' for a verification that answered "no" (a wrong CVV, PIN,
 * MAC or ARQC); 'error' when the operation threw (the record then carries `errorCode`).
 *
 * @example
 * const audit = new MemoryAuditSink()
 * const audited = new Hsm({ lmk: lmkFromHex('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F'), activities: 'issuance', audit })
 * audited.verifyCvv({ cvk: keys.cvk, pan: '4123456789012345', expiry: '8701', serviceCode: '101', cvv: '561' })  // => true
 * audited.verifyCvv({ cvk: keys.cvk, pan: '4123456789012345', expiry: '8701', serviceCode: '101', cvv: '562' })  // => false
 * try { audited.verifyCvv({ cvk: keys.zpk, pan: '4123456789012345', expiry: '8701', serviceCode: '101', cvv: '561' }) } catch {}
 * audit.records.map((r) => [r.outcome, r.errorCode])  // => [['success', undefined], ['failure', undefined], ['error', 'ERR_KEY_USAGE']]
 */
export type AuditOutcome = 'success' | 'failure' | 'error';

/**
 * One audit record: which Hsm method ran, under which activity and profile, with which key (KCV and usage), for
 * which card (masked PAN) and how it ended. Never a key, PIN, PIN block or full PAN. The Hsm writes one per
 * operation to its `audit` sink; a JsonlAuditSink adds writer, seq, prev and mac to each line.
 *
 * @example
 * const audit = new MemoryAuditSink()
 * const audited = new Hsm({ lmk: lmkFromHex('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F'), activities: 'issuance', audit })
 * audited.generateCvv({ cvk: keys.cvk, pan: '4123456789012345', expiry: '8701', serviceCode: '101' })  // => '561'
 * audit.records[0]  // => { time: audit.records[0].time, operation: 'generateCvv', activity: 'card.generate', profile: 'issuance', keyKcv: '08D7B4', usage: 'C0', pan: '412345******2345', outcome: 'success' }
 * audit.write({ time: '2025-01-01T12:00:00.000Z', operation: 'verifyPin', activity: 'pin.verify', profile: 'authorization', keyKcv: null, usage: null, outcome: 'error', errorCode: 'ERR_PIN_LOCKED' })  // => undefined
 */
export interface AuditRecord {
  /** ISO 8601 time of the operation (as Date#toISOString gives it; an offset instead of Z is allowed). */
  time: string;
  /** The Hsm method name. */
  operation: string;
  /** The authorized activity the operation ran under, e.g. 'pin.verify'. */
  activity: string;
  /** The Hsm's profile name, e.g. 'authorization' (or 'custom'). */
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

/**
 * A custom sink: any object with a `write(record)` method, given as HsmOptions.audit. The record arrives checked
 * (a copy of its documented fields). An exception from write fails the audited operation (fail closed).
 *
 * @example
 * const seen = []
 * const sink = { write: (record) => seen.push(`${record.operation} ${record.outcome}`) }
 * new Hsm({ lmk: new Uint8Array(32).fill(1), audit: sink }).cardRef('4123456789012345').length  // => 64
 * seen  // => ['cardRef success']
 * const failing = new Hsm({ lmk: new Uint8Array(32).fill(1), audit: { write() { throw new Error('disk full') } } })
 * let failed
 * try { failing.cardRef('4123456789012345') } catch (e) { failed = e.message }
 * failed  // => 'disk full'
 */
export interface AuditSink {
  write(record: AuditRecord): void;
}

/**
 * What verifyAuditLog found. `badLine` and `reason` only when `ok` is false.
 *
 * @example
 * const path = `${tmp}/hsm-audit-verification.jsonl`
 * const first = new Hsm({ lmk: new Uint8Array(32).fill(1), audit: new JsonlAuditSink(path) })
 * first.cardRef('4123456789012345').length  // => 64
 * new Hsm({ lmk: new Uint8Array(32).fill(2), audit: new JsonlAuditSink(path) }).cardRef('4123456789012345').length  // => 64
 * verifyAuditLog(path, { hsm: first })  // => { ok: false, records: 1, writers: 1, torn: [], badLine: 2, reason: 'the MAC does not verify: the record was changed, or made under another key' }
 */
export interface AuditVerification {
  ok: boolean;
  /** Records whose MAC and chain verified (up to the failure, when there is one). */
  records: number;
  /** Distinct writer ids among them. */
  writers: number;
  /** 1-based numbers of the lines that are not a complete JSON record (partial writes). */
  torn: number[];
  badLine?: number;
  reason?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Records

const GENESIS = '0'.repeat(64);
const MAC_TAG = 'cardhsm-audit-v1\n';
const KEY_BYTES = [32] as const;
const OUTCOMES: readonly unknown[] = ['success', 'failure', 'error'];
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const MASKED_PAN = /^[0-9]{6}\*{1,9}[0-9]{4}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const HEX64 = /^[0-9a-f]{64}$/;
/** No line the writer makes comes near this; a longer line is torn or junk and is not kept in memory. */
const MAX_LINE_BYTES = 64 * 1024;

const text = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200;
const textOrNull = (v: unknown): v is string | null => v === null || text(v);

/** The record's documented fields, when every one has its documented type (else undefined). */
function recordFields(r: Record<string, unknown>): AuditRecord | undefined {
  const { time, operation, activity, profile, keyKcv, usage, outcome, errorCode, pan } = r;
  const ok =
    typeof time === 'string' &&
    time.length <= 40 &&
    ISO_TIME.test(time) &&
    text(operation) &&
    text(activity) &&
    text(profile) &&
    textOrNull(keyKcv) &&
    textOrNull(usage) &&
    OUTCOMES.includes(outcome) &&
    (errorCode === undefined || text(errorCode)) &&
    (pan === undefined || (typeof pan === 'string' && MASKED_PAN.test(pan)));
  if (!ok) return undefined;
  return {
    time,
    operation,
    activity,
    profile,
    keyKcv,
    usage,
    outcome: outcome as AuditOutcome,
    ...(errorCode === undefined ? {} : { errorCode }),
    ...(pan === undefined ? {} : { pan }),
  };
}

/** A record from a caller: a copy of its documented fields, or ERR_TYPE. */
function checkRecord(record: unknown): AuditRecord {
  const fields =
    record !== null && typeof record === 'object' && !Array.isArray(record)
      ? recordFields(record as Record<string, unknown>)
      : undefined;
  if (fields === undefined) {
    throw new CardHsmError(
      'ERR_TYPE',
      '"record" expected an AuditRecord { time (ISO 8601), operation, activity, profile, keyKcv, usage, outcome, errorCode?, pan? (masked) }',
      'record',
    );
  }
  return fields;
}

/** The canonical serialization every MAC covers: fields in the documented order, optional ones only when present. */
function canonical(writer: string, seq: number, prev: string, r: AuditRecord): string {
  return JSON.stringify({
    writer,
    seq,
    prev,
    time: r.time,
    operation: r.operation,
    activity: r.activity,
    profile: r.profile,
    keyKcv: r.keyKcv,
    usage: r.usage,
    outcome: r.outcome,
    ...(r.errorCode === undefined ? {} : { errorCode: r.errorCode }),
    ...(r.pan === undefined ? {} : { pan: r.pan }),
  });
}

function macOf(key: Uint8Array, body: string): string {
  return nodeCrypto().createHmac('sha256', key).update(MAC_TAG).update(body).digest('hex');
}

function checkKey(field: string, key: unknown): Uint8Array {
  return checkBytes(field, key, KEY_BYTES);
}

// ---------------------------------------------------------------------------------------------------------------
// Files

/** A file path from the caller: a non-empty string (never a descriptor: 0 would read standard input). */
function checkPath(path: unknown): string {
  if (typeof path !== 'string' || path.length === 0 || path.includes('\0')) {
    throw new CardHsmError('ERR_TYPE', '"path" expected a file path string', 'path');
  }
  return path;
}

/** A file error as ERR_FILE (the OS error code only: its text may quote paths). */
function fileError(doing: string, e: unknown): CardHsmError {
  if (e instanceof CardHsmError) return e;
  const code = e !== null && typeof e === 'object' ? (e as { code?: unknown }).code : undefined;
  return new CardHsmError(
    'ERR_FILE',
    `cannot ${doing} the audit file (${typeof code === 'string' ? code : 'I/O error'})`,
    'path',
  );
}

// O_NONBLOCK: a FIFO at the path must fail, not hang the caller waiting for a peer (0 where the OS has none).
const NONBLOCK = constants.O_NONBLOCK ?? 0;
const READ_FLAGS = constants.O_RDONLY | NONBLOCK;
const APPEND_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NONBLOCK;

/** Opens an existing regular file for reading; undefined when there is none (ENOENT). */
function openForReading(path: string, missingOk: boolean): number | undefined {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (e) {
    if (missingOk && (e as { code?: unknown }).code === 'ENOENT') return undefined;
    throw fileError('open', e);
  }
  try {
    if (!fstatSync(fd).isFile())
      throw new CardHsmError('ERR_FILE', 'cannot read the audit file (not a regular file)', 'path');
    return fd;
  } catch (e) {
    closeSync(fd);
    throw fileError('open', e);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Sinks

/**
 * Keeps records in memory, in `records` (tests, or a caller that forwards them elsewhere). Records the Hsm writes
 * arrive checked (a copy of their documented fields); write itself keeps what it is given.
 *
 * @example
 * const memory = new MemoryAuditSink()
 * new Hsm({ lmk: new Uint8Array(32).fill(1), activities: 'custodian', audit: memory }).generateKey({ usage: 'D0', algorithm: 'AES128' }).keyBlock.length  // => 144
 * memory.records.map((r) => [r.operation, r.activity, r.profile, r.usage, r.outcome])  // => [['generateKey', 'keys.generate', 'custodian', 'D0', 'success']]
 */
export class MemoryAuditSink implements AuditSink {
  readonly records: AuditRecord[] = [];
  write(record: AuditRecord): void {
    this.records.push(record);
  }
}

/** A file sink's state, out of reach of whoever holds the sink object. */
interface SinkState {
  readonly path: string;
  readonly writer: string;
  key: Uint8Array | undefined;
  seq: number;
  prev: string;
  /** The file may end in a partial line: start the next append with '\n'. */
  newline: boolean;
}

const sinkStates = new WeakMap<object, SinkState>();
const registeredKeys = new WeakMap<object, Uint8Array>();

/**
 * The keyed, hash-chained JSON-lines audit file (format in the module header). The object only names the file and
 * its writer id: records reach the file through the appender `auditWriter(sink, key)` returns to the Hsm, so
 * holding a sink gives no way to add a record, and nothing on it shows the key.
 *
 * @param path the file, created (mode 0600) on the first append; an existing file is never rewritten.
 * @throws ERR_TYPE (path not a non-empty string), ERR_FILE (the path exists but is not a readable regular file).
 *   A torn last line is not an error: see `tornAtOpen`.
 * @example
 * const trail = new JsonlAuditSink(`${tmp}/hsm-audit-jsonl.jsonl`)  // nothing is created until the Hsm writes
 * trail.writer.length  // => 16
 * trail.tornAtOpen  // => false
 * const audited = new Hsm({ lmk: new Uint8Array(32).fill(1), audit: trail })
 * audited.cardRef('4123456789012345').length  // => 64
 * verifyAuditLog(trail.path, { hsm: audited })  // => { ok: true, records: 1, writers: 1, torn: [] }
 */
export class JsonlAuditSink {
  readonly path: string;
  /** This sink's writer id: 16 lowercase hex digits from the CSPRNG, new for every instance. */
  readonly writer: string;
  /** True when the file ended in a partial line (no final '\n') when this sink opened it. */
  readonly tornAtOpen: boolean;

  constructor(path: string) {
    this.path = checkPath(path);
    this.writer = nodeCrypto().randomBytes(8).toString('hex');
    this.tornAtOpen = endsInPartialLine(this.path);
    sinkStates.set(this, {
      path: this.path,
      writer: this.writer,
      key: undefined,
      seq: 0,
      prev: GENESIS,
      newline: this.tornAtOpen,
    });
    Object.freeze(this);
  }
}

/** Reads only the last byte of the file: a non-empty file that does not end in '\n' ends in a torn line. */
function endsInPartialLine(path: string): boolean {
  const fd = openForReading(path, true);
  if (fd === undefined) return false;
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } catch (e) {
    throw fileError('read', e);
  } finally {
    closeSync(fd);
  }
}

/** Appends one whole line with a single write on an O_APPEND descriptor; ERR_FILE when it cannot. */
function appendLine(state: SinkState, line: string): void {
  const data = Buffer.from(`${(state.newline ? '\n' : '') + line}\n`, 'utf8');
  let fd: number;
  try {
    fd = openSync(state.path, APPEND_FLAGS, 0o600);
  } catch (e) {
    throw fileError('open', e);
  }
  try {
    let written: number;
    try {
      written = writeSync(fd, data);
    } catch (e) {
      state.newline = true; // a failed write may still have left part of the line
      throw fileError('append to', e);
    }
    if (written === data.length - 1) {
      // Everything but the final '\n': the record is whole (a complete JSON line verifies); the next append starts
      // with '\n'. Reusing its seq instead would make the writer's chain repeat a seq.
      state.newline = true;
      return;
    }
    if (written !== data.length) {
      // A short write (disk full): the line is torn. Never finish it with a second write, which another writer's
      // line could precede; the next append starts on a fresh line and reuses this seq.
      state.newline = true;
      throw new CardHsmError('ERR_FILE', 'cannot append to the audit file (short write)', 'path');
    }
    state.newline = false;
  } finally {
    try {
      closeSync(fd);
    } catch {
      // The bytes are written (or the error above is the one to report); a close error adds nothing.
    }
  }
}

/**
 * Registers the audit key of an owner (the Hsm), so that `verifyAuditLog(path, { hsm: owner })` works without the
 * key leaving the owner. Keeps a copy in a module-private WeakMap (dropped with the owner). Internal: not
 * exported from the package.
 *
 * @param owner any object; an owner keeps its first key.
 * @param key 32 bytes.
 * @throws ERR_TYPE (owner not an object, key not a Uint8Array), ERR_LENGTH (key not 32 bytes), ERR_KEY_USAGE
 *   (the owner already has a different key)
 */
export function registerAuditKey(owner: object, key: Uint8Array): void {
  if (owner === null || (typeof owner !== 'object' && typeof owner !== 'function')) {
    throw new CardHsmError('ERR_TYPE', '"owner" expected an object', 'owner');
  }
  const k = checkKey('key', key);
  const known = registeredKeys.get(owner);
  if (known !== undefined) {
    if (!constantTimeEqual(known, k))
      throw new CardHsmError('ERR_KEY_USAGE', '"owner" already has a different audit key', 'owner');
    return;
  }
  registeredKeys.set(owner, k.slice());
}

/**
 * The appender the Hsm writes its records through. For a JsonlAuditSink it binds the key to the sink (once: the
 * same key again returns another appender on the same chain; a different key is ERR_KEY_USAGE) and returns a
 * function that appends one keyed, chained line per record, synchronously, with one write. For any other sink it
 * returns `(record) => sink.write(record)`. Either way the record is checked first.
 *
 * @param sink a JsonlAuditSink, or an object with a write(record) method.
 * @param key the 32-byte audit key (copied).
 * @returns append(record): throws ERR_TYPE (not an AuditRecord), ERR_FILE (the line could not be written: the
 *   operation must fail), or whatever a custom sink throws.
 * @throws ERR_TYPE (sink without write, key not a Uint8Array), ERR_LENGTH (key not 32 bytes), ERR_KEY_USAGE
 */
export function auditWriter(sink: AuditSink | JsonlAuditSink, key: Uint8Array): (record: AuditRecord) => void {
  const k = checkKey('key', key);
  const state = sink !== null && typeof sink === 'object' ? sinkStates.get(sink) : undefined;
  if (state === undefined) {
    const write = sink !== null && typeof sink === 'object' ? (sink as { write?: unknown }).write : undefined;
    if (typeof write !== 'function')
      throw new CardHsmError(
        'ERR_TYPE',
        '"sink" expected a JsonlAuditSink or an object with a write(record) method',
        'sink',
      );
    const custom = sink as AuditSink;
    return (record) => custom.write(checkRecord(record));
  }
  if (state.key === undefined) state.key = k.slice();
  else if (!constantTimeEqual(state.key, k))
    throw new CardHsmError('ERR_KEY_USAGE', '"sink" is bound to a different audit key', 'sink');
  const bound = state.key;
  return (record) => {
    const body = canonical(state.writer, state.seq, state.prev, checkRecord(record));
    const mac = macOf(bound, body);
    appendLine(state, `${body.slice(0, -1)},"mac":"${mac}"}`);
    state.seq++;
    state.prev = mac;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Verification

const LINE_FIELDS = new Set([
  'writer',
  'seq',
  'prev',
  'time',
  'operation',
  'activity',
  'profile',
  'keyKcv',
  'usage',
  'outcome',
  'errorCode',
  'pan',
  'mac',
]);
const WRITER_MARK = '{"writer":"';
const utf8 = new TextDecoder('utf-8', { fatal: true });

interface Line {
  writer: string;
  seq: number;
  prev: string;
  mac: string;
  record: AuditRecord;
}

/** A parsed line as a chained record, or why it is not one. */
function asLine(value: unknown): Line | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return 'not an audit record (not a JSON object)';
  const o = value as Record<string, unknown>;
  const unknown = Object.keys(o).find((name) => !LINE_FIELDS.has(name));
  if (unknown !== undefined) return 'not an audit record (a field the format does not have)';
  const { writer, seq, prev, mac } = o;
  if (typeof writer !== 'string' || !HEX16.test(writer)) return 'not an audit record (writer)';
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return 'not an audit record (seq)';
  if (typeof prev !== 'string' || !HEX64.test(prev)) return 'not an audit record (prev)';
  if (typeof mac !== 'string' || !HEX64.test(mac)) return 'not an audit record (mac)';
  const record = recordFields(o);
  if (record === undefined) return 'not an audit record (record fields)';
  return { writer, seq: seq === 0 ? 0 : seq, prev, mac, record };
}

/** The JSON value of a line; for a torn line, the whole record glued after its fragment, if there is one. */
function parseLine(bytes: Uint8Array | undefined): { value?: unknown; torn: boolean } {
  if (bytes === undefined) return { torn: true }; // over MAX_LINE_BYTES
  let line: string;
  try {
    line = utf8.decode(bytes);
  } catch {
    return { torn: true };
  }
  try {
    return { value: JSON.parse(line), torn: false };
  } catch {
    // A fragment never contains an unescaped WRITER_MARK after its start, so the last one starts a glued record.
    const at = line.lastIndexOf(WRITER_MARK);
    if (at > 0) {
      try {
        return { value: JSON.parse(line.slice(at)), torn: true };
      } catch {
        // not a whole record either
      }
    }
    return { torn: true };
  }
}

/**
 * Calls `each` with every line of the file (without its '\n') and its 1-based number, reading 64 KiB at a time;
 * a line over MAX_LINE_BYTES is passed as undefined. Stops when `each` returns false.
 */
function eachLine(fd: number, each: (bytes: Uint8Array | undefined, number: number) => boolean): void {
  const chunk = Buffer.allocUnsafe(64 * 1024);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let number = 0;
  for (;;) {
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    const data = chunk.subarray(0, n);
    let start = 0;
    for (;;) {
      const nl = data.indexOf(0x0a, start);
      const piece = data.subarray(start, nl === -1 ? n : nl);
      if (pendingBytes <= MAX_LINE_BYTES) {
        pendingBytes += piece.length;
        if (pendingBytes <= MAX_LINE_BYTES) pending.push(Buffer.from(piece));
        else pending = [];
      }
      if (nl === -1) break;
      number++;
      const line = pendingBytes <= MAX_LINE_BYTES ? Buffer.concat(pending, pendingBytes) : undefined;
      pending = [];
      pendingBytes = 0;
      if (!each(line, number)) return;
      start = nl + 1;
    }
  }
  if (pendingBytes > 0)
    each(pendingBytes <= MAX_LINE_BYTES ? Buffer.concat(pending, pendingBytes) : undefined, number + 1);
}

function verificationKey(options: unknown): Uint8Array {
  if (options === null || typeof options !== 'object' || Array.isArray(options) || options instanceof Uint8Array) {
    throw new CardHsmError('ERR_TYPE', '"options" expected { key } or { hsm }', 'options');
  }
  const { key, hsm } = options as { key?: unknown; hsm?: unknown };
  if ((key === undefined) === (hsm === undefined))
    throw new CardHsmError('ERR_TYPE', '"options" expected exactly one of key and hsm', 'options');
  if (key !== undefined) return checkKey('options.key', key);
  if (hsm === null || (typeof hsm !== 'object' && typeof hsm !== 'function'))
    throw new CardHsmError('ERR_TYPE', '"options.hsm" expected the Hsm object', 'options.hsm');
  const registered = registeredKeys.get(hsm as object);
  if (registered === undefined)
    throw new CardHsmError('ERR_KEY_USAGE', '"options.hsm" has no audit key registered', 'options.hsm');
  return registered;
}

/**
 * Checks a JsonlAuditSink file under the audit key: every record's MAC, and each writer's chain (seq from 0 without
 * gaps or repeats, prev naming the writer's previous mac). Empty lines are ignored; a line that is not a complete
 * JSON record is listed in `torn` and is not by itself a failure. Stops at the first failure (`badLine`, `reason`).
 * Cannot show that a writer's newest records were removed (see the module header).
 *
 * @param path the file (a non-empty string; never a descriptor).
 * @param options `{ key }` (the 32-byte audit key) or `{ hsm }` (an Hsm, whose registered key is used).
 * @throws ERR_TYPE (path or options), ERR_LENGTH (key not 32 bytes), ERR_KEY_USAGE (no key registered for hsm),
 *   ERR_FILE (missing, unreadable, not a regular file)
 * @example
 * const auditKey = hsm.importKeyComponents({ usage: 'M7', algorithm: 'HMAC256', components: [new Uint8Array(32).fill(7)], allowSingleComponent: true }).keyBlock
 * const path = `${tmp}/hsm-audit-verify.jsonl`
 * new Hsm({ lmk: lmkFromHex('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F'), auditKey, audit: new JsonlAuditSink(path) }).cardRef('4123456789012345').length  // => 64
 * verifyAuditLog(path, { key: new Uint8Array(32).fill(7) })  // => { ok: true, records: 1, writers: 1, torn: [] }
 * verifyAuditLog(path, { key: new Uint8Array(32) }).reason  // => 'the MAC does not verify: the record was changed, or made under another key'
 */
export function verifyAuditLog(path: string, options: { key: Uint8Array } | { hsm: object }): AuditVerification {
  const file = checkPath(path);
  const key = verificationKey(options);
  const fd = openForReading(file, false)!;
  const chains = new Map<string, { seq: number; mac: string }>();
  const torn: number[] = [];
  let records = 0;
  let failure: { badLine: number; reason: string } | undefined;
  try {
    eachLine(fd, (bytes, number) => {
      if (bytes !== undefined && bytes.length === 0) return true;
      const parsed = parseLine(bytes);
      if (parsed.torn) torn.push(number);
      if (!('value' in parsed)) return true;
      const line = asLine(parsed.value);
      const fail = (reason: string) => {
        failure = { badLine: number, reason };
        return false;
      };
      if (typeof line === 'string') return fail(line);
      if (!constantTimeEqualString(macOf(key, canonical(line.writer, line.seq, line.prev, line.record)), line.mac)) {
        return fail('the MAC does not verify: the record was changed, or made under another key');
      }
      const last = chains.get(line.writer);
      const expected = last === undefined ? 0 : last.seq + 1;
      if (line.seq !== expected) {
        return fail(
          line.seq < expected
            ? `writer ${line.writer}: seq ${line.seq} again or out of order (expected ${expected})`
            : `writer ${line.writer}: seq ${line.seq}, expected ${expected}: a record is missing or torn`,
        );
      }
      if (line.prev !== (last === undefined ? GENESIS : last.mac))
        return fail(`writer ${line.writer}: prev does not name the previous record`);
      chains.set(line.writer, { seq: line.seq, mac: line.mac });
      records++;
      return true;
    });
  } catch (e) {
    throw fileError('read', e);
  } finally {
    closeSync(fd);
  }
  const result: AuditVerification = { ok: failure === undefined, records, writers: chains.size, torn };
  return failure === undefined ? result : { ...result, ...failure };
}

/**
 * A PAN (10-19 ASCII digits) masked to its first 6 and last 4 digits, as PCI DSS v4.0 req. 3.4.1 allows for
 * display, for audit records and logs; undefined for anything else (never throws).
 *
 * @example
 * maskPan('4123456789012345')  // => '412345******2345'
 * maskPan('4123456789012345678')  // => '412345*********5678'
 * maskPan('4123 4567')  // => undefined
 */
export function maskPan(pan: unknown): string | undefined {
  if (typeof pan !== 'string' || !/^[0-9]{10,19}$/.test(pan)) return undefined;
  return pan.slice(0, 6) + '*'.repeat(pan.length - 10) + pan.slice(-4);
}
