// Request verification (the seeds' "Firma HMAC"): HMAC-SHA-256 under the client's secret over the canonical string
//
//   CARDHSM-HMAC-SHA256 \n METHOD \n path-with-query \n timestamp \n nonce \n client-id \n hex(SHA-256(body))   (signature.ts)
//
// sent in four headers (SIGNATURE_HEADERS). The timestamp is Unix seconds and must lie within ±300 s of the
// server's clock; the nonce (16-64 characters of [A-Za-z0-9_-]) may be used once per client within that window,
// so a replay is refused while a retry — a new nonce, the same idempotency key — is a new, valid request. The
// signature is compared in constant time. Pure functions: the server's hook and the tests call them alike.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { ApiClient } from './config.js';
import { ServiceError } from './errors.js';
import { canonicalString, SIGNATURE_HEADERS } from './signature.js';

export const WINDOW_SECONDS = 300;

const NONCE = /^[A-Za-z0-9_-]{16,64}$/;
const TIMESTAMP = /^[0-9]{1,12}$/;
const SIGNATURE = /^[0-9a-f]{64}$/;
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

/**
 * The body's digest for the canonical string: lowercase hex SHA-256 of the raw body bytes as sent (any length;
 * `undefined` or empty for a request without a body). The examples are the FIPS 180-2 SHA-256 example "abc" and the
 * digest of the empty string.
 * @example
 * bodySha256(new TextEncoder().encode('abc'))  // => 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 * bodySha256(undefined)  // => 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
 */
export function bodySha256(body: Uint8Array | undefined): string {
  return body === undefined || body.length === 0 ? EMPTY_SHA256 : createHash('sha256').update(body).digest('hex');
}

/**
 * The signature of a request: lowercase hex HMAC-SHA-256 (64 characters) of `canonical` (canonicalString) under the
 * secret's UTF-8 bytes (a client's secret is 32-256 characters). The first example is RFC 4231 test case 2; the
 * second, a canonical string signed here and checked with `openssl dgst -sha256 -hmac`.
 * @example
 * sign('Jefe', 'what do ya want for nothing?')  // => '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'
 * const canonical = canonicalString('GET', '/cards/v1/crd-1?extend=pan', '1700000000', 'nonce-0123456789abcdef', 'cli-backend', bodySha256(undefined))
 * sign('a secret of at least 32 characters', canonical)  // => '63f2946088b01eaaefee0560e5dbb215c9fc1aaa7a45af91bfa0eeb3e94b7bb2'
 */
export function sign(secret: string, canonical: string): string {
  return createHmac('sha256', secret).update(canonical).digest('hex');
}

export interface SignedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  bodyHash: string;
}

const unauthorized = (code: string, detail: string, field?: string) => new ServiceError(401, code, detail, field);

function header(req: SignedRequest, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Checks a request's signature headers against the client table and the clock (Unix seconds). Returns the client
 * and its nonce (to be recorded: the caller refuses a nonce seen before). Throws 401 with a stable code.
 */
export function verifySignature(
  req: SignedRequest,
  clients: ReadonlyMap<string, ApiClient>,
  nowSeconds: number,
): { client: ApiClient; nonce: string; timestamp: number } {
  const clientId = header(req, SIGNATURE_HEADERS.client);
  const timestamp = header(req, SIGNATURE_HEADERS.timestamp);
  const nonce = header(req, SIGNATURE_HEADERS.nonce);
  const signature = header(req, SIGNATURE_HEADERS.signature);
  if (clientId === undefined || timestamp === undefined || nonce === undefined || signature === undefined) {
    throw unauthorized(
      'SIGNATURE_MISSING',
      `signed requests carry the headers ${Object.values(SIGNATURE_HEADERS).join(', ')}`,
    );
  }
  if (!TIMESTAMP.test(timestamp))
    throw unauthorized('SIGNATURE_MALFORMED', 'the timestamp is Unix time in seconds', SIGNATURE_HEADERS.timestamp);
  if (!NONCE.test(nonce))
    throw unauthorized(
      'SIGNATURE_MALFORMED',
      'the nonce is 16-64 characters of A-Z a-z 0-9 _ -',
      SIGNATURE_HEADERS.nonce,
    );
  if (!SIGNATURE.test(signature))
    throw unauthorized(
      'SIGNATURE_MALFORMED',
      'the signature is 64 lowercase hex characters',
      SIGNATURE_HEADERS.signature,
    );
  const client = clients.get(clientId);
  // An unknown client is refused like a wrong signature: the answer does not say which client ids exist.
  const expected = Buffer.from(
    sign(
      client?.secret ?? 'no such client: compare anyway',
      canonicalString(req.method, req.url, timestamp, nonce, clientId, req.bodyHash),
    ),
  );
  if (!timingSafeEqual(expected, Buffer.from(signature)) || client === undefined)
    throw unauthorized('SIGNATURE_INVALID', 'the signature does not match this request');
  const ts = Number(timestamp);
  if (Math.abs(nowSeconds - ts) > WINDOW_SECONDS)
    throw unauthorized(
      'SIGNATURE_EXPIRED',
      `the timestamp is more than ${WINDOW_SECONDS} s from the server's clock`,
      SIGNATURE_HEADERS.timestamp,
    );
  return { client, nonce, timestamp: ts };
}

export const replayed = (): ServiceError =>
  unauthorized(
    'SIGNATURE_REPLAYED',
    'this nonce was already used within the signature window',
    SIGNATURE_HEADERS.nonce,
  );
