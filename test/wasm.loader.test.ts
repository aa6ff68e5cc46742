// Lazy loading: importing cardhsm compiles no WebAssembly; the first operation compiles it synchronously, and
// `await init(source?)` does it ahead of time, from the embedded kernel or a module, bytes, a Response or a URL. (This file must not import anything that runs an operation at import.)
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import * as api from '../src/index.js';
import { loadedKernel } from '../src/wasm/_loader.js';

test('import compiles nothing; the first call compiles the kernel synchronously', () => {
  expect(loadedKernel()).toBeUndefined();
  api.clearKeyCache(); // must not force compilation either
  expect(loadedKernel()).toBeUndefined();
  expect(api.generateCvv(api.hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '4123456789012345', '8701', '101')).toBe(
    '561',
  );
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

// init(source) and initSync(source), each on a fresh copy of the modules (vi.resetModules): the kernel is loaded
// once per module instance, so every test starts with none.
describe('init(source?) and initSync(source?)', () => {
  const wasmFile = fileURLToPath(new URL('../dist/cardhsm.wasm', import.meta.url));
  const bytes = () => new Uint8Array(readFileSync(wasmFile));
  const FOREIGN = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]); // the smallest valid module: not the kernel
  const CVK = '0123456789ABCDEFFEDCBA9876543210';

  // The WebAssembly JS API, typed here (the project's lib has no WebAssembly namespace; see src/wasm/_loader.ts).
  type ModuleCtor = (new (b: Uint8Array) => object) & { exports: unknown };
  const W = (
    globalThis as unknown as {
      WebAssembly: {
        Module: ModuleCtor;
        compile: (b: Uint8Array) => Promise<object>;
        compileStreaming: (r: Response) => Promise<object>;
      };
    }
  ).WebAssembly;
  type Core = typeof import('../src/core.js');

  async function fresh() {
    vi.resetModules();
    const core = await import('../src/core.js');
    const loader = await import('../src/wasm/_loader.js');
    expect(loader.loadedKernel()).toBeUndefined();
    const cvv = () => core.generateCvv(core.hexToBytes(CVK), '4123456789012345', '8701', '101');
    return { core, loader, cvv };
  }

  /** The code and field of the CardHsmError (of this fresh copy of the modules) that `p` rejects with. */
  async function rejection(core: Core, p: Promise<unknown>): Promise<[string, string | undefined]> {
    const e = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(core.CardHsmError);
    return [(e as InstanceType<Core['CardHsmError']>).code, (e as InstanceType<Core['CardHsmError']>).field];
  }

  function thrown(core: Core, fn: () => unknown): InstanceType<Core['CardHsmError']> {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(core.CardHsmError);
      return e as InstanceType<Core['CardHsmError']>;
    }
    throw new Error('expected a CardHsmError, nothing was thrown');
  }

  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/cardhsm.wasm') res.writeHead(200, { 'content-type': 'application/wasm' }).end(bytes());
      else if (req.url === '/octets') res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes());
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('a WebAssembly.Module, bytes (Uint8Array and ArrayBuffer)', async () => {
    for (const source of [new W.Module(bytes()), bytes(), bytes().buffer]) {
      const { core, loader, cvv } = await fresh();
      await core.init(source);
      expect(loader.loadedKernel()).toBeDefined();
      expect(cvv()).toBe('561');
    }
  });

  test('a Response: compiled while streaming when served as application/wasm, read whole otherwise; its promise', async () => {
    const streaming = vi.spyOn(W, 'compileStreaming');
    try {
      let { core, cvv } = await fresh();
      await core.init(new Response(bytes(), { headers: { 'content-type': 'application/wasm' } }));
      expect(cvv()).toBe('561');
      expect(streaming).toHaveBeenCalledTimes(1);
      ({ core, cvv } = await fresh());
      await core.init(new Response(bytes(), { headers: { 'content-type': 'application/octet-stream' } }));
      expect(cvv()).toBe('561');
      expect(streaming).toHaveBeenCalledTimes(1);
      ({ core, cvv } = await fresh());
      await core.init(Promise.resolve(new Response(bytes(), { headers: { 'content-type': 'application/wasm' } })));
      expect(cvv()).toBe('561');
      expect(streaming).toHaveBeenCalledTimes(2);
    } finally {
      streaming.mockRestore();
    }
  });

  test('a URL or a URL string, fetched (a server on 127.0.0.1); HTTP errors and refused connections are ERR_KERNEL_LOAD', async () => {
    for (const source of [new URL('cardhsm.wasm', base), `${base}octets`]) {
      const { core, cvv } = await fresh();
      await core.init(source);
      expect(cvv()).toBe('561');
    }
    const { core, loader } = await fresh();
    expect(await rejection(core, core.init(new URL('missing.wasm', base)))).toEqual(['ERR_KERNEL_LOAD', 'source']);
    expect(await rejection(core, core.init('http://127.0.0.1:9/cardhsm.wasm'))).toEqual(['ERR_KERNEL_LOAD', 'source']);
    expect(loader.loadedKernel()).toBeUndefined();
  });

  test('another module, bytes that do not compile, and other types are refused; init() works after them', async () => {
    const { core, loader, cvv } = await fresh();
    expect(await rejection(core, core.init(FOREIGN))).toEqual(['ERR_KERNEL_LOAD', 'source']);
    expect(await rejection(core, core.init(new W.Module(FOREIGN)))).toEqual(['ERR_KERNEL_LOAD', 'source']);
    expect(await rejection(core, core.init(Uint8Array.of(1, 2, 3)))).toEqual(['ERR_KERNEL_LOAD', 'source']);
    expect(
      await rejection(core, core.init(new Response('nope', { headers: { 'content-type': 'application/wasm' } }))),
    ).toEqual(['ERR_KERNEL_LOAD', 'source']);
    expect(await rejection(core, core.init(Promise.reject(new Error('offline'))))).toEqual([
      'ERR_KERNEL_LOAD',
      'source',
    ]);
    for (const bad of [42, {}, null, true, [1, 2], Promise.resolve(42)]) {
      expect(await rejection(core, core.init(bad as never))).toEqual(['ERR_TYPE', 'source']);
    }
    expect(loader.loadedKernel()).toBeUndefined();
    await core.init();
    expect(cvv()).toBe('561');
  });

  test('concurrent init() calls compile once; once loaded, init(anything) does nothing', async () => {
    const compile = vi.spyOn(W, 'compile');
    try {
      const { core, cvv } = await fresh();
      await Promise.all([core.init(), core.init(), core.init()]);
      expect(compile).toHaveBeenCalledTimes(1);
      await core.init(FOREIGN);
      await core.init(42 as never);
      expect(compile).toHaveBeenCalledTimes(1);
      expect(cvv()).toBe('561');
    } finally {
      compile.mockRestore();
    }
  });

  test('initSync(): the build’s kernel, a module or bytes; other types ERR_TYPE, foreign bytes ERR_KERNEL_LOAD', async () => {
    for (const source of [undefined, new W.Module(bytes()), bytes(), bytes().buffer]) {
      const { core, loader, cvv } = await fresh();
      core.initSync(source);
      expect(loader.loadedKernel()).toBeDefined();
      expect(cvv()).toBe('561');
      core.initSync(FOREIGN); // loaded already: nothing happens
    }
    const { core, loader } = await fresh();
    for (const [source, code] of [
      [FOREIGN, 'ERR_KERNEL_LOAD'],
      [Uint8Array.of(1), 'ERR_KERNEL_LOAD'],
      ['x', 'ERR_TYPE'],
      [new Response(bytes()), 'ERR_TYPE'],
    ] as const) {
      const e = thrown(core, () => core.initSync(source as never));
      expect([e.code, e.field]).toEqual([code, 'source']);
    }
    expect(loader.loadedKernel()).toBeUndefined();
  });

  test('where WebAssembly does not compile synchronously (Chromium before 115), the first operation throws ERR_INIT_REQUIRED; after await init() it works', async () => {
    const { core, loader, cvv } = await fresh();
    const real = W.Module;
    const refusing = (() => {
      throw new RangeError(
        'WebAssembly.Compile is disallowed on the main thread, if the buffer size is larger than 4KB. Use WebAssembly.compile, or compile on a worker thread.',
      );
    }) as unknown as ModuleCtor;
    Object.assign(refusing, {
      exports: real.exports,
      prototype: (real as unknown as { prototype: unknown }).prototype,
    });
    W.Module = refusing;
    try {
      const e = thrown(core, cvv);
      expect(e.code).toBe('ERR_INIT_REQUIRED');
      expect(e.message).toContain('await init()');
      expect(loader.loadedKernel()).toBeUndefined();
      await core.init();
      expect(cvv()).toBe('561');
    } finally {
      W.Module = real;
    }
  });
});

describe('loader', () => {
  test('importing the package compiles nothing; the first operation does', async () => {
    // Counted in a fresh module graph, whatever this file's own imports have loaded: each WebAssembly entry point
    // that compiles or instantiates is wrapped with a counter before the package is imported again.
    type Entry = 'Module' | 'Instance' | 'compile' | 'instantiate';
    const wasm = (globalThis as unknown as { WebAssembly: Record<Entry, (...a: unknown[]) => unknown> }).WebAssembly;
    const originals = {
      Module: wasm.Module,
      Instance: wasm.Instance,
      compile: wasm.compile,
      instantiate: wasm.instantiate,
    };
    let compilations = 0;
    for (const name of ['Module', 'Instance'] as const) {
      // A Proxy keeps the constructor's prototype, so `instanceof WebAssembly.Module` still works while counting.
      wasm[name] = new Proxy(originals[name], {
        construct(target, a) {
          compilations++;
          return Reflect.construct(target, a);
        },
      });
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
      expect(
        fresh.generateCvv(fresh.hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '4123456789012345', '8701', '101'),
      ).toBe('561');
      expect(compilations).toBeGreaterThan(0);
    } finally {
      Object.assign(wasm, originals);
    }
  });
});
