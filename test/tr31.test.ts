// TR-31 / X9.143 key blocks: known answers from public sources (ANSI X9 TR-31:2018 Annex A, X9.143:2021 section
// 8, ISO 20038, psec, openemv/tr31, paysec, chhil/TR31Keyblock; test/vectors/tr31.json), and precise errors.
import { describe, expect, test } from 'vitest';
import * as api from '../src/index.js';
import { loadVectors, str, title, type Vector } from './helpers/vectors.js';
import { expectCardHsmError } from './helpers/errors.js';
import { refDecodeTr31 } from './helpers/tr31-reference.js';
import { readFileSync } from 'node:fs';

const h = api.hexToBytes;
const hex = api.bytesToHex;

/** The clear header of a vector's block: everything before the hex body, found by parsing. */
function headerText(v: Vector): string {
  const block = str(v, 'keyBlock');
  const parsed = api.parseTr31Header(block);
  const body =
    2 * (2 + h(str(v, 'key')).length + h(str(v, 'padding')).length) +
    (parsed.version === 'D' ? 32 : parsed.version === 'B' ? 16 : 8);
  return block.slice(0, block.length - body);
}

describe('known answers (test/vectors/tr31.json)', () => {
  loadVectors('tr31').forEach((v, i) => {
    test(title(v, i), () => {
      // One public producer writes lowercase hex; X9.143 key blocks are uppercase, and cardhsm is strict.
      const block =
        str(v, 'keyBlock').toUpperCase() === str(v, 'keyBlock')
          ? str(v, 'keyBlock')
          : str(v, 'keyBlock').replace(/[0-9a-f]+$/, (s) => s.toUpperCase());
      const { header, key } = api.unwrapTr31(h(str(v, 'kbpk')), block);
      expect(hex(key)).toBe(str(v, 'key').toUpperCase());
      const expected = v.header as unknown as Record<string, unknown> | undefined;
      if (expected) {
        expect(header).toMatchObject({
          version: expected.version,
          usage: expected.usage,
          algorithm: expected.algorithm,
          modeOfUse: expected.modeOfUse,
          keyVersion: expected.keyVersion,
          exportability: expected.exportability,
        });
        const blocks = (expected.optionalBlocks as { id: string; data: string }[] | undefined) ?? [];
        expect(header.optionalBlocks.map((b) => b.id)).toEqual(expect.arrayContaining(blocks.map((b) => b.id)));
      }
      // Where the source gives the padding, wrapping reproduces the block byte for byte (versions B and D).
      if (v.padding !== undefined && (header.version === 'B' || header.version === 'D')) {
        expect(api.wrapTr31(h(str(v, 'kbpk')), headerText(v), key, { padding: h(str(v, 'padding')) })).toBe(block);
      }
    });
  });
});

