// TR-31 / ANSI X9.143 key blocks, the machinery (tr31.ts has the format's types and public functions): header
// parsing and formatting, the version B/D key derivation and binding, and wrap/unwrap under a Tr31Kbpk whose
// derived keys are kept between calls — the Hsm's vault wraps every key under its LMK that way.
import { CardHsmError } from './errors.js';
import { frozen } from './_freeze.js';
import { bytesToHex, constantTimeEqual, hexToBytes } from './bytes.js';
import { randomBytes } from './_bytes.js';
import { checkOptions, checkUint8Array } from './_validate.js';
import { tdesCmac, aesCmac } from './mac.js';
import { tdesEncryptCbc, tdesDecryptCbc } from './des.js';
import { aesEncryptCbc, aesDecryptCbc } from './aes.js';
import type { Tr31Header, Tr31OptionalBlock, Tr31Version } from './tr31.js';

interface VersionInfo {
  block: number; // cipher block size, bytes
  macBytes: number;
  kbpkLengths: readonly number[];
}

const VERSIONS: Record<Tr31Version, VersionInfo> = {
  A: { block: 8, macBytes: 4, kbpkLengths: [8, 16, 24] },
  B: { block: 8, macBytes: 8, kbpkLengths: [16, 24] },
  C: { block: 8, macBytes: 4, kbpkLengths: [8, 16, 24] },
  D: { block: 16, macBytes: 16, kbpkLengths: [16, 24, 32] },
};

/**
 * The key usages of X9.143-2022 (tables 2-5): the one list of usage codes (38 of them). Writing a header accepts
 * these (and the numeric proprietary range); reading accepts any well-formed value. The Hsm makes keys for the
 * subset its KEY_USAGE_RULES use (src/hsm/usage.ts).
 * @example
 * X9143_USAGES.length // => 38
 * ['P0', 'C0', 'K0', 'ZZ'].map((u) => X9143_USAGES.includes(u)) // => [true, true, true, false]
 */
export const X9143_USAGES = frozen([
  'B0',
  'B1',
  'B2',
  'C0',
  'D0',
  'D1',
  'D2',
  'E0',
  'E1',
  'E2',
  'E3',
  'E4',
  'E5',
  'E6',
  'I0',
  'K0',
  'K1',
  'K2',
  'K3',
  'M0',
  'M1',
  'M2',
  'M3',
  'M4',
  'M5',
  'M6',
  'M7',
  'M8',
  'P0',
  'P1',
  'S0',
  'S1',
  'S2',
  'V0',
  'V1',
  'V2',
  'V3',
  'V4',
] as const);

/**
 * One X9.143 key usage code ('P0' PIN encryption, 'C0' card verification, 'K0' key encryption, …): an element of
 * X9143_USAGES. wrapTr31 refuses a usage outside the list (or the numeric proprietary range).
 * @example
 * const usage = 'C0'
 * parseTr31Header(wrapTr31(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), `B0000${usage}TC00E0000`, hexToBytes('0123456789ABCDEFFEDCBA9876543210'))).usage // => 'C0'
 * (() => { try { wrapTr31(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), 'B0000ZZTC00E0000', hexToBytes('0123456789ABCDEFFEDCBA9876543210')) } catch (e) { return [e.code, e.field] } })() // => ['ERR_TR31_HEADER', 'usage']
 */
export type X9143Usage = (typeof X9143_USAGES)[number];
const USAGES: ReadonlySet<string> = new Set(X9143_USAGES);
const ALGORITHMS = 'ADEHRST';
const MODES = 'BCDEGNSTVXY';
const EXPORTABILITY = 'ENS';

const headerError = (message: string, field = 'header'): CardHsmError =>
  new CardHsmError('ERR_TR31_HEADER', message, field);
const lengthError = (message: string): CardHsmError => new CardHsmError('ERR_TR31_LENGTH', message, 'keyBlock');

const isAlnum = (s: string): boolean => /^[0-9A-Z]+$/.test(s);
const isPrintable = (s: string): boolean => /^[\x20-\x7e]*$/.test(s);

// ---------------------------------------------------------------------------------------------------------------
// Header parsing and formatting
// ---------------------------------------------------------------------------------------------------------------

