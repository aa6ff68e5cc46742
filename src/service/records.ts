// Card records: reading them by id, by PAN (through its keyed reference) or by the body's card selector, turning
// a row into the API's card, and writing new ones. The PAN is only ever unsealed here, on request.
import type { Transaction } from 'kysely';
import type { Hsm } from '../hsm/hsm.js';
import type { AffinityGroup } from './config.js';
import type { Ctx } from './context.js';
import { newId } from './context.js';
import type { CardsTable, Database } from './db.js';
import { badRequest, forbidden, notFound } from './errors.js';
import { hasRole, type Caller } from './roles.js';
import type { CardView } from './schemas.js';

export type CardRow = CardsTable;

/** Today as YYYY-MM-DD (UTC). */
export function today(ctx: Ctx): string {
  return new Date(ctx.now()).toISOString().slice(0, 10);
}

export function nowIso(ctx: Ctx): string {
  return new Date(ctx.now()).toISOString();
}

/** The card's PAN token in the group's alphabet (pan_token_type), under the group's token key. */
export function panTokenOf(hsm: Hsm, group: AffinityGroup, pan: string): string {
  const alphabet = group.panTokenType === 'ALPHANUMERIC' ? 'alphanumeric' : 'numeric';
  return hsm.tokenizePan({ tokenKey: group.keys.token_key, pan, alphabet });
}

/** YYMM as YYYY-MM. */
export function expirationDate(expiry: string): string {
  return `20${expiry.slice(0, 2)}-${expiry.slice(2, 4)}`;
}

export function cardView(ctx: Ctx, row: CardRow): CardView {
  const group = ctx.config.groups.get(row.affinity_group_id);
  return {
    id: row.id,
    affinity_group_id: row.affinity_group_id,
    affinity_group_name: group?.name ?? '',
    card_type: row.card_type as CardView['card_type'],
    product_type: row.product_type as CardView['product_type'],
    provider: row.provider as CardView['provider'],
    status: row.status as CardView['status'],
    status_detail: row.status_reason as CardView['status_detail'],
    innominate: Number(row.innominate) === 1,
    shipment_id: row.shipment_id,
    user_id: row.user_id,
    start_date: row.start_date,
    activated_at: row.activated_at,
    last_four: row.last_four,
    country_code: row.country_code,
    previous_card_id: row.previous_card_id,
  };
}

/** The two hot lookups, compiled once per database. */
const lookups = new WeakMap<
  object,
  {
    byId: (p: readonly unknown[]) => Promise<CardRow | undefined>;
    byRef: (p: readonly unknown[]) => Promise<CardRow | undefined>;
  }
>();

function lookup(ctx: Ctx) {
  let l = lookups.get(ctx.database);
  if (!l) {
    const { db, lookup: compile } = ctx.database;
    l = {
      byId: compile(db.selectFrom('svc_cards').selectAll().where('id', '=', '')),
      byRef: compile(db.selectFrom('svc_cards').selectAll().where('card_ref', '=', '')),
    };
    lookups.set(ctx.database, l);
  }
  return l;
}

export async function cardById(ctx: Ctx, id: string, field = 'id'): Promise<CardRow> {
  const row = await lookup(ctx).byId([id]);
  if (!row) throw notFound('card', field);
  return row;
}

export async function cardByPan(ctx: Ctx, pan: string): Promise<CardRow> {
  const row = await lookup(ctx).byRef([ctx.cardRef(pan)]);
  if (!row) throw notFound('card', 'pan');
  return row;
}

/**
 * The card a body names: `card_id`, or `pan` for a caller with the PCI role — exactly one (400 otherwise, 403
 * for a PAN without the role, checked before the PAN is even hashed).
 */
