// The network boundary: every signed route refuses unsigned, mis-signed, expired and replayed requests (401), and
// callers outside its role (403) before any handler runs; a retry with the same idempotency key and a new nonce is
// a new, valid request. The OpenAPI document is valid 3.1 and lists every route. Fuzzing every route with random
// JSON (signed, so that it reaches validation and the handlers) yields only 4xx answers in the error envelope —
// never a 5xx, never a stack.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import Database from 'better-sqlite3';
import { Validator } from '@seriousme/openapi-schema-validator';
import { ROUTE_ACCESS, ROLES } from '../src/service/roles.js';
import { servedRoutes } from '../src/service/app.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hexToBytes } from '../src/index.js';
import { resolveConfig, startService } from '../src/service/main.js';
import { ADDRESS, GROUP, LMK_HEX, SECRETS, startTestService, testConfig, type TestService } from './helpers/service.js';

let svc: TestService;
let doc: {
  paths: Record<
    string,
    Record<
      string,
      {
        operationId?: string;
        requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
      }
    >
  >;
  openapi: string;
};
/** operationId -> [method, path template] from the OpenAPI document. */
const operations = new Map<string, { method: string; path: string; bodyKeys: string[] }>();

beforeAll(async () => {
  svc = await startTestService();
  doc = (await (await fetch(`${svc.url}/openapi.json`)).json()) as typeof doc;
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (op.operationId)
        operations.set(op.operationId, {
          method: method.toUpperCase(),
          path,
          bodyKeys: Object.keys(op.requestBody?.content['application/json']?.schema.properties ?? {}),
        });
    }
  }
});
afterAll(() => svc.close());

