// The call discipline for every public operation: copy inputs into the static regions, select the key schedule,
// run the kernel, copy outputs into fresh arrays, and wipe every region that held a key, PIN, PAN or result,
// whatever happens. Only the key-schedule cache survives a call (see clearKeyCache).
import { kernel, loadedKernel, KERNEL_CONSTANTS, type Kernel } from './_loader.js';
import { CardHsmError } from '../errors.js';

export type { Kernel } from './_loader.js';

/** The algorithms of the key cache (assembly/keycache.ts), for selectKey and keySchedule. */
export const ALG_TDES: number = KERNEL_CONSTANTS.ALG_TDES;
export const ALG_AES: number = KERNEL_CONSTANTS.ALG_AES;

/** True while a withKernel body runs: the static regions belong to that call. */
let busy = false;

/**
 * Runs `body` against the kernel, then wipes the first `inBytes` of IN, the first `outBytes` of OUT, and the
 * IV region. Bodies that loop over chunks pass the largest chunk they use. A body never calls withKernel (directly
 * or through a public function): the inner call would overwrite and wipe the regions the outer one is using, so
 * it is refused as ERR_INTERNAL rather than allowed to compute a wrong answer.
 */
export function withKernel<T>(inBytes: number, outBytes: number, body: (k: Kernel) => T): T {
  if (busy) throw new CardHsmError('ERR_INTERNAL', 'a kernel call inside another kernel call');
  const k = kernel();
  busy = true;
  try {
    return body(k);
  } catch (e) {
    // A trap inside a kernel (out-of-bounds access, unreachable) is a bug, never the caller's input.
    if (e instanceof Error && e.name === 'RuntimeError')
      throw new CardHsmError('ERR_INTERNAL', `kernel trap: ${e.message}`);
    throw e;
  } finally {
    busy = false;
    // KEY_IN is not wiped here: selectKey, its only writer, wipes it before returning.
    const m = k.mem;
    m.fill(0, k.IV, k.IV + k.IV_BYTES);
    m.fill(0, k.IN, k.IN + Math.min(inBytes, k.IO_BYTES));
    m.fill(0, k.OUT, k.OUT + Math.min(outBytes, k.IO_BYTES));
  }
}

/** Loads `key` into the schedule cache and returns the schedule's address; the clear key region is wiped at once. */
export function selectKey(k: Kernel, alg: number, key: Uint8Array): number {
  k.mem.set(key, k.KEY_IN);
  try {
    return k.x.selectKey(alg, key.length);
  } finally {
    k.mem.fill(0, k.KEY_IN, k.KEY_IN + k.KEY_IN_BYTES);
  }
}

/**
 * Selects `key`'s schedule and returns it with the mode every cipher kernel takes next to it: the AES round count,
 * or for TDES 1 when the key is a single-DES key.
 */
export function keySchedule(k: Kernel, alg: number, key: Uint8Array): [schedule: number, mode: number] {
  const ks = selectKey(k, alg, key);
  return [ks, alg === ALG_AES ? k.x.aesRounds(key.length) : +(key.length === 8)];
}

/** ECB, or CBC from `iv`, over the whole blocks of `data` under `key` (both validated by the caller). */
export function blockCipher(
  alg: number,
  key: Uint8Array,
  data: Uint8Array,
  decrypt: boolean,
  iv: Uint8Array | undefined,
): Uint8Array {
  if (data.length === 0) return new Uint8Array(0);
  const block = alg === ALG_AES ? 16 : 8;
  return withKernel(data.length, data.length, (k) => {
    const [ks, mode] = keySchedule(k, alg, key);
    const x = k.x;
    if (iv === undefined) {
      const ecb = alg === ALG_AES ? x.aesEcb : x.tdesEcb;
      return chunked(k, data, block, (n) => ecb(ks, mode, +decrypt, k.IN, k.OUT, n));
    }
    k.mem.set(iv, k.IV);
    const cbc = alg === ALG_AES ? x.aesCbc : x.tdesCbc;
    return chunked(k, data, block, (n) => cbc(ks, mode, +decrypt, k.IV, k.IN, k.OUT, n));
  });
}

/** Writes the ASCII string `s` (already validated as digits) at `ptr`. */
export function putAscii(m: Uint8Array, ptr: number, s: string): void {
  for (let i = 0; i < s.length; i++) m[ptr + i] = s.charCodeAt(i);
}

