// Issuing cards in batches (the seeds' mass issue, instant card and reissue). The issuance kernel
// (assembly/cards.ts) makes a chunk of cards in linear memory — PANs from counters (PanIssuer), CVV, CVV2, iCVV,
// the PAN token, the PIN (derived, checked against the policy, returned only as an encrypted PIN block with its
// PVV) — and writes each card as one ASCII record; JS turns the records into IssuedCards with substrings only.
import { CardHsmError } from '../errors.js';
import { tdesEncryptEcb } from '../des.js';
import { isLuhnValid } from '../luhn.js';
import type { TokenOptions } from '../token.js';
import { tokenPlan, type TokenPlan } from '../_token.js';
import type { PinPolicy } from '../pinpolicy.js';
import { pinPolicyBitset, pinPolicyPredicate, PIN_BITSET_MAX_LENGTH } from '../_pinpolicy.js';
import {
  withKernel,
  selectKey,
  keySchedule,
  putAscii,
  decodeAscii,
  ALG_AES,
  ALG_TDES,
  type Kernel,
} from '../wasm/_calls.js';
import type { PanIssuer } from './pan.js';
import type { IssuedCard } from './cards.js';

/** Clear keys and settings for one issuance run; the Hsm opens them from key blocks. */
export interface CardRecipe {
  issuer: PanIssuer;
  cvk: Uint8Array;
  expiry: string;
  serviceCode: string;
  pin?: { pinKey: Uint8Array; aes: boolean; pvk: Uint8Array; pvki: string; length: number; policy: PinPolicy };
  token?: { key: Uint8Array; options: TokenOptions };
  /** Set: the kernel writes each card as a finished line of this format (Hsm.issueCardLines), not as a record. */
  lines?: CardLineFormat;
}

/** The line formats of Hsm.issueCardLines: JSON Lines or CSV (assembly/cards.ts cardsWriteLines). */
export type CardLineFormat = 'jsonl' | 'csv';

/** The longest line cardsWriteLines writes for PANs of `panLength`: JSON with a token, an AES PIN block and a PVV. */
const lineBytes = (panLength: number) => 2 * panLength + 173;

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
  if (pins.includes(undefined))
    throw new CardHsmError('ERR_PIN_POLICY', 'the PIN policy allows too few PINs to issue from', 'pinPolicy');
  return pins as string[];
}

// Cards per kernel chunk (assembly/cards.ts CARDS_CHUNK), and where the kernel's inputs sit in IN.
const CHUNK = 2048;
const AT_EXPIRY = 0; //     4 ASCII digits
const AT_SERVICE = 8; //    3
const AT_TWEAK = 32; //     the token tweak, up to 1024 bytes
const AT_PANS = 1088; //    given PANs, CARDS_CHUNK x 19, or the prefix (PanIssuer.loadPans)
const AT_PINS = AT_PANS + 19 * CHUNK; // given PINs, CARDS_CHUNK x 12
const AT_FILL = AT_PINS + 12 * CHUNK; // ISO 4 fill (cardsIso4Fill), CARDS_CHUNK x 8
const AT_ALLOWED = AT_FILL + 8 * CHUNK; // the policy's bitset, up to 125,000 bytes

/**
 * A batch of cards as the kernel writes them: one fixed-width ASCII record per card (assembly/cards.ts
 * cardsWrite) — compact enough to cross from a worker thread as one string — or, for a recipe with `lines`, one
 * finished line per card (cardsWriteLines; `stride` is then the line's length).
 */
export interface CardText {
  /** The records (empty for a recipe with `lines`). */
  text: string;
  /** A recipe with `lines`: the lines as ASCII bytes, which cross from a worker without a copy and can be wiped. */
  lines?: Uint8Array;
  count: number;
  stride: number;
  panLength: number;
  token: boolean;
  /** Hex characters of the PIN block (0 without PINs; then there is no PVV either). */
  pinBlockChars: number;
}

/** The cards for counters start .. start+count-1 of the recipe's issuer (new cards). */
export function cardTextAt(recipe: CardRecipe, start: number, count: number): CardText {
  // PINs too long to tabulate are derived in JS, and short bodies are shuffled by kernel calls of their own: both
  // need the PANs as strings before the issuance kernel runs.
  const pansFirst = !recipe.issuer.kernelMakesPans || (recipe.pin && recipe.pin.length > PIN_BITSET_MAX_LENGTH);
  if (pansFirst) return cardTextFor(recipe, recipe.issuer.pansAt(start, count));
  const length = recipe.issuer.length;
  return runKernel(recipe, tokenPlanOf(recipe, length), count, length, (k, base, n) =>
    recipe.issuer.loadPans(k, k.IN + AT_PANS, start + base, n),
  );
}

/** The recipe's token plan for PANs of `length` (undefined without tokens). */
function tokenPlanOf(recipe: CardRecipe, length: number): TokenPlan | undefined {
  return recipe.token ? tokenPlan(recipe.token.options, length) : undefined;
}

