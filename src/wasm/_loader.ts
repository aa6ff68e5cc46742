// Loads the kernel module: synchronously and lazily on first use (never at import time), or ahead of time with
// `await init(source?)` from a WebAssembly.Module, bytes, a Response or a URL. The only file that touches the
// WebAssembly API. Where the kernel comes from by default is the one thing that differs between builds:
// ./_kernel-default.ts (the kernel embedded as base64: Node, Deno, browsers) or ./_kernel-default.workerd.ts (the
// .wasm imported as a precompiled module, as Cloudflare Workers require); scripts/build.mjs picks one per build.
import { defaultKernel } from './_kernel-default.js';
import { KERNEL_ID } from './_kernel-id.generated.js';
import { CardHsmError } from '../errors.js';

/**
 * The kernel's exported constants (ALG_TDES, IO_BYTES, record sizes, …), defined once in assembly/ and read from the
 * built module by scripts/embed-wasm.mjs: usable before, and without, instantiating the kernel.
 */
export { KERNEL_CONSTANTS } from './_kernel.generated.js';

// The few WebAssembly JS API types used here, declared locally: @types/node 20 does not declare the
// WebAssembly namespace, and the DOM lib would bring browser globals into a Node library.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmGlobal {
  readonly value: unknown;
}
interface WasmInstance {
  readonly exports: unknown;
}
interface WasmApi {
  Module: (new (bytes: BufferSource) => object) & { exports(module: object): { name: string }[] };
  Instance: new (module: object, imports: object) => WasmInstance;
  compile(bytes: BufferSource): Promise<object>;
  compileStreaming?(response: PromiseLike<ResponseLike> | ResponseLike): Promise<object>;
  instantiate(module: object, imports: object): Promise<WasmInstance>;
}
type BufferSource = ArrayBuffer | ArrayBufferView;
/** The part of a fetch Response that init() reads (a Response of any realm or fetch implementation). */
interface ResponseLike {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * A compiled kernel: a `WebAssembly.Module` (typed loosely, as the DOM lib's own `WebAssembly.Module` is), e.g.
 * `import wasm from 'cardhsm/cardhsm.wasm'` in a Worker, for init and initSync. Only this version's cardhsm.wasm
 * is accepted, and only while no kernel is loaded: in the example the kernel is already loaded (the tests' first
 * operation loaded it), so initSync returns at once and the empty module shown is never looked at. Before a
 * kernel is loaded, the same call throws ERR_KERNEL_LOAD.
 * @example
 * const module = new WebAssembly.Module(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]))
 * module instanceof WebAssembly.Module // => true
 * initSync(module) // => undefined
 */
export type KernelModule = object;

/**
 * Where init() takes the kernel from: a compiled `WebAssembly.Module` (Workers: `import wasm from
 * 'cardhsm/cardhsm.wasm'`), the `.wasm` bytes, a fetch `Response` or its promise (compiled while it downloads
 * when served as `application/wasm`), or the URL of the `.wasm` file (fetched with `fetch`). In a browser:
 * `await init(new URL('cardhsm.wasm', location.href))` or `await init(fetch('/assets/cardhsm.wasm'))`. A source is
 * read only while no kernel is loaded; in the example one already is, so init resolves at once without reading the
 * (empty) Response, and operations run as before.
 * @example
 * const source = new Response(new Uint8Array(0), { headers: { 'content-type': 'application/wasm' } })
 * await init(source) // => undefined
 * bytesToHex(aesCmac(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), new Uint8Array(0))) // => 'BB1D6929E95937287FA37D129B756746'
 */
export type KernelSource =
  | KernelModule
  | ArrayBuffer
  | ArrayBufferView
  | Response
  | PromiseLike<Response>
  | URL
  | string;

function wasmApi(): WasmApi {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (api === undefined) throw new CardHsmError('ERR_KERNEL_LOAD', 'this runtime has no WebAssembly', 'source');
  return api;
}

/**
 * The kernel module's exports (see assembly/index.ts). Addresses and sizes are plain numbers. Kept by hand:
 * test/wasm.loader.exports.test.ts checks it against the built module's exports both ways, with each function's arity.
 */