/** Reads `len` ASCII bytes at `ptr` as a string. */
export function getAscii(m: Uint8Array, ptr: number, len: number): string {
  return String.fromCharCode.apply(null, m.subarray(ptr, ptr + len) as unknown as number[]);
}

const LATIN1 = new TextDecoder('latin1');

/** ASCII bytes as one string, decoded natively: for whole batches of records, where getAscii would be slow. */
export function decodeAscii(bytes: Uint8Array): string {
  return LATIN1.decode(bytes);
}

/**
 * Wipes every cached key schedule (and the clear keys they were expanded from) from WASM memory: the small cache
 * (8 slots, least recently used) that keeps repeated operations under one key fast, and the only WASM memory that
 * holds key material between calls. Results are unchanged; the next call under a key expands its schedule again.
 * The value is NIST SP 800-38B's AES-CMAC Example 1.
 * @example
 * const key = hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C')
 * bytesToHex(aesCmac(key, new Uint8Array(0))) // => 'BB1D6929E95937287FA37D129B756746'
 * clearKeyCache() // => undefined
 * bytesToHex(aesCmac(key, new Uint8Array(0))) // => 'BB1D6929E95937287FA37D129B756746'
 */
export function clearKeyCache(): void {
  loadedKernel()?.x.clearKeyCache();
}

/** How many records of `recordBytes` in and `outBytes` out fit one kernel call. */
export function recordsPerCall(k: Kernel, recordBytes: number, outBytes: number): number {
  return Math.floor(k.IO_BYTES / Math.max(recordBytes, outBytes));
}

/**
 * Streams `data` through IN -> `step` -> OUT in chunks of at most IO_BYTES and returns the concatenated output.
 * `step` receives the number of `blockBytes` blocks in the chunk now in IN.
 */
export function chunked(k: Kernel, data: Uint8Array, blockBytes: number, step: (blocks: number) => void): Uint8Array {
  if (data.length <= k.IO_BYTES) {
    // One chunk (every single-block call): no output array to fill piecewise.
    k.mem.set(data, k.IN);
    step(data.length / blockBytes);
    return k.mem.slice(k.OUT, k.OUT + data.length);
  }
  const out = new Uint8Array(data.length);
  for (let off = 0; off < data.length; off += k.IO_BYTES) {
    const chunk = Math.min(k.IO_BYTES, data.length - off);
    k.mem.set(data.subarray(off, off + chunk), k.IN);
    step(chunk / blockBytes);
    out.set(k.mem.subarray(k.OUT, k.OUT + chunk), off);
  }
  return out;
}

/** How a batch of items maps onto fixed-width kernel records (see mapRecords). */
export interface RecordLayout<T, R> {
  /** Bytes of one input record in IN and of one result in OUT. */
  recordBytes: number;
  outBytes: number;
  /** Writes `item` into the (zeroed) record at `rec`. */
  write(m: Uint8Array, rec: number, item: T): void;
  /** Reads one result at `out`. */
  read(m: Uint8Array, out: number): R;
}

/**
 * Runs a record kernel over `items` in as few calls as the buffers allow and returns one result per item, in
 * order. `start` selects keys once and returns the kernel invocation for `n` records at IN -> OUT.
 */
export function mapRecords<T, R>(
  items: readonly T[],
  layout: RecordLayout<T, R>,
  start: (k: Kernel) => (n: number) => void,
): R[] {
  const out = new Array<R>(items.length);
  if (items.length === 0) return out;
  const { recordBytes, outBytes } = layout;
  return withKernel(items.length * recordBytes, items.length * outBytes, (k) => {
    const runKernel = start(k);
    const per = recordsPerCall(k, recordBytes, outBytes);
    const m = k.mem;
    for (let base = 0; base < items.length; base += per) {
      const n = Math.min(per, items.length - base);
      m.fill(0, k.IN, k.IN + n * recordBytes);
      for (let i = 0; i < n; i++) layout.write(m, k.IN + i * recordBytes, items[base + i]!);
      runKernel(n);
      for (let i = 0; i < n; i++) out[base + i] = layout.read(m, k.OUT + i * outBytes);
    }
    return out;
  });
}
