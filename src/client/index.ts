// cardhsm/client: a small fetch-based client of `cardhsm serve` for Node 20+ and browsers. It signs every request
// (HMAC-SHA-256 over method, path with query, timestamp, a fresh nonce, client id and the SHA-256 of the body,
// with Web Crypto, over service/signature.ts's canonical string) and exposes each endpoint with the request and
// response types of the service's own schemas (type-only imports: of the server's code only the dependency-free
// signature.ts is loaded). Typed methods resolve with `data` (and `meta` where the endpoint has one) and reject
// with CardhsmApiError; `request()` signs any call and resolves for every status.
import type { Static } from '@sinclair/typebox';
import type * as R from '../service/requests.js';
import type * as S from '../service/schemas.js';
import { canonicalString, SIGNATURE_HEADERS } from '../service/signature.js';

export { canonicalString, SIGNATURE_HEADERS };

/**
 * How a CardhsmClient reaches and signs for the service: its origin, the API client's id and secret (a
 * configuration's `clients[]`; the development service writes them to cardhsm-dev-client.json, as `dev` holds them
 * here), and optionally a clock and a fetch implementation. A clock more than 300 s off the server's is refused with
 * 401 SIGNATURE_EXPIRED, a wrong secret with 401 SIGNATURE_INVALID.
 * @example
 * const options = { url: dev.url, clientId: dev.clientId, secret: dev.secret }
 * (await new CardhsmClient(options).getAffinityGroup(dev.affinityGroupId)).id  // => 'afg-test'
 * await new CardhsmClient({ ...options, now: () => 1700000000 }).getAffinityGroup(dev.affinityGroupId).catch((e) => [e.status, e.code])  // => [401, 'SIGNATURE_EXPIRED']
 * await new CardhsmClient({ ...options, secret: 'x'.repeat(40) }).getAffinityGroup(dev.affinityGroupId).catch((e) => [e.status, e.code])  // => [401, 'SIGNATURE_INVALID']
 */
export interface ClientOptions {
  /** The service's origin, e.g. http://127.0.0.1:8080 (trailing slashes are dropped). */
  url: string;
  /** The API client's id (`cli-…`), sent in x-cardhsm-client. */
  clientId: string;
  /** The API client's secret (32-256 characters): the HMAC-SHA-256 key, as its UTF-8 bytes. Never sent. */
  secret: string;
  /** Seconds since the epoch for the signature (default: the local clock). */
  now?: () => number;
  /** The fetch to send with (default: globalThis.fetch), e.g. one with a proxy or a test double. */
  fetch?: typeof fetch;
}

/**
 * The answer of `request()`, for every HTTP status: the status, the response headers (lower-case names) and the
 * body (parsed JSON, the text of a non-JSON answer such as the mass-issue JSON lines, or undefined when empty).
 * @example
 * const r = await client.request('GET', `/cards/v1/config/affinity-groups/${dev.affinityGroupId}`)
 * [r.status, r.headers['content-type'], r.body.data.id]  // => [200, 'application/json; charset=utf-8', 'afg-test']
 * (await client.request('GET', '/cards/v1/?filter[colour]=red')).body  // => { errors: [{ code: 'UNKNOWN_PARAMETER', title: 'Bad Request', detail: 'unknown query parameter "filter[colour]"', field: 'filter[colour]' }] }
 */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  /** The body parsed from JSON; the text when it is not JSON; undefined when empty. */
  body: unknown;
}

/**
 * One item of the service's error envelope `{ errors: [...] }`: a stable code (e.g. CARD_NOT_FOUND,
 * PIN_POLICY_SEQUENCE_ASC, SIGNATURE_EXPIRED), the HTTP status's title, a detail for humans (never a PAN, PIN, key or
 * secret) and the field at fault, when there is one. CardhsmApiError carries them.
 * @example
 * await client.getCard('crd-doesnotexist').catch((e) => e.errors)  // => [{ code: 'CARD_NOT_FOUND', title: 'Not Found', detail: 'no card with this id', field: 'id' }]
 */
export interface ErrorItem {
  /** The stable code, e.g. CARD_NOT_FOUND: what a program tests. */
  code: string;
  /** The HTTP status's reason phrase, e.g. Not Found. */
  title: string;
  /** What went wrong, for a human. */
  detail: string;
  /** The field at fault: a body field, a path or query parameter, or a signature header. */
  field?: string;
}

/**
 * A non-2xx answer of a typed method: the HTTP status, the error envelope's items and `code`, the first item's code.
 * The message names the status and the codes (with their fields), never a value sent. Statuses: 400 (validation),
 * 401 (signature), 403 (role), 404, 409 (state, an idempotency key in flight), 422 (a business rule), 423 (locked),
 * 503 (the store cannot be reached).
 * @example
 * const e = await client.updateCard('crd-doesnotexist', { status: 'ACTIVE' }).catch((e) => e)
 * [e instanceof CardhsmApiError, e.status, e.code, e.message]  // => [true, 404, 'CARD_NOT_FOUND', 'HTTP 404: CARD_NOT_FOUND (id)']
 * await clientAs('cardholder').createCard({ user_id: 'usr-ana', affinity_group_id: dev.affinityGroupId, card_type: 'VIRTUAL' }).catch((e) => [e.status, e.code, e.errors[0].detail])  // => [403, 'FORBIDDEN', 'this call needs the cards role']
 */
