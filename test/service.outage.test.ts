// Fail closed: with its PostgreSQL store down, the service answers 503 STORE_UNAVAILABLE — for a signed read, a PIN
// validation (nothing is decided without its counter) and readiness — never a 500 and never a verdict; once the
// database is back, the same calls succeed with the state intact.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GROUP, pinBlockIso0, startTestService, type TestService } from './helpers/service.js';
import { postgresAvailable, startPostgres, type Postgres } from './helpers/postgres.js';

describe.skipIf(!postgresAvailable())('PostgreSQL down', () => {
  let db: Postgres;
  let svc: TestService;
  beforeAll(async () => {
    db = await startPostgres();
    svc = await startTestService({ store: db.url });
  }, 60_000);
  afterAll(async () => {
    await svc?.close().catch(() => {});
    db?.destroy();
  });

  test('503 while the store is down, the same answers as before once it is back', async () => {
    const card = await svc.all.createCard({
      user_id: 'usr-outage',
      affinity_group_id: GROUP,
      card_type: 'VIRTUAL',
      pin: '4929',
    });
    const pan = (await svc.all.getCard(card.id, { extend: ['pan'] })).pan!;
    db.stop();
    try {
      for (const r of [
        await svc.all.request('GET', `/cards/v1/${card.id}`),
        await svc.all.request('POST', '/cards/pin/validation', {
          body: { card_id: card.id, pin_block: pinBlockIso0('4929', pan) },
        }),
        await svc.all.request('POST', '/cards/v1/', {
          body: { user_id: 'usr-outage', affinity_group_id: GROUP, card_type: 'VIRTUAL' },
          headers: { 'x-idempotency-key': 'outage-1' },
        }),
      ]) {
        expect(r.status).toBe(503);
        expect((r.body as { errors: Array<{ code: string }> }).errors[0]!.code).toBe('STORE_UNAVAILABLE');
      }
      const ready = await fetch(`${svc.url}/readyz`);
      expect(ready.status).toBe(503);
      expect((await fetch(`${svc.url}/healthz`)).status).toBe(200);
    } finally {
      db.start();
    }
    expect((await fetch(`${svc.url}/readyz`)).status).toBe(200);
    expect((await svc.all.getCard(card.id)).id).toBe(card.id);
    expect(await svc.all.validatePin({ card_id: card.id, pin_block: pinBlockIso0('4929', pan) })).toMatchObject({
      valid: true,
      remaining_attempts: 3,
    });
  }, 60_000);
});
