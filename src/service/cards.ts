// Seed 004's card resource as plain functions over the context: create a nominated card, read it (with the PCI
// extends), update status / affinity group / PIN under the seed's rules, update its shipment, search, activate,
// and mark it embossed (which issues the activation code). Every rule the seed states is enforced here, before
// any key is opened where it can be.
import { checkPinPolicy } from '../pinpolicy.js';
import type { IssuedCard } from '../issue/cards.js';
import type { AffinityGroup } from './config.js';
import { newId, PIN_POLICY, type Ctx } from './context.js';
import { badRequest, conflict, forbidden, notFound, unprocessable } from './errors.js';
import {
  cardById,
  cardByPan,
  cardRow,
  cardView,
  expirationDate,
  groupOf,
  insertShipment,
  nowIso,
  retirePrevious,
  today,
  type CardRow,
} from './records.js';
import { hasRole, type Caller } from './roles.js';
import type { CardView } from './schemas.js';
import type { Static } from '@sinclair/typebox';
import type * as S from './requests.js';

/** The PIN method every group uses: a Visa PVV under the group's PVK. */
export function pinMethod(group: AffinityGroup) {
  return { type: 'VISA_PVV' as const, pvk: group.keys.pvk, pvki: '1' };
}

/** Refuses a PIN against the seed's rules with 422 and the rule's reason (never the PIN). */
export function requirePinRules(pin: string): void {
  const r = checkPinPolicy(pin, PIN_POLICY);
  if (!r.ok)
    throw unprocessable(
      `PIN_POLICY_${r.reason}`,
      `the PIN breaks the rule ${r.reason} (4 digits, not ascending, descending or repeated)`,
      'pin',
    );
}

/** Sets a card's PIN from a clear PIN: encrypted under the group's PIN key at once, verification data stored. */
export async function setClearPin(ctx: Ctx, group: AffinityGroup, pan: string, pin: string): Promise<void> {
  const hsm = ctx.hsm('issuance', group);
  const pinBlock = hsm.encryptClearPin({ pinKey: group.keys.pin_key, pin, pan, format: 0 });
  try {
    await hsm.setPin({
      cardRef: ctx.cardRef(pan),
      pinBlock,
      pinKey: group.keys.pin_key,
      format: 0,
      pan,
      method: pinMethod(group),
    });
  } finally {
    pinBlock.fill(0);
  }
}

/** A new card of the group, from the issuer (unique PAN from the group's range). */
export async function issueFor(
  ctx: Ctx,
  group: AffinityGroup,
  o: { expiry?: string; serviceCode?: string } = {},
): Promise<IssuedCard> {
  return ctx.hsm('issuance', group).issueCard({
    bin: group.bin,
    length: group.panLength,
    ...(o.expiry === undefined ? { monthsToExpiration: group.monthsToExpiration } : { expiry: o.expiry }),
    serviceCode: o.serviceCode ?? group.serviceCode,
    cvk: group.keys.cvk,
    panKey: group.keys.pan_key,
  });
}

/** Switches a card to dynamic CVV2 in the Hsm's state (its static CVV2 refused from then on). */
async function enableDcvv(ctx: Ctx, group: AffinityGroup, pan: string): Promise<void> {
  await ctx.hsm('issuance', group).enableDynamicCvv2(ctx.cardRef(pan));
}

export type CreateCardBody = Static<typeof S.CreateCardBody>;

