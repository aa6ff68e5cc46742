// Properties of the facade: every single-character change of any LMK key block is refused (mostly by the MAC),
// and no clear key, PIN or full PAN used in a run ever appears in an error, inspect output, JSON or audit record.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { inspect } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as api from '../src/index.js';
import { CardHsmError, JsonlAuditSink } from '../src/index.js';
import { CLEAR, LMK, makeHsm, testHsm } from './helpers/hsm.js';

const { hsm, keys } = makeHsm();
const CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef !~';

describe('tampering', () => {
  test('any single-character change of any key block is refused with a CardHsmError', () => {
    const blocks = Object.values(keys);
    fc.assert(
      fc.property(fc.constantFrom(...blocks), fc.nat(), fc.constantFrom(...CHARS), (block, at, c) => {
        const i = at % block.length;
        fc.pre(block[i] !== c);
        const tampered = block.slice(0, i) + c + block.slice(i + 1);
        let error: unknown;
        try {
          hsm.describeKey(tampered);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(CardHsmError);
        // Header and body changes that still parse reach the MAC.
        expect(['ERR_TR31_MAC', 'ERR_TR31_HEADER', 'ERR_TR31_LENGTH', 'ERR_FORMAT']).toContain(
          (error as CardHsmError).code,
        );
      }),
      { numRuns: 2000 },
    );
  });

  test('a changed usage, mode or exportability that parses is caught by the MAC', () => {
    for (const [at, c] of [
      [5, 'D'],
      [8, 'N'],
      [11, 'N'],
      [9, '9'],
    ] as const) {
      const t = keys.zpk.slice(0, at) + c + keys.zpk.slice(at + 1);
      expect(() => hsm.describeKey(t)).toThrow(expect.objectContaining({ code: 'ERR_TR31_MAC' }));
    }
  });
});

describe('secrets stay inside', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cardhsm-audit-'));
  const path = join(dir, 'audit.jsonl');
  const auditFile = new JsonlAuditSink(path);
  const secretHsm = testHsm({ lmk: LMK, audit: auditFile });
  const PIN = '8642';
  const PAN = '5413330089020011';
  const clearKeys = [LMK, ...Object.values(CLEAR)].map(api.bytesToHex);
  const outputs: string[] = [];
  const capture = (fn: () => unknown) => {
    try {
      const r = fn();
      outputs.push(inspect(r, { depth: 5 }));
    } catch (e) {
      outputs.push((e as Error).message, String((e as Error).stack), inspect(e, { depth: 5 }), JSON.stringify(e));
    }
  };

  test('errors, inspect, JSON and the audit log carry no clear key, PIN or full PAN', () => {
    const block = secretHsm.encryptClearPin({ pinKey: keys.zpk, pin: PIN, pan: PAN, format: 0 });
    capture(() => secretHsm.generateCvv({ cvk: keys.zpk, pan: PAN, expiry: '2512', serviceCode: '101' }));
    capture(() => secretHsm.generateCvv({ cvk: keys.cvk, pan: `${PAN}1234`, expiry: '2512', serviceCode: '101' }));
    capture(() =>
      secretHsm.translatePinBlock({
        pinBlock: block,
        pan: PAN,
        from: { key: keys.zpk, format: 0 },
        to: { key: keys.zpk2, format: 1 },
      }),
    );
    capture(() =>
      secretHsm.translatePinBlock({
        pinBlock: block,
        pan: PAN,
        from: { key: keys.zpk2, format: 0 },
        to: { key: keys.zpk, format: 0 },
      }),
    );
    capture(() => secretHsm.verifyCvv2({ cvk: keys.cvk, pan: PAN, expiry: '2512', cvv: '000' }));
    capture(() => secretHsm.describeKey(`${keys.cvk.slice(0, -1)}0`));
    capture(() =>
      secretHsm.importKeyComponents({
        usage: 'C0',
        algorithm: 'TDES2',
        components: [CLEAR.cvk, CLEAR.zpk],
        kcv: '000000',
      }),
    );
    capture(() =>
      secretHsm.exportSecurityValues({
        cvk: keys.cvk,
        pan: PAN,
        expiry: '2512',
        serviceCode: '101',
        transportKey: keys.transport,
        pinBlock: block,
        pinKey: keys.zpk,
      }),
    );
    capture(() => secretHsm);
    outputs.push(JSON.stringify(secretHsm), String(secretHsm), JSON.stringify(keys));
    const audit = readFileSync(path, 'utf8');
    expect(audit.split('\n').length).toBeGreaterThan(8);
    const haystack = (outputs.join('\n') + audit).toUpperCase();
    for (const secret of [...clearKeys, PAN])
      expect(haystack.includes(secret), `found a ${secret.length}-character secret`).toBe(false);
    // The PIN is 4 digits and may occur by chance inside hex; check it where it could leak as a value.
    expect(audit.includes(`"${PIN}"`) || outputs.some((o) => o.includes(`'${PIN}'`) || o.includes(`"${PIN}"`))).toBe(
      false,
    );
    expect(audit).toContain('541333******0011');
    rmSync(dir, { recursive: true, force: true });
  });
});
