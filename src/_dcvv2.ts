// Dynamic CVV2's time windows and its HOTP core (RFC 4226 truncation over HMAC-SHA-256, RFC 6238 counters), for
// the library's own uses: the card state's drift bookkeeping and the RFC 6238 test vectors. dcvv2.ts is public.
import { withKernel, getAscii } from './wasm/_calls.js';

/** The number of the validity window that the time `ms` (milliseconds since the epoch) falls in. */
export function dcvv2Window(ms: number, windowSeconds: number): number {
  return Math.floor(Math.floor(ms / 1000) / windowSeconds);
}

/** The truncation core (RFC 6238 with SHA-256), exposed for its test vectors: HMAC(key, counter) -> digits. */
export function hotpSha256(key: Uint8Array, counter: number, digits: number): string {
  return withKernel(key.length, digits, (k) => {
    k.mem.set(key, k.IN);
    k.x.hotpSha256(k.IN, key.length, counter, digits, k.OUT);
    return getAscii(k.mem, k.OUT, digits);
  });
}
