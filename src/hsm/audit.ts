// The Hsm's audit trail as users see it: the record, the sinks (in memory; a keyed, multi-writer, crash-safe
// JSON-lines file), the verifier, and PAN masking. The file format, its MAC chain and crash rules are documented
// and implemented in _audit.ts, which also holds the writer the Hsm uses.
export {
  JsonlAuditSink,
  MemoryAuditSink,
  verifyAuditLog,
  maskPan,
  type AuditRecord,
  type AuditSink,
  type AuditOutcome,
  type AuditVerification,
} from './_audit.js';
