// The request-signing protocol (the seeds' "Firma HMAC"), in one place for both sides: the server verifies with it
// (auth.ts) and cardhsm/client signs with it. It depends on nothing, so the client's bundle carries only this file
// of the server's code.
//
//   CARDHSM-HMAC-SHA256 \n METHOD \n path-with-query \n timestamp \n nonce \n client-id \n hex(SHA-256(body))

export const SIGNATURE_SCHEME = 'CARDHSM-HMAC-SHA256';

/**
 * The four request headers of a signature: the client id, the timestamp (Unix seconds, within ±300 s of the server's
 * clock), the nonce (16-64 characters of [A-Za-z0-9_-], once per client within that window) and the signature (64
 * lowercase hex characters: sign() over canonicalString()). A request without them is refused with 401
 * SIGNATURE_MISSING, a wrong signature (or an unknown client) with SIGNATURE_INVALID, a nonce used before with
 * SIGNATURE_REPLAYED. The example signs a request by hand against the running `service` — what CardhsmClient does.
 * @example
 * const path = `/cards/v1/config/affinity-groups/${dev.affinityGroupId}`, ts = String(Math.floor(Date.now() / 1000)), nonce = crypto.randomUUID()
 * const signature = sign(dev.secret, canonicalString('GET', path, ts, nonce, dev.clientId, bodySha256(undefined)))
 * const headers = { [SIGNATURE_HEADERS.client]: dev.clientId, [SIGNATURE_HEADERS.timestamp]: ts, [SIGNATURE_HEADERS.nonce]: nonce, [SIGNATURE_HEADERS.signature]: signature }
 * (await (await fetch(service + path, { headers })).json()).data.pin_try_limit  // => 3
 * (await (await fetch(service + path, { headers })).json()).errors[0].code  // => 'SIGNATURE_REPLAYED'
 * Object.values(SIGNATURE_HEADERS)  // => ['x-cardhsm-client', 'x-cardhsm-timestamp', 'x-cardhsm-nonce', 'x-cardhsm-signature']
 * (await fetch(service + path).then((r) => r.json())).errors[0].code  // => 'SIGNATURE_MISSING'
 * (await client.request('GET', path, { headers: { [SIGNATURE_HEADERS.signature]: '0'.repeat(64) } })).status  // => 401
 */
export const SIGNATURE_HEADERS = {
  client: 'x-cardhsm-client',
  timestamp: 'x-cardhsm-timestamp',
  nonce: 'x-cardhsm-nonce',
  signature: 'x-cardhsm-signature',
} as const;

/**
 * The string a request's signature covers: `CARDHSM-HMAC-SHA256`, the method (upper-cased here), the path with its
 * query exactly as sent, the timestamp (Unix seconds, as a decimal string), the nonce, the client id and the body's
 * bodySha256, joined with `\n` (no trailing newline). Nothing is checked here; verification refuses malformed parts.
 * @example
 * canonicalString('get', '/cards/v1/crd-1?extend=pan', '1700000000', 'nonce-0123456789abcdef', 'cli-backend', bodySha256(undefined)).split('\n')  // => ['CARDHSM-HMAC-SHA256', 'GET', '/cards/v1/crd-1?extend=pan', '1700000000', 'nonce-0123456789abcdef', 'cli-backend', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']
 */
export function canonicalString(
  method: string,
  pathWithQuery: string,
  timestamp: string,
  nonce: string,
  clientId: string,
  bodyHash: string,
): string {
  return [SIGNATURE_SCHEME, method.toUpperCase(), pathWithQuery, timestamp, nonce, clientId, bodyHash].join('\n');
}
