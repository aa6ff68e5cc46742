// Seed 000's embosser calls: a card record for embossing, reissue (card action), and the PAN token.
import { Type } from '@sinclair/typebox';
import type { Registrar } from '../app.js';
import { addEmbossingRecord, reissueCard } from '../embosser.js';
import { panToken } from '../pins.js';
import { CardBody, EmbossingRecordBody, ReissueBody } from '../requests.js';
import { Card, Data, Enum, Nullable, REISSUE_ACTIONS } from '../schemas.js';

const tags = ['embosser'];

export function embosserRoutes(r: Registrar): void {
  r.route({
    operationId: 'addEmbossingRecord',
    method: 'POST',
    url: '/cards/embosser/l8vf',
    summary: 'Add a card record for embossing (expiry, service code, cardholder name, delivery address, limits)',
    description:
      'The PAN is drawn from the group range by a keyed permutation: random-looking and never repeated. A PCI caller reads it with GET /cards/v1/{id}?extend=pan (a response is kept for idempotent replay, so it never carries a PAN).',
    tags,
    body: EmbossingRecordBody,
    idempotency: true,
    status: 201,
    response: Data(
      Type.Object(
        {
          card_id: Type.String(),
          status: Type.String(),
          last_four: Type.String(),
          expiration_date: Type.String(),
          service_code: Type.String(),
          cardholder_name: Type.String(),
          shipment_id: Type.String(),
          limits: Nullable(Type.Record(Type.String(), Type.Union([Type.Integer(), Type.String()]))),
        },
        { additionalProperties: false },
      ),
    ),
    handler: async ({ ctx, caller, body, requestKey }) => ({
      data: await addEmbossingRecord(ctx, caller, body, requestKey),
    }),
  });

  r.route({
    operationId: 'reissueCard',
    method: 'PUT',
    url: '/cards/embosser/cardAction-L8V2',
    summary:
      'Reissue: LOST/STOLEN -> a new PAN (the old card DISABLED); DAMAGED/EXPIRED/EMERGENCY -> the same PAN with a new expiry',
    tags,
    body: ReissueBody,
    idempotency: true,
    status: 200,
    response: Data(
      Type.Object(
        { action: Enum(REISSUE_ACTIONS), card: Card, previous_card_id: Nullable(Type.String()) },
        { additionalProperties: false },
      ),
    ),
    handler: async ({ ctx, caller, body, requestKey }) => ({ data: await reissueCard(ctx, caller, body, requestKey) }),
  });

  r.route({
    operationId: 'panToken',
    method: 'POST',
    url: '/cards/embosser/card-pan-l8v2',
    summary: 'The card PAN token (FF1; numeric or alphanumeric per group), safe to show anywhere',
    tags,
    body: CardBody,
    status: 200,
    response: Data(
      Type.Object(
        { card_id: Type.String(), pan_token: Type.String(), token_type: Enum(['NUMERIC', 'ALPHANUMERIC'] as const) },
        { additionalProperties: false },
      ),
    ),
    handler: async ({ ctx, caller, body }) => ({ data: await panToken(ctx, caller, body) }),
  });
}
