// The part of vitest's API that the known-answer test files use (describe, test, it, .each, expect), for running
// those files unchanged where vitest cannot run: a browser page and a Cloudflare Worker. test/portable.test.ts
// bundles each file with `vitest` resolved to this module. `expect` is vitest's own (@vitest/expect, on chai), so
// every matcher means exactly what it means under vitest; only collection and running are re-done here, simply:
// tests run one after another, in the order they were declared.
import {
  ASYMMETRIC_MATCHERS_OBJECT,
  GLOBAL_EXPECT,
  JestAsymmetricMatchers,
  JestChaiExpect,
  JestExtend,
  chai,
  getState,
  setState,
  type ExpectStatic,
} from '@vitest/expect';
import { format } from '@vitest/utils/display';
import { notPortableCause } from './not-portable.js';

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);

export const expect = ((value: unknown, message?: string) => {
  const { assertionCalls } = getState(expect);
  setState({ assertionCalls: assertionCalls + 1 }, expect);
  return chai.expect(value, message);
}) as ExpectStatic;
Object.assign(expect, chai.expect);
Object.assign(expect, (globalThis as Record<PropertyKey, unknown>)[ASYMMETRIC_MATCHERS_OBJECT]);
expect.getState = () => getState(expect);
expect.setState = (state) => setState(state, expect);
setState(
  {
    assertionCalls: 0,
    isExpectingAssertions: false,
    isExpectingAssertionsError: null,
    expectedAssertionsNumber: null,
    expectedAssertionsNumberErrorGen: null,
  },
  expect,
);
(globalThis as Record<PropertyKey, unknown>)[GLOBAL_EXPECT] = expect;

/** One test's outcome. `not-portable`: it needs what only Node has (see not-portable.ts), so it did not run. */
export interface TestResult {
  file: string;
  name: string;
  status: 'pass' | 'fail' | 'not-portable';
  error?: string;
}

type Body = () => unknown;
type Item =
  | { kind: 'test'; file: string; name: string; body: Body | undefined }
  | { kind: 'describe'; file: string; path: string[]; body: Body }
  | { kind: 'error'; file: string; name: string; error: unknown };

// Where test() and describe() register: the top-level list while files load, a describe's own list while its body
// runs. describe bodies run in run(), not while their file loads (vitest runs them as the file loads): in a
// Worker, module evaluation is global scope, where generating random values is refused, and some bodies do.
let file = '';
let path: string[] = [];
let sink: Item[] = [];
const topLevel = sink;

function message(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function title(template: string, items: unknown[], index: number): string {
  const t = template.replace(/%#/g, String(index)).replace(/%\$/g, String(index + 1));
  return format(t, ...items);
}

function each(register: (name: string, body: Body) => void) {
  return (cases: readonly unknown[]) => (template: string, fn: (...args: unknown[]) => unknown) => {
    cases.forEach((c, i) => {
      const items = Array.isArray(c) ? c : [c];
      register(title(template, items, i), () => fn(...items));
    });
  };
}

function registerTest(name: string, body?: Body): void {
  sink.push({ kind: 'test', file, name: [...path, name].join(' > '), body });
}

function registerDescribe(name: string, body: Body): void {
  sink.push({ kind: 'describe', file, path: [...path, name], body });
}

export const test = Object.assign(registerTest, { each: each(registerTest) });
export const it = test;
export const describe = Object.assign(registerDescribe, { each: each(registerDescribe) });

/** Runs describe bodies depth first, in declaration order: the flat list of tests (and collection errors). */
function expand(items: Item[]): Item[] {
  const out: Item[] = [];
  for (const item of items) {
    if (item.kind !== 'describe') {
      out.push(item);
      continue;
    }
    const [outerSink, outerPath, outerFile] = [sink, path, file];
    [sink, path, file] = [[], item.path, item.file];
    try {
      const r = item.body();
      if (typeof (r as { then?: unknown } | undefined)?.then === 'function')
        throw new Error('a describe body returned a promise: not supported');
    } catch (e) {
      // What the body registered before it threw still runs; the throw is one more result.
      sink.push({ kind: 'error', file, name: [...path, '(collecting)'].join(' > '), error: e });
    }
    const inner = sink;
    [sink, path, file] = [outerSink, outerPath, outerFile];
    out.push(...expand(inner));
  }
  return out;
}

function outcome(e: unknown): Pick<TestResult, 'status' | 'error'> {
  const cause = notPortableCause(e);
  return cause !== undefined
    ? { status: 'not-portable', error: message(cause) }
    : { status: 'fail', error: message(e) };
}

/** Loads each test file, collects its tests, then runs every test in declaration order. */
export async function run(files: ReadonlyArray<readonly [string, () => Promise<unknown>]>): Promise<TestResult[]> {
  for (const [name, load] of files) {
    file = name;
    try {
      await load();
    } catch (e) {
      topLevel.push({ kind: 'error', file, name: '(loading the file)', error: e });
    }
  }
  const results: TestResult[] = [];
  for (const t of expand(topLevel.splice(0))) {
    if (t.kind === 'error') {
      results.push({ file: t.file, name: t.name, ...outcome(t.error) });
      continue;
    }
    if (t.kind !== 'test') continue;
    if (t.body === undefined) throw new Error(`test "${t.name}" has no body (todo tests are not allowed)`);
    try {
      await t.body();
      results.push({ file: t.file, name: t.name, status: 'pass' });
    } catch (e) {
      results.push({ file: t.file, name: t.name, ...outcome(e) });
    }
  }
  return results;
}
