// cardhsm/client: a small fetch-based client of `cardhsm serve` for Node 20+ and browsers. It signs every request
// (HMAC-SHA-256 over method, path with query, timestamp, a fresh nonce, client id and the SHA-256 of the body,
// with Web Crypto) and exposes each endpoint with the request and response types of the service's own schemas
// (type-only imports: nothing of the server is loaded). Typed methods resolve with `data` (and `meta` where the
// endpoint has one) and reject with CardhsmApiError; `request()` signs any call and resolves for every status.
import type { Static } from '@sinclair/typebox';
import type * as R from '../service/requests.js';
import type * as S from '../service/schemas.js';

export const SIGNATURE_HEADERS = {
  client: 'x-cardhsm-client',
  timestamp: 'x-cardhsm-timestamp',
  nonce: 'x-cardhsm-nonce',
  signature: 'x-cardhsm-signature',
} as const;

export interface ClientOptions {
  /** The service's origin, e.g. http://127.0.0.1:8080 */
  url: string;
  clientId: string;
  secret: string;
  /** Seconds since the epoch for the signature (default: the local clock). */
  now?: () => number;
  fetch?: typeof fetch;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  /** The body parsed from JSON; the text when it is not JSON; undefined when empty. */
  body: unknown;
}

export interface ErrorItem {
  code: string;
  title: string;
  detail: string;
  field?: string;
}

/** A non-2xx answer of a typed method: the status and the error envelope's items. */
export class CardhsmApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: ErrorItem[],
  ) {
    super(`HTTP ${status}: ${errors.map((e) => `${e.code}${e.field ? ` (${e.field})` : ''}`).join(', ') || 'no error envelope'}`);
    this.name = 'CardhsmApiError';
  }
  /** The first error's code. */
  get code(): string | undefined {
    return this.errors[0]?.code;
  }
}

export type Card = S.CardView;
export type CreateCardInput = Static<typeof R.CreateCardBody>;
export type UpdateCardInput = Static<typeof R.UpdateCardBody>;
export type BatchInput = Static<typeof R.BatchBody>;
export type BatchShipmentInput = Static<typeof R.BatchShipmentBody>;
export type ActivationInput = Static<typeof R.ActivationBody>;
export type CardSelector = Static<typeof R.CardBody>;
export type EmbossingRecordInput = Static<typeof R.EmbossingRecordBody>;
export type MassIssueInput = Static<typeof R.MassIssueBody>;
export type ReissueInput = Static<typeof R.ReissueBody>;
export type SecurityValuesInput = Static<typeof R.SecurityValuesBody>;
export type InstantCardInput = Static<typeof R.InstantCardBody>;
export type PinValidationInput = Static<typeof R.PinValidationBody>;
export type SearchInput = Static<typeof R.SearchQuery>;
export type Address = Static<typeof S.Address>;
export type Batch = Static<typeof S.Batch>;
export type MassIssueJob = Static<typeof S.MassIssueJob>;
export type MassIssueLine = Static<typeof S.MassIssueLine>;
export type AffinityGroup = Static<typeof S.AffinityGroup>;
export type SecurityValues = Static<typeof S.SecurityValues>;
export type Pagination = Static<typeof S.Pagination>;
export type Extend = (typeof S.EXTENDS)[number];

const encoder = new TextEncoder();

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

function nonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_');
}

export class CardhsmClient {
  readonly #url: string;
  readonly #clientId: string;
  readonly #key: ReturnType<typeof crypto.subtle.importKey>;
  readonly #now: () => number;
  readonly #fetch: typeof fetch;

