// What the databases hold after the whole card lifecycle has run through the service (cards of every kind, PINs
// set at creation, activation and PATCH, PIN validations, dynamic CVV2, security values with a generated PIN,
// batches, mass issue, reissue, instant cards, idempotent replays): no PAN, no PIN, no CVV and no key — neither in
// the SQLite files' bytes (WAL included) nor in a pg_dump, nor in any cell of any table (PINs and CVVs as cell
// values, or under a pan/pin/cvv key of stored JSON).
import { afterAll, describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import {
  CLEAR_KEYS,
  DCVV_GROUP,
  eventually,
  GROUP,
  LMK_HEX,
  pinBlockIso0,
  RECEIVER,
  ADDRESS,
  startTestService,
  type TestService,
} from './helpers/service.js';
import { postgresAvailable, startPostgres, type Postgres } from './helpers/postgres.js';

interface Secrets {
  pans: string[];
  pins: string[];
  cvvs: string[];
}

/** Runs the lifecycle and returns every PAN, PIN and CVV2 it involved. */
async function populate(svc: TestService): Promise<Secrets> {
  const all = svc.all;
  const pins = ['4929', '8252', '3817', '6024'];
  const v = await all.createCard(
    { user_id: 'usr-dump', affinity_group_id: GROUP, card_type: 'VIRTUAL', pin: pins[0] },
    { idempotencyKey: 'dump-1' },
  );
  await all.createCard(
    { user_id: 'usr-dump', affinity_group_id: GROUP, card_type: 'VIRTUAL', pin: pins[0] },
    { idempotencyKey: 'dump-1' },
  ); // replay
  await all.updateCard(v.id, { pin: pins[1]! });
  const p = await all.createCard({
    user_id: 'usr-dump',
    affinity_group_id: GROUP,
    card_type: 'PHYSICAL',
    address: ADDRESS,
  });
  const { activation_code } = await all.embossCard(p.id);
  await all.activateCard({ activation_code: activation_code!, pin: pins[2]! });
  const d = await all.createCard({ user_id: 'usr-dump', affinity_group_id: DCVV_GROUP, card_type: 'VIRTUAL' });
  await all.dynamicValues({ card_id: d.id });
  await all.securityValues({ card_id: d.id, generate_pin: true });
  await all.instantCard({ user_id: 'usr-dump', affinity_group_id: GROUP, pin: pins[3]! });
  await all.addEmbossingRecord({ affinity_group_id: GROUP, cardholder_name: 'DUMP TEST', address: ADDRESS });
  const batch = await all.createBatch({
    affinity_group_id: GROUP,
    quantity: 20,
    distribution_type: 'CLIENT',
    address: ADDRESS,
    receiver: RECEIVER,
  });
  const job = await all.massIssue({ affinity_group_id: GROUP, quantity: 20 });
  await eventually(async () =>
    (await all.getBatch(batch.id)).status === 'DONE' && (await all.getMassIssue(job.id)).status === 'DONE'
      ? true
      : undefined,
  );
  await all.massIssueCards(job.id);
  await all.reissueCard({ card_id: v.id, action: 'STOLEN' });
  const vpan = (await all.getCard(v.id, { extend: ['pan'] })).pan!;
  await all.validatePin({ card_id: v.id, pin_block: pinBlockIso0(pins[1]!, vpan) });
  await all.validatePin({ card_id: v.id, pin_block: pinBlockIso0('1111', vpan) });
  const secrets: Secrets = { pans: [], pins, cvvs: [] };
  for (let page = 0; ; page++) {
    const r = await all.searchCards({ 'page[size]': 100, 'page[number]': page });
    for (const c of r.data) {
      const full = await all.getCard(c.id, { extend: ['pan', 'cvv'] });
      secrets.pans.push(full.pan!);
      secrets.cvvs.push(full.cvv!);
    }
    if (page + 1 >= r.meta.pagination.total_pages) break;
  }
  expect(secrets.pans.length).toBe(46);
  expect(new Set(secrets.pans).size).toBe(46);
  return secrets;
}

/** Clear keys and the LMK as they could appear: hex either case. */
const KEY_TEXTS = [...Object.values(CLEAR_KEYS), LMK_HEX].flatMap((k) => [k.toUpperCase(), k.toLowerCase()]);
const SECRET_KEYS = new Set(['pan', 'pin', 'cvv', 'cvv2', 'icvv', 'pin_block']);
/** Columns whose short digit strings are not secrets (a PIN or CVV could coincide with them). */
const PUBLIC_DIGITS = new Set(['last_four', 'service_code', 'expiry']);

/** Every cell: no PAN inside, no PIN or CVV as its whole value, no JSON with a secret's key. */
function checkCells(table: string, rows: Array<Record<string, unknown>>, s: Secrets): number {
  let cells = 0;
  for (const row of rows) {
    for (const [column, value] of Object.entries(row)) {
      if (value === null || value === undefined) continue;
      cells++;
      const text = Buffer.isBuffer(value) ? value.toString('latin1') : String(value);
      for (const pan of s.pans) expect(text.includes(pan), `${table}.${column} holds a PAN`).toBe(false);
      for (const k of KEY_TEXTS) expect(text.includes(k), `${table}.${column} holds a clear key`).toBe(false);
      if (typeof value === 'string' && !PUBLIC_DIGITS.has(column)) {
        expect(s.pins.includes(text) || s.cvvs.includes(text), `${table}.${column} = a PIN or CVV`).toBe(false);
      }
      if (typeof value === 'string' && /^[{[]/.test(value)) {
        // Stored JSON, or JSON with a MAC after a bar (the Hsm's PIN verification data).
        let parsed: unknown;
        try {
          parsed = JSON.parse(value);
        } catch {
          parsed = JSON.parse(value.slice(0, value.lastIndexOf('|')));
        }
        JSON.stringify(parsed, (key, v: unknown) => {
          if (SECRET_KEYS.has(key)) throw new Error(`${table}.${column} stores JSON with "${key}"`);
          return v;
        });
      }
    }
  }
  return cells;
}

function checkText(what: string, text: string, s: Secrets): void {
  for (const pan of s.pans) expect(text.includes(pan), `${what} holds a PAN`).toBe(false);
  for (const k of KEY_TEXTS) expect(text.includes(k), `${what} holds a clear key`).toBe(false);
  for (const pin of s.pins) expect(text.includes(`"pin":"${pin}"`), `${what} holds a PIN`).toBe(false);
}

describe('database dumps', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  test('SQLite: the files and every cell hold no PAN, PIN, CVV or key', async () => {
    const svc = await startTestService();
    cleanups.push(() => svc.close());
    const secrets = await populate(svc);
    const files = readdirSync(svc.dir).filter((f) => f.startsWith('cardhsm.db'));
    expect(files).toContain('cardhsm.db');
    for (const f of files) checkText(f, readFileSync(join(svc.dir, f)).toString('latin1'), secrets);
    const db = new Database(join(svc.dir, 'cardhsm.db'), { readonly: true });
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>
    ).map((t) => t.name);
    expect(tables).toEqual(
      expect.arrayContaining(['svc_cards', 'svc_idempotency', 'cardhsm_settings', 'cardhsm_attempts']),
    );
    let cells = 0;
    for (const t of tables)
      cells += checkCells(t, db.prepare(`SELECT * FROM "${t}"`).all() as Array<Record<string, unknown>>, secrets);
    expect(cells).toBeGreaterThan(1000);
    db.close();
  }, 120_000);

  describe.skipIf(!postgresAvailable())('PostgreSQL', () => {
    let pgServer: Postgres;
    test('PostgreSQL: pg_dump and every cell hold no PAN, PIN, CVV or key', async () => {
      pgServer = await startPostgres();
      cleanups.push(() => pgServer.destroy());
      const svc = await startTestService({ store: pgServer.url });
      cleanups.push(() => svc.close());
      const secrets = await populate(svc);
      const bin = readdirSync('/usr/lib/postgresql')
        .map((v) => join('/usr/lib/postgresql', v, 'bin', 'pg_dump'))
        .find(existsSync)!;
      const dump = execFileSync(bin, ['--data-only', '--inserts', pgServer.url], {
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      });
      expect(dump).toContain('svc_cards');
      checkText('pg_dump', dump, secrets);
      const client = new pg.Client({ connectionString: pgServer.url });
      await client.connect();
      const tables = (
        await client.query<{ table_name: string }>(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
        )
      ).rows.map((r) => r.table_name);
      let cells = 0;
      for (const t of tables)
        cells += checkCells(
          t,
          (await client.query(`SELECT * FROM "${t}"`)).rows as Array<Record<string, unknown>>,
          secrets,
        );
      expect(cells).toBeGreaterThan(1000);
      await client.end();
    }, 120_000);
  });
});
