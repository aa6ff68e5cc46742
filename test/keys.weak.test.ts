// Keys that must never be formed (src/keys/weak.ts): the weak and semi-weak DES keys of NIST SP 800-67 Rev. 2
// §3.3.2 — each proven here to have its property with the DES kernel, so a mistyped list entry fails — and their
// refusal wherever a key is formed from components or imported: Hsm.importKeyComponents, combineLmkComponents,
// Hsm.importKey (with the SP 800-57 strength rule).
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  bytesToHex,
  combineLmkComponents,
  fixDesParity,
  hexToBytes,
  tdesDecryptEcb,
  tdesEncryptEcb,
  wrapTr31,
} from '../src/index.js';
import { checkNotWeak, isWeakDesKey, weakDesKeys } from '../src/keys/_weak.js';
import { expectCardHsmError } from './helpers/errors.js';
import { testHsm } from './helpers/hsm.js';

const X = hexToBytes('0123456789ABCDEF');

describe('the list (SP 800-67 Rev. 2 §3.3.2)', () => {
  const keys = weakDesKeys();

  test('4 weak keys: encryption is its own inverse', () => {
    const weak = keys.filter((k) => bytesToHex(tdesEncryptEcb(k, tdesEncryptEcb(k, X))) === bytesToHex(X));
    expect(weak.map(bytesToHex)).toEqual([
      '0101010101010101',
      'FEFEFEFEFEFEFEFE',
      'E0E0E0E0F1F1F1F1',
      '1F1F1F1F0E0E0E0E',
    ]);
  });

  test('12 semi-weak keys in 6 pairs: each pair undoes the other, and nothing else on the list does', () => {
    const semi = keys.slice(4);
    expect(semi).toHaveLength(12);
    for (let i = 0; i < semi.length; i += 2) {
      expect(tdesEncryptEcb(semi[i]!, tdesEncryptEcb(semi[i + 1]!, X))).toEqual(X);
      expect(tdesEncryptEcb(semi[i]!, X)).toEqual(tdesDecryptEcb(semi[i + 1]!, X));
    }
  });

  test('parity bits are ignored; other keys are not weak', () => {
    expect(isWeakDesKey(new Uint8Array(8))).toBe(true); // 0000000000000000 is 0101010101010101 without parity
    expect(isWeakDesKey(hexToBytes('FFFFFFFFFFFFFFFF'))).toBe(true);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), (k) => {
        const listed = weakDesKeys().some((w) => bytesToHex(w) === bytesToHex(fixDesParity(k)));
        expect(isWeakDesKey(k)).toBe(listed);
      }),
    );
  });

  test('checkNotWeak: all zeros, weak parts, repeated parts; AES keys only all zeros', () => {
    expectCardHsmError(() => checkNotWeak('k', new Uint8Array(32), false), 'ERR_WEAK_KEY', 'k');
    expectCardHsmError(
      () => checkNotWeak('k', hexToBytes('0123456789ABCDEF' + '1F1F1F1F0E0E0E0E'), true),
      'ERR_WEAK_KEY',
      'k',
    );
    expectCardHsmError(
      () => checkNotWeak('k', hexToBytes('0123456789ABCDEF0123456789ABCDEF'), true),
      'ERR_WEAK_KEY',
      'k',
    );
    expectCardHsmError(
      () => checkNotWeak('k', hexToBytes('0123456789ABCDEFFEDCBA9876543210FEDCBA9876543210'), true),
      'ERR_WEAK_KEY',
      'k',
    );
    expect(() => checkNotWeak('k', hexToBytes('0123456789ABCDEFFEDCBA98765432100123456789ABCDEF'), true)).not.toThrow(); // K1 = K3 is 2-key TDES
    expect(() => checkNotWeak('k', hexToBytes('0101010101010101FEFEFEFEFEFEFEFE'), false)).not.toThrow(); // an AES key
  });
});

