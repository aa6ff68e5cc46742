// CVV: cardhsm (single op with a cached key schedule; batch of 10,000) against the node:crypto implementations a
// user would write and node-forge, measured in the same run. Every contender's output is cross-checked first.
// The full suite, its targets and RESULTS.md belong to the performance issue; this is the foundation's baseline.
import Benchmark from 'benchmark';
import { createCipheriv } from 'node:crypto';
import forge from 'node-forge';
import { generateCvv, generateCvvBatch, hexToBytes } from '../src/index.js';

const CVK = hexToBytes('0123456789ABCDEFFEDCBA9876543210');
const KA = Buffer.from(CVK.subarray(0, 8));
const BATCH = Array.from({ length: 10_000 }, (_, i) => ({ pan: String(4000000000000000 + i * 7919), expiry: '2512', serviceCode: '101' }));

function packData(pan: string, expiry: string, sc: string): Buffer {
  return Buffer.from((pan + expiry + sc).padEnd(32, '0'), 'hex');
}
function decimalize(c: Buffer): string {
  const h = c.toString('hex').toUpperCase();
  const d = [...h].filter((x) => x <= '9').concat([...h].filter((x) => x > '9').map((x) => String(x.charCodeAt(0) - 65)));
  return d.slice(0, 3).join('');
}

// node:crypto, a new cipher per operation (what a user writes first).
function nodePerOp(pan: string, expiry: string, sc: string): string {
  const data = packData(pan, expiry, sc);
  const a = createCipheriv('des-ede', Buffer.concat([KA, KA]), null).setAutoPadding(false);
  const c1 = a.update(data.subarray(0, 8));
  for (let i = 0; i < 8; i++) c1[i]! ^= data[8 + i]!;
  const t = createCipheriv('des-ede', Buffer.from(CVK), null).setAutoPadding(false);
  return decimalize(t.update(c1));
}

// node:crypto with reused ciphers (ECB has no state between blocks, so update() can be called repeatedly).
const single = createCipheriv('des-ede', Buffer.concat([KA, KA]), null).setAutoPadding(false);
const double = createCipheriv('des-ede', Buffer.from(CVK), null).setAutoPadding(false);
function nodeReused(pan: string, expiry: string, sc: string): string {
  const data = packData(pan, expiry, sc);
  const c1 = single.update(data.subarray(0, 8));
  for (let i = 0; i < 8; i++) c1[i]! ^= data[8 + i]!;
  return decimalize(double.update(c1));
}

// node:crypto hand-batched: one ECB call over all first blocks, one over all XORed blocks.
function nodeBatched(items: typeof BATCH): string[] {
  const first = Buffer.alloc(items.length * 8);
  const second = Buffer.alloc(items.length * 8);
  items.forEach((it, i) => {
    const d = packData(it.pan, it.expiry, it.serviceCode);
    d.copy(first, i * 8, 0, 8);
    d.copy(second, i * 8, 8, 16);
  });
  const c1 = single.update(first);
  for (let i = 0; i < c1.length; i++) c1[i]! ^= second[i]!;
  const c2 = double.update(c1);
  return items.map((_, i) => decimalize(c2.subarray(i * 8, i * 8 + 8)));
}

const forgeKa = forge.cipher.createCipher('DES-ECB', forge.util.binary.raw.encode(KA));
const forgeK3 = forge.cipher.createCipher('3DES-ECB', forge.util.binary.raw.encode(Buffer.concat([Buffer.from(CVK), KA])));
function forgeCvv(pan: string, expiry: string, sc: string): string {
  const data = packData(pan, expiry, sc);
  forgeKa.start({});
  forgeKa.update(forge.util.createBuffer(forge.util.binary.raw.encode(data.subarray(0, 8))));
  const c1 = Buffer.from(forgeKa.output.getBytes(), 'binary');
  for (let i = 0; i < 8; i++) c1[i]! ^= data[8 + i]!;
  forgeK3.start({});
  forgeK3.update(forge.util.createBuffer(forge.util.binary.raw.encode(c1)));
  return decimalize(Buffer.from(forgeK3.output.getBytes(), 'binary'));
}

// Cross-check before timing.
const expected = generateCvvBatch(CVK, BATCH);
for (const [name, got] of [
  ['node per op', BATCH.slice(0, 200).map((b) => nodePerOp(b.pan, b.expiry, b.serviceCode))],
  ['node reused', BATCH.slice(0, 200).map((b) => nodeReused(b.pan, b.expiry, b.serviceCode))],
  ['node batched', nodeBatched(BATCH).slice(0, 200)],
  ['forge', BATCH.slice(0, 200).map((b) => forgeCvv(b.pan, b.expiry, b.serviceCode))],
  ['cardhsm single', BATCH.slice(0, 200).map((b) => generateCvv(CVK, b.pan, b.expiry, b.serviceCode))],
] as const) {
  if (got.join() !== expected.slice(0, 200).join()) throw new Error(`${name} disagrees with cardhsm`);
}
if (generateCvv(CVK, '4123456789012345', '8701', '101') !== '561') throw new Error('cardhsm CVV is wrong');

let i = 0;
const next = () => BATCH[i++ % BATCH.length]!;
const rows: Array<[string, number]> = [];
const suite = new Benchmark.Suite();
suite
  .add('cardhsm generateCvv (single, cached schedule)', () => { const b = next(); generateCvv(CVK, b.pan, b.expiry, b.serviceCode); })
  .add('node:crypto cipher per op', () => { const b = next(); nodePerOp(b.pan, b.expiry, b.serviceCode); })
  .add('node:crypto cipher reused', () => { const b = next(); nodeReused(b.pan, b.expiry, b.serviceCode); })
  .add('node-forge', () => { const b = next(); forgeCvv(b.pan, b.expiry, b.serviceCode); })
  .add('cardhsm generateCvvBatch (10,000)', () => { generateCvvBatch(CVK, BATCH); })
  .add('node:crypto hand-batched (10,000)', () => { nodeBatched(BATCH); })
  .on('cycle', (e: Benchmark.Event) => {
    const t = e.target as Benchmark.Target & { name: string; hz: number };
    const perCvv = t.name.includes('10,000') ? t.hz * 10_000 : t.hz;
    rows.push([t.name, perCvv]);
  })
  .on('complete', () => {
    const get = (prefix: string) => rows.find(([n]) => n.startsWith(prefix))![1];
    console.log('CVV per second (higher is better)');
    for (const [name, hz] of rows) console.log(`  ${name.padEnd(48)} ${Math.round(hz).toLocaleString('en-US').padStart(12)}`);
    const single = get('cardhsm generateCvv');
    const batch = get('cardhsm generateCvvBatch');
    console.log('ratios (cardhsm ÷ peer, same run)');
    console.log(`  single ÷ node:crypto reused     ${(single / get('node:crypto cipher reused')).toFixed(2)}x`);
    console.log(`  single ÷ node:crypto per op     ${(single / get('node:crypto cipher per op')).toFixed(2)}x`);
    console.log(`  single ÷ node-forge             ${(single / get('node-forge')).toFixed(2)}x`);
    console.log(`  batch  ÷ node:crypto batched    ${(batch / get('node:crypto hand-batched')).toFixed(2)}x`);
  })
  .run();
