// The hash-chained JSON-lines audit log: records chain, a restarted sink continues the chain, and removing,
// editing or reordering any record is detected by verifyAuditLog.
import { describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hsm, JsonlAuditSink, maskPan, verifyAuditLog } from '../src/index.js';
import { LMK } from './helpers/hsm.js';

function freshLog(): { path: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'cardhsm-audit-'));
  return { path: join(dir, 'audit.jsonl'), done: () => rmSync(dir, { recursive: true, force: true }) };
}

function writeRecords(path: string, n: number): void {
  const hsm = new Hsm({ lmk: LMK, audit: new JsonlAuditSink(path) });
  for (let i = 0; i < n; i++) hsm.generateKey({ usage: 'D0', algorithm: 'AES128' });
}

describe('audit log', () => {
  test('a chain of records verifies, across sink restarts', () => {
    const { path, done } = freshLog();
    writeRecords(path, 3);
    writeRecords(path, 2);
    expect(verifyAuditLog(path)).toEqual({ ok: true, records: 5 });
    const first = JSON.parse(readFileSync(path, 'utf8').split('\n')[0]!);
    expect(first).toMatchObject({ seq: 0, operation: 'generateKey', outcome: 'success', usage: 'D0' });
    expect(first.keyKcv).toMatch(/^[0-9A-F]{6}$/);
    done();
  });

  test.each([
    ['removing a record', (lines: string[]) => lines.filter((_, i) => i !== 2)],
    ['editing a field', (lines: string[]) => lines.map((l, i) => (i === 1 ? l.replace('"success"', '"failure"') : l))],
    ['reordering two records', (lines: string[]) => [lines[0]!, lines[2]!, lines[1]!, ...lines.slice(3)]],
    ['a line that is not JSON', (lines: string[]) => [...lines.slice(0, 3), '{', ...lines.slice(3)]],
  ])('detects %s', (_, change) => {
    const { path, done } = freshLog();
    writeRecords(path, 5);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    writeFileSync(path, change(lines).join('\n') + '\n');
    const result = verifyAuditLog(path);
    expect(result.ok).toBe(false);
    expect(result.badLine).toBeGreaterThan(0);
    done();
  });

  test('maskPan keeps the first 6 and last 4 digits', () => {
    expect(maskPan('4123456789012345')).toBe('412345******2345');
    expect(maskPan('123')).toBeUndefined();
    expect(maskPan(42)).toBeUndefined();
  });
});