/** A request signed with node:crypto by the test itself (not by the client under test). */
async function signed(o: {
  method: string;
  path: string;
  body?: string;
  client?: string;
  secret?: string;
  timestamp?: number;
  nonce?: string;
  headers?: Record<string, string>;
  tamper?: (h: Record<string, string>) => void;
}) {
  const client = o.client ?? 'cli-all';
  const secret = o.secret ?? SECRETS[client]!;
  const ts = String(o.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = o.nonce ?? randomBytes(16).toString('hex');
  const bodyHash = createHash('sha256')
    .update(o.body ?? '')
    .digest('hex');
  const canonical = ['CARDHSM-HMAC-SHA256', o.method, o.path, ts, nonce, client, bodyHash].join('\n');
  const headers: Record<string, string> = {
    'x-cardhsm-client': client,
    'x-cardhsm-timestamp': ts,
    'x-cardhsm-nonce': nonce,
    'x-cardhsm-signature': createHmac('sha256', secret).update(canonical).digest('hex'),
    ...(o.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...o.headers,
  };
  o.tamper?.(headers);
  const r = await fetch(`${svc.url}${o.path}`, {
    method: o.method,
    headers,
    ...(o.body === undefined ? {} : { body: o.body }),
  });
  const text = await r.text();
  return {
    status: r.status,
    text,
    json: text ? (JSON.parse(text) as { errors?: Array<{ code: string; field?: string }> }) : undefined,
  };
}

const concrete = (path: string) => path.replace(/\{[^}]+\}/g, 'crd-nonexistent');

describe('signatures', () => {
  test('a correctly signed request passes; the raw signature is the documented HMAC', async () => {
    const r = await signed({ method: 'GET', path: `/cards/v1/config/affinity-groups/${GROUP}` });
    expect(r.status).toBe(200);
  });

  test('missing, malformed, wrong, for-another-request, unknown-client and tampered-body signatures are 401', async () => {
    const path = `/cards/v1/config/affinity-groups/${GROUP}`;
    const cases: Array<[string, Parameters<typeof signed>[0], string]> = [
      [
        'no headers',
        {
          method: 'GET',
          path,
          tamper: (h) => {
            for (const k of Object.keys(h)) delete h[k];
          },
        },
        'SIGNATURE_MISSING',
      ],
      [
        'bad timestamp',
        { method: 'GET', path, tamper: (h) => (h['x-cardhsm-timestamp'] = 'yesterday') },
        'SIGNATURE_MALFORMED',
      ],
      ['short nonce', { method: 'GET', path, nonce: 'abc' }, 'SIGNATURE_MALFORMED'],
      [
        'uppercase signature',
        { method: 'GET', path, tamper: (h) => (h['x-cardhsm-signature'] = h['x-cardhsm-signature']!.toUpperCase()) },
        'SIGNATURE_MALFORMED',
      ],
      ['wrong secret', { method: 'GET', path, secret: 'x'.repeat(40) }, 'SIGNATURE_INVALID'],
      ['unknown client', { method: 'GET', path, client: 'cli-ghost', secret: 'y'.repeat(40) }, 'SIGNATURE_INVALID'],
      [
        'another path',
        { method: 'GET', path, tamper: (h) => (h['x-cardhsm-client'] = 'cli-cards') },
        'SIGNATURE_INVALID',
      ],
    ];
    for (const [what, req, code] of cases) {
      const r = await signed(req);
      expect(r.status, what).toBe(401);
      expect(r.json?.errors?.[0]?.code, what).toBe(code);
    }
    // A body changed after signing: the signature covers the body's SHA-256.
    const ts = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(16).toString('hex');
    const body = JSON.stringify({ user_id: 'usr-1', affinity_group_id: GROUP, card_type: 'VIRTUAL' });
    const canonical = [
      'CARDHSM-HMAC-SHA256',
      'POST',
      '/cards/v1/',
      ts,
      nonce,
      'cli-all',
      createHash('sha256').update(body).digest('hex'),
    ].join('\n');
    const r = await fetch(`${svc.url}/cards/v1/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-idempotency-key': 'tamper-1',
        'x-cardhsm-client': 'cli-all',
        'x-cardhsm-timestamp': ts,
        'x-cardhsm-nonce': nonce,
        'x-cardhsm-signature': createHmac('sha256', SECRETS['cli-all']!).update(canonical).digest('hex'),
      },
      body: body.replace('VIRTUAL', 'PHYSICAL'),
    });
    expect(r.status).toBe(401);
  });

  test('timestamps outside ±300 s are refused; inside the window a nonce is good once (a replay is 401)', async () => {
    const path = `/cards/v1/config/affinity-groups/${GROUP}`;
    const now = Math.floor(Date.now() / 1000);
    expect((await signed({ method: 'GET', path, timestamp: now - 310 })).json?.errors?.[0]?.code).toBe(
      'SIGNATURE_EXPIRED',
    );
    expect((await signed({ method: 'GET', path, timestamp: now + 310 })).json?.errors?.[0]?.code).toBe(
      'SIGNATURE_EXPIRED',
    );
    expect((await signed({ method: 'GET', path, timestamp: now - 250 })).status).toBe(200);
    const nonce = randomBytes(16).toString('hex');
    expect((await signed({ method: 'GET', path, nonce, timestamp: now })).status).toBe(200);
    const replay = await signed({ method: 'GET', path, nonce, timestamp: now });
    expect(replay.status).toBe(401);
    expect(replay.json?.errors?.[0]?.code).toBe('SIGNATURE_REPLAYED');
    // Nonces are per client: another client may use the same string.
    expect((await signed({ method: 'GET', path, nonce, timestamp: now, client: 'cli-cards' })).status).toBe(200);
  });

  test('a retry with the same idempotency key and a new nonce is a new, valid request that returns the first response', async () => {
    const body = JSON.stringify({ user_id: 'usr-retry', affinity_group_id: GROUP, card_type: 'VIRTUAL' });
    const first = await signed({
      method: 'POST',
      path: '/cards/v1/',
      body,
      headers: { 'x-idempotency-key': 'retry-1' },
    });
    const retry = await signed({
      method: 'POST',
      path: '/cards/v1/',
      body,
      headers: { 'x-idempotency-key': 'retry-1' },
    });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.text).toBe(first.text);
  });
});

/** A signed GET of the test group with a chosen nonce (fetch, not the client: the nonce is the point). */
function signedGroupGet(url: string, nonce: string, timestamp: number): Promise<Response> {
  const path = `/cards/v1/config/affinity-groups/${GROUP}`;
  const canonical = [
    'CARDHSM-HMAC-SHA256',
    'GET',
    path,
    String(timestamp),
    nonce,
    'cli-all',
    createHash('sha256').update('').digest('hex'),
  ].join('\n');
  return fetch(`${url}${path}`, {
    headers: {
      'x-cardhsm-client': 'cli-all',
      'x-cardhsm-timestamp': String(timestamp),
      'x-cardhsm-nonce': nonce,
      'x-cardhsm-signature': createHmac('sha256', SECRETS['cli-all']!).update(canonical).digest('hex'),
    },
  });
}

test('a nonce spent before a restart is still refused after it (SQLite: written behind, reloaded at start)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cardhsm-nonce-'));
  try {
    const config = resolveConfig(testConfig({ store: `sqlite:${join(dir, 'n.db')}` }), {});
    const nonce = randomBytes(16).toString('hex');
    const timestamp = Math.floor(Date.now() / 1000);
    for (const expected of [200, 401]) {
      const s = await startService({ config, lmk: hexToBytes(LMK_HEX) });
      expect((await signedGroupGet(s.url, nonce, timestamp)).status).toBe(expected);
      await s.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SQLite: a written-behind nonce batch that does not parse fails signed calls closed (503), never open', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cardhsm-nonce-'));
  try {
    const file = join(dir, 'n.db');
    const config = resolveConfig(testConfig({ store: `sqlite:${file}` }), {});
    const first = await startService({ config, lmk: hexToBytes(LMK_HEX) });
    await first.close(); // the migrations have run
    const db = new Database(file);
    db.prepare('INSERT INTO svc_nonce_batches (expires_at, nonces) VALUES (?, ?)').run(Date.now() + 300_000, '[["cli');
    db.close();
    const s = await startService({ config, lmk: hexToBytes(LMK_HEX) });
    try {
      const r = await signedGroupGet(s.url, randomBytes(16).toString('hex'), Math.floor(Date.now() / 1000));
      expect(r.status).toBe(503);
      expect(((await r.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe('STORE_UNAVAILABLE');
    } finally {
      await s.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('roles', () => {
  test('every signed route: 403 for each client without its role, before validation; never 403 for a client with it', async () => {
    expect([...operations.keys()].filter((k) => k in ROUTE_ACCESS).sort()).toEqual(Object.keys(ROUTE_ACCESS).sort());
    for (const [operationId, access] of Object.entries(ROUTE_ACCESS)) {
      const { method, path } = operations.get(operationId)!;
      const body = method === 'GET' ? undefined : '{}';
      for (const role of ROLES) {
        const client = `cli-${role.replace('_', '-')}`;
        const r = await signed({ method, path: concrete(path), body, client });
        if (role === access.role) expect(r.status, `${operationId} as ${role}`).not.toBe(403);
        else {
          expect(r.status, `${operationId} as ${role}`).toBe(403);
          expect(r.json?.errors?.[0]?.code).toBe('FORBIDDEN');
        }
      }
    }
  });

  test('PCI-only inputs need pci even on a route the role may call', async () => {
    const card = await svc.all.createCard({
      user_id: 'usr-pci',
      affinity_group_id: GROUP,
      card_type: 'PHYSICAL',
      address: ADDRESS,
    });
    const pan = (await svc.all.getCard(card.id, { extend: ['pan'] })).pan!;
    expect((await signed({ method: 'GET', path: `/cards/v1/${card.id}?extend=cvv`, client: 'cli-cards' })).status).toBe(
      403,
    );
    expect(
      (
        await signed({
          method: 'POST',
          path: '/cards/embosser/card-pan-l8v2',
          body: JSON.stringify({ pan }),
          client: 'cli-cards',
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await signed({
          method: 'POST',
          path: '/cards/v1/activation',
          body: JSON.stringify({ pan, pin: '4929' }),
          client: 'cli-cards',
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await signed({
          method: 'POST',
          path: '/cards/pin/dynamic-values',
          body: JSON.stringify({ pan }),
          client: 'cli-cardholder',
        })
      ).status,
    ).toBe(403);
  });
});

describe('OpenAPI', () => {
  test('/openapi.json is public, valid OpenAPI 3.1, and documents every route with its schemas', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    for (const id of Object.keys(ROUTE_ACCESS)) expect(operations.has(id), id).toBe(true);
    for (const path of ['/healthz', '/readyz', '/metrics']) expect(doc.paths[path]?.get, path).toBeDefined();
    // Every route the running server serves is in the document with its method (the document itself aside).
    const served = servedRoutes.get(svc.service.app)!.filter((r) => r.url !== '/openapi.json');
    expect(served.length).toBe(Object.keys(ROUTE_ACCESS).length + 3);
    for (const r of served) {
      const template = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
      expect(doc.paths[template]?.[r.method.toLowerCase()], `${r.method} ${r.url}`).toBeDefined();
    }
    expect(doc.paths['/cards/v1/{id}']?.patch?.operationId).toBe('updateCard');
  });
});

describe('fuzz', () => {
  const json = fc.jsonValue({ maxDepth: 3 });
  const segment = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom('crd-x', 'crd-', '%00', '..', `crd-${'a'.repeat(70)}`),
  );

  test('every route with random JSON bodies and path ids: only 4xx, always the error envelope, never a stack', async () => {
    for (const [operationId, { method, path, bodyKeys }] of operations) {
      if (!(operationId in ROUTE_ACCESS)) continue;
      // Random JSON, and objects with the route's own keys holding random JSON (deeper into validation/handlers).
      const body =
        bodyKeys.length > 0
          ? fc.oneof(json, fc.dictionary(fc.constantFrom(...bodyKeys), json, { maxKeys: bodyKeys.length }))
          : json;
      await fc.assert(
        fc.asyncProperty(body, segment, async (b, id) => {
          const p = path.replace(/\{[^}]+\}/g, encodeURIComponent(id) || 'x');
          const r = await signed({
            method,
            path: p,
            ...(method !== 'GET' ? { body: JSON.stringify(b) } : {}),
            headers: { 'x-idempotency-key': `fuzz-${randomBytes(6).toString('hex')}` },
          });
          if (r.status < 400) return; // a random body may be valid (then it is a success)
          expect(r.status, `${operationId} ${r.text}`).toBeLessThan(500);
          expect(r.text).not.toMatch(/at .*\.(ts|js):\d+|stack/i);
          const errors = r.json?.errors;
          expect(Array.isArray(errors) && errors.length > 0 && typeof errors[0]!.code === 'string').toBe(true);
        }),
        { numRuns: 25 },
      );
    }
  }, 300_000);

  test('random query strings on the GET routes: only 4xx or success, never a 5xx', async () => {
    const card = await svc.all.createCard({ user_id: 'usr-q', affinity_group_id: GROUP, card_type: 'VIRTUAL' });
    const key = fc.oneof(
      fc.constantFrom(
        'extend',
        'sort',
        'filter[status]',
        'filter[innominate]',
        'page[size]',
        'page[number]',
        'filter[',
        'filter[]',
        '__proto__',
        'constructor',
      ),
      fc.string({ maxLength: 12 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(key, fc.string({ maxLength: 20 })), { maxLength: 4 }),
        fc.constantFrom(`/cards/v1/${card.id}`, '/cards/v1/'),
        async (pairs, base) => {
          const q = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
          const r = await signed({ method: 'GET', path: q ? `${base}?${q}` : base });
          expect(r.status, `${base}?${q} ${r.text}`).toBeLessThan(500);
          if (r.status >= 400) expect(r.json?.errors?.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 150 },
    );
  }, 120_000);

  test('malformed JSON, a wrong content type and an oversized body are 4xx envelopes too', async () => {
    const broken = await signed({ method: 'POST', path: '/cards/pin/validation', body: '{"card_id": ' });
    expect(broken.status).toBe(400);
    expect(broken.json?.errors?.[0]?.code).toBe('INVALID_JSON');
    const unsigned = await fetch(`${svc.url}/cards/pin/validation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"card_id": ',
    });
    expect(unsigned.status).toBe(401);
    const text = await fetch(`${svc.url}/cards/pin/validation`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(text.status).toBe(415);
    expect(((await text.json()) as { errors: unknown[] }).errors).toHaveLength(1);
    const big = await fetch(`${svc.url}/cards/v1/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ x: 'y'.repeat(2 << 20) }),
    });
    expect(big.status).toBe(413);
    const proto = await signed({
      method: 'POST',
      path: '/cards/pin/validation',
      body: '{"__proto__": {"x": 1}, "card_id": "crd-a", "pin_block": "0000000000000000"}',
    });
    expect(proto.status).toBe(400);
    const missing = await fetch(`${svc.url}/nowhere`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe('ROUTE_NOT_FOUND');
  });
});
