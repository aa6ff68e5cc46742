// PIN selection rules (the seeds: 4 digits, not ascending like 1234, not descending like 4321, not repeated like
// 1111), and a generator that draws uniformly from the PINs a policy allows. ISO 9564-1 allows 4-12 digits.
import { checkDigits } from './_validate.js';
import { evaluate, rulesOf } from './_pinpolicy.js';

/**
 * Why checkPinPolicy refuses a PIN (also CardHsmError.reason of ERR_PIN_POLICY): LENGTH (outside minLength..
 * maxLength), REPEATED (one digit repeated), SEQUENCE_ASC / SEQUENCE_DESC (the whole PIN is a run, with wrap-around
 * by default), DENYLIST.
 * @example
 * ['1234', '4321', '1111', '2580', '13579'].map((pin) => checkPinPolicy(pin, { denyList: ['2580'], maxLength: 4 }).reason) // => ['SEQUENCE_ASC', 'SEQUENCE_DESC', 'REPEATED', 'DENYLIST', 'LENGTH']
 */
export type PinPolicyReason = 'LENGTH' | 'REPEATED' | 'SEQUENCE_ASC' | 'SEQUENCE_DESC' | 'DENYLIST';

/**
 * PIN selection rules for checkPinPolicy, the `pin` arbitrary and the Hsm's `pinPolicy`; every field optional
 * (defaults: 4..12 digits, repeated digits and runs refused, wrap-around on, empty deny-list).
 * @example
 * const policy = { minLength: 4, maxLength: 4, wrapAround: false, denyList: ['2580'] }
 * checkPinPolicy('8901', policy) // => { ok: true }
 * checkPinPolicy('2580', policy) // => { ok: false, reason: 'DENYLIST' }
 * checkPinPolicy('13579', policy) // => { ok: false, reason: 'LENGTH' }
 */
export interface PinPolicy {
  /** Allowed lengths; default 4..12. Products that fix the length set both (e.g. 4 and 4). */
  minLength?: number;
  maxLength?: number;
  /** Refuse one digit repeated (1111). Default true. */
  rejectRepeated?: boolean;
  /** Refuse ascending (1234) and descending (4321) runs. Default true. */
  rejectSequences?: boolean;
  /** Count 9 -> 0 as a step in a run, so 7890, 8901 and 1098 are runs too. Default true. */
  wrapAround?: boolean;
  /** PINs refused outright (birth years, 2580, …). */
  denyList?: string[];
}

/**
 * The answer of checkPinPolicy: `{ ok: true }`, or `{ ok: false, reason }` with a PinPolicyReason.
 * @example
 * checkPinPolicy('1235') // => { ok: true }
 * checkPinPolicy('1234') // => { ok: false, reason: 'SEQUENCE_ASC' }
 */
export type PinPolicyResult = { ok: true } | { ok: false; reason: PinPolicyReason };

/**
 * Checks a PIN against a policy (defaults: 4-12 digits, no repeated digit, no ascending or descending run with
 * wrap-around, empty deny-list). A PIN that is not a string of 1-12 digits is malformed and throws. The whole PIN
 * must be a run to be refused (1234 is, 1235 is not); with wrap-around, 8901 is a run.
 * @example
 * checkPinPolicy('1234') // => { ok: false, reason: 'SEQUENCE_ASC' }
 * checkPinPolicy('1235') // => { ok: true }
 * checkPinPolicy('8901') // => { ok: false, reason: 'SEQUENCE_ASC' }
 * checkPinPolicy('8901', { wrapAround: false }) // => { ok: true }
 * (() => { try { checkPinPolicy('12a4') } catch (e) { return [e.code, e.field] } })() // => ['ERR_FORMAT', 'pin']
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (the PIN or the policy is malformed)
 */
export function checkPinPolicy(pin: string, policy?: PinPolicy): PinPolicyResult {
  checkDigits('pin', pin, 1, 12);
  return evaluate(pin, rulesOf(policy));
}