export async function createCard(
  ctx: Ctx,
  caller: Caller,
  body: CreateCardBody,
  requestKey: string,
): Promise<CardView> {
  const existing = await ctx.database.db
    .selectFrom('svc_cards')
    .selectAll()
    .where('request_key', '=', requestKey)
    .executeTakeFirst();
  if (existing) return cardView(ctx, existing);
  const group = ctx.group(body.affinity_group_id);
  if (!group.cardTypes.includes(body.card_type))
    throw unprocessable(
      'CARD_TYPE_NOT_SUPPORTED',
      `the affinity group does not issue ${body.card_type} cards`,
      'card_type',
    );
  if (body.card_type === 'PHYSICAL' && body.address === undefined && !group.externalShipping)
    throw unprocessable(
      'ADDRESS_REQUIRED',
      'a PHYSICAL card needs a shipping address (unless its group ships externally)',
      'address',
    );
  if (body.pin !== undefined) {
    if (!group.pinOnCreation)
      throw unprocessable('PIN_NOT_ALLOWED', 'this affinity group does not take a PIN at creation', 'pin');
    requirePinRules(body.pin);
  }
  let previous: CardRow | undefined;
  if (body.previous_card_id !== undefined) {
    previous = await cardById(ctx, body.previous_card_id, 'previous_card_id');
    if (previous.user_id !== body.user_id)
      throw unprocessable(
        'PREVIOUS_CARD_OTHER_USER',
        'the card to replace belongs to another user',
        'previous_card_id',
      );
  }
  const issued = await issueFor(ctx, group);
  if (body.pin !== undefined) await setClearPin(ctx, group, issued.pan, body.pin);
  const virtual = body.card_type === 'VIRTUAL';
  if (virtual && group.dcvvEnabled) await enableDcvv(ctx, group, issued.pan);
  const shipmentId = virtual ? null : newId('shi');
  const row = cardRow(ctx, {
    pan: issued.pan,
    expiry: issued.expiry,
    serviceCode: issued.serviceCode,
    group,
    cardType: body.card_type,
    status: virtual ? 'ACTIVE' : 'CREATED',
    clientId: caller.clientId,
    userId: body.user_id,
    shipmentId,
    previousCardId: body.previous_card_id ?? null,
    activatedAt: virtual ? today(ctx) : null,
    dcvv: virtual && group.dcvvEnabled,
    requestKey,
  });
  await ctx.database.db.transaction().execute(async (trx) => {
    if (shipmentId !== null)
      await insertShipment(
        ctx,
        trx,
        shipmentId,
        'CARD',
        group.externalShipping && body.address === undefined ? 'EXTERNAL' : 'CLIENT',
        body.address ?? null,
        undefined,
      );
    await trx.insertInto('svc_cards').values(row).execute();
    if (virtual) await retirePrevious(ctx, trx, row.previous_card_id);
  });
  return cardView(ctx, row);
}

export async function getCard(
  ctx: Ctx,
  caller: Caller,
  id: string,
  extend: readonly string[],
): Promise<{ card: CardView; extend: string[] }> {
  if (extend.length > 0 && !hasRole(caller, 'pci')) throw forbidden('extend needs the pci role (PCI-DSS)');
  const row = await cardById(ctx, id);
  const card = cardView(ctx, row);
  if (extend.length === 0) return { card, extend: [] };
  const group = groupOf(ctx, row);
  const pan = extend.includes('pan') || extend.includes('cvv') ? ctx.unsealPan(row.pan_enc) : undefined;
  if (extend.includes('pan')) card.pan = pan!;
  if (extend.includes('cvv')) {
    const hsm = ctx.hsm('issuance', group);
    if (Number(row.dcvv) === 1 && group.keys.imk !== undefined) {
      const code = hsm.generateDynamicCvv2({
        imk: group.keys.imk,
        pan: pan!,
        psn: '00',
        expiry: row.expiry,
        at: ctx.now(),
      });
      card.cvv = code.code;
      card.cvv_expiration_time = code.expiresAt.toISOString();
    } else {
      card.cvv = hsm.generateCvv2({ cvk: group.keys.cvk, pan: pan!, expiry: row.expiry });
    }
  }
  if (extend.includes('name')) card.name = row.cardholder_name;
  if (extend.includes('expiration_date')) card.expiration_date = expirationDate(row.expiry);
  return { card, extend: [...extend] };
}

