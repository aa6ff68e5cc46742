// How every public Hsm method runs: the activity is authorized first (ERR_NOT_AUTHORIZED before any key is
// opened), then the body, then one audit record naming the method, its activity, the profile, the first key's KCV
// and usage, the masked PAN and the outcome. Synchronous and asynchronous bodies alike: the record is written when
// the promise settles. An exception from the audit sink fails the operation (fail closed).
import { CardHsmError } from '../errors.js';
import { checkOptions } from '../_validate.js';
import { METHOD_ACTIVITIES, type HsmMethod } from './activities.js';
import { authorize, type Authorization } from './_authorize.js';
import { maskPan, type AuditOutcome, type AuditRecord } from './_audit.js';
import type { KeyNote } from './_vault.js';

/** One method's audit context: the keys it opened note themselves here. */
export type OperationContext = KeyNote;

export type Run = <T>(
  method: HsmMethod,
  pan: unknown,
  body: (ctx: OperationContext) => T,
  outcome?: (result: Awaited<T>) => AuditOutcome,
) => T;

/** The runner shared by every plane of one Hsm. */
export function operationRunner(auth: Authorization, write: ((record: AuditRecord) => void) | undefined): Run {
  const record = (
    method: HsmMethod,
    pan: unknown,
    ctx: OperationContext,
    outcome: AuditOutcome,
    error?: unknown,
  ): void => {
    if (!write) return;
    const masked = maskPan(pan);
    write({
      time: new Date().toISOString(),
      operation: method,
      activity: METHOD_ACTIVITIES[method],
      profile: auth.profile,
      keyKcv: ctx.keyKcv,
      usage: ctx.usage,
      ...(masked ? { pan: masked } : {}),
      outcome,
      ...(outcome === 'error' ? { errorCode: error instanceof CardHsmError ? error.code : 'ERR_INTERNAL' } : {}),
    });
  };
  return <T>(
    method: HsmMethod,
    pan: unknown,
    body: (ctx: OperationContext) => T,
    outcome: (result: Awaited<T>) => AuditOutcome = () => 'success',
  ): T => {
    const ctx: OperationContext = { keyKcv: null, usage: null, wanted: write !== undefined };
    const fail = (e: unknown): never => {
      record(method, pan, ctx, 'error', e);
      throw e;
    };
    const done = (result: Awaited<T>): Awaited<T> => {
      record(method, pan, ctx, outcome(result));
      return result;
    };
    let result: T;
    try {
      authorize(auth, method);
      result = body(ctx);
    } catch (e) {
      return fail(e);
    }
    return (result instanceof Promise ? result.then(done, fail) : done(result as Awaited<T>)) as T;
  };
}

/** The `pan` of an options bag, for the audit record, read before the bag is checked (it may be anything). */
function panOf(options: unknown): unknown {
  return options !== null && typeof options === 'object' && !Array.isArray(options)
    ? (options as { pan?: unknown }).pan
    : undefined;
}

/**
 * Runs a method that takes one options bag: authorized first, then the bag checked (a non-object is ERR_TYPE),
 * then the body with it.
 */
export function withOptions<T>(
  run: Run,
  method: HsmMethod,
  options: unknown,
  body: (ctx: OperationContext, o: Record<string, unknown>) => T,
  outcome?: (result: Awaited<T>) => AuditOutcome,
): T {
  return run(method, panOf(options), (ctx) => body(ctx, checkOptions('options', options)), outcome);
}

/** Outcome of a method answering a verification with a boolean or a `{ verified | valid }` object. */
export const verdict = (r: boolean | { verified?: boolean; valid?: boolean }): AuditOutcome =>
  (typeof r === 'boolean' ? r : (r.verified ?? r.valid)) ? 'success' : 'failure';
