// Sizes of cardhsm/core as a user's bundle carries it: the entry bundled and minified by esbuild under the
// browser's and workerd's export conditions, then gzipped (level 9), and the kernel as a .wasm file. Run by
// `npm run size` (after the build) against this repository; test/portable.test.ts runs measureSizes() against the
// packed tarball installed in an empty project and checks README's figures against it.
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

async function bundle(contents, resolveDir, conditions) {
  const result = await esbuild.build({
    stdin: { contents, resolveDir, loader: 'js' },
    absWorkingDir: resolveDir,
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions,
    external: ['*.wasm'],
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return {
    code: Buffer.from(code).toString('utf8'),
    minified: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    inputs: Object.keys(result.metafile.inputs),
  };
}

/**
 * Measures cardhsm/core where `resolveDir` resolves the package (this repository itself, or a project with it
 * installed). Returns one row per artifact; `code` and `inputs` are for checks (what the bundle contains).
 */
export async function measureSizes(resolveDir = root) {
  const req = createRequire(`${resolveDir}/`);
  const wasm = readFileSync(req.resolve('cardhsm/cardhsm.wasm'));
  const all = "export * from 'cardhsm/core';";
  const one =
    "import { generateCvv, hexToBytes } from 'cardhsm/core'; export const cvv = (k, p, e, s) => generateCvv(hexToBytes(k), p, e, s);";
  return [
    { name: 'cardhsm/core, browser (every export, kernel embedded)', ...(await bundle(all, resolveDir, ['browser'])) },
    { name: 'cardhsm/core, browser (generateCvv + hexToBytes only)', ...(await bundle(one, resolveDir, ['browser'])) },
    {
      name: 'cardhsm/core, workerd (every export; kernel in cardhsm.wasm)',
      ...(await bundle(all, resolveDir, ['workerd', 'worker', 'browser'])),
    },
    {
      name: 'cardhsm.wasm (the kernel)',
      code: '',
      minified: wasm.length,
      gzip: gzipSync(wasm, { level: 9 }).length,
      inputs: [],
    },
  ];
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await measureSizes();
  console.log('| artifact | minified | minified + gzip |\n| --- | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.name} | ${kb(r.minified)} | ${kb(r.gzip)} |`);
}
