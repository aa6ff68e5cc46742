// The keyed, multi-writer, crash-safe audit trail (src/hsm/audit.ts), without the Hsm: records are appended
// through auditWriter under a test key, as the Hsm does. Proves that rewriting (even re-chained under another key
// or plain SHA-256), deleting, reordering, inserting or duplicating a record fails verification; that two processes
// appending to one file verify; that a torn last line is reported and the sink reopens; and that the sink object
// itself gives no way to append and shows no key.
import { afterAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import {
  auditWriter,
  JsonlAuditSink,
  maskPan,
  MemoryAuditSink,
  registerAuditKey,
  verifyAuditLog,
  type AuditRecord,
} from '../src/hsm/_audit.js';
import { CardHsmError } from '../src/index.js';
import { expectCardHsmError } from './helpers/errors.js';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => 0x40 + i);
const OTHER_KEY = new Uint8Array(32).fill(0xa5);
const GENESIS = '0'.repeat(64);
const KEY_HEX = Buffer.from(KEY).toString('hex');

const root = mkdtempSync(join(tmpdir(), 'cardhsm-audit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let files = 0;
/** A path for a new log file in a fresh folder (the file itself does not exist yet). */
function freshPath(): string {
  const dir = join(root, String(files++));
  mkdirSync(dir);
  return join(dir, 'audit.jsonl');
}

function record(i: number, extra: Partial<AuditRecord> = {}): AuditRecord {
  return {
    time: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
    operation: 'verifyPin',
    activity: 'pin.verify',
    profile: 'authorization',
    keyKcv: '0A1B2C',
    usage: 'V2',
    outcome: 'success',
    pan: '412345******2345',
    ...extra,
  };
}

/** A new sink on `path` with `n` records appended under `key`. */
function writeLog(path: string, n: number, key = KEY): JsonlAuditSink {
  const sink = new JsonlAuditSink(path);
  const append = auditWriter(sink, key);
  for (let i = 0; i < n; i++) append(record(i, i % 3 === 2 ? { outcome: 'error', errorCode: 'ERR_KEY_USAGE' } : {}));
  return sink;
}

function readLines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').slice(0, -1);
}

type LineObject = Record<string, unknown> & { writer: string; prev: string; mac: string };

/** Re-chains every line with `mac` (an attacker's recomputation), each writer from the genesis value. */
function rechain(lines: string[], mac: (body: string) => string): string[] {
  const last = new Map<string, string>();
  return lines.map((l) => {
    const { mac: _, ...rest } = JSON.parse(l) as LineObject;
    rest.prev = last.get(rest.writer) ?? GENESIS;
    const m = mac(JSON.stringify(rest));
    last.set(rest.writer, m);
    return JSON.stringify({ ...rest, mac: m });
  });
}

const hmacUnder = (key: Uint8Array) => (body: string) =>
  createHmac('sha256', key).update(`cardhsm-audit-v1\n${body}`).digest('hex');

describe('a keyed chain', () => {
  test('records chain and verify, under the key or the key registered for an owner', () => {
    const path = freshPath();
    const sink = writeLog(path, 5);
    expect(verifyAuditLog(path, { key: KEY })).toEqual({ ok: true, records: 5, writers: 1, torn: [] });
    const owner = {};
    registerAuditKey(owner, KEY);
    expect(verifyAuditLog(path, { hsm: owner })).toEqual({ ok: true, records: 5, writers: 1, torn: [] });

    const [first, second] = readLines(path).map((l) => JSON.parse(l) as LineObject);
    expect(Object.keys(first!)).toEqual([
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
      'pan',
      'mac',
    ]);
    expect(first).toMatchObject({
      writer: sink.writer,
      seq: 0,
      prev: GENESIS,
      operation: 'verifyPin',
      activity: 'pin.verify',
      profile: 'authorization',
      outcome: 'success',
      pan: '412345******2345',
    });
    expect(first!.mac).toMatch(/^[0-9a-f]{64}$/);
    expect(second).toMatchObject({ writer: sink.writer, seq: 1, prev: first!.mac });
  });

  test('the MAC is the documented one: HMAC-SHA-256 over the tag and the line without its mac (recomputed here)', () => {
    const path = freshPath();
    writeLog(path, 4);
    const lines = readLines(path);
    for (const line of lines) {
      const { mac, ...rest } = JSON.parse(line) as LineObject;
      expect(hmacUnder(KEY)(JSON.stringify(rest))).toBe(mac);
      expect(line).toBe(`${JSON.stringify(rest).slice(0, -1)},"mac":"${mac}"}`);
    }
    // The attack harness below is sound: re-chained under the right key, the log verifies.
    writeFileSync(path, `${rechain(lines, hmacUnder(KEY)).join('\n')}\n`);
    expect(verifyAuditLog(path, { key: KEY }).ok).toBe(true);
  });

  test('every new sink starts its own chain (a restart never continues the last writer)', () => {
    const path = freshPath();
    const a = writeLog(path, 3);
    const b = writeLog(path, 2);
    expect(a.writer).not.toBe(b.writer);
    expect([a.writer, b.writer].every((w) => /^[0-9a-f]{16}$/.test(w))).toBe(true);
    expect(JSON.parse(readLines(path)[3]!)).toMatchObject({ writer: b.writer, seq: 0, prev: GENESIS });
    expect(verifyAuditLog(path, { key: KEY })).toEqual({ ok: true, records: 5, writers: 2, torn: [] });
  });

  test('an empty file verifies with no records; empty lines are ignored', () => {
    const path = freshPath();
    writeFileSync(path, '');
    expect(verifyAuditLog(path, { key: KEY })).toEqual({ ok: true, records: 0, writers: 0, torn: [] });
    writeLog(path, 2);
    writeFileSync(path, `\n\n${readLines(path).join('\n\n')}\n\n`);
    expect(verifyAuditLog(path, { key: KEY })).toEqual({ ok: true, records: 2, writers: 1, torn: [] });
  });

  test('the wrong key fails at the first record', () => {
    const path = freshPath();
    writeLog(path, 3);
    expect(verifyAuditLog(path, { key: OTHER_KEY })).toMatchObject({ ok: false, records: 0, badLine: 1 });
  });

  // Two writers, interleaved A B A B …; the changes below hit writer A (lines 1, 3, 5, 7, 9 are A's seq 0..4).
  const edit = (l: string, f: (o: LineObject) => void) => {
    const o = JSON.parse(l) as LineObject;
    f(o);
    return JSON.stringify(o);
  };
  test.each<[string, (lines: string[]) => string[], number]>([
    [
      'rewriting a field, every record re-chained under another key',
      (ls) =>
        rechain(
          ls.map((l, i) => (i === 2 ? edit(l, (o) => (o.outcome = 'failure')) : l)),
          hmacUnder(OTHER_KEY),
        ),
      1,
    ],
    [
      'rewriting a field, every record re-chained with plain SHA-256 (the old chain)',
      (ls) =>
        rechain(
          ls.map((l, i) => (i === 2 ? edit(l, (o) => (o.outcome = 'failure')) : l)),
          (b) => createHash('sha256').update(b).digest('hex'),
        ),
      1,
    ],
    ['rewriting a field in place', (ls) => ls.map((l, i) => (i === 2 ? l.replace('"success"', '"failure"') : l)), 3],
    ['removing an optional field', (ls) => ls.map((l, i) => (i === 4 ? edit(l, (o) => delete o.errorCode) : l)), 5],
    ['adding a field', (ls) => ls.map((l, i) => (i === 2 ? edit(l, (o) => (o.note = 'x')) : l)), 3],
    [
      'moving a record to another writer',
      (ls) => ls.map((l, i) => (i === 2 ? edit(l, (o) => (o.writer = JSON.parse(ls[1]!).writer)) : l)),
      3,
    ],
    ['deleting a middle record', (ls) => ls.filter((_, i) => i !== 2), 4],
    ["deleting a writer's first record", (ls) => ls.slice(1), 2],
    ['reordering two records of a writer', (ls) => [ls[2]!, ls[1]!, ls[0]!, ...ls.slice(3)], 1],
    ['swapping two later records of a writer', (ls) => [...ls.slice(0, 4), ls[6]!, ls[5]!, ls[4]!, ...ls.slice(7)], 5],
    [
      'inserting a forged record (a guessed mac)',
      (ls) => [
        ...ls.slice(0, 3),
        edit(ls[2]!, (o) => Object.assign(o, { seq: 2, mac: 'ab'.repeat(32) })),
        ...ls.slice(3),
      ],
      4,
    ],
    [
      'inserting a record made under another key as a new writer',
      (ls) => [
        ...ls.slice(0, 3),
        rechain([edit(ls[0]!, (o) => (o.writer = 'fedcba9876543210'))], hmacUnder(OTHER_KEY))[0]!,
        ...ls.slice(3),
      ],
      4,
    ],
    ['duplicating a record', (ls) => [...ls.slice(0, 3), ls[2]!, ...ls.slice(3)], 4],
    ['a line that is JSON but not a record', (ls) => [...ls.slice(0, 3), '{}', ...ls.slice(3)], 4],
    ['a mac in uppercase', (ls) => ls.map((l, i) => (i === 2 ? edit(l, (o) => (o.mac = o.mac.toUpperCase())) : l)), 3],
  ])('detects %s', (_, change, badLine) => {
    const path = freshPath();
    const a = auditWriter(new JsonlAuditSink(path), KEY);
    const b = auditWriter(new JsonlAuditSink(path), KEY);
    for (let i = 0; i < 10; i++)
      (i % 2 === 0 ? a : b)(record(i, i === 4 ? { outcome: 'error', errorCode: 'ERR_FORMAT' } : {}));
    expect(verifyAuditLog(path, { key: KEY })).toMatchObject({ ok: true, records: 10, writers: 2 });
    writeFileSync(path, `${change(readLines(path)).join('\n')}\n`);
    const result = verifyAuditLog(path, { key: KEY });
    expect(result).toMatchObject({ ok: false, badLine });
    expect(result.reason).toEqual(expect.any(String));
  });
});

describe('concurrent writers', () => {
  test('two processes appending 500 records each to one file verify as two chains', async () => {
    const path = freshPath();
    const go = `${path}.go`;
    const helper = new URL('./helpers/audit-writer.ts', import.meta.url).pathname;
    const job = JSON.stringify({ path, key: KEY_HEX, count: 500, go });
    const run = () => {
      const child = spawn(process.execPath, ['--import', 'tsx', helper, job], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const ready = new Promise<void>((resolve) => child.stdout.on('data', () => out.includes('ready') && resolve()));
      const exit = new Promise<{ code: number | null; out: string }>((resolve) =>
        child.on('close', (code) => resolve({ code, out })),
      );
      return { ready, exit };
    };
    const writers = [run(), run()];
    await Promise.all(writers.map((w) => w.ready));
    writeFileSync(go, '');
    const results = await Promise.all(writers.map((w) => w.exit));
    expect(results.map((r) => r.code)).toEqual([0, 0]);

    expect(verifyAuditLog(path, { key: KEY })).toEqual({ ok: true, records: 1000, writers: 2, torn: [] });
    const ids = readLines(path).map((l) => (JSON.parse(l) as LineObject).writer);
    expect(ids).toHaveLength(1000);
    expect(new Set(ids)).toEqual(new Set(results.map((r) => /done ([0-9a-f]{16})/.exec(r.out)![1])));
    // The writers really did interleave (each naps 1 ms every 50 records, so neither can finish alone).
    expect(ids.filter((w, i) => i > 0 && w !== ids[i - 1]).length).toBeGreaterThanOrEqual(2);
  }, 60_000);

  test('two sinks in one process on one file, and two appenders bound to one sink with the same key', () => {
    const path = freshPath();
    const sink = new JsonlAuditSink(path);
    const [a1, a2] = [auditWriter(sink, KEY), auditWriter(sink, KEY.slice())];
    const b = auditWriter(new JsonlAuditSink(path), KEY);
    for (let i = 0; i < 30; i++) [a1, b, a2][i % 3]!(record(i));
    expect(verifyAuditLog(path, { key: KEY })).toEqual({ ok: true, records: 30, writers: 2, torn: [] });
  });
});

describe('torn lines (a crash mid-append)', () => {
  test('a torn last line: the sink opens, starts a fresh line, and verifyAuditLog reports the torn line', () => {
    const path = freshPath();
    writeLog(path, 3);
    truncateSync(path, statSync(path).size - 40);
    const sink = new JsonlAuditSink(path);
    expect(sink.tornAtOpen).toBe(true);
    expect(verifyAuditLog(path, { key: KEY })).toEqual({ ok: true, records: 2, writers: 1, torn: [3] });
    const append = auditWriter(sink, KEY);
    append(record(10));
    append(record(11));
    expect(verifyAuditLog(path, { key: KEY })).toEqual({ ok: true, records: 4, writers: 2, torn: [3] });
    expect(JSON.parse(readLines(path)[3]!)).toMatchObject({ writer: sink.writer, seq: 0 });
    expect(new JsonlAuditSink(path).tornAtOpen).toBe(false);
  });

  test('tornAtOpen is false for a missing, an empty and a whole file; no file is created before the first record', () => {
    const path = freshPath();
    expect(new JsonlAuditSink(path).tornAtOpen).toBe(false);
    expect(existsSync(path)).toBe(false);
    writeFileSync(path, '');
    expect(new JsonlAuditSink(path).tornAtOpen).toBe(false);
    writeLog(path, 1);
    expect(new JsonlAuditSink(path).tornAtOpen).toBe(false);
    const created = freshPath();
    writeLog(created, 1);
    expect(statSync(created).mode & 0o777).toBe(0o600);
  });

  test('only the tail is read at open: a junk file or a 3 GiB sparse file opens at once', () => {
    const junk = freshPath();
    writeFileSync(junk, '{"not":"a record\nnot json at all\n');
    expect(new JsonlAuditSink(junk).tornAtOpen).toBe(false);
    const huge = freshPath();
    writeFileSync(huge, '');
    truncateSync(huge, 3 * 2 ** 30); // more than readFileSync can read at all
    expect(new JsonlAuditSink(huge).tornAtOpen).toBe(true);
  });

  test('a torn record its writer chained past is damage, not a crash', () => {
    const path = freshPath();
    writeLog(path, 5);
    const lines = readLines(path);
    lines[2] = lines[2]!.slice(0, 50);
    writeFileSync(path, `${lines.join('\n')}\n`);
    expect(verifyAuditLog(path, { key: KEY })).toMatchObject({ ok: false, records: 2, torn: [3], badLine: 4 });
  });

  test("a torn first record its writer continued after fails (the writer's chain must start at seq 0)", () => {
    const path = freshPath();
    writeLog(path, 2);
    const lines = readLines(path);
    writeFileSync(path, `${lines[0]!.slice(0, 30)}\n${lines[1]}\n`);
    expect(verifyAuditLog(path, { key: KEY })).toMatchObject({ ok: false, torn: [1], badLine: 2 });
  });

  test('a torn line in the middle whose writer stopped there verifies (each writer may lose its last record)', () => {
    const path = freshPath();
    const a = auditWriter(new JsonlAuditSink(path), KEY);
    const b = auditWriter(new JsonlAuditSink(path), KEY);
    a(record(0));
    b(record(1));
    a(record(2));
    b(record(3));
    const lines = readLines(path);
    lines[2] = lines[2]!.slice(0, 70); // A's last record, cut as a crash would
    writeFileSync(path, `${lines.join('\n')}\n`);
    expect(verifyAuditLog(path, { key: KEY })).toEqual({ ok: true, records: 3, writers: 2, torn: [3] });
  });

  test("another process's record glued onto a fragment is found and verified; the line is reported torn", () => {
    const path = freshPath();
    const a = auditWriter(new JsonlAuditSink(path), KEY);
    const b = auditWriter(new JsonlAuditSink(path), KEY);
    a(record(0));
    b(record(1));
    a(record(2));
    b(record(3));
    const lines = readLines(path);
    // A crashed mid-line 3; B (open since before) appended its next record straight after the fragment.
    writeFileSync(path, `${lines[0]}\n${lines[1]}\n${lines[2]!.slice(0, 90)}${lines[3]}\n`);
    expect(verifyAuditLog(path, { key: KEY })).toEqual({ ok: true, records: 3, writers: 2, torn: [3] });
  });

  test('a line that is not UTF-8, or over 64 KiB, is torn', () => {
    const path = freshPath();
    writeLog(path, 1);
    writeFileSync(
      path,
      Buffer.concat([
        readFileSync(path),
        Buffer.from([0x7b, 0xff, 0xfe, 0x0a]),
        Buffer.from(`${'x'.repeat(70_000)}\n`),
      ]),
    );
    expect(verifyAuditLog(path, { key: KEY })).toEqual({ ok: true, records: 1, writers: 1, torn: [2, 3] });
  });

  test('a failed append fails closed (ERR_FILE), and the chain continues intact once the file can be written', () => {
    const dir = join(root, 'later');
    const path = join(dir, 'audit.jsonl');
    const append = auditWriter(new JsonlAuditSink(path), KEY);
    expectCardHsmError(() => append(record(0)), 'ERR_FILE', 'path');
    mkdirSync(dir);
    append(record(1));
    append(record(2));
    expect(verifyAuditLog(path, { key: KEY })).toEqual({ ok: true, records: 2, writers: 1, torn: [] });
    expect(JSON.parse(readLines(path)[0]!)).toMatchObject({ seq: 0, time: record(1).time });
  });
});

describe('the sink object', () => {
  test('has no way to append: nothing on it writes a line, and its fields cannot be redirected', () => {
    const path = freshPath();
    const sink = new JsonlAuditSink(path);
    const names = new Set<string | symbol>();
    for (let o: object | null = sink; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o))
      for (const k of Reflect.ownKeys(o)) names.add(k);
    const callable = [...names].filter(
      (k) => k !== 'constructor' && typeof (sink as unknown as Record<string | symbol, unknown>)[k] === 'function',
    );
    expect(callable).toEqual([]);
    expect(Object.keys(sink).sort()).toEqual(['path', 'tornAtOpen', 'writer']);
    expect(Object.isFrozen(sink)).toBe(true);
    expect(() => ((sink as { path: string }).path = freshPath())).toThrow(TypeError);
    for (const name of Object.getOwnPropertyNames(Object.prototype)) {
      const f = (sink as unknown as Record<string, unknown>)[name];
      if (typeof f === 'function' && !['constructor', '__defineGetter__', '__defineSetter__'].includes(name)) {
        try {
          f.call(sink, record(0), KEY);
        } catch {
          // some Object.prototype methods refuse these arguments; none may write
        }
      }
    }
    expect(existsSync(path)).toBe(false);
    // Bound to the Hsm's key, the sink refuses any other key: whoever holds it cannot add a record it would accept.
    auditWriter(sink, KEY)(record(0));
    expectCardHsmError(() => auditWriter(sink, OTHER_KEY), 'ERR_KEY_USAGE', 'sink');
    expect(verifyAuditLog(path, { key: KEY })).toEqual({ ok: true, records: 1, writers: 1, torn: [] });
  });

  test('inspect, String and JSON show no key', () => {
    const sink = new JsonlAuditSink(freshPath());
    const append = auditWriter(sink, KEY);
    append(record(0));
    for (const shown of [
      inspect(sink, { showHidden: true, depth: 5 }),
      String(sink),
      JSON.stringify(sink),
      inspect(append, { showHidden: true }),
      inspect(new MemoryAuditSink()),
    ]) {
      expect(shown.toLowerCase()).not.toContain(KEY_HEX.slice(0, 16));
      expect(shown).not.toMatch(/\b64, 65, 66\b/);
    }
    expect(JSON.parse(JSON.stringify(sink))).toEqual({ path: sink.path, writer: sink.writer, tornAtOpen: false });
  });

  test("keys are copied: changing the caller's array afterwards changes nothing", () => {
    const path = freshPath();
    const key = KEY.slice();
    const owner = {};
    registerAuditKey(owner, key);
    const append = auditWriter(new JsonlAuditSink(path), key);
    key.fill(0);
    append(record(0));
    expect(verifyAuditLog(path, { hsm: owner })).toMatchObject({ ok: true, records: 1 });
    expect(verifyAuditLog(path, { key: KEY })).toMatchObject({ ok: true, records: 1 });
  });

  test('an owner keeps its first key', () => {
    const owner = {};
    registerAuditKey(owner, KEY);
    registerAuditKey(owner, KEY.slice());
    expectCardHsmError(() => registerAuditKey(owner, OTHER_KEY), 'ERR_KEY_USAGE', 'owner');
  });
});

describe('other sinks', () => {
  test('MemoryAuditSink and custom sinks receive a checked copy of the record; a sink exception fails the call', () => {
    const memory = new MemoryAuditSink();
    auditWriter(memory, KEY)({ ...record(0), extra: 'dropped' } as AuditRecord);
    expect(memory.records).toEqual([record(0)]);
    const seen: AuditRecord[] = [];
    auditWriter(
      { write: (r: AuditRecord) => seen.push(r) },
      KEY,
    )(record(1, { pan: undefined, keyKcv: null, usage: null }));
    expect(seen).toEqual([{ ...record(1), pan: undefined, keyKcv: null, usage: null }].map(({ pan: _, ...r }) => r));
    const boom = new Error('sink down');
    expect(() =>
      auditWriter(
        {
          write: () => {
            throw boom;
          },
        },
        KEY,
      )(record(2)),
    ).toThrow(boom);
  });

  test('maskPan keeps the first 6 and last 4 digits', () => {
    expect(maskPan('4123456789012345')).toBe('412345******2345');
    expect(maskPan('412345678901')).toBe('412345**8901');
    for (const garbage of [
      '123',
      '41234567890123456789',
      '41234567890x2345',
      42,
      null,
      undefined,
      {},
      ['4123456789012345'],
    ])
      expect(maskPan(garbage)).toBeUndefined();
  });
});

describe('garbage in: typed errors', () => {
  const dir = join(root, 'a-directory');
  mkdirSync(dir, { recursive: true });

  test('new JsonlAuditSink', () => {
    for (const path of [0, 1, '', 'a\0b', null, undefined, {}, new Uint8Array(4)])
      expectCardHsmError(() => new JsonlAuditSink(path as string), 'ERR_TYPE', 'path');
    expectCardHsmError(() => new JsonlAuditSink(dir), 'ERR_FILE', 'path');
    expectCardHsmError(() => new JsonlAuditSink('/dev/null'), 'ERR_FILE', 'path');
  });

  test('registerAuditKey', () => {
    for (const owner of [null, undefined, 1, 'hsm', Symbol('x')])
      expectCardHsmError(() => registerAuditKey(owner as unknown as object, KEY), 'ERR_TYPE', 'owner');
    for (const key of [null, 'ab'.repeat(32), [...KEY], new Uint16Array(32), KEY.buffer])
      expectCardHsmError(() => registerAuditKey({}, key as unknown as Uint8Array), 'ERR_TYPE', 'key');
    for (const n of [0, 16, 31, 33, 64])
      expectCardHsmError(() => registerAuditKey({}, new Uint8Array(n)), 'ERR_LENGTH', 'key');
  });

  test('auditWriter and its appender', () => {
    for (const sink of [null, undefined, 0, 'path', {}, { write: 1 }, [], Object.create(JsonlAuditSink.prototype)])
      expectCardHsmError(() => auditWriter(sink as MemoryAuditSink, KEY), 'ERR_TYPE', 'sink');
    const sink = new JsonlAuditSink(freshPath());
    for (const key of [null, 'k', [...KEY]])
      expectCardHsmError(() => auditWriter(sink, key as unknown as Uint8Array), 'ERR_TYPE', 'key');
    expectCardHsmError(() => auditWriter(sink, new Uint8Array(16)), 'ERR_LENGTH', 'key');
    expectCardHsmError(() => auditWriter(new MemoryAuditSink(), new Uint8Array(16)), 'ERR_LENGTH', 'key');

    const bad: unknown[] = [
      null,
      undefined,
      1,
      'record',
      [],
      {},
      { ...record(0), time: 'yesterday' },
      { ...record(0), time: 0 },
      { ...record(0), operation: '' },
      { ...record(0), activity: undefined },
      { ...record(0), profile: 7 },
      { ...record(0), keyKcv: 1 },
      { ...record(0), usage: undefined },
      { ...record(0), outcome: 'ok' },
      { ...record(0), errorCode: null },
      { ...record(0), pan: '4123456789012345' },
      { ...record(0), pan: '412345**' },
      { ...record(0), operation: 'x'.repeat(201) },
    ];
    const memory = new MemoryAuditSink();
    for (const append of [auditWriter(sink, KEY), auditWriter(memory, KEY), auditWriter({ write: () => {} }, KEY)]) {
      for (const r of bad) expectCardHsmError(() => append(r as AuditRecord), 'ERR_TYPE', 'record');
    }
    expect(memory.records).toEqual([]);
    expect(existsSync(sink.path)).toBe(false);
  });

  test('verifyAuditLog', () => {
    const path = freshPath();
    writeLog(path, 1);
    for (const p of [0, 1, '', 'a\0b', null, undefined, new Uint8Array(1)])
      expectCardHsmError(() => verifyAuditLog(p as string, { key: KEY }), 'ERR_TYPE', 'path');
    for (const options of [
      null,
      undefined,
      1,
      'key',
      [],
      new Uint8Array(32),
      {},
      { key: KEY, hsm: {} },
      { key: undefined, hsm: undefined },
    ]) {
      expectCardHsmError(() => verifyAuditLog(path, options as { key: Uint8Array }), 'ERR_TYPE', 'options');
    }
    expectCardHsmError(
      () => verifyAuditLog(path, { key: 'ab'.repeat(32) as unknown as Uint8Array }),
      'ERR_TYPE',
      'options.key',
    );
    expectCardHsmError(() => verifyAuditLog(path, { key: new Uint8Array(31) }), 'ERR_LENGTH', 'options.key');
    expectCardHsmError(() => verifyAuditLog(path, { hsm: 1 as unknown as object }), 'ERR_TYPE', 'options.hsm');
    expectCardHsmError(() => verifyAuditLog(path, { hsm: {} }), 'ERR_KEY_USAGE', 'options.hsm');
    expectCardHsmError(() => verifyAuditLog(join(root, 'missing.jsonl'), { key: KEY }), 'ERR_FILE', 'path');
    expectCardHsmError(() => verifyAuditLog(dir, { key: KEY }), 'ERR_FILE', 'path');
    expectCardHsmError(() => verifyAuditLog('/dev/null', { key: KEY }), 'ERR_FILE', 'path');
  });

  test('any options to verifyAuditLog, and any sink or key to auditWriter, return or throw a CardHsmError', () => {
    const path = freshPath();
    writeLog(path, 2);
    const value = fc.oneof(
      fc.anything(),
      fc.constantFrom<unknown>(KEY, OTHER_KEY, new Uint8Array(16), {}, new MemoryAuditSink()),
    );
    fc.assert(
      fc.property(
        fc.oneof(value, fc.record({ key: value, hsm: value }, { requiredKeys: [] })),
        value,
        (options, key) => {
          for (const call of [
            () => verifyAuditLog(path, options as { key: Uint8Array }),
            () => auditWriter(options as MemoryAuditSink, key as Uint8Array),
          ]) {
            try {
              call();
            } catch (e) {
              expect(e).toBeInstanceOf(CardHsmError);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  test('any value appended returns or throws a CardHsmError, and the log still verifies', () => {
    const path = freshPath();
    const append = auditWriter(new JsonlAuditSink(path), KEY);
    append(record(0)); // one valid record whatever the sample: the log then has something to verify
    let written = 1;
    const recordish = fc.record(
      {
        time: fc.oneof(fc.constant(record(0).time), fc.string()),
        operation: fc.string({ maxLength: 3 }),
        activity: fc.constantFrom('pin.verify', '', 7),
        profile: fc.string(),
        keyKcv: fc.option(fc.string()),
        usage: fc.option(fc.string()),
        outcome: fc.constantFrom('success', 'failure', 'error', 'x'),
        pan: fc.option(fc.constantFrom('412345******2345', '4123456789012345'), { nil: undefined }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      // Whole records too, so that refused values fall between appended ones in the chain.
      fc.property(
        fc.oneof(
          fc.anything(),
          recordish,
          fc.integer({ min: 1, max: 59 }).map((i) => record(i)),
        ),
        (value) => {
          try {
            append(value as AuditRecord);
            written++;
          } catch (e) {
            expect(e).toBeInstanceOf(CardHsmError);
          }
        },
      ),
      { numRuns: 500 },
    );
    expect(written).toBeGreaterThan(50); // about a third of the 500 values are whole records (binomial: 167 ± 11)
    expect(verifyAuditLog(path, { key: KEY })).toEqual({ ok: true, records: written, writers: 1, torn: [] });
  });
});
