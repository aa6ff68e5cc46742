// The PIN policy engine (pinpolicy.ts has the policy type and checkPinPolicy): policies checked into Rules, PINs
// evaluated against them, PINs drawn uniformly from what a policy allows, and the policy tabulated as a bitset for
// the issuance kernel.
import { CardHsmError } from './errors.js';
import { checkDigits, checkInt, checkOptions } from './_validate.js';
import type { PinPolicy, PinPolicyReason, PinPolicyResult } from './pinpolicy.js';

export interface Rules {
  minLength: number;
  maxLength: number;
  rejectRepeated: boolean;
  rejectSequences: boolean;
  wrapAround: boolean;
  denyList: ReadonlySet<string>;
}

export function rulesOf(policy: unknown): Rules {
  const o = checkOptions('policy', policy);
  const minLength = o.minLength === undefined ? 4 : checkInt('policy.minLength', o.minLength, 4, 12);
  const maxLength = o.maxLength === undefined ? 12 : checkInt('policy.maxLength', o.maxLength, minLength, 12);
  const flag = (name: string, fallback: boolean): boolean => {
    const v = o[name];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean')
      throw new CardHsmError('ERR_TYPE', `"policy.${name}" expected a boolean`, `policy.${name}`);
    return v;
  };
  const deny = o.denyList === undefined ? [] : o.denyList;
  if (!Array.isArray(deny))
    throw new CardHsmError('ERR_TYPE', '"policy.denyList" expected an array of digit strings', 'policy.denyList');
  return {
    minLength,
    maxLength,
    rejectRepeated: flag('rejectRepeated', true),
    rejectSequences: flag('rejectSequences', true),
    wrapAround: flag('wrapAround', true),
    denyList: new Set(deny.map((p, i) => checkDigits(`policy.denyList[${i}]`, p, 1, 12))),
  };
}

/** True when every step from one digit to the next is `step` (mod 10 with wrap-around). */
function isRun(pin: string, step: 1 | -1, wrap: boolean): boolean {
  for (let i = 1; i < pin.length; i++) {
    const d = pin.charCodeAt(i) - pin.charCodeAt(i - 1);
    if (d !== step && !(wrap && d === -9 * step)) return false;
  }
  return true;
}

export function evaluate(pin: string, r: Rules): PinPolicyResult {
  if (pin.length < r.minLength || pin.length > r.maxLength) return { ok: false, reason: 'LENGTH' };
  if (r.rejectRepeated && /^(\d)\1*$/.test(pin)) return { ok: false, reason: 'REPEATED' };
  if (r.rejectSequences && isRun(pin, 1, r.wrapAround)) return { ok: false, reason: 'SEQUENCE_ASC' };
  if (r.rejectSequences && isRun(pin, -1, r.wrapAround)) return { ok: false, reason: 'SEQUENCE_DESC' };
  if (r.denyList.has(pin)) return { ok: false, reason: 'DENYLIST' };
  return { ok: true };
}

/** Unbiased decimal digits from the CSPRNG (bytes >= 250 are redrawn). */
function randomDigits(n: number): string {
  let out = '';
  const buf = new Uint8Array(n + 8);
  while (out.length < n) {
    globalThis.crypto.getRandomValues(buf);
    for (const b of buf) if (b < 250 && out.length < n) out += String(b % 10);
  }
  buf.fill(0);
  return out;
}

/**
 * A PIN of `length` digits drawn uniformly from those the policy allows (rejection sampling over uniform PINs).
 * @throws ERR_FORMAT (a length the policy does not allow), ERR_PIN_POLICY (a policy that allows no PIN)
 */
export function generateRandomPin(length: number, policy?: PinPolicy): string {
  const r = rulesOf(policy);
  checkInt('length', length, r.minLength, r.maxLength);
  // Each draw is allowed with probability near 1 for sane policies; the bound only stops an empty policy.
  for (let i = 0; i < 10_000; i++) {
    const pin = randomDigits(length);
    if (evaluate(pin, r).ok) return pin;
  }
  throw new CardHsmError('ERR_PIN_POLICY', `the PIN policy allows no ${length}-digit PIN`, 'policy');
}

/** A CardHsmError for a refused PIN, carrying the reason but never the PIN. */
export function pinPolicyError(reason: PinPolicyReason): CardHsmError {
  return new CardHsmError('ERR_PIN_POLICY', `"pin" violates the PIN policy: ${reason}`, 'pin', reason);
}

/** A policy checked once and compiled into a predicate, for checking many PINs (issuance). */
export function pinPolicyPredicate(policy?: PinPolicy): (pin: string) => boolean {
  const r = rulesOf(policy);
  return (pin) => evaluate(pin, r).ok;
}

/** Longest PIN for which issuance tabulates the policy (10^6 bits = 125 KB, ~60 ms to build once). */
export const PIN_BITSET_MAX_LENGTH = 6;
const bitsets = new Map<string, Uint8Array>();

/**
 * The `length`-digit PINs a policy allows as a bitset indexed by the PIN's value (bit v & 7 of byte v >> 3), for
 * the issuance kernel, which checks drawn PINs without calling back into JS. Cached per policy and length.
 */
export function pinPolicyBitset(policy: PinPolicy | undefined, length: number): Uint8Array {
  checkInt('length', length, 4, PIN_BITSET_MAX_LENGTH);
  const allowed = pinPolicyPredicate(policy);
  const id = `${length}:${JSON.stringify(policy ?? {})}`;
  let bits = bitsets.get(id);
  if (bits === undefined) {
    const count = 10 ** length;
    bits = new Uint8Array(Math.ceil(count / 8));
    for (let v = 0; v < count; v++) if (allowed(String(v).padStart(length, '0'))) bits[v >> 3]! |= 1 << (v & 7);
    if (bitsets.size >= 16) bitsets.clear();
    bitsets.set(id, bits);
  }
  return bits;
}
