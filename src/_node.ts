// Node built-ins that only some operations need, required on first use rather than imported with the package:
// loading node:crypto and node:worker_threads took about a fifth of `import 'cardhsm'` (the cold start), though a
// CVV needs neither. Only Node-only modules (the Hsm, issuance) call these; the portable core never does.
import { createRequire } from 'node:module';

const requireBuiltin = createRequire(import.meta.url);

let crypto: typeof import('node:crypto') | undefined;
let workers: typeof import('node:worker_threads') | undefined;
let os: typeof import('node:os') | undefined;

/** node:crypto (HMAC, hashes, randomBytes, timingSafeEqual), loaded on first call. */
export function nodeCrypto(): typeof import('node:crypto') {
  crypto ??= requireBuiltin('node:crypto') as typeof import('node:crypto');
  return crypto;
}

/** node:worker_threads (the issuance pool), loaded on first call. */
export function nodeWorkers(): typeof import('node:worker_threads') {
  workers ??= requireBuiltin('node:worker_threads') as typeof import('node:worker_threads');
  return workers;
}

/** node:os (the pool's default size), loaded on first call. */
export function nodeOs(): typeof import('node:os') {
  os ??= requireBuiltin('node:os') as typeof import('node:os');
  return os;
}
