// `cardhsm serve` end to end on a real server (127.0.0.1, free port) over real HTTP, on SQLite and on PostgreSQL:
// every endpoint through the typed client, the seeds' rules (status reasons, PIN rules, quantity bounds, shipment
// state, PCI-only extends, idempotency replay / conflict / in flight), roles, and the card lifecycle from
// creation to activation, PIN validation with its lock, dynamic CVV2 and security values decrypted as a client
// would. Each assertion checks what the service answered, not just that it answered.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDecipheriv } from 'node:crypto';
import { isLuhnValid } from '../src/index.js';
import { CardhsmApiError, type CardhsmClient } from '../src/client/index.js';
import {
  ADDRESS,
  CLEAR_KEYS,
  DCVV_GROUP,
  eventually,
  GROUP,
  NOCODE_GROUP,
  pinBlockIso0,
  RECEIVER,
  startTestService,
  type TestService,
} from './helpers/service.js';
import { postgresAvailable, startPostgres, type Postgres } from './helpers/postgres.js';

const USER = 'usr-1625758043579BAR6D4';

/** The API error a call rejects with: its status and first code (and field). */
async function fails(
  p: Promise<unknown>,
): Promise<{ status: number; code: string | undefined; field: string | undefined }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CardhsmApiError) return { status: e.status, code: e.code, field: e.errors[0]?.field };
    throw e;
  }
  throw new Error('expected the call to fail');
}

function decrypt(hex: string, keyHex = CLEAR_KEYS.transport): string {
  const d = createDecipheriv('des-ede-ecb', Buffer.from(keyHex, 'hex'), null).setAutoPadding(false);
  return Buffer.concat([d.update(Buffer.from(hex, 'hex')), d.final()])
    .toString('hex')
    .toUpperCase();
}

