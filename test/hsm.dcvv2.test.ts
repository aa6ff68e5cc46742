// Dynamic CVV2 on the Hsm facade, on every Store adapter: enabling it switches the static CVV2 off; failures
// count on their own counter up to the lock; success resets it; monotonic mode refuses an older window.
import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore, type Store } from '../src/index.js';
import { SqliteStore } from '../src/store/sqlite.js';
import { PostgresStore } from '../src/store/postgres.js';
import { LMK, makeHsm, testHsm } from './helpers/hsm.js';
import { postgresAvailable, startPostgres, type Postgres } from './helpers/postgres.js';

const PAN = '4123456789012345';
const AT = Date.UTC(2026, 10, 22, 12, 30);
const HOUR = 3_600_000;
const { keys } = makeHsm();

function scenarios(name: string, makeStore: () => Promise<Store>) {
  describe(`dynamic CVV2 on ${name}`, () => {
    test('the static CVV2 works until dynamic CVV2 is enabled, then is refused', async () => {
      const store = await makeStore();
      const hsm = testHsm({ lmk: LMK, store });
      const cardRef = hsm.cardRef(PAN);
      const cvv2 = hsm.generateCvv2({ cvk: keys.cvk, pan: PAN, expiry: '2812' });
      expect(await hsm.verifyCardCvv2({ cardRef, cvk: keys.cvk, pan: PAN, expiry: '2812', cvv: cvv2 })).toBe(true);
      expect(
        await hsm.verifyCardCvv2({
          cardRef,
          cvk: keys.cvk,
          pan: PAN,
          expiry: '2812',
          cvv: cvv2 === '000' ? '001' : '000',
        }),
      ).toBe(false);
      await hsm.enableDynamicCvv2(cardRef);
      await expect(
        hsm.verifyCardCvv2({ cardRef, cvk: keys.cvk, pan: PAN, expiry: '2812', cvv: cvv2 }),
      ).rejects.toMatchObject({ code: 'ERR_STATIC_CVV2_DISABLED' });
      await hsm.disableDynamicCvv2(cardRef);
      expect(await hsm.verifyCardCvv2({ cardRef, cvk: keys.cvk, pan: PAN, expiry: '2812', cvv: cvv2 })).toBe(true);
      await store.close();
    });

    test('failures count to the lock (limit 5); success resets; HMAC and TDES IMKs', async () => {
      const store = await makeStore();
      const hsm = testHsm({ lmk: LMK, store });
      for (const algorithm of ['HMAC256', 'TDES2'] as const) {
        // Fixed keys, so that the codes are fixed: a random key would make adjacent windows share a code (and the
        // drift read 0) once in a thousand runs.
        const clear = Uint8Array.from({ length: algorithm === 'HMAC256' ? 32 : 16 }, (_, i) => 0x5b + 7 * i);
        const imk = hsm.importKeyComponents({
          usage: 'E6',
          algorithm,
          components: [clear],
          allowSingleComponent: true,
          fixParity: true,
        }).keyBlock;
        const pan = algorithm === 'HMAC256' ? PAN : '4123456789012346';
        const cardRef = hsm.cardRef(pan);
        const args = { cardRef, imk, pan, psn: '00', expiry: '2812', at: AT };
        const { code } = hsm.generateDynamicCvv2(args);
        const wrong = String((Number(code) + 1) % 1000).padStart(3, '0');
        expect(await hsm.verifyDynamicCvv2({ ...args, code })).toEqual({
          valid: true,
          drift: 0,
          attemptsRemaining: 5,
          locked: false,
        });
        expect(await hsm.verifyDynamicCvv2({ ...args, code, at: AT + HOUR })).toMatchObject({ valid: true, drift: -1 });
        expect(await hsm.verifyDynamicCvv2({ ...args, code: wrong })).toEqual({
          valid: false,
          drift: null,
          attemptsRemaining: 4,
          locked: false,
        });
        expect((await hsm.verifyDynamicCvv2({ ...args, code })).attemptsRemaining).toBe(5); // success resets
        for (const left of [4, 3, 2, 1])
          expect((await hsm.verifyDynamicCvv2({ ...args, code: wrong })).attemptsRemaining).toBe(left);
        expect(await hsm.verifyDynamicCvv2({ ...args, code: wrong })).toEqual({
          valid: false,
          drift: null,
          attemptsRemaining: 0,
          locked: true,
        });
        await expect(hsm.verifyDynamicCvv2({ ...args, code })).rejects.toMatchObject({ code: 'ERR_DCVV2_LOCKED' });
        expect(await store.getAttempts('pin', cardRef)).toEqual({ failed: 0, locked: false }); // a counter of its own
      }
      await store.close();
    });

    test('monotonic mode refuses a code from a window older than the last accepted one', async () => {
      const store = await makeStore();
      const hsm = testHsm({ lmk: LMK, store, dcvv2: { monotonic: true, back: 2 } });
      const imk = hsm.generateKey({ usage: 'E6', algorithm: 'HMAC256' }).keyBlock;
      const pan = '4123456789012347';
      const cardRef = hsm.cardRef(pan);
      const args = { cardRef, imk, pan, psn: '00', expiry: '2812' };
      const [old, current] = hsm.generateDynamicCvv2Codes({ ...args, count: 2, at: AT - HOUR });
      expect((await hsm.verifyDynamicCvv2({ ...args, code: current!.code, at: AT })).valid).toBe(true);
      expect((await hsm.verifyDynamicCvv2({ ...args, code: current!.code, at: AT })).valid).toBe(true); // same window again
      if (old!.code !== current!.code)
        expect((await hsm.verifyDynamicCvv2({ ...args, code: old!.code, at: AT })).valid).toBe(false);
      await store.close();
    });

    test('the IMK must be an E6 key', async () => {
      const store = await makeStore();
      const hsm = testHsm({ lmk: LMK, store });
      await expect(
        hsm.verifyDynamicCvv2({
          cardRef: hsm.cardRef(PAN),
          imk: keys.cvk,
          pan: PAN,
          psn: '00',
          expiry: '2812',
          code: '123',
        }),
      ).rejects.toMatchObject({ code: 'ERR_KEY_USAGE', field: 'imk' });
      await store.close();
    });
  });
}

scenarios('MemoryStore', async () => new MemoryStore());
const dir = mkdtempSync(join(tmpdir(), 'cardhsm-dcvv2-'));
let n = 0;
scenarios('SqliteStore', async () => new SqliteStore({ path: join(dir, `d${n++}.db`) }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Without PostgreSQL binaries a local run reports these as skipped (with a SKIP line); CI requires them.
describe.skipIf(!postgresAvailable())('on PostgreSQL', () => {
  let server: Postgres | undefined;
  let db = 0;
  scenarios('PostgresStore', async () => {
    server ??= await startPostgres();
    // A database per scenario keeps them independent of each other and of test order.
    const admin = new (await import('pg')).default.Client({ connectionString: server.url });
    await admin.connect();
    const name = `dcvv2_${db++}`;
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    return new PostgresStore({ connectionString: server.url.replace(/\/postgres$/, `/${name}`) });
  });
  afterAll(() => server?.destroy());
});
