// cardhsm/core everywhere JavaScript runs, from the packed tarball (test/helpers/packed.ts: `npm pack`, installed
// into an empty project with no network):
// - the known-answer test files, unchanged, bundled as a user's bundler would bundle them (cardhsm/core under
//   each runtime's export conditions) and run in Node (the control), in Debian's headless Chromium, in workerd,
//   the Cloudflare Workers runtime, and in Deno (the `deno` devDependency: Deno's own binary from npm; Deno
//   resolves cardhsm/core from node_modules itself): the same tests with the same results, test for test;
// - the calculator page (examples/calculator/) clicked through in Chromium, with a screenshot;
// - init() in Chromium (the real .wasm compiled while it streams; no argument after an esbuild build) and in
//   workerd (the .wasm imported as a module; bytes refused with a clear error);
// - the bundles: no Node builtin and no Node polyfill in them, and README's sizes.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import * as api from '../src/index.js';
import { installPackedTarball, root } from './helpers/packed.js';
import { launchChromium } from './helpers/chromium.js';
import { serveStatic, type StaticServer } from './helpers/static-server.js';
import { startWorker, type RunningWorker } from './helpers/workerd.js';
import { bundleKnownAnswers, knownAnswerFiles } from './portable/bundle.js';
import type { TestResult } from './portable/vitest.js';
import { measureSizes } from '../scripts/size.mjs';

const WORKERD_CONDITIONS = ['workerd', 'worker', 'browser']; // what wrangler resolves a Worker's imports with
const DENO = join(root, 'node_modules', '.bin', 'deno'); // the `deno` devDependency: Deno's own binary, from npm
const work = mkdtempSync(join(tmpdir(), 'cardhsm-portable-'));
const site = join(work, 'site'); // served to Chromium: the KAT page, the calculator, test pages
const screenshots = join(root, 'test-output');
const files = knownAnswerFiles();
let app = '';
let dist = '';
let chromium: Browser;
let server: StaticServer;
const workers: RunningWorker[] = [];

beforeAll(async () => {
  app = installPackedTarball(work);
  dist = join(app, 'node_modules', 'cardhsm', 'dist');
  mkdirSync(site);
  chromium = await launchChromium();
  server = await serveStatic(site);
}, 240_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await chromium?.close();
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

/** A page's result: what its script stores in globalThis.__result (failing on any page error). */
async function pageResult<T>(page: Page, path: string): Promise<T> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(new URL(path, server.url).href);
  await page.waitForFunction(() => '__result' in globalThis || '__error' in globalThis, null, { timeout: 120_000 });
  const [result, error] = await page.evaluate(() => [
    (globalThis as Record<string, unknown>).__result,
    (globalThis as Record<string, unknown>).__error,
  ]);
  expect(errors).toEqual([]);
  expect(error).toBeUndefined();
  return result as T;
}

/** A module script page: `body` runs in an async module and its value becomes globalThis.__result. */
function modulePage(dir: string, script: string, body: string): void {
  writeFileSync(
    join(dir, `${script}.html`),
    `<!doctype html><meta charset="utf-8"><script type="module">
${
  body.includes('import ')
    ? body
        .split('\n')
        .filter((l) => l.startsWith('import '))
        .join('\n')
    : ''
}
try { globalThis.__result = await (async () => { ${body
      .split('\n')
      .filter((l) => !l.startsWith('import '))
      .join('\n')} })(); }
catch (e) { globalThis.__error = String(e && e.stack || e); }
</script>`,
  );
}

const summary = (results: TestResult[]) =>
  Object.fromEntries(['pass', 'fail', 'not-portable'].map((s) => [s, results.filter((r) => r.status === s).length]));
const outcomes = (results: TestResult[]) => results.map((r) => `${r.file} | ${r.name} | ${r.status}`);

