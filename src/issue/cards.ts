// Issuing cards in batches (the seeds' mass issue, instant card and reissue): for a run of counters, the PANs
// (PanIssuer), CVV, CVV2 and iCVV in one CVV-kernel pass, PAN tokens in one FF1 pass per cycle-walking step, and
// PINs — derived per card, checked against the policy, returned only as an encrypted PIN block with its PVV.
import { CardHsmError } from '../errors.js';
import { bytesToHex } from '../bytes.js';
import { generateCvvBatch } from '../cvv.js';
import { generateVisaPvvBatch } from '../pvv.js';
import { encodePinBlockIso0Batch, encipherPinBlockIso4 } from '../pinblock.js';
import { tdesEncryptEcb } from '../des.js';
import { tokenizePanBatch, type TokenOptions } from '../token.js';
import { pinPolicyPredicate, type PinPolicy } from '../pinpolicy.js';
import type { PanIssuer } from './pan.js';

export interface IssuedCard {
  pan: string;
  lastFour: string;
  /** YYMM */
  expiry: string;
  serviceCode: string;
  cvv: string;
  cvv2: string;
  icvv: string;
  /** The PAN token, when a token key was given. */
  token?: string;
  /** The card's PIN as an encrypted PIN block (uppercase hex): ISO 0 under a TDES PIN key, ISO 4 under AES. */
  pinBlock?: string;
  /** The Visa PVV of that PIN. */
  pvv?: string;
}

/** Clear keys and settings for one issuance run; the Hsm opens them from key blocks. */
export interface CardRecipe {
  issuer: PanIssuer;
  cvk: Uint8Array;
  expiry: string;
  serviceCode: string;
  pin?: { pinKey: Uint8Array; aes: boolean; pvk: Uint8Array; pvki: string; length: number; policy: PinPolicy };
  token?: { key: Uint8Array; options: TokenOptions };
}

/**
 * The cards' PINs, derived from the PVK and the PAN (as the IBM 3624 method derives a natural PIN): uniform over
 * the PINs the policy allows, the same for the same card — so an idempotent re-run reproduces it — and
 * unknowable without the PVK. For card i and attempt j = 0, 1, …:
 *   D = the PAN's digits, 'F'-padded to 31 nibbles, then the nibble j: two 8-byte blocks B1 || B2_j
 *   R_j = TDES_PVK(TDES_PVK(B1) XOR B2_j)          (a CBC-MAC over the card's own data)
 * The decimal nibbles of R_0, R_1, … in order form a stream of uniform digits (A-F are skipped); the PIN is the
 * first run of `length` consecutive stream digits, taken in non-overlapping runs, that the policy allows. All
 * cards of a batch go through TDES together, attempt by attempt.
 */
