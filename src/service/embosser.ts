// Seed 000's embosser and account calls: a card record for embossing (expiry, service code, embossed name,
// address, limits — the PAN random-looking and never repeated), reissue (LOST/STOLEN: a new PAN and the old card
// disabled; DAMAGED/EXPIRED/EMERGENCY: the same PAN with a new expiry and codes), and an instant card (an account
// and an ACTIVE card at once).
import type { Ctx } from './context.js';
import { newId } from './context.js';
import { conflict, unprocessable } from './errors.js';
import { cardRow, cardView, expirationDate, insertShipment, nowIso, selectedCard, today } from './records.js';
import type { Caller } from './roles.js';
import { issueFor, requirePinRules, setClearPin } from './cards.js';
import type { CardView } from './schemas.js';

export async function addEmbossingRecord(
  ctx: Ctx,
  caller: Caller,
  body: {
    affinity_group_id: string;
    user_id?: string | undefined;
    account_id?: string | undefined;
    cardholder_name: string;
    expiration_date?: string | undefined;
    service_code?: string | undefined;
    address?: unknown;
    limits?: unknown;
  },
  requestKey: string,
) {
  const existing = await ctx.database.db
    .selectFrom('svc_cards')
    .selectAll()
    .where('request_key', '=', requestKey)
    .executeTakeFirst();
  const group = ctx.group(body.affinity_group_id);
  if (!existing) {
    if (!group.cardTypes.includes('PHYSICAL'))
      throw unprocessable(
        'CARD_TYPE_NOT_SUPPORTED',
        'embossed cards are PHYSICAL; this group issues none',
        'affinity_group_id',
      );
    if (body.address === undefined && !group.externalShipping)
      throw unprocessable(
        'ADDRESS_REQUIRED',
        'the delivery address is required (unless the group ships externally)',
        'address',
      );
  }
  let row = existing;
  if (!row) {
    const expiry =
      body.expiration_date === undefined
        ? undefined
        : body.expiration_date.slice(2, 4) + body.expiration_date.slice(5, 7);
    const issued = await issueFor(ctx, group, {
      ...(expiry === undefined ? {} : { expiry }),
      ...(body.service_code === undefined ? {} : { serviceCode: body.service_code }),
    });
    const shipmentId = newId('shi');
    row = cardRow(ctx, {
      pan: issued.pan,
      expiry: issued.expiry,
      serviceCode: issued.serviceCode,
      group,
      cardType: 'PHYSICAL',
      status: 'CREATED',
      clientId: caller.clientId,
      userId: body.user_id ?? null,
      accountId: body.account_id ?? null,
      cardholderName: body.cardholder_name,
      shipmentId,
      limits: body.limits,
      requestKey,
    });
    const r = row;
    await ctx.database.db.transaction().execute(async (trx) => {
      await insertShipment(
        ctx,
        trx,
        shipmentId,
        'CARD',
        body.address === undefined ? 'EXTERNAL' : 'CLIENT',
        body.address ?? null,
        undefined,
      );
      await trx.insertInto('svc_cards').values(r).execute();
    });
  }
  return {
    card_id: row.id,
    status: row.status,
    last_four: row.last_four,
    expiration_date: expirationDate(row.expiry),
    service_code: row.service_code,
    cardholder_name: row.cardholder_name ?? '',
    shipment_id: row.shipment_id!,
    limits: row.limits === null ? null : (JSON.parse(row.limits) as Record<string, unknown>),
  };
}

