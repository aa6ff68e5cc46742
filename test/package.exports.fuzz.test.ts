// Every export of every entry point in package.json "exports" (root and subpaths), every method of every exported
// class, called with garbage — null, numbers, NaN, objects, Symbols, wrong-length arrays and byte arrays, option
// bags with real option names and garbage values, 10 MB strings: each call returns, or throws (or rejects with) a
// CardHsmError with a known code, within a bounded time, and no error message repeats an input (a string carrying
// a marker, a PAN-length digit string, a key-length hex string). A new export or method is covered without
// editing this file; a new class needs a recipe below (the test fails until it has one).
import { afterAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { CardHsmError, type ErrorCode } from '../src/index.js';
import { API } from './helpers/api-table.js';

const CALLS_PER_TARGET = Number(process.env.CARDHSM_FUZZ_CALLS ?? 700);
const MAX_MS = 5_000; // a hang guard, not a speed target: every call here fails or returns in microseconds
const work = mkdtempSync(join(tmpdir(), 'cardhsm-fuzz-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * The library's entry points: package.json "exports", mapped from dist/*.js to the sources. `cardhsm/service`
 * and `cardhsm/client` are the HTTP boundary, not library calls: they are fuzzed over HTTP, every route with random
 * JSON and query strings (test/service.auth.test.ts), and their errors are the HTTP error envelope.
 */
const HTTP_ENTRIES = new Set(['./service', './client']);
function entryPoints(): Array<[string, string]> {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    exports: Record<string, string | { import?: string }>;
  };
  return Object.entries(pkg.exports)
    .filter(([name, target]) => !HTTP_ENTRIES.has(name) && typeof target === 'object' && target.import?.endsWith('.js'))
    .map(([name, target]) => [
      name,
      (target as { import: string }).import.replace(/^\.\/dist\//, '../src/').replace(/\.js$/, '.ts'),
    ]);
}

// ---------------------------------------------------------------------------------------------------------------
// Garbage

const MARK = 'ECHO';
const BIG = ['0'.repeat(10_000_000), MARK + 'A'.repeat(10_000_000)];
const OPTION_NAMES = [
  'pan',
  'pin',
  'key',
  'keyBlock',
  'cvk',
  'pvk',
  'pinKey',
  'panKey',
  'tokenKey',
  'kek',
  'format',
  'count',
  'bin',
  'length',
  'expiry',
  'serviceCode',
  'cardRef',
  'pinBlock',
  'method',
  'type',
  'pvv',
  'pvki',
  'usage',
  'algorithm',
  'modeOfUse',
  'exportability',
  'components',
  'digits',
  'items',
  'data',
  'mode',
  'iv',
  'from',
  'to',
  'lmk',
  'store',
  'audit',
  'at',
  'windowSeconds',
  'profile',
  'idempotencyKey',
  'reason',
  'activationCode',
  'offset',
  'validationData',
  'decimalizationTable',
  'psn',
  'imk',
  'code',
  'token',
  'options',
  'padding',
  'luhn',
  'alphabet',
  'tweak',
  'keepLeft',
  'keepRight',
  'connectionString',
  'max',
  'transportKey',
  'batchSize',
  'workers',
];

const primitive = fc.constantFrom<unknown>(
  null,
  undefined,
  true,
  false,
  0,
  -0,
  1,
  -1,
  3,
  4,
  8,
  16,
  32,
  2 ** 31,
  2 ** 53,
  1e9,
  1.5,
  NaN,
  Infinity,
  -Infinity,
  1n,
  Symbol(MARK),
);
const markedString = fc.string({ maxLength: 12 }).map((s) => s + MARK + s);
const panLike = fc.stringMatching(/^[0-9]{10,19}$/);
const hexKeyLike = fc.stringMatching(/^[0-9A-F]{16,64}$/);
const anyString = fc.oneof(
  markedString,
  panLike,
  hexKeyLike,
  fc.constantFrom('', '0', '1234', 'D0000P0AE00E0000', '\0', '../x'),
  fc.nat({ max: 1 }).map((i) => BIG[i]!),
);
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 40 }),
  fc.constantFrom(8, 16, 24, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
);
const oddObjects = fc.constantFrom<unknown>(
  {},
  Object.create(null),
  [],
  new Date(0),
  new Map(),
  new Uint16Array(4),
  new ArrayBuffer(8),
  new DataView(new ArrayBuffer(8)),
  () => 1,
  Promise.resolve(1),
);

const garbage: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    primitive,
    anyString,
    bytes,
    oddObjects,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...OPTION_NAMES), tie('value'), { maxKeys: 4 }),
  ),
})).value;

const argLists = fc.array(garbage, { maxLength: 4 });