/** Status changes the seed allows, with the reasons each takes. */
const STATUS_RULES: Record<string, { from: readonly string[]; reasons: readonly string[]; reasonRequired: boolean }> = {
  ACTIVE: { from: ['BLOCKED'], reasons: ['CLIENT_INTERNAL_REASON', 'USER_INTERNAL_REASON'], reasonRequired: false },
  BLOCKED: { from: ['ACTIVE'], reasons: ['CLIENT_INTERNAL_REASON', 'USER_INTERNAL_REASON'], reasonRequired: true },
  DISABLED: {
    from: ['CREATED', 'EMBOSSED', 'ACTIVE', 'BLOCKED'],
    reasons: ['CLIENT_INTERNAL_REASON', 'USER_INTERNAL_REASON', 'LOST', 'STOLEN', 'BROKEN', 'UPGRADE'],
    reasonRequired: true,
  },
};

export type UpdateCardBody = Static<typeof S.UpdateCardBody>;

export async function updateCard(ctx: Ctx, _caller: Caller, id: string, body: UpdateCardBody): Promise<CardView> {
  const row = await cardById(ctx, id);
  let group = groupOf(ctx, row);
  const changes: Partial<CardRow> = {};
  if (body.status_reason !== undefined && body.status === undefined)
    throw unprocessable('STATUS_REQUIRED', '"status_reason" goes with a "status"', 'status_reason');
  if (body.status !== undefined) {
    const rule = STATUS_RULES[body.status]!;
    if (body.status_reason === undefined ? rule.reasonRequired : !rule.reasons.includes(body.status_reason)) {
      throw unprocessable(
        'INVALID_STATUS_REASON',
        `status ${body.status} takes one of the reasons ${rule.reasons.join(', ')}`,
        'status_reason',
      );
    }
    if (!rule.from.includes(row.status))
      throw conflict('INVALID_STATE', `a ${row.status} card cannot become ${body.status}`, 'status');
    changes.status = body.status;
    changes.status_reason = body.status_reason ?? null;
  }
  if (body.affinity_group_id !== undefined && body.affinity_group_id !== row.affinity_group_id) {
    const target = ctx.group(body.affinity_group_id);
    if (target.keySetName !== group.keySetName || target.bin !== group.bin || target.panLength !== group.panLength) {
      throw unprocessable(
        'GROUP_CHANGE_NOT_ALLOWED',
        'a card moves only to a group with the same BIN and key set (its PAN and codes stay valid)',
        'affinity_group_id',
      );
    }
    if (!target.cardTypes.includes(row.card_type as 'VIRTUAL' | 'PHYSICAL'))
      throw unprocessable(
        'CARD_TYPE_NOT_SUPPORTED',
        `the target group does not issue ${row.card_type} cards`,
        'affinity_group_id',
      );
    changes.affinity_group_id = target.id;
    changes.product_type = target.productType;
    changes.provider = target.provider;
    changes.country_code = target.countryCode;
    group = target;
  }
  if (body.pin !== undefined) {
    if (row.status === 'DISABLED') throw conflict('INVALID_STATE', 'a DISABLED card takes no PIN', 'pin');
    requirePinRules(body.pin);
  }
  if (body.pin !== undefined) await setClearPin(ctx, group, ctx.unsealPan(row.pan_enc), body.pin);
  if (Object.keys(changes).length > 0) {
    const r = await ctx.database.db
      .updateTable('svc_cards')
      .set({ ...changes, updated_at: nowIso(ctx) })
      .where('id', '=', id)
      .where('status', '=', row.status)
      .where('affinity_group_id', '=', row.affinity_group_id)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1)
      throw conflict('CONCURRENT_UPDATE', 'the card changed while this update ran; read it and try again');
  }
  return cardView(ctx, { ...row, ...changes });
}

export async function updateCardShipment(
  ctx: Ctx,
  id: string,
  address: unknown,
): Promise<{ shipment_id: string; address: unknown }> {
  const row = await cardById(ctx, id);
  if (row.card_type !== 'PHYSICAL' || Number(row.innominate) === 1 || row.shipment_id === null) {
    throw unprocessable('SHIPMENT_NOT_ALLOWED', 'only physical nominated cards have a shipment to update', 'id');
  }
  if (row.status !== 'CREATED')
    throw conflict('INVALID_STATE', `the shipment of a ${row.status} card cannot change (CREATED only)`, 'id');
  await ctx.database.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('svc_shipments')
      .set({ address: JSON.stringify(address), distribution_type: 'CLIENT', updated_at: nowIso(ctx) })
      .where('id', '=', row.shipment_id!)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1)
      await trx
        .insertInto('svc_shipments')
        .values({
          id: row.shipment_id!,
          kind: 'CARD',
          distribution_type: 'CLIENT',
          address: JSON.stringify(address),
          receiver: null,
          created_at: nowIso(ctx),
          updated_at: nowIso(ctx),
        })
        .execute();
  });
  return { shipment_id: row.shipment_id, address };
}