export async function reissueCard(
  ctx: Ctx,
  caller: Caller,
  body: {
    card_id?: string | undefined;
    pan?: string | undefined;
    action: 'LOST' | 'STOLEN' | 'DAMAGED' | 'EXPIRED' | 'EMERGENCY';
  },
  requestKey: string,
) {
  const replay = await ctx.database.db
    .selectFrom('svc_cards')
    .selectAll()
    .where('request_key', '=', requestKey)
    .executeTakeFirst();
  if (replay) return { action: body.action, card: cardView(ctx, replay), previous_card_id: replay.previous_card_id };
  const { row, pan, group } = await selectedCard(ctx, caller, body);
  if (row.status === 'DISABLED') throw conflict('INVALID_STATE', 'a DISABLED card is not reissued', 'card_id');
  const hsm = ctx.hsm('issuance', group);
  const issued = await hsm.reissueCard({
    pan,
    reason: body.action,
    bin: group.bin,
    length: group.panLength,
    monthsToExpiration: group.monthsToExpiration,
    serviceCode: row.service_code,
    cvk: group.keys.cvk,
    panKey: group.keys.pan_key,
  });
  if (body.action === 'LOST' || body.action === 'STOLEN') {
    const physical = row.card_type === 'PHYSICAL';
    const shipmentId = physical ? newId('shi') : null;
    const fresh = cardRow(ctx, {
      pan: issued.pan,
      expiry: issued.expiry,
      serviceCode: issued.serviceCode,
      group,
      cardType: row.card_type,
      status: physical ? 'CREATED' : 'ACTIVE',
      clientId: caller.clientId,
      userId: row.user_id,
      innominate: Number(row.innominate) === 1,
      shipmentId,
      accountId: row.account_id,
      cardholderName: row.cardholder_name,
      previousCardId: row.id,
      activatedAt: physical ? null : today(ctx),
      requestKey,
    });
    await ctx.database.db.transaction().execute(async (trx) => {
      if (shipmentId !== null) {
        const old =
          row.shipment_id === null
            ? undefined
            : await trx.selectFrom('svc_shipments').selectAll().where('id', '=', row.shipment_id).executeTakeFirst();
        await insertShipment(
          ctx,
          trx,
          shipmentId,
          'CARD',
          old?.distribution_type ?? 'CLIENT',
          old?.address ? JSON.parse(old.address) : null,
          undefined,
        );
      }
      await trx.insertInto('svc_cards').values(fresh).execute();
      await trx
        .updateTable('svc_cards')
        .set({ status: 'DISABLED', status_reason: body.action, updated_at: nowIso(ctx) })
        .where('id', '=', row.id)
        .execute();
    });
    return { action: body.action, card: cardView(ctx, fresh), previous_card_id: row.id };
  }
  const updated = { ...row, expiry: issued.expiry, updated_at: nowIso(ctx) };
  await ctx.database.db
    .updateTable('svc_cards')
    .set({ expiry: issued.expiry, updated_at: updated.updated_at })
    .where('id', '=', row.id)
    .execute();
  return { action: body.action, card: cardView(ctx, updated), previous_card_id: null };
}

export async function instantCard(
  ctx: Ctx,
  caller: Caller,
  body: {
    user_id: string;
    affinity_group_id: string;
    card_type?: 'VIRTUAL' | 'PHYSICAL' | undefined;
    pin?: string | undefined;
  },
  requestKey: string,
): Promise<{ account: { id: string; user_id: string; status: string }; card: CardView }> {
  const replay = await ctx.database.db
    .selectFrom('svc_cards')
    .selectAll()
    .where('request_key', '=', requestKey)
    .executeTakeFirst();
  if (replay) {
    const account = await ctx.database.db
      .selectFrom('svc_accounts')
      .selectAll()
      .where('id', '=', replay.account_id!)
      .executeTakeFirstOrThrow();
    return {
      account: { id: account.id, user_id: account.user_id, status: account.status },
      card: cardView(ctx, replay),
    };
  }
  const group = ctx.group(body.affinity_group_id);
  const cardType = body.card_type ?? 'VIRTUAL';
  if (!group.cardTypes.includes(cardType))
    throw unprocessable('CARD_TYPE_NOT_SUPPORTED', `the affinity group does not issue ${cardType} cards`, 'card_type');
  if (body.pin !== undefined) {
    if (!group.pinOnCreation)
      throw unprocessable('PIN_NOT_ALLOWED', 'this affinity group does not take a PIN at creation', 'pin');
    requirePinRules(body.pin);
  }
  const issued = await issueFor(ctx, group);
  if (body.pin !== undefined) await setClearPin(ctx, group, issued.pan, body.pin);
  if (group.dcvvEnabled) await ctx.hsm('issuance', group).enableDynamicCvv2(ctx.cardRef(issued.pan));
  const account = {
    id: newId('acc'),
    user_id: body.user_id,
    status: 'ACTIVE',
    client_id: caller.clientId,
    created_at: nowIso(ctx),
  };
  const row = cardRow(ctx, {
    pan: issued.pan,
    expiry: issued.expiry,
    serviceCode: issued.serviceCode,
    group,
    cardType,
    status: 'ACTIVE',
    clientId: caller.clientId,
    userId: body.user_id,
    accountId: account.id,
    activatedAt: today(ctx),
    dcvv: group.dcvvEnabled,
    requestKey,
  });
  await ctx.database.db.transaction().execute(async (trx) => {
    await trx.insertInto('svc_accounts').values(account).execute();
    await trx.insertInto('svc_cards').values(row).execute();
  });
  return { account: { id: account.id, user_id: account.user_id, status: account.status }, card: cardView(ctx, row) };
}