/** Strings an error must not repeat: marked ones, PAN-length digits, key-length hex. */
function echoable(args: unknown, out: string[] = [], depth = 0): string[] {
  if (typeof args === 'string') {
    // (Regular expressions over the 10 MB strings would overflow the stack: those are checked by their prefix.)
    const head = args.slice(0, 64);
    if (args.includes(MARK) || /^[0-9]{10,}$/.test(head) || /^[0-9A-F]{16,}$/.test(head)) out.push(head.slice(0, 40));
  } else if (Array.isArray(args) && depth < 4) for (const a of args) echoable(a, out, depth + 1);
  else if (
    args !== null &&
    typeof args === 'object' &&
    !(args instanceof Uint8Array) &&
    depth < 4 &&
    Object.getPrototypeOf(args) === Object.prototype
  )
    for (const a of Object.values(args)) echoable(a, out, depth + 1);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Calls

const CODES = new Set<ErrorCode>();
let calls = 0;

async function settle<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${MAX_MS} ms`)), MAX_MS);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs one call and checks the contract; returns a description of the violation, or undefined. */
async function check(name: string, call: () => unknown, args: unknown[]): Promise<string | undefined> {
  calls++;
  const started = performance.now();
  try {
    const result = call();
    if (result instanceof Promise) await settle(result);
    else if (
      result !== null &&
      typeof result === 'object' &&
      typeof (result as AsyncGenerator).next === 'function' &&
      Symbol.asyncIterator in result
    ) {
      const it = result as AsyncGenerator;
      try {
        await settle(it.next());
      } finally {
        await settle(it.return(undefined));
      }
    }
  } catch (e) {
    if (!(e instanceof CardHsmError))
      return `${name} threw ${e instanceof Error ? `${e.name}: ${e.message}` : inspect(e)} for ${inspect(args, { depth: 2, maxStringLength: 40 })}`;
    if (typeof e.code !== 'string') return `${name} threw a CardHsmError without a code`;
    CODES.add(e.code);
    const text = `${e.message} ${e.field ?? ''}`;
    const echoed = echoable(args).find((s) => s.length >= 4 && text.includes(s));
    if (echoed !== undefined) return `${name}: error "${e.message}" repeats an input`;
  }
  const ms = performance.now() - started;
  return ms > MAX_MS ? `${name} took ${ms.toFixed(0)} ms` : undefined;
}

/** Fuzzes one target; returns its first few violations. */
async function fuzz(name: string, makeCall: (args: unknown[]) => () => unknown, seed: number): Promise<string[]> {
  const samples = fc.sample(argLists, { numRuns: CALLS_PER_TARGET, seed });
  const failures: string[] = [];
  for (const args of samples) {
    const failure = await check(name, makeCall(args), args);
    if (failure && failures.length < 2) failures.push(failure);
  }
  return failures;
}

// ---------------------------------------------------------------------------------------------------------------
// Classes: how to build an instance whose methods are then fuzzed

type Ctor = new (...args: unknown[]) => object;
const RECIPES: Record<string, () => Promise<object>> = {
  // Every activity, so that each method is fuzzed past its authorization.
  Hsm: async () => {
    const { ACTIVITIES, Hsm, MemoryStore } = await import('../src/index.js');
    return new Hsm({ lmk: new Uint8Array(32).fill(1), store: new MemoryStore(), activities: [...ACTIVITIES] });
  },
  MemoryStore: async () => new (await import('../src/index.js')).MemoryStore(),
  MemoryAuditSink: async () => new (await import('../src/index.js')).MemoryAuditSink(),
  JsonlAuditSink: async () => new (await import('../src/index.js')).JsonlAuditSink(join(work, 'audit.jsonl')),
  PanIssuer: async () =>
    new (await import('../src/index.js')).PanIssuer({ key: new Uint8Array(32).fill(2), bin: '457173', length: 16 }),
  SqliteStore: async () => new (await import('../src/store/sqlite.js')).SqliteStore({ path: ':memory:' }),
  // A closed loopback port: every query fails at once with ERR_STORE_UNAVAILABLE.
  PostgresStore: async () =>
    new (await import('../src/store/postgres.js')).PostgresStore({
      connectionString: 'postgres://fuzz@127.0.0.1:9/none',
    }),
  CardHsmError: async () => new CardHsmError('ERR_FORMAT', 'x'),
};

function isClass(f: unknown): f is Ctor {
  return typeof f === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(f));
}

/** Constructor garbage must not create files: a `path` is never a plain string here. */
function safeArgs(args: unknown[]): unknown[] {
  return args.map((a) =>
    a !== null && typeof a === 'object' && 'path' in a && typeof (a as { path: unknown }).path === 'string'
      ? { ...a, path: 1 }
      : a,
  );
}

const entries = entryPoints();

/** Every target of an entry: its functions and constructors, then each method of each exported class. */
async function targets(
  file: string,
): Promise<Array<{ name: string; make: () => Promise<(args: unknown[]) => () => unknown> }>> {
  const mod = (await import(file)) as Record<string, unknown>;
  const out: Array<{ name: string; make: () => Promise<(args: unknown[]) => () => unknown> }> = [];
  for (const [name, value] of Object.entries(mod)) {
    if (typeof value !== 'function') continue;
    if (!isClass(value)) {
      out.push({ name, make: async () => (args) => () => (value as (...a: unknown[]) => unknown)(...args) });
      continue;
    }
    out.push({ name: `new ${name}`, make: async () => (args) => () => new value(...safeArgs(args)) });
    for (const staticName of Object.getOwnPropertyNames(value).filter(
      (k) => typeof (value as unknown as Record<string, unknown>)[k] === 'function',
    )) {
      out.push({
        name: `${name}.${staticName}`,
        make: async () => (args) => () =>
          (value as unknown as Record<string, (...a: unknown[]) => unknown>)[staticName]!(...safeArgs(args)),
      });
    }
    const recipe = RECIPES[name];
    if (recipe === undefined) throw new Error(`exported class ${name} needs a recipe in package.exports.fuzz.test.ts`);
    const methods = Object.getOwnPropertyNames(value.prototype).filter(
      (m) => m !== 'constructor' && typeof Object.getOwnPropertyDescriptor(value.prototype, m)?.value === 'function',
    );
    for (const method of methods) {
      // A fresh instance per method, so that close() or wipe() does not decide what the other methods see.
      out.push({
        name: `${name}.${method}`,
        make: async () => {
          const instance = (await recipe()) as Record<string, (...a: unknown[]) => unknown>;
          return (args) => () => instance[method]!(...args);
        },
      });
    }
  }
  return out;
}

/**
 * A valid argument list with one value somewhere inside replaced by garbage: an argument, an option of an options
 * bag, or a field of an item of a batch — the places a shallow fuzzer never reaches behind the first check.
 */
function mutate(valid: unknown[], where: [number, number, number], value: unknown): unknown[] {
  const args = valid.map((a) =>
    Array.isArray(a)
      ? a.map((x) => (x !== null && typeof x === 'object' && !(x instanceof Uint8Array) ? { ...x } : x))
      : a !== null && typeof a === 'object' && !(a instanceof Uint8Array)
        ? { ...a }
        : a,
  );
  const at = where[0] % Math.max(1, args.length);
  const target = args[at];
  const keysOf = (o: object) => [...Object.keys(o), ...OPTION_NAMES];
  if (Array.isArray(target) && target.length > 0) {
    const item = target[where[1] % target.length];
    if (item !== null && typeof item === 'object' && !(item instanceof Uint8Array))
      (item as Record<string, unknown>)[keysOf(item)[where[2] % keysOf(item).length]!] = value;
    else target[where[1] % target.length] = value;
  } else if (target !== null && typeof target === 'object' && !(target instanceof Uint8Array) && where[1] % 3 !== 0) {
    (target as Record<string, unknown>)[keysOf(target)[where[2] % keysOf(target).length]!] = value;
  } else {
    args[at] = value;
  }
  return args;
}

describe('valid calls with one value deep inside replaced by garbage (the API table)', () => {
  test('every row', async () => {
    const failures: string[] = [];
    for (const [i, row] of API.entries()) {
      const cases = fc.sample(fc.tuple(fc.tuple(fc.nat(), fc.nat(), fc.nat()), garbage), {
        numRuns: CALLS_PER_TARGET,
        seed: 7000 + i,
      });
      for (const [where, value] of cases) {
        const args = mutate(row.valid, where, value);
        const failure = await check(row.name, () => (row.fn as (...a: unknown[]) => unknown)(...args), args);
        if (failure && failures.length < 10) failures.push(failure);
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);
});

describe('every export of every entry point, with garbage', () => {
  test('package.json names the entry points; at least 100,000 calls in all', async () => {
    expect(entries.map(([name]) => name)).toEqual(
      expect.arrayContaining(['.', './store/sqlite', './store/postgres', './arbitraries']),
    );
    let total = 0;
    for (const [, file] of entries) total += (await targets(file)).length * CALLS_PER_TARGET;
    if (CALLS_PER_TARGET >= 700) expect(total).toBeGreaterThanOrEqual(100_000);
  });

  entries.forEach(([entry, file], e) => {
    test(`${entry}: every function, constructor and method`, async () => {
      const list = await targets(file);
      const before = calls;
      const failures: string[] = [];
      for (const [i, t] of list.entries())
        failures.push(...(await fuzz(`${entry} ${t.name}`, await t.make(), 1000 * e + i)));
      expect(failures).toEqual([]);
      expect(calls - before).toBe(list.length * CALLS_PER_TARGET);
    }, 900_000);
  });

  afterAll(() => {
    // Only meaningful after a whole run; a failing call above already failed its test.
    if (calls > 0) expect(CODES.size).toBeGreaterThan(5);
  });
});
