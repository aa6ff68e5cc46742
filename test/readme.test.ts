// README's examples are executed: each ```js block of README.md runs top to bottom in one scope (so a block can
// build an Hsm and use it), and every `expression  // => value` line must evaluate to its value. The docs cannot
// drift from the code.
import { afterAll, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as api from '../src/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
const ASSERTION = /^(.*?)\s+\/\/ => (.*)$/;

const names = Object.keys(api);
const tmp = mkdtempSync(`${tmpdir()}/cardhsm-readme-`);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The block as a function body: statements as written, each `expr // => value` as a check. */
function compile(block: string): { body: string; checks: number } {
  let checks = 0;
  const body = block
    .split('\n')
    .map((line) => {
      const m = ASSERTION.exec(line);
      if (!m) return line;
      checks++;
      return `await __check(${JSON.stringify(m[1])}, async () => (${m[1]}), async () => (${m[2]}));`;
    })
    .join('\n');
  return { body, checks };
}

test('README has an executed example for every exported function and class (init aside)', () => {
  const callable = names.filter((n) => typeof (api as Record<string, unknown>)[n] === 'function');
  const missing = callable.filter((n) => !['CardHsmError', 'init'].includes(n) && !blocks.some((b) => b.includes(`${n}(`)));
  expect(missing).toEqual([]);
});

// Blocks run as async functions, so examples may `await` the store-backed methods.
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;

test.each(blocks.map((b, i) => [i, b.split('\n')[0]!.slice(0, 70), b] as const))('block %i: %s', async (_, __, block) => {
  const { body, checks } = compile(block);
  expect(checks).toBeGreaterThan(0);
  const check = async (source: string, actual: () => Promise<unknown>, expected: () => Promise<unknown>) => expect(await actual(), source).toEqual(await expected());
  const run = new AsyncFunction('__check', 'tmp', ...names, body);
  await run(check, tmp, ...names.map((n) => (api as Record<string, unknown>)[n]));
});
