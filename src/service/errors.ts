// The service's errors and the seeds' error envelope: `{ "errors": [{ code, title, detail, field }] }`. Handlers
// throw a ServiceError (an HTTP status with a stable code) or let a CardHsmError through; httpError() maps both
// to a status and envelope. No message ever carries a PAN, PIN, PIN block, key or secret: core messages are
// written that way, and anything unexpected becomes a bare 500 without its message or stack.
import { CardHsmError } from '../errors.js';

export interface ErrorItem {
  code: string;
  title: string;
  detail: string;
  field?: string;
}

export interface ErrorEnvelope {
  errors: ErrorItem[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function titleOf(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Internal Server Error' : 'Bad Request');
}

/** An error with its HTTP status and stable code (e.g. 404 CARD_NOT_FOUND, 409 INVALID_STATE). */
export class ServiceError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;

  constructor(status: number, code: string, detail: string, field?: string) {
    super(detail);
    this.name = 'ServiceError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export const notFound = (
  what: 'card' | 'affinity group' | 'batch' | 'job' | 'shipment' | 'previous card',
  field?: string,
): ServiceError =>
  new ServiceError(404, `${what.toUpperCase().replace(/ /g, '_')}_NOT_FOUND`, `no ${what} with this id`, field);

export const conflict = (code: string, detail: string, field?: string): ServiceError =>
  new ServiceError(409, code, detail, field);
export const unprocessable = (code: string, detail: string, field?: string): ServiceError =>
  new ServiceError(422, code, detail, field);
export const forbidden = (detail: string): ServiceError => new ServiceError(403, 'FORBIDDEN', detail);
export const badRequest = (code: string, detail: string, field?: string): ServiceError =>
  new ServiceError(400, code, detail, field);

/** Core error codes and the HTTP status each means at this boundary. */
const CORE_STATUS: Partial<Record<CardHsmError['code'], number>> = {
  ERR_TYPE: 400,
  ERR_LENGTH: 400,
  ERR_FORMAT: 400,
  ERR_PINBLOCK_FORMAT: 400,
  ERR_PIN_TRANSLATION: 400,
  ERR_PIN_POLICY: 422,
  ERR_IDEMPOTENCY: 422,
  ERR_STATIC_CVV2_DISABLED: 422,
  ERR_RANGE_EXHAUSTED: 422,
  ERR_PAN_RANGE_OVERLAP: 422,
  ERR_NO_VERIFICATION_DATA: 409,
  ERR_PIN_LOCKED: 423,
  ERR_CVV_LOCKED: 423,
  ERR_DCVV2_LOCKED: 423,
  ERR_NOT_AUTHORIZED: 403,
  ERR_STORE_UNAVAILABLE: 503,
};

/** The core's option names as this API spells them. */
const CORE_FIELDS: Record<string, string> = {
  cardRef: 'card_id',
  activationCode: 'activation_code',
  pinBlock: 'pin_block',
  pin: 'pin',
  format: 'pin_block_format',
  code: 'cvv',
  cvv: 'cvv',
};

/** The status and envelope of any thrown value; `internal` is true for a 5xx that is not a store outage. */
export function httpError(e: unknown): { status: number; body: ErrorEnvelope; internal: boolean } {
  if (e instanceof ServiceError) {
    return {
      status: e.status,
      body: envelope(e.status, e.code, e.message, e.field),
      internal: e.status >= 500 && e.status !== 503,
    };
  }
  if (e instanceof CardHsmError) {
    let status = CORE_STATUS[e.code] ?? 500;
    if (e.code === 'ERR_ACTIVATION_CODE') status = e.reason === 'LOCKED' ? 423 : 409;
    if (status === 500)
      return { status, body: envelope(500, 'INTERNAL', 'the request could not be completed'), internal: true };
    const code = e.code.replace(/^ERR_/, '') + (e.reason === undefined ? '' : `_${e.reason}`);
    const field = e.field === undefined ? undefined : (CORE_FIELDS[e.field] ?? e.field);
    return { status, body: envelope(status, code, e.message, field), internal: false };
  }
  if (isStoreFailure(e))
    return {
      status: 503,
      body: envelope(503, 'STORE_UNAVAILABLE', 'the store cannot be reached or written; nothing was decided'),
      internal: false,
    };
  return { status: 500, body: envelope(500, 'INTERNAL', 'the request could not be completed'), internal: true };
}

/**
 * A database driver's failure to reach or write the database (pg connection and server-shutdown errors, SQLite
 * busy or I/O errors, a pool already closed): the service fails closed with 503 rather than guessing.
 */
export function isStoreFailure(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = String((e as { code?: unknown }).code ?? '');
  if (
    /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|57P0[1-3]|08\d{3}|53\d{3}|SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY|PROTOCOL))/.test(
      code,
    )
  )
    return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|driver has already been destroyed|Cannot use a pool after calling end|database connection is not open/i.test(
    e.message,
  );
}

export function envelope(status: number, code: string, detail: string, field?: string): ErrorEnvelope {
  return { errors: [{ code, title: titleOf(status), detail, ...(field === undefined ? {} : { field }) }] };
}
