// The one error class of cardhsm. Callers branch on `code` (stable) and `field`; messages state the rule and the
// input's shape (type, length, position of a bad character), never the value of a key, PIN, PIN block or PAN.

/**
 * The stable codes of CardHsmError, one per kind of failure (see each member's comment). Branch on the code, never
 * on the message text, which may be reworded.
 * @example
 * const code = (() => { try { generateCvv(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '41234567890', '8701', '101') } catch (e) { return e.code } })()
 * code // => 'ERR_LENGTH'
 * ['ERR_TYPE', 'ERR_LENGTH', 'ERR_FORMAT'].includes(code) // => true
 */
export type ErrorCode =
  | 'ERR_TYPE' // wrong JavaScript type (a number where a digit string is expected, …)
  | 'ERR_LENGTH' // right type, wrong length
  | 'ERR_FORMAT' // right length, bad characters or an unknown option value
  | 'ERR_PINBLOCK_FORMAT' // a PIN block that does not decode under the stated format
  | 'ERR_KEY_USAGE' // a key used for something its usage, mode of use, algorithm or exportability does not allow
  | 'ERR_TR31_HEADER' // a key block header that does not parse or is not allowed
  | 'ERR_TR31_LENGTH' // a key block whose length field, body or key length is inconsistent
  | 'ERR_TR31_MAC' // a key block whose MAC does not verify: tampered, or made under another key
  | 'ERR_PIN_TRANSLATION' // a PIN block translation that the rules forbid (ISO 0/3/4 -> ISO 1)
  | 'ERR_DECIMALIZATION_TABLE' // a decimalization table outside the configured set
  | 'ERR_KCV_MISMATCH' // key components that do not combine to the stated key check value
  | 'ERR_KEY_PARITY' // a DES key component without odd parity
  | 'ERR_WEAK_KEY' // components or a key that would form a weak, semi-weak, degenerate or all-zero key
  | 'ERR_PIN_POLICY' // a PIN the policy forbids (the reason is in the message and `reason`, never the PIN)
  | 'ERR_PIN_LOCKED' // a card whose PIN try limit was reached: set a new PIN first
  | 'ERR_ACTIVATION_CODE' // an activation code that is missing, used up or locked by too many attempts
  | 'ERR_CARD_REF' // a card reference that does not belong to the PAN given with it
  | 'ERR_STORE_UNAVAILABLE' // the store cannot be reached or written (never merely busy); nothing was decided
  | 'ERR_RANGE_EXHAUSTED' // a counter range with no numbers left
  | 'ERR_IDEMPOTENCY' // an idempotency key reused with different parameters
  | 'ERR_STATIC_CVV2_DISABLED' // a static CVV2 offered for a card that uses dynamic CVV2
  | 'ERR_DCVV2_LOCKED' // a card whose dynamic CVV2 try limit was reached
  | 'ERR_CVV_LOCKED' // a card whose static CVV or CVV2 try limit was reached
  | 'ERR_NOT_AUTHORIZED' // a method outside the Hsm's authorized activities (see HSM_PROFILES)
  | 'ERR_NO_VERIFICATION_DATA' // a card with no stored PIN verification data (set or register a PIN first)
  | 'ERR_STORE_INTEGRITY' // stored data whose integrity check fails: changed outside the Hsm
  | 'ERR_PAN_RANGE_OVERLAP' // a PAN prefix that extends, or is extended by, a prefix in use at the same length
  | 'ERR_USAGE' // a command line that does not parse: an unknown option, a missing value (the CLI only)
  | 'ERR_FILE' // a file that cannot be read or written where the caller said (a missing folder, no permission)
  | 'ERR_INIT_REQUIRED' // an operation before `await init()` in a runtime that does not compile WebAssembly synchronously
  | 'ERR_KERNEL_LOAD' // init() could not fetch, compile or recognize the kernel from the source it was given
  | 'ERR_INTERNAL'; // a kernel trap: a bug, never bad input

/**
 * The one error class of cardhsm: a stable `code` (ErrorCode), the `field` at fault (an argument or option name,
 * `items[3].pan` in batches) and, for some codes, a finer `reason`. The message states the rule and the input's
 * shape (`"pan" expected 12..19 digits, got length=11`), never a key, PIN, PIN block or PAN.
 * @example
 * const e = (() => { try { generateCvv(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '41234567890', '8701', '101') } catch (err) { return err } })()
 * [e instanceof CardHsmError, e.code, e.field] // => [true, 'ERR_LENGTH', 'pan']
 * e.message // => '"pan" expected 12..19 digits, got length=11'
 * new CardHsmError('ERR_PIN_POLICY', 'the PIN is a sequence', 'pin', 'SEQUENCE_ASC').reason // => 'SEQUENCE_ASC'
 */
export class CardHsmError extends Error {
  readonly code: ErrorCode;
  /** The argument or option at fault (`pan`, `key`, `opts.length`, …), when there is one. */
  readonly field: string | undefined;
  /** A finer, stable reason for some codes (ERR_PIN_POLICY: LENGTH, REPEATED, SEQUENCE_ASC, …; ERR_FORMAT on a DUKPT KSN: COUNTER_ZERO, COUNTER_BITS). */
  readonly reason: string | undefined;

  constructor(code: ErrorCode, message: string, field?: string, reason?: string) {
    // Total even when misused: an error must never fail to be made (a Symbol message would throw in Error()).
    super(typeof message === 'string' ? message : 'an error without a message');
    this.name = 'CardHsmError';
    this.code = typeof code === 'string' ? code : 'ERR_INTERNAL';
    this.field = typeof field === 'string' ? field : undefined;
    this.reason = typeof reason === 'string' ? reason : undefined;
  }
}
