// cardhsm/client in a browser, against a real service on loopback: the built client (dist/, served as ES modules)
// runs in Debian's Chromium on a page of one origin and calls the service on another. The service lists the first
// origin in cors.origins: that page creates a card, reads it back, reads a signed error's envelope and the
// idempotent-replay header. A page of an unlisted origin reads no answer at all (the browser refuses: fetch
// rejects). A service without cors.origins sends no CORS header and has no preflight route.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from './helpers/chromium.js';
import { serveStatic, type StaticServer } from './helpers/static-server.js';
import { GROUP, SECRETS, startTestService, testConfig, type TestService } from './helpers/service.js';
import { resolveConfig } from '../src/service/main.js';
import { SIGNATURE_HEADERS } from '../src/service/signature.js';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
let chromium: Browser;
let listed: StaticServer;
let unlisted: StaticServer;
let svc: TestService;

beforeAll(async () => {
  [chromium, listed, unlisted] = await Promise.all([launchChromium(), serveStatic(dist), serveStatic(dist)]);
  svc = await startTestService({ corsOrigins: [new URL(listed.url).origin] });
});

afterAll(async () => {
  await chromium?.close();
  await listed?.close();
  await unlisted?.close();
  await svc?.close();
});

/**
 * What the page runs (a string, so that the test runner's transform leaves its dynamic import alone): the client
 * creates a card, reads it back, sends a bad signature and the same idempotency key twice.
 */
const PAGE_SCRIPT = `async ({ module, url, secret, group, signatureHeader }) => {
  try {
    const { CardhsmClient } = await import(module);
    const client = new CardhsmClient({ url, clientId: 'cli-all', secret });
    const body = { user_id: 'usr-browser', affinity_group_id: group, card_type: 'VIRTUAL' };
    const card = await client.createCard(body);
    const read = await client.getCard(card.id);
    const bad = await client.request('GET', '/cards/v1/' + card.id, { headers: { [signatureHeader]: '0'.repeat(64) } });
    const key = crypto.randomUUID();
    const first = await client.request('POST', '/cards/v1/', { body, headers: { 'x-idempotency-key': key } });
    const again = await client.request('POST', '/cards/v1/', { body, headers: { 'x-idempotency-key': key } });
    return {
      created: card.id,
      read: read.id,
      badStatus: bad.status,
      badCode: bad.body.errors[0].code,
      sameCard: first.body.data.id === again.body.data.id,
      replayHeader: again.headers['x-idempotent-replay'],
    };
  } catch (e) {
    return { failed: e.name + ': ' + e.message };
  }
}`;

/** Runs PAGE_SCRIPT in a page of `site`'s origin. */
async function inPage(site: StaticServer): Promise<Record<string, unknown>> {
  const page = await chromium.newPage();
  try {
    await page.goto(`${site.url}client/`); // any page of the origin: the module is imported by the script
    const args = {
      module: `${site.url}client/index.js`,
      url: svc.url,
      secret: SECRETS['cli-all']!,
      group: GROUP,
      signatureHeader: SIGNATURE_HEADERS.signature,
    };
    return await page.evaluate(`(${PAGE_SCRIPT})(${JSON.stringify(args)})`);
  } finally {
    await page.close();
  }
}

test('a page of a listed origin: the client creates and reads a card, reads a 401 envelope and the replay header', async () => {
  const r = await inPage(listed);
  expect(r).not.toHaveProperty('failed');
  expect(r).toMatchObject({ badStatus: 401, badCode: 'SIGNATURE_INVALID', sameCard: true, replayHeader: 'true' });
  expect(r.read).toBe(r.created);
  expect((await svc.all.getCard(r.created as string)).user_id).toBe('usr-browser');
});

test('a page of an unlisted origin reads nothing: the browser refuses the answer (fetch rejects)', async () => {
  const r = await inPage(unlisted);
  expect(r).toEqual({ failed: 'TypeError: Failed to fetch' });
});

test('preflight: answered unsigned for a listed origin with the signature headers allowed; nothing for others', async () => {
  const preflight = (origin: string) =>
    fetch(`${svc.url}/cards/v1/`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': `content-type,x-idempotency-key,${Object.values(SIGNATURE_HEADERS).join(',')}`,
      },
    });
  const ok = await preflight(new URL(listed.url).origin);
  expect(ok.status).toBe(204);
  expect(ok.headers.get('access-control-allow-origin')).toBe(new URL(listed.url).origin);
  expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
  const allowed = (ok.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/\s*,\s*/);
  for (const h of [...Object.values(SIGNATURE_HEADERS), 'x-idempotency-key', 'content-type'])
    expect(allowed).toContain(h);
  expect(ok.headers.get('access-control-allow-methods')).toContain('PATCH');
  const other = await preflight(new URL(unlisted.url).origin);
  expect(other.headers.get('access-control-allow-origin')).toBeNull();
  // An unsigned GET from the listed origin is still refused; the refusal carries the CORS header so the page reads it.
  const unsigned = await fetch(`${svc.url}/cards/v1/config/affinity-groups/${GROUP}`, {
    headers: { origin: new URL(listed.url).origin },
  });
  expect(unsigned.status).toBe(401);
  expect(unsigned.headers.get('access-control-allow-origin')).toBe(new URL(listed.url).origin);
});

test('without cors.origins: no CORS header on any answer and no preflight route', async () => {
  const plain = await startTestService();
  try {
    const origin = new URL(listed.url).origin;
    const r = await fetch(`${plain.url}/healthz`, { headers: { origin } });
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await fetch(`${plain.url}/cards/v1/`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(404);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  } finally {
    await plain.close();
  }
});

test('cors.origins takes scheme://host[:port] only (no path, no wildcard), lower-cased', () => {
  const config = (origins: string[]) =>
    resolveConfig({ ...testConfig({ store: 'sqlite:unused.db' }), cors: { origins } }, {});
  expect(config(['https://Backoffice.Example:8443', 'http://[::1]:3000']).corsOrigins).toEqual([
    'https://backoffice.example:8443',
    'http://[::1]:3000',
  ]);
  for (const bad of ['*', 'https://backoffice.example/', 'https://backoffice.example/app', 'ftp://x.example', 'null'])
    expect(() => config([bad]), bad).toThrow(/\/cors\/origins\/0/);
  expect(resolveConfig(testConfig({ store: 'sqlite:unused.db' }), {}).corsOrigins).toEqual([]);
});
