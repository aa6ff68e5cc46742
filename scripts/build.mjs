// Builds dist/ from src/: declarations with tsc, JavaScript with esbuild. Run by `npm run build:ts` (after
// build:wasm has embedded the kernel into src/wasm/_kernel.generated.ts).
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

// The package's entry points (package.json "exports" and "bin"), and the worker the issuance pool starts by path.
// src/core.ts is cardhsm/core on Node and Deno: built with the rest, it shares their chunks (one kernel, one
// CardHsmError class for a program that imports both cardhsm and cardhsm/core).
const entryPoints = [
  'src/index.ts',
  'src/core.ts',
  'src/store/sqlite.ts',
  'src/store/postgres.ts',
  'src/arbitraries.ts',
  'src/cli/main.ts',
  'src/issue/worker.ts',
  'src/service/main.ts',
  'src/client/index.ts',
];

// Packages the built code imports at run time instead of carrying inside it: every dependency, optional dependency
// and peer dependency of package.json — the store drivers, fast-check, the command line's packages and the
// service's (Fastify and its plugins, TypeBox, Ajv, Kysely, prom-client), loaded only by the service entry and
// `cardhsm serve`, never by 'cardhsm'. package.json is their one list.
const manifest = require('../package.json');
const external = [
  ...new Set(
    [manifest.dependencies, manifest.optionalDependencies, manifest.peerDependencies].flatMap((d) =>
      Object.keys(d ?? {}),
    ),
  ),
];

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

// Declarations only: esbuild emits the JavaScript.
execFileSync(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--emitDeclarationOnly'],
  { cwd: root, stdio: 'inherit' },
);

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

// cardhsm/core for the other runtimes (package.json "exports" conditions): one self-contained file each, built
// from the same src/core.ts for the browser platform, so a Node builtin anywhere in its graph fails the build.
//   dist/core.browser.js   `browser`: the kernel embedded, as on Node (plain bundlers, a <script type="module">)
//   dist/core.workerd.js   `workerd`: the kernel imported from ./cardhsm.wasm as a precompiled module, which is
//                          what Cloudflare Workers require; src/wasm/_kernel-default.workerd.ts stands in for
//                          _kernel-default.ts, and the .wasm import is left to the Worker's bundler.
// dist/cardhsm.wasm is the kernel as a file: for workerd, and for init(url | response | bytes) anywhere.
copyFileSync(new URL('../build/cardhsm.wasm', import.meta.url), new URL('../dist/cardhsm.wasm', import.meta.url));

/** Fails the build on any Node builtin, whatever the platform would do with it. */
const noNodeBuiltins = {
  name: 'no-node-builtins',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => ({
      errors: [{ text: `${args.path} imported by ${args.importer}: cardhsm/core must run without Node builtins` }],
    }));
  },
};

/** For the workerd build: _kernel-default.workerd.ts for _kernel-default.ts; the .wasm stays an import. */
const workerdKernel = {
  name: 'workerd-kernel',
  setup(build) {
    build.onResolve({ filter: /^\.\/_kernel-default\.js$/ }, (args) => ({
      path: fileURLToPath(new URL('_kernel-default.workerd.ts', `file://${args.resolveDir}/`)),
    }));
    build.onResolve({ filter: /^\.\/cardhsm\.wasm$/ }, () => ({ path: './cardhsm.wasm', external: true }));
  },
};

const portable = {
  absWorkingDir: root,
  entryPoints: ['src/core.ts'],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  logLevel: 'warning',
};
await esbuild.build({ ...portable, outfile: 'dist/core.browser.js', plugins: [noNodeBuiltins] });
await esbuild.build({ ...portable, outfile: 'dist/core.workerd.js', plugins: [noNodeBuiltins, workerdKernel] });
