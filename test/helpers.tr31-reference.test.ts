/**
 * Proves the TR-31 / X9.143 reference in ./helpers/tr31-reference.ts against every
 * public key block in ./vectors/tr31.json:
 *  - unwrap: MAC verifies, the clear key and the clear header come out, and the
 *    header fields and optional blocks read by the reference match the vector;
 *  - wrap: where the source fixes the padding, wrapping the key with that
 *    padding reproduces the published block byte for byte; for every other
 *    vector the padding recovered by unwrapping is fed back to the wrapper,
 *    which must again reproduce the published block exactly (A/C are
 *    deterministic given the padding; B/D too, since the IV is the MAC);
 *  - tampering with any part of a block makes unwrap throw.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { refDecodeTr31, refParseTr31Header, refUnwrapTr31, refWrapTr31 } from './helpers/tr31-reference.js';

interface Tr31Vector {
  source: string;
  kbpk: string;
  keyBlock: string;
  key: string;
  padding?: string;
  note?: string;
  header: {
    version: string;
    usage: string;
    algorithm: string;
    modeOfUse: string;
    keyVersion: string;
    exportability: string;
    optionalBlocks: { id: string; data: string }[];
  };
}

const file = new URL('./vectors/tr31.json', import.meta.url);
const { vectors, legacyExtendedLength } = JSON.parse(readFileSync(file, 'utf8')) as {
  vectors: Tr31Vector[];
  legacyExtendedLength: { vectors: Tr31Vector[] };
};

function hex(s: string): Uint8Array {
  if (s.length % 2 !== 0 || !/^[0-9A-F]*$/.test(s)) throw new Error(`not uppercase hex: ${s}`);
  return Uint8Array.from(Buffer.from(s, 'hex'));
}

function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex').toUpperCase();
}

/** Header with its length field zeroed: the wrapper must fill it in. */
function zeroLength(header: string): string {
  return `${header.slice(0, 1)}0000${header.slice(5)}`;
}

/** Flip one hexadecimal character (or, in the header, one letter/digit). */
function flipChar(s: string, i: number): string {
  const c = s.charAt(i);
  const r = c === '0' ? '1' : c === 'A' ? 'B' : c === 'a' ? 'b' : '0';
  return s.slice(0, i) + r + s.slice(i + 1);
}

const label = (v: Tr31Vector, i: number): string => `#${i + 1} ${v.keyBlock.slice(0, 16)} ${v.source.slice(0, 80)}`;

describe('tr31.json: shape', () => {
  it('has vectors for every version A, B, C and D', () => {
    const versions = new Set(vectors.map((v) => v.keyBlock.charAt(0)));
    expect([...versions].sort()).toEqual(['A', 'B', 'C', 'D']);
  });
  it('every vector names a source and has uppercase hex KBPK / key / padding', () => {
    for (const v of vectors) {
      expect(v.source.length).toBeGreaterThan(10);
      expect(v.kbpk).toMatch(/^([0-9A-F]{2})+$/);
      expect(v.key).toMatch(/^([0-9A-F]{2})+$/);
      if (v.padding !== undefined) expect(v.padding).toMatch(/^([0-9A-F]{2})*$/);
    }
  });
  it('no key block appears twice', () => {
    expect(new Set(vectors.map((v) => v.keyBlock)).size).toBe(vectors.length);
  });
});

describe('TR-31 reference: unwrap every public vector', () => {
  vectors.forEach((v, i) => {
    it(label(v, i), () => {
      const kbpk = hex(v.kbpk);
      const { header, key } = refUnwrapTr31(kbpk, v.keyBlock);
      expect(toHex(key)).toBe(v.key);
      expect(v.keyBlock.startsWith(header)).toBe(true);

      const f = refParseTr31Header(v.keyBlock);
      expect(f.header).toBe(header);
      expect(f.length).toBe(v.keyBlock.length);
      expect({
        version: f.version,
        usage: f.usage,
        algorithm: f.algorithm,
        modeOfUse: f.modeOfUse,
        keyVersion: f.keyVersion,
        exportability: f.exportability,
        optionalBlocks: f.optionalBlocks,
      }).toEqual(v.header);
      expect(f.optionalBlockCount).toBe(v.header.optionalBlocks.length);
    });
  });
});

describe('TR-31 reference: wrap reproduces every public vector', () => {
  vectors.forEach((v, i) => {
    it(label(v, i), () => {
      const kbpk = hex(v.kbpk);
      const decoded = refDecodeTr31(kbpk, v.keyBlock);
      if (v.padding !== undefined) {
        // The source fixes the padding: it must be exactly what was encrypted,
        // and wrapping with it must give the published block.
        expect(toHex(decoded.padding)).toBe(v.padding);
        expect(refWrapTr31(kbpk, zeroLength(decoded.header), hex(v.key), hex(v.padding))).toBe(v.keyBlock);
      } else {
        // Padding recovered from the block; the published text may use lowercase hex.
        const wrapped = refWrapTr31(kbpk, zeroLength(decoded.header), hex(v.key), decoded.padding);
        expect(wrapped).toBe(decoded.header + v.keyBlock.slice(decoded.header.length).toUpperCase());
      }
    });
  });
});