export async function selectedCard(
  ctx: Ctx,
  caller: Caller,
  body: { card_id?: string | undefined; pan?: string | undefined },
): Promise<{ row: CardRow; pan: string; group: AffinityGroup }> {
  if ((body.card_id === undefined) === (body.pan === undefined))
    throw badRequest('CARD_SELECTOR', 'name the card by "card_id" or by "pan", exactly one', 'card_id');
  if (body.pan !== undefined) {
    if (!hasRole(caller, 'pci')) throw forbidden('naming a card by its PAN needs the pci role');
    const row = await cardByPan(ctx, body.pan);
    return { row, pan: body.pan, group: groupOf(ctx, row) };
  }
  const row = await cardById(ctx, body.card_id!, 'card_id');
  return { row, pan: ctx.unsealPan(row.pan_enc), group: groupOf(ctx, row) };
}

export function groupOf(ctx: Ctx, row: CardRow): AffinityGroup {
  return ctx.group(row.affinity_group_id);
}

export interface NewCard {
  pan: string;
  expiry: string;
  serviceCode: string;
  group: AffinityGroup;
  cardType: string;
  status: string;
  clientId: string;
  userId?: string | null;
  innominate?: boolean;
  shipmentId?: string | null;
  accountId?: string | null;
  cardholderName?: string | null;
  previousCardId?: string | null;
  activatedAt?: string | null;
  dcvv?: boolean;
  limits?: unknown;
  jobId?: string | null;
  jobSeq?: number | null;
  requestKey?: string | null;
}

/** A new card row (not yet written): the PAN sealed, its reference computed. */
export function cardRow(ctx: Ctx, c: NewCard): CardRow {
  const at = nowIso(ctx);
  return {
    id: newId('crd'),
    card_ref: ctx.cardRef(c.pan),
    pan_enc: ctx.sealPan(c.pan),
    last_four: c.pan.slice(-4),
    expiry: c.expiry,
    service_code: c.serviceCode,
    status: c.status,
    status_reason: null,
    card_type: c.cardType,
    product_type: c.group.productType,
    provider: c.group.provider,
    innominate: c.innominate ? 1 : 0,
    affinity_group_id: c.group.id,
    user_id: c.userId ?? null,
    shipment_id: c.shipmentId ?? null,
    account_id: c.accountId ?? null,
    cardholder_name: c.cardholderName ?? null,
    country_code: c.group.countryCode,
    start_date: at.slice(0, 10),
    activated_at: c.activatedAt ?? null,
    previous_card_id: c.previousCardId ?? null,
    activation_lookup: null,
    job_id: c.jobId ?? null,
    job_seq: c.jobSeq ?? null,
    limits: c.limits === undefined ? null : JSON.stringify(c.limits),
    dcvv: c.dcvv ? 1 : 0,
    client_id: c.clientId,
    request_key: c.requestKey ?? null,
    created_at: at,
    updated_at: at,
  };
}

export type Trx = Transaction<Database>;

/** Writes a shipment record (address and receiver as JSON). */
export async function insertShipment(
  ctx: Ctx,
  trx: Trx,
  id: string,
  kind: 'CARD' | 'BATCH',
  distributionType: string | null,
  address: unknown,
  receiver: unknown,
): Promise<void> {
  const at = nowIso(ctx);
  await trx
    .insertInto('svc_shipments')
    .values({
      id,
      kind,
      distribution_type: distributionType,
      address: address === undefined ? null : JSON.stringify(address),
      receiver: receiver === undefined ? null : JSON.stringify(receiver),
      created_at: at,
      updated_at: at,
    })
    .execute();
}

/**
 * Disables the card a new one replaces (reason UPGRADE, unless it is already disabled with its own reason such as
 * LOST). Run when the new card becomes ACTIVE.
 */
export async function retirePrevious(
  ctx: Ctx,
  trx: Trx | Ctx['database']['db'],
  previousId: string | null,
): Promise<void> {
  if (previousId === null) return;
  await trx
    .updateTable('svc_cards')
    .set({ status: 'DISABLED', status_reason: 'UPGRADE', updated_at: nowIso(ctx) })
    .where('id', '=', previousId)
    .where('status', '!=', 'DISABLED')
    .execute();
}