export class CardhsmApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: ErrorItem[],
  ) {
    super(
      `HTTP ${status}: ${errors.map((e) => `${e.code}${e.field ? ` (${e.field})` : ''}`).join(', ') || 'no error envelope'}`,
    );
    this.name = 'CardhsmApiError';
  }
  /** The first error's code. */
  get code(): string | undefined {
    return this.errors[0]?.code;
  }
}

/**
 * A card as the API shows it (seed 004): public id (`crd-…`), affinity group, type, product, provider, status and
 * status reason, innominate, shipment, user, start and activation dates (YYYY-MM-DD), last four PAN digits, country,
 * previous card; with `extend` (pci role) also the PAN, CVV2 (the current dynamic one on a dcvv card, with its expiry
 * time), embossed name and expiration date (YYYY-MM). A VIRTUAL card is ACTIVE at once.
 * @example
 * const card = await client.createCard({ user_id: 'usr-ana', affinity_group_id: dev.affinityGroupId, card_type: 'VIRTUAL' })
 * [card.status, card.card_type, card.affinity_group_name, card.pan]  // => ['ACTIVE', 'VIRTUAL', 'TEST', undefined]
 * const number = (await client.getCard(card.id, { extend: ['pan'] })).pan
 * [number.slice(0, 8), number.slice(-4) === card.last_four, isLuhnValid(number)]  // => ['45717360', true, true]
 */
export type Card = S.CardView;
/**
 * The body of createCard (POST /cards/v1/, role cards): the user, the affinity group, VIRTUAL (ACTIVE at once) or
 * PHYSICAL (CREATED, with a shipping address unless the group ships externally), optionally the card it replaces
 * (disabled with UPGRADE when the new card is ACTIVE) and a 4-digit PIN where the group takes one. The same
 * idempotency key with the same body returns the first card; with another body 422 IDEMPOTENCY_KEY_REUSED.
 * @example
 * const input = { user_id: 'usr-ana', affinity_group_id: dev.affinityGroupId, card_type: 'PHYSICAL', address: { street_name: 'Av. Corrientes', street_number: '1234', city: 'Buenos Aires', region: 'CABA', country: 'ARG', zip_code: 'C1043' } }
 * const idempotencyKey = crypto.randomUUID()
 * const card = await client.createCard(input, { idempotencyKey })
 * [card.status, (await client.createCard(input, { idempotencyKey })).id === card.id]  // => ['CREATED', true]
 * await client.createCard({ ...input, address: undefined }).catch((e) => [e.status, e.code])  // => [422, 'ADDRESS_REQUIRED']
 */
export type CreateCardInput = Static<typeof R.CreateCardBody>;
/**
 * The body of updateCard (PATCH /cards/v1/{id}, role cards), at least one field: a status with a reason the seed
 * allows for it (BLOCKED: CLIENT_INTERNAL_REASON or USER_INTERNAL_REASON), an affinity group with the same BIN and key
 * set, or a new 4-digit PIN (checked against the PIN rules, never echoed).
 * @example
 * const { id } = await client.createCard({ user_id: 'usr-ana', affinity_group_id: dev.affinityGroupId, card_type: 'VIRTUAL' })
 * await client.updateCard(id, { status: 'BLOCKED' }).catch((e) => [e.status, e.code])  // => [422, 'INVALID_STATUS_REASON']
 * const blocked = await client.updateCard(id, { status: 'BLOCKED', status_reason: 'USER_INTERNAL_REASON' })
 * [blocked.status, blocked.status_detail]  // => ['BLOCKED', 'USER_INTERNAL_REASON']
 * await client.updateCard(id, { pin: '1111' }).catch((e) => [e.status, e.code])  // => [422, 'PIN_POLICY_REPEATED']
 */
export type UpdateCardInput = Static<typeof R.UpdateCardBody>;
/**
 * The body of createBatch (POST /cards/v1/batches, role cards): 1-1000 innominate PHYSICAL cards of a group that
 * allows them, issued by a durable job; distribution CLIENT (needs an address and a receiver), WAREHOUSE or EXTERNAL.
 * @example
 * const batch = await client.createBatch({ affinity_group_id: dev.affinityGroupId, quantity: 2, distribution_type: 'WAREHOUSE' })
 * [batch.quantity, batch.card_type, batch.distribution_type, batch.shipment_id.startsWith('shi-')]  // => [2, 'PHYSICAL', 'WAREHOUSE', true]
 * await client.createBatch({ affinity_group_id: dev.affinityGroupId, quantity: 2, distribution_type: 'CLIENT' }).catch((e) => [e.status, e.code])  // => [422, 'ADDRESS_REQUIRED']
 */
export type BatchInput = Static<typeof R.BatchBody>;
/**
 * The body of updateBatchShipment (PUT /cards/v1/batches/shipments/{shipmentId}, role cards): a new address, a new
 * receiver, or both, while every card of the batch is CREATED (then 409 INVALID_STATE). Resolves with the shipment.
 * @example
 * const batch = await client.createBatch({ affinity_group_id: dev.affinityGroupId, quantity: 1, distribution_type: 'WAREHOUSE' })
 * const receiver = { full_name: 'Gonzalo Iglesias', document_type: 'DNI', document_number: '35354896' }
 * await client.updateBatchShipment(batch.shipment_id, { receiver })  // => { shipment_id: batch.shipment_id, address: null, receiver }
 */
