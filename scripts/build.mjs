// Builds dist/ from src/: declarations with tsc, JavaScript with esbuild. Run by `npm run build:ts` (after
// build:wasm has embedded the kernel into src/wasm/kernel.generated.ts).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

// The package's entry points (package.json "exports" and "bin"), and the worker the issuance pool starts by path.
const entryPoints = ['src/index.ts', 'src/store/sqlite.ts', 'src/store/postgres.ts', 'src/arbitraries.ts', 'src/cli/main.ts', 'src/issue/worker.ts', 'src/service/main.ts', 'src/client/index.ts'];

// Packages the built code imports at run time instead of carrying inside it: the store drivers and fast-check
// (optional, installed by the user), the command line's dependencies, and the service's (Fastify and its plugins,
// TypeBox, Ajv, Kysely, prom-client) — loaded only by the service entry and `cardhsm serve`, never by 'cardhsm'.
const external = ['better-sqlite3', 'pg', 'fast-check', 'commander', 'cli-progress', 'read', 'fastify', '@fastify/swagger', '@fastify/type-provider-typebox', '@sinclair/typebox', 'ajv', 'kysely', 'prom-client'];

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

// Declarations only: esbuild emits the JavaScript.
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--emitDeclarationOnly'], { cwd: root, stdio: 'inherit' });

await esbuild.build({
  absWorkingDir: root,
  entryPoints,
  bundle: true,
  // Shared code goes into chunks, so that every entry imports one copy of a module (one kernel instance).
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outbase: 'src',
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  external,
  logLevel: 'warning',
});