/** Parses the header at the start of `s`; returns it and the number of characters it spans. */
export function parseHeader(s: string): { header: Tr31Header; end: number } {
  if (s.length < 16) throw lengthError(`"keyBlock" expected at least 16 characters, got length=${s.length}`);
  const version = s[0]!;
  if (!(version in VERSIONS)) throw headerError('"header" version expected A, B, C or D', 'version');
  if (!/^[0-9]{4}$/.test(s.slice(1, 5))) throw headerError('"header" length expected 4 digits', 'length');
  const fields = {
    usage: s.slice(5, 7),
    algorithm: s[7]!,
    modeOfUse: s[8]!,
    keyVersion: s.slice(9, 11),
    exportability: s[11]!,
  };
  for (const [field, value] of Object.entries(fields)) {
    // Key versions may be lowercase ('c' marks a key component, X9.143 6.2); the other fields are uppercase.
    const ok = field === 'keyVersion' ? /^[0-9A-Za-z]{2}$/.test(value) : isAlnum(value);
    if (!ok)
      throw headerError(
        `"header" ${field} expected ${field === 'keyVersion' ? 'letters' : 'uppercase letters'} or digits`,
        field,
      );
  }
  if (!/^[0-9]{2}$/.test(s.slice(12, 14)))
    throw headerError('"header" optional block count expected 2 digits', 'optionalBlocks');
  const reserved = s.slice(14, 16);
  if (!isAlnum(reserved)) throw headerError('"header" reserved field expected uppercase letters or digits', 'reserved');
  const count = Number(s.slice(12, 14));
  const optionalBlocks: Tr31OptionalBlock[] = [];
  let at = 16;
  for (let i = 0; i < count; i++) {
    const { block, end } = parseOptionalBlock(s, at, i);
    optionalBlocks.push(block);
    at = end;
  }
  const header: Tr31Header = {
    version: version as Tr31Version,
    length: Number(s.slice(1, 5)),
    ...fields,
    optionalBlocks,
    reserved,
  };
  return { header, end: at };
}

function parseOptionalBlock(s: string, at: number, index: number): { block: Tr31OptionalBlock; end: number } {
  const field = `optionalBlocks[${index}]`;
  // Length fields are hex; lowercase is read too (moov-io writes it) — the MAC covers the exact text either way.
  const hex = (from: number, n: number): number => {
    const t = s.slice(from, from + n);
    if (t.length !== n || !/^[0-9A-Fa-f]+$/.test(t))
      throw headerError(`"header" optional block ${index} length expected ${n} hex digits`, field);
    return parseInt(t, 16);
  };
  const id = s.slice(at, at + 2);
  if (id.length !== 2 || !isAlnum(id))
    throw headerError(`"header" optional block ${index} ID expected 2 uppercase letters or digits`, field);
  let length = hex(at + 2, 2);
  let dataStart = at + 4;
  if (length === 0) {
    const digits = extendedLengthDigits(hex(at + 4, 2));
    if (digits === 0)
      throw headerError(`"header" optional block ${index} extended length of length is 0 or too long`, field);
    length = hex(at + 6, digits);
    dataStart = at + 6 + digits;
  }
  const end = at + length;
  if (end < dataStart || end > s.length)
    throw headerError(`"header" optional block ${index} length does not fit the key block`, field);
  const data = s.slice(dataStart, end);
  if (!isPrintable(data)) throw headerError(`"header" optional block ${index} data expected printable ASCII`, field);
  return { block: { id, data }, end };
}

/**
 * The hex digits of an extended optional-block length, from its "length of length" field (0 when invalid).
 * ANSI X9.143:2021 §6.2 table 1 counts hex characters: the standard form is '00' '04' + 4 digits, as the §8.5
 * and §8.6 sample blocks, openemv/tr31 and moov-io/tr31 write it. psec and paysec write '00' '02' + 4 digits,
 * counting bytes; we read that legacy form too. The two readings differ only for '01' and '02', and a 1- or
 * 2-digit length never needs the extended form (the short form covers 255), so those two are read as bytes.
 */
function extendedLengthDigits(lengthOfLength: number): number {
  if (lengthOfLength === 1 || lengthOfLength === 2) return 2 * lengthOfLength;
  // A key block is at most 9,999 characters: a length needs at most 4 digits (written with at most 8).
  return lengthOfLength >= 3 && lengthOfLength <= 8 ? lengthOfLength : 0;
}

