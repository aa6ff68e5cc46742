// Bundles the known-answer test files, unchanged, for a runtime where vitest cannot run (a browser page, a
// Cloudflare Worker, Deno) — and for Node, the control: the same bundle under the same rules, so that any difference in
// results is the runtime's. cardhsm comes from the installed package (`cardhsm/core` resolved in `app` under the
// runtime's export conditions, as a user's bundler resolves it); the test files' `vitest` is ./vitest.ts; their
// Node-only imports and globals are stand-ins that report the test as not portable (./not-portable.ts).
import * as esbuild from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const testDir = fileURLToPath(new URL('..', import.meta.url));
const srcDir = fileURLToPath(new URL('../../src/', import.meta.url));
const harness = fileURLToPath(new URL('./vitest.ts', import.meta.url));
const notPortable = fileURLToPath(new URL('./not-portable.ts', import.meta.url));
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/**
 * The known-answer test files: test/*.test.ts that read test/vectors/, less the differential, property and store
 * tests (they compare against node:crypto or a database, not against published values).
 */
export function knownAnswerFiles(): string[] {
  return (
    readdirSync(testDir)
      // helpers.*.test.ts test the Node-only reference implementations, not cardhsm.
      .filter((f) => f.endsWith('.test.ts') && !/\.(diff|prop|store)\.test\.ts$/.test(f) && !f.startsWith('helpers.'))
      .filter((f) => /vectors\//.test(readFileSync(join(testDir, f), 'utf8')))
      .sort()
  );
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** A module whose every export is a not-portable stand-in, named after `what` (exports as in `names`). */
function standIns(what: string, names: string[], overrides: Record<string, string> = {}): string {
  const lines = [`import { notPortable, readFileSync as vectorFile } from ${JSON.stringify(notPortable)};`];
  for (const n of names.filter((n) => IDENT.test(n) && n !== 'default')) {
    lines.push(`export const ${n} = ${overrides[n] ?? `notPortable(${JSON.stringify(`${what} ${n}`)})`};`);
  }
  lines.push(`export default notPortable(${JSON.stringify(what)});`);
  return lines.join('\n');
}

function insideTests(path: string): boolean {
  return path.startsWith(testDir) && !path.includes(`${sep}node_modules${sep}`);
}

export interface KatBundleOptions {
  /** Where the packed cardhsm is installed (its node_modules/cardhsm). */
  app: string;
  outdir: string;
  platform: 'browser' | 'node';
  /** Export conditions beyond esbuild's defaults for the platform (e.g. workerd's). */
  conditions?: string[];
  /**
   * Leave `cardhsm/core` as an import for the runtime to resolve itself (Deno: from the app's node_modules, under
   * its `deno` condition); the bundle must then sit inside `app`.
   */
  runtimeResolves?: boolean;
  files: string[];
}

/** Writes outdir/kat.js (exports `runKats()`) and its chunks; returns the files written, relative to outdir. */
export async function bundleKnownAnswers(o: KatBundleOptions): Promise<string[]> {
  const entry = [
    `import { run } from ${JSON.stringify(harness)};`,
    `const files = [${o.files.map((f) => `[${JSON.stringify(f)}, () => import(${JSON.stringify(join(testDir, f))})]`).join(', ')}];`,
    'export function runKats() { return run(files); }',
  ].join('\n');
  const vectorDir = join(testDir, 'vectors');
  const vectors = Object.fromEntries(
    readdirSync(vectorDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [f, readFileSync(join(vectorDir, f), 'utf8')]),
  );

  const plugin: esbuild.Plugin = {
    name: 'portable-known-answers',
    setup(build) {
      build.onResolve({ filter: /^portable:/ }, (a) => ({ path: a.path, namespace: 'portable' }));
      build.onResolve({ filter: /^vitest$/ }, (a) => (insideTests(a.importer) ? { path: harness } : undefined));
      build.onResolve({ filter: /.*/ }, async (a) => {
        if (builtins.has(a.path)) {
          // cardhsm/core must never reach a builtin; test files may (their references run on Node only).
          if (!insideTests(a.importer))
            return { errors: [{ text: `${a.path} imported by ${a.importer}: not allowed outside the test files` }] };
          return { path: a.path, namespace: 'node-stand-in' };
        }
        if (!insideTests(a.importer) || !a.path.startsWith('.')) return undefined;
        const target = join(a.resolveDir, a.path).replace(/\.js$/, '.ts');
        if (!target.startsWith(srcDir)) return undefined;
        // The package's public API comes from the installed tarball; other source files are internals.
        if (target === join(srcDir, 'index.ts'))
          return o.runtimeResolves
            ? { path: 'cardhsm/core', external: true }
            : build.resolve('cardhsm/core', { kind: a.kind, resolveDir: o.app });
        return { path: target, namespace: 'internal-stand-in' };
      });
      build.onLoad({ filter: /.*/, namespace: 'portable' }, (a) => {
        if (a.path === 'portable:vectors')
          return { contents: `export const VECTOR_FILES = ${JSON.stringify(vectors)};`, loader: 'js' };
        if (a.path === 'portable:buffer')
          return {
            contents: standIns('Buffer', []).replace('export default', 'export const Buffer ='),
            loader: 'js',
            resolveDir: testDir,
          };
        if (a.path === 'portable:entry') return { contents: entry, loader: 'js', resolveDir: testDir };
        return { errors: [{ text: `unknown ${a.path}` }] };
      });
      build.onLoad({ filter: /.*/, namespace: 'node-stand-in' }, async (a) => {
        const names = Object.keys((await import(a.path)) as object);
        const overrides: Record<string, string> =
          a.path.replace(/^node:/, '') === 'fs' ? { readFileSync: 'vectorFile' } : {};
        return { contents: standIns(a.path, names, overrides), loader: 'js', resolveDir: testDir };
      });
      build.onLoad({ filter: /.*/, namespace: 'internal-stand-in' }, async (a) => {
        const names = Object.keys((await import(a.path)) as object);
        return {
          contents: standIns(`cardhsm internal ${relative(srcDir, a.path)}`, names),
          loader: 'js',
          resolveDir: testDir,
        };
      });
      // Node's Buffer global, where a test file uses it, is a stand-in too (bound in that file only).
      build.onLoad({ filter: /\.ts$/ }, (a) => {
        if (!insideTests(a.path)) return undefined;
        const text = readFileSync(a.path, 'utf8');
        return {
          contents: /\bBuffer\b/.test(text) ? `import { Buffer } from 'portable:buffer';\n${text}` : text,
          loader: 'ts',
        };
      });
    },
  };

  const result = await esbuild.build({
    entryPoints: { kat: 'portable:entry' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: o.platform,
    target: 'es2022',
    conditions: o.conditions,
    absWorkingDir: o.outdir,
    outdir: o.outdir,
    // The workerd build of cardhsm/core imports its kernel as a module; the Worker's configuration provides it.
    external: ['*.wasm'],
    plugins: [plugin],
    write: true,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.outputs);
}
