// Authorized activities: every public Hsm method × every profile. A method outside the profile's activities is
// refused with ERR_NOT_AUTHORIZED before anything else — before its arguments are even read, so the call here
// passes none — and audited; a method inside it gets past authorization (to whatever its arguments earn).
import { describe, expect, test } from 'vitest';
import {
  ACTIVITIES,
  CardHsmError,
  HSM_PROFILES,
  Hsm,
  MemoryAuditSink,
  MemoryStore,
  METHOD_ACTIVITIES,
  type HsmMethod,
  type ProfileName,
} from '../src/index.js';
import { LMK } from './helpers/hsm.js';
import { expectCardHsmError } from './helpers/errors.js';

const METHODS = Object.keys(METHOD_ACTIVITIES) as HsmMethod[];

/** The code a call with no arguments ends in, synchronous or not. */
async function outcome(hsm: Hsm, method: HsmMethod): Promise<string> {
  try {
    const r = (hsm[method] as (...a: unknown[]) => unknown)();
    if (r && typeof (r as AsyncGenerator).next === 'function') await (r as AsyncGenerator).next();
    else await r;
    return 'ok';
  } catch (e) {
    if (!(e instanceof CardHsmError)) throw e;
    return e.code;
  }
}

test('METHOD_ACTIVITIES names every public method of Hsm, and only those', () => {
  const own = Object.getOwnPropertyNames(Hsm.prototype).filter(
    (m) => m !== 'constructor' && m !== 'toString' && m !== 'toJSON',
  );
  expect([...own].sort()).toEqual([...METHODS].sort());
  for (const activity of Object.values(METHOD_ACTIVITIES)) expect(ACTIVITIES).toContain(activity);
});

test('the profiles: authorization generates nothing; custodian touches no card', () => {
  const generating = [
    'keys.generate',
    'keys.import',
    'keys.export',
    'lmk.rotate',
    'card.generate',
    'pin.clear',
    'pin.issue',
    'issue',
    'token.detokenize',
    'data.decrypt',
  ];
  for (const a of generating) expect(HSM_PROFILES.authorization).not.toContain(a);
  for (const a of HSM_PROFILES.custodian) expect(a.startsWith('keys.') || a === 'lmk.rotate').toBe(true);
  expect(HSM_PROFILES.issuance).toEqual(expect.arrayContaining([...HSM_PROFILES.authorization]));
});

describe('every method × every profile', () => {
  for (const profile of Object.keys(HSM_PROFILES) as ProfileName[]) {
    test(profile, async () => {
      const audit = new MemoryAuditSink();
      const hsm = new Hsm({ lmk: LMK, activities: profile, store: new MemoryStore(), audit });
      for (const method of METHODS) {
        const allowed = HSM_PROFILES[profile].includes(METHOD_ACTIVITIES[method]);
        const code = await outcome(hsm, method);
        if (allowed) expect(code, method).not.toBe('ERR_NOT_AUTHORIZED');
        else {
          expect(code, method).toBe('ERR_NOT_AUTHORIZED');
          expect(audit.records.at(-1), method).toMatchObject({
            operation: method,
            activity: METHOD_ACTIVITIES[method],
            profile,
            outcome: 'error',
            errorCode: 'ERR_NOT_AUTHORIZED',
            keyKcv: null,
          });
        }
      }
    });
  }

  test('a list of activities makes a narrower role; the default profile is authorization', async () => {
    const tokenizer = new Hsm({ lmk: LMK, activities: ['token.tokenize'] });
    expect(await outcome(tokenizer, 'tokenizePan')).not.toBe('ERR_NOT_AUTHORIZED');
    expect(await outcome(tokenizer, 'translatePinBlock')).toBe('ERR_NOT_AUTHORIZED');
    expect(String(tokenizer)).toContain('profile=custom');
    expect(String(new Hsm({ lmk: LMK }))).toContain('profile=authorization');
    for (const bad of ['admin', [], ['keys.everything'], 42])
      expectCardHsmError(() => new Hsm({ lmk: LMK, activities: bad as never }), 'ERR_FORMAT', 'activities');
  });
});