/** Marks a physical card's plastic made (CREATED -> EMBOSSED) and, for a group with codes, issues its activation code. */
export async function embossCard(
  ctx: Ctx,
  id: string,
): Promise<{ id: string; status: 'EMBOSSED'; activation_code?: string }> {
  const row = await cardById(ctx, id);
  if (row.card_type !== 'PHYSICAL') throw unprocessable('NOT_PHYSICAL', 'only physical cards are embossed', 'id');
  if (row.status !== 'CREATED' && row.status !== 'EMBOSSED')
    throw conflict('INVALID_STATE', `a ${row.status} card is not waiting for its plastic`, 'id');
  const group = groupOf(ctx, row);
  let code: string | undefined;
  let lookup: string | null = null;
  if (group.activationCodeEnabled) {
    // 10 random digits can repeat across many cards: draw again until the lookup key is free.
    for (let attempt = 0; ; attempt++) {
      code = await ctx.hsm('issuance', group).generateActivationCode({ cardRef: row.card_ref });
      lookup = ctx.codeLookup(code);
      const taken = await ctx.database.db
        .selectFrom('svc_cards')
        .select('id')
        .where('activation_lookup', '=', lookup)
        .executeTakeFirst();
      if (!taken || attempt >= 5) break;
    }
  }
  const r = await ctx.database.db
    .updateTable('svc_cards')
    .set({ status: 'EMBOSSED', activation_lookup: lookup, updated_at: nowIso(ctx) })
    .where('id', '=', id)
    .where('status', '=', row.status)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1)
    throw conflict('CONCURRENT_UPDATE', 'the card changed while it was being embossed');
  return { id, status: 'EMBOSSED', ...(code === undefined ? {} : { activation_code: code }) };
}

export type ActivationBody = Static<typeof S.ActivationBody>;