export interface KernelExports {
  memory: WasmMemory;
  keyInPtr(): number;
  ivPtr(): number;
  inPtr(): number;
  outPtr(): number;
  cachePtr(): number;
  memoryMap(dst: number): number;
  IO_BYTES: WasmGlobal;
  KEY_IN_BYTES: WasmGlobal;
  IV_BYTES: WasmGlobal;
  CACHE_BYTES: WasmGlobal;
  ALG_TDES: WasmGlobal;
  ALG_AES: WasmGlobal;
  SLOT_FITS: WasmGlobal;
  selectKey(alg: number, len: number): number;
  clearKeyCache(): void;
  tdesEcb(ks: number, single: number, decrypt: number, src: number, dst: number, n: number): void;
  tdesCbc(ks: number, single: number, decrypt: number, iv: number, src: number, dst: number, n: number): void;
  aesEcb(ks: number, nr: number, decrypt: number, src: number, dst: number, n: number): void;
  aesCbc(ks: number, nr: number, decrypt: number, iv: number, src: number, dst: number, n: number): void;
  aesRounds(len: number): number;
  aesCmac(ks: number, nr: number, iv: number, src: number, len: number, dst: number): void;
  tdesCmac(ks: number, single: number, iv: number, src: number, len: number, dst: number): void;
  isoMacFinish(
    ks: number,
    single: number,
    finalSingle: number,
    iv: number,
    src: number,
    len: number,
    method2: number,
    dst: number,
  ): void;
  hmacStart(bits: number, key: number, keyLen: number): void;
  hmacUpdate(bits: number, src: number, len: number): void;
  hmacFinish(bits: number, src: number, len: number, done: number, dst: number): void;
  cvvBatch(ks: number, src: number, dst: number, n: number, digits: number): void;
  pvvBatch(ks: number, single: number, src: number, dst: number, n: number): void;
  ibm3624Batch(ks: number, single: number, mode: number, src: number, dst: number, n: number): void;
  pinblockEncode(format: number, ks: number, nr: number, src: number, dst: number, n: number): void;
  pinblockDecode(format: number, ks: number, nr: number, src: number, dst: number, n: number): void;
  pinblockTranslate(
    from: number,
    fromKs: number,
    fromMode: number,
    to: number,
    toKs: number,
    toMode: number,
    rec: number,
    out: number,
  ): void;
  luhnSum(p: number, len: number, doubleRightmost: number): number;
  dcvv2HmacBatch(
    imk: number,
    imkLen: number,
    ctx: number,
    stride: number,
    n: number,
    window: number,
    count: number,
    digits: number,
    dst: number,
  ): void;
  hotpSha256(key: number, keyLen: number, counter: number, digits: number, dst: number): void;
  DUKPT_TDES: WasmGlobal;
  DUKPT_AES: WasmGlobal;
  DUKPT_INITIAL: WasmGlobal;
  DUKPT_TRANSACTION: WasmGlobal;
  DUKPT_WORKING: WasmGlobal;
  DUKPT_KSN_AT: WasmGlobal;
  dukptSource(kind: number, ks: number, variantKs: number, len: number, ik: number): void;
  dukptKeys(
    src: number,
    stride: number,
    dst: number,
    outStride: number,
    n: number,
    kind: number,
    usage: number,
    algorithm: number,
    bits: number,
  ): void;
  dukptPinKey(ksn: number, algorithm: number, bits: number, slot: number): number;
  dukptPinTranslate(
    algorithm: number,
    bits: number,
    fromMode: number,
    from: number,
    to: number,
    toKs: number,
    toMode: number,
    src: number,
    stride: number,
    dst: number,
    n: number,
  ): void;
  dukptWipe(): void;
  ff1WalkBatch(
    ks: number,
    nr: number,
    total: number,
    left: number,
    k: number,
    tweak: number,
    tlen: number,
    decrypt: number,
    valid: number,
    recs: number,
    count: number,
  ): void;
  CARDS_CHUNK: WasmGlobal;
  TOKEN_ANY: WasmGlobal;
  TOKEN_VALID: WasmGlobal;
  TOKEN_INVALID: WasmGlobal;
  TOKEN_ALPHANUMERIC: WasmGlobal;
  cardsStart(count: number, len: number): void;
  cardsPansFromCounters(ks: number, nr: number, bin: number, binLen: number, start: number): void;
  cardsPansGiven(src: number): void;
  cardsCvvs(ks: number, expiry: number, serviceCode: number): void;
  cardsTokens(ks: number, nr: number, mode: number, left: number, right: number, tweak: number, tlen: number): void;
  cardsDerivePins(ks: number, single: number, len: number, allowed: number): number;
  cardsPinsGiven(src: number, len: number): void;
  cardsPvvs(ks: number, single: number, pvki: number): void;
  cardsIso4Fill(ks: number, single: number, dst: number): void;
  cardsPinBlocks(ks: number, nr: number, single: number, fill: number): void;
  cardsWrite(dst: number, tokens: number): number;
  cardsWriteLines(dst: number, tokens: number, expiry: number, service: number, csv: number): number;
  cardsWipe(): void;
  EMV_CARD: WasmGlobal;
  EMV_DCVV_RECORD: WasmGlobal;
  EMV_PIN_RECORD: WasmGlobal;
  EMV_PIN_AT_CURRENT: WasmGlobal;
  EMV_PIN_AT_UDK: WasmGlobal;
  emvMasterKeys(
    k0: number,
    k1: number,
    k2: number,
    k3: number,
    k4: number,
    count: number,
    optionB: number,
    src: number,
    n: number,
    dst: number,
  ): void;
  EMV_SLICE_MIN: WasmGlobal;
  emvAcBatch(
    imk: number,
    optionB: number,
    skd: number,
    verify: number,
    src: number,
    stride: number,
    n: number,
    dst: number,
  ): void;
  emvDcvvBatch(imk: number, optionB: number, src: number, n: number, dst: number): void;
  emvCvc3Batch(imk: number, optionB: number, src: number, stride: number, n: number, dst: number): void;
  emvPinChange(
    format: number,
    ks: number,
    mode: number,
    current: number,
    target: number,
    encryption: number,
    smc: number,
    rec: number,
    out: number,
  ): void;
  ff1Batch(
    ks: number,
    nr: number,
    radix: number,
    n: number,
    tweak: number,
    tlen: number,
    decrypt: number,
    src: number,
    dst: number,
    count: number,
  ): void;
}

