// KernelExports (src/wasm/_loader.ts) is typed by hand; this keeps it equal to the built module's exports: the same
// names both ways, a WebAssembly.Global for each global member, a function of the declared arity for each method.
// The constants embedded at build time (KERNEL_CONSTANTS) equal the module's globals, and src/ takes ALG_* from them.
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { kernel, KERNEL_CONSTANTS } from '../src/wasm/_loader.js';
import { ALG_AES, ALG_TDES } from '../src/wasm/_calls.js';

// @types/node 20 does not declare the WebAssembly namespace (see loader.ts): the two classes checked against.
const { Memory, Global } = (
  globalThis as unknown as { WebAssembly: Record<'Memory' | 'Global', abstract new (...args: never[]) => object> }
).WebAssembly;
const LOADER = fileURLToPath(new URL('../src/wasm/_loader.ts', import.meta.url));

/** Exports of the module that are not kernels (AssemblyScript runtime internals); none with the stub runtime. */
const RUNTIME_INTERNALS: readonly string[] = [
  '__new',
  '__pin',
  '__unpin',
  '__collect',
  '__rtti_base',
  '__setArgumentsLength',
];

type Member = { kind: 'method'; arity: number } | { kind: 'property'; type: string };

/** The members of `interface name` in `source`: methods with their parameter count, properties with their type. */
function interfaceMembers(source: string, name: string): Map<string, Member> {
  const file = ts.createSourceFile('loader.ts', source, ts.ScriptTarget.ES2022, true);
  const decl = file.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name,
  );
  if (decl === undefined) throw new Error(`interface ${name} not found`);
  const members = new Map<string, Member>();
  for (const m of decl.members) {
    const key = m.name !== undefined && ts.isIdentifier(m.name) ? m.name.text : undefined;
    if (key === undefined) throw new Error(`unnamed member in ${name}`);
    if (ts.isMethodSignature(m)) members.set(key, { kind: 'method', arity: m.parameters.length });
    else if (ts.isPropertySignature(m)) members.set(key, { kind: 'property', type: m.type?.getText(file) ?? '' });
    else throw new Error(`member ${key} of ${name} is neither a method nor a property`);
  }
  return members;
}

const declared = interfaceMembers(readFileSync(LOADER, 'utf8'), 'KernelExports');
const exports = kernel().x as unknown as Record<string, unknown>;
const exported = Object.keys(exports).filter((name) => !RUNTIME_INTERNALS.includes(name));

describe('KernelExports', () => {
  test('the interface parser reads methods, arities and properties', () => {
    const members = interfaceMembers('interface X { a(p: number, q: number): void; b(): number; c: WasmGlobal; }', 'X');
    expect(Object.fromEntries(members)).toEqual({
      a: { kind: 'method', arity: 2 },
      b: { kind: 'method', arity: 0 },
      c: { kind: 'property', type: 'WasmGlobal' },
    });
  });

  test('declares every export of the module', () => {
    expect(exported.length).toBeGreaterThan(50);
    expect(exported.filter((name) => !declared.has(name))).toEqual([]);
  });

  test('declares nothing the module does not export', () => {
    expect([...declared.keys()].filter((name) => !(name in exports))).toEqual([]);
  });

  test('each method is an exported function taking as many parameters as declared', () => {
    const wrong: string[] = [];
    for (const [name, member] of declared) {
      if (member.kind !== 'method') continue;
      const fn = exports[name];
      if (typeof fn !== 'function') wrong.push(`${name}: not a function`);
      else if (fn.length !== member.arity)
        wrong.push(`${name}: declared ${member.arity} parameters, exports ${fn.length}`);
    }
    expect(wrong).toEqual([]);
  });

  test('each property is the global or memory it is typed as', () => {
    const wrong: string[] = [];
    for (const [name, member] of declared) {
      if (member.kind !== 'property') continue;
      const expected = member.type === 'WasmMemory' ? Memory : member.type === 'WasmGlobal' ? Global : undefined;
      if (expected === undefined) wrong.push(`${name}: unexpected type ${member.type}`);
      else if (!(exports[name] instanceof expected)) wrong.push(`${name}: not a ${member.type}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('KERNEL_CONSTANTS', () => {
  test("holds exactly the module's globals, with their values", () => {
    const globals = Object.fromEntries(
      exported
        .filter((name) => exports[name] instanceof Global)
        .map((name) => [name, Number((exports[name] as { value: unknown }).value)]),
    );
    expect(Object.keys(globals).length).toBeGreaterThan(10);
    expect({ ...KERNEL_CONSTANTS }).toEqual(globals);
  });

  test('src/wasm takes the key-cache algorithms from the kernel', () => {
    expect([ALG_TDES, ALG_AES]).toEqual([Number(kernel().x.ALG_TDES.value), Number(kernel().x.ALG_AES.value)]);
    const calls = readFileSync(fileURLToPath(new URL('../src/wasm/_calls.ts', import.meta.url)), 'utf8');
    expect(calls).not.toMatch(/ALG_(TDES|AES)\s*(:\s*\w+\s*)?=\s*\d/);
  });
});