describe('extended-length optional blocks (ANSI X9.143:2021 6.2 table 1)', () => {
  const all = loadVectors('tr31');
  const published = all.filter((v) => /^ANSI X9\.143:2021 section 8\.[56] sample/.test(v.source));
  const { legacyExtendedLength } = JSON.parse(
    readFileSync(new URL('./vectors/tr31.json', import.meta.url), 'utf8'),
  ) as { legacyExtendedLength: { vectors: Vector[] } };

  test('the published 8.5 and 8.6 blocks unwrap to their RSA and EC private keys, optional blocks intact', () => {
    expect(published).toHaveLength(2);
    for (const v of published) {
      const { header, key } = api.unwrapTr31(h(str(v, 'kbpk')), str(v, 'keyBlock'));
      expect(hex(key)).toBe(str(v, 'key'));
      expect(header.optionalBlocks).toEqual((v.header as unknown as { optionalBlocks: unknown }).optionalBlocks);
    }
    expect(published.map((v) => str(v, 'keyBlock').slice(16, 22))).toEqual(['CT0004', 'CT0004']);
  });

  test('cardhsm writes the standard form: the published blocks come back byte for byte from their key, header and padding', () => {
    for (const v of published) {
      const kbpk = h(str(v, 'kbpk'));
      const { header, key } = api.unwrapTr31(kbpk, str(v, 'keyBlock'));
      const { padding } = refDecodeTr31(kbpk, str(v, 'keyBlock'));
      expect(
        api.wrapTr31(
          kbpk,
          { ...header, length: 0, optionalBlocks: header.optionalBlocks.filter((b) => b.id !== 'PB') },
          key,
          { padding },
        ),
      ).toBe(str(v, 'keyBlock'));
    }
  });

  test('the legacy form that psec and paysec write ("00" "02" + 4 digits) is read too', () => {
    expect(legacyExtendedLength.vectors).toHaveLength(2);
    for (const v of legacyExtendedLength.vectors) {
      expect(str(v, 'keyBlock').slice(16, 22)).toBe('CT0002');
      const { header, key } = api.unwrapTr31(h(str(v, 'kbpk')), str(v, 'keyBlock'));
      expect(hex(key)).toBe(str(v, 'key'));
      expect(header.optionalBlocks).toEqual((v.header as unknown as { optionalBlocks: unknown }).optionalBlocks);
    }
    // psec tests/test_tr31.py test_header_load_optional_256 and _extended_length (headers, no MAC).
    expect(api.parseTr31Header(`B0288P0TE00N0200KS0002010A${'P'.repeat(256)}PB0600`).optionalBlocks[0]).toEqual({
      id: 'KS',
      data: 'P'.repeat(256),
    });
    expect(api.parseTr31Header('B0048P0TE00N0200KS00011600604B120F9292PB0A000000').optionalBlocks[0]).toEqual({
      id: 'KS',
      data: '00604B120F9292',
    });
  });

  test('lowercase hex in optional-block lengths is read (the MAC still covers the exact text); the body stays strict', () => {
    const kbpk = h('88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6');
    const data = 'Z'.repeat(304); // 10 + 304 = 0x13A
    const block = api.wrapTr31(
      kbpk,
      {
        version: 'D',
        length: 0,
        usage: 'S0',
        algorithm: 'R',
        modeOfUse: 'S',
        keyVersion: '00',
        exportability: 'N',
        optionalBlocks: [
          { id: 'CT', data },
          { id: 'KS', data: 'ABCDEFABCDEFABCDEFABCD' },
        ],
        reserved: '00',
      },
      new Uint8Array(32),
    );
    expect(block).toContain('CT0004013A');
    expect(api.parseTr31Header(block.replace('CT0004013A', 'CT0004013a')).optionalBlocks[0]!.data).toBe(data);
    expect(api.parseTr31Header(block.replace('KS1A', 'KS1a')).optionalBlocks[1]!.data).toBe('ABCDEFABCDEFABCDEFABCD');
    // Same text read, different text MACed: the edited block does not verify.
    expectCardHsmError(
      () => api.unwrapTr31(kbpk, block.replace('CT0004013A', 'CT0004013a')),
      'ERR_TR31_MAC',
      'keyBlock',
    );
  });

  test('a length of length that no writer uses is refused', () => {
    for (const lol of ['00', '09', 'FF']) {
      expectCardHsmError(
        () => api.parseTr31Header(`D0000S0RS00N0100CT00${lol}0500`),
        'ERR_TR31_HEADER',
        'optionalBlocks[0]',
      );
    }
  });
});