describe('the known-answer test files, unchanged, from the packed tarball', () => {
  let control: TestResult[] = [];

  test('Node, the control (cardhsm/core under the `import` condition): every test passes or is not portable', async () => {
    const outdir = join(work, 'kat-node');
    mkdirSync(outdir);
    await bundleKnownAnswers({ app, outdir, platform: 'node', files });
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(join(outdir, 'kat.js'))}); console.log(JSON.stringify(await m.runKats()));`,
      ],
      { cwd: app, encoding: 'utf8', maxBuffer: 64 << 20 },
    );
    control = JSON.parse(out) as TestResult[];
    const s = summary(control);
    console.log(`known answers in Node: ${JSON.stringify(s)} over ${files.length} files (${files.join(', ')})`);
    console.log(
      `not portable (they need Node or cardhsm internals):\n  ${control
        .filter((r) => r.status === 'not-portable')
        .map((r) => `${r.file} > ${r.name.slice(0, 100)}: ${r.error?.slice(0, 120)}`)
        .join('\n  ')}`,
    );
    expect(control.filter((r) => r.status === 'fail')).toEqual([]);
    expect(new Set(control.map((r) => r.file))).toEqual(new Set(files));
    expect(s.pass).toBeGreaterThan(800);
    // The few that cannot run outside Node call node:crypto references, Buffer or an internal: they stay few.
    expect(s['not-portable']).toBeLessThan(s.pass! / 20);
    for (const r of control.filter((c) => c.status === 'not-portable')) expect(r.error).toMatch(/^NotPortableError: /);
  }, 180_000);

  test('headless Chromium (the `browser` condition, no init()): the same tests with the same results', async () => {
    const dir = join(site, 'kat');
    mkdirSync(dir);
    await bundleKnownAnswers({ app, outdir: dir, platform: 'browser', files });
    modulePage(dir, 'index', "import { runKats } from './kat.js';\nreturn runKats();");
    const page = await chromium.newPage();
    const results = await pageResult<TestResult[]>(page, 'kat/index.html');
    await page.close();
    expect(summary(results)).toEqual(summary(control));
    expect(outcomes(results)).toEqual(outcomes(control));
  }, 180_000);

  test('workerd (the `workerd` condition: cardhsm.wasm imported as a module): the same tests with the same results', async () => {
    const dir = join(work, 'kat-workerd');
    mkdirSync(dir);
    const modules = await bundleKnownAnswers({
      app,
      outdir: dir,
      platform: 'browser',
      conditions: WORKERD_CONDITIONS,
      files,
    });
    writeFileSync(
      join(dir, 'worker.js'),
      "import { runKats } from './kat.js';\nexport default { async fetch() { return Response.json(await runKats()); } };\n",
    );
    copyFileSync(join(dist, 'cardhsm.wasm'), join(dir, 'cardhsm.wasm'));
    const worker = await startWorker(dir, ['worker.js', ...modules, 'cardhsm.wasm']);
    workers.push(worker);
    const response = await fetch(worker.url);
    const text = await response.text();
    expect(response.status, `${text.slice(0, 500)}\n${worker.output()}`).toBe(200);
    const results = JSON.parse(text) as TestResult[];
    expect(summary(results)).toEqual(summary(control));
    expect(outcomes(results)).toEqual(outcomes(control));
  }, 180_000);

  test('Deno (its own resolution of cardhsm/core from node_modules, the `deno` condition): the same tests with the same results', async () => {
    const dir = join(app, 'kat-deno'); // inside the app, so that Deno finds node_modules/cardhsm
    mkdirSync(dir);
    await bundleKnownAnswers({ app, outdir: dir, platform: 'node', runtimeResolves: true, files });
    writeFileSync(
      join(dir, 'run.mjs'),
      "import { runKats } from './kat.js';\nconsole.log(JSON.stringify(await runKats()));\n",
    );
    // No network, no prompt; read access for the package's files, env for the test harness's colour check (the
    // test files' own dependencies read process.env on load). DENO_DIR keeps Deno's cache in the temp dir.
    const out = execFileSync(
      DENO,
      [
        'run',
        '--no-prompt',
        '--no-remote',
        '--node-modules-dir=manual',
        '--allow-read',
        '--allow-env',
        join(dir, 'run.mjs'),
      ],
      {
        cwd: app,
        encoding: 'utf8',
        maxBuffer: 64 << 20,
        env: { ...process.env, DENO_DIR: join(work, 'deno-dir'), NO_COLOR: '1' },
      },
    );
    const results = JSON.parse(out) as TestResult[];
    expect(summary(results)).toEqual(summary(control));
    // Test names made from a function's source keep `api.` here: with cardhsm left external, esbuild does not
    // rewrite the test files' `import * as api` references into direct ones, as it does when it bundles cardhsm.
    const unqualified = (rs: TestResult[]) => outcomes(rs).map((o) => o.replace(/\bapi\./g, ''));
    expect(unqualified(results)).toEqual(unqualified(control));
  }, 180_000);
});

describe('the calculator page (examples/calculator/), all client-side, in Chromium', () => {
  test('CVV, PIN blocks, KCV, TR-31 and Luhn give the library’s answers; a bad PAN shows its error code; screenshot saved', async () => {
    // Served as in a clone: examples/calculator/ beside dist/ (here the installed tarball's dist/).
    cpSync(join(root, 'examples', 'calculator'), join(site, 'examples', 'calculator'), { recursive: true });
    symlinkSync(dist, join(site, 'dist'));
    const page = await chromium.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(new URL('examples/calculator/', server.url).href);
    await page.waitForSelector('#status[data-state="ready"]', { timeout: 60_000 });
    const out = (form: string, name: string) => page.locator(`#${form} output[name="${name}"]`).textContent();
    const cvk = api.hexToBytes('0123456789ABCDEFFEDCBA9876543210');

    await page.click('#cvv button');
    expect(await out('cvv', 'cvv')).toBe('561');
    expect(await out('cvv', 'cvv2')).toBe(api.generateCvv2(cvk, '4123456789012345', '8701'));
    expect(await out('cvv', 'icvv')).toBe(api.generateIcvv(cvk, '4123456789012345', '8701'));

    await page.click('#pinblock button[name="encode"]');
    expect(await out('pinblock', 'encoded')).toBe('041261AAAAEDCBA9');
    await page.click('#pinblock button[name="decode"]');
    expect(await out('pinblock', 'decoded')).toBe('1234');
    await page.selectOption('#pinblock select[name="format"]', '4');
    await page.fill('#pinblock input[name="pin"]', '92389');
    await page.click('#pinblock button[name="encode"]');
    const iso4 = (await out('pinblock', 'encoded'))!;
    expect(iso4).toMatch(/^[0-9A-F]{32}$/);
    expect(
      api.decipherPinBlockIso4(
        api.hexToBytes('00112233445566778899AABBCCDDEEFF'),
        api.hexToBytes(iso4),
        '5555555551234567',
      ),
    ).toBe('92389');
    await page.click('#pinblock button[name="decode"]');
    expect(await out('pinblock', 'decoded')).toBe('92389');

    await page.click('#kcv button');
    expect(await out('kcv', 'kcv')).toBe('08D7B4');
    await page.fill('#kcv input[name="key"]', 'A1B2C3D4E5F60718293A4B5C6D7E8F90');
    await page.selectOption('#kcv select[name="algorithm"]', 'AES');
    await page.click('#kcv button');
    expect(await out('kcv', 'kcv')).toBe('9AD77D');

    await page.click('#tr31 button[name="describe"]');
    expect([
      await out('tr31', 'version'),
      await out('tr31', 'usage'),
      await out('tr31', 'algorithm'),
      await out('tr31', 'modeOfUse'),
      await out('tr31', 'exportability'),
    ]).toEqual(['D', 'P0', 'A', 'E', 'E']);
    expect(await out('tr31', 'key')).toBe('');
    await page.click('#tr31 button[name="unwrap"]');
    expect(await out('tr31', 'key')).toBe('3F419E1CB7079442AA37474C2EFBF8B8');
    expect(await out('tr31', 'keyKcv')).toBe(
      api.keyCheckValue(api.hexToBytes('3F419E1CB7079442AA37474C2EFBF8B8'), { algorithm: 'AES' }),
    );
    await page.fill('#tr31 input[name="kbpk"]', '00'.repeat(32));
    await page.click('#tr31 button[name="unwrap"]');
    expect(await page.locator('#tr31 .error').textContent()).toMatch(/^ERR_TR31_MAC on "keyBlock": /);
    expect(await out('tr31', 'key')).toBe(''); // no result of the earlier key block stays on screen

    await page.click('#luhn button[name="check"]');
    expect(await out('luhn', 'valid')).toBe('yes');
    await page.fill('#luhn input[name="number"]', '7992739871');
    await page.click('#luhn button[name="digit"]');
    expect(await out('luhn', 'checkDigit')).toBe('3');

    await page.fill('#cvv input[name="pan"]', '41234567890');
    await page.click('#cvv button');
    expect(await page.locator('#cvv .error').textContent()).toMatch(/^ERR_LENGTH on "pan": /);
    // Back to good inputs everywhere, for the screenshot.
    await page.fill('#cvv input[name="pan"]', '4123456789012345');
    await page.click('#cvv button');
    await page.fill('#tr31 input[name="kbpk"]', '88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6');
    await page.click('#tr31 button[name="unwrap"]');
    expect(await page.locator('.error').allTextContents()).toEqual(['', '', '', '', '']);

    mkdirSync(screenshots, { recursive: true });
    const shot = join(screenshots, 'calculator.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`calculator screenshot: ${shot}`);
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    // Everything came from the page's own origin: nothing was sent anywhere else.
    expect(requests.filter((u) => !u.startsWith(server.url))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});

describe('init() in Chromium', () => {
  test('init(URL of cardhsm.wasm) compiles the real .wasm while it streams; nothing compiles synchronously', async () => {
    const dir = join(site, 'init-url');
    mkdirSync(dir);
    copyFileSync(join(dist, 'core.browser.js'), join(dir, 'core.browser.js'));
    copyFileSync(join(dist, 'cardhsm.wasm'), join(dir, 'cardhsm.wasm'));
    modulePage(
      dir,
      'index',
      `const counts = { streaming: 0, sync: 0 };
const { compileStreaming, Module } = WebAssembly;
WebAssembly.compileStreaming = (r) => (counts.streaming++, compileStreaming(r));
WebAssembly.Module = function (b) { counts.sync++; return new Module(b); };
WebAssembly.Module.exports = Module.exports;
WebAssembly.Module.prototype = Module.prototype;
const core = await import('./core.browser.js');
const afterImport = { ...counts };
await core.init(new URL('cardhsm.wasm', location.href));
const cvv = core.generateCvv(core.hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '4123456789012345', '8701', '101');
const missing = await core.init(new URL('missing.wasm', location.href)).then(() => 'resolved', (e) => e.code);
return { afterImport, counts, cvv, missing };`,
    );
    const page = await chromium.newPage();
    const r = await pageResult<Record<string, unknown>>(page, 'init-url/index.html');
    await page.close();
    // A second init() after the kernel is loaded does nothing, so a missing URL then is not even fetched.
    expect(r).toEqual({
      afterImport: { streaming: 0, sync: 0 },
      counts: { streaming: 1, sync: 0 },
      cvv: '561',
      missing: 'resolved',
    });
  }, 60_000);

  test('init(URL) answering 404, and a foreign .wasm, fail with ERR_KERNEL_LOAD; init() then still works', async () => {
    const dir = join(site, 'init-errors');
    mkdirSync(dir);
    copyFileSync(join(dist, 'core.browser.js'), join(dir, 'core.browser.js'));
    // The smallest valid module: it compiles, but it is not cardhsm's kernel.
    writeFileSync(join(dir, 'foreign.wasm'), Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    modulePage(
      dir,
      'index',
      `const core = await import('./core.browser.js');
const code = (p) => p.then(() => 'resolved', (e) => [e.name, e.code, e.field]);
const missing = await code(core.init(new URL('missing.wasm', location.href)));
const foreign = await code(core.init(fetch('foreign.wasm')));
const wrongType = await code(core.init(42));
await core.init();
return { missing, foreign, wrongType, luhn: core.luhnCheckDigit('7992739871') };`,
    );
    const page = await chromium.newPage();
    const r = await pageResult<Record<string, unknown>>(page, 'init-errors/index.html');
    await page.close();
    expect(r).toEqual({
      missing: ['CardHsmError', 'ERR_KERNEL_LOAD', 'source'],
      foreign: ['CardHsmError', 'ERR_KERNEL_LOAD', 'source'],
      wrongType: ['CardHsmError', 'ERR_TYPE', 'source'],
      luhn: '3',
    });
  }, 60_000);

  test('init() with no argument after a plain esbuild build of a page that imports cardhsm/core', async () => {
    const dir = join(site, 'bundled');
    mkdirSync(dir);
    writeFileSync(
      join(app, 'page.js'),
      `import { init, generateCvv, hexToBytes } from 'cardhsm/core';
const counts = { async: 0, sync: 0 };
const { compile, Module } = WebAssembly;
WebAssembly.compile = (b) => (counts.async++, compile(b));
WebAssembly.Module = function (b) { counts.sync++; return new Module(b); };
WebAssembly.Module.exports = Module.exports;
WebAssembly.Module.prototype = Module.prototype;
try {
  await init();
  globalThis.__result = { counts, cvv: generateCvv(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '4123456789012345', '8701', '101') };
} catch (e) { globalThis.__error = String(e.stack || e); }
`,
    );
    await esbuild.build({
      absWorkingDir: app,
      entryPoints: ['page.js'],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      outfile: join(dir, 'page.js'),
      logLevel: 'silent',
    });
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><meta charset="utf-8"><script type="module" src="page.js"></script>',
    );
    const page = await chromium.newPage();
    const r = await pageResult<Record<string, unknown>>(page, 'bundled/index.html');
    await page.close();
    expect(r).toEqual({ counts: { async: 1, sync: 0 }, cvv: '561' });
  }, 60_000);
});

describe('init() in workerd', () => {
  test('no init(): the first operation instantiates the imported module; init(bytes) is refused with ERR_KERNEL_LOAD; init() and init(module) work', async () => {
    const dir = join(work, 'init-workerd');
    mkdirSync(dir);
    writeFileSync(
      join(app, 'worker-init.js'),
      `import * as core from 'cardhsm/core';
import kernelModule from './cardhsm.wasm';
import kernelBytes from './kernel.bin';
const code = (p) => p.then(() => 'resolved', (e) => [e.name, e.code, e.field, /disallowed/i.test(e.message)]);
export default {
  async fetch(request) {
    const path = new URL(request.url).pathname;
    if (path === '/bytes-first') {
      const bytes = await code(core.init(new Uint8Array(kernelBytes)));
      const none = await code(core.init());
      const again = await code(core.init(kernelModule));
      return Response.json({ bytes, none, again, cvv: core.generateCvv(core.hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '4123456789012345', '8701', '101') });
    }
    return new Response('not found', { status: 404 });
  },
};
`,
    );
    writeFileSync(
      join(app, 'worker-lazy.js'),
      `import * as core from 'cardhsm/core';
export default { async fetch() { return Response.json({ kcv: core.keyCheckValue(core.hexToBytes('0123456789ABCDEFFEDCBA9876543210')) }); } };
`,
    );
    // As wrangler does: bundle with the Workers conditions, leave .wasm imports to the runtime as modules. The
    // Worker's folder has cardhsm.wasm (from the package) beside the bundle, where both imports find it.
    const bundle = async (entry: string, out: string) => {
      const r = await esbuild.build({
        absWorkingDir: app,
        entryPoints: [entry],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        conditions: WORKERD_CONDITIONS,
        outfile: join(dir, out),
        external: ['*.wasm', '*.bin'],
        metafile: true,
        logLevel: 'silent',
      });
      return Object.keys(r.metafile.inputs);
    };
    const inputs = [...(await bundle('worker-init.js', 'init.js')), ...(await bundle('worker-lazy.js', 'lazy.js'))];
    expect(inputs).toContain('node_modules/cardhsm/dist/core.workerd.js');
    copyFileSync(join(dist, 'cardhsm.wasm'), join(dir, 'cardhsm.wasm'));
    copyFileSync(join(dist, 'cardhsm.wasm'), join(dir, 'kernel.bin'));

    const init = await startWorker(dir, ['init.js', 'cardhsm.wasm', 'kernel.bin']);
    workers.push(init);
    const r = (await (await fetch(new URL('/bytes-first', init.url))).json()) as Record<string, unknown>;
    expect(r).toEqual({
      bytes: ['CardHsmError', 'ERR_KERNEL_LOAD', 'source', true], // "Wasm code generation disallowed by embedder"
      none: 'resolved',
      again: 'resolved',
      cvv: '561',
    });

    const lazy = await startWorker(dir, ['lazy.js', 'cardhsm.wasm']);
    workers.push(lazy);
    expect(await (await fetch(lazy.url)).json()).toEqual({ kcv: '08D7B4' });
  }, 120_000);
});

describe('the bundles of cardhsm/core', () => {
  test('no Node builtin and no Node polyfill under any condition, in workerd no embedded kernel, the real .wasm in the tarball; README states the sizes measured here', async () => {
    const rows = await measureSizes(app);
    const [browserAll, browserOne, workerdAll, wasm] = rows as [
      (typeof rows)[0],
      (typeof rows)[0],
      (typeof rows)[0],
      (typeof rows)[0],
    ];
    console.log(rows.map((r) => `${r.name}: ${r.minified} B minified, ${r.gzip} B gzip`).join('\n'));
    for (const r of [browserAll, browserOne, workerdAll]) {
      // Only the package's own files: no polyfill package was pulled in.
      expect(r.inputs.filter((f) => !f.startsWith('node_modules/cardhsm/dist/') && f !== '<stdin>')).toEqual([]);
      expect(r.code).not.toMatch(/\bBuffer\b|\bprocess\.|\brequire\(|["']node:|__dirname/);
    }
    expect(browserAll.inputs).toEqual(['node_modules/cardhsm/dist/core.browser.js', '<stdin>']);
    expect(workerdAll.inputs).toEqual(['node_modules/cardhsm/dist/core.workerd.js', '<stdin>']);
    // The workerd build carries no copy of the kernel (about 87 KB of base64): it imports cardhsm.wasm.
    expect(workerdAll.code).toMatch(/from"\.\/cardhsm\.wasm"/);
    expect(workerdAll.minified).toBeLessThan(browserAll.minified - wasm.minified);
    // The file Deno and Node get (the `deno` / `import` conditions) shares chunks with the Node-only root entry;
    // its own graph has no builtin either: esbuild's neutral platform fails on any import it cannot resolve.
    const deno = await esbuild.build({
      stdin: { contents: "export * from 'cardhsm/core';", resolveDir: app },
      absWorkingDir: app,
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      conditions: ['deno', 'import'],
      metafile: true,
      logLevel: 'silent',
    });
    const denoInputs = Object.keys(deno.metafile.inputs).filter((f) => f !== '<stdin>');
    expect(denoInputs).toContain('node_modules/cardhsm/dist/core.js');
    expect(denoInputs.every((f) => f.startsWith('node_modules/cardhsm/dist/'))).toBe(true);
    // The tarball's kernel file is the kernel the build embedded.
    expect(readFileSync(join(dist, 'cardhsm.wasm')).equals(readFileSync(join(root, 'build', 'cardhsm.wasm')))).toBe(
      true,
    );
    // README's table (KiB, one decimal) is within 10% of what is measured now.
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const r of rows) {
      const line = readme.split('\n').find((l) => l.startsWith(`| ${r.name} |`));
      expect(line, `README's size table has a row "${r.name}"`).toBeDefined();
      const [minified, gzip] = [...line!.matchAll(/([\d.]+) KiB/g)].map((m) => Number(m[1]) * 1024);
      expect(Math.abs(minified! - r.minified) / r.minified, `${r.name}: minified`).toBeLessThan(0.1);
      expect(Math.abs(gzip! - r.gzip) / r.gzip, `${r.name}: gzip`).toBeLessThan(0.1);
    }
  }, 60_000);
});
