// Node built-ins that only some operations need, required on first use rather than imported with the package:
// loading node:crypto and node:worker_threads took about a fifth of `import 'cardhsm'` (the cold start), though a
// CVV needs neither. Only Node-only modules (the Hsm, issuance) call these; the portable core never does.
import { createRequire } from 'node:module';

const requireBuiltin = createRequire(import.meta.url);
const loaded = new Map<string, unknown>();

function builtin<T>(name: string): T {
  if (!loaded.has(name)) loaded.set(name, requireBuiltin(name));
  return loaded.get(name) as T;
}

/** node:crypto (HMAC, hashes, randomBytes, timingSafeEqual), loaded on first call. */
export const nodeCrypto = () => builtin<typeof import('node:crypto')>('node:crypto');
/** node:worker_threads (the issuance pool), loaded on first call. */
export const nodeWorkers = () => builtin<typeof import('node:worker_threads')>('node:worker_threads');
/** node:os (the pool's default size), loaded on first call. */
export const nodeOs = () => builtin<typeof import('node:os')>('node:os');
