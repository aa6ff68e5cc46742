// `cardhsm serve` under load: the built CLI in a child process (127.0.0.1, a free port, the configuration file of
// the tests' keys), autocannon in this process sending signed requests — each with its own nonce and HMAC,
// computed in setupRequest — over keep-alive connections. Rows: GET /cards/v1/{id}; POST /cards/pin/validation
// (the right PIN, so every call runs the counted verification and records its success) on SQLite and on
// PostgreSQL; POST /cards/pin/dynamic-values. Before timing, each workload's answer is checked (status and body).
// Signatures are made before each timed run (up to 20,000 per second of it), each request with its own nonce.
// Reported: requests per second, the median and 99th-percentile latency, and the share of one core the server
// process used (from /proc), since the server and the load generator share the machine's two cores: a server
// that is not busy is waiting for the load generator. The SQLite routes run twice, one request at a time per
// connection and with 4 pipelined (as Fastify's own benchmarks pipeline), which spends less of the shared cores
// on the generator's side; each request still carries its own nonce and signature.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
// The protocol from the client entry, not cardhsm/service: loading the server's packages into this process made
// the other workloads' rows up to 40 % slower (CVV batch 10 M -> 6 M/s).
import { CardhsmClient, canonicalString, SIGNATURE_HEADERS } from 'cardhsm/client';
import { GROUP, pinBlockIso0, SECRETS } from '../test/helpers/service.js';
import { writeConfig } from '../test/helpers/serve.js';
import { postgresAvailable, startPostgres } from '../test/helpers/postgres.js';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const CLIENT = 'cli-all';
const SECRET = SECRETS[CLIENT]!;

export interface ServiceRow {
  id: string;
  title: string;
  store: 'SQLite' | 'PostgreSQL';
  requestsPerSecond: number;
  p99Ms: number;
  p50Ms: number;
  non2xx: number;
  connections: number;
  /** Requests in flight per connection (HTTP/1.1 pipelining; 1 = none). */
  pipelining: number;
  /** The server process's CPU time over the run ÷ the run's wall time (1 = one core busy), if /proc has it. */
  serverCpu: number | undefined;
  /** This process's (the load generator's) CPU time over the run ÷ the run's wall time. */
  generatorCpu: number;
  seconds: number;
}

/** CPU seconds a process has used (user + system), from /proc/<pid>/stat; undefined off Linux. */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks();
  } catch {
    return undefined;
  }
}

let ticks: number | undefined;
function clockTicks(): number {
  ticks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticks;
}

function start(dir: string, config: string): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(
    process.execPath,
    [...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ') ?? []), CLI, 'serve', '--config', config, '--port', '0'],
    {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ url: m[1]!, proc });
    });
    proc.on('exit', (code) => reject(new Error(`cardhsm serve exited ${code}: ${err}`)));
  });
}

/** Signs a request in place (a fresh nonce and timestamp each time). */
function signRequest(req: {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}) {
  const body = typeof req.body === 'string' ? req.body : (req.body?.toString() ?? '');
  const ts = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(12).toString('base64url');
  const bodyHash = createHash('sha256').update(body).digest('hex');
  const canonical = canonicalString(req.method!, req.path!, ts, nonce, CLIENT, bodyHash);
  req.headers = {
    ...req.headers,
    [SIGNATURE_HEADERS.client]: CLIENT,
    [SIGNATURE_HEADERS.timestamp]: ts,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.signature]: createHmac('sha256', SECRET).update(canonical).digest('hex'),
    ...(body ? { 'content-type': 'application/json' } : {}),
  };
  return req;
}

/**
 * The signature headers of `count` requests, made before the timed run (each with its own nonce, all within the
 * ±300 s window of the run), so that the load generator, on the same two cores, spends its time sending rather than
 * computing HMACs; past them, requests are signed as they go.
 */
function presign(method: string, path: string, body: string | undefined, count: number): Array<Record<string, string>> {
  return Array.from(
    { length: count },
    () => signRequest({ method, path, ...(body === undefined ? {} : { body }) }).headers!,
  );
}

