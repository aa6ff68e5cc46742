// Durable issuance jobs: innominate batches (seed 004, up to 1,000 cards) and mass issue (seed 000, up to a
// million). A job is a database row; any node claims it with a lease (renewed per chunk) and issues its cards
// with Hsm.issueCards under the idempotency key `svc-job/<id>`, which makes the run reproducible: after a crash
// (SIGKILL included) the next owner re-derives the very same PANs in the same order, skips the chunks already
// committed, and inserts the rest — each chunk's cards and the job's progress in one transaction that also checks
// the lease is still ours. A card is therefore written once, never twice, whoever finishes the job.
import type { Ctx } from './context.js';
import { newId } from './context.js';
import type { JobsTable } from './db.js';
import { conflict, notFound, unprocessable } from './errors.js';
import { cardRow, expirationDate, insertShipment, nowIso, panTokenOf } from './records.js';
import type { Caller } from './roles.js';
import { createHash } from 'node:crypto';
import { expiryAfter } from '../issue/_cards.js';

const expiryAfterMonths = (now: number, months: number): string => expiryAfter(months, new Date(now));

export type JobKind = 'BATCH' | 'MASS_ISSUE';

interface JobParams {
  expiry: string;
  serviceCode: string;
  distributionType?: string;
}

export async function createBatch(
  ctx: Ctx,
  caller: Caller,
  body: {
    affinity_group_id: string;
    quantity: number;
    distribution_type: 'CLIENT' | 'WAREHOUSE' | 'EXTERNAL';
    address?: unknown;
    receiver?: unknown;
  },
  requestKey: string,
) {
  const group = ctx.group(body.affinity_group_id);
  if (!group.innominate)
    throw unprocessable(
      'INNOMINATE_NOT_ALLOWED',
      'this affinity group does not issue innominate batches',
      'affinity_group_id',
    );
  if (!group.cardTypes.includes('PHYSICAL'))
    throw unprocessable(
      'CARD_TYPE_NOT_SUPPORTED',
      'batches are physical cards; this group issues none',
      'affinity_group_id',
    );
  if (body.distribution_type === 'CLIENT') {
    if (body.address === undefined)
      throw unprocessable('ADDRESS_REQUIRED', 'distribution_type CLIENT needs an address', 'address');
    if (body.receiver === undefined)
      throw unprocessable('RECEIVER_REQUIRED', 'distribution_type CLIENT needs a receiver', 'receiver');
  }
  const existing = await ctx.database.db
    .selectFrom('svc_jobs')
    .selectAll()
    .where('id', '=', jobIdFor(requestKey, 'bat'))
    .executeTakeFirst();
  if (existing) return batchView(existing);
  const job = newJob(ctx, caller, 'BATCH', jobIdFor(requestKey, 'bat'), group.id, body.quantity, {
    expiry: expiryAfterMonths(ctx.now(), group.monthsToExpiration),
    serviceCode: group.serviceCode,
    distributionType: body.distribution_type,
  });
  job.shipment_id = newId('shi');
  await ctx.database.db.transaction().execute(async (trx) => {
    await insertShipment(
      ctx,
      trx,
      job.shipment_id!,
      'BATCH',
      body.distribution_type,
      body.address ?? null,
      body.receiver ?? null,
    );
    await trx.insertInto('svc_jobs').values(job).execute();
  });
  return batchView(job);
}

export async function getBatch(ctx: Ctx, id: string) {
  const job = await ctx.database.db
    .selectFrom('svc_jobs')
    .selectAll()
    .where('id', '=', id)
    .where('kind', '=', 'BATCH')
    .executeTakeFirst();
  if (!job) throw notFound('batch', 'id');
  return batchView(job);
}

