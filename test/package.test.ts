// The package as users get it: `npm pack`, install the tarball into an empty folder, import 'cardhsm' there and
// run README's main job with its `cardhsm` command. Hermetic: no registry and no npm cache is used. The
// tarball's runtime dependencies (the lockfile's non-dev packages) are packed from this repository's own
// node_modules and installed beside it, with the registry pointed at a closed port and an empty cache, so the
// test passes on a fresh machine and fails if anything would need the network.
//
// better-sqlite3's install script (prebuild-install, else node-gyp) is skipped here, and the addon that
// `npm install` compiled for this repository is copied in: compiling SQLite again would take minutes, and
// that compilation is already what the repository's own `npm install` proves.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLuhnValid } from '../src/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const work = mkdtempSync(join(tmpdir(), 'cardhsm-pack-'));
const app = join(work, 'app');
const installed = join(app, 'node_modules', 'cardhsm');
const cli = join(installed, 'dist', 'cli', 'main.js');

/** The lockfile's runtime packages (dependencies and optionalDependencies, transitively): their folders. */
function runtimePackages(): string[] {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  return Object.entries(lock.packages)
    .filter(([path, meta]) => path !== '' && meta.dev !== true)
    .map(([path]) => path);
}

/** npm with no registry and an empty cache: anything that would need the network fails at once. */
function npmOffline(args: string[], cwd: string): void {
  const cache = join(work, 'empty-cache');
  mkdirSync(cache, { recursive: true });
  execFileSync(npm, [...args, '--offline', '--no-audit', '--no-fund', '--registry=http://127.0.0.1:9/', `--cache=${cache}`], { cwd, stdio: 'pipe' });
}

beforeAll(() => {
  expect(existsSync(join(root, 'dist', 'index.js')), 'dist/ is built by `npm install` / `npm test`').toBe(true);
  const deps = join(work, 'deps');
  mkdirSync(deps);
  npmOffline(['pack', '--ignore-scripts', '--pack-destination', work], root);
  npmOffline(['pack', '--ignore-scripts', '--pack-destination', deps, ...runtimePackages().map((p) => `./${p}`)], root);
  mkdirSync(app);
  // The project's nested "overrides" (versions it pins inside its dependencies' trees, e.g. one fast-uri for
  // Fastify and Ajv) go to the app too: offline, npm can install only the versions packed here. (A package's own
  // pin, ".", is dropped: every package is a direct dependency of the app here, which npm would not override.)
  const { overrides = {} } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { overrides?: Record<string, unknown> };
  const nested = Object.fromEntries(
    Object.entries(overrides)
      .filter(([, v]) => typeof v === 'object' && v !== null)
      .map(([k, v]) => [k, Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([name]) => name !== '.'))]),
  );
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module', overrides: nested }));
  const tarball = readdirSync(work).find((f) => f.startsWith('cardhsm-') && f.endsWith('.tgz'));
  expect(tarball).toBeDefined();
  npmOffline(['install', '--ignore-scripts', join(work, tarball!), ...readdirSync(deps).map((f) => join(deps, f))], app);
  const addon = join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  mkdirSync(join(app, addon, '..'), { recursive: true });
  copyFileSync(join(root, addon), join(app, addon));
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

test('the tarball ships dist/ with types and no sources, and the root import computes CVV 561', () => {
  expect(existsSync(join(installed, 'dist', 'index.d.ts'))).toBe(true);
  expect(existsSync(join(installed, 'src'))).toBe(false);
  const out = execFileSync(
    process.execPath,
    ['-e', "import('cardhsm').then(m=>console.log(m.generateCvv(m.hexToBytes('0123456789ABCDEFFEDCBA9876543210'),'4123456789012345','8701','101')))"],
    { cwd: app, encoding: 'utf8' },
  );
  expect(out.trim()).toBe('561');
});

test('the root import loads no store driver and no CLI library; a SqliteStore loads its driver', () => {
  // require.cache lists every CommonJS module loaded, also those imported from ESM; the drivers and the CLI's
  // libraries are all CommonJS. The second list is the control: the check sees a driver when one is loaded.
  const script = "const seen=()=>Object.keys(require.cache).join('\\n');import('cardhsm').then(async()=>{const a=seen();const {SqliteStore}=await import('cardhsm/store/sqlite');await new SqliteStore({path:':memory:'}).close();console.log(JSON.stringify([a,seen()]))})";
  const [afterRoot, afterSqlite] = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: app, encoding: 'utf8' })) as [string, string];
  for (const name of ['better-sqlite3', 'pg', 'commander', 'cli-progress', 'fastify', 'prom-client', 'ajv']) expect(afterRoot).not.toContain(`node_modules/${name}/`);
  expect(afterSqlite).toContain('node_modules/better-sqlite3/');
});

test("README's main job runs from the installed package (100 cards): unique, Luhn-valid, file mode 0600", () => {
  const r = spawnSync(join(app, 'node_modules', '.bin', 'cardhsm'), ['issue', '--bin', '45717360', '--count', '100', '--out', 'cards.jsonl'], { cwd: app, encoding: 'utf8' });
  expect(r.stderr).toContain('WARNING: using the development LMK');
  expect(r.status).toBe(0);
  const cards = readFileSync(join(app, 'cards.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { pan: string });
  expect(cards).toHaveLength(100);
  expect(new Set(cards.map((c) => c.pan)).size).toBe(100);
  expect(cards.every((c) => c.pan.startsWith('45717360') && isLuhnValid(c.pan))).toBe(true);
  expect(statSync(join(app, 'cards.jsonl')).mode & 0o777).toBe(0o600);
});

test('`cardhsm` with no arguments prints the help', () => {
  const r = spawnSync(process.execPath, [cli], { cwd: app, encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('Usage: cardhsm');
  expect(r.stdout).toContain('issue');
});
