// assembly/memory.ts is the kernel's one memory map: its regions (read back from the kernel with memoryMap) are
// disjoint, fit in the memory the loader gives, and include the loader's call regions; its list of tables names every
// other memory.data in assembly/ with its size. (That each owner's layout fills its region is checked when the
// kernel compiles.)
import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { kernel } from '../src/wasm/_loader.js';

const ASSEMBLY = fileURLToPath(new URL('../assembly/', import.meta.url));
const read = (file: string): string => readFileSync(ASSEMBLY + file, 'utf8');
const memoryTs = read('memory.ts');

interface Region {
  base: number;
  bytes: number;
}

/** The regions as the kernel reports them, in memory.ts's order. */
function kernelRegions(): Region[] {
  const k = kernel();
  const n = k.x.memoryMap(k.OUT);
  const view = new DataView(k.mem.buffer, k.OUT, n * 8);
  const regions = Array.from({ length: n }, (_, i) => ({
    base: view.getUint32(8 * i, true),
    bytes: view.getUint32(8 * i + 4, true),
  }));
  k.mem.fill(0, k.OUT, k.OUT + n * 8);
  return regions;
}

/** Pairs of regions that share a byte, as "a/b". */
function overlaps(regions: readonly Region[]): string[] {
  const sorted = regions.map((r, i) => ({ ...r, i })).sort((a, b) => a.base - b.base);
  const out: string[] = [];
  for (let j = 1; j < sorted.length; j++) {
    const prev = sorted[j - 1]!,
      next = sorted[j]!;
    if (prev.base + prev.bytes > next.base) out.push(`${prev.i}/${next.i}`);
  }
  return out;
}

const SIZE_OF: Record<string, number> = {
  u8: 1,
  i8: 1,
  u16: 2,
  i16: 2,
  u32: 4,
  i32: 4,
  f32: 4,
  u64: 8,
  i64: 8,
  f64: 8,
};

/** A constant size expression of numbers, * and + (as memory.data's first argument is written). */
function evaluate(expression: string): number {
  if (!/^[\d\s*+()]+$/.test(expression)) throw new Error(`not a constant size: ${expression}`);
  return Function(`"use strict"; return (${expression});`)() as number;
}

/** Every memory.data in `source` as NAME -> bytes; throws on one it cannot read. */
function tablesIn(source: string): Map<string, number> {
  const found = new Map<string, number>();
  const uses = source.match(/memory\.data\b/g)?.length ?? 0;
  for (const m of source.matchAll(/const (\w+) = memory\.data<(\w+)>\(\[([^\]]*)\]\)/g)) {
    const count = m[3]!
      .replace(/\/\/[^\n]*/g, '')
      .split(',')
      .filter((s) => s.trim() !== '').length;
    found.set(m[1]!, count * SIZE_OF[m[2]!]!);
  }
  for (const m of source.matchAll(/const (\w+) = memory\.data\(([^,)]+)(?:,\s*\d+)?\)/g))
    found.set(m[1]!, evaluate(m[2]!));
  if (found.size !== uses) throw new Error(`${uses} memory.data, ${found.size} read`);
  return found;
}

/** memory.ts's list of tables: module -> NAME -> bytes. */
function listedTables(): Map<string, Map<string, number>> {
  const listed = new Map<string, Map<string, number>>();
  for (const m of memoryTs.matchAll(/^\/\/ {3}(\w+)\.ts +(.*)$/gm)) {
    const entries = m[2]!.replace(/\([^)]*\)/g, '').split(',');
    listed.set(
      m[1]!,
      new Map(entries.map((e) => e.trim().split(/\s+/)).map(([name, bytes]) => [name!, Number(bytes)])),
    );
  }
  return listed;
}

describe('memory.ts regions', () => {
  const declared = [...memoryTs.matchAll(/^export const (\w+): usize = memory\.data\(/gm)].map((m) => m[1]!);
  const regions = kernelRegions();

  test('memoryMap reports every region memory.ts declares', () => {
    expect(declared.length).toBeGreaterThan(10);
    expect(regions.length).toBe(declared.length);
    for (const r of regions) expect(r.bytes).toBeGreaterThan(0);
  });

  test('no two regions share a byte', () => {
    expect(overlaps(regions)).toEqual([]);
  });

  test('the overlap check sees an overlap', () => {
    expect(
      overlaps([
        { base: 0, bytes: 16 },
        { base: 64, bytes: 8 },
        { base: 8, bytes: 16 },
      ]),
    ).toEqual(['0/2']);
  });

  test('every region fits in the memory the loader gives', () => {
    const k = kernel();
    const end = Math.max(...regions.map((r) => r.base + r.bytes));
    expect(end).toBeLessThanOrEqual(k.mem.byteLength);
    expect(k.mem.byteLength).toBe(k.x.memory.buffer.byteLength);
  });

  test('the call regions and the cache are the ones the loader uses', () => {
    const k = kernel();
    expect(declared.slice(0, 5)).toEqual(['KEY_IN', 'IV', 'IN', 'OUT', 'CACHE']);
    expect(regions.slice(0, 5)).toEqual([
      { base: k.KEY_IN, bytes: k.KEY_IN_BYTES },
      { base: k.IV, bytes: k.IV_BYTES },
      { base: k.IN, bytes: k.IO_BYTES },
      { base: k.OUT, bytes: k.IO_BYTES },
      { base: k.CACHE, bytes: k.CACHE_BYTES },
    ]);
  });
});

describe('memory.ts list of tables', () => {
  const files = readdirSync(ASSEMBLY).filter((f) => f.endsWith('.ts') && f !== 'memory.ts');
  const actual = new Map(files.map((f) => [f.slice(0, -3), tablesIn(read(f))] as const).filter(([, t]) => t.size > 0));
  const listed = listedTables();

  test('names every memory.data outside memory.ts, with its size, and nothing else', () => {
    const asObject = (m: Map<string, Map<string, number>>) =>
      Object.fromEntries([...m].map(([k, v]) => [k, Object.fromEntries(v)]));
    expect(actual.size).toBeGreaterThan(5);
    expect(asObject(listed)).toEqual(asObject(actual));
  });

  test('reads the forms memory.data is written in', () => {
    const source =
      'const A = memory.data<u8>([1, 2, 3]);\nconst B = memory.data<u64>([1, 2]);\nconst C = memory.data(8 * 256 * 8, 64);\nconst D = memory.data(64);';
    expect(Object.fromEntries(tablesIn(source))).toEqual({ A: 3, B: 16, C: 16384, D: 64 });
    expect(() => tablesIn('const E = memory.data(SIZE, 64);')).toThrow();
  });

  test('tables and regions together fit in memory', () => {
    const tables = [...actual.values()].flatMap((t) => [...t.values()]).reduce((a, b) => a + b, 0);
    const regions = kernelRegions().reduce((a, r) => a + r.bytes, 0);
    expect(tables + regions).toBeLessThanOrEqual(kernel().mem.byteLength);
  });
});