export async function updateBatchShipment(
  ctx: Ctx,
  shipmentId: string,
  body: { address?: unknown; receiver?: unknown },
) {
  const shipment = await ctx.database.db
    .selectFrom('svc_shipments')
    .selectAll()
    .where('id', '=', shipmentId)
    .where('kind', '=', 'BATCH')
    .executeTakeFirst();
  if (!shipment) throw notFound('shipment', 'shipmentId');
  if (shipment.distribution_type === 'EXTERNAL')
    throw unprocessable('SHIPMENT_NOT_ALLOWED', 'an EXTERNAL batch is shipped by you, not here', 'shipmentId');
  const moved = await ctx.database.db
    .selectFrom('svc_cards')
    .select('id')
    .where('shipment_id', '=', shipmentId)
    .where('status', '!=', 'CREATED')
    .executeTakeFirst();
  if (moved)
    throw conflict(
      'INVALID_STATE',
      'a card of this batch has left CREATED: the shipment can no longer change',
      'shipmentId',
    );
  const address = body.address === undefined ? shipment.address : JSON.stringify(body.address);
  const receiver = body.receiver === undefined ? shipment.receiver : JSON.stringify(body.receiver);
  if (shipment.distribution_type === 'CLIENT' && (address === null || receiver === null))
    throw unprocessable('ADDRESS_REQUIRED', 'a CLIENT batch keeps both an address and a receiver', 'address');
  await ctx.database.db
    .updateTable('svc_shipments')
    .set({ address, receiver, updated_at: nowIso(ctx) })
    .where('id', '=', shipmentId)
    .execute();
  return {
    shipment_id: shipmentId,
    address: address === null ? null : JSON.parse(address),
    receiver: receiver === null ? null : JSON.parse(receiver),
  };
}

