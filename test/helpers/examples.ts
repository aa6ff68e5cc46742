// Runs documentation examples (README's ```js blocks, TSDoc @example tags): the code runs top to bottom as one
// async function body with the given names in scope, and every `expression  // => value` line must evaluate to its
// value (deep equality). So the docs cannot drift from the code.
import { expect } from 'vitest';

const ASSERTION = /^(.*?)\s+\/\/ => (.*)$/;

/** The example as a function body: statements as written, each `expr // => value` line as a check. */
export function compileExample(code: string): { body: string; checks: number } {
  let checks = 0;
  const body = code
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

// Examples run as async functions, so they may `await` the store-backed methods.
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<void>;

/** Runs `code` with `scope`'s names bound; fails on a thrown error or a check that does not hold. */
export async function runExample(code: string, scope: Record<string, unknown>): Promise<number> {
  const { body, checks } = compileExample(code);
  const check = async (source: string, actual: () => Promise<unknown>, expected: () => Promise<unknown>) =>
    expect(await actual(), source).toEqual(await expected());
  const names = Object.keys(scope);
  await new AsyncFunction('__check', ...names, body)(check, ...names.map((n) => scope[n]));
  return checks;
}
