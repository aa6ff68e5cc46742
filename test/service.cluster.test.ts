// Two `cardhsm serve` processes (the built CLI) sharing one PostgreSQL database: 10,000 concurrent creates spread
// over both give 10,000 distinct PANs (read back from the database and unsealed here); one idempotency key sent to
// both makes one card; 200 wrong PINs for one card split across both are evaluated exactly `pin_try_limit` times
// (the rest 423); and a node SIGKILLed in the middle of a batch job leaves a job that completes — on the node
// restarted, or the other one — with every card once.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Hsm, hexToBytes, isLuhnValid } from '../src/index.js';
import { CardhsmClient } from '../src/client/index.js';
import { GROUP, keyBlocks, LMK_HEX, pinBlockIso0, SECRETS } from './helpers/service.js';
import { serve, stop, stopAll, writeConfig, type Node } from './helpers/serve.js';
import { postgresAvailable, startPostgres, type Postgres } from './helpers/postgres.js';

const vault = new Hsm({ lmk: hexToBytes(LMK_HEX), activities: ['data.decrypt'] });
const unseal = (sealed: string) =>
  new TextDecoder()
    .decode(
      vault.decryptData({
        key: keyBlocks().record_key!,
        data: hexToBytes(sealed.slice(32)),
        mode: 'CBC',
        iv: hexToBytes(sealed.slice(0, 32)),
      }),
    )
    .replace(/F+$/, '');