/** The instantiated kernel with its memory view and region addresses resolved once. */
export interface Kernel {
  readonly x: KernelExports;
  /** A view of all linear memory. Memory never grows (the kernels do not allocate), so the view stays valid. */
  readonly mem: Uint8Array;
  readonly KEY_IN: number;
  readonly KEY_IN_BYTES: number;
  readonly IV: number;
  readonly IV_BYTES: number;
  readonly IN: number;
  readonly OUT: number;
  readonly IO_BYTES: number;
  readonly CACHE: number;
  readonly CACHE_BYTES: number;
}

let kernelInstance: Kernel | undefined;
let compiled: object | undefined;
let loading: Promise<void> | undefined;

// The module imports nothing but AssemblyScript's abort, which only a kernel bug can reach.
const imports = {
  env: {
    abort(): never {
      throw new CardHsmError('ERR_INTERNAL', 'kernel aborted');
    },
  },
};

function wrap(instance: WasmInstance): Kernel {
  const x = instance.exports as unknown as KernelExports;
  return {
    x,
    mem: new Uint8Array(x.memory.buffer),
    KEY_IN: x.keyInPtr(),
    KEY_IN_BYTES: x.KEY_IN_BYTES.value as number,
    IV: x.ivPtr(),
    IV_BYTES: x.IV_BYTES.value as number,
    IN: x.inPtr(),
    OUT: x.outPtr(),
    IO_BYTES: x.IO_BYTES.value as number,
    CACHE: x.cachePtr(),
    CACHE_BYTES: x.CACHE_BYTES.value as number,
  };
}

/** The platform's own message, for ours: it names the rule the runtime applied (never any of our data). */
function reasonOf(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** The kernel's export names as build/cardhsm.wasm has them (scripts/embed-wasm.mjs computes the same). */
function kernelFingerprint(module: object): string {
  const names = wasmApi()
    .Module.exports(module)
    .map((e) => e.name)
    .sort();
  let h = 0x811c9dc5;
  for (const name of names) {
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ 44, 0x01000193) >>> 0; // ','
  }
  return `${names.length}:${h.toString(16).padStart(8, '0')}`;
}

/** `module` if it is this version's kernel; otherwise ERR_KERNEL_LOAD (a stale or foreign .wasm never runs). */
function recognized(module: object): object {
  if (kernelFingerprint(module) !== KERNEL_ID) {
    throw new CardHsmError(
      'ERR_KERNEL_LOAD',
      "the module given is not this version's cardhsm kernel (its exports differ): use the cardhsm.wasm of the installed package",
      'source',
    );
  }
  return module;
}

