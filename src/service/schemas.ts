// The request and response schemas (TypeBox, i.e. JSON Schema): Fastify validates requests and serializes
// responses with them, @fastify/swagger writes /openapi.json from them, and the typed client's types are derived
// from them (Static<…>). Field names follow seed 004 (snake_case); every object refuses unknown properties.
import { Type, type Static, type TLiteral, type TSchema, type TUnion } from '@sinclair/typebox';

const Str = (maxLength = 100, minLength = 1) => Type.String({ minLength, maxLength });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
function Enum<const T extends readonly [string, ...string[]]>(
  values: T,
  description?: string,
): TUnion<TLiteral<T[number]>[]> {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    description ? { description } : {},
  ) as TUnion<TLiteral<T[number]>[]>;
}

export const CARD_ID_PATTERN = '^crd-[A-Za-z0-9]{1,60}$';
export const CardId = Type.String({
  pattern: CARD_ID_PATTERN,
  description: 'public card id',
  examples: ['crd-2K4fXy3Qm9aBcDeFgHiJkLmNoPq'],
});
export const UserId = Type.String({
  pattern: '^[A-Za-z0-9_-]{1,64}$',
  description: 'the cardholder (user) id',
  examples: ['usr-1625758043579BAR6D4'],
});
export const GroupId = Type.String({ pattern: '^afg-[A-Za-z0-9_-]{1,60}$', description: 'affinity group id' });
export const ShipmentId = Type.String({ pattern: '^shi-[A-Za-z0-9]{1,60}$' });
export const Pan = Type.String({ pattern: '^[0-9]{12,19}$', description: 'the full PAN (PCI role only)' });
export const Pin = Type.String({
  pattern: '^[0-9]{4}$',
  description: 'a clear 4-digit PIN chosen by the cardholder (never echoed)',
});

export const CARD_STATUSES = ['CREATED', 'EMBOSSED', 'ACTIVE', 'BLOCKED', 'DISABLED'] as const;
export const STATUS_REASONS = [
  'CLIENT_INTERNAL_REASON',
  'USER_INTERNAL_REASON',
  'POMELO_INTERNAL_REASON',
  'PROVIDER_INTERNAL_REASON',
  'LOST',
  'STOLEN',
  'BROKEN',
  'UPGRADE',
] as const;
// The affinity-group vocabulary (seed 004), shared by the configuration and the request and response schemas.
export const CARD_TYPES = ['VIRTUAL', 'PHYSICAL'] as const;
export type CardType = (typeof CARD_TYPES)[number];
export const PRODUCT_TYPES = ['PREPAID', 'CREDIT', 'DEBIT'] as const;
export const PROVIDERS = ['MASTERCARD', 'VISA'] as const;
export const PAN_TOKEN_TYPES = ['NUMERIC', 'ALPHANUMERIC'] as const;
export const DISTRIBUTION_TYPES = ['CLIENT', 'WAREHOUSE', 'EXTERNAL'] as const;
export const JOB_STATUSES = ['PENDING', 'RUNNING', 'DONE', 'FAILED'] as const;
export const EXTENDS = ['pan', 'cvv', 'name', 'expiration_date'] as const;
export const SORTABLE = [
  'card_type',
  'user_id',
  'status',
  'affinity_group_id',
  'status_detail',
  'shipment_id',
  'innominate',
  'start_date',
] as const;
export const REISSUE_ACTIONS = ['LOST', 'STOLEN', 'DAMAGED', 'EXPIRED', 'EMERGENCY'] as const;

export const Address = Type.Object(
  {
    street_name: Str(),
    street_number: Type.Optional(Str(20)),
    floor: Type.Optional(Str(20)),
    apartment: Type.Optional(Str(20)),
    city: Str(),
    region: Str(),
    country: Str(),
    zip_code: Type.Optional(Str(20)),
    neighborhood: Type.Optional(Str()),
    additional_info: Type.Optional(Str(200)),
  },
  { additionalProperties: false, $id: 'Address' },
);

export const Receiver = Type.Object(
  {
    full_name: Str(),
    document_type: Enum(['DNI', 'LE', 'LC', 'CI', 'PASSPORT', 'CPF', 'RUT', 'CURP', 'OTHER'] as const),
    document_number: Type.String({ pattern: '^[A-Za-z0-9.-]{1,30}$' }),
    telephone_number: Type.Optional(Type.String({ pattern: '^[0-9+() -]{4,30}$' })),
  },
  { additionalProperties: false, $id: 'Receiver' },
);

