// What a known-answer test file may use that only Node (or only this repository) has: the independent references
// over node:crypto, Node's Buffer, the repository's source files, cardhsm internals that the package does not
// export. In the portable bundles each of these is a stand-in that throws NotPortableError when used, so the test
// that uses it is reported as `not-portable` instead of failing — and the same test is reported the same way in
// Node, Chromium and workerd (test/portable.test.ts compares the three). The vector files that tests read with
// node:fs are the one exception: readFileSync serves them from the bundle, as the files' own text.
import { VECTOR_FILES } from 'portable:vectors';

export class NotPortableError extends Error {
  constructor(what: string) {
    super(`${what} is not available outside Node (not part of cardhsm/core)`);
    this.name = 'NotPortableError';
  }
}

/** The NotPortableError `e` is or wraps as its cause (fast-check's property failures wrap it), if any. */
export function notPortableCause(e: unknown): NotPortableError | undefined {
  for (let x = e, depth = 0; x instanceof Error && depth < 8; x = x.cause, depth++)
    if (x instanceof NotPortableError) return x;
  return undefined;
}

/** A stand-in for `what`: calling it, constructing it or reading any property of it throws NotPortableError. */
export function notPortable(what: string): never {
  const thrower = () => {
    throw new NotPortableError(what);
  };
  return new Proxy(thrower, {
    get(_, key) {
      if (key === Symbol.toPrimitive || key === 'then') return undefined;
      throw new NotPortableError(`${what}.${String(key)}`);
    },
    construct() {
      throw new NotPortableError(what);
    },
  }) as never;
}

/** node:fs readFileSync for test/vectors/*.json (the bundle carries their text); anything else is not portable. */
export function readFileSync(path: unknown, encoding?: unknown): string {
  const m = /\/vectors\/([\w.-]+\.json)$/.exec(String(path instanceof URL ? path.pathname : path));
  const text = m === null ? undefined : VECTOR_FILES[m[1]!];
  if (text === undefined || encoding !== 'utf8')
    throw new NotPortableError(`node:fs readFileSync(${String(path).replace(/^.*\//, '…/')})`);
  return text;
}