describe('wrap', () => {
  const kbpk = h('88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6');
  const key = h('3F419E1CB7079442AA37474C2EFBF8B8');

  test('computes the length field; accepts a header object; default padding hides the key length', () => {
    const header = {
      version: 'D' as const,
      length: 0,
      usage: 'P0',
      algorithm: 'A',
      modeOfUse: 'E',
      keyVersion: '00',
      exportability: 'E',
      optionalBlocks: [],
      reserved: '00',
    };
    const short = api.wrapTr31(kbpk, header, key);
    const long = api.wrapTr31(kbpk, header, h('3F419E1CB7079442AA37474C2EFBF8B83F419E1CB7079442AA37474C2EFBF8B8'));
    expect(short.length).toBe(long.length); // both padded to an AES-256-sized key field
    expect(Number(short.slice(1, 5))).toBe(short.length);
    expect(short).not.toBe(api.wrapTr31(kbpk, header, key)); // random padding
    expect(api.unwrapTr31(kbpk, short).key).toEqual(key);
  });

  test('optional blocks: kept in order, padded with PB, extended lengths for long data', () => {
    const long = 'X'.repeat(300);
    const block = api.wrapTr31(
      kbpk,
      {
        version: 'D',
        length: 0,
        usage: 'S0',
        algorithm: 'R',
        modeOfUse: 'S',
        keyVersion: '00',
        exportability: 'N',
        optionalBlocks: [
          { id: 'KS', data: '00604B120F9292800000' },
          { id: 'CT', data: long },
        ],
        reserved: '00',
      },
      new Uint8Array(600),
    );
    const { header, key } = api.unwrapTr31(kbpk, block);
    expect(key).toEqual(new Uint8Array(600));
    expect(header.optionalBlocks.map((b) => b.id)).toEqual(['KS', 'CT', 'PB']);
    expect(header.optionalBlocks[1]!.data).toBe(long);
    expect(block).toContain('CT00040136'); // '00', a 4-character length follows (X9.143 6.2), 0x0136 = 310 characters
    // A header string round-trips through unwrap and wrap.
    const again = api.wrapTr31(
      kbpk,
      block.slice(0, block.indexOf(header.optionalBlocks[2]!.data, 16) + header.optionalBlocks[2]!.data.length),
      key,
    );
    expect(api.parseTr31Header(again)).toEqual(api.parseTr31Header(block));
  });

  test('strict on encode', () => {
    const k16 = new Uint8Array(16);
    expectCardHsmError(() => api.wrapTr31(k16, 'A0000P0TE00E0000', key), 'ERR_TR31_HEADER', 'version');
    expectCardHsmError(() => api.wrapTr31(k16, 'B0000ZZTE00E0000', key), 'ERR_TR31_HEADER', 'usage');
    expectCardHsmError(() => api.wrapTr31(k16, 'B0000P0QE00E0000', key), 'ERR_TR31_HEADER', 'algorithm');
    expectCardHsmError(() => api.wrapTr31(k16, 'B0000P0TQ00E0000', key), 'ERR_TR31_HEADER', 'modeOfUse');
    expectCardHsmError(() => api.wrapTr31(k16, 'B0000P0TE00Q0000', key), 'ERR_TR31_HEADER', 'exportability');
    expectCardHsmError(() => api.wrapTr31(k16, 'B0000P0TE00E0000extra', key), 'ERR_TR31_HEADER', 'header');
    expectCardHsmError(
      () => api.wrapTr31(k16, 'D0000P0TE00E0000', key, { padding: new Uint8Array(3) }),
      'ERR_LENGTH',
      'opts.padding',
    );
    expectCardHsmError(
      () =>
        api.wrapTr31(
          k16,
          {
            version: 'D',
            length: 0,
            usage: 'P0',
            algorithm: 'A',
            modeOfUse: 'E',
            keyVersion: '00',
            exportability: 'E',
            optionalBlocks: [
              { id: 'PB', data: '0' },
              { id: 'KS', data: '1' },
            ],
            reserved: '00',
          },
          key,
        ),
      'ERR_TR31_HEADER',
      'optionalBlocks[0]',
    );
  });

  test('a KBPK that cannot serve the version is ERR_LENGTH on kbpk, not a MAC failure', () => {
    expectCardHsmError(() => api.wrapTr31(new Uint8Array(32), 'B0000P0TE00E0000', key), 'ERR_LENGTH', 'kbpk');
    expectCardHsmError(() => api.wrapTr31(new Uint8Array(8), 'D0000P0AE00E0000', key), 'ERR_LENGTH', 'kbpk');
    const b = api.wrapTr31(new Uint8Array(16), 'B0000P0TE00E0000', key);
    expectCardHsmError(() => api.unwrapTr31(new Uint8Array(32), b), 'ERR_LENGTH', 'kbpk');
  });
});

describe('unwrap errors', () => {
  const kbpk = h('00112233445566778899AABBCCDDEEFF');
  const block = api.wrapTr31(kbpk, 'D0000P0AE00E0000', h('000102030405060708090A0B0C0D0E0F'));
  test('precise codes', () => {
    expectCardHsmError(() => api.unwrapTr31(kbpk, block.slice(0, 10)), 'ERR_TR31_LENGTH', 'keyBlock');
    expectCardHsmError(() => api.unwrapTr31(kbpk, `${block}00`), 'ERR_TR31_LENGTH', 'keyBlock');
    expectCardHsmError(() => api.unwrapTr31(kbpk, `E${block.slice(1)}`), 'ERR_TR31_HEADER', 'version');
    expectCardHsmError(
      () => api.unwrapTr31(kbpk, `${block.slice(0, 1)}01X2${block.slice(5)}`),
      'ERR_TR31_HEADER',
      'length',
    );
    expectCardHsmError(
      () => api.unwrapTr31(kbpk, block.slice(0, -1) + (block.at(-1) === '0' ? '1' : '0')),
      'ERR_TR31_MAC',
      'keyBlock',
    );
    expectCardHsmError(() => api.unwrapTr31(h('FF112233445566778899AABBCCDDEEFF'), block), 'ERR_TR31_MAC', 'keyBlock');
    expectCardHsmError(() => api.unwrapTr31(kbpk, `${block.slice(0, -1)}a`), 'ERR_FORMAT', 'keyBlock');
    expectCardHsmError(() => api.unwrapTr31(kbpk, `D0048P0AE00E0000${'00'.repeat(16)}`), 'ERR_TR31_LENGTH', 'keyBlock');
    expectCardHsmError(() => api.unwrapTr31(kbpk, 42 as never), 'ERR_TYPE', 'keyBlock');
    expectCardHsmError(() => api.unwrapTr31('00112233' as never, block), 'ERR_TYPE', 'kbpk');
  });
});