function isModule(x: unknown): x is object {
  return x instanceof wasmApi().Module;
}

function isBytes(x: unknown): x is BufferSource {
  return x instanceof ArrayBuffer || ArrayBuffer.isView(x);
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return typeof (x as { then?: unknown } | null)?.then === 'function';
}

function isResponse(x: unknown): x is ResponseLike {
  const r = x as Partial<ResponseLike> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.arrayBuffer === 'function' &&
    typeof r.ok === 'boolean' &&
    typeof r.headers?.get === 'function'
  );
}

function shapeOf(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x !== 'object') return typeof x;
  return `an object (${Object.prototype.toString.call(x).slice(8, -1)})`;
}

/** Runs a synchronous compilation or instantiation; the runtime's refusal becomes ERR_INIT_REQUIRED. */
function synchronously<T>(step: () => T): T {
  try {
    return step();
  } catch (e) {
    // Chromium before 115 allows at most 4 KB on the main thread; code generation may be forbidden (a CSP without
    // 'wasm-unsafe-eval', edge runtimes). init() compiles asynchronously, or takes a module compiled elsewhere.
    throw new CardHsmError(
      'ERR_INIT_REQUIRED',
      `this runtime does not compile WebAssembly synchronously (${reasonOf(e)}): call \`await init()\` before the first operation, or pass init() the compiled cardhsm.wasm module`,
    );
  }
}

/** The default kernel as a compiled module, compiled synchronously when it comes as bytes. */
function defaultModule(): object {
  const source = defaultKernel();
  return isModule(source) ? source : synchronously(() => new (wasmApi().Module)(source as BufferSource));
}

/** The kernel if it has been instantiated, without instantiating it. */
export function loadedKernel(): Kernel | undefined {
  return kernelInstance;
}

/**
 * The kernel, compiled and instantiated synchronously on first use.
 * @throws ERR_INIT_REQUIRED where the runtime does not compile WebAssembly synchronously and init() has not run
 */
export function kernel(): Kernel {
  if (kernelInstance === undefined) {
    const module = kernelModule();
    kernelInstance = wrap(synchronously(() => new (wasmApi().Instance)(module, imports)));
  }
  return kernelInstance;
}

/**
 * The compiled module (a WebAssembly.Module). Worker threads receive it instead of compiling their own: V8 shares
 * the machine code, including what this thread has already optimized, so a new worker starts at full speed.
 */
export function kernelModule(): object {
  compiled ??= defaultModule();
  return compiled;
}

/** Makes this thread instantiate `module` (from kernelModule in another thread) on first use. */
export function useKernelModule(module: object): void {
  compiled ??= module;
}

async function compileFrom(source: unknown): Promise<object> {
  const api = wasmApi();
  if (isModule(source)) return recognized(source);
  if (isBytes(source)) return recognized(await compileBytes(source));
  let response: unknown = source;
  if (source instanceof URL || typeof source === 'string') {
    try {
      response = await fetch(source);
    } catch (e) {
      // Only the error's name and code: fetch's messages repeat the URL, and messages never repeat an input.
      const code = (e as { cause?: { code?: unknown } } | null)?.cause?.code;
      throw new CardHsmError(
        'ERR_KERNEL_LOAD',
        `could not fetch the kernel (${e instanceof Error ? e.name : typeof e}${typeof code === 'string' ? ` ${code}` : ''})`,
        'source',
      );
    }
  } else if (isThenable(source)) {
    try {
      response = await source;
    } catch (e) {
      throw new CardHsmError('ERR_KERNEL_LOAD', `the kernel's response failed (${reasonOf(e)})`, 'source');
    }
  }
  if (!isResponse(response)) {
    throw new CardHsmError(
      'ERR_TYPE',
      `"source" expected a WebAssembly.Module, bytes, a Response or a URL, got ${shapeOf(source)}`,
      'source',
    );
  }
  if (!response.ok)
    throw new CardHsmError('ERR_KERNEL_LOAD', `the kernel's URL answered HTTP ${response.status}`, 'source');
  // Streaming compilation needs the application/wasm type; other servers' responses are read whole, then compiled.
  if (
    api.compileStreaming !== undefined &&
    response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() === 'application/wasm'
  ) {
    try {
      return recognized(await api.compileStreaming(response));
    } catch (e) {
      if (e instanceof CardHsmError) throw e;
      throw new CardHsmError('ERR_KERNEL_LOAD', `could not compile the kernel (${reasonOf(e)})`, 'source');
    }
  }
  return recognized(await compileBytes(await response.arrayBuffer()));
}

