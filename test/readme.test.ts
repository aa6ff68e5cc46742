// README's examples are executed: each ```js block of README.md runs top to bottom in one scope (so a block can
// build an Hsm and use it), and every `expression  // => value` line must evaluate to its value. The docs cannot
// drift from the code.
import { afterAll, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as api from '../src/index.js';
import { compileExample, runExample } from './helpers/examples.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);

const names = Object.keys(api);
const tmp = mkdtempSync(`${tmpdir()}/cardhsm-readme-`);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

test('README has an executed example for every exported function and class (init aside)', () => {
  const callable = names.filter((n) => typeof (api as Record<string, unknown>)[n] === 'function');
  const missing = callable.filter(
    (n) => !['CardHsmError', 'init'].includes(n) && !blocks.some((b) => b.includes(`${n}(`)),
  );
  expect(missing).toEqual([]);
});

test.each(blocks.map((b, i) => [i, b.split('\n')[0]!.slice(0, 70), b] as const))(
  'block %i: %s',
  async (_, __, block) => {
    expect(compileExample(block).checks).toBeGreaterThan(0);
    await runExample(block, { tmp, ...api });
  },
);
