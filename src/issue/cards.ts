// Issuing cards in batches (the seeds' mass issue, instant card and reissue): for a run of counters, the PANs
// (PanIssuer), CVV, CVV2 and iCVV in one CVV-kernel pass, PAN tokens in one FF1 pass per cycle-walking step, and
// PINs — derived per card, checked against the policy, returned only as an encrypted PIN block with its PVV.
import { createHmac } from 'node:crypto';
import { bytesToHex } from '../bytes.js';
import { generateCvvBatch } from '../cvv.js';
import { generateVisaPvvBatch } from '../pvv.js';
import { encodePinBlockIso0Batch, encipherPinBlockIso4 } from '../pinblock.js';
import { tdesEncryptEcb } from '../des.js';
import { tokenizePanBatch, type TokenOptions } from '../token.js';
import { checkPinPolicy, type PinPolicy } from '../pinpolicy.js';
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
 * The card's PIN, derived from the PVK and the PAN (as the IBM 3624 method derives a natural PIN): uniform over
 * the PINs the policy allows, the same for the same card — so an idempotent re-run reproduces it — and
 * unknowable without the PVK. HMAC-SHA-256(PVK, label || PAN) seeds a counter-mode stream; digits by rejection
 * sampling, candidate PINs until one passes the policy.
 */
export function derivePin(pvk: Uint8Array, pan: string, length: number, policy: PinPolicy): string {
  const seed = createHmac('sha256', pvk).update(`cardhsm/issued-pin/v1/${pan}`).digest();
  let pin = '';
  for (let block = 0; ; block++) {
    const stream = createHmac('sha256', seed).update(String(block)).digest();
    for (const b of stream) {
      if (b >= 250) continue;
      pin += String(b % 10);
      if (pin.length === length) {
        if (checkPinPolicy(pin, policy).ok) {
          seed.fill(0);
          return pin;
        }
        pin = '';
      }
    }
  }
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
  const pins = cards.map((c) => derivePin(p.pvk, c.pan, p.length, p.policy));
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
