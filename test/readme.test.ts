// README's API examples are executed: every `expression  // => value` line inside a ```js block of README.md
// must evaluate to its value, so the documentation cannot drift from the code.
import { expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import * as api from '../src/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
const examples = blocks.flatMap((b) => b.split('\n')).flatMap((line) => {
  const m = /^(.*?)\s+\/\/ => (.*)$/.exec(line);
  return m ? [{ expression: m[1]!, expected: m[2]! }] : [];
});

const names = Object.keys(api);
const evaluate = (source: string): unknown => new Function(...names, `return (${source});`)(...names.map((n) => (api as Record<string, unknown>)[n]));

test('README has an executed example for every exported function and class (init aside)', () => {
  const callable = names.filter((n) => typeof (api as Record<string, unknown>)[n] === 'function');
  const used = new Set(callable.filter((n) => examples.some((e) => e.expression.includes(`${n}(`))));
  const missing = callable.filter((n) => !used.has(n) && !['CardHsmError', 'init'].includes(n));
  expect(missing).toEqual([]);
});

test.each(examples.map((e) => [e.expression, e.expected] as const))('%s', (expression, expected) => {
  expect(evaluate(expression)).toEqual(evaluate(expected));
});
