// The public surface, from the tree alone: a module whose name starts with `_` is internal; every other library
// module (outside the applications in src/cli/ and src/service/) exports only what a package entry point gives
// users, and the entry points (package.json "exports") re-export only from public modules. This test reads the
// TypeScript sources with the compiler's own symbol tables, so a re-export under another name or through
// `export type *` counts exactly as users see it.
import { describe, expect, test } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const APPLICATIONS = ['cli', 'service'];

/** src/ files of every package entry point (package.json "exports" dist/x.js -> src/x.ts). */
function entryFiles(): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { import?: string }>;
  };
  return Object.values(pkg.exports)
    .map((e) => (typeof e === 'string' ? e : e.import))
    .filter((p): p is string => typeof p === 'string' && p.startsWith('./dist/') && p.endsWith('.js'))
    .map((p) => join(root, 'src', p.slice('./dist/'.length).replace(/\.js$/, '.ts')));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

const isInternal = (file: string): boolean => file.split(sep).at(-1)!.startsWith('_');
const isApplication = (file: string): boolean => APPLICATIONS.includes(relative(src, file).split(sep)[0]!);

const files = sourceFiles(src);
const entries = entryFiles();
const program = ts.createProgram(files, {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: ['node'],
});
const checker = program.getTypeChecker();

const exportsOf = (file: string): ts.Symbol[] => {
  const sf = program.getSourceFile(file);
  const module = sf && checker.getSymbolAtLocation(sf);
  return module ? checker.getExportsOfModule(module) : [];
};
const resolved = (s: ts.Symbol): ts.Symbol => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);

describe('the public surface', () => {
  test('the entry points are the package.json exports, and they exist', () => {
    expect(entries.map((f) => relative(root, f))).toContain(join('src', 'index.ts'));
    for (const f of entries) expect(files).toContain(f);
  });

  test('public modules export only what an entry point gives users (internals live in _name.ts)', () => {
    const published = new Set(entries.flatMap(exportsOf).map(resolved));
    const leaks = files
      .filter((f) => !isInternal(f) && !isApplication(f) && !entries.includes(f))
      .flatMap((f) =>
        exportsOf(f)
          .filter((s) => !published.has(resolved(s)))
          .map((s) => `${relative(src, f)}: ${s.name}`),
      );
    expect(leaks).toEqual([]);
  });

  test('entry points re-export only from public modules', () => {
    const fromInternal = entries.flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/^export\b[^;]*?from '([^']+)'/gms)]
        .filter((m) => m[1]!.split('/').at(-1)!.startsWith('_'))
        .map((m) => `${relative(src, f)}: ${m[1]}`),
    );
    expect(fromInternal).toEqual([]);
  });

  test('the check sees a leak: an export that no entry re-exports', () => {
    // validate.ts-style helpers are exactly what the rule is for; a symbol from a module that no entry reaches.
    const published = new Set(exportsOf(join(src, 'index.ts')).map(resolved));
    const pool = exportsOf(
      join(src, 'issue', files.some((f) => f.endsWith(join('issue', '_pool.ts'))) ? '_pool.ts' : 'pool.ts'),
    );
    expect(pool.filter((s) => !published.has(resolved(s))).length).toBeGreaterThan(0);
  });
});
