// Request bodies and query strings of every route (TypeBox). Shared by the routes (validation, OpenAPI), the
// handlers (their input types) and the typed client.
import { Type, type Static } from '@sinclair/typebox';
import {
  Address,
  CARD_STATUSES,
  CARD_TYPES,
  PRODUCT_TYPES,
  PROVIDERS,
  CardId,
  CardSelector,
  DISTRIBUTION_TYPES,
  Enum,
  GroupId,
  Pin,
  Receiver,
  REISSUE_ACTIONS,
  STATUS_REASONS,
  UserId,
} from './schemas.js';

const strict = { additionalProperties: false } as const;

export const CreateCardBody = Type.Object(
  {
    user_id: UserId,
    affinity_group_id: GroupId,
    card_type: Enum(CARD_TYPES),
    address: Type.Optional(Address),
    previous_card_id: Type.Optional(CardId),
    pin: Type.Optional(Pin),
  },
  strict,
);

export const UpdateCardBody = Type.Object(
  {
    affinity_group_id: Type.Optional(GroupId),
    status: Type.Optional(Enum(['ACTIVE', 'BLOCKED', 'DISABLED'] as const)),
    status_reason: Type.Optional(Enum(STATUS_REASONS)),
    pin: Type.Optional(Pin),
  },
  { ...strict, minProperties: 1 },
);

export const ShipmentBody = Type.Object({ address: Address }, strict);

export const BatchBody = Type.Object(
  {
    affinity_group_id: GroupId,
    quantity: Type.Integer({ minimum: 1, maximum: 1000 }),
    distribution_type: Enum(DISTRIBUTION_TYPES),
    address: Type.Optional(Address),
    receiver: Type.Optional(Receiver),
  },
  strict,
);

export const BatchShipmentBody = Type.Object(
  { address: Type.Optional(Address), receiver: Type.Optional(Receiver) },
  { ...strict, minProperties: 1 },
);

export const ActivationBody = Type.Object(
  {
    user_id: Type.Optional(UserId),
    pin: Pin,
    previous_card_id: Type.Optional(CardId),
    activation_code: Type.Optional(
      Type.String({ pattern: '^[0-9]{10}$', description: 'the 10-digit activation code' }),
    ),
    card_id: Type.Optional(CardId),
    pan: Type.Optional(Type.String({ pattern: '^[0-9]{12,19}$', description: 'activation by PAN (PCI role)' })),
  },
  strict,
);

export const CardBody = Type.Object({ ...CardSelector }, strict);

export const EmbossingRecordBody = Type.Object(
  {
    affinity_group_id: GroupId,
    user_id: Type.Optional(UserId),
    account_id: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })),
    cardholder_name: Type.String({
      pattern: '^[A-Z][A-Z .-]{0,25}$',
      description: 'the embossed name: up to 26 characters A-Z, space, dot, hyphen',
    }),
    expiration_date: Type.Optional(
      Type.String({
        pattern: '^20[0-9]{2}-(0[1-9]|1[0-2])$',
        description: 'YYYY-MM (default: the group months_to_expiration from now)',
      }),
    ),
    service_code: Type.Optional(Type.String({ pattern: '^[0-9]{3}$' })),
    address: Type.Optional(Address),
    limits: Type.Optional(
      Type.Object(
        {
          daily_purchase: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e12 })),
          monthly_purchase: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e12 })),
          daily_withdrawal: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e12 })),
          currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
        },
        strict,
      ),
    ),
  },
  strict,
);

export const MassIssueBody = Type.Object(
  {
    affinity_group_id: GroupId,
    quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    expiration_date: Type.Optional(Type.String({ pattern: '^20[0-9]{2}-(0[1-9]|1[0-2])$' })),
    service_code: Type.Optional(Type.String({ pattern: '^[0-9]{3}$' })),
  },
  strict,
);

export const ReissueBody = Type.Object({ ...CardSelector, action: Enum(REISSUE_ACTIONS) }, strict);

export const SecurityValuesBody = Type.Object(
  {
    ...CardSelector,
    generate_pin: Type.Optional(Type.Boolean({ description: 'also set a new random PIN and return it encrypted' })),
  },
  strict,
);

export const InstantCardBody = Type.Object(
  {
    user_id: UserId,
    affinity_group_id: GroupId,
    card_type: Type.Optional(Enum(CARD_TYPES)),
    pin: Type.Optional(Pin),
  },
  strict,
);

export const PinValidationBody = Type.Object(
  {
    ...CardSelector,
    pin_block: Type.String({
      pattern: '^[0-9A-Fa-f]{16}$',
      description: 'the PIN block, TDES-encrypted under the client zone PIN key',
    }),
    pin_block_format: Type.Optional(
      Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(3)], { description: 'ISO 9564-1 format, default 0' }),
    ),
  },
  strict,
);

export const Cvv2Body = Type.Object({ cvv: Type.String({ pattern: '^[0-9]{3}$' }) }, strict);

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }, strict);
export const ShipmentParams = Type.Object({ shipmentId: Type.String({ minLength: 1, maxLength: 100 }) }, strict);

export const GetCardQuery = Type.Object(
  {
    extend: Type.Optional(
      Type.String({
        pattern: '^(pan|cvv|name|expiration_date)(,(pan|cvv|name|expiration_date))*$',
        description: 'comma-separated: pan, cvv, name, expiration_date (PCI role)',
      }),
    ),
  },
  strict,
);

const list = (values: readonly string[]) =>
  Type.String({ pattern: `^(${values.join('|')})(,(${values.join('|')}))*$` });
const ids = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64})*$' });

export const SearchQuery = Type.Object(
  {
    'filter[card_type]': Type.Optional(list(CARD_TYPES)),
    'filter[user_id]': Type.Optional(ids),
    'filter[status]': Type.Optional(list(CARD_STATUSES)),
    'filter[status_detail]': Type.Optional(list(STATUS_REASONS)),
    'filter[affinity_group_id]': Type.Optional(ids),
    'filter[shipment_id]': Type.Optional(ids),
    'filter[innominate]': Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
    'filter[product_type]': Type.Optional(list(PRODUCT_TYPES)),
    'filter[product_provider]': Type.Optional(list(PROVIDERS)),
    'filter[country_code]': Type.Optional(Type.String({ pattern: '^[A-Z]{3}(,[A-Z]{3})*$' })),
    'page[size]': Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    'page[number]': Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
    sort: Type.Optional(
      Type.String({
        pattern:
          '^-?(card_type|user_id|status|affinity_group_id|status_detail|shipment_id|innominate|start_date)(,-?(card_type|user_id|status|affinity_group_id|status_detail|shipment_id|innominate|start_date))*$',
      }),
    ),
  },
  strict,
);
export type SearchQueryString = Static<typeof SearchQuery>;

export const IdempotencyHeaders = Type.Object({
  'x-idempotency-key': Type.String({
    pattern: '^[\\x21-\\x7e]{1,128}$',
    description: 'required on creating calls: the same key with the same payload returns the first response',
  }),
});
