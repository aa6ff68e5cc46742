// The import graph of assembly/: a DAG (no module imports, directly or not, a module that imports it), every edge
// to a module that exists, and each module's header naming exactly the modules it imports ("Depends on: …").
import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ASSEMBLY = fileURLToPath(new URL('../assembly/', import.meta.url));

/** Module name (file name without .ts) -> its source. */
function readModules(): Map<string, string> {
  const modules = new Map<string, string>();
  for (const file of readdirSync(ASSEMBLY)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    modules.set(file.slice(0, -3), readFileSync(ASSEMBLY + file, 'utf8'));
  }
  return modules;
}

/** The modules that `source` imports or re-exports from (`import … from './x'`, `export … from './x'`). */
function importsOf(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+'\.\/([\w-]+)'/gm)) found.add(m[1]!);
  return [...found].sort();
}

/** The first cycle found in `graph` (node -> its imports) as a path that starts and ends at the same node, or []. */
function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] => {
    if (state.get(node) === 'done') return [];
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle.length > 0) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return [];
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle.length > 0) return cycle;
  }
  return [];
}

/** The modules named (as `name.ts`) in the header's "Depends on:" paragraph; undefined when there is none. */
function declaredDependencies(source: string): string[] | undefined {
  const header: string[] = [];
  for (const line of source.split('\n')) {
    if (!line.startsWith('//')) break;
    header.push(line.replace(/^\/\/ ?/, ''));
  }
  const at = header.findIndex((l) => l.startsWith('Depends on:'));
  if (at < 0) return undefined;
  const paragraph: string[] = [];
  for (const line of header.slice(at)) {
    if (line.trim() === '') break;
    paragraph.push(line);
  }
  // Only the module names, not what is said about them: "des.ts (tdesBlock), digits.ts".
  const text = paragraph.join(' ').replace(/\([^)]*\)/g, '');
  return [...new Set([...text.matchAll(/\b([\w-]+)\.ts\b/g)].map((m) => m[1]!))].sort();
}

const modules = readModules();
const graph = new Map([...modules].map(([name, source]) => [name, importsOf(source)]));

describe('the cycle detector', () => {
  test('finds a cycle in a small synthetic graph, and none once it is broken', () => {
    const cyclic = new Map([
      ['a', ['b']],
      ['b', ['c', 'd']],
      ['c', ['a']],
      ['d', []],
    ]);
    expect(findCycle(cyclic)).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(new Map([['a', ['a']]]))).toEqual(['a', 'a']);
    expect(
      findCycle(
        new Map([
          ['a', ['b']],
          ['b', ['c', 'd']],
          ['c', []],
          ['d', ['c']],
        ]),
      ),
    ).toEqual([]);
  });

  test('reads both import and re-export lines', () => {
    const source =
      "import { a } from './des';\nimport {\n  b,\n} from './aes';\nexport { c } from './mac';\n// import { x } from './not_a_line';\n";
    expect(importsOf(source)).toEqual(['aes', 'des', 'mac']);
  });
});

describe('assembly/ import graph', () => {
  test('is read from every module', () => {
    expect([...modules.keys()]).toContain('index');
    expect(graph.get('des')).toContain('bitslice');
  });

  test('every import names a module of assembly/', () => {
    const missing = [...graph].flatMap(([name, deps]) =>
      deps.filter((d) => !modules.has(d)).map((d) => `${name} -> ${d}`),
    );
    expect(missing).toEqual([]);
  });

  test('has no cycle', () => {
    expect(findCycle(graph)).toEqual([]);
  });

  test('DES is layered: tables <- schedule <- bitsliced <- table-driven ECB/CBC', () => {
    expect(graph.get('des_tables')).toEqual([]);
    expect(graph.get('des_bitslice')).toEqual([]);
    expect(graph.get('des_schedule')).toEqual(['des_tables']);
    expect(graph.get('bitslice')).not.toContain('des');
    expect(graph.get('des')).toEqual(expect.arrayContaining(['bitslice', 'des_schedule', 'des_tables']));
  });

  test("each module's header says what it depends on, exactly its imports (index.ts: the entry, imports all)", () => {
    const wrong: string[] = [];
    for (const [name, source] of modules) {
      if (name === 'index') continue;
      const declared = declaredDependencies(source);
      const actual = graph.get(name)!;
      if (declared === undefined) wrong.push(`${name}.ts: no "Depends on:" line in its header`);
      else if (declared.join() !== actual.join())
        wrong.push(`${name}.ts: header says [${declared.join(', ')}], imports [${actual.join(', ')}]`);
    }
    expect(wrong).toEqual([]);
  });

  test('index.ts names the modules leaf-first: each after every module it imports', () => {
    const index = modules.get('index')!;
    const order = [...index.matchAll(/from\s+'\.\/([\w-]+)'/g)]
      .map((m) => m[1]!)
      .filter((m, i, all) => all.indexOf(m) === i);
    const late = order.flatMap((name, i) =>
      (graph.get(name) ?? [])
        .filter((dep) => order.includes(dep) && order.indexOf(dep) > i)
        .map((dep) => `${name} before ${dep}`),
    );
    expect(late).toEqual([]);
  });
});
