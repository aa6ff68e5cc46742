// The full mass-issuance card — unique PAN, CVV, CVV2, iCVV, PVV, ISO 0 PIN block under a ZPK, FF1 token —
// through cardhsm's issueCards, against the same cards built with node:crypto and @noble/ciphers' FF1.
import { Hsm, MemoryStore, bytesToHex, checkPinPolicy, fixDesParity, hexToBytes, type IssuedCard } from 'cardhsm';
import { iso0EncryptWith, nodeCvvBatched, nodeEcb, nodeReusedOp, pvvWith, nobleToken, noblePan } from './peers.js';
import { spawnSync } from 'node:child_process';
import { same, type Workload } from './harness.js';

const CLEAR = {
  cvk: fixDesParity(hexToBytes('0123456789ABCDEFFEDCBA9876543210')),
  pvk: fixDesParity(hexToBytes('FEDCBA98765432100123456789ABCDEF')),
  zpk: fixDesParity(hexToBytes('0123456789ABCDEF89ABCDEF01234567')),
  panKey: hexToBytes('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F'),
  tokenKey: hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'),
};
const BIN = '457173';
const EXPIRY = '2911';
const BATCH = 10_000;

function issuerHsm() {
  // Known keys in one component: a development custodian, as the benchmarks compare against clear-key peers.
  const lmk = new Uint8Array(32).fill(0x22);
  const custodian = new Hsm({
    lmk,
    activities: 'custodian',
    development: { allowSingleComponent: true, warn: () => {} },
  });
  const hsm = new Hsm({ lmk, activities: 'issuance', store: new MemoryStore() });
  const imp = (usage: string, algorithm: 'TDES2' | 'AES256' | 'AES128', key: Uint8Array) =>
    custodian.importKeyComponents({ usage, algorithm, components: [key], allowSingleComponent: true }).keyBlock;
  const keys = {
    cvk: imp('C0', 'TDES2', CLEAR.cvk),
    pvk: imp('V2', 'TDES2', CLEAR.pvk),
    pinKey: imp('P0', 'TDES2', CLEAR.zpk),
    panKey: imp('D0', 'AES256', CLEAR.panKey),
    tokenKey: imp('D0', 'AES128', CLEAR.tokenKey),
  };
  return { hsm, keys };
}

async function drain(cards: AsyncIterable<IssuedCard>): Promise<IssuedCard[]> {
  const out: IssuedCard[] = [];
  for await (const c of cards) out.push(c);
  return out;
}

/** The same cards, the way a user would build them without cardhsm. */
function peerCards() {
  const pan = noblePan(CLEAR.panKey, BIN, 9);
  const cvv = nodeCvvBatched(CLEAR.cvk);
  const pvv = pvvWith(nodeReusedOp(CLEAR.pvk));
  const iso0 = iso0EncryptWith(nodeReusedOp(CLEAR.zpk));
  const token = nobleToken(CLEAR.tokenKey);
  const pvkCipher = nodeEcb(CLEAR.pvk);
  // cardhsm's issued-PIN derivation, written out: R_j = TDES(PVK, TDES(PVK, B1) xor B2_j), decimal nibbles in order.
  const derivePin = (p: string): string => {
    const d = Buffer.from(`${p.padEnd(31, 'F')}0`, 'hex');
    const y1 = pvkCipher.update(d.subarray(0, 8));
    let pin = '';
    for (let j = 0; ; j++) {
      const x = Buffer.from(y1.map((b, k) => b ^ d[8 + k]! ^ (k === 7 ? j : 0)));
      for (const c of pvkCipher.update(x).toString('hex')) {
        if (c > '9') continue;
        pin += c;
        if (pin.length === 4) {
          if (checkPinPolicy(pin).ok) return pin;
          pin = '';
        }
      }
    }
  };
  return (start: number, n: number): IssuedCard[] => {
    const pans = Array.from({ length: n }, (_, i) => pan(start + i));
    const cvvs = cvv(
      ['101', '000', '999'].flatMap((serviceCode) => pans.map((p) => ({ pan: p, expiry: EXPIRY, serviceCode }))),
    );
    return pans.map((p, i) => {
      const pin = derivePin(p);
      return {
        pan: p,
        lastFour: p.slice(-4),
        expiry: EXPIRY,
        serviceCode: '101',
        cvv: cvvs[i]!,
        cvv2: cvvs[n + i]!,
        icvv: cvvs[2 * n + i]!,
        token: token(p),
        pinBlock: bytesToHex(iso0(pin, p)),
        pvv: pvv(p, '1', pin),
      };
    });
  };
}