/** The cards for the given PANs, all of one length (a reissue keeps its number). */
export function cardTextFor(recipe: CardRecipe, pans: readonly string[]): CardText {
  const length = pans[0]?.length ?? recipe.issuer.length;
  if (pans.some((p) => p.length !== length))
    throw new CardHsmError('ERR_INTERNAL', 'cardTextFor: PANs of one length expected');
  const plan = tokenPlanOf(recipe, length);
  const mode = plan?.mode;
  if ((mode === 'valid' || mode === 'invalid') && !pans.every(isLuhnValid)) {
    throw new CardHsmError('ERR_FORMAT', `"pan" must pass Luhn for luhn '${mode}' tokens`, 'pan');
  }
  const pins =
    recipe.pin && recipe.pin.length > PIN_BITSET_MAX_LENGTH
      ? derivePins(recipe.pin.pvk, pans, recipe.pin.length, recipe.pin.policy)
      : undefined;
  try {
    return runKernel(
      recipe,
      plan,
      pans.length,
      length,
      (k, base, n) => {
        for (let i = 0; i < n; i++) putAscii(k.mem, k.IN + AT_PANS + i * length, pans[base + i]!);
        k.x.cardsPansGiven(k.IN + AT_PANS);
      },
      pins,
    );
  } finally {
    pins?.fill('');
  }
}

// Every 3- and 4-digit string, made once: a card's CVVs, PVV and last four digits are looked up, not allocated,
// which leaves the consuming thread's garbage collector a third of the strings to deal with.
let shortDigits: { three: string[]; four: string[] } | undefined;
function digitStrings(): { three: string[]; four: string[] } {
  shortDigits ??= {
    three: Array.from({ length: 1000 }, (_, v) => String(v).padStart(3, '0')),
    four: Array.from({ length: 10_000 }, (_, v) => String(v).padStart(4, '0')),
  };
  return shortDigits;
}

/** The value of the `n` ASCII digits at `at`. */
function digitsValue(text: string, at: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 10 + text.charCodeAt(at + i) - 48;
  return v;
}

/**
 * Turns kernel records `from` .. `to` - 1 into IssuedCards. Streaming callers convert a few hundred at a time, so
 * that cards die young: objects that outlive two scavenges are promoted, and old-generation GC costs far more.
 */
export function cardsFromText(
  recipe: Pick<CardRecipe, 'expiry' | 'serviceCode'>,
  t: CardText,
  from = 0,
  to = t.count,
): IssuedCard[] {
  const { text, stride, panLength: L, token, pinBlockChars } = t;
  const { expiry, serviceCode } = recipe;
  const { three, four } = digitStrings();
  const cards = new Array<IssuedCard>(to - from);
  for (let i = 0, at = from * stride; i < to - from; i++, at += stride) {
    const pan = text.substring(at, at + L);
    const lastFour = four[digitsValue(text, at + L - 4, 4)]!;
    const cvv = three[digitsValue(text, at + L, 3)]!;
    const cvv2 = three[digitsValue(text, at + L + 3, 3)]!;
    const icvv = three[digitsValue(text, at + L + 6, 3)]!;
    const p = at + L + 9;
    const q = token ? p + L : p;
    // One object literal per shape, so that every card of a run shares one hidden class from the start.
    if (token && pinBlockChars > 0) {
      cards[i] = {
        pan,
        lastFour,
        expiry,
        serviceCode,
        cvv,
        cvv2,
        icvv,
        token: text.substring(p, q),
        pinBlock: text.substring(q, q + pinBlockChars),
        pvv: four[digitsValue(text, q + pinBlockChars, 4)]!,
      };
    } else if (token) {
      cards[i] = { pan, lastFour, expiry, serviceCode, cvv, cvv2, icvv, token: text.substring(p, q) };
    } else if (pinBlockChars > 0) {
      cards[i] = {
        pan,
        lastFour,
        expiry,
        serviceCode,
        cvv,
        cvv2,
        icvv,
        pinBlock: text.substring(q, q + pinBlockChars),
        pvv: four[digitsValue(text, q + pinBlockChars, 4)]!,
      };
    } else {
      cards[i] = { pan, lastFour, expiry, serviceCode, cvv, cvv2, icvv };
    }
  }
  return cards;
}

/** New cards for counters start .. start+count-1. */
export function cardsAt(recipe: CardRecipe, start: number, count: number): IssuedCard[] {
  return cardsFromText(recipe, cardTextAt(recipe, start, count));
}

/** The complete cards for `pans` (new numbers, or the same numbers on a reissue), in order. */
export function cardsFor(recipe: CardRecipe, pans: readonly string[]): IssuedCard[] {
  const lengths = new Set(pans.map((p) => p.length));
  if (lengths.size <= 1) return cardsFromText(recipe, cardTextFor(recipe, pans));
  const cards = new Array<IssuedCard>(pans.length);
  for (const length of lengths) {
    const at = pans.flatMap((p, i) => (p.length === length ? [i] : []));
    for (const [j, c] of cardsFor(
      recipe,
      at.map((i) => pans[i]!),
    ).entries())
      cards[at[j]!] = c;
  }
  return cards;
}

