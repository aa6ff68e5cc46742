// Seed 000's instant card and seed 004's affinity groups.
import { Type } from '@sinclair/typebox';
import type { Registrar } from '../app.js';
import { instantCard } from '../embosser.js';
import { IdParams, InstantCardBody } from '../requests.js';
import { AffinityGroup, Card, Data } from '../schemas.js';

export function accountRoutes(r: Registrar): void {
  r.route({
    operationId: 'instantCard',
    method: 'POST',
    url: '/account/v2/instantCard',
    summary: 'An account and an ACTIVE card at once, ready to use',
    tags: ['accounts'],
    body: InstantCardBody,
    idempotency: true,
    status: 201,
    response: Data(
      Type.Object(
        {
          account: Type.Object(
            { id: Type.String(), user_id: Type.String(), status: Type.String() },
            { additionalProperties: false },
          ),
          card: Card,
        },
        { additionalProperties: false },
      ),
    ),
    handler: async ({ ctx, caller, body, requestKey }) => ({ data: await instantCard(ctx, caller, body, requestKey) }),
  });

  r.route({
    operationId: 'getAffinityGroup',
    method: 'GET',
    url: '/cards/v1/config/affinity-groups/:id',
    summary: 'An affinity group: card types, months_to_expiration, activation_code_enabled, dcvv_enabled, …',
    tags: ['config'],
    params: IdParams,
    status: 200,
    response: Data(AffinityGroup),
    handler: async ({ ctx, params }) => {
      const g = ctx.group(params.id, 'id');
      return {
        data: {
          id: g.id,
          name: g.name,
          status: 'ACTIVE' as const,
          card_type_supported: [...g.cardTypes],
          innominate: g.innominate,
          months_to_expiration: g.monthsToExpiration,
          provider: g.provider,
          product_type: g.productType,
          country_code: g.countryCode,
          activation_code_enabled: g.activationCodeEnabled,
          dcvv_enabled: g.dcvvEnabled,
          external_shipping: g.externalShipping,
          pin_on_creation: g.pinOnCreation,
          pin_try_limit: g.pinTryLimit,
          pan_token_type: g.panTokenType,
        },
      };
    },
  });
}