describe('forming keys', () => {
  const hsm = testHsm({ lmk: new Uint8Array(32).fill(7) });
  const c1 = hexToBytes('0123456789ABCDEFFEDCBA9876543210');
  const form =
    (components: Uint8Array[], algorithm: 'TDES2' | 'TDES3' | 'AES128' = 'TDES2') =>
    () =>
      hsm.importKeyComponents({ usage: 'C0', algorithm, components, fixParity: true });

  test('identical components are refused (their XOR cancels), as is a set of three with a repeat', () => {
    expectCardHsmError(form([c1, c1]), 'ERR_WEAK_KEY', 'components[1]');
    expectCardHsmError(form([c1, hexToBytes('01010101010101010101010101010101'), c1]), 'ERR_WEAK_KEY', 'components[2]');
    // Components that differ only in parity bits are the same DES key.
    expectCardHsmError(form([c1, Uint8Array.from(c1, (b) => b ^ 1)]), 'ERR_WEAK_KEY', 'components[1]');
  });

  test('components that XOR to a weak, semi-weak, degenerate or all-zero key are refused', () => {
    const other = hexToBytes('1122334455667788AABBCCDDEEFF0011');
    for (const target of [
      '0101010101010101' + '0123456789ABCDEF',
      '0123456789ABCDEF' + '01FE01FE01FE01FE',
      '0123456789ABCDEF0123456789ABCDEF',
    ]) {
      const t = hexToBytes(target);
      expectCardHsmError(form([other, t.map((b, i) => b ^ other[i]!)]), 'ERR_WEAK_KEY', 'components');
    }
    const aes = hexToBytes('000102030405060708090A0B0C0D0E0F');
    expectCardHsmError(
      () => hsm.importKeyComponents({ usage: 'D0', algorithm: 'AES128', components: [aes, aes.slice()] }),
      'ERR_WEAK_KEY',
      'components[1]',
    );
    expect(
      hsm.importKeyComponents({
        usage: 'C0',
        algorithm: 'TDES2',
        components: [c1, hexToBytes('01010101010101010101010101010101')],
      }).kcv,
    ).toBe('08D7B4');
  });

  test('combineLmkComponents refuses identical components and an all-zero LMK', () => {
    const a = new Uint8Array(32).fill(0x5a);
    expectCardHsmError(() => combineLmkComponents([a, a.slice()]), 'ERR_WEAK_KEY', 'components[1]');
    expectCardHsmError(
      () => combineLmkComponents([a, new Uint8Array(32).fill(0x33), new Uint8Array(32).fill(0x5a ^ 0x33)]),
      'ERR_WEAK_KEY',
      'components',
    );
  });

  test('importKey: a key stronger than its KEK is refused (SP 800-57), as on export', () => {
    const kekClear = hexToBytes('89ABCDEF0123456776543210FEDCBA98');
    const kek = hsm.importKeyComponents({
      usage: 'K0',
      algorithm: 'TDES2',
      components: [kekClear, hexToBytes('01010101010101010101010101010101')],
    });
    const kekKey = kekClear.map((b) => b ^ 1);
    const aes256 = wrapTr31(kekKey, 'B0000D0AB00E0000', new Uint8Array(32).fill(0x42));
    expectCardHsmError(() => hsm.importKey({ keyBlock: aes256, kek: kek.keyBlock }), 'ERR_KEY_USAGE', 'keyBlock');
    const tdes = wrapTr31(kekKey, 'B0000C0TC00E0000', hexToBytes('0123456789ABCDEFFEDCBA9876543210'));
    expect(hsm.importKey({ keyBlock: tdes, kek: kek.keyBlock }).kcv).toBe('08D7B4');
    const weak = wrapTr31(kekKey, 'B0000C0TC00E0000', hexToBytes('0123456789ABCDEF0123456789ABCDEF'));
    expectCardHsmError(() => hsm.importKey({ keyBlock: weak, kek: kek.keyBlock }), 'ERR_WEAK_KEY', 'keyBlock');
  });
});