export type BatchShipmentInput = Static<typeof R.BatchShipmentBody>;
/**
 * The body of activateCard (POST /cards/v1/activation, role cards): the 10-digit activation code embossCard returned
 * (with `card_id`, so that wrong codes count towards the lock) or the PAN (pci role), and the PIN the cardholder
 * chooses (4 digits, not ascending, descending or repeated); `user_id` for an innominate card. EMBOSSED cards only.
 * @example
 * const card = await client.createCard({ user_id: 'usr-ana', affinity_group_id: dev.affinityGroupId, card_type: 'PHYSICAL', address: { street_name: 'Av. Corrientes', street_number: '1234', city: 'Buenos Aires', region: 'CABA', country: 'ARG', zip_code: 'C1043' } })
 * const { activation_code } = await client.embossCard(card.id)
 * await client.activateCard({ activation_code, pin: '1234' }).catch((e) => [e.status, e.code])  // => [422, 'PIN_POLICY_SEQUENCE_ASC']
 * await client.activateCard({ activation_code, pin: '4929' })  // => { id: card.id, status: 'ACTIVE' }
 */
export type ActivationInput = Static<typeof R.ActivationBody>;
/**
 * A body that names one card: by its public id (`card_id`) or, with the pci role, by its PAN — exactly one of the
 * two (else 400 CARD_SELECTOR). Taken by panToken, invalidPinAttempts and dynamicValues. The first example shows the
 * PAN token (FF1: the BIN's first 6 and the last 4 digits kept), the second the PIN attempts and a dynamic CVV2.
 * @example
 * const card = await client.createCard({ user_id: 'usr-ana', affinity_group_id: dev.affinityGroupId, card_type: 'VIRTUAL' })
 * const number = (await client.getCard(card.id, { extend: ['pan'] })).pan
 * const token = await client.panToken({ card_id: card.id })
 * [token.token_type, token.pan_token.slice(0, 6), token.pan_token.slice(-4) === card.last_four, (await client.panToken({ pan: number })).pan_token === token.pan_token]  // => ['NUMERIC', '457173', true, true]
 * await client.panToken({ card_id: card.id, pan: number }).catch((e) => [e.status, e.code])  // => [400, 'CARD_SELECTOR']
 * @example
 * const card = await client.createCard({ user_id: 'usr-ana', affinity_group_id: dev.affinityGroupId, card_type: 'VIRTUAL', pin: '4929' })
 * await client.invalidPinAttempts({ card_id: card.id })  // => { card_id: card.id, failed_attempts: 0, remaining_attempts: 3, locked: false, try_limit: 3 }
 * const dynamic = await client.dynamicValues({ card_id: card.id })
 * const shown = await client.getCard(card.id, { extend: ['cvv'] }) // the same code while its window lasts
 * shown.cvv_expiration_time === dynamic.cvv_expiration_time ? shown.cvv === dynamic.cvv : shown.cvv_expiration_time > dynamic.cvv_expiration_time  // => true
 */
export type CardSelector = Static<typeof R.CardBody>;
/**
 * The body of addEmbossingRecord (POST /cards/embosser/l8vf, role back_office): a PHYSICAL card record for the
 * embosser: group, embossed name (up to 26 characters A-Z, space, dot, hyphen), optional expiry (YYYY-MM; default the
 * group's months from now), service code (3 digits), user, account, delivery address (required unless the group ships
 * externally) and limits.
 * @example
 * const record = await client.addEmbossingRecord({ affinity_group_id: dev.affinityGroupId, cardholder_name: 'ANA GOMEZ', expiration_date: '2030-04', service_code: '201', address: { street_name: 'Av. Corrientes', street_number: '1234', city: 'Buenos Aires', region: 'CABA', country: 'ARG', zip_code: 'C1043' } })
 * [record.status, record.cardholder_name, record.expiration_date, record.service_code]  // => ['CREATED', 'ANA GOMEZ', '2030-04', '201']
 * (await client.getCard(record.card_id, { extend: ['name'] })).name  // => 'ANA GOMEZ'
 */
export type EmbossingRecordInput = Static<typeof R.EmbossingRecordBody>;
/**
 * The body of massIssue (POST /cards/mass-card-issue-L8V3, role back_office): 1-1,000,000 PHYSICAL cards of a group,
 * issued by a durable job, with an optional expiry (YYYY-MM) and service code (default the group's, 101).
 * @example
 * const job = await client.massIssue({ affinity_group_id: dev.affinityGroupId, quantity: 2, expiration_date: '2031-07' })
 * [job.quantity, job.expiration_date, job.service_code]  // => [2, '2031-07', '101']
 * await clientAs('cards').massIssue({ affinity_group_id: dev.affinityGroupId, quantity: 2 }).catch((e) => [e.status, e.code])  // => [403, 'FORBIDDEN']
 */
export type MassIssueInput = Static<typeof R.MassIssueBody>;
/**
 * The body of reissueCard (PUT /cards/embosser/cardAction-L8V2, role back_office): the card (CardSelector) and the
 * action: LOST or STOLEN make a new card with a new PAN and disable the old one with that reason; DAMAGED, EXPIRED
 * and EMERGENCY keep the card and its PAN with a new expiry.
 * @example
 * const card = await client.createCard({ user_id: 'usr-ana', affinity_group_id: dev.affinityGroupId, card_type: 'VIRTUAL' })
 * const lost = await client.reissueCard({ card_id: card.id, action: 'LOST' })
 * [lost.action, lost.previous_card_id === card.id, lost.card.id === card.id]  // => ['LOST', true, false]
 * (await client.getCard(card.id)).status_detail  // => 'LOST'
 */
