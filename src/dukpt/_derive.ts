// The bridge to assembly/dukpt.ts: binds a key source (a BDK through the key-schedule cache, or a device's
// initial key copied into IN) and runs the derivation kernel over records of KSNs, in as few calls as fit.
// Callers validate first; every derived key is wiped from WASM memory before these functions return.
import { selectKey, withKernel, ALG_AES, ALG_TDES, type Kernel } from '../wasm/_calls.js';
import type { DukptScheme } from './_ksn.js';

/** Where the keys come from: the BDK, or one device's initial key (the IPEK of TDES DUKPT). */
export type KeySource = { scheme: DukptScheme; bdk: Uint8Array } | { scheme: DukptScheme; initialKey: Uint8Array };

/** What the kernel derives for each KSN (assembly/dukpt.ts DUKPT_INITIAL, DUKPT_TRANSACTION, DUKPT_WORKING). */
export const KIND = { INITIAL: 0, TRANSACTION: 1, WORKING: 2 } as const;

/** The working key to derive: TDES `usage` = the variant's index; AES the usage and algorithm indicators, bits. */
export interface WorkingSpec {
  usage: number;
  algorithm: number;
  bits: number;
}

/** X9.24-1 A.6: the BDK variant that makes the IPEK's right half. */
const C0 = [0xc0, 0xc0, 0xc0, 0xc0, 0, 0, 0, 0, 0xc0, 0xc0, 0xc0, 0xc0, 0, 0, 0, 0];

/** Bytes at the start of IN kept for an initial key; records follow. */
export const KEY_AREA = 64;

/** Binds `source` for the kernel calls that follow (an initial key is copied to IN, which withKernel wipes). */
export function bindSource(k: Kernel, source: KeySource): void {
  const kind = source.scheme === 'TDES' ? (k.x.DUKPT_TDES.value as number) : (k.x.DUKPT_AES.value as number);
  if ('initialKey' in source) {
    k.mem.set(source.initialKey, k.IN);
    k.x.dukptSource(kind, 0, 0, source.initialKey.length, k.IN);
    return;
  }
  const bdk = source.bdk;
  if (source.scheme === 'AES') {
    k.x.dukptSource(kind, selectKey(k, ALG_AES, bdk), 0, bdk.length, 0);
    return;
  }
  const variant = bdk.map((b, i) => b ^ C0[i]!);
  try {
    const ks = selectKey(k, ALG_TDES, bdk);
    k.x.dukptSource(kind, ks, selectKey(k, ALG_TDES, variant), bdk.length, 0);
  } finally {
    variant.fill(0);
  }
}

const STRIDE = 16; // a KSN (10 or 12 bytes) or an initial key ID (8), zero-padded
const OUT_STRIDE = 32; // the longest key: AES-256

/**
 * The key `kind` for each of `ids` (KSNs, or initial key IDs for AES initial keys), `outBytes` long, in order.
 * `working` describes the working key for KIND.WORKING.
 */
export function deriveKeys(
  source: KeySource,
  ids: readonly Uint8Array[],
  kind: number,
  outBytes: number,
  working: WorkingSpec = { usage: 0, algorithm: 0, bits: 0 },
): Uint8Array[] {
  const out = new Array<Uint8Array>(ids.length);
  if (ids.length === 0) return out;
  return withKernel(KEY_AREA + ids.length * STRIDE, ids.length * OUT_STRIDE, (k) => {
    const per = Math.min(Math.floor((k.IO_BYTES - KEY_AREA) / STRIDE), Math.floor(k.IO_BYTES / OUT_STRIDE));
    try {
      bindSource(k, source);
      const m = k.mem;
      const at = k.IN + KEY_AREA;
      for (let base = 0; base < ids.length; base += per) {
        const n = Math.min(per, ids.length - base);
        m.fill(0, at, at + n * STRIDE);
        for (let i = 0; i < n; i++) m.set(ids[base + i]!, at + i * STRIDE);
        k.x.dukptKeys(at, STRIDE, k.OUT, OUT_STRIDE, n, kind, working.usage, working.algorithm, working.bits);
        for (let i = 0; i < n; i++) out[base + i] = m.slice(k.OUT + i * OUT_STRIDE, k.OUT + i * OUT_STRIDE + outBytes);
      }
      return out;
    } finally {
      k.x.dukptWipe();
    }
  });
}