function suite(name: string, store: () => Promise<string | undefined>, cleanup: () => Promise<void> = async () => {}) {
  describe(name, () => {
    let svc: TestService;
    let all: CardhsmClient;
    beforeAll(async () => {
      const s = await store();
      svc = await startTestService(s === undefined ? {} : { store: s });
      all = svc.all;
    });
    afterAll(async () => {
      await svc.close();
      await cleanup();
    });

    /** A PHYSICAL card taken to EMBOSSED, with its activation code. */
    async function embossed(group = GROUP) {
      const card = await all.createCard({
        user_id: USER,
        affinity_group_id: group,
        card_type: 'PHYSICAL',
        address: ADDRESS,
      });
      const e = await all.embossCard(card.id);
      return { card, code: e.activation_code };
    }

    test('create a VIRTUAL card: ACTIVE at once, seed 004 fields, a Luhn-valid PAN of the group BIN for the PCI role only', async () => {
      const card = await all.createCard({ user_id: USER, affinity_group_id: GROUP, card_type: 'VIRTUAL' });
      expect(card).toMatchObject({
        affinity_group_id: GROUP,
        affinity_group_name: 'TEST',
        card_type: 'VIRTUAL',
        product_type: 'PREPAID',
        provider: 'VISA',
        status: 'ACTIVE',
        user_id: USER,
        innominate: false,
        shipment_id: null,
      });
      expect(card.id).toMatch(/^crd-[A-Za-z0-9]{27}$/);
      expect(card.pan).toBeUndefined();
      const full = await all.getCard(card.id, { extend: ['pan', 'cvv', 'name', 'expiration_date'] });
      expect(full.pan!.startsWith('45717360') && isLuhnValid(full.pan!)).toBe(true);
      expect(full.pan!.slice(-4)).toBe(card.last_four);
      expect(full.cvv).toMatch(/^[0-9]{3}$/);
      expect(full.expiration_date).toMatch(/^20[0-9]{2}-[0-9]{2}$/);
      expect(await fails(svc.as('cards').getCard(card.id, { extend: ['pan'] }))).toMatchObject({
        status: 403,
        code: 'FORBIDDEN',
      });
      expect(await fails(svc.as('cards').getCard(card.id, { extend: ['name'] }))).toMatchObject({ status: 403 });
      const raw = await svc.as('cards').request('GET', `/cards/v1/${card.id}`);
      expect(raw.status).toBe(200);
      expect((raw.body as { meta: unknown }).meta).toEqual({ extend: [] });
    });

    test('PHYSICAL cards need an address (unless the group ships externally) and move CREATED -> EMBOSSED -> ACTIVE', async () => {
      expect(
        await fails(all.createCard({ user_id: USER, affinity_group_id: GROUP, card_type: 'PHYSICAL' })),
      ).toMatchObject({ status: 422, code: 'ADDRESS_REQUIRED', field: 'address' });
      const external = await all.createCard({ user_id: USER, affinity_group_id: NOCODE_GROUP, card_type: 'PHYSICAL' });
      expect(external.status).toBe('CREATED');
      const { card, code } = await embossed();
      expect(card.status).toBe('CREATED');
      expect(card.shipment_id).toMatch(/^shi-/);
      expect(code).toMatch(/^[0-9]{10}$/);
      expect((await all.getCard(card.id)).status).toBe('EMBOSSED');
      expect(await fails(all.activateCard({ activation_code: code!, pin: '1234' }))).toMatchObject({
        status: 422,
        code: 'PIN_POLICY_SEQUENCE_ASC',
        field: 'pin',
      });
      expect(await fails(all.activateCard({ activation_code: code!, pin: '9876' }))).toMatchObject({
        status: 422,
        code: 'PIN_POLICY_SEQUENCE_DESC',
      });
      expect(await fails(all.activateCard({ activation_code: code!, pin: '5555' }))).toMatchObject({
        status: 422,
        code: 'PIN_POLICY_REPEATED',
      });
      expect(await all.activateCard({ activation_code: code!, pin: '4929' })).toEqual({
        id: card.id,
        status: 'ACTIVE',
      });
      expect(await fails(all.activateCard({ activation_code: code!, pin: '4929' }))).toMatchObject({ status: 404 }); // the code is spent
      const active = await all.getCard(card.id);
      expect(active.status).toBe('ACTIVE');
      expect(active.activated_at).toMatch(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/);
    });

    test('activation: wrong code for a named card counts (locks at 3, then 423); by PAN needs pci; only EMBOSSED cards', async () => {
      const { card, code } = await embossed();
      const wrong = code === '0000000000' ? '0000000001' : '0000000000';
      for (let i = 0; i < 3; i++)
        expect(await fails(all.activateCard({ card_id: card.id, activation_code: wrong, pin: '4929' }))).toMatchObject({
          status: 422,
          code: 'ACTIVATION_CODE_MISMATCH',
        });
      expect(await fails(all.activateCard({ card_id: card.id, activation_code: code!, pin: '4929' }))).toMatchObject({
        status: 423,
        code: 'ACTIVATION_CODE_LOCKED',
      });
      const pan = (await all.getCard(card.id, { extend: ['pan'] })).pan!;
      expect(await fails(svc.as('cards').activateCard({ pan, pin: '4929' }))).toMatchObject({ status: 403 });
      expect(await all.activateCard({ pan, pin: '4929' })).toEqual({ id: card.id, status: 'ACTIVE' });
      const created = await all.createCard({
        user_id: USER,
        affinity_group_id: GROUP,
        card_type: 'PHYSICAL',
        address: ADDRESS,
      });
      const createdPan = (await all.getCard(created.id, { extend: ['pan'] })).pan!;
      expect(await fails(all.activateCard({ pan: createdPan, pin: '4929' }))).toMatchObject({
        status: 409,
        code: 'INVALID_STATE',
      });
      expect(await fails(all.activateCard({ pin: '4929' }))).toMatchObject({
        status: 400,
        code: 'ACTIVATION_SELECTOR',
      });
    });

    test('PIN validation from a PIN block under the client zone PIN key: counted, locked at the limit (then 423), reset by a new PIN', async () => {
      const card = await all.createCard({ user_id: USER, affinity_group_id: GROUP, card_type: 'VIRTUAL', pin: '4929' });
      const pan = (await all.getCard(card.id, { extend: ['pan'] })).pan!;
      const auth = svc.as('authorization');
      expect(await auth.validatePin({ card_id: card.id, pin_block: pinBlockIso0('4929', pan) })).toEqual({
        card_id: card.id,
        valid: true,
        remaining_attempts: 3,
        locked: false,
      });
      expect(await auth.validatePin({ card_id: card.id, pin_block: pinBlockIso0('1357', pan) })).toEqual({
        card_id: card.id,
        valid: false,
        remaining_attempts: 2,
        locked: false,
      });
      expect(await svc.as('cardholder').invalidPinAttempts({ card_id: card.id })).toEqual({
        card_id: card.id,
        failed_attempts: 1,
        remaining_attempts: 2,
        locked: false,
        try_limit: 3,
      });
      await auth.validatePin({ card_id: card.id, pin_block: pinBlockIso0('1358', pan) });
      expect(await auth.validatePin({ card_id: card.id, pin_block: pinBlockIso0('1359', pan) })).toMatchObject({
        valid: false,
        remaining_attempts: 0,
        locked: true,
      });
      expect(await fails(auth.validatePin({ card_id: card.id, pin_block: pinBlockIso0('4929', pan) }))).toMatchObject({
        status: 423,
        code: 'PIN_LOCKED',
      });
      expect(
        await fails(svc.as('cards').validatePin({ card_id: card.id, pin_block: pinBlockIso0('4929', pan) })),
      ).toMatchObject({ status: 403 });
      expect(await fails(auth.validatePin({ pan, pin_block: pinBlockIso0('4929', pan) }))).toMatchObject({
        status: 403,
      }); // by PAN needs pci
      await all.updateCard(card.id, { pin: '8252' });
      expect(await all.validatePin({ pan, pin_block: pinBlockIso0('8252', pan) })).toMatchObject({
        valid: true,
        remaining_attempts: 3,
      });
      expect(
        await fails(all.validatePin({ card_id: card.id, pan, pin_block: pinBlockIso0('8252', pan) })),
      ).toMatchObject({ status: 400, code: 'CARD_SELECTOR' });
      const noPin = await all.createCard({ user_id: USER, affinity_group_id: GROUP, card_type: 'VIRTUAL' });
      expect(await fails(auth.validatePin({ card_id: noPin.id, pin_block: pinBlockIso0('4929', pan) }))).toMatchObject({
        status: 409,
        code: 'NO_VERIFICATION_DATA',
      });
    });

    test('dynamic CVV2: the current code with its expiration; from then on the static CVV2 is refused; CVV2 verification counts', async () => {
      const card = await all.createCard({ user_id: USER, affinity_group_id: GROUP, card_type: 'VIRTUAL' });
      const staticCvv = (await all.getCard(card.id, { extend: ['cvv'] })).cvv!;
      const auth = svc.as('authorization');
      expect(await auth.verifyCvv2(card.id, staticCvv)).toMatchObject({ valid: true, cvv_type: 'STATIC' });
      const wrongStatic = String((Number(staticCvv) + 1) % 1000).padStart(3, '0');
      expect(await auth.verifyCvv2(card.id, wrongStatic)).toMatchObject({
        valid: false,
        cvv_type: 'STATIC',
        remaining_attempts: 4,
      });
      const dyn = await svc.as('cardholder').dynamicValues({ card_id: card.id });
      expect(dyn.cvv).toMatch(/^[0-9]{3}$/);
      expect(Date.parse(dyn.cvv_expiration_time)).toBeGreaterThan(Date.now());
      const read = await all.getCard(card.id, { extend: ['cvv'] });
      // The same code while its window lasts (a window may end between the two calls: then a later one shows).
      if (read.cvv_expiration_time === dyn.cvv_expiration_time) expect(read.cvv).toBe(dyn.cvv);
      else expect(Date.parse(read.cvv_expiration_time!)).toBeGreaterThan(Date.parse(dyn.cvv_expiration_time));
      expect(await auth.verifyCvv2(card.id, dyn.cvv)).toMatchObject({ valid: true, cvv_type: 'DYNAMIC' });
      if (staticCvv !== dyn.cvv)
        expect(await auth.verifyCvv2(card.id, staticCvv)).toMatchObject({ valid: false, cvv_type: 'DYNAMIC' });
      expect(await fails(svc.as('cards').dynamicValues({ card_id: card.id }))).toMatchObject({ status: 403 });
      const dcvvCard = await all.createCard({ user_id: USER, affinity_group_id: DCVV_GROUP, card_type: 'VIRTUAL' });
      expect((await all.getCard(dcvvCard.id, { extend: ['cvv'] })).cvv_expiration_time).toBeDefined();
    });

    test('security values decrypt with the client transport key to the F-padded CVV, CVV2, iCVV; with generate_pin an ISO 0 PIN block that validates', async () => {
      const card = await all.createCard({ user_id: USER, affinity_group_id: GROUP, card_type: 'VIRTUAL' });
      const { pan, cvv } = await all.getCard(card.id, { extend: ['pan', 'cvv'] });
      const sv = await svc.as('back_office').securityValues({ card_id: card.id });
      expect(sv.transport_kcv).toHaveLength(6);
      expect(decrypt(sv.cvv2)).toBe(`${cvv}FFFFFFFFFFFFF`);
      expect(decrypt(sv.cvv)).toMatch(/^[0-9]{3}F{13}$/);
      expect(decrypt(sv.icvv)).toMatch(/^[0-9]{3}F{13}$/);
      expect(sv.pin).toBeUndefined();
      const withPin = await all.securityValues({ pan: pan!, generate_pin: true });
      const iso0 = decrypt(withPin.pin!);
      const panBlock = `0000${pan!.slice(-13, -1)}`;
      const clear = Buffer.from(iso0, 'hex').map((b, i) => b ^ Buffer.from(panBlock, 'hex')[i]!);
      const pin = Buffer.from(clear).toString('hex').slice(2, 6);
      expect(Buffer.from(clear).toString('hex').toUpperCase()).toMatch(/^04[0-9]{4}F{10}$/);
      expect(await all.validatePin({ card_id: card.id, pin_block: pinBlockIso0(pin, pan!) })).toMatchObject({
        valid: true,
      });
      expect(await fails(svc.as('cards').securityValues({ card_id: card.id }))).toMatchObject({ status: 403 });
    });

    test('PATCH: status reasons from the seed table, transitions, PIN rules, affinity group moves within a key set', async () => {
      const card = await all.createCard({ user_id: USER, affinity_group_id: GROUP, card_type: 'VIRTUAL' });
      expect(await fails(all.updateCard(card.id, { status: 'BLOCKED' }))).toMatchObject({
        status: 422,
        code: 'INVALID_STATUS_REASON',
      });
      expect(await fails(all.updateCard(card.id, { status: 'BLOCKED', status_reason: 'LOST' }))).toMatchObject({
        status: 422,
        code: 'INVALID_STATUS_REASON',
      });
      expect(
        await fails(all.updateCard(card.id, { status: 'BLOCKED', status_reason: 'POMELO_INTERNAL_REASON' })),
      ).toMatchObject({ status: 422 });
      expect(await fails(all.updateCard(card.id, { status_reason: 'LOST' }))).toMatchObject({
        status: 422,
        code: 'STATUS_REQUIRED',
      });
      expect(await all.updateCard(card.id, { status: 'BLOCKED', status_reason: 'USER_INTERNAL_REASON' })).toMatchObject(
        { status: 'BLOCKED', status_detail: 'USER_INTERNAL_REASON' },
      );
      expect(
        await fails(all.updateCard(card.id, { status: 'BLOCKED', status_reason: 'USER_INTERNAL_REASON' })),
      ).toMatchObject({ status: 409, code: 'INVALID_STATE' });
      expect(await all.updateCard(card.id, { status: 'ACTIVE' })).toMatchObject({
        status: 'ACTIVE',
        status_detail: null,
      });
      expect(await fails(all.updateCard(card.id, { pin: '1111' }))).toMatchObject({
        status: 422,
        code: 'PIN_POLICY_REPEATED',
      });
      const raw = await all.request('PATCH', `/cards/v1/${card.id}`, { body: { pin: '2580' } });
      expect(raw.status).toBe(200);
      expect(JSON.stringify(raw.body)).not.toContain('2580');
      expect(await all.updateCard(card.id, { affinity_group_id: DCVV_GROUP })).toMatchObject({
        affinity_group_id: DCVV_GROUP,
        affinity_group_name: 'DCVV',
      });
      expect(await fails(all.updateCard(card.id, { affinity_group_id: NOCODE_GROUP }))).toMatchObject({
        status: 422,
        code: 'GROUP_CHANGE_NOT_ALLOWED',
      });
      expect(await fails(all.updateCard(card.id, { affinity_group_id: 'afg-missing' }))).toMatchObject({
        status: 404,
        code: 'AFFINITY_GROUP_NOT_FOUND',
      });
      expect(await all.updateCard(card.id, { status: 'DISABLED', status_reason: 'STOLEN' })).toMatchObject({
        status: 'DISABLED',
        status_detail: 'STOLEN',
      });
      expect(await fails(all.updateCard(card.id, { status: 'ACTIVE' }))).toMatchObject({ status: 409 });
      expect(await fails(all.updateCard(card.id, {} as never))).toMatchObject({ status: 400 });
      expect(await fails(all.updateCard('crd-doesnotexist', { status: 'ACTIVE' }))).toMatchObject({
        status: 404,
        code: 'CARD_NOT_FOUND',
      });
    });

    test('shipment: physical nominated cards in CREATED only', async () => {
      const card = await all.createCard({
        user_id: USER,
        affinity_group_id: GROUP,
        card_type: 'PHYSICAL',
        address: ADDRESS,
      });
      const moved = { ...ADDRESS, street_name: 'Other', city: 'Córdoba' };
      expect(await all.updateCardShipment(card.id, moved)).toEqual({ shipment_id: card.shipment_id, address: moved });
      await all.embossCard(card.id);
      expect(await fails(all.updateCardShipment(card.id, moved))).toMatchObject({ status: 409, code: 'INVALID_STATE' });
      const virtual = await all.createCard({ user_id: USER, affinity_group_id: GROUP, card_type: 'VIRTUAL' });
      expect(await fails(all.updateCardShipment(virtual.id, moved))).toMatchObject({
        status: 422,
        code: 'SHIPMENT_NOT_ALLOWED',
      });
    });

    test('previous_card_id: the replaced card is disabled (UPGRADE) when the new one is ACTIVE; another user is refused', async () => {
      const old = await all.createCard({ user_id: USER, affinity_group_id: GROUP, card_type: 'VIRTUAL' });
      const next = await all.createCard({
        user_id: USER,
        affinity_group_id: GROUP,
        card_type: 'VIRTUAL',
        previous_card_id: old.id,
      });
      expect(next.previous_card_id).toBe(old.id);
      expect(await all.getCard(old.id)).toMatchObject({ status: 'DISABLED', status_detail: 'UPGRADE' });
      expect(
        await fails(
          all.createCard({
            user_id: 'usr-other',
            affinity_group_id: GROUP,
            card_type: 'VIRTUAL',
            previous_card_id: next.id,
          }),
        ),
      ).toMatchObject({ status: 422, code: 'PREVIOUS_CARD_OTHER_USER' });
      expect(
        await fails(
          all.createCard({
            user_id: USER,
            affinity_group_id: GROUP,
            card_type: 'VIRTUAL',
            previous_card_id: 'crd-none',
          }),
        ),
      ).toMatchObject({ status: 404, field: 'previous_card_id' });
    });

    test('idempotency: same key and payload -> the first response; another payload -> 422; keys are per client', async () => {
      const body = { user_id: USER, affinity_group_id: GROUP, card_type: 'VIRTUAL' as const };
      const a = await all.request('POST', '/cards/v1/', { body, headers: { 'x-idempotency-key': 'idem-1' } });
      const b = await all.request('POST', '/cards/v1/', {
        body: { card_type: 'VIRTUAL', affinity_group_id: GROUP, user_id: USER },
        headers: { 'x-idempotency-key': 'idem-1' },
      });
      expect(a.status).toBe(201);
      expect(b.status).toBe(201);
      expect(b.body).toEqual(a.body);
      expect(b.headers['x-idempotent-replay']).toBe('true');
      const c = await all.request('POST', '/cards/v1/', {
        body: { ...body, card_type: 'PHYSICAL', address: ADDRESS },
        headers: { 'x-idempotency-key': 'idem-1' },
      });
      expect(c.status).toBe(422);
      expect((c.body as { errors: Array<{ code: string }> }).errors[0]!.code).toBe('IDEMPOTENCY_KEY_REUSED');
      const other = await svc
        .as('cards')
        .request('POST', '/cards/v1/', { body, headers: { 'x-idempotency-key': 'idem-1' } });
      expect(other.status).toBe(201);
      expect((other.body as { data: { id: string } }).data.id).not.toBe((a.body as { data: { id: string } }).data.id);
      const missing = await all.request('POST', '/cards/v1/', { body });
      expect(missing.status).toBe(400);
    });

    test('idempotency: a key whose first request is still running answers 409', async () => {
      const body = { user_id: USER, affinity_group_id: GROUP, card_type: 'VIRTUAL' as const };
      const results = await Promise.all(
        Array.from({ length: 12 }, () =>
          all.request('POST', '/cards/v1/', { body, headers: { 'x-idempotency-key': 'idem-race' } }),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
      expect(statuses).toContain(201);
      const ids = new Set(
        results.filter((r) => r.status === 201).map((r) => (r.body as { data: { id: string } }).data.id),
      );
      expect(ids.size).toBe(1);
      for (const r of results.filter((x) => x.status === 409))
        expect((r.body as { errors: Array<{ code: string }> }).errors[0]!.code).toBe('IDEMPOTENCY_IN_FLIGHT');
    });

    test('search: filters, pagination from page 0, sort; unknown or misspelled parameters are errors', async () => {
      const user = `usr-search-${name.replace(/\W/g, '')}`;
      for (let i = 0; i < 3; i++)
        await all.createCard({ user_id: user, affinity_group_id: GROUP, card_type: 'VIRTUAL' });
      await all.createCard({ user_id: user, affinity_group_id: GROUP, card_type: 'PHYSICAL', address: ADDRESS });
      const page0 = await all.searchCards({
        'filter[user_id]': user,
        'page[size]': 3,
        'page[number]': 0,
        sort: '-card_type,status',
      });
      expect(page0.meta.pagination).toEqual({ total_pages: 2, current_page: 0, page_size: 3, total_count: 4 });
      expect(page0.data.map((c) => c.card_type)).toEqual(['VIRTUAL', 'VIRTUAL', 'VIRTUAL']);
      const page1 = await all.searchCards({
        'filter[user_id]': user,
        'page[size]': 3,
        'page[number]': 1,
        sort: '-card_type',
      });
      expect(page1.data.map((c) => c.card_type)).toEqual(['PHYSICAL']);
      const phys = await all.searchCards({
        'filter[user_id]': user,
        'filter[card_type]': 'PHYSICAL',
        'filter[status]': 'CREATED,ACTIVE',
      });
      expect(phys.data).toHaveLength(1);
      expect(phys.meta.filter.sort()).toEqual(['card_type', 'status', 'user_id']);
      for (const bad of [
        'filter[colour]=red',
        'filtr[status]=ACTIVE',
        'sort=colour',
        'sort=status,status',
        'filter[status]=ACTIVE,GONE',
        'page[size]=0',
        'page[number]=-1',
        'page[size]=abc',
      ]) {
        const r = await all.request('GET', `/cards/v1/?${bad}`);
        expect(r.status, bad).toBe(400);
        expect((r.body as { errors: unknown[] }).errors.length).toBe(1);
      }
      expect((await all.request('GET', '/cards/v1/?filter[colour]=red')).body).toMatchObject({
        errors: [{ code: 'UNKNOWN_PARAMETER', field: 'filter[colour]' }],
      });
    });

    test('batches: quantity 1-1000, CLIENT needs address and receiver; the job issues exactly `quantity` innominate cards; shipment updates while CREATED', async () => {
      for (const quantity of [0, 1001, 1.5])
        expect(
          (
            await all.request('POST', '/cards/v1/batches', {
              body: { affinity_group_id: GROUP, quantity, distribution_type: 'WAREHOUSE' },
              headers: { 'x-idempotency-key': `q-${quantity}` },
            })
          ).status,
        ).toBe(400);
      expect(
        await fails(
          all.createBatch({ affinity_group_id: GROUP, quantity: 5, distribution_type: 'CLIENT', address: ADDRESS }),
        ),
      ).toMatchObject({ status: 422, code: 'RECEIVER_REQUIRED' });
      expect(
        await fails(
          all.createBatch({ affinity_group_id: GROUP, quantity: 5, distribution_type: 'CLIENT', receiver: RECEIVER }),
        ),
      ).toMatchObject({ status: 422, code: 'ADDRESS_REQUIRED' });
      expect(
        await fails(all.createBatch({ affinity_group_id: NOCODE_GROUP, quantity: 5, distribution_type: 'WAREHOUSE' })),
      ).toMatchObject({ status: 422, code: 'INNOMINATE_NOT_ALLOWED' });
      const batch = await all.createBatch({
        affinity_group_id: GROUP,
        quantity: 250,
        distribution_type: 'CLIENT',
        address: ADDRESS,
        receiver: RECEIVER,
      });
      expect(batch).toMatchObject({
        affinity_group_id: GROUP,
        card_type: 'PHYSICAL',
        quantity: 250,
        distribution_type: 'CLIENT',
      });
      const done = await eventually(async () => {
        const b = await all.getBatch(batch.id);
        return b.status === 'DONE' ? b : undefined;
      });
      expect(done.issued).toBe(250);
      const cards = await all.searchCards({
        'filter[shipment_id]': batch.shipment_id,
        'page[size]': 100,
        'page[number]': 2,
      });
      expect(cards.meta.pagination.total_count).toBe(250);
      expect(cards.data.every((c) => c.innominate && c.status === 'CREATED' && c.user_id === null)).toBe(true);
      const moved = await all.updateBatchShipment(batch.shipment_id, {
        receiver: { ...RECEIVER, full_name: 'Otra Persona' },
      });
      expect(moved).toMatchObject({ shipment_id: batch.shipment_id, receiver: { full_name: 'Otra Persona' } });
      const first = cards.data[0]!;
      const { activation_code } = await all.embossCard(first.id);
      expect(await fails(all.updateBatchShipment(batch.shipment_id, { address: ADDRESS }))).toMatchObject({
        status: 409,
      });
      expect(await fails(all.activateCard({ activation_code: activation_code!, pin: '4929' }))).toMatchObject({
        status: 422,
        code: 'USER_REQUIRED',
      });
      expect(
        await all.activateCard({ activation_code: activation_code!, pin: '4929', user_id: 'usr-new-owner' }),
      ).toEqual({ id: first.id, status: 'ACTIVE' });
      expect((await all.getCard(first.id)).user_id).toBe('usr-new-owner');
    });

    test('mass issue: a durable job with progress; the streamed result carries security values under the transport key, PANs for PCI only', async () => {
      const job = await all.massIssue({ affinity_group_id: GROUP, quantity: 120, expiration_date: '2031-07' });
      expect(job).toMatchObject({ quantity: 120, expiration_date: '2031-07', service_code: '101' });
      expect(await fails(svc.as('cards').massIssue({ affinity_group_id: GROUP, quantity: 1 }))).toMatchObject({
        status: 403,
      });
      await eventually(async () => ((await all.getMassIssue(job.id)).status === 'DONE' ? true : undefined));
      const lines = await all.massIssueCards(job.id);
      expect(lines).toHaveLength(120);
      expect(new Set(lines.map((l) => l.pan)).size).toBe(120);
      for (const l of lines.slice(0, 5)) {
        expect(isLuhnValid(l.pan!)).toBe(true);
        expect(l.expiration_date).toBe('2031-07');
        expect(decrypt(l.cvv2)).toMatch(/^[0-9]{3}F{13}$/);
        const read = await all.getCard(l.card_id, { extend: ['pan', 'cvv'] });
        expect(read.pan).toBe(l.pan);
        expect(decrypt(l.cvv2).slice(0, 3)).toBe(read.cvv);
      }
      const backOffice = await svc.as('back_office').massIssueCards(job.id);
      expect(backOffice[0]!.pan).toBeUndefined();
      expect(backOffice[0]!.pan_token).toBe(lines[0]!.pan_token);
    });

    test('embosser record, PAN token, reissue (LOST -> new PAN, old DISABLED; EXPIRED -> same PAN, new expiry), instant card', async () => {
      const rec = await svc.as('back_office').addEmbossingRecord({
        affinity_group_id: GROUP,
        cardholder_name: 'ANA GOMEZ',
        expiration_date: '2030-04',
        service_code: '201',
        address: ADDRESS,
        limits: { daily_purchase: 50000, currency: 'ARS' },
      });
      expect(rec).toMatchObject({
        status: 'CREATED',
        expiration_date: '2030-04',
        service_code: '201',
        cardholder_name: 'ANA GOMEZ',
        limits: { daily_purchase: 50000, currency: 'ARS' },
      });
      expect(JSON.stringify(rec)).not.toMatch(/"pan"/);
      const pciRec = await all.addEmbossingRecord({
        affinity_group_id: GROUP,
        cardholder_name: 'LUIS PEREZ',
        address: ADDRESS,
      });
      expect(isLuhnValid((await all.getCard(pciRec.card_id, { extend: ['pan'] })).pan!)).toBe(true);
      const named = await all.getCard(rec.card_id, { extend: ['name', 'expiration_date'] });
      expect(named).toMatchObject({ name: 'ANA GOMEZ', expiration_date: '2030-04' });
      const token = await svc.as('cards').panToken({ card_id: rec.card_id });
      expect(token.pan_token).toMatch(/^[0-9]{16}$/);
      expect(token.pan_token.slice(-4)).toBe(rec.last_four);
      expect(await svc.as('cards').panToken({ card_id: rec.card_id })).toEqual(token);
      const alpha = await all.createCard({ user_id: USER, affinity_group_id: DCVV_GROUP, card_type: 'VIRTUAL' });
      expect((await all.panToken({ card_id: alpha.id })).token_type).toBe('ALPHANUMERIC');

      const before = await all.getCard(rec.card_id, { extend: ['pan'] });
      const lost = await svc.as('back_office').reissueCard({ card_id: rec.card_id, action: 'LOST' });
      expect(lost.previous_card_id).toBe(rec.card_id);
      expect(await all.getCard(rec.card_id)).toMatchObject({ status: 'DISABLED', status_detail: 'LOST' });
      const after = await all.getCard(lost.card.id, { extend: ['pan'] });
      expect(after.pan).not.toBe(before.pan);
      expect(await fails(all.reissueCard({ card_id: rec.card_id, action: 'LOST' }))).toMatchObject({ status: 409 });
      const expired = await all.reissueCard({ pan: after.pan!, action: 'EXPIRED' });
      expect(expired.card.id).toBe(lost.card.id);
      expect((await all.getCard(lost.card.id, { extend: ['pan'] })).pan).toBe(after.pan);
      expect(await fails(svc.as('cards').reissueCard({ card_id: lost.card.id, action: 'DAMAGED' }))).toMatchObject({
        status: 403,
      });

      const instant = await svc.as('cards').instantCard({ user_id: USER, affinity_group_id: GROUP, pin: '4929' });
      expect(instant.account).toMatchObject({ user_id: USER, status: 'ACTIVE' });
      expect(instant.account.id).toMatch(/^acc-/);
      expect(instant.card).toMatchObject({ status: 'ACTIVE', card_type: 'VIRTUAL', user_id: USER });
      const ipan = (await all.getCard(instant.card.id, { extend: ['pan'] })).pan!;
      expect(await all.validatePin({ card_id: instant.card.id, pin_block: pinBlockIso0('4929', ipan) })).toMatchObject({
        valid: true,
      });
    });

    test('affinity group, health, readiness, metrics', async () => {
      expect(await svc.as('cards').getAffinityGroup(GROUP)).toMatchObject({
        id: GROUP,
        card_type_supported: ['VIRTUAL', 'PHYSICAL'],
        months_to_expiration: 36,
        activation_code_enabled: true,
        dcvv_enabled: false,
        pin_try_limit: 3,
      });
      expect(await fails(all.getAffinityGroup('afg-nope'))).toMatchObject({ status: 404 });
      expect((await fetch(`${svc.url}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${svc.url}/readyz`)).json()).toEqual({ data: { status: 'ready' } });
      const metrics = await (await fetch(`${svc.url}/metrics`)).text();
      expect(metrics).toMatch(
        /cardhsm_http_requests_total\{route="\/cards\/v1\/:id",method="GET",status="200"\} [1-9]/,
      );
      expect(metrics).toMatch(/cardhsm_verifications_total\{kind="pin",outcome="invalid"\} [1-9]/);
    });
  });
}

suite('on SQLite', async () => undefined);

let pg: Postgres | undefined;
describe.skipIf(!postgresAvailable())('PostgreSQL', () => {
  suite(
    'on PostgreSQL',
    async () => {
      pg = await startPostgres();
      return pg.url;
    },
    async () => pg?.destroy(),
  );
});
