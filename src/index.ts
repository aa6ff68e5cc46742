// cardhsm's public API on Node: the portable primitives of cardhsm/core, and the parts that need Node (the Hsm
// with its stores and audit files, the issuance pool). Curated re-exports, no logic.
export * from './core.js';
export { Hsm, KEY_ALGORITHMS, type KeyAlgorithm, type KeyResult } from './hsm/hsm.js';
export type * from './hsm/options.js';
export {
  HSM_PROFILES,
  METHOD_ACTIVITIES,
  ACTIVITIES,
  type Activity,
  type ProfileName,
  type HsmMethod,
} from './hsm/activities.js';
export { RULES as KEY_USAGE_RULES, type Purpose } from './hsm/usage.js';
export {
  JsonlAuditSink,
  MemoryAuditSink,
  verifyAuditLog,
  maskPan,
  type AuditRecord,
  type AuditSink,
  type AuditOutcome,
  type AuditVerification,
} from './hsm/audit.js';
export { MemoryStore } from './store/memory.js';
export type { Store, AttemptState, CounterKind, ActivationResult } from './store/store.js';
export type { IssuedCard } from './issue/cards.js';
export { closeIssuancePool } from './issue/pool.js';
