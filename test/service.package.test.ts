// The service's dependencies belong to the service entry only: `import 'cardhsm'` (dist/index.js and the chunks
// it imports) never loads Fastify, its plugins, TypeBox, Ajv, Kysely or prom-client — checked on the built import
// graph and at run time — while `cardhsm/service` does (the control), and `cardhsm/client` loads none of them.
import { expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const SERVICE_DEPS = [
  'fastify',
  '@fastify/swagger',
  '@fastify/cors',
  '@fastify/type-provider-typebox',
  '@sinclair/typebox',
  'ajv',
  'kysely',
  'prom-client',
];

/** Bare specifiers reachable from a built entry through its relative imports (static and dynamic). */
function bareImports(entry: string, lazy: boolean): Set<string> {
  const seen = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    const specifiers = [
      ...text.matchAll(/(?:^|[;\s])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|^import\s*["']([^"']+)["']/gm),
    ].map((m) => m[1] ?? m[2]!);
    if (lazy) specifiers.push(...[...text.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!));
    for (const s of specifiers) {
      if (s.startsWith('.')) visit(resolve(dirname(file), s));
      else bare.add(s.replace(/^(@[^/]+\/[^/]+|[^/]+).*$/, '$1'));
    }
  };
  visit(entry);
  return bare;
}

test('the root entry imports none of the service packages, even lazily; the service entry imports them', () => {
  expect(existsSync(join(dist, 'index.js')), 'dist/ is built by npm test').toBe(true);
  const root = bareImports(join(dist, 'index.js'), true);
  for (const name of SERVICE_DEPS) expect(root.has(name), name).toBe(false);
  const service = bareImports(join(dist, 'service', 'main.js'), true);
  for (const name of [
    'fastify',
    '@fastify/swagger',
    '@fastify/cors',
    'kysely',
    'prom-client',
    'ajv',
    '@sinclair/typebox',
  ])
    expect(service.has(name), name).toBe(true);
  const client = bareImports(join(dist, 'client', 'index.js'), true);
  expect([...client]).toEqual([]);
});

test('at run time: import "cardhsm" loads no service package; the service entry loads Fastify and prom-client', () => {
  const script = (entry: string) =>
    `import(${JSON.stringify(join(dist, entry))}).then(() => console.log(JSON.stringify(Object.keys(require('module')._cache ?? require.cache))))`;
  const run = (entry: string) =>
    JSON.parse(execFileSync(process.execPath, ['-e', script(entry)], { encoding: 'utf8' })) as string[];
  const afterRoot = run('index.js').join('\n');
  for (const name of ['fastify', 'prom-client', 'ajv', '@sinclair/typebox', 'avvio', 'pino'])
    expect(afterRoot).not.toContain(`node_modules/${name}/`);
  const afterService = run('service/main.js').join('\n');
  expect(afterService).toContain('node_modules/fastify/');
  expect(afterService).toContain('node_modules/prom-client/');
});
