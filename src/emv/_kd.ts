// EMV card records and ICC master keys as the kernel takes them, for the library's own uses (cryptograms, scripts,
// dCVV, CVC3, personalisation, dynamic CVV2's TDES profile): cards checked and laid out, and master keys derived
// for many cards under many IMKs in one pass. kd.ts has the public derivations (EMV 4.4 Book 2 Annex A1).
import { checkArray, checkBytes, checkDigits, checkOneOf, checkOptions, isDigits } from '../_validate.js';
import { withKernel, selectKey, ALG_TDES } from '../wasm/_calls.js';
import type { EmvCard, MasterKeyOption } from './kd.js';

/** Bytes per card record of the kernel: [0] PAN length, [1..20) PAN (ASCII), [20..22) PSN (ASCII). */
export const CARD_RECORD = 24;

/** Validated PAN and PSN; `at` prefixes field names in errors ('items[3].'). */
export function checkCard(pan: unknown, psn: unknown, at = ''): EmvCard {
  return { pan: checkDigits(`${at}pan`, pan, 12, 19), psn: checkDigits(`${at}psn`, psn, 2, 2) };
}

export function checkOption(option: unknown, field = 'option'): MasterKeyOption {
  return option === undefined ? 'A' : checkOneOf(field, option, ['A', 'B'] as const);
}

/** A 16-byte (double-length TDES) key, as every EMV master and session key is. */
export function checkKey16(field: string, key: unknown): Uint8Array {
  return checkBytes(field, key, [16]);
}

/** Writes a card record at `rec` (the caller clears it first). */
export function putCard(m: Uint8Array, rec: number, card: EmvCard): void {
  const { pan, psn } = card;
  m[rec] = pan.length;
  for (let i = 0; i < pan.length; i++) m[rec + 1 + i] = pan.charCodeAt(i);
  m[rec + 20] = psn.charCodeAt(0);
  m[rec + 21] = psn.charCodeAt(1);
}

/**
 * Master keys of validated cards under validated IMKs (at most 5), in one flat buffer per IMK: card i's key is bytes
 * 16i..16i+16. `chunkDone(j, base, n, view)` may read each chunk's keys for IMK j as they come (the view is valid
 * only during the call).
 */
export function masterKeysFlat(
  imks: readonly Uint8Array[],
  cards: readonly EmvCard[],
  option: MasterKeyOption,
): Uint8Array[] {
  const out = imks.map(() => new Uint8Array(cards.length * 16));
  if (cards.length === 0) return out;
  const outPerCard = 16 * imks.length;
  return withKernel(cards.length * CARD_RECORD, cards.length * outPerCard, (k) => {
    const m = k.mem;
    const per = Math.floor(k.IO_BYTES / Math.max(CARD_RECORD, outPerCard));
    for (let base = 0; base < cards.length; base += per) {
      const n = Math.min(per, cards.length - base);
      // Schedules are selected per chunk: the key cache holds 8, so every IMK is still cached after the first.
      const ks = imks.map((imk) => selectKey(k, ALG_TDES, imk));
      m.fill(0, k.IN, k.IN + n * CARD_RECORD);
      for (let i = 0; i < n; i++) putCard(m, k.IN + i * CARD_RECORD, cards[base + i]!);
      k.x.emvMasterKeys(
        ks[0]!,
        ks[1] ?? 0,
        ks[2] ?? 0,
        ks[3] ?? 0,
        ks[4] ?? 0,
        imks.length,
        +(option === 'B'),
        k.IN,
        n,
        k.OUT,
      );
      for (let j = 0; j < imks.length; j++)
        out[j]!.set(m.subarray(k.OUT + j * n * 16, k.OUT + (j + 1) * n * 16), base * 16);
    }
    return out;
  });
}

/** Master keys of validated cards under validated IMKs: one array per IMK, one 16-byte key (a view) per card. */
export function masterKeys(
  imks: readonly Uint8Array[],
  cards: readonly EmvCard[],
  option: MasterKeyOption,
): Uint8Array[][] {
  return masterKeysFlat(imks, cards, option).map((flat) =>
    Array.from({ length: cards.length }, (_, i) => flat.subarray(i * 16, i * 16 + 16)),
  );
}

/**
 * A validated card list (the caller's array, unchanged): the hot path checks shapes without building strings; only
 * a malformed item takes the slow path that names the field at fault.
 */
export function checkCards(cards: unknown): readonly EmvCard[] {
  const arr = checkArray('cards', cards);
  for (let i = 0; i < arr.length; i++) {
    const c = arr[i] as EmvCard | null;
    if (typeof c === 'object' && c !== null && isDigits(c.pan, 12, 19) && isDigits(c.psn, 2, 2)) continue;
    const o = checkOptions(`cards[${i}]`, c);
    checkCard(o.pan, o.psn, `cards[${i}].`);
  }
  return arr as readonly EmvCard[];
}