/**
 * Runs the issuance kernel over `count` cards of `panLength` digits, chunk by chunk: `loadPans` puts each chunk's
 * PANs in place (`base` = the chunk's first card); `plan` is the token plan (tokenPlanOf); `pins`, when given, are
 * the cards' PINs (else derived inside).
 */
function runKernel(
  recipe: CardRecipe,
  plan: TokenPlan | undefined,
  count: number,
  panLength: number,
  loadPans: (k: Kernel, base: number, n: number) => void,
  pins?: readonly string[],
): CardText {
  const { cvk, expiry, serviceCode, pin, token, lines } = recipe;
  const allowed = pin && !pins ? pinPolicyBitset(pin.policy, pin.length) : undefined;
  const texts: string[] = [];
  let bytes: Uint8Array | undefined; // lines: every chunk's lines, in place (a run's lines all have one length)
  let stride = 0;
  const outBytes = Math.min(count, CHUNK) * (lines ? lineBytes(panLength) : 2 * panLength + 9 + 36);
  withKernel(AT_ALLOWED + (allowed?.length ?? 0), outBytes, (k) => {
    const m = k.mem;
    const x = k.x;
    putAscii(m, k.IN + AT_EXPIRY, expiry);
    putAscii(m, k.IN + AT_SERVICE, serviceCode);
    if (plan) m.set(plan.tweak, k.IN + AT_TWEAK);
    if (allowed) m.set(allowed, k.IN + AT_ALLOWED);
    if (x.CARDS_CHUNK.value !== CHUNK)
      throw new CardHsmError('ERR_INTERNAL', 'kernel and cards.ts disagree on the chunk size');
    for (let base = 0; base < count; base += CHUNK) {
      const n = Math.min(CHUNK, count - base);
      x.cardsStart(n, panLength);
      try {
        loadPans(k, base, n);
        x.cardsCvvs(selectKey(k, ALG_TDES, cvk), k.IN + AT_EXPIRY, k.IN + AT_SERVICE);
        if (token && plan) {
          const mode = {
            any: x.TOKEN_ANY,
            valid: x.TOKEN_VALID,
            invalid: x.TOKEN_INVALID,
            alphanumeric: x.TOKEN_ALPHANUMERIC,
          }[plan.mode].value as number;
          x.cardsTokens(
            ...keySchedule(k, ALG_AES, token.key),
            mode,
            plan.left,
            plan.right,
            k.IN + AT_TWEAK,
            plan.tweak.length,
          );
        }
        if (pin) addPins(k, pin, n, base, pins);
        stride = lines
          ? x.cardsWriteLines(k.OUT, +!!token, k.IN + AT_EXPIRY, k.IN + AT_SERVICE, +(lines === 'csv'))
          : x.cardsWrite(k.OUT, +!!token);
        if (lines) {
          bytes ??= new Uint8Array(count * stride);
          bytes.set(m.subarray(k.OUT, k.OUT + n * stride), base * stride);
        } else texts.push(decodeAscii(m.subarray(k.OUT, k.OUT + n * stride)));
      } finally {
        x.cardsWipe();
      }
    }
  });
  const pinBlockChars = pin ? (pin.aes ? 32 : 16) : 0;
  return {
    text: texts.length === 1 ? texts[0]! : texts.join(''),
    ...(bytes ? { lines: bytes } : {}),
    count,
    stride,
    panLength,
    token: !!token,
    pinBlockChars,
  };
}

function addPins(
  k: Kernel,
  pin: NonNullable<CardRecipe['pin']>,
  n: number,
  base: number,
  pins: readonly string[] | undefined,
): void {
  const x = k.x;
  const [pvk, single] = keySchedule(k, ALG_TDES, pin.pvk);
  if (pins) {
    for (let i = 0; i < n; i++) putAscii(k.mem, k.IN + AT_PINS + i * pin.length, pins[base + i]!);
    x.cardsPinsGiven(k.IN + AT_PINS, pin.length);
  } else if (x.cardsDerivePins(pvk, single, pin.length, k.IN + AT_ALLOWED) > 0) {
    // 16 draws give ~160 uniform digits: a card without a PIN by then means a policy that allows almost nothing.
    throw new CardHsmError('ERR_PIN_POLICY', 'the PIN policy allows too few PINs to issue from', 'pinPolicy');
  }
  x.cardsPvvs(pvk, single, pin.pvki.charCodeAt(0));
  if (pin.aes) {
    x.cardsIso4Fill(pvk, single, k.IN + AT_FILL);
    x.cardsPinBlocks(...keySchedule(k, ALG_AES, pin.pinKey), 0, k.IN + AT_FILL);
  } else {
    x.cardsPinBlocks(selectKey(k, ALG_TDES, pin.pinKey), 0, +(pin.pinKey.length === 8), 0);
  }
}

/** YYMM of the month `months` after `from`. */
export function expiryAfter(months: number, from: Date): string {
  const total = from.getUTCFullYear() * 12 + from.getUTCMonth() + months;
  const year = Math.floor(total / 12) % 100;
  const month = (total % 12) + 1;
  return String(year).padStart(2, '0') + String(month).padStart(2, '0');
}