export const ErrorEnvelope = Type.Object(
  {
    errors: Type.Array(
      Type.Object(
        { code: Type.String(), title: Type.String(), detail: Type.String(), field: Type.Optional(Type.String()) },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
  },
  { additionalProperties: false, $id: 'ErrorEnvelope', description: 'the error envelope of every failure' },
);

export const Card = Type.Object(
  {
    id: CardId,
    affinity_group_id: GroupId,
    affinity_group_name: Type.String(),
    card_type: Enum(CARD_TYPES),
    product_type: Enum(PRODUCT_TYPES),
    provider: Enum(PROVIDERS),
    status: Enum(CARD_STATUSES),
    status_detail: Nullable(Enum(STATUS_REASONS)),
    innominate: Type.Boolean(),
    shipment_id: Nullable(Type.String()),
    user_id: Nullable(Type.String()),
    start_date: Type.String({ description: 'YYYY-MM-DD' }),
    activated_at: Nullable(Type.String({ description: 'YYYY-MM-DD' })),
    last_four: Type.String({ pattern: '^[0-9]{4}$' }),
    country_code: Type.String(),
    previous_card_id: Nullable(Type.String()),
    pan: Type.Optional(Type.String({ description: 'extend=pan (PCI role)' })),
    cvv: Type.Optional(
      Type.String({ description: 'extend=cvv (PCI role): the CVV2, or the current dynamic CVV2 for a dcvv card' }),
    ),
    cvv_expiration_time: Type.Optional(
      Type.String({ description: 'with extend=cvv on a dcvv card: when the dynamic code expires (ISO 8601)' }),
    ),
    name: Type.Optional(Nullable(Type.String({ description: 'extend=name (PCI role): the embossed name' }))),
    expiration_date: Type.Optional(Type.String({ description: 'extend=expiration_date (PCI role): YYYY-MM' })),
  },
  { additionalProperties: false, $id: 'Card' },
);
export type CardView = Static<typeof Card>;

export const Pagination = Type.Object(
  { total_pages: Type.Integer(), current_page: Type.Integer(), page_size: Type.Integer(), total_count: Type.Integer() },
  { additionalProperties: false },
);

/** A body that names a card by its public id or, for the PCI role, by its PAN — exactly one of the two. */
export const CardSelector = {
  card_id: Type.Optional(CardId),
  pan: Type.Optional(Pan),
};

export const Shipment = Type.Object(
  { shipment_id: Type.String(), address: Nullable(Address), receiver: Type.Optional(Nullable(Receiver)) },
  { additionalProperties: false },
);

export const Batch = Type.Object(
  {
    id: Type.String(),
    shipment_id: Type.String(),
    affinity_group_id: GroupId,
    card_type: Type.Literal('PHYSICAL'),
    quantity: Type.Integer(),
    distribution_type: Enum(DISTRIBUTION_TYPES),
    status: Enum(JOB_STATUSES),
    issued: Type.Integer(),
  },
  { additionalProperties: false },
);

export const MassIssueJob = Type.Object(
  {
    id: Type.String(),
    affinity_group_id: GroupId,
    quantity: Type.Integer(),
    issued: Type.Integer(),
    status: Enum(JOB_STATUSES),
    expiration_date: Type.String(),
    service_code: Type.String(),
  },
  { additionalProperties: false },
);

export const MassIssueLine = Type.Object(
  {
    card_id: Type.String(),
    last_four: Type.String(),
    expiration_date: Type.String(),
    service_code: Type.String(),
    pan: Type.Optional(Type.String()),
    pan_token: Type.String(),
    cvv: Type.String(),
    cvv2: Type.String(),
    icvv: Type.String(),
    transport_kcv: Type.String(),
  },
  { additionalProperties: false, description: 'one line of the streamed result (application/x-ndjson)' },
);

export const AffinityGroup = Type.Object(
  {
    id: GroupId,
    name: Type.String(),
    status: Type.Literal('ACTIVE'),
    card_type_supported: Type.Array(Enum(CARD_TYPES)),
    innominate: Type.Boolean(),
    months_to_expiration: Type.Integer(),
    provider: Enum(PROVIDERS),
    product_type: Enum(PRODUCT_TYPES),
    country_code: Type.String(),
    activation_code_enabled: Type.Boolean(),
    dcvv_enabled: Type.Boolean(),
    external_shipping: Type.Boolean(),
    pin_on_creation: Type.Boolean(),
    pin_try_limit: Type.Integer(),
    pan_token_type: Enum(PAN_TOKEN_TYPES),
  },
  { additionalProperties: false },
);

export const SecurityValues = Type.Object(
  {
    card_id: Type.String(),
    cvv: Type.String({
      pattern: '^[0-9A-F]{16}$',
      description: 'CVV, F-padded to 8 bytes, TDES-ECB under the transport key',
    }),
    cvv2: Type.String({ pattern: '^[0-9A-F]{16}$' }),
    icvv: Type.String({ pattern: '^[0-9A-F]{16}$' }),
    pin: Type.Optional(
      Type.String({
        pattern: '^[0-9A-F]{16}$',
        description: 'with generate_pin: the new PIN as an ISO 9564 format 0 block, TDES-ECB under the transport key',
      }),
    ),
    transport_kcv: Type.String(),
  },
  { additionalProperties: false },
);

export const Data = <T extends TSchema>(t: T) => Type.Object({ data: t }, { additionalProperties: false });
export const DataMeta = <T extends TSchema, M extends TSchema>(t: T, m: M) =>
  Type.Object({ data: t, meta: m }, { additionalProperties: false });
export { Nullable, Enum };
