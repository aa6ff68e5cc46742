// `x-idempotency-key` (seed 004), per API client and durable: the first request with a key records it as
// RUNNING (one INSERT that either node of a cluster wins), runs, and stores its response; the same key with the
// same payload then returns that response, with another payload 422, and while the first is still running 409.
// A failed request leaves no record, so it may be retried. A RUNNING record whose node died is taken over after
// its lease (60 s); the creating handlers also find what an interrupted first run wrote (its request key), so a
// takeover never creates twice. Signature nonces are recorded here too: one INSERT that fails for a replay.
import { createHash } from 'node:crypto';
import type { Ctx } from './context.js';
import { conflict, unprocessable } from './errors.js';
import { replayed } from './auth.js';
import { nowIso } from './records.js';

const LEASE_MS = 60_000;

/** JSON with sorted keys: two payloads that differ only in key order or spacing are the same payload. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestHash(method: string, route: string, params: unknown, body: unknown): string {
  return createHash('sha256')
    .update(`${method}\n${route}\n${canonicalJson(params)}\n${canonicalJson(body ?? null)}`)
    .digest('hex');
}

export interface StoredResponse {
  status: number;
  body: unknown;
  replayed: boolean;
}

export async function idempotent(
  ctx: Ctx,
  clientId: string,
  key: string,
  hash: string,
  run: () => Promise<{ status: number; body: unknown }>,
): Promise<StoredResponse> {
  const { db } = ctx.database;
  const now = ctx.now();
  const inserted = await db
    .insertInto('svc_idempotency')
    .values({
      client_id: clientId,
      key,
      request_hash: hash,
      state: 'RUNNING',
      status_code: null,
      response: null,
      lease_until: now + LEASE_MS,
      created_at: nowIso(ctx),
    })
    .onConflict((oc) => oc.columns(['client_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (!inserted) {
    const row = await db
      .selectFrom('svc_idempotency')
      .selectAll()
      .where('client_id', '=', clientId)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row) return idempotent(ctx, clientId, key, hash, run); // the first attempt failed and left meanwhile
    if (row.request_hash !== hash)
      throw unprocessable(
        'IDEMPOTENCY_KEY_REUSED',
        'this x-idempotency-key was used with another payload',
        'x-idempotency-key',
      );
    if (row.state === 'DONE')
      return { status: Number(row.status_code), body: JSON.parse(row.response!), replayed: true };
    if (Number(row.lease_until) > now)
      throw conflict(
        'IDEMPOTENCY_IN_FLIGHT',
        'a request with this x-idempotency-key is still running',
        'x-idempotency-key',
      );
    const taken = await db
      .updateTable('svc_idempotency')
      .set({ lease_until: now + LEASE_MS })
      .where('client_id', '=', clientId)
      .where('key', '=', key)
      .where('state', '=', 'RUNNING')
      .where('lease_until', '=', row.lease_until)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1)
      throw conflict(
        'IDEMPOTENCY_IN_FLIGHT',
        'a request with this x-idempotency-key is still running',
        'x-idempotency-key',
      );
  }
  let result: { status: number; body: unknown };
  try {
    result = await run();
  } catch (e) {
    await db
      .deleteFrom('svc_idempotency')
      .where('client_id', '=', clientId)
      .where('key', '=', key)
      .where('state', '=', 'RUNNING')
      .execute()
      .catch(() => {});
    throw e;
  }
  await db
    .updateTable('svc_idempotency')
    .set({ state: 'DONE', status_code: result.status, response: JSON.stringify(result.body) })
    .where('client_id', '=', clientId)
    .where('key', '=', key)
    .execute();
  return { ...result, replayed: false };
}

/** Records a signature nonce; a nonce seen before within its window is a replay (401). */
export async function spendNonce(ctx: Ctx, clientId: string, nonce: string, expiresAt: number): Promise<void> {
  if (!(await ctx.database.spendNonce(clientId, nonce, expiresAt))) throw replayed();
}

export async function purgeNonces(ctx: Ctx): Promise<void> {
  await ctx.database.purgeNonces(ctx.now());
}
