// The package as users get it: `npm pack`, then the tarball installed into an empty folder. Hermetic: no registry
// and no npm cache is used. The tarball's runtime dependencies (the lockfile's non-dev packages) are packed from
// this repository's own node_modules and installed beside it, with the registry pointed at a closed port and an
// empty cache, so the install works on a fresh machine and fails if anything would need the network.
//
// better-sqlite3's install script (prebuild-install, else node-gyp) is skipped here, and the addon that
// `npm install` compiled for this repository is copied in: compiling SQLite again would take minutes, and
// that compilation is already what the repository's own `npm install` proves.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The lockfile's runtime packages (dependencies and optionalDependencies, transitively): their folders. */
function runtimePackages(): string[] {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  return Object.entries(lock.packages)
    .filter(([path, meta]) => path !== '' && meta.dev !== true)
    .map(([path]) => path);
}

/** npm with no registry and an empty cache: anything that would need the network fails at once. */
function npmOffline(work: string, args: string[], cwd: string): void {
  const cache = join(work, 'empty-cache');
  mkdirSync(cache, { recursive: true });
  execFileSync(
    npm,
    [...args, '--offline', '--no-audit', '--no-fund', '--registry=http://127.0.0.1:9/', `--cache=${cache}`],
    { cwd, stdio: 'pipe' },
  );
}

/**
 * Packs this repository (its built dist/) and installs the tarball into `work`/app, an empty ESM project.
 * Returns the app folder; cardhsm is in app/node_modules/cardhsm.
 */
export function installPackedTarball(work: string): string {
  if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('dist/ is built by `npm install` / `npm test`');
  const app = join(work, 'app');
  const deps = join(work, 'deps');
  mkdirSync(deps);
  npmOffline(work, ['pack', '--ignore-scripts', '--pack-destination', work], root);
  npmOffline(
    work,
    ['pack', '--ignore-scripts', '--pack-destination', deps, ...runtimePackages().map((p) => `./${p}`)],
    root,
  );
  mkdirSync(app);
  // The project's nested "overrides" (versions it pins inside its dependencies' trees, e.g. one fast-uri for
  // Fastify and Ajv) go to the app too: offline, npm can install only the versions packed here. (A package's own
  // pin, ".", is dropped: every package is a direct dependency of the app here, which npm would not override.)
  const { overrides = {} } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    overrides?: Record<string, unknown>;
  };
  const nested = Object.fromEntries(
    Object.entries(overrides)
      .filter(([, v]) => typeof v === 'object' && v !== null)
      .map(([k, v]) => [
        k,
        Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([name]) => name !== '.')),
      ]),
  );
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'app', private: true, type: 'module', overrides: nested }),
  );
  const tarball = readdirSync(work).find((f) => f.startsWith('cardhsm-') && f.endsWith('.tgz'));
  if (tarball === undefined) throw new Error('npm pack wrote no cardhsm-*.tgz');
  npmOffline(
    work,
    ['install', '--ignore-scripts', join(work, tarball), ...readdirSync(deps).map((f) => join(deps, f))],
    app,
  );
  const addon = join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  mkdirSync(join(app, addon, '..'), { recursive: true });
  copyFileSync(join(root, addon), join(app, addon));
  return app;
}
