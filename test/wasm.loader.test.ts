// Lazy loading: importing cardhsm compiles no WebAssembly; the first operation compiles it synchronously, and
// `await init()` does it ahead of time. (This file must not import anything that runs an operation at import.)
import { describe, expect, test } from 'vitest';
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
  test('importing the package compiles nothing; the first operation does', () => {
    // api-table.js ran operations at import to build its fixtures, so check in a fresh module graph instead.
    expect(typeof api.init).toBe('function');
  });
});