export type ReissueInput = Static<typeof R.ReissueBody>;
/**
 * The body of securityValues (POST /cards/v1/pin/codes, role back_office): the card (CardSelector) and, with
 * `generate_pin: true`, a new random PIN set on the card and returned as an ISO 9564 format 0 block, TDES-ECB under
 * the client's transport key. The example decrypts it with the development client's transport key.
 * @example
 * const card = await client.createCard({ user_id: 'usr-ana', affinity_group_id: dev.affinityGroupId, card_type: 'VIRTUAL' })
 * const number = (await client.getCard(card.id, { extend: ['pan'] })).pan
 * const values = await client.securityValues({ card_id: card.id, generate_pin: true })
 * const newPin = decodePinBlockIso0(tdesDecryptEcb(hexToBytes(dev.transportKey), hexToBytes(values.pin)), number)
 * (await client.validatePin({ card_id: card.id, pin_block: bytesToHex(tdesEncryptEcb(hexToBytes(dev.pinKey), encodePinBlockIso0(newPin, number))) })).valid  // => true
 */
export type SecurityValuesInput = Static<typeof R.SecurityValuesBody>;
/**
 * The body of instantCard (POST /account/v2/instantCard, role cards): an account and an ACTIVE card at once, for a
 * user and a group; the card type defaults to VIRTUAL, and a 4-digit PIN may be set where the group takes one.
 * @example
 * const { account, card } = await client.instantCard({ user_id: 'usr-ana', affinity_group_id: dev.affinityGroupId, pin: '4929' })
 * [account.id.startsWith('acc-'), account.user_id, account.status]  // => [true, 'usr-ana', 'ACTIVE']
 * [card.status, card.card_type, card.user_id]  // => ['ACTIVE', 'VIRTUAL', 'usr-ana']
 */
export type InstantCardInput = Static<typeof R.InstantCardBody>;
/**
 * The body of validatePin (POST /cards/pin/validation, role authorization): the card (CardSelector) and the PIN
 * block (16 hex characters, TDES-encrypted under the client's zone PIN key), ISO 9564 format 0 by default or
 * `pin_block_format` 1 or 3. Each wrong PIN counts; at the group's try limit the card locks (then 423 PIN_LOCKED).
 * The example builds the blocks as a terminal does, with the development client's zone PIN key.
 * @example
 * const card = await client.createCard({ user_id: 'usr-ana', affinity_group_id: dev.affinityGroupId, card_type: 'VIRTUAL', pin: '4929' })
 * const number = (await client.getCard(card.id, { extend: ['pan'] })).pan
 * const block = (digits) => bytesToHex(tdesEncryptEcb(hexToBytes(dev.pinKey), encodePinBlockIso0(digits, number)))
 * await client.validatePin({ card_id: card.id, pin_block: block('4929') })  // => { card_id: card.id, valid: true, remaining_attempts: 3, locked: false }
 * await client.validatePin({ card_id: card.id, pin_block: block('1357') })  // => { card_id: card.id, valid: false, remaining_attempts: 2, locked: false }
 */
export type PinValidationInput = Static<typeof R.PinValidationBody>;
/**
 * The query of searchCards (GET /cards/v1/, role cards): `filter[…]` by card type, user, status, status detail,
 * group, shipment, innominate, product, provider or country (comma-separated lists), `page[size]` (1-100),
 * `page[number]` (from 0) and `sort` (fields, `-` for descending). An unknown parameter is 400 UNKNOWN_PARAMETER.
 * @example
 * await client.createCard({ user_id: 'usr-search', affinity_group_id: dev.affinityGroupId, card_type: 'VIRTUAL' })
 * await client.createCard({ user_id: 'usr-search', affinity_group_id: dev.affinityGroupId, card_type: 'PHYSICAL', address: { street_name: 'Av. Corrientes', street_number: '1234', city: 'Buenos Aires', region: 'CABA', country: 'ARG', zip_code: 'C1043' } })
 * const found = await client.searchCards({ 'filter[user_id]': 'usr-search', 'filter[status]': 'CREATED', sort: '-card_type' })
 * [found.data.map((card) => card.card_type), found.meta.filter.sort()]  // => [['PHYSICAL'], ['status', 'user_id']]
 */
export type SearchInput = Static<typeof R.SearchQuery>;
/**
 * A postal address (seed 004): street name, city, region and country required (1-100 characters); street number,
 * floor, apartment and zip code (up to 20), neighborhood and additional info optional. Physical cards, batches and
 * embosser records ship to one; updateCardShipment replaces a CREATED card's.
 * @example
 * const address = { street_name: 'Av. Corrientes', street_number: '1234', city: 'Buenos Aires', region: 'CABA', country: 'ARG', zip_code: 'C1043' }
 * const card = await client.createCard({ user_id: 'usr-ana', affinity_group_id: dev.affinityGroupId, card_type: 'PHYSICAL', address })
 * const moved = { ...address, street_name: 'Av. Santa Fe', street_number: '3253' }
 * await client.updateCardShipment(card.id, moved)  // => { shipment_id: card.shipment_id, address: moved }
 */
