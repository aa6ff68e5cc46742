// The package as users get it: `npm pack`, install the tarball into an empty folder, import 'cardhsm' from there.
// Proves that `files` ships the built JavaScript with its embedded WASM and that nothing depends on the repo
// layout. Offline: the CLI's few runtime dependencies come from the npm cache that `npm ci` filled.
import { expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test('npm pack, install the tarball elsewhere, import cardhsm, compute CVV 561', () => {
  expect(existsSync(join(root, 'dist', 'index.js')), 'dist/ is built by `npm install` / `npm test`').toBe(true);
  const work = mkdtempSync(join(tmpdir(), 'cardhsm-pack-'));
  try {
    execFileSync(npm, ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: root, stdio: 'pipe' });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', join(work, tarball!)], { cwd: app, stdio: 'pipe' });

    const installed = join(app, 'node_modules', 'cardhsm');
    expect(existsSync(join(installed, 'dist', 'index.d.ts'))).toBe(true);
    expect(existsSync(join(installed, 'src'))).toBe(false);
    const out = execFileSync(
      process.execPath,
      ['-e', "import('cardhsm').then(m=>console.log(m.generateCvv(m.hexToBytes('0123456789ABCDEFFEDCBA9876543210'),'4123456789012345','8701','101')))"],
      { cwd: app, encoding: 'utf8' },
    );
    expect(out.trim()).toBe('561');
    // The store drivers are optional peer dependencies: not installed here, and the root import never needed them.
    expect(existsSync(join(app, 'node_modules', 'better-sqlite3'))).toBe(false);
    expect(existsSync(join(installed, 'dist', 'store', 'sqlite.js'))).toBe(true);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
