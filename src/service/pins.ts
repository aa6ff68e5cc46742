// Seed 000's PIN and card-code calls as plain functions: security values under the client's transport key, the
// invalid PIN attempts, the PAN token, a dynamic CVV2 (which switches the static one off), PIN validation from a
// PIN block under the client's zone PIN key (counted, locked at the group's limit), and CVV2 verification from an
// authorization (static or dynamic, counted).
import { hexToBytes } from '../bytes.js';
import type { Ctx } from './context.js';
import { conflict, unprocessable } from './errors.js';
import type { Caller } from './roles.js';
import { pinMethod } from './cards.js';
import { cardById, groupOf, nowIso, panTokenOf, selectedCard } from './records.js';

type Selector = { card_id?: string | undefined; pan?: string | undefined };

export async function securityValues(
  ctx: Ctx,
  caller: Caller,
  body: Selector & { generate_pin?: boolean | undefined },
) {
  const transportKey = ctx.transportKey(caller.clientId);
  const { row, pan, group } = await selectedCard(ctx, caller, body);
  if (row.status === 'DISABLED')
    throw conflict('INVALID_STATE', 'a DISABLED card has no security values to export', 'card_id');
  const hsm = ctx.hsm('issuance', group);
  let pinBlock: Uint8Array | undefined;
  if (body.generate_pin === true) {
    pinBlock = (
      await hsm.generatePin({ cardRef: row.card_ref, pan, pinKey: group.keys.pin_key, method: pinMethod(group) })
    ).pinBlock;
  }
  try {
    const v = hsm.exportSecurityValues({
      cvk: group.keys.cvk,
      pan,
      expiry: row.expiry,
      serviceCode: row.service_code,
      transportKey,
      ...(pinBlock === undefined ? {} : { pinBlock, pinKey: group.keys.pin_key, format: 0 as const }),
    });
    return {
      card_id: row.id,
      cvv: v.cvv,
      cvv2: v.cvv2,
      icvv: v.icvv,
      ...(v.pin === undefined ? {} : { pin: v.pin }),
      transport_kcv: v.transportKcv,
    };
  } finally {
    pinBlock?.fill(0);
  }
}

export async function invalidPinAttempts(ctx: Ctx, caller: Caller, body: Selector) {
  const { row, group } = await selectedCard(ctx, caller, body);
  const a = await ctx.hsm('authorization', group).getPinAttempts(row.card_ref);
  return {
    card_id: row.id,
    failed_attempts: a.failed,
    remaining_attempts: a.remaining,
    locked: a.locked,
    try_limit: group.pinTryLimit,
  };
}

export async function panToken(ctx: Ctx, caller: Caller, body: Selector) {
  const { row, pan, group } = await selectedCard(ctx, caller, body);
  const token = panTokenOf(ctx.hsm('authorization', group), group, pan);
  return { card_id: row.id, pan_token: token, token_type: group.panTokenType };
}

/** A new dynamic CVV2 for the current window; the first call switches the card's static CVV2 off for good. */
export async function dynamicValues(ctx: Ctx, caller: Caller, body: Selector) {
  const { row, pan, group } = await selectedCard(ctx, caller, body);
  if (group.keys.imk === undefined)
    throw unprocessable('DCVV_NOT_AVAILABLE', "the card's affinity group has no dynamic CVV2 key (imk)", 'card_id');
  if (row.status !== 'ACTIVE')
    throw conflict('INVALID_STATE', `dynamic CVV2 needs an ACTIVE card; this one is ${row.status}`, 'card_id');
  const hsm = ctx.hsm('issuance', group);
  const code = hsm.generateDynamicCvv2({ imk: group.keys.imk, pan, psn: '00', expiry: row.expiry, at: ctx.now() });
  if (Number(row.dcvv) !== 1) {
    // The Hsm's state first: once it says dynamic, the static CVV2 is refused whatever the record says.
    await hsm.enableDynamicCvv2(row.card_ref);
    await ctx.database.db
      .updateTable('svc_cards')
      .set({ dcvv: 1, updated_at: nowIso(ctx) })
      .where('id', '=', row.id)
      .execute();
  }
  return { card_id: row.id, cvv: code.code, cvv_expiration_time: code.expiresAt.toISOString() };
}

export async function validatePin(
  ctx: Ctx,
  caller: Caller,
  body: Selector & { pin_block: string; pin_block_format?: 0 | 1 | 3 | undefined },
) {
  const zpk = ctx.client(caller.clientId).zonePinKey;
  if (zpk === undefined)
    throw unprocessable(
      'ZONE_PIN_KEY_MISSING',
      'this API client has no zone PIN key registered (clients[].zone_pin_key)',
      'pin_block',
    );
  const { row, pan, group } = await selectedCard(ctx, caller, body);
  const pinBlock = hexToBytes(body.pin_block);
  try {
    const r = await ctx
      .hsm('authorization', group)
      .verifyPin({ cardRef: row.card_ref, pinBlock, pinKey: zpk, format: body.pin_block_format ?? 0, pan });
    return { card_id: row.id, valid: r.verified, remaining_attempts: r.attemptsRemaining, locked: r.locked };
  } finally {
    pinBlock.fill(0);
  }
}

export async function verifyCvv2(ctx: Ctx, _caller: Caller, id: string, cvv: string) {
  const row = await cardById(ctx, id);
  const group = groupOf(ctx, row);
  const pan = ctx.unsealPan(row.pan_enc);
  const hsm = ctx.hsm('authorization', group);
  if (Number(row.dcvv) === 1 && group.keys.imk !== undefined) {
    const r = await hsm.verifyDynamicCvv2({
      cardRef: row.card_ref,
      imk: group.keys.imk,
      pan,
      psn: '00',
      expiry: row.expiry,
      code: cvv,
      at: ctx.now(),
    });
    return {
      card_id: row.id,
      valid: r.valid,
      cvv_type: 'DYNAMIC' as const,
      remaining_attempts: r.attemptsRemaining,
      locked: r.locked,
    };
  }
  const valid = await hsm.verifyCardCvv2({ cardRef: row.card_ref, cvk: group.keys.cvk, pan, expiry: row.expiry, cvv });
  const a = await hsm.getCvv2Attempts(row.card_ref);
  return { card_id: row.id, valid, cvv_type: 'STATIC' as const, remaining_attempts: a.remaining, locked: a.locked };
}