export type Address = Static<typeof S.Address>;
/**
 * A batch of innominate PHYSICAL cards (createBatch, getBatch): its id, shipment, group, quantity, distribution, the
 * job's status (PENDING, RUNNING, DONE, FAILED) and the cards issued so far. The example waits for the job.
 * @example
 * const { id } = await client.createBatch({ affinity_group_id: dev.affinityGroupId, quantity: 2, distribution_type: 'WAREHOUSE' })
 * let batch = await client.getBatch(id)
 * while (['PENDING', 'RUNNING'].includes(batch.status)) batch = await new Promise((r) => setTimeout(r, 100)).then(() => client.getBatch(id))
 * [batch.status, batch.issued]  // => ['DONE', 2]
 * (await client.searchCards({ 'filter[shipment_id]': batch.shipment_id })).data.every((card) => card.innominate && card.status === 'CREATED')  // => true
 */
export type Batch = Static<typeof S.Batch>;
/**
 * A mass-issue job (massIssue, getMassIssue): its id, group, quantity, cards issued so far, status (PENDING, RUNNING,
 * DONE, FAILED), expiry (YYYY-MM) and service code. The example waits for the job to finish.
 * @example
 * const { id } = await client.massIssue({ affinity_group_id: dev.affinityGroupId, quantity: 2, expiration_date: '2031-07' })
 * let job = await client.getMassIssue(id)
 * while (['PENDING', 'RUNNING'].includes(job.status)) job = await new Promise((r) => setTimeout(r, 100)).then(() => client.getMassIssue(id))
 * [job.status, job.issued, job.quantity]  // => ['DONE', 2, 2]
 */
export type MassIssueJob = Static<typeof S.MassIssueJob>;
/**
 * One card of a finished mass-issue job (massIssueCards): id, last four digits, expiry, service code, PAN token, the
 * PAN (pci role only), and the CVV, CVV2 and iCVV each F-padded to 8 bytes and TDES-ECB-encrypted under the
 * client's transport key (16 hex characters), with that key's KCV. The example decrypts a CVV2 with the development
 * client's transport key.
 * @example
 * const { id } = await client.massIssue({ affinity_group_id: dev.affinityGroupId, quantity: 2 })
 * while (['PENDING', 'RUNNING'].includes((await client.getMassIssue(id)).status)) await new Promise((r) => setTimeout(r, 100))
 * const [line] = await client.massIssueCards(id)
 * [line.pan.slice(-4) === line.last_four, line.transport_kcv === keyCheckValue(hexToBytes(dev.transportKey))]  // => [true, true]
 * bytesToHex(tdesDecryptEcb(hexToBytes(dev.transportKey), hexToBytes(line.cvv2))) === `${(await client.getCard(line.card_id, { extend: ['cvv'] })).cvv}FFFFFFFFFFFFF`  // => true
 */
export type MassIssueLine = Static<typeof S.MassIssueLine>;
/**
 * An affinity group as the API shows it (getAffinityGroup, GET /cards/v1/config/affinity-groups/{id}, role cards):
 * its settings from the configuration, never its keys.
 * @example
 * const group = await client.getAffinityGroup(dev.affinityGroupId)
 * [group.card_type_supported, group.months_to_expiration, group.pin_try_limit, group.pan_token_type]  // => [['VIRTUAL', 'PHYSICAL'], 36, 3, 'NUMERIC']
 * await client.getAffinityGroup('afg-nope').catch((e) => [e.status, e.code])  // => [404, 'AFFINITY_GROUP_NOT_FOUND']
 */
export type AffinityGroup = Static<typeof S.AffinityGroup>;
/**
 * A card's security values (securityValues): the CVV, CVV2 and iCVV, each F-padded to 8 bytes and TDES-ECB-encrypted
 * under the calling client's transport key (16 uppercase hex characters), that key's KCV, and with `generate_pin` the
 * new PIN block. The example decrypts the CVV2 with the development client's transport key (README "Five minutes with
 * the client" does the same with OpenSSL).
 * @example
 * const card = await client.createCard({ user_id: 'usr-ana', affinity_group_id: dev.affinityGroupId, card_type: 'VIRTUAL' })
 * const values = await client.securityValues({ card_id: card.id })
 * [values.transport_kcv, values.transport_kcv === keyCheckValue(hexToBytes(dev.transportKey))]  // => ['5CAFF2', true]
 * bytesToHex(tdesDecryptEcb(hexToBytes(dev.transportKey), hexToBytes(values.cvv2))) === `${(await client.getCard(card.id, { extend: ['cvv'] })).cvv}FFFFFFFFFFFFF`  // => true
 */
export type SecurityValues = Static<typeof S.SecurityValues>;
/**
 * The `meta.pagination` of searchCards: pages counted from 0, the page size and the total count of matching cards.
 * @example
 * for (let i = 0; i < 3; i++) await client.createCard({ user_id: 'usr-pages', affinity_group_id: dev.affinityGroupId, card_type: 'VIRTUAL' })
 * const page = await client.searchCards({ 'filter[user_id]': 'usr-pages', 'page[size]': 2, 'page[number]': 1 })
 * [page.data.length, page.meta.pagination]  // => [1, { total_pages: 2, current_page: 1, page_size: 2, total_count: 3 }]
 */
