// `npm run bench`: every workload, cardhsm against its peers in the same run, the targets as PASS/FAIL lines, and
// bench/RESULTS.md with the machine, Node version, commit and date. Options: --json FILE (machine-readable
// results written to FILE; `--json -` for stdout, best with `npm run -s bench` so that npm's banner stays out),
// --quick (shorter samples), --only id,id (a subset; the CLI row is `cli-issue`; `service` runs the four `cardhsm serve` rows). Workloads import the package itself (`cardhsm`, i.e.
// dist/, as users get it): tsx, which runs this file, compiles with keepNames, and its per-closure __name calls
// would otherwise be charged to cardhsm.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { fmt, runWorkload, type Row, type Workload } from './harness.js';
import { desWorkloads } from './des.bench.js';
import { cvvWorkloads } from './cvv.bench.js';
import { pinWorkloads } from './pin.bench.js';
import { ff1Workloads } from './ff1.bench.js';
import { issueWorkloads, multiCoreIssuanceFresh } from './issue.bench.js';
import { dcvv2Workloads } from './dcvv2.bench.js';
import { cliIssuance } from './cli.bench.js';
import { macWorkloads } from './mac.bench.js';
import { emvWorkloads } from './emv.bench.js';
import { dukptWorkloads } from './dukpt.bench.js';
import { serviceRows, type ServiceRow } from './service.bench.js';

const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const jsonTarget =
  jsonAt >= 0
    ? args[jsonAt + 1] !== undefined && !args[jsonAt + 1]!.startsWith('--')
      ? args[jsonAt + 1]!
      : '-'
    : undefined;
const json = jsonTarget === '-';
const quick = args.includes('--quick');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? new Set(args[onlyAt + 1]!.split(',')) : undefined;
/** The server's share of one core during a service row, or '?' where /proc is absent. */
const serverCpu = (r: ServiceRow) => (r.serverCpu === undefined ? '?' : r.serverCpu.toFixed(2));
const log = (s = '') => (json ? process.stderr : process.stdout).write(`${s}\n`);

