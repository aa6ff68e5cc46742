// Seed 004's /cards/v1 resource: create, read (with PCI extends), update, shipment, search, activation, and
// beyond the seed the embossing report (which issues activation codes) and counted CVV2 verification.
import { Type } from '@sinclair/typebox';
import type { Registrar } from '../app.js';
import {
  activateCard,
  createCard,
  embossCard,
  getCard,
  searchCards,
  updateCard,
  updateCardShipment,
  type SearchQuery as Search,
} from '../cards.js';
import { verifyCvv2 } from '../pins.js';
import {
  ActivationBody,
  CreateCardBody,
  Cvv2Body,
  GetCardQuery,
  IdParams,
  SearchQuery,
  ShipmentBody,
  UpdateCardBody,
} from '../requests.js';
import { Address, Card, Data, DataMeta, Enum, EXTENDS, Pagination } from '../schemas.js';
import { badRequest } from '../errors.js';

const tags = ['cards'];

export function cardRoutes(r: Registrar): void {
  r.route({
    operationId: 'createCard',
    method: 'POST',
    url: '/cards/v1/',
    summary: 'Create a nominated card (VIRTUAL or PHYSICAL)',
    description:
      'A PHYSICAL card needs an address unless its group ships externally; `previous_card_id` makes it a replacement (the old card is disabled when the new one is ACTIVE); `pin` where the group allows it, checked against the PIN rules.',
    tags,
    body: CreateCardBody,
    idempotency: true,
    status: 201,
    response: Data(Card),
    handler: async ({ ctx, caller, body, requestKey }) => ({ data: await createCard(ctx, caller, body, requestKey) }),
  });

  r.route({
    operationId: 'getCard',
    method: 'GET',
    url: '/cards/v1/:id',
    summary: 'Get a card; `extend=pan,cvv,name,expiration_date` (PCI role)',
    description: 'For a card on dynamic CVV2 the `cvv` is the current dynamic code, with `cvv_expiration_time`.',
    tags,
    params: IdParams,
    querystring: GetCardQuery,
    status: 200,
    response: DataMeta(Card, Type.Object({ extend: Type.Array(Enum(EXTENDS)) }, { additionalProperties: false })),
    handler: async ({ ctx, caller, params, query }) => {
      const extend = query.extend === undefined ? [] : [...new Set(query.extend.split(','))];
      const { card } = await getCard(ctx, caller, params.id, extend);
      return { data: card, meta: { extend } };
    },
  });

  r.route({
    operationId: 'updateCard',
    method: 'PATCH',
    url: '/cards/v1/:id',
    summary: 'Update a card: status (with a reason from the seed table), affinity group, PIN',
    description:
      'BLOCKED takes CLIENT_INTERNAL_REASON or USER_INTERNAL_REASON; DISABLED also LOST, STOLEN, BROKEN or UPGRADE; ACTIVE unblocks a BLOCKED card. The PIN follows the PIN rules and is never echoed.',
    tags,
    params: IdParams,
    body: UpdateCardBody,
    status: 200,
    response: Data(Card),
    handler: async ({ ctx, caller, params, body }) => ({ data: await updateCard(ctx, caller, params.id, body) }),
  });

  r.route({
    operationId: 'updateCardShipment',
    method: 'PUT',
    url: '/cards/v1/:id/shipment',
    summary: 'Update the shipping address of a physical nominated card in CREATED',
    tags,
    params: IdParams,
    body: ShipmentBody,
    status: 200,
    response: Data(Type.Object({ shipment_id: Type.String(), address: Address }, { additionalProperties: false })),
    handler: async ({ ctx, params, body }) => ({ data: await updateCardShipment(ctx, params.id, body.address) }),
  });

  r.route({
    operationId: 'searchCards',
    method: 'GET',
    url: '/cards/v1/',
    summary: 'Search cards: filter[field]=a,b, page[size], page[number] (from 0), sort=status,-card_type',
    description: 'Unknown or misspelled parameters are an error (400 UNKNOWN_PARAMETER).',
    tags,
    querystring: SearchQuery,
    status: 200,
    response: DataMeta(
      Type.Array(Card),
      Type.Object({ pagination: Pagination, filter: Type.Array(Type.String()) }, { additionalProperties: false }),
    ),
    handler: async ({ ctx, query }) => {
      const filters: Search['filters'] = {};
      const names: string[] = [];
      for (const [k, v] of Object.entries(query)) {
        const m = /^filter\[(.+)\]$/.exec(k);
        if (!m || v === undefined) continue;
        names.push(m[1]!);
        if (m[1] === 'innominate') filters.innominate = v === 'true';
        else (filters as Record<string, string[]>)[m[1]!] = String(v).split(',');
      }
      const sort = (query.sort ?? '')
        .split(',')
        .filter(Boolean)
        .map((s) => ({ field: s.replace(/^-/, ''), desc: s.startsWith('-') }));
      if (new Set(sort.map((s) => s.field)).size !== sort.length)
        throw badRequest('VALIDATION_ERROR', 'a sort field appears twice', 'sort');
      const pageSize = query['page[size]'] ?? 25;
      const pageNumber = query['page[number]'] ?? 0;
      const { cards, total } = await searchCards(ctx, { filters, pageSize, pageNumber, sort });
      return {
        data: cards,
        meta: {
          pagination: {
            total_pages: Math.ceil(total / pageSize),
            current_page: pageNumber,
            page_size: pageSize,
            total_count: total,
          },
          filter: names,
        },
      };
    },
  });

  r.route({
    operationId: 'activateCard',
    method: 'POST',
    url: '/cards/v1/activation',
    summary: 'Activate an EMBOSSED card with its 10-digit activation code (or by PAN, PCI role) and set the chosen PIN',
    description:
      'The PIN: 4 digits, not ascending, descending or repeated (422 with the rule). `card_id` with the code counts wrong codes against that card (locked after 3).',
    tags,
    body: ActivationBody,
    status: 200,
    response: Data(Type.Object({ id: Type.String(), status: Type.Literal('ACTIVE') }, { additionalProperties: false })),
    handler: async ({ ctx, caller, body }) => ({ data: await activateCard(ctx, caller, body) }),
  });

  r.route({
    operationId: 'embossCard',
    method: 'POST',
    url: '/cards/v1/:id/embossing',
    summary:
      'The embosser reports the plastic made: CREATED -> EMBOSSED, with a new activation code when the group uses codes',
    description:
      'Beyond the seeds: how a physical card reaches EMBOSSED. The code is returned once (stored only as a keyed hash); calling again on an EMBOSSED card replaces it.',
    tags: ['embosser'],
    params: IdParams,
    status: 200,
    response: Data(
      Type.Object(
        { id: Type.String(), status: Type.Literal('EMBOSSED'), activation_code: Type.Optional(Type.String()) },
        { additionalProperties: false },
      ),
    ),
    handler: async ({ ctx, params }) => ({ data: await embossCard(ctx, params.id) }),
  });

  r.route({
    operationId: 'verifyCvv2',
    method: 'POST',
    url: '/cards/v1/:id/cvv2/verifications',
    summary:
      'Verify a CVV2 from an authorization: the dynamic code on a dcvv card, else the static one (counted, locks at the limit)',
    tags: ['authorization'],
    params: IdParams,
    body: Cvv2Body,
    status: 200,
    response: Data(
      Type.Object(
        {
          card_id: Type.String(),
          valid: Type.Boolean(),
          cvv_type: Enum(['STATIC', 'DYNAMIC'] as const),
          remaining_attempts: Type.Integer(),
          locked: Type.Boolean(),
        },
        { additionalProperties: false },
      ),
    ),
    handler: async ({ ctx, caller, params, body }) => {
      const result = await verifyCvv2(ctx, caller, params.id, body.cvv);
      r.metrics.verifications.inc({ kind: 'cvv2', outcome: result.valid ? 'valid' : 'invalid' });
      return { data: result };
    },
  });
}
