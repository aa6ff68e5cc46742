// The package as users get it (test/helpers/packed.ts: `npm pack`, the tarball installed into an empty folder,
// hermetically): import 'cardhsm' there and run README's main job with its `cardhsm` command.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLuhnValid } from '../src/index.js';
import { installPackedTarball } from './helpers/packed.js';

const work = mkdtempSync(join(tmpdir(), 'cardhsm-pack-'));
let app = '';
let installed = '';
let cli = '';

beforeAll(() => {
  app = installPackedTarball(work);
  installed = join(app, 'node_modules', 'cardhsm');
  cli = join(installed, 'dist', 'cli', 'main.js');
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

test('the tarball ships dist/ with types and no sources, and the root import computes CVV 561', () => {
  expect(existsSync(join(installed, 'dist', 'index.d.ts'))).toBe(true);
  expect(existsSync(join(installed, 'src'))).toBe(false);
  const out = execFileSync(
    process.execPath,
    [
      '-e',
      "import('cardhsm').then(m=>console.log(m.generateCvv(m.hexToBytes('0123456789ABCDEFFEDCBA9876543210'),'4123456789012345','8701','101')))",
    ],
    { cwd: app, encoding: 'utf8' },
  );
  expect(out.trim()).toBe('561');
});

test('the root import loads no store driver and no CLI library; a SqliteStore loads its driver', () => {
  // require.cache lists every CommonJS module loaded, also those imported from ESM; the drivers and the CLI's
  // libraries are all CommonJS. The second list is the control: the check sees a driver when one is loaded.
  const script =
    "const seen=()=>Object.keys(require.cache).join('\\n');import('cardhsm').then(async()=>{const a=seen();const {SqliteStore}=await import('cardhsm/store/sqlite');await new SqliteStore({path:':memory:'}).close();console.log(JSON.stringify([a,seen()]))})";
  const [afterRoot, afterSqlite] = JSON.parse(
    execFileSync(process.execPath, ['-e', script], { cwd: app, encoding: 'utf8' }),
  ) as [string, string];
  for (const name of ['better-sqlite3', 'pg', 'commander', 'cli-progress', 'fastify', 'prom-client', 'ajv'])
    expect(afterRoot).not.toContain(`node_modules/${name}/`);
  expect(afterSqlite).toContain('node_modules/better-sqlite3/');
});

test("README's main job runs from the installed package (100 cards): unique, Luhn-valid, file mode 0600", () => {
  const r = spawnSync(
    join(app, 'node_modules', '.bin', 'cardhsm'),
    ['issue', '--bin', '45717360', '--count', '100', '--out', 'cards.jsonl'],
    { cwd: app, encoding: 'utf8' },
  );
  expect(r.stderr).toContain('WARNING: using the development LMK');
  expect(r.status).toBe(0);
  const cards = readFileSync(join(app, 'cards.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { pan: string });
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
