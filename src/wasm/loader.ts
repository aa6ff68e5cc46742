// Loads the kernel module: synchronously and lazily on first use (never at import time), or ahead of time with
// `await init()`. The only file that touches the WebAssembly API.
import { KERNEL_WASM_BASE64 } from './kernel.generated.js';
import { CardHsmError } from '../errors.js';

/**
 * The kernel's exported constants (ALG_TDES, IO_BYTES, record sizes, …), defined once in assembly/ and read from the
 * built module by scripts/embed-wasm.mjs: usable before, and without, instantiating the kernel.
 */
export { KERNEL_CONSTANTS } from './kernel.generated.js';

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
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => WasmInstance;
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<WasmInstance>;
}
const WebAssembly = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/**
 * The kernel module's exports (see assembly/index.ts). Addresses and sizes are plain numbers. Kept by hand:
 * test/loader.exports.test.ts checks it against the built module's exports both ways, with each function's arity.
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
  isoMacFinish(ks: number, single: number, finalSingle: number, iv: number, src: number, len: number, method2: number, dst: number): void;
  hmacStart(bits: number, key: number, keyLen: number): void;
  hmacUpdate(bits: number, src: number, len: number): void;
  hmacFinish(bits: number, src: number, len: number, done: number, dst: number): void;
  cvvBatch(ks: number, src: number, dst: number, n: number, digits: number): void;
  pvvBatch(ks: number, single: number, src: number, dst: number, n: number): void;
  ibm3624Batch(ks: number, single: number, mode: number, src: number, dst: number, n: number): void;
  pinblockEncode(format: number, ks: number, nr: number, src: number, dst: number, n: number): void;
  pinblockDecode(format: number, ks: number, nr: number, src: number, dst: number, n: number): void;
  pinblockTranslate(from: number, fromKs: number, fromMode: number, to: number, toKs: number, toMode: number, rec: number, out: number): void;
  luhnSum(p: number, len: number, doubleRightmost: number): number;
  dcvv2HmacBatch(imk: number, imkLen: number, ctx: number, stride: number, n: number, window: number, count: number, digits: number, dst: number): void;
  hotpSha256(key: number, keyLen: number, counter: number, digits: number, dst: number): void;
  DUKPT_TDES: WasmGlobal;
  DUKPT_AES: WasmGlobal;
  DUKPT_INITIAL: WasmGlobal;
  DUKPT_TRANSACTION: WasmGlobal;
  DUKPT_WORKING: WasmGlobal;
  DUKPT_KSN_AT: WasmGlobal;
  dukptSource(kind: number, ks: number, variantKs: number, len: number, ik: number): void;
  dukptKeys(src: number, stride: number, dst: number, outStride: number, n: number, kind: number, usage: number, algorithm: number, bits: number): void;
  dukptPinKey(ksn: number, algorithm: number, bits: number, slot: number): number;
  dukptPinTranslate(algorithm: number, bits: number, fromMode: number, from: number, to: number, toKs: number, toMode: number, src: number, stride: number, dst: number, n: number): void;
  dukptWipe(): void;
  ff1WalkBatch(ks: number, nr: number, total: number, left: number, k: number, tweak: number, tlen: number, decrypt: number, valid: number, recs: number, count: number): void;
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
  cardsWipe(): void;
  EMV_CARD: WasmGlobal;
  EMV_DCVV_RECORD: WasmGlobal;
  EMV_PIN_RECORD: WasmGlobal;
  EMV_PIN_AT_CURRENT: WasmGlobal;
  EMV_PIN_AT_UDK: WasmGlobal;
  emvMasterKeys(k0: number, k1: number, k2: number, k3: number, k4: number, count: number, optionB: number, src: number, n: number, dst: number): void;
  EMV_SLICE_MIN: WasmGlobal;
  emvAcBatch(imk: number, optionB: number, skd: number, verify: number, src: number, stride: number, n: number, dst: number): void;
  emvDcvvBatch(imk: number, optionB: number, src: number, n: number, dst: number): void;
  emvCvc3Batch(imk: number, optionB: number, src: number, stride: number, n: number, dst: number): void;
  emvPinChange(format: number, ks: number, mode: number, current: number, target: number, encryption: number, smc: number, rec: number, out: number): void;
  ff1Batch(ks: number, nr: number, radix: number, n: number, tweak: number, tlen: number, decrypt: number, src: number, dst: number, count: number): void;
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

function wasmBytes(): Uint8Array {
  if (typeof Buffer !== 'undefined') return Buffer.from(KERNEL_WASM_BASE64, 'base64');
  const bin = atob(KERNEL_WASM_BASE64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

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

/** The kernel if it has been instantiated, without instantiating it. */
export function loadedKernel(): Kernel | undefined {
  return kernelInstance;
}

/** The kernel, compiled and instantiated synchronously on first use. */
export function kernel(): Kernel {
  if (kernelInstance === undefined) {
    kernelInstance = wrap(new WebAssembly.Instance(kernelModule(), imports));
  }
  return kernelInstance;
}

/**
 * The compiled module (a WebAssembly.Module). Worker threads receive it instead of compiling their own: V8 shares
 * the machine code, including what this thread has already optimized, so a new worker starts at full speed.
 */
export function kernelModule(): object {
  compiled ??= new WebAssembly.Module(wasmBytes());
  return compiled;
}

/** Makes this thread instantiate `module` (from kernelModule in another thread) on first use. */
export function useKernelModule(module: object): void {
  compiled ??= module;
}

/**
 * Compiles and instantiates the kernel ahead of time (asynchronously), so the first operation pays nothing.
 * Optional: every operation initializes the kernel synchronously on first use.
 */
export async function init(): Promise<void> {
  if (kernelInstance !== undefined) return;
  compiled ??= await WebAssembly.compile(wasmBytes());
  const instance = await WebAssembly.instantiate(compiled, imports);
  kernelInstance ??= wrap(instance);
}