export function derivePins(pvk: Uint8Array, pans: readonly string[], length: number, policy: PinPolicy): string[] {
  const n = pans.length;
  const first = new Uint8Array(n * 8);
  const second = new Uint8Array(n * 8);
  const nibble = (pan: string, at: number): number => (at < pan.length ? pan.charCodeAt(at) - 48 : at < 31 ? 15 : 0);
  pans.forEach((pan, i) => {
    for (let k = 0; k < 8; k++) {
      first[i * 8 + k] = (nibble(pan, 2 * k) << 4) | nibble(pan, 2 * k + 1);
      second[i * 8 + k] = (nibble(pan, 16 + 2 * k) << 4) | nibble(pan, 17 + 2 * k);
    }
  });
  const allowed = pinPolicyPredicate(policy);
  const y1 = tdesEncryptEcb(pvk, first);
  first.fill(0);
  const pins = new Array<string | undefined>(n).fill(undefined);
  const pending = new Array<string>(n).fill('');
  for (let j = 0; j < 16 && pins.includes(undefined); j++) {
    const todo = pins.flatMap((p, i) => (p === undefined ? [i] : []));
    const block = new Uint8Array(todo.length * 8);
    todo.forEach((i, t) => {
      for (let k = 0; k < 8; k++) block[t * 8 + k] = y1[i * 8 + k]! ^ second[i * 8 + k]! ^ (k === 7 ? j : 0);
    });
    const r = tdesEncryptEcb(pvk, block);
    block.fill(0);
    todo.forEach((i, t) => {
      for (let k = 0; k < 8 && pins[i] === undefined; k++) {
        for (const nib of [r[t * 8 + k]! >> 4, r[t * 8 + k]! & 15]) {
          if (nib > 9 || pins[i] !== undefined) continue;
          pending[i] += String(nib);
          if (pending[i]!.length === length) {
            if (allowed(pending[i]!)) pins[i] = pending[i];
            pending[i] = '';
          }
        }
      }
    });
    r.fill(0);
  }
  y1.fill(0);
  second.fill(0);
  // 16 attempts give ~160 uniform digits: a card without a PIN by then means a policy that allows almost nothing.
  if (pins.includes(undefined)) throw new CardHsmError('ERR_PIN_POLICY', 'the PIN policy allows too few PINs to issue from', 'pinPolicy');
  return pins as string[];
}

/** The complete cards for `pans` (new numbers, or the same numbers on a reissue). */
export function cardsFor(recipe: CardRecipe, pans: readonly string[]): IssuedCard[] {
  const { cvk, expiry, serviceCode } = recipe;
  const items = [serviceCode, '000', '999'].flatMap((sc) => pans.map((pan) => ({ pan, expiry, serviceCode: sc })));
  const cvvs = generateCvvBatch(cvk, items);
  const n = pans.length;
  const cards: IssuedCard[] = pans.map((pan, i) => ({
    pan,
    lastFour: pan.slice(-4),
    expiry,
    serviceCode,
    cvv: cvvs[i]!,
    cvv2: cvvs[n + i]!,
    icvv: cvvs[2 * n + i]!,
  }));
  if (recipe.token) {
    const tokens = tokenizePanBatch(recipe.token.key, pans, recipe.token.options);
    cards.forEach((c, i) => (c.token = tokens[i]!));
  }
  if (recipe.pin) addPins(recipe.pin, cards);
  return cards;
}

function addPins(p: NonNullable<CardRecipe['pin']>, cards: IssuedCard[]): void {
  const pins = derivePins(p.pvk, cards.map((c) => c.pan), p.length, p.policy);
  const pvvs = generateVisaPvvBatch(p.pvk, cards.map((c, i) => ({ pan: c.pan, pvki: p.pvki, pin: pins[i]! })));
  let blocks: string[];
  if (p.aes) {
    blocks = cards.map((c, i) => bytesToHex(encipherPinBlockIso4(p.pinKey, pins[i]!, c.pan)));
  } else {
    // ISO 0 for every card in one kernel pass, then one TDES-ECB call over all the blocks.
    const clear = encodePinBlockIso0Batch(cards.map((c, i) => ({ pin: pins[i]!, pan: c.pan })));
    const all = new Uint8Array(clear.length * 8);
    clear.forEach((b, i) => {
      all.set(b, i * 8);
      b.fill(0);
    });
    const enc = tdesEncryptEcb(p.pinKey, all);
    all.fill(0);
    blocks = clear.map((_, i) => bytesToHex(enc.subarray(i * 8, i * 8 + 8)));
  }
  cards.forEach((c, i) => {
    c.pinBlock = blocks[i]!;
    c.pvv = pvvs[i]!;
  });
}

/** YYMM of the month `months` after `from`. */
export function expiryAfter(months: number, from: Date): string {
  const total = from.getUTCFullYear() * 12 + from.getUTCMonth() + months;
  const year = Math.floor(total / 12) % 100;
  const month = (total % 12) + 1;
  return String(year).padStart(2, '0') + String(month).padStart(2, '0');
}
