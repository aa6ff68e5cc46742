// `cardhsm serve` as a user starts it (the built CLI): with no configuration, a development service with the loud
// warning, ./cardhsm.db and ./cardhsm-dev-client.json (mode 0600, the real URL with --port 0, the bare origin)
// whose credentials work — the same client and keys after a restart; with --config, the file's service, and a
// configuration that is wrong is refused at start with every problem named by its JSON path (never a secret).
import { afterAll, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { CardhsmClient } from '../src/client/index.js';
import { CLI, serve, stop, stopAll, writeConfig } from './helpers/serve.js';
import { GROUP, SECRETS, testConfig } from './helpers/service.js';

const dirs: string[] = [];
const workdir = () => {
  const d = mkdtempSync(join(tmpdir(), 'cardhsm-serve-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  stopAll();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface DevClient {
  url: string;
  clientId: string;
  secret: string;
  affinityGroupId: string;
  pinKey: string;
  transportKey: string;
}

describe('development service', () => {
  test('no configuration: warning, SQLite, a 0600 client file with the real URL; its credentials and keys work; a restart keeps them', async () => {
    const dir = workdir();
    const node = await serve(dir, []);
    expect(node.stderr()).toContain('WARNING: using the development LMK');
    expect(node.stderr()).toContain('development API client cli-development');
    const file = join(dir, 'cardhsm-dev-client.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const dev = JSON.parse(readFileSync(file, 'utf8')) as DevClient;
    expect(dev.url).toBe(node.url);
    expect(new URL(dev.url).origin).toBe(dev.url);
    expect(dev.pinKey).toMatch(/^[0-9A-F]{32}$/);
    expect(dev.transportKey).toMatch(/^[0-9A-F]{32}$/);
    expect(existsSync(join(dir, 'cardhsm.db'))).toBe(true);
    expect(readFileSync(join(dir, 'cardhsm-dev.json'), 'utf8')).not.toContain(dev.pinKey);

    const client = new CardhsmClient({ url: dev.url, clientId: dev.clientId, secret: dev.secret });
    const group = await client.getAffinityGroup(dev.affinityGroupId);
    expect(group).toMatchObject({ card_type_supported: ['VIRTUAL', 'PHYSICAL'], pin_try_limit: 3 });
    const card = await client.createCard({
      user_id: 'usr-dev',
      affinity_group_id: dev.affinityGroupId,
      card_type: 'VIRTUAL',
      pin: '4929',
    });
    const { pan, cvv } = await client.getCard(card.id, { extend: ['pan', 'cvv'] });
    // The tester's side: a PIN block under the zone PIN key, security values decrypted with the transport key.
    const tdes = (hex: string, key: string, decrypt = false) => {
      const c = (decrypt ? createDecipheriv : createCipheriv)(
        'des-ede-ecb',
        Buffer.from(key, 'hex'),
        null,
      ).setAutoPadding(false);
      return Buffer.concat([c.update(Buffer.from(hex, 'hex')), c.final()])
        .toString('hex')
        .toUpperCase();
    };
    const clear = Buffer.from('044929FFFFFFFFFF', 'hex').map(
      (b, i) => b ^ Buffer.from(`0000${pan!.slice(-13, -1)}`, 'hex')[i]!,
    );
    const pinBlock = tdes(Buffer.from(clear).toString('hex'), dev.pinKey);
    expect(await client.validatePin({ card_id: card.id, pin_block: pinBlock })).toMatchObject({ valid: true });
    const sv = await client.securityValues({ card_id: card.id });
    expect(tdes(sv.cvv2, dev.transportKey, true)).toBe(`${cvv}FFFFFFFFFFFFF`);

    expect(await stop(node)).toBe(0);
    const again = await serve(dir, []);
    const dev2 = JSON.parse(readFileSync(file, 'utf8')) as DevClient;
    expect({ ...dev2, url: '' }).toEqual({ ...dev, url: '' });
    const client2 = new CardhsmClient({ url: dev2.url, clientId: dev2.clientId, secret: dev2.secret });
    expect((await client2.getCard(card.id, { extend: ['pan'] })).pan).toBe(pan);
    expect(await client2.validatePin({ card_id: card.id, pin_block: pinBlock })).toMatchObject({ valid: true });
    expect(await stop(again)).toBe(0);
  }, 60_000);

  test('a real LMK without --config is refused (development keys exist only with the development LMK)', () => {
    const r = spawnSync(process.execPath, [CLI, 'serve', '--port', '0'], {
      cwd: workdir(),
      encoding: 'utf8',
      env: { ...process.env, CARDHSM_LMK: '11'.repeat(32) },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--config');
  }, 60_000);
});

describe('--config', () => {
  test('runs the file: its clients and groups, the LMK from the file it names', async () => {
    const dir = workdir();
    const config = writeConfig(dir, { store: `sqlite:${join(dir, 'svc.db')}` });
    const node = await serve(dir, ['--config', config]);
    expect(node.stderr()).not.toContain('development');
    const client = new CardhsmClient({ url: node.url, clientId: 'cli-cards', secret: SECRETS['cli-cards']! });
    expect((await client.getAffinityGroup(GROUP)).id).toBe(GROUP);
    expect(existsSync(join(dir, 'cardhsm-dev-client.json'))).toBe(false);
    expect(await stop(node)).toBe(0);
  }, 60_000);

  test('a wrong configuration is refused at start, every problem with its path, no secret echoed', () => {
    const dir = workdir();
    const good = testConfig({ store: `sqlite:${join(dir, 'x.db')}` }) as Record<string, unknown> & {
      clients: Array<Record<string, unknown>>;
      affinity_groups: Array<Record<string, unknown>>;
      key_sets: Record<string, Record<string, string>>;
    };
    const run = (config: unknown, env: Record<string, string> = {}) => {
      writeFileSync(
        join(dir, 'bad.json'),
        typeof config === 'string' ? config : JSON.stringify({ ...(config as object), lmk: { env: 'TEST_LMK' } }),
      );
      return spawnSync(process.execPath, [CLI, 'serve', '--config', 'bad.json'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, TEST_LMK: '000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F', ...env },
      });
    };
    const typo = run({ ...good, listen: { host: '127.0.0.1', prot: 1 } });
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('ERR_CONFIG');
    expect(typo.stderr).toContain('/listen');
    const refs = run({
      ...good,
      affinity_groups: [{ ...good.affinity_groups[0], key_set: 'nope' }],
      clients: [{ ...good.clients[0], secret: undefined, secret_env: 'MISSING_SECRET' }],
    });
    expect(refs.status).toBe(2);
    expect(refs.stderr).toContain('/affinity_groups/0/key_set');
    expect(refs.stderr).toContain('/clients/0/secret_env');
    const wrongKey = run({ ...good, key_sets: { main: { ...good.key_sets.main, cvk: good.key_sets.main!.pvk } } });
    expect(wrongKey.status).toBe(2);
    expect(wrongKey.stderr).toContain('/key_sets/main/cvk: expected a C0 key');
    const otherLmk = run(good, { TEST_LMK: 'FF'.repeat(32) });
    expect(otherLmk.status).toBe(2);
    expect(otherLmk.stderr).toContain('does not verify under this LMK');
    const checked = spawnSync(
      process.execPath,
      [CLI, 'serve', '--config', writeConfig(dir, { store: `sqlite:${join(dir, 'ok.db')}` }), '--check'],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(checked.status).toBe(0);
    expect(checked.stdout).toMatch(/configuration OK: 3 affinity groups, 7 API clients/);
    const notJson = run('{ "store": ');
    expect(notJson.status).toBe(2);
    expect(notJson.stderr).toContain('--config');
    for (const r of [typo, refs, wrongKey, otherLmk])
      for (const secret of Object.values(SECRETS)) expect(r.stderr).not.toContain(secret);
  }, 60_000);
});
