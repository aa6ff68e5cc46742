// README's `cardhsm serve` section, executed: a development service started as the README says (the built CLI,
// --port 0, in a fresh folder), then the five-minute walk-through block run top to bottom in that folder with
// every `expression  // => value` line checked, the OpenSSL decryption of a security value, and the raw signed
// request with curl and openssl. The docs cannot drift from the service.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex, encodePinBlockIso0, hexToBytes, tdesDecryptEcb, tdesEncryptEcb } from '../src/index.js';
import { CardhsmClient } from '../src/client/index.js';
import { serve, stopAll, type Node } from './helpers/serve.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## The card-management API: `cardhsm serve`'));
const walkthrough = /<!-- walkthrough -->\n```ts\n([\s\S]*?)```/.exec(section)![1]!;
const shBlocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
const ASSERTION = /^(.*?)\s+\/\/ => (.*)$/;
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<unknown>;

let dir: string;
let node: Node;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cardhsm-readme-serve-'));
  node = await serve(dir, []);
});
afterAll(() => {
  stopAll();
  rmSync(dir, { recursive: true, force: true });
});

test('the walk-through runs against a real development service, every // => line holding', async () => {
  let checks = 0;
  const body = walkthrough
    .split('\n')
    .filter((line) => !line.startsWith('import '))
    .map((line) => {
      const m = ASSERTION.exec(line);
      if (!m) return line;
      checks++;
      return `await __check(${JSON.stringify(m[1])}, async () => (${m[1]}), async () => (${m[2]}));`;
    })
    .join('\n');
  expect(checks).toBeGreaterThanOrEqual(8);
  const check = async (source: string, actual: () => Promise<unknown>, expected: () => Promise<unknown>) =>
    expect(await actual(), source).toEqual(await expected());
  const read = (path: string, encoding: BufferEncoding) => readFileSync(join(dir, path), encoding);
  const run = new AsyncFunction(
    '__check',
    'readFileSync',
    'CardhsmClient',
    'bytesToHex',
    'encodePinBlockIso0',
    'hexToBytes',
    'tdesDecryptEcb',
    'tdesEncryptEcb',
    `${body}\nreturn { values, dev };`,
  );
  const { values, dev } = (await run(
    check,
    read,
    CardhsmClient,
    bytesToHex,
    encodePinBlockIso0,
    hexToBytes,
    tdesDecryptEcb,
    tdesEncryptEcb,
  )) as { values: { icvv: string }; dev: { transportKey: string; url: string } };
  expect(dev.url).toBe(node.url);

  // The OpenSSL block decrypts the same value.
  const opensslBlock = shBlocks.find((b) => b.includes('openssl enc -d -des-ede'))!;
  const out = execFileSync(
    'bash',
    [
      '-c',
      opensslBlock
        .split('\n')
        .filter((l) => !l.startsWith('#'))
        .join('\n'),
    ],
    { cwd: dir, encoding: 'utf8', env: { ...process.env, ICVV_HEX: values.icvv } },
  )
    .trim()
    .toUpperCase();
  expect(out).toMatch(/^[0-9]{3}F{13}$/);
  expect(out).toBe(bytesToHex(tdesDecryptEcb(hexToBytes(dev.transportKey), hexToBytes(values.icvv))));
});

test('the raw signed request with curl and openssl answers 200 with the development group', () => {
  const curlBlock = shBlocks.find((b) => b.includes('curl -s'))!;
  const out = execFileSync('bash', ['-c', curlBlock], { cwd: dir, encoding: 'utf8' });
  expect(JSON.parse(out)).toMatchObject({
    data: { id: 'afg-development', pin_try_limit: 3, card_type_supported: ['VIRTUAL', 'PHYSICAL'] },
  });
});

test('`npx cardhsm serve` is the README one-liner', () => {
  expect(readme).toContain('```sh\nnpx cardhsm serve\n```');
});