export async function createMassIssue(
  ctx: Ctx,
  caller: Caller,
  body: {
    affinity_group_id: string;
    quantity: number;
    expiration_date?: string | undefined;
    service_code?: string | undefined;
  },
  requestKey: string,
) {
  const group = ctx.group(body.affinity_group_id);
  if (!group.cardTypes.includes('PHYSICAL'))
    throw unprocessable(
      'CARD_TYPE_NOT_SUPPORTED',
      'mass issue makes physical cards; this group issues none',
      'affinity_group_id',
    );
  const id = jobIdFor(requestKey, 'job');
  const existing = await ctx.database.db.selectFrom('svc_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  if (existing) return massIssueView(existing);
  const expiry =
    body.expiration_date === undefined
      ? expiryAfterMonths(ctx.now(), group.monthsToExpiration)
      : body.expiration_date.slice(2, 4) + body.expiration_date.slice(5, 7);
  const job = newJob(ctx, caller, 'MASS_ISSUE', id, group.id, body.quantity, {
    expiry,
    serviceCode: body.service_code ?? group.serviceCode,
  });
  await ctx.database.db.insertInto('svc_jobs').values(job).execute();
  return massIssueView(job);
}

export async function getMassIssue(ctx: Ctx, id: string) {
  return massIssueView(await massIssueJob(ctx, id));
}

export async function massIssueJob(ctx: Ctx, id: string): Promise<JobsTable> {
  const job = await ctx.database.db
    .selectFrom('svc_jobs')
    .selectAll()
    .where('id', '=', id)
    .where('kind', '=', 'MASS_ISSUE')
    .executeTakeFirst();
  if (!job) throw notFound('job', 'id');
  return job;
}

/**
 * The cards of a finished mass issue, one JSON object per line, in issue order: last four, expiry, service code,
 * the PAN token, the security values under the caller's transport key, and the PAN for a PCI caller. The job's
 * state and the caller's transport key are checked before the first line, so a refusal is an HTTP error rather
 * than a stream cut short.
 */
export async function massIssueLines(
  ctx: Ctx,
  caller: Caller,
  id: string,
  withPan: boolean,
): Promise<AsyncGenerator<string>> {
  const job = await massIssueJob(ctx, id);
  if (job.status !== 'DONE')
    throw conflict('JOB_NOT_DONE', `the job is ${job.status}; its cards stream once it is DONE`, 'id');
  return linesOf(ctx, job, ctx.transportKey(caller.clientId), withPan);
}

async function* linesOf(ctx: Ctx, job: JobsTable, transportKey: string, withPan: boolean): AsyncGenerator<string> {
  const id = job.id;
  const group = ctx.group(job.affinity_group_id);
  const hsm = ctx.hsm('issuance', group);
  const page = 500;
  for (let from = 0; from < job.quantity; from += page) {
    const rows = await ctx.database.db
      .selectFrom('svc_cards')
      .selectAll()
      .where('job_id', '=', id)
      .where('job_seq', '>=', from)
      .where('job_seq', '<', from + page)
      .orderBy('job_seq')
      .execute();
    let text = '';
    for (const row of rows) {
      const pan = ctx.unsealPan(row.pan_enc);
      const v = hsm.exportSecurityValues({
        cvk: group.keys.cvk,
        pan,
        expiry: row.expiry,
        serviceCode: row.service_code,
        transportKey,
      });
      const token = panTokenOf(hsm, group, pan);
      const line = {
        card_id: row.id,
        last_four: row.last_four,
        expiration_date: expirationDate(row.expiry),
        service_code: row.service_code,
        ...(withPan ? { pan } : {}),
        pan_token: token,
        cvv: v.cvv,
        cvv2: v.cvv2,
        icvv: v.icvv,
        transport_kcv: v.transportKcv,
      };
      text += `${JSON.stringify(line)}\n`;
    }
    yield text;
  }
}

/** A job's id from the request's idempotency key: a retry that lost its answer finds the job it created. */
function jobIdFor(requestKey: string, prefix: string): string {
  return `${prefix}-${BigInt(`0x${createHash('sha256').update(requestKey).digest('hex').slice(0, 32)}`).toString(36)}`;
}

function newJob(
  ctx: Ctx,
  caller: Caller,
  kind: JobKind,
  id: string,
  groupId: string,
  quantity: number,
  params: JobParams,
): JobsTable {
  const at = nowIso(ctx);
  return {
    id,
    kind,
    client_id: caller.clientId,
    affinity_group_id: groupId,
    quantity,
    issued: 0,
    status: 'PENDING',
    params: JSON.stringify(params),
    shipment_id: null,
    lease_owner: null,
    lease_until: 0,
    error: null,
    created_at: at,
    updated_at: at,
  };
}

function batchView(job: JobsTable) {
  const params = JSON.parse(job.params) as JobParams;
  return {
    id: job.id,
    shipment_id: job.shipment_id!,
    affinity_group_id: job.affinity_group_id,
    card_type: 'PHYSICAL' as const,
    quantity: Number(job.quantity),
    distribution_type: params.distributionType as 'CLIENT' | 'WAREHOUSE' | 'EXTERNAL',
    status: job.status as 'PENDING' | 'RUNNING' | 'DONE' | 'FAILED',
    issued: Number(job.issued),
  };
}

function massIssueView(job: JobsTable) {
  const params = JSON.parse(job.params) as JobParams;
  return {
    id: job.id,
    affinity_group_id: job.affinity_group_id,
    quantity: Number(job.quantity),
    issued: Number(job.issued),
    status: job.status as 'PENDING' | 'RUNNING' | 'DONE' | 'FAILED',
    expiration_date: expirationDate(params.expiry),
    service_code: params.serviceCode,
  };
}

/** Runs jobs in the background: claims one whose lease is free, works it to the end, repeats; stop() waits. */
export class JobRunner {
  readonly #ctx: Ctx;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  #again = false;

  constructor(ctx: Ctx) {
    this.#ctx = ctx;
  }

  start(pollMs = 1000): void {
    this.#timer = setInterval(() => this.kick(), pollMs);
    this.#timer.unref();
    this.kick();
  }

  /** Looks for work now (called when a job is created). */
  kick(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#drain()
      .catch((e: unknown) =>
        this.#ctx.log(
          `job runner: ${e instanceof Error ? e.name : 'error'} ${(e as { code?: string }).code ?? ''}`.trim(),
        ),
      )
      .finally(() => {
        this.#running = undefined;
        if (this.#again && !this.#stopped) {
          this.#again = false;
          this.kick();
        }
      });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
  }

  async #drain(): Promise<void> {
    for (;;) {
      if (this.#stopped) return;
      const job = await this.#claim();
      if (!job) return;
      await this.#work(job);
    }
  }

  /** Takes the lease of a PENDING job, or of a RUNNING one whose owner stopped renewing it. */
  async #claim(): Promise<JobsTable | undefined> {
    const { db } = this.#ctx.database;
    const now = this.#ctx.now();
    const candidates = await db
      .selectFrom('svc_jobs')
      .selectAll()
      .where('status', 'in', ['PENDING', 'RUNNING'])
      .where('lease_until', '<', now)
      .orderBy('created_at')
      .limit(5)
      .execute();
    for (const job of candidates) {
      const r = await db
        .updateTable('svc_jobs')
        .set({
          status: 'RUNNING',
          lease_owner: this.#ctx.nodeId,
          lease_until: now + this.#ctx.config.jobs.leaseSeconds * 1000,
          updated_at: nowIso(this.#ctx),
        })
        .where('id', '=', job.id)
        .where('lease_until', '=', job.lease_until)
        .where('status', 'in', ['PENDING', 'RUNNING'])
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 1) return { ...job, lease_owner: this.#ctx.nodeId };
    }
    return undefined;
  }

  async #work(job: JobsTable): Promise<void> {
    const ctx = this.#ctx;
    const { db } = ctx.database;
    const group = ctx.config.groups.get(job.affinity_group_id);
    const params = JSON.parse(job.params) as JobParams;
    if (!group) {
      await db
        .updateTable('svc_jobs')
        .set({ status: 'FAILED', error: 'AFFINITY_GROUP_NOT_FOUND', updated_at: nowIso(ctx) })
        .where('id', '=', job.id)
        .execute();
      return;
    }
    const chunk = ctx.config.jobs.chunkSize;
    const quantity = Number(job.quantity);
    let done = Number(job.issued);
    const batch: Parameters<typeof cardRow>[1][] = [];
    const flush = async (): Promise<boolean> => {
      const rows = batch.splice(0).map((c) => cardRow(ctx, c));
      const through = done + rows.length;
      const kept = await db.transaction().execute(async (trx) => {
        // The lease is checked and renewed in the same transaction: a node that lost it writes nothing.
        const r = await trx
          .updateTable('svc_jobs')
          .set({
            issued: through,
            lease_until: ctx.now() + ctx.config.jobs.leaseSeconds * 1000,
            status: through >= quantity ? 'DONE' : 'RUNNING',
            updated_at: nowIso(ctx),
          })
          .where('id', '=', job.id)
          .where('lease_owner', '=', ctx.nodeId)
          .where('issued', '=', done)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) return false;
        if (rows.length > 0)
          await trx
            .insertInto('svc_cards')
            .values(rows)
            .onConflict((oc) => oc.doNothing())
            .execute();
        return true;
      });
      if (kept) done = through;
      return kept;
    };
    try {
      let seq = 0;
      const stream = ctx.hsm('issuance', group).issueCards({
        bin: group.bin,
        length: group.panLength,
        expiry: params.expiry,
        serviceCode: params.serviceCode,
        cvk: group.keys.cvk,
        panKey: group.keys.pan_key,
        count: quantity,
        idempotencyKey: `svc-job/${job.id}`,
        batchSize: Math.max(chunk, 1000),
        workers: 1,
      });
      for await (const card of stream) {
        const at = seq++;
        if (at < done) continue; // committed before a crash: the same card, already stored
        batch.push({
          pan: card.pan,
          expiry: card.expiry,
          serviceCode: card.serviceCode,
          group,
          cardType: 'PHYSICAL',
          status: 'CREATED',
          clientId: job.client_id,
          innominate: true,
          shipmentId: job.shipment_id,
          jobId: job.id,
          jobSeq: at,
        });
        if (batch.length >= chunk && !(await flush())) return;
        if (this.#stopped) return; // the lease runs out and another node (or this one, restarted) resumes
      }
      if (batch.length > 0 || done < quantity) await flush();
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'INTERNAL';
      // A store outage leaves the job to be resumed after its lease; anything else fails it.
      if (code !== 'ERR_STORE_UNAVAILABLE') {
        await db
          .updateTable('svc_jobs')
          .set({ status: 'FAILED', error: code, updated_at: nowIso(ctx) })
          .where('id', '=', job.id)
          .where('lease_owner', '=', ctx.nodeId)
          .execute();
      }
      throw e;
    }
  }
}
