// The one error class of cardhsm. Callers branch on `code` (stable) and `field`; messages state the rule and the
// input's shape (type, length, position of a bad character), never the value of a key, PIN, PIN block or PAN.

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
  | 'ERR_INTERNAL'; // a kernel trap: a bug, never bad input

export class CardHsmError extends Error {
  readonly code: ErrorCode;
  /** The argument or option at fault (`pan`, `key`, `opts.length`, …), when there is one. */
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'CardHsmError';
    this.code = code;
    this.field = field;
  }
}