/** OpenSSL's own block rate for a cipher (openssl speed, 16 KiB buffers), or undefined without openssl. */
function opensslBlocksPerSecond(cipher: string, legacy: boolean): number | undefined {
  try {
    const out = execFileSync(
      'openssl',
      [
        'speed',
        '-mr',
        '-seconds',
        '2',
        '-bytes',
        '16384',
        ...(legacy ? ['-provider', 'legacy', '-provider', 'default'] : []),
        '-evp',
        cipher,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const line = out.split('\n').find((l) => l.startsWith('+F:'));
    return line ? Number(line.split(':').at(-1)) / 8 : undefined;
  } catch {
    return undefined;
  }
}

/** Import cardhsm and compute the first CVV in a fresh process; the median of 9 runs, in milliseconds. */
function coldStart(): number {
  const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  const script = `const t0 = performance.now(); const m = await import(${JSON.stringify(dist)}); m.generateCvv(m.hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '4123456789012345', '8701', '101'); console.log(performance.now() - t0);`;
  const times = Array.from({ length: 9 }, () =>
    Number(spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).stdout.trim()),
  );
  return times.sort((a, b) => a - b)[4]!;
}

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`;
  log(
    `cardhsm benchmarks — ${machine}, Node ${process.version}, commit ${commit()}, ${new Date().toISOString().slice(0, 10)}`,
  );
  const openssl = { des: opensslBlocksPerSecond('des-ecb', true), tdes: opensslBlocksPerSecond('des-ede3', false) };
  if (openssl.des)
    log(
      `native reference: openssl speed des-ecb ${fmt(openssl.des)} blocks/s, des-ede3 ${fmt(openssl.tdes ?? 0)} blocks/s`,
    );
  const cold = coldStart();
  log(`cold start (import -> first CVV, fresh process, median of 9): ${cold.toFixed(1)} ms`);

  // The service rows first: autocannon runs in this process, and after the other workloads' garbage its rate
  // fell by up to 40 % (GET /cards/v1/{id}: 9 k req/s alone, 5 k at the end of a full run).
  const wantsService = !only || [...only].some((id) => id === 'service' || id.startsWith('service-'));
  const service: ServiceRow[] = wantsService ? await serviceRows(quick, only) : [];

  const all: Workload[] = [
    ...desWorkloads(),
    ...cvvWorkloads(),
    ...pinWorkloads(),
    ...ff1Workloads(),
    ...issueWorkloads(),
    ...dcvv2Workloads(),
    ...macWorkloads(),
    ...emvWorkloads(),
    ...dukptWorkloads(),
  ];
  const rows: Row[] = [];
  for (const w of all.filter((x) => !only || only.has(x.id))) {
    const row = await runWorkload(w, quick ? 0.5 : 2);
    rows.push(row);
    log(`\n${row.title} (${row.unit})`);
    log(`  ${row.cardhsm.name.padEnd(48)} ${fmt(row.cardhsm.opsPerSecond).padStart(10)}`);
    for (const p of row.peers)
      log(
        `  ${p.name.padEnd(48)} ${fmt(p.opsPerSecond).padStart(10)}   cardhsm ÷ peer = ${(row.cardhsm.opsPerSecond / p.opsPerSecond).toFixed(2)}×`,
      );
  }
  const multi = !only || only.has('issue-card') ? await multiCoreIssuanceFresh(quick) : undefined;
  if (multi)
    log(
      `\nfull card, runs of ${multi.count.toLocaleString('en-US')} cards in a fresh process (medians of ${multi.runs}): issueCards with ${multi.workers} worker threads ${fmt(multi.parallel)} cards/s vs one thread ${fmt(multi.single)} cards/s (${(multi.parallel / multi.single).toFixed(2)}×); the process's first pooled run, threads starting: ${fmt(multi.coldParallel)} cards/s (${(multi.coldParallel / multi.single).toFixed(2)}×), first card after ${multi.coldFirstCardMs.toFixed(0)} ms`,
    );

  const cliRow = !only || only.has('cli-issue') ? cliIssuance(quick) : undefined;
  if (cliRow)
    log(
      `\nREADME's main job end to end: cardhsm issue --count ${cliRow.count.toLocaleString('en-US')} to JSONL with the SQLite store (fresh process, medians of ${cliRow.runs}): ${fmt(cliRow.cli)} cards/s; the library's pooled issueCards in the same run: ${fmt(cliRow.library)} cards/s (${((100 * cliRow.cli) / cliRow.library).toFixed(0)} %)`,
    );

  if (service.length > 0) {
    log(
      `\ncardhsm serve (built CLI, autocannon on loopback, signed requests, ${service[0]!.connections} connections, ${service[0]!.seconds} s each; server and load generator share the 2 cores; CPU = each process's share of one core, all its threads)`,
    );
    for (const r of service)
      log(
        `  ${`${r.title} [${r.store}] pipelining ${r.pipelining}`.padEnd(64)} ${fmt(r.requestsPerSecond).padStart(10)} req/s   p50 ${r.p50Ms} ms   p99 ${r.p99Ms} ms   CPU server ${serverCpu(r)} generator ${r.generatorCpu.toFixed(2)}${r.non2xx ? `   non-2xx ${r.non2xx}` : ''}`,
      );
  }
  /** A route's best row (pipelining 1 or 4; both are printed and written). */
  const svc = (id: string) =>
    service.filter((r) => r.id === id).sort((a, b) => b.requestsPerSecond - a.requestsPerSecond)[0];

  const get = (id: string) => rows.find((r) => r.id === id);
  const peer = (id: string, name: string) => get(id)?.peers.find((p) => p.name.startsWith(name))?.opsPerSecond;
  const targets: Array<[string, number | undefined, number]> = [
    [
      'single DES batch (64 KiB) ÷ openssl des-ecb ≥ 3 (stretch 5)',
      get('des-64k') && openssl.des ? get('des-64k')!.cardhsm.opsPerSecond / openssl.des : undefined,
      3,
    ],
    [
      'TDES batch (64 KiB) ÷ openssl des-ede3 ≥ 3',
      get('tdes-64k') && openssl.tdes ? get('tdes-64k')!.cardhsm.opsPerSecond / openssl.tdes : undefined,
      3,
    ],
    [
      'CVV batch of 10,000 ≥ 8 M CVV/s (value in M/s)',
      get('cvv-batch') ? get('cvv-batch')!.cardhsm.opsPerSecond / 1e6 : undefined,
      8,
    ],
    [
      'CVV batch ÷ best hand-batched node:crypto ≥ 8',
      get('cvv-batch') && peer('cvv-batch', 'node:crypto hand-batched')
        ? get('cvv-batch')!.cardhsm.opsPerSecond / peer('cvv-batch', 'node:crypto hand-batched')!
        : undefined,
      8,
    ],
    [
      'single CVV ÷ node:crypto reused cipher with nibble decimalization (the fastest straightforward peer) ≥ 3',
      get('cvv-single') && peer('cvv-single', 'node:crypto reused, nibble')
        ? get('cvv-single')!.cardhsm.opsPerSecond / peer('cvv-single', 'node:crypto reused, nibble')!
        : undefined,
      3,
    ],
    [
      'full mass-issuance card, one core ≥ 300,000 cards/s (value in k/s)',
      get('issue-card') ? get('issue-card')!.cardhsm.opsPerSecond / 1e3 : undefined,
      300,
    ],
    ['full card with 2 worker threads ÷ one thread ≥ 1.8', multi ? multi.parallel / multi.single : undefined, 1.8],
    ['cold start ≤ 25 ms (value: 25 ÷ ms, ≥ 1)', 25 / cold, 1],
    [
      'cardhsm issue end to end ÷ library pooled issueCards ≥ 0.8',
      cliRow ? cliRow.cli / cliRow.library : undefined,
      0.8,
    ],
    [
      'serve: GET /cards/v1/{id} ≥ 10,000 req/s (best of pipelining 1 and 4; value in k req/s)',
      svc('service-get-card') ? svc('service-get-card')!.requestsPerSecond / 1e3 : undefined,
      10,
    ],
    [
      'serve: POST /cards/pin/validation on SQLite ≥ 2,500 req/s (best of pipelining 1 and 4; value in k req/s)',
      svc('service-pin-validation-sqlite') ? svc('service-pin-validation-sqlite')!.requestsPerSecond / 1e3 : undefined,
      2.5,
    ],
    [
      'serve: POST /cards/pin/dynamic-values ≥ 5,000 req/s (best of pipelining 1 and 4; value in k req/s)',
      svc('service-dynamic-values') ? svc('service-dynamic-values')!.requestsPerSecond / 1e3 : undefined,
      5,
    ],
  ];
  log('\ntargets');
  for (const [what, value, goal] of targets)
    log(
      `  ${value === undefined ? 'SKIP' : value >= goal ? 'PASS' : 'FAIL'}  ${what}: ${value === undefined ? 'not measured' : value.toFixed(2)}`,
    );

  const date = new Date().toISOString().slice(0, 10);
  const md = [
    '# cardhsm benchmark results',
    '',
    `${date}, ${machine}, Node ${process.version}, commit ${commit()}. Written by \`npm run bench\`; every contender's output was cross-checked against cardhsm's before timing.`,
    '',
    openssl.des
      ? `Native reference: \`openssl speed\` des-ecb ${fmt(openssl.des)} blocks/s, des-ede3 ${fmt(openssl.tdes ?? 0)} blocks/s. Cold start (import → first CVV): ${cold.toFixed(1)} ms.`
      : `Cold start (import → first CVV): ${cold.toFixed(1)} ms.`,
    '',
    '| workload | unit | cardhsm | peer | peer ops/s | cardhsm ÷ peer |',
    '|---|---|---:|---|---:|---:|',
    ...rows.flatMap((r) =>
      r.peers.map(
        (p, i) =>
          `| ${i === 0 ? r.title : ''} | ${i === 0 ? r.unit : ''} | ${i === 0 ? fmt(r.cardhsm.opsPerSecond) : ''} | ${p.name} | ${fmt(p.opsPerSecond)} | ${(r.cardhsm.opsPerSecond / p.opsPerSecond).toFixed(2)}× |`,
      ),
    ),
    ...(cliRow
      ? [
          '',
          `README's main job end to end (\`cardhsm issue --count ${cliRow.count.toLocaleString('en-US')}\` to JSONL, SQLite store, fresh process, medians of ${cliRow.runs}): ${fmt(cliRow.cli)} cards/s, ${((100 * cliRow.cli) / cliRow.library).toFixed(0)} % of the library's pooled issueCards in the same run (${fmt(cliRow.library)} cards/s).`,
        ]
      : []),
    ...(service.length > 0
      ? [
          '',
          '`cardhsm serve` (built CLI, autocannon on loopback, signed requests):',
          '',
          '| route | store | pipelining | req/s | p50 ms | p99 ms | server CPU | generator CPU |',
          '|---|---|---:|---:|---:|---:|---:|---:|',
          ...service.map(
            (r) =>
              `| ${r.title} | ${r.store} | ${r.pipelining} | ${fmt(r.requestsPerSecond)} | ${r.p50Ms} | ${r.p99Ms} | ${serverCpu(r)} | ${r.generatorCpu.toFixed(2)} |`,
          ),
        ]
      : []),
    ...(multi
      ? [
          '',
          `Full card, runs of ${multi.count.toLocaleString('en-US')} cards with ${multi.workers} worker threads (medians of ${multi.runs}): ${fmt(multi.parallel)} cards/s, ${(multi.parallel / multi.single).toFixed(2)}× one thread (${fmt(multi.single)}). The process's first pooled run, which starts the threads: ${fmt(multi.coldParallel)} cards/s (${(multi.coldParallel / multi.single).toFixed(2)}×), first card after ${multi.coldFirstCardMs.toFixed(0)} ms.`,
        ]
      : []),
    '',
    '## Targets',
    '',
    ...targets.map(
      ([what, value, goal]) =>
        `- ${value === undefined ? 'SKIP' : value >= goal ? 'PASS' : 'FAIL'} — ${what}: ${value === undefined ? 'not measured' : value.toFixed(2)}`,
    ),
    '',
  ].join('\n');
  if (!only) writeFileSync(new URL('./RESULTS.md', import.meta.url), md);
  if (jsonTarget !== undefined) {
    const text = `${JSON.stringify({ date, machine, node: process.version, commit: commit(), openssl, coldStartMs: cold, rows, multi, cli: cliRow, service, targets: targets.map(([what, value, goal]) => ({ what, value, goal, pass: value === undefined ? null : value >= goal })) }, null, 2)}\n`;
    if (json) process.stdout.write(text);
    else writeFileSync(jsonTarget, text);
  }
}

await main();
