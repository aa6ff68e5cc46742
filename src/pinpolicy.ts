// PIN selection rules (the seeds: 4 digits, not ascending like 1234, not descending like 4321, not repeated like
// 1111), and a generator that draws uniformly from the PINs a policy allows. ISO 9564-1 allows 4-12 digits.
import { checkDigits } from './_validate.js';
import { evaluate, rulesOf } from './_pinpolicy.js';

export type PinPolicyReason = 'LENGTH' | 'REPEATED' | 'SEQUENCE_ASC' | 'SEQUENCE_DESC' | 'DENYLIST';

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

export type PinPolicyResult = { ok: true } | { ok: false; reason: PinPolicyReason };

/**
 * Checks a PIN against a policy (defaults: 4-12 digits, no repeated digit, no ascending or descending run with
 * wrap-around, empty deny-list). A PIN that is not a string of 1-12 digits is malformed and throws.
 * @example checkPinPolicy('1234') // { ok: false, reason: 'SEQUENCE_ASC' }
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (the PIN or the policy is malformed)
 */
export function checkPinPolicy(pin: string, policy?: PinPolicy): PinPolicyResult {
  checkDigits('pin', pin, 1, 12);
  return evaluate(pin, rulesOf(policy));
}