export async function activateCard(
  ctx: Ctx,
  caller: Caller,
  body: ActivationBody,
): Promise<{ id: string; status: 'ACTIVE' }> {
  if ((body.activation_code === undefined) === (body.pan === undefined))
    throw badRequest(
      'ACTIVATION_SELECTOR',
      'activate by "activation_code" or by "pan", exactly one',
      'activation_code',
    );
  if (body.pan !== undefined && !hasRole(caller, 'pci')) throw forbidden('activation by PAN needs the pci role');
  if (body.pan !== undefined && body.card_id !== undefined)
    throw badRequest('CARD_SELECTOR', 'name the card by "card_id" or by "pan", not both', 'card_id');
  requirePinRules(body.pin);
  let row: CardRow;
  let pan: string;
  if (body.pan !== undefined) {
    row = await cardByPan(ctx, body.pan);
    pan = body.pan;
  } else if (body.card_id !== undefined) {
    row = await cardById(ctx, body.card_id, 'card_id');
    pan = ctx.unsealPan(row.pan_enc);
  } else {
    const found = await ctx.database.db
      .selectFrom('svc_cards')
      .selectAll()
      .where('activation_lookup', '=', ctx.codeLookup(body.activation_code!))
      .executeTakeFirst();
    if (!found) throw notFound('card', 'activation_code');
    row = found;
    pan = ctx.unsealPan(row.pan_enc);
  }
  const group = groupOf(ctx, row);
  if (row.status !== 'EMBOSSED')
    throw conflict('INVALID_STATE', `only EMBOSSED cards activate; this one is ${row.status}`, 'status');
  const innominate = Number(row.innominate) === 1;
  if (innominate && body.user_id === undefined)
    throw unprocessable('USER_REQUIRED', 'an innominate card is activated for a user: give "user_id"', 'user_id');
  if (!innominate && body.user_id !== undefined && body.user_id !== row.user_id)
    throw unprocessable('USER_MISMATCH', 'the card belongs to another user', 'user_id');
  if (body.previous_card_id !== undefined) {
    const previous = await cardById(ctx, body.previous_card_id, 'previous_card_id');
    if (previous.user_id !== (body.user_id ?? row.user_id))
      throw unprocessable(
        'PREVIOUS_CARD_OTHER_USER',
        'the card to replace belongs to another user',
        'previous_card_id',
      );
  }
  if (body.activation_code !== undefined) {
    if (!group.activationCodeEnabled)
      throw unprocessable(
        'ACTIVATION_CODE_DISABLED',
        'this affinity group does not activate cards by code',
        'activation_code',
      );
    const hsm = ctx.hsm('issuance', group);
    const pinBlock = hsm.encryptClearPin({ pinKey: group.keys.pin_key, pin: body.pin, pan, format: 0 });
    const r = await hsm.activateCard({
      cardRef: row.card_ref,
      activationCode: body.activation_code,
      pinBlock,
      pinKey: group.keys.pin_key,
      format: 0,
      pan,
      method: pinMethod(group),
    });
    pinBlock.fill(0);
    if (!r.activated)
      throw unprocessable(
        'ACTIVATION_CODE_MISMATCH',
        `wrong activation code; ${r.attemptsRemaining} attempts remain`,
        'activation_code',
      );
  } else {
    await setClearPin(ctx, group, pan, body.pin);
  }
  if (group.dcvvEnabled) await enableDcvv(ctx, group, pan);
  const previousId = body.previous_card_id ?? row.previous_card_id;
  await ctx.database.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('svc_cards')
      .set({
        status: 'ACTIVE',
        status_reason: null,
        activated_at: today(ctx),
        activation_lookup: null,
        user_id: body.user_id ?? row.user_id,
        previous_card_id: previousId,
        dcvv: group.dcvvEnabled ? 1 : Number(row.dcvv),
        updated_at: nowIso(ctx),
      })
      .where('id', '=', row.id)
      .where('status', '=', 'EMBOSSED')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1)
      throw conflict('CONCURRENT_UPDATE', 'the card changed while it was being activated');
    await retirePrevious(ctx, trx, previousId);
  });
  return { id: row.id, status: 'ACTIVE' };
}

export interface SearchQuery {
  filters: Partial<
    Record<
      | 'card_type'
      | 'user_id'
      | 'status'
      | 'status_detail'
      | 'affinity_group_id'
      | 'shipment_id'
      | 'product_type'
      | 'product_provider'
      | 'country_code',
      string[]
    >
  > & { innominate?: boolean };
  pageSize: number;
  pageNumber: number;
  sort: Array<{ field: string; desc: boolean }>;
}

const COLUMN: Record<string, keyof CardRow> = {
  card_type: 'card_type',
  user_id: 'user_id',
  status: 'status',
  status_detail: 'status_reason',
  affinity_group_id: 'affinity_group_id',
  shipment_id: 'shipment_id',
  product_type: 'product_type',
  product_provider: 'provider',
  country_code: 'country_code',
  innominate: 'innominate',
  start_date: 'start_date',
};

export async function searchCards(ctx: Ctx, q: SearchQuery): Promise<{ cards: CardView[]; total: number }> {
  let query = ctx.database.db.selectFrom('svc_cards');
  for (const [name, values] of Object.entries(q.filters)) {
    if (name === 'innominate') query = query.where('innominate', '=', values ? 1 : 0);
    else query = query.where(COLUMN[name]!, 'in', values as string[]);
  }
  const total = Number((await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  let page = query.selectAll();
  for (const s of q.sort) page = page.orderBy(COLUMN[s.field]!, s.desc ? 'desc' : 'asc');
  const rows = await page
    .orderBy('id', 'asc')
    .limit(q.pageSize)
    .offset(q.pageNumber * q.pageSize)
    .execute();
  return { cards: rows.map((r) => cardView(ctx, r)), total };
}