async function load(
  url: string,
  method: 'GET' | 'POST',
  path: string,
  body: string | undefined,
  seconds: number,
  connections: number,
  pipelining: number,
  signed: Array<Record<string, string>>,
) {
  let next = 0;
  const result = await autocannon({
    url,
    connections,
    pipelining,
    duration: seconds,
    requests: [
      {
        method,
        path,
        ...(body === undefined ? {} : { body }),
        setupRequest: (req) => {
          const headers = signed[next++];
          return (headers === undefined ? signRequest(req as never) : { ...req, headers }) as never;
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    p50: result.latency.p50,
    non2xx: result.non2xx + result.errors,
  };
}

/** The service rows; `stores` chooses SQLite and/or PostgreSQL (skipped without PostgreSQL binaries). */
export async function serviceRows(quick: boolean, only?: Set<string>): Promise<ServiceRow[]> {
  const seconds = quick ? 3 : 10;
  const connections = 32;
  const rows: ServiceRow[] = [];
  const want = (id: string) => !only || only.has(id) || only.has('service');
  const stores: Array<'SQLite' | 'PostgreSQL'> = [];
  if (want('service-get-card') || want('service-pin-validation-sqlite') || want('service-dynamic-values'))
    stores.push('SQLite');
  if (want('service-pin-validation-postgres') && postgresAvailable()) stores.push('PostgreSQL');
  for (const store of stores) {
    const dir = mkdtempSync(join(tmpdir(), 'cardhsm-bench-svc-'));
    const pg = store === 'PostgreSQL' ? await startPostgres() : undefined;
    const config = writeConfig(dir, { store: pg ? pg.url : `sqlite:${join(dir, 'cardhsm.db')}` });
    const server = await start(dir, config);
    try {
      const client = new CardhsmClient({ url: server.url, clientId: CLIENT, secret: SECRET });
      const card = await client.createCard({
        user_id: 'usr-bench',
        affinity_group_id: GROUP,
        card_type: 'VIRTUAL',
        pin: '4929',
      });
      const pan = (await client.getCard(card.id, { extend: ['pan'] })).pan!;
      const pinBody = JSON.stringify({ card_id: card.id, pin_block: pinBlockIso0('4929', pan) });
      const dynBody = JSON.stringify({ card_id: card.id });
      // Cross-check each workload's answer before timing it.
      const v = await client.request('POST', '/cards/pin/validation', { body: JSON.parse(pinBody) });
      if (v.status !== 200 || (v.body as { data: { valid: boolean } }).data.valid !== true)
        throw new Error('bench: the PIN validation workload does not validate');
      const d = await client.dynamicValues({ card_id: card.id });
      if (!/^[0-9]{3}$/.test(d.cvv)) throw new Error('bench: the dynamic-values workload returns no code');
      if ((await client.getCard(card.id)).id !== card.id) throw new Error('bench: GET returns another card');
      const run = async (id: string, title: string, method: 'GET' | 'POST', path: string, body?: string) => {
        if (!want(id)) return;
        for (const pipelining of store === 'SQLite' ? [1, 4] : [1]) {
          const signed = presign(method, path, body, seconds * 20_000);
          const cpu0 = cpuSeconds(server.proc.pid);
          const own0 = process.cpuUsage();
          const t0 = performance.now();
          const r = await load(server.url, method, path, body, seconds, connections, pipelining, signed);
          const cpu1 = cpuSeconds(server.proc.pid);
          const own = process.cpuUsage(own0);
          const wall = (performance.now() - t0) / 1000;
          rows.push({
            id,
            title,
            store,
            requestsPerSecond: r.rps,
            p99Ms: r.p99,
            p50Ms: r.p50,
            non2xx: r.non2xx,
            connections,
            pipelining,
            serverCpu: cpu0 === undefined || cpu1 === undefined ? undefined : (cpu1 - cpu0) / wall,
            generatorCpu: (own.user + own.system) / 1e6 / wall,
            seconds,
          });
        }
      };
      if (store === 'SQLite') {
        await run('service-get-card', 'GET /cards/v1/{id}', 'GET', `/cards/v1/${card.id}`);
        await run(
          'service-pin-validation-sqlite',
          'POST /cards/pin/validation (counted)',
          'POST',
          '/cards/pin/validation',
          pinBody,
        );
        await run(
          'service-dynamic-values',
          'POST /cards/pin/dynamic-values',
          'POST',
          '/cards/pin/dynamic-values',
          dynBody,
        );
      } else {
        await run(
          'service-pin-validation-postgres',
          'POST /cards/pin/validation (counted)',
          'POST',
          '/cards/pin/validation',
          pinBody,
        );
      }
    } finally {
      server.proc.kill('SIGTERM');
      await new Promise((r) => server.proc.once('exit', r));
      pg?.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}
