// SqliteStore's group commit: writes that arrive in one turn of the event loop share one transaction, yet each
// keeps its own answer and atomicity, is visible to another connection once its promise resolves, and a store
// closed with writes pending commits them rather than dropping them.
import { afterAll, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../src/store/sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'cardhsm-sqlite-group-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('500 concurrent failures on 50 cards: every answer exact, the limit never passed, all durable', async () => {
  const path = join(dir, 'group.db');
  const store = new SqliteStore({ path });
  const answers = await Promise.all(
    Array.from({ length: 500 }, (_, i) => store.recordFailure('pin', `CARD-${i % 50}`, 3)),
  );
  // Per card: exactly three failures applied (1, 2, 3 with the lock at 3), the other seven refused.
  for (let c = 0; c < 50; c++) {
    const mine = answers.filter((_, i) => i % 50 === c);
    expect(
      mine
        .filter((a) => a.applied)
        .map((a) => a.failed)
        .sort(),
    ).toEqual([1, 2, 3]);
    expect(mine.filter((a) => !a.applied).every((a) => a.locked && a.failed === 3)).toBe(true);
  }
  // Another connection (another process would see the same) reads the committed rows.
  const other = new Database(path, { readonly: true });
  expect(other.prepare('SELECT COUNT(*) AS n FROM cardhsm_attempts WHERE locked = 1 AND failed = 3').get()).toEqual({
    n: 50,
  });
  other.close();
  await store.close();
});

test('a failing statement rejects its own caller only; the others in its group commit', async () => {
  const store = new SqliteStore({ path: join(dir, 'mixed.db') });
  const big = 'x'.repeat(5000); // over the 4 KiB setting limit: refused before SQL
  const results = await Promise.allSettled([
    store.setSetting('A', 'n', '1'),
    store.setSetting('B', 'n', big),
    store.putIdempotent('k', 'v'),
  ]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect(await store.getSetting('A', 'n')).toBe('1');
  expect(await store.getIdempotent('k')).toBe('v');
  await store.close();
});

test('close() commits writes still waiting for their group', async () => {
  const path = join(dir, 'close.db');
  const store = new SqliteStore({ path });
  const pending = store.setSetting('CARD', 'dcvv2', 'enabled');
  await store.close();
  await expect(pending).resolves.toBeUndefined();
  const reopened = new SqliteStore({ path });
  expect(await reopened.getSetting('CARD', 'dcvv2')).toBe('enabled');
  await reopened.close();
});