function formatOptionalBlock(b: Tr31OptionalBlock): string {
  const short = 4 + b.data.length;
  if (short <= 0xff) return b.id + short.toString(16).toUpperCase().padStart(2, '0') + b.data;
  const long = 10 + b.data.length; // ID, '00', '04' (4 hex characters of length follow), the length
  if (long > 0xffff) throw headerError('"header" optional block data is too long', 'optionalBlocks');
  return `${b.id}0004${long.toString(16).toUpperCase().padStart(4, '0')}${b.data}`;
}

/** Checks a header for writing (strict) and normalizes it; optional blocks are padded with a PB block. */
function normalizeHeader(input: unknown): Tr31Header {
  let h: Tr31Header;
  if (typeof input === 'string') {
    const { header, end } = parseHeader(input);
    if (end !== input.length) throw headerError('"header" has characters after its optional blocks');
    h = header;
  } else {
    const o = checkOptions('header', input);
    const str = (field: string, fallback?: string): string => {
      const v = o[field] ?? fallback;
      if (typeof v !== 'string') throw headerError(`"header" ${field} expected a string`, field);
      return v;
    };
    const blocks = o.optionalBlocks ?? [];
    if (!Array.isArray(blocks)) throw headerError('"header" optionalBlocks expected an array', 'optionalBlocks');
    h = {
      version: str('version') as Tr31Version,
      length: 0,
      usage: str('usage'),
      algorithm: str('algorithm'),
      modeOfUse: str('modeOfUse'),
      keyVersion: str('keyVersion', '00'),
      exportability: str('exportability', 'E'),
      optionalBlocks: blocks.map((b: unknown, i) => {
        const ob = checkOptions(`optionalBlocks[${i}]`, b);
        if (typeof ob.id !== 'string' || typeof ob.data !== 'string')
          throw headerError(`"header" optional block ${i} expected { id, data } strings`, `optionalBlocks[${i}]`);
        return { id: ob.id, data: ob.data };
      }),
      reserved: str('reserved', '00'),
    };
  }
  if (h.version !== 'B' && h.version !== 'D')
    throw headerError('"header" version: cardhsm writes versions B and D (A and C are read only)', 'version');
  if (!USAGES.has(h.usage) && !/^[0-9]{2}$/.test(h.usage))
    throw headerError('"header" usage is not an X9.143 key usage', 'usage');
  if (h.algorithm.length !== 1 || !ALGORITHMS.includes(h.algorithm))
    throw headerError(`"header" algorithm expected one of ${ALGORITHMS}`, 'algorithm');
  if (h.modeOfUse.length !== 1 || !MODES.includes(h.modeOfUse))
    throw headerError(`"header" modeOfUse expected one of ${MODES}`, 'modeOfUse');
  if (h.exportability.length !== 1 || !EXPORTABILITY.includes(h.exportability))
    throw headerError(`"header" exportability expected one of ${EXPORTABILITY}`, 'exportability');
  if (h.keyVersion.length !== 2 || !/^[0-9A-Za-z]{2}$/.test(h.keyVersion))
    throw headerError('"header" keyVersion expected 2 letters or digits', 'keyVersion');
  if (h.reserved.length !== 2 || !isAlnum(h.reserved))
    throw headerError('"header" reserved expected 2 uppercase letters or digits', 'reserved');
  h.optionalBlocks.forEach((b, i) => {
    if (b.id.length !== 2 || !isAlnum(b.id))
      throw headerError(
        `"header" optional block ${i} ID expected 2 uppercase letters or digits`,
        `optionalBlocks[${i}]`,
      );
    if (!isPrintable(b.data))
      throw headerError(`"header" optional block ${i} data expected printable ASCII`, `optionalBlocks[${i}]`);
    if (b.id === 'PB' && i !== h.optionalBlocks.length - 1)
      throw headerError('"header" the PB padding block must be last', `optionalBlocks[${i}]`);
  });
  return { ...h, optionalBlocks: padOptionalBlocks(h.optionalBlocks, VERSIONS[h.version].block) };
}

/** Appends (or checks) a PB block so that the optional blocks fill whole cipher blocks (X9.143 6.3.6). */
function padOptionalBlocks(blocks: Tr31OptionalBlock[], blockSize: number): Tr31OptionalBlock[] {
  const total = blocks.map(formatOptionalBlock).join('').length;
  if (total % blockSize === 0) return blocks;
  if (blocks.at(-1)?.id === 'PB')
    throw headerError(
      '"header" the PB block does not pad the optional blocks to the cipher block size',
      'optionalBlocks',
    );
  let pad = blockSize - (total % blockSize);
  while (pad < 4) pad += blockSize;
  return [...blocks, { id: 'PB', data: '0'.repeat(pad - 4) }];
}