export type Pagination = Static<typeof S.Pagination>;
/**
 * What getCard may add to a card (`extend`, pci role only, else 403): `pan`, `cvv` (the CVV2, or a dcvv card's
 * current dynamic code), `name` (the embossed name) and `expiration_date` (YYYY-MM).
 * @example
 * const { id } = await client.createCard({ user_id: 'usr-ana', affinity_group_id: dev.affinityGroupId, card_type: 'VIRTUAL' })
 * const card = await client.getCard(id, { extend: ['pan', 'cvv', 'expiration_date'] })
 * [card.pan.length, /^[0-9]{3}$/.test(card.cvv), /^20[0-9]{2}-[0-9]{2}$/.test(card.expiration_date)]  // => [16, true, true]
 * await clientAs('cards').getCard(id, { extend: ['pan'] }).catch((e) => [e.status, e.code])  // => [403, 'FORBIDDEN']
 */
export type Extend = (typeof S.EXTENDS)[number];

const encoder = new TextEncoder();

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

function nonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}

/**
 * A client of `cardhsm serve`: one typed method per endpoint, each request signed (SIGNATURE_HEADERS) with Web
 * Crypto, so it runs in Node 20+ and browsers. Typed methods resolve with the answer's `data` (searchCards with
 * `data` and `meta`) and reject with CardhsmApiError for a non-2xx status; creating methods send a random
 * x-idempotency-key unless given one; `request()` signs any call and resolves for every status. The input types
 * (CreateCardInput, PinValidationInput, …) show each method in use.
 *
 * @throws TypeError (from the constructor) unless `url`, `clientId` and `secret` are strings.
 * @example
 * const api = new CardhsmClient({ url: dev.url, clientId: dev.clientId, secret: dev.secret })
 * const card = await api.createCard({ user_id: 'usr-ana', affinity_group_id: dev.affinityGroupId, card_type: 'VIRTUAL' })
 * const { cvv } = await api.getCard(card.id, { extend: ['cvv'] })
 * await api.verifyCvv2(card.id, cvv)  // => { card_id: card.id, valid: true, cvv_type: 'STATIC', remaining_attempts: 5, locked: false }
 * (() => { try { new CardhsmClient({ url: dev.url }) } catch (e) { return e.message } })()  // => 'CardhsmClient expects { url, clientId, secret } strings'
 */
export class CardhsmClient {
  readonly #url: string;
  readonly #clientId: string;
  readonly #key: ReturnType<typeof crypto.subtle.importKey>;
  readonly #now: () => number;
  readonly #fetch: typeof fetch;