  constructor(options: ClientOptions) {
    if (typeof options?.url !== 'string' || typeof options.clientId !== 'string' || typeof options.secret !== 'string') {
      throw new TypeError('CardhsmClient expects { url, clientId, secret } strings');
    }
    this.#url = options.url.replace(/\/+$/, '');
    this.#clientId = options.clientId;
    this.#key = crypto.subtle.importKey('raw', encoder.encode(options.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    this.#now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /**
   * Signs and sends any call; resolves for every HTTP status (rejects only when no response arrives). `body` is
   * any JSON value (sent as application/json); `headers` are added (and may override the signature headers).
   */
  async request(method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<RawResponse> {
    const target = new URL(path, this.#url + '/');
    const pathWithQuery = target.pathname + target.search;
    const text = options.body === undefined ? undefined : JSON.stringify(options.body);
    const bytes = encoder.encode(text ?? '');
    const bodyHash = hex(await crypto.subtle.digest('SHA-256', bytes));
    const timestamp = String(this.#now());
    const n = nonce();
    const canonical = ['CARDHSM-HMAC-SHA256', method.toUpperCase(), pathWithQuery, timestamp, n, this.#clientId, bodyHash].join('\n');
    const signature = hex(await crypto.subtle.sign('HMAC', await this.#key, encoder.encode(canonical)));
    const headers: Record<string, string> = {
      [SIGNATURE_HEADERS.client]: this.#clientId,
      [SIGNATURE_HEADERS.timestamp]: timestamp,
      [SIGNATURE_HEADERS.nonce]: n,
      [SIGNATURE_HEADERS.signature]: signature,
      ...(text === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    };
    const response = await this.#fetch(target, { method: method.toUpperCase(), headers, ...(text === undefined ? {} : { body: text }) });
    const raw = await response.text();
    let body: unknown = raw.length === 0 ? undefined : raw;
    if (raw.length > 0 && (response.headers.get('content-type') ?? '').includes('json') && !(response.headers.get('content-type') ?? '').includes('ndjson')) {
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
    const r = await this.request(method, path, { ...(body === undefined ? {} : { body }), ...(idempotencyKey === undefined ? {} : { headers: { 'x-idempotency-key': idempotencyKey } }) });
    if (r.status >= 200 && r.status < 300) return r.body as T;
    const errors = (r.body as { errors?: ErrorItem[] } | undefined)?.errors;
    throw new CardhsmApiError(r.status, Array.isArray(errors) ? errors : []);
  }

  #key4(key: string | undefined): string {
    return key ?? crypto.randomUUID();
  }

  // ---- seed 004: /cards/v1 ---------------------------------------------------------------------------------------

  async createCard(input: CreateCardInput, options: { idempotencyKey?: string } = {}): Promise<Card> {
    return (await this.#call<{ data: Card }>('POST', '/cards/v1/', input, this.#key4(options.idempotencyKey))).data;
  }
  async getCard(id: string, options: { extend?: Extend[] } = {}): Promise<Card> {
    const q = options.extend && options.extend.length > 0 ? `?extend=${options.extend.join(',')}` : '';
    return (await this.#call<{ data: Card }>('GET', `/cards/v1/${encodeURIComponent(id)}${q}`)).data;
  }
  async updateCard(id: string, input: UpdateCardInput): Promise<Card> {
    return (await this.#call<{ data: Card }>('PATCH', `/cards/v1/${encodeURIComponent(id)}`, input)).data;
  }
  async updateCardShipment(id: string, address: Address): Promise<{ shipment_id: string; address: Address }> {
    return (await this.#call<{ data: { shipment_id: string; address: Address } }>('PUT', `/cards/v1/${encodeURIComponent(id)}/shipment`, { address })).data;
  }
  async searchCards(query: SearchInput = {}): Promise<{ data: Card[]; meta: { pagination: Pagination; filter: string[] } }> {
    const q = Object.entries(query)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
      .join('&');
    return this.#call('GET', `/cards/v1/${q ? `?${q}` : ''}`);
  }
  async createBatch(input: BatchInput, options: { idempotencyKey?: string } = {}): Promise<Batch> {
    return (await this.#call<{ data: Batch }>('POST', '/cards/v1/batches', input, this.#key4(options.idempotencyKey))).data;
  }
  async getBatch(id: string): Promise<Batch> {
    return (await this.#call<{ data: Batch }>('GET', `/cards/v1/batches/${encodeURIComponent(id)}`)).data;
  }
  async updateBatchShipment(shipmentId: string, input: BatchShipmentInput): Promise<unknown> {
    return (await this.#call<{ data: unknown }>('PUT', `/cards/v1/batches/shipments/${encodeURIComponent(shipmentId)}`, input)).data;
  }
  async activateCard(input: ActivationInput): Promise<{ id: string; status: 'ACTIVE' }> {
    return (await this.#call<{ data: { id: string; status: 'ACTIVE' } }>('POST', '/cards/v1/activation', input)).data;
  }
  async getAffinityGroup(id: string): Promise<AffinityGroup> {
    return (await this.#call<{ data: AffinityGroup }>('GET', `/cards/v1/config/affinity-groups/${encodeURIComponent(id)}`)).data;
  }
  async embossCard(id: string): Promise<{ id: string; status: 'EMBOSSED'; activation_code?: string }> {
    return (await this.#call<{ data: { id: string; status: 'EMBOSSED'; activation_code?: string } }>('POST', `/cards/v1/${encodeURIComponent(id)}/embossing`)).data;
  }
  async verifyCvv2(id: string, cvv: string): Promise<{ card_id: string; valid: boolean; cvv_type: 'STATIC' | 'DYNAMIC'; remaining_attempts: number; locked: boolean }> {
    return (await this.#call<{ data: { card_id: string; valid: boolean; cvv_type: 'STATIC' | 'DYNAMIC'; remaining_attempts: number; locked: boolean } }>('POST', `/cards/v1/${encodeURIComponent(id)}/cvv2/verifications`, { cvv })).data;
  }

  // ---- seed 000 --------------------------------------------------------------------------------------------------

  async addEmbossingRecord(input: EmbossingRecordInput, options: { idempotencyKey?: string } = {}): Promise<{ card_id: string; status: string; last_four: string; expiration_date: string; service_code: string; cardholder_name: string; shipment_id: string }> {
    return (await this.#call<{ data: never }>('POST', '/cards/embosser/l8vf', input, this.#key4(options.idempotencyKey))).data;
  }
  async massIssue(input: MassIssueInput, options: { idempotencyKey?: string } = {}): Promise<MassIssueJob> {
    return (await this.#call<{ data: MassIssueJob }>('POST', '/cards/mass-card-issue-L8V3', input, this.#key4(options.idempotencyKey))).data;
  }
  async getMassIssue(id: string): Promise<MassIssueJob> {
    return (await this.#call<{ data: MassIssueJob }>('GET', `/cards/mass-card-issue-L8V3/${encodeURIComponent(id)}`)).data;
  }
  /** The finished job's cards (the streamed JSON lines, parsed). */
  async massIssueCards(id: string): Promise<MassIssueLine[]> {
    const r = await this.request('GET', `/cards/mass-card-issue-L8V3/${encodeURIComponent(id)}/cards`);
    if (r.status !== 200) throw new CardhsmApiError(r.status, ((r.body as { errors?: ErrorItem[] }) ?? {}).errors ?? []);
    return String(r.body ?? '')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as MassIssueLine);
  }
  async reissueCard(input: ReissueInput, options: { idempotencyKey?: string } = {}): Promise<{ action: string; card: Card; previous_card_id: string | null }> {
    return (await this.#call<{ data: never }>('PUT', '/cards/embosser/cardAction-L8V2', input, this.#key4(options.idempotencyKey))).data;
  }
  async panToken(input: CardSelector): Promise<{ card_id: string; pan_token: string; token_type: 'NUMERIC' | 'ALPHANUMERIC' }> {
    return (await this.#call<{ data: never }>('POST', '/cards/embosser/card-pan-l8v2', input)).data;
  }
  async securityValues(input: SecurityValuesInput): Promise<SecurityValues> {
    return (await this.#call<{ data: SecurityValues }>('POST', '/cards/v1/pin/codes', input)).data;
  }
  async invalidPinAttempts(input: CardSelector): Promise<{ card_id: string; failed_attempts: number; remaining_attempts: number; locked: boolean; try_limit: number }> {
    return (await this.#call<{ data: never }>('POST', '/cards/pin/invalid-attempts', input)).data;
  }
  async dynamicValues(input: CardSelector): Promise<{ card_id: string; cvv: string; cvv_expiration_time: string }> {
    return (await this.#call<{ data: never }>('POST', '/cards/pin/dynamic-values', input)).data;
  }
  async instantCard(input: InstantCardInput, options: { idempotencyKey?: string } = {}): Promise<{ account: { id: string; user_id: string; status: string }; card: Card }> {
    return (await this.#call<{ data: never }>('POST', '/account/v2/instantCard', input, this.#key4(options.idempotencyKey))).data;
  }
  async validatePin(input: PinValidationInput): Promise<{ card_id: string; valid: boolean; remaining_attempts: number; locked: boolean }> {
    return (await this.#call<{ data: never }>('POST', '/cards/pin/validation', input)).data;
  }
}
