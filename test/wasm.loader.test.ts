// Lazy loading: importing cardhsm compiles no WebAssembly; the first operation compiles it synchronously, and
// `await init()` does it ahead of time. (This file must not import anything that runs an operation at import.)
import { describe, expect, test, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as api from '../src/index.js';
import { loadedKernel } from '../src/wasm/loader.js';

test('import compiles nothing; the first call compiles the kernel synchronously', () => {
  expect(loadedKernel()).toBeUndefined();
  api.clearKeyCache(); // must not force compilation either
  expect(loadedKernel()).toBeUndefined();
  expect(api.generateCvv(api.hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '4123456789012345', '8701', '101')).toBe('561');
  expect(loadedKernel()).toBeDefined();
});

test('the built package compiles nothing at import; init() compiles ahead of time (fresh process)', () => {
  const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  // Count WebAssembly compilations by wrapping the constructor and compile before the package loads.
  const script = `
    let compiled = 0;
    const { Module, compile } = WebAssembly;
    WebAssembly.Module = function (...a) { compiled++; return new Module(...a); };
    WebAssembly.compile = (...a) => { compiled++; return compile(...a); };
    const m = await import(${JSON.stringify(dist)});
    const before = compiled;
    await m.init();
    const after = compiled;
    const cvv = m.generateCvv(m.hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '4123456789012345', '8701', '101');
    console.log(JSON.stringify({ before, after, total: compiled, cvv }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toEqual({ before: 0, after: 1, total: 1, cvv: '561' });
});

describe('loader', () => {
  test('importing the package compiles nothing; the first operation does', async () => {
    // Counted in a fresh module graph, whatever this file's own imports have loaded: each WebAssembly entry point
    // that compiles or instantiates is wrapped with a counter before the package is imported again.
    type Entry = 'Module' | 'Instance' | 'compile' | 'instantiate';
    const wasm = (globalThis as unknown as { WebAssembly: Record<Entry, (...a: unknown[]) => unknown> }).WebAssembly;
    const originals = { Module: wasm.Module, Instance: wasm.Instance, compile: wasm.compile, instantiate: wasm.instantiate };
    let compilations = 0;
    for (const name of ['Module', 'Instance'] as const) {
      wasm[name] = function (...a: unknown[]) {
        compilations++;
        return Reflect.construct(originals[name], a);
      };
    }
    for (const name of ['compile', 'instantiate'] as const) {
      wasm[name] = (...a: unknown[]) => {
        compilations++;
        return originals[name](...a);
      };
    }
    try {
      vi.resetModules();
      const fresh = await import('../src/index.js');
      expect(fresh).not.toBe(api);
      expect(compilations).toBe(0);
      expect(fresh.generateCvv(fresh.hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '4123456789012345', '8701', '101')).toBe('561');
      expect(compilations).toBeGreaterThan(0);
    } finally {
      Object.assign(wasm, originals);
    }
  });
});