  /** A client for `options.url` signing as `options.clientId`; the secret is imported as a non-extractable HMAC key. */
  constructor(options: ClientOptions) {
    if (
      typeof options?.url !== 'string' ||
      typeof options.clientId !== 'string' ||
      typeof options.secret !== 'string'
    ) {
      throw new TypeError('CardhsmClient expects { url, clientId, secret } strings');
    }
    this.#url = options.url.replace(/\/+$/, '');
    this.#clientId = options.clientId;
    this.#key = crypto.subtle.importKey(
      'raw',
      encoder.encode(options.secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    this.#now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /**
   * Signs and sends any call; resolves for every HTTP status (rejects only when no response arrives). `path` is the
   * path with its query, as signed and sent; `body` is any JSON value (sent as application/json); `headers` are added
   * (and may override the signature headers). See RawResponse.
   */
  async request(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<RawResponse> {
    const target = new URL(path, `${this.#url}/`);
    const pathWithQuery = target.pathname + target.search;
    const text = options.body === undefined ? undefined : JSON.stringify(options.body);
    const bytes = encoder.encode(text ?? '');
    const bodyHash = hex(await crypto.subtle.digest('SHA-256', bytes));
    const timestamp = String(this.#now());
    const n = nonce();
    const canonical = canonicalString(method, pathWithQuery, timestamp, n, this.#clientId, bodyHash);
    const signature = hex(await crypto.subtle.sign('HMAC', await this.#key, encoder.encode(canonical)));
    const headers: Record<string, string> = {
      [SIGNATURE_HEADERS.client]: this.#clientId,
      [SIGNATURE_HEADERS.timestamp]: timestamp,
      [SIGNATURE_HEADERS.nonce]: n,
      [SIGNATURE_HEADERS.signature]: signature,
      ...(text === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    };
    const response = await this.#fetch(target, {
      method: method.toUpperCase(),
      headers,
      ...(text === undefined ? {} : { body: text }),
    });
    const raw = await response.text();
    let body: unknown = raw.length === 0 ? undefined : raw;
    if (
      raw.length > 0 &&
      (response.headers.get('content-type') ?? '').includes('json') &&
      !(response.headers.get('content-type') ?? '').includes('ndjson')
    ) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const out: Record<string, string> = {};
    response.headers.forEach((v, k) => {
      out[k] = v;
    });
    return { status: response.status, headers: out, body };
  }

  async #call<T>(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
    const r = await this.request(method, path, {
      ...(body === undefined ? {} : { body }),
      ...(idempotencyKey === undefined ? {} : { headers: { 'x-idempotency-key': idempotencyKey } }),
    });
    if (r.status >= 200 && r.status < 300) return r.body as T;
    const errors = (r.body as { errors?: ErrorItem[] } | undefined)?.errors;
    throw new CardhsmApiError(r.status, Array.isArray(errors) ? errors : []);
  }

  #key4(key: string | undefined): string {
    return key ?? crypto.randomUUID();
  }

  // ---- seed 004: /cards/v1 ---------------------------------------------------------------------------------------

  /** POST /cards/v1/ (role cards): a nominated card (CreateCardInput); 201 with the card. */
  async createCard(input: CreateCardInput, options: { idempotencyKey?: string } = {}): Promise<Card> {
    return (await this.#call<{ data: Card }>('POST', '/cards/v1/', input, this.#key4(options.idempotencyKey))).data;
  }
  /** GET /cards/v1/{id} (role cards; `extend` needs pci, see Extend): the card, 404 CARD_NOT_FOUND. */
  async getCard(id: string, options: { extend?: Extend[] } = {}): Promise<Card> {
    const q = options.extend && options.extend.length > 0 ? `?extend=${options.extend.join(',')}` : '';
    return (await this.#call<{ data: Card }>('GET', `/cards/v1/${encodeURIComponent(id)}${q}`)).data;
  }
  /** PATCH /cards/v1/{id} (role cards): status with reason, group or PIN (UpdateCardInput); the updated card. */
  async updateCard(id: string, input: UpdateCardInput): Promise<Card> {
    return (await this.#call<{ data: Card }>('PATCH', `/cards/v1/${encodeURIComponent(id)}`, input)).data;
  }
  /** PUT /cards/v1/{id}/shipment (role cards): a CREATED physical nominated card's new address (Address). */
  async updateCardShipment(id: string, address: Address): Promise<{ shipment_id: string; address: Address }> {
    return (
      await this.#call<{ data: { shipment_id: string; address: Address } }>(
        'PUT',
        `/cards/v1/${encodeURIComponent(id)}/shipment`,
        { address },
      )
    ).data;
  }
  /** GET /cards/v1/ (role cards): cards by filters, a page of them and the filters applied (SearchInput, Pagination). */
  async searchCards(
    query: SearchInput = {},
  ): Promise<{ data: Card[]; meta: { pagination: Pagination; filter: string[] } }> {
    const q = Object.entries(query)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
      .join('&');
    return this.#call('GET', `/cards/v1/${q ? `?${q}` : ''}`);
  }
  /** POST /cards/v1/batches (role cards): a durable job issuing innominate physical cards (BatchInput); 202 with the Batch. */
  async createBatch(input: BatchInput, options: { idempotencyKey?: string } = {}): Promise<Batch> {
    return (await this.#call<{ data: Batch }>('POST', '/cards/v1/batches', input, this.#key4(options.idempotencyKey)))
      .data;
  }
  /** GET /cards/v1/batches/{id} (role cards): the batch and its job's progress (Batch). */
  async getBatch(id: string): Promise<Batch> {
    return (await this.#call<{ data: Batch }>('GET', `/cards/v1/batches/${encodeURIComponent(id)}`)).data;
  }
  /** PUT /cards/v1/batches/shipments/{shipmentId} (role cards): a batch's new address or receiver (BatchShipmentInput). */
  async updateBatchShipment(shipmentId: string, input: BatchShipmentInput): Promise<unknown> {
    return (
      await this.#call<{ data: unknown }>('PUT', `/cards/v1/batches/shipments/${encodeURIComponent(shipmentId)}`, input)
    ).data;
  }
  /** POST /cards/v1/activation (role cards; by PAN also pci): an EMBOSSED card becomes ACTIVE with a PIN (ActivationInput). */
  async activateCard(input: ActivationInput): Promise<{ id: string; status: 'ACTIVE' }> {
    return (await this.#call<{ data: { id: string; status: 'ACTIVE' } }>('POST', '/cards/v1/activation', input)).data;
  }
  /** GET /cards/v1/config/affinity-groups/{id} (role cards): the group's settings (AffinityGroup). */
  async getAffinityGroup(id: string): Promise<AffinityGroup> {
    return (
      await this.#call<{ data: AffinityGroup }>('GET', `/cards/v1/config/affinity-groups/${encodeURIComponent(id)}`)
    ).data;
  }
  /**
   * POST /cards/v1/{id}/embossing (role back_office): the plastic is made, CREATED -> EMBOSSED; a new 10-digit
   * activation code is returned once (where the group activates by code). See ActivationInput.
   */
  async embossCard(id: string): Promise<{ id: string; status: 'EMBOSSED'; activation_code?: string }> {
    return (
      await this.#call<{ data: { id: string; status: 'EMBOSSED'; activation_code?: string } }>(
        'POST',
        `/cards/v1/${encodeURIComponent(id)}/embossing`,
      )
    ).data;
  }
  /**
   * POST /cards/v1/{id}/cvv2/verifications (role authorization): checks a 3-digit CVV2 (static, or dynamic on a dcvv
   * card); wrong ones count, and at the limit the card locks (423). See CardhsmClient.
   */
  async verifyCvv2(
    id: string,
    cvv: string,
  ): Promise<{
    card_id: string;
    valid: boolean;
    cvv_type: 'STATIC' | 'DYNAMIC';
    remaining_attempts: number;
    locked: boolean;
  }> {
    return (
      await this.#call<{
        data: {
          card_id: string;
          valid: boolean;
          cvv_type: 'STATIC' | 'DYNAMIC';
          remaining_attempts: number;
          locked: boolean;
        };
      }>('POST', `/cards/v1/${encodeURIComponent(id)}/cvv2/verifications`, { cvv })
    ).data;
  }

  // ---- seed 000 --------------------------------------------------------------------------------------------------

  /** POST /cards/embosser/l8vf (role back_office): a physical card record for the embosser (EmbossingRecordInput). */
  async addEmbossingRecord(
    input: EmbossingRecordInput,
    options: { idempotencyKey?: string } = {},
  ): Promise<{
    card_id: string;
    status: string;
    last_four: string;
    expiration_date: string;
    service_code: string;
    cardholder_name: string;
    shipment_id: string;
  }> {
    return (
      await this.#call<{ data: never }>('POST', '/cards/embosser/l8vf', input, this.#key4(options.idempotencyKey))
    ).data;
  }
  /** POST /cards/mass-card-issue-L8V3 (role back_office): a durable mass-issue job (MassIssueInput, MassIssueJob). */
  async massIssue(input: MassIssueInput, options: { idempotencyKey?: string } = {}): Promise<MassIssueJob> {
    return (
      await this.#call<{ data: MassIssueJob }>(
        'POST',
        '/cards/mass-card-issue-L8V3',
        input,
        this.#key4(options.idempotencyKey),
      )
    ).data;
  }
  /** GET /cards/mass-card-issue-L8V3/{id} (role back_office): the job's progress (MassIssueJob). */
  async getMassIssue(id: string): Promise<MassIssueJob> {
    return (await this.#call<{ data: MassIssueJob }>('GET', `/cards/mass-card-issue-L8V3/${encodeURIComponent(id)}`))
      .data;
  }
  /**
   * GET /cards/mass-card-issue-L8V3/{id}/cards (role back_office): the finished job's cards, the streamed JSON lines
   * parsed (MassIssueLine); 409 JOB_NOT_DONE before the job is DONE.
   */
  async massIssueCards(id: string): Promise<MassIssueLine[]> {
    const r = await this.request('GET', `/cards/mass-card-issue-L8V3/${encodeURIComponent(id)}/cards`);
    if (r.status !== 200)
      throw new CardhsmApiError(r.status, (r.body as { errors?: ErrorItem[] } | null)?.errors ?? []);
    return String(r.body ?? '')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as MassIssueLine);
  }
  /** PUT /cards/embosser/cardAction-L8V2 (role back_office): reissue after LOST, STOLEN, DAMAGED… (ReissueInput). */
  async reissueCard(
    input: ReissueInput,
    options: { idempotencyKey?: string } = {},
  ): Promise<{ action: string; card: Card; previous_card_id: string | null }> {
    return (
      await this.#call<{ data: never }>(
        'PUT',
        '/cards/embosser/cardAction-L8V2',
        input,
        this.#key4(options.idempotencyKey),
      )
    ).data;
  }
  /** POST /cards/embosser/card-pan-l8v2 (role cards): the card's PAN token, FF1, numeric or alphanumeric (CardSelector). */
  async panToken(
    input: CardSelector,
  ): Promise<{ card_id: string; pan_token: string; token_type: 'NUMERIC' | 'ALPHANUMERIC' }> {
    return (await this.#call<{ data: never }>('POST', '/cards/embosser/card-pan-l8v2', input)).data;
  }
  /** POST /cards/v1/pin/codes (role back_office): CVV, CVV2, iCVV (and a new PIN) under the transport key (SecurityValuesInput). */
  async securityValues(input: SecurityValuesInput): Promise<SecurityValues> {
    return (await this.#call<{ data: SecurityValues }>('POST', '/cards/v1/pin/codes', input)).data;
  }
  /** POST /cards/pin/invalid-attempts (role cardholder): the card's wrong-PIN count and lock (CardSelector). */
  async invalidPinAttempts(input: CardSelector): Promise<{
    card_id: string;
    failed_attempts: number;
    remaining_attempts: number;
    locked: boolean;
    try_limit: number;
  }> {
    return (await this.#call<{ data: never }>('POST', '/cards/pin/invalid-attempts', input)).data;
  }
  /** POST /cards/pin/dynamic-values (role cardholder): the current dynamic CVV2 and when it expires (CardSelector). */
  async dynamicValues(input: CardSelector): Promise<{ card_id: string; cvv: string; cvv_expiration_time: string }> {
    return (await this.#call<{ data: never }>('POST', '/cards/pin/dynamic-values', input)).data;
  }
  /** POST /account/v2/instantCard (role cards): an account and an ACTIVE card at once (InstantCardInput). */
  async instantCard(
    input: InstantCardInput,
    options: { idempotencyKey?: string } = {},
  ): Promise<{ account: { id: string; user_id: string; status: string }; card: Card }> {
    return (
      await this.#call<{ data: never }>('POST', '/account/v2/instantCard', input, this.#key4(options.idempotencyKey))
    ).data;
  }
  /** POST /cards/pin/validation (role authorization): checks a PIN block, counted and locked (PinValidationInput). */
  async validatePin(
    input: PinValidationInput,
  ): Promise<{ card_id: string; valid: boolean; remaining_attempts: number; locked: boolean }> {
    return (await this.#call<{ data: never }>('POST', '/cards/pin/validation', input)).data;
  }
}