function formatHeader(h: Tr31Header, length: number): string {
  const count = String(h.optionalBlocks.length).padStart(2, '0');
  if (count.length > 2) throw headerError('"header" has more than 99 optional blocks', 'optionalBlocks');
  return (
    h.version +
    String(length).padStart(4, '0') +
    h.usage +
    h.algorithm +
    h.modeOfUse +
    h.keyVersion +
    h.exportability +
    count +
    h.reserved +
    h.optionalBlocks.map(formatOptionalBlock).join('')
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Key derivation and binding
// ---------------------------------------------------------------------------------------------------------------

/** A key block this KBPK has authenticated: its parsed header and the public parts its decryption needs. */
interface VerifiedBlock {
  header: Tr31Header;
  encrypted: Uint8Array;
  iv: Uint8Array;
}

/** How many authenticated blocks a Tr31Kbpk remembers (oldest forgotten first). */
const VERIFIED_BLOCKS = 256;

/**
 * A KBPK with its derived keys remembered per version: the Hsm keeps one for its LMK, so that unwrapping an LMK
 * key block skips the four CMACs of key derivation. It also remembers the last blocks it authenticated, by their
 * exact text, with nothing secret: unwrapping is deterministic, so the same text under the same KBPK verifies
 * again, and a repeat skips parsing and the MAC (an altered block is other text and is checked in full). Holds
 * copies of the keys; `wipe` zeroes them.
 */
export class Tr31Kbpk {
  readonly kbpk: Uint8Array;
  readonly #derived = new Map<Tr31Version, { kbek: Uint8Array; kbmk: Uint8Array }>();
  readonly #verified = new Map<string, VerifiedBlock>();
  constructor(kbpk: Uint8Array) {
    this.kbpk = kbpk.slice();
  }
  keys(version: Tr31Version): { kbek: Uint8Array; kbmk: Uint8Array } {
    let k = this.#derived.get(version);
    if (!k) {
      k = deriveKeys(version, this.kbpk);
      this.#derived.set(version, k);
    }
    return k;
  }
  /** A block unwrapped before under this KBPK, or undefined. Its header is frozen: it is shared. */
  verified(keyBlock: string): VerifiedBlock | undefined {
    return this.#verified.get(keyBlock);
  }
  remember(keyBlock: string, block: VerifiedBlock): void {
    if (this.#verified.size >= VERIFIED_BLOCKS) this.#verified.delete(this.#verified.keys().next().value!);
    this.#verified.set(keyBlock, block);
  }
  wipe(): void {
    this.kbpk.fill(0);
    for (const k of this.#derived.values()) {
      k.kbek.fill(0);
      k.kbmk.fill(0);
    }
    this.#derived.clear();
    this.#verified.clear();
  }
}

/** A copy of the header, frozen all the way down, so that one remembered copy can be handed to every caller. */
function frozenCopy(h: Tr31Header): Tr31Header {
  return Object.freeze({
    ...h,
    optionalBlocks: Object.freeze(h.optionalBlocks.map((b) => Object.freeze({ ...b }))) as Tr31OptionalBlock[],
  });
}

/** KBEK and KBMK from the KBPK: versions B and D by CMAC (X9.143 7.3), A and C by variants (XOR 0x45 / 0x4D). */
function deriveKeys(version: Tr31Version, kbpk: Uint8Array): { kbek: Uint8Array; kbmk: Uint8Array } {
  if (version === 'A' || version === 'C') {
    return { kbek: kbpk.map((b) => b ^ 0x45), kbmk: kbpk.map((b) => b ^ 0x4d) };
  }
  const aes = version === 'D';
  const algorithm = aes ? { 16: 2, 24: 3, 32: 4 }[kbpk.length]! : kbpk.length === 16 ? 0 : 1;
  const bits = kbpk.length * 8;
  const derive = (usage: number): Uint8Array => {
    const out = new Uint8Array(Math.ceil(kbpk.length / (aes ? 16 : 8)) * (aes ? 16 : 8));
    for (let counter = 1, at = 0; at < kbpk.length; counter++) {
      // counter || key usage (0000 encryption, 0001 MAC) || separator 00 || algorithm || length in bits
      const data = Uint8Array.of(counter, 0, usage, 0, 0, algorithm, bits >> 8, bits & 0xff);
      const piece = aes ? aesCmac(kbpk, data) : tdesCmac(kbpk, data);
      out.set(piece, at);
      at += piece.length;
      piece.fill(0);
    }
    const key = out.slice(0, kbpk.length);
    out.fill(0);
    return key;
  };
  return { kbek: derive(0), kbmk: derive(1) };
}

function cbc(version: Tr31Version, decrypt: boolean, key: Uint8Array, data: Uint8Array, iv: Uint8Array): Uint8Array {
  if (version === 'D') return decrypt ? aesDecryptCbc(key, data, iv) : aesEncryptCbc(key, data, iv);
  return decrypt ? tdesDecryptCbc(key, data, iv) : tdesEncryptCbc(key, data, iv);
}

/** The key block MAC: CMAC over header || clear key data (B, D) or TDES CBC-MAC over header || encrypted data (A, C). */
function mac(version: Tr31Version, kbmk: Uint8Array, header: string, data: Uint8Array): Uint8Array {
  const ascii = Uint8Array.from(header, (c) => c.charCodeAt(0));
  const message = new Uint8Array(ascii.length + data.length);
  message.set(ascii);
  message.set(data, ascii.length);
  try {
    if (version === 'D') return aesCmac(kbmk, message);
    if (version === 'B') return tdesCmac(kbmk, message);
    const cbcMac = tdesEncryptCbc(kbmk, message, new Uint8Array(8));
    return cbcMac.slice(cbcMac.length - 8, cbcMac.length - 4);
  } finally {
    message.fill(0); // B and D: it holds the clear key data
  }
}

/** The KBPK (already checked as bytes) fits the block's version. */
function checkKbpk(kbpk: Uint8Array, version: Tr31Version): void {
  const allowed = VERSIONS[version].kbpkLengths;
  if (!allowed.includes(kbpk.length)) {
    throw new CardHsmError(
      'ERR_LENGTH',
      `"kbpk" expected ${allowed.join(', ')} bytes for version ${version}, got length=${kbpk.length}`,
      'kbpk',
    );
  }
}

/** Default padding: hide the key length up to the longest key of its algorithm, then fill the last cipher block. */
function defaultPadding(algorithm: string, keyLength: number, block: number): Uint8Array {
  const mask = algorithm === 'T' ? 24 : algorithm === 'A' ? 32 : keyLength;
  const clear = 2 + Math.max(keyLength, mask);
  return randomBytes(Math.ceil(clear / block) * block - 2 - keyLength);
}

// ---------------------------------------------------------------------------------------------------------------
// Wrap and unwrap under a kept KBPK
// ---------------------------------------------------------------------------------------------------------------

/** wrapTr31 under a Tr31Kbpk whose derived keys are kept between calls. */
export function wrapTr31With(
  k: Tr31Kbpk,
  header: Tr31Header | string,
  key: Uint8Array,
  opts?: { padding?: Uint8Array },
): string {
  const o = checkOptions('opts', opts);
  const kbpk = k.kbpk;
  checkUint8Array('key', key);
  const h = normalizeHeader(header);
  checkKbpk(kbpk, h.version);
  const { block, macBytes } = VERSIONS[h.version];
  if (key.length > 8191)
    throw new CardHsmError('ERR_LENGTH', `"key" expected at most 8191 bytes, got length=${key.length}`, 'key');
  let padding: Uint8Array;
  if (o.padding === undefined) padding = defaultPadding(h.algorithm, key.length, block);
  else {
    padding = checkUint8Array('opts.padding', o.padding);
    if ((2 + key.length + padding.length) % block !== 0) {
      throw new CardHsmError(
        'ERR_LENGTH',
        `"opts.padding" expected 2 + key length + padding to be a multiple of ${block}, got ${2 + key.length + padding.length}`,
        'opts.padding',
      );
    }
  }
  const clear = new Uint8Array(2 + key.length + padding.length);
  clear[0] = (key.length * 8) >> 8;
  clear[1] = (key.length * 8) & 0xff;
  clear.set(key, 2);
  clear.set(padding, 2 + key.length);
  const headerLength = formatHeader(h, 0).length;
  const total = headerLength + 2 * clear.length + 2 * macBytes;
  if (total > 9999)
    throw new CardHsmError('ERR_LENGTH', `"key" makes a key block of ${total} characters; at most 9999`, 'key');
  const headerText = formatHeader(h, total);
  const { kbek, kbmk } = k.keys(h.version);
  try {
    const tag = mac(h.version, kbmk, headerText, clear);
    const encrypted = cbc(h.version, false, kbek, clear, tag);
    return headerText + bytesToHex(encrypted) + bytesToHex(tag);
  } finally {
    clear.fill(0);
  }
}

/** unwrapTr31 under a Tr31Kbpk whose derived keys are kept between calls. */
export function unwrapTr31With(k: Tr31Kbpk, keyBlock: string): { header: Tr31Header; key: Uint8Array } {
  const kbpk = k.kbpk;
  if (typeof keyBlock !== 'string') throw new CardHsmError('ERR_TYPE', '"keyBlock" expected a string', 'keyBlock');
  const seen = k.verified(keyBlock);
  if (seen) return { header: seen.header, key: decryptKey(k, seen) };
  const { header, end } = parseHeader(keyBlock);
  if (header.length !== keyBlock.length) {
    throw lengthError(`"keyBlock" length field says ${header.length}, got length=${keyBlock.length}`);
  }
  const { block, macBytes } = VERSIONS[header.version];
  if (end % block !== 0)
    throw headerError(`"header" length ${end} is not a multiple of the cipher block size ${block}`);
  checkKbpk(kbpk, header.version);
  const body = keyBlock.slice(end);
  if (!/^[0-9A-F]*$/.test(body))
    throw new CardHsmError('ERR_FORMAT', '"keyBlock" key data and MAC expected uppercase hex', 'keyBlock');
  const dataHex = body.length - 2 * macBytes;
  if (dataHex < 2 * block || dataHex % (2 * block) !== 0) {
    throw lengthError(
      `"keyBlock" key data expected whole ${block}-byte blocks, got ${Math.max(0, dataHex)} hex digits`,
    );
  }
  const headerText = keyBlock.slice(0, end);
  const encrypted = hexToBytes(body.slice(0, dataHex));
  const tag = hexToBytes(body.slice(dataHex));
  const { kbek, kbmk } = k.keys(header.version);
  // B and D: the MAC is over the clear data and is the CBC IV; A and C: over the encrypted data, IV from the header.
  const mine: VerifiedBlock = {
    header,
    encrypted,
    iv:
      header.version === 'B' || header.version === 'D'
        ? tag
        : Uint8Array.from(headerText.slice(0, 8), (c) => c.charCodeAt(0)),
  };
  if (header.version === 'A' || header.version === 'C') {
    if (!constantTimeEqual(mac(header.version, kbmk, headerText, encrypted), tag)) throw macError();
    const key = keyOf(cbc(header.version, true, kbek, encrypted, mine.iv));
    k.remember(keyBlock, { ...mine, header: frozenCopy(header) });
    return { header, key };
  }
  const clear = cbc(header.version, true, kbek, encrypted, mine.iv);
  try {
    if (!constantTimeEqual(mac(header.version, kbmk, headerText, clear).subarray(0, macBytes), tag)) throw macError();
    const key = keyOf(clear);
    k.remember(keyBlock, { ...mine, header: frozenCopy(header) });
    return { header, key };
  } finally {
    clear.fill(0);
  }
}

/** Decrypts the key of a block authenticated before. */
function decryptKey(k: Tr31Kbpk, b: VerifiedBlock): Uint8Array {
  return keyOf(cbc(b.header.version, true, k.keys(b.header.version).kbek, b.encrypted, b.iv));
}

/** The key inside decrypted key data (2-byte length in bits, key, padding); zeroes the data. */
function keyOf(clear: Uint8Array): Uint8Array {
  try {
    const bits = (clear[0]! << 8) | clear[1]!;
    if (bits % 8 !== 0 || bits / 8 > clear.length - 2) {
      throw lengthError(
        `"keyBlock" key length field (${bits} bits) does not fit its key data (${clear.length - 2} bytes)`,
      );
    }
    return clear.slice(2, 2 + bits / 8);
  } finally {
    clear.fill(0);
  }
}

function macError(): CardHsmError {
  return new CardHsmError(
    'ERR_TR31_MAC',
    '"keyBlock" MAC does not verify: the block was altered or wrapped under another key',
    'keyBlock',
  );
}