describe('TR-31 reference: tampering is detected', () => {
  vectors.forEach((v, i) => {
    it(label(v, i), () => {
      const kbpk = hex(v.kbpk);
      const h = refParseTr31Header(v.keyBlock).header.length;
      const n = v.keyBlock.length;
      // Header usage byte, first and last encrypted characters, last MAC character.
      for (const pos of [
        5,
        h,
        n - (v.keyBlock.charAt(0) === 'D' ? 33 : v.keyBlock.charAt(0) === 'B' ? 17 : 9),
        n - 1,
      ]) {
        expect(() => refUnwrapTr31(kbpk, flipChar(v.keyBlock, pos))).toThrow();
      }
      // Wrong KBPK.
      const wrong = hex(v.kbpk);
      wrong[0] = (wrong[0] as number) ^ 0x02;
      expect(() => refUnwrapTr31(wrong, v.keyBlock)).toThrow(/MAC/);
    });
  });
});

describe('tr31.json legacyExtendedLength: length of length counted in bytes (psec, paysec)', () => {
  legacyExtendedLength.vectors.forEach((v, i) => {
    it(label(v, i), () => {
      const kbpk = hex(v.kbpk);
      // The X9.143 (characters) reading cannot find the end of this header...
      expect(() => refUnwrapTr31(kbpk, v.keyBlock)).toThrow();
      // ...the legacy byte reading can, and then the MAC verifies.
      const opts = { extendedLengthUnit: 'bytes' as const };
      const d = refDecodeTr31(kbpk, v.keyBlock, opts);
      expect(toHex(d.key)).toBe(v.key);
      expect(d.fields.optionalBlocks).toEqual(v.header.optionalBlocks);
      expect(refWrapTr31(kbpk, zeroLength(d.header), d.key, d.padding, opts)).toBe(v.keyBlock);
    });
  });
});

describe('TR-31 reference: header parsing of published optional-block layouts', () => {
  // knovichikhin/psec tests/test_tr31.py: test_header_load_optional_256 and
  // test_header_load_optional_extended_length (extended-length optional blocks).
  it('psec test_header_load_optional_256: KS0002010A + 256 data characters', () => {
    const h = refParseTr31Header(`B0000P0TE00N0200KS0002010A${'P'.repeat(256)}PB0600`, { extendedLengthUnit: 'bytes' });
    expect(h.header.length).toBe(288);
    expect(h.optionalBlocks).toEqual([
      { id: 'KS', data: 'P'.repeat(256) },
      { id: 'PB', data: '00' },
    ]);
  });
  it('psec test_header_load_optional_extended_length: KS00011600604B120F9292', () => {
    const h = refParseTr31Header('B0000P0TE00N0200KS00011600604B120F9292PB0A000000', { extendedLengthUnit: 'bytes' });
    expect(h.header.length).toBe(48);
    expect(h.optionalBlocks).toEqual([
      { id: 'KS', data: '00604B120F9292' },
      { id: 'PB', data: '000000' },
    ]);
  });
  it('psec test_header_load_optional_multiple: KS, T1 (empty), T2, PB', () => {
    const h = refParseTr31Header('B0000P0TE00N0400KS1800604B120F9292800000T104T20600PB0600xxxxxxxx');
    expect(h.header).toBe('B0000P0TE00N0400KS1800604B120F9292800000T104T20600PB0600');
    expect(h.optionalBlocks.map((b) => b.id)).toEqual(['KS', 'T1', 'T2', 'PB']);
    expect(h.optionalBlocks[1]?.data).toBe('');
  });
  it('rejects malformed optional blocks', () => {
    expect(() => refParseTr31Header('B0000P0TE00N0100')).toThrow();
    expect(() => refParseTr31Header('B0000P0TE00N0100KS02')).toThrow();
    expect(() => refParseTr31Header('B0000P0TE00N0100KS0000')).toThrow();
    expect(() => refParseTr31Header('B0000P0TE00N0100KS0001FF')).toThrow();
  });
});

describe('TR-31 reference: wrap input checks', () => {
  const kbpk = hex('00112233445566778899AABBCCDDEEFF');
  it('rejects padding that leaves the key data off a block boundary', () => {
    expect(() => refWrapTr31(kbpk, 'D0000P0TE00N0000', new Uint8Array(16), new Uint8Array(13))).toThrow();
  });
  it('rejects a header that is not block aligned', () => {
    expect(() =>
      refWrapTr31(kbpk, 'B0000P0TE00N0100KS1200604B120F9292', new Uint8Array(16), new Uint8Array(6)),
    ).toThrow();
  });
  it('rejects an empty key (unwrap would reject a 0-bit key length, as psec and openemv do)', () => {
    expect(() => refWrapTr31(kbpk, 'D0000P0TE00N0000', new Uint8Array(0), new Uint8Array(14))).toThrow();
  });
  it('rejects unsupported versions and KBPK sizes', () => {
    expect(() => refWrapTr31(kbpk, 'E0000P0TE00N0000', new Uint8Array(16), new Uint8Array(14))).toThrow();
    expect(() => refWrapTr31(new Uint8Array(8), 'B0000P0TE00N0000', new Uint8Array(8), new Uint8Array(6))).toThrow();
    expect(() => refWrapTr31(new Uint8Array(20), 'D0000P0TE00N0000', new Uint8Array(16), new Uint8Array(14))).toThrow();
  });
  it('unwrap rejects a length field that disagrees with the block', () => {
    const v = vectors.find((x) => x.keyBlock.startsWith('B0080P0TE00E0000'));
    if (!v) throw new Error('vector missing');
    expect(() => refUnwrapTr31(hex(v.kbpk), `${v.keyBlock}00000000`)).toThrow(/length/);
  });
});