async function compileBytes(bytes: BufferSource): Promise<object> {
  try {
    return await wasmApi().compile(bytes);
  } catch (e) {
    // Cloudflare Workers refuse to compile bytes ("Wasm code generation disallowed by embedder").
    throw new CardHsmError(
      'ERR_KERNEL_LOAD',
      `could not compile the kernel from bytes (${reasonOf(e)}); where WebAssembly cannot be compiled at run time, pass the precompiled module`,
      'source',
    );
  }
}

/**
 * Compiles and instantiates the kernel ahead of time (asynchronously), so the first operation pays nothing, and
 * in runtimes that do not compile WebAssembly synchronously (older Chromium main threads) makes operations
 * possible at all. Without `source`, the build's own kernel: the embedded one (Node, Deno, browsers) or, under
 * the `workerd` condition, the precompiled module imported from cardhsm.wasm. With `source` (see KernelSource),
 * that kernel, which must be this version's cardhsm.wasm. Calls made while a load is under way wait for it (their
 * own source unused); once a kernel is loaded, init() does nothing more. A failed load leaves none: call again.
 * In a browser, `await init(new URL('cardhsm.wasm', location.href))` compiles while the file downloads. In Node,
 * as in the example, `await init()` compiles the embedded kernel ahead of the first operation (the example's value
 * is NIST SP 800-38B's AES-CMAC Example 1).
 * @example
 * await init() // => undefined
 * bytesToHex(aesCmac(hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C'), new Uint8Array(0))) // => 'BB1D6929E95937287FA37D129B756746'
 * @throws ERR_TYPE (a source of another type), ERR_KERNEL_LOAD (a fetch that fails or answers an HTTP error,
 *   bytes that do not compile, a module that is not this version's kernel)
 */
export function init(source?: KernelSource): Promise<void> {
  if (kernelInstance !== undefined) return Promise.resolve();
  loading ??= (async () => {
    const module = source === undefined ? (compiled ?? (await defaultModuleAsync())) : await compileFrom(source);
    const instance = await wasmApi().instantiate(module, imports);
    // An operation may have instantiated the kernel synchronously meanwhile: keep that one.
    if (kernelInstance === undefined) {
      compiled = module;
      kernelInstance = wrap(instance);
    }
  })().finally(() => {
    loading = undefined;
  });
  return loading;
}

async function defaultModuleAsync(): Promise<object> {
  const source = defaultKernel();
  return isModule(source) ? source : compileBytes(source as BufferSource);
}

/**
 * Loads the kernel synchronously: without `source` the build's own kernel (what the first operation does anyway),
 * or a compiled `WebAssembly.Module` or the `.wasm` bytes. Once a kernel is loaded, initSync() does nothing more.
 * In Node, `initSync()` compiles the embedded kernel now rather than on the first operation (the example's value
 * is FIPS 197 Appendix C.1).
 * @example
 * initSync() // => undefined
 * bytesToHex(aesEncryptEcb(hexToBytes('000102030405060708090A0B0C0D0E0F'), hexToBytes('00112233445566778899AABBCCDDEEFF'))) // => '69C4E0D86A7B0430D8CDB78070B4C55A'
 * @throws ERR_TYPE (another type), ERR_KERNEL_LOAD (bytes that do not compile here, a module that is not this
 *   version's kernel), ERR_INIT_REQUIRED (no source, and the runtime does not compile synchronously)
 */
export function initSync(source?: KernelModule | ArrayBuffer | ArrayBufferView): void {
  if (kernelInstance !== undefined) return;
  let module: object;
  if (source === undefined) module = kernelModule();
  else if (isModule(source)) module = recognized(source);
  else if (isBytes(source)) {
    try {
      module = new (wasmApi().Module)(source);
    } catch (e) {
      throw new CardHsmError(
        'ERR_KERNEL_LOAD',
        `could not compile the kernel from bytes synchronously (${reasonOf(e)}): use \`await init(source)\``,
        'source',
      );
    }
    module = recognized(module);
  } else {
    throw new CardHsmError(
      'ERR_TYPE',
      `"source" expected a WebAssembly.Module or bytes, got ${shapeOf(source)}`,
      'source',
    );
  }
  kernelInstance = wrap(new (wasmApi().Instance)(module, imports));
  compiled = module;
}