describe.skipIf(!postgresAvailable())('two nodes on one PostgreSQL', () => {
  let db: Postgres;
  let dir: string;
  let config: string;
  let a: Node;
  let b: Node;
  let sql: pg.Pool;
  const client = (n: Node) => new CardhsmClient({ url: n.url, clientId: 'cli-all', secret: SECRETS['cli-all']! });

  beforeAll(async () => {
    db = await startPostgres();
    dir = mkdtempSync(join(tmpdir(), 'cardhsm-cluster-'));
    config = writeConfig(dir, { store: db.url, jobs: { lease_seconds: 2, chunk_size: 10 } });
    [a, b] = await Promise.all([serve(dir, ['--config', config]), serve(dir, ['--config', config])]);
    sql = new pg.Pool({ connectionString: db.url, max: 2 });
  }, 120_000);

  afterAll(async () => {
    stopAll();
    await sql?.end();
    db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test('10,000 concurrent creates over both nodes: 10,000 cards, 0 duplicate PANs', async () => {
    const nodes = [client(a), client(b)];
    const total = 10_000;
    const inFlight = 128;
    let next = 0;
    const statuses = new Map<number, number>();
    const worker = async () => {
      for (let i = next++; i < total; i = next++) {
        const r = await nodes[i % 2]!.request('POST', '/cards/v1/', {
          body: { user_id: 'usr-bulk', affinity_group_id: GROUP, card_type: 'VIRTUAL' },
          headers: { 'x-idempotency-key': randomUUID() },
        });
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    expect(Object.fromEntries(statuses)).toEqual({ 201: total });
    const { rows } = await sql.query<{ pan_enc: string; card_ref: string }>(
      "SELECT pan_enc, card_ref FROM svc_cards WHERE user_id = 'usr-bulk'",
    );
    expect(rows).toHaveLength(total);
    const pans = rows.map((r) => unseal(r.pan_enc));
    expect(new Set(pans).size).toBe(total);
    expect(new Set(rows.map((r) => r.card_ref)).size).toBe(total);
    expect(pans.every((p) => p.startsWith('45717360') && isLuhnValid(p))).toBe(true);
  }, 300_000);

  test('the same idempotency key sent to both nodes at once: one card', async () => {
    const nodes = [client(a), client(b)];
    const body = { user_id: 'usr-same-key', affinity_group_id: GROUP, card_type: 'VIRTUAL' };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        nodes[i % 2]!.request('POST', '/cards/v1/', { body, headers: { 'x-idempotency-key': 'one-key-two-nodes' } }),
      ),
    );
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const ids = new Set(
      results.filter((r) => r.status === 201).map((r) => (r.body as { data: { id: string } }).data.id),
    );
    expect(ids.size).toBe(1);
    // After the first has finished, both nodes replay it.
    for (const n of nodes) {
      const again = await n.request('POST', '/cards/v1/', {
        body,
        headers: { 'x-idempotency-key': 'one-key-two-nodes' },
      });
      expect(again.status).toBe(201);
      expect((again.body as { data: { id: string } }).data.id).toBe([...ids][0]);
    }
    expect((await sql.query("SELECT COUNT(*)::int AS n FROM svc_cards WHERE user_id = 'usr-same-key'")).rows[0].n).toBe(
      1,
    );
  });

  test('200 wrong PINs for one card split across both nodes: exactly the limit (3) evaluated, the rest 423', async () => {
    const card = await client(a).createCard({
      user_id: 'usr-pins',
      affinity_group_id: GROUP,
      card_type: 'VIRTUAL',
      pin: '4929',
    });
    const pan = (await client(b).getCard(card.id, { extend: ['pan'] })).pan!;
    const nodes = [client(a), client(b)];
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        nodes[i % 2]!.request('POST', '/cards/pin/validation', {
          body: { card_id: card.id, pin_block: pinBlockIso0(String(1000 + i), pan) },
        }),
      ),
    );
    const evaluated = results.filter((r) => r.status === 200);
    expect(evaluated).toHaveLength(3);
    expect(evaluated.every((r) => (r.body as { data: { valid: boolean } }).data.valid === false)).toBe(true);
    expect(results.filter((r) => r.status === 423)).toHaveLength(197);
    expect(await client(b).invalidPinAttempts({ card_id: card.id })).toMatchObject({
      failed_attempts: 3,
      locked: true,
    });
  });

  test('a node SIGKILLed during a batch job: the job completes after the restart, every card once', async () => {
    let batchId: string | undefined;
    let killedAt = 0;
    // Node B is frozen so that node A owns the job. A is frozen (SIGSTOP) once its first chunk is committed; if
    // the job is then unfinished A is SIGKILLed, else (it finished first) A resumes and a new batch is tried.
    b.proc.kill('SIGSTOP');
    try {
      for (let attempt = 0; attempt < 5 && batchId === undefined; attempt++) {
        const batch = await client(a).createBatch({
          affinity_group_id: GROUP,
          quantity: 1000,
          distribution_type: 'WAREHOUSE',
        });
        for (let i = 0; i < 5000; i++) {
          const { rows } = await sql.query<{ issued: number }>('SELECT issued FROM svc_jobs WHERE id = $1', [batch.id]);
          if (rows[0]!.issued > 0) break;
          await new Promise((r) => setTimeout(r, 2));
        }
        a.proc.kill('SIGSTOP');
        const issued = (await sql.query<{ issued: number }>('SELECT issued FROM svc_jobs WHERE id = $1', [batch.id]))
          .rows[0]!.issued;
        if (issued > 0 && issued < 1000) {
          await stop(a, 'SIGKILL');
          batchId = batch.id;
          killedAt = issued;
        } else a.proc.kill('SIGCONT');
      }
      expect(batchId, 'a kill landed in the middle of a job').toBeDefined();
      expect(killedAt).toBeGreaterThan(0);
      expect(killedAt).toBeLessThan(1000);
      expect((await sql.query('SELECT COUNT(*)::int AS n FROM svc_cards WHERE job_id = $1', [batchId])).rows[0].n).toBe(
        killedAt,
      );
      a = await serve(dir, ['--config', config]); // the restart: it takes the job over once the dead node's lease runs out
      let done = false;
      for (let i = 0; i < 600 && !done; i++) {
        done = (await client(a).getBatch(batchId!)).status === 'DONE';
        if (!done) await new Promise((res) => setTimeout(res, 50));
      }
      expect(done).toBe(true);
    } finally {
      b.proc.kill('SIGCONT');
    }
    const { rows } = await sql.query<{ pan_enc: string; job_seq: number }>(
      'SELECT pan_enc, job_seq FROM svc_cards WHERE job_id = $1',
      [batchId],
    );
    expect(rows).toHaveLength(1000);
    expect(new Set(rows.map((r) => unseal(r.pan_enc))).size).toBe(1000);
    expect(rows.map((r) => r.job_seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  }, 180_000);
});
