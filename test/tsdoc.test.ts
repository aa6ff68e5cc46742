// Every public export carries TSDoc with an @example, and every example runs: the TSDoc of each name an entry point
// gives users (found at its declaration, wherever that lives) is read with the compiler's own symbol tables; each
// @example runs as an async function body, each `expression // => value` line checked (test/helpers/examples.ts,
// as README's blocks are). Editor hovers therefore show code that works.
//
// In scope for every example: all exports of every entry point, fast-check as `fc`, a temporary directory `tmp`,
// and — as the Hsm class example builds them — `hsm` (an Hsm with every activity over a MemoryStore) and `keys`
// (key blocks of the fixed test keys, test/helpers/hsm.ts: keys.cvk is the C0 key 0123456789ABCDEFFEDCBA9876543210…).
// For the examples of cardhsm/client and cardhsm/service, a real service (test/helpers/service.ts startTestService:
// 127.0.0.1, a free port, SQLite in a temporary folder, the LMK of `hsm`), started once when an example first names
// one of these and stopped after the file: `service` (its base URL), `dev` (a development client's credentials as
// `cardhsm serve` writes them to cardhsm-dev-client.json: { url, clientId, secret, affinityGroupId, pinKey,
// transportKey }, every role, the group afg-test; pinKey and transportKey are the client's clear zone PIN and
// transport keys), `client` (a CardhsmClient signed in as `dev`), `clientAs(role)` (a client with that one role)
// and `configFile` (the configuration file object the service runs: test/helpers/service.ts testConfig).
import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import fc from 'fast-check';
import { MemoryStore } from '../src/index.js';
import { compileExample, runExample } from './helpers/examples.js';
import { makeHsm } from './helpers/hsm.js';
import { CLEAR_KEYS, GROUP, SECRETS, startTestService, testConfig, type TestService } from './helpers/service.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The package's entry points in src/ (package.json "exports", conditions resolved to their import file). */
function entryFiles(): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  const importOf = (e: unknown): string | undefined =>
    typeof e === 'string'
      ? e
      : e && typeof e === 'object'
        ? importOf((e as Record<string, unknown>).import ?? (e as Record<string, unknown>).default)
        : undefined;
  return [...new Set(Object.values(pkg.exports).map(importOf))]
    .filter((p): p is string => typeof p === 'string' && /^\.\/dist\/.*\.js$/.test(p))
    .map((p) => join(root, 'src', p.slice('./dist/'.length).replace(/\.js$/, '.ts')));
}

const entries = entryFiles();
const program = ts.createProgram(entries, {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: ['node'],
});
const checker = program.getTypeChecker();

interface Documented {
  name: string;
  home: string;
  summary: string;
  examples: string[];
}

/** Every symbol an entry point exports, once, with its TSDoc (read at its declaration). */
function publicSymbols(): Documented[] {
  const seen = new Map<ts.Symbol, Documented>();
  for (const file of entries) {
    const sf = program.getSourceFile(file);
    const module = sf && checker.getSymbolAtLocation(sf);
    for (const exported of module ? checker.getExportsOfModule(module) : []) {
      const s = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (seen.has(s)) continue;
      const decl = s.declarations?.[0];
      const tags = s.getJsDocTags(checker);
      seen.set(s, {
        name: exported.name,
        home: decl ? relative(root, decl.getSourceFile().fileName) : '?',
        summary: ts.displayPartsToString(s.getDocumentationComment(checker)).trim(),
        examples: tags.filter((t) => t.name === 'example').map((t) => ts.displayPartsToString(t.text).trim()),
      });
    }
  }
  return [...seen.values()].sort((a, b) => a.home.localeCompare(b.home) || a.name.localeCompare(b.name));
}

const symbols = publicSymbols();
const tmp = mkdtempSync(join(tmpdir(), 'cardhsm-tsdoc-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let api: Promise<TestService> | undefined;
afterAll(async () => (await api)?.close());

/** The service fixtures, for an example that names one of them (the service starts on the first). */
async function apiScope(code: string): Promise<Record<string, unknown>> {
  if (!/\b(service|dev|client|clientAs|configFile)\b/.test(code)) return {};
  api ??= startTestService();
  const svc = await api;
  const dev = {
    url: svc.url,
    clientId: 'cli-all',
    secret: SECRETS['cli-all'],
    affinityGroupId: GROUP,
    pinKey: CLEAR_KEYS.zpk,
    transportKey: CLEAR_KEYS.transport,
  };
  return {
    service: svc.url,
    dev,
    client: svc.all,
    clientAs: svc.as,
    configFile: testConfig({ store: `sqlite:${join(svc.dir, 'cardhsm.db')}` }),
  };
}

async function scope(code: string): Promise<Record<string, unknown>> {
  const modules = await Promise.all(entries.map((f) => import(f)));
  const { hsm, keys } = makeHsm(undefined, { store: new MemoryStore() });
  return Object.assign({}, ...modules, { fc, tmp, hsm, keys }, await apiScope(code));
}

describe('TSDoc', () => {
  test('every public export has a summary and an @example with a checked value', () => {
    expect(symbols.length).toBeGreaterThan(200);
    const missing = symbols.filter(
      (s) => !s.summary || s.examples.length === 0 || s.examples.every((e) => compileExample(e).checks === 0),
    );
    expect(
      missing.map(
        (s) => `${s.home}: ${s.name}${s.summary ? '' : ' (no summary)'}${s.examples.length ? '' : ' (no @example)'}`,
      ),
    ).toEqual([]);
  });

  const examples = symbols.flatMap((s) =>
    s.examples.map((code, i) => [`${s.home}: ${s.name}${s.examples.length > 1 ? ` #${i + 1}` : ''}`, code] as const),
  );
  test.each(examples)('%s', async (_, code) => {
    await runExample(code, await scope(code));
  });
});
