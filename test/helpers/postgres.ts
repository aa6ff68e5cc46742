// A throw-away PostgreSQL server for tests, on 127.0.0.1 only, in a temporary directory removed afterwards.
// Uses the machine's PostgreSQL binaries (Debian's postgresql package; .ci/run installs it when absent). As root
// the server runs as the 'postgres' user, since PostgreSQL refuses to run as root. Without binaries a local run
// prints a visible skip line; with CARDHSM_REQUIRE_POSTGRES=1 (set by .ci/run) the absence is a failure.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Postgres {
  url: string;
  /** Stops the server (fast shutdown) without removing its data: for fault tests. */
  stop(): void;
  /** Starts it again on the same port and data directory. */
  start(): void;
  /** Stops it and removes everything. */
  destroy(): void;
}

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

/** True when tests must run against PostgreSQL (CI), false when a local run may skip them. */
export const POSTGRES_REQUIRED = process.env.CARDHSM_REQUIRE_POSTGRES === '1';

/** Whether PostgreSQL tests can run here; prints the skip line when they cannot and are not required. */
export function postgresAvailable(): boolean {
  if (binDir()) return true;
  if (POSTGRES_REQUIRED) throw new Error('PostgreSQL binaries not found, and CARDHSM_REQUIRE_POSTGRES=1');
  console.warn(
    'SKIP: PostgreSQL tests — no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)',
  );
  return false;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function startPostgres(): Promise<Postgres> {
  const bin = binDir();
  if (!bin) throw new Error('PostgreSQL binaries not found');
  const root = process.getuid?.() === 0;
  const asPg = (cmd: string, args: string[]) =>
    (root ? ['runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]] : [join(bin, cmd), args]) as [
      string,
      string[],
    ];
  const dir = mkdtempSync(join(tmpdir(), 'cardhsm-pg-'));
  chmodSync(dir, 0o777);
  if (root) execFileSync('chown', ['postgres:', dir]);
  const data = join(dir, 'data');
  const port = await freePort();
  const run = (cmd: string, args: string[]) => {
    const [file, argv] = asPg(cmd, args);
    const r = spawnSync(file, argv, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  const opts = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off -c max_connections=200`;
  const start = () => run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '30', '-o', opts, 'start']);
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    destroy() {
      try {
        stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