export function issueWorkloads(): Workload[] {
  const { hsm, keys } = issuerHsm();
  const peer = peerCards();
  let start = 0;
  return [
    {
      id: 'issue-card',
      title: 'full mass-issuance card (PAN, CVV, CVV2, iCVV, PVV, ISO 0 block under a ZPK, token), batches of 10,000',
      unit: 'cards/s',
      cardhsm: {
        name: 'cardhsm issueCards',
        ops: BATCH,
        run: () => drain(hsm.issueCards({ bin: BIN, count: BATCH, expiry: EXPIRY, ...keys })),
      },
      peers: [
        {
          name: 'node:crypto + @noble/ciphers',
          ops: BATCH,
          run: () => {
            start += BATCH;
            return peer(start, BATCH);
          },
        },
      ],
      check: async () => {
        const fresh = issuerHsm();
        const ours = await drain(fresh.hsm.issueCards({ bin: BIN, count: 500, expiry: EXPIRY, ...fresh.keys }));
        same('node + noble', ours, peer(0, 500));
      },
    },
  ];
}

export { issuerHsm, BIN, EXPIRY };

/**
 * Full cards per second with issueCards on one thread and on worker threads (one per core, at most 2 here),
 * timed over whole runs of a mass-issuance size (worker threads are outside what the benchmark package samples).
 * Both are measured warm, after a run of the same kind: for the pool that means its threads are already started,
 * as they are for every run after a process's first; each is the median of RUNS runs, taken alternately so that
 * drift in the machine affects both alike. The first pooled run — threads starting, WASM instantiating and
 * warming up — is reported too: its rate, and the time to its first card.
 */
/** Timed runs of each kind (odd, for a median): the two-thread ratio moves by ~0.1 from one run to the next. */
const RUNS = 5;

export async function multiCoreIssuance(quick: boolean): Promise<{
  workers: number;
  runs: number;
  count: number;
  single: number;
  parallel: number;
  coldParallel: number;
  coldFirstCardMs: number;
}> {
  const { hsm, keys } = issuerHsm();
  const count = quick ? 200_000 : 1_000_000;
  const run = async (workers: number) => {
    const t0 = performance.now();
    let first = 0;
    let n = 0;
    for await (const _ of hsm.issueCards({ bin: BIN, count, expiry: EXPIRY, ...keys, workers }))
      if (n++ === 0) first = performance.now();
    return { rate: n / ((performance.now() - t0) / 1000), firstCardMs: first - t0 };
  };
  await run(1); // warm-up
  const cold = await run(2); // starts the pool
  const singles: number[] = [];
  const parallels: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    singles.push((await run(1)).rate);
    parallels.push((await run(2)).rate);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[RUNS >> 1]!;
  return {
    workers: 2,
    runs: RUNS,
    count,
    single: median(singles),
    parallel: median(parallels),
    coldParallel: cold.rate,
    coldFirstCardMs: cold.firstCardMs,
  };
}

/**
 * multiCoreIssuance in a fresh Node process, as a mass-issuance run is (the CLI's `issue`): the benchmark
 * process's heap, grown by every workload before, would otherwise slow the consuming thread's GC.
 */
export function multiCoreIssuanceFresh(quick: boolean): ReturnType<typeof multiCoreIssuance> {
  const script = `import('${new URL('./issue.bench.ts', import.meta.url).href}').then((m) => m.multiCoreIssuance(${quick})).then((r) => process.stdout.write(JSON.stringify(r)))`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`multi-core benchmark process failed: ${child.stderr}`);
  return Promise.resolve(JSON.parse(child.stdout));
}
