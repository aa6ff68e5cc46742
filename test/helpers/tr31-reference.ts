/**
 * Independent reference ("oracle") for TR-31 / ANSI X9.143 key blocks.
 *
 * Written from the text of ASC X9 TR-31:2018 (section 5 and Annex A) and
 * ANSI X9.143-2021/2022, cross-read with public implementations
 * (knovichikhin/psec psec/tr31.py, openemv/tr31 src/tr31.c). Nothing here
 * imports the library under test. The only primitives are `node:crypto`
 * ciphers (through ./reference.ts) and the SP 800-38B CMAC in ./reference.ts,
 * which is proven against NIST vectors in test/helpers.reference.test.ts.
 *
 * Key block layout (all versions):
 *
 *     header (ASCII, length a multiple of the block size)
 *   ‖ HEX(encrypted key data)
 *   ‖ HEX(MAC)
 *
 *   clear key data = key length in bits (2 bytes, big-endian) ‖ key ‖ padding
 *
 * Header bytes: [0] version, [1..5) total key block length (4 decimal digits,
 * in characters), [5..7) key usage, [7] algorithm, [8] mode of use,
 * [9..11) key version number, [11] exportability, [12..14) number of optional
 * blocks (2 decimal digits), [14..16) reserved / key context, then the
 * optional blocks.
 *
 * Optional block: ID (2 chars) ‖ length (2 hex chars, counting the whole block:
 * ID, length field and data) ‖ data. A length of "00" announces the extended
 * form: ID ‖ "00" ‖ length-of-length (2 hex chars) ‖ length (hex) ‖ data.
 * ANSI X9.143:2021 6.2 table 1 counts the length of length in hex CHARACTERS,
 * and the published 8.5 and 8.6 examples read that way ("CT0004" + "0500",
 * "CT0004" + "05CC"), as do openemv/tr31 and moov-io/tr31. psec and paysec
 * count BYTES ("KS0002010A" + 256 data chars: 2 bytes = 4 hex digits); see
 * `Tr31ParseOptions`.
 *
 * Binding methods:
 *  - A and C (key variant, TR-31:2018 5.3.2.1): KBEK = KBPK XOR 45..45,
 *    KBMK = KBPK XOR 4D..4D; encrypted key data = TDES-CBC(KBEK, IV = first 8
 *    header bytes, clear key data); MAC = first 4 bytes of TDES CBC-MAC(KBMK,
 *    header ‖ encrypted key data) (ISO 9797-1 algorithm 1, zero IV).
 *  - B (TDES key derivation, 5.3.2.3 / Annex A) and D (AES key derivation,
 *    5.3.2.4): KBEK and KBMK derived with CMAC under the KBPK (see
 *    `deriveKey` below); MAC = CMAC(KBMK, header ‖ clear key data), 8 bytes
 *    (B) or 16 bytes (D); encrypted key data = CBC(KBEK, IV = MAC, clear key
 *    data).
 */
import { refAesCbcDecrypt, refAesCbcEncrypt, refCmac, refDesCbcDecrypt, refDesCbcEncrypt } from './reference.js';

// ---------------------------------------------------------------------------
// Small helpers (private)
// ---------------------------------------------------------------------------

function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(hex)) {
    throw new Error('TR-31: invalid hexadecimal field');
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s.toUpperCase();
}

function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) throw new Error('TR-31: header must be printable ASCII');
    out[i] = c;
  }
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function xorConst(key: Uint8Array, byte: number): Uint8Array {
  return key.map((b) => b ^ byte);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= (a[i] as number) ^ (b[i] as number);
  return d === 0;
}

// ---------------------------------------------------------------------------
// Header parsing
// ---------------------------------------------------------------------------

export interface Tr31OptionalBlock {
  id: string;
  data: string;
}

export interface Tr31Header {
  /** The clear header string, optional blocks included. */
  header: string;
  version: string;
  /** Total key block length announced by the header (characters). */
  length: number;
  usage: string;
  algorithm: string;
  modeOfUse: string;
  keyVersion: string;
  exportability: string;
  optionalBlockCount: number;
  /** Header bytes [14..16): reserved (TR-31) / key context (X9.143). */
  reserved: string;
  optionalBlocks: Tr31OptionalBlock[];
}

export interface Tr31ParseOptions {
  /**
   * Unit of the extended-length "length of length" field. 'characters'
   * (default) is ANSI X9.143:2021 6.2 table 1, the published 8.5/8.6 samples,
   * openemv/tr31 and moov-io/tr31. 'bytes' is the legacy reading of psec and
   * paysec ("00" "02" + 4 hex digits).
   */
  extendedLengthUnit?: 'bytes' | 'characters';
}

/**
 * Parse the clear header at the start of `text` (a key block, or a header on
 * its own). Reads exactly as many optional blocks as header bytes [12..14)
 * announce and returns the header string up to the end of the last one.
 */
export function refParseTr31Header(text: string, options: Tr31ParseOptions = {}): Tr31Header {
  const unitChars = options.extendedLengthUnit === 'bytes' ? 2 : 1;
  if (text.length < 16) throw new Error('TR-31: header shorter than 16 characters');
  const lengthField = text.slice(1, 5);
  const countField = text.slice(12, 14);
  if (!/^[0-9]{4}$/.test(lengthField)) throw new Error('TR-31: length field is not 4 digits');
  if (!/^[0-9]{2}$/.test(countField)) throw new Error('TR-31: optional block count is not 2 digits');
  const count = parseInt(countField, 10);
  const isHex = (s: string): boolean => /^[0-9A-Fa-f]+$/.test(s);

  const blocks: Tr31OptionalBlock[] = [];
  let pos = 16;
  for (let n = 0; n < count; n++) {
    const id = text.slice(pos, pos + 2);
    if (!/^[0-9A-Za-z]{2}$/.test(id)) throw new Error('TR-31: malformed optional block ID');
    const len2 = text.slice(pos + 2, pos + 4);
    if (len2.length !== 2 || !isHex(len2)) throw new Error('TR-31: malformed optional block length');
    let blockLength: number;
    let dataStart: number;
    if (len2 === '00') {
      // Extended length: the length of the length (in the chosen unit), then the length itself.
      const lol = text.slice(pos + 4, pos + 6);
      if (lol.length !== 2 || !isHex(lol)) throw new Error('TR-31: malformed length of length');
      const lengthChars = unitChars * parseInt(lol, 16);
      if (lengthChars === 0) throw new Error('TR-31: length of length is zero');
      const ext = text.slice(pos + 6, pos + 6 + lengthChars);
      if (ext.length !== lengthChars || !isHex(ext)) throw new Error('TR-31: malformed extended length');
      blockLength = parseInt(ext, 16);
      dataStart = pos + 6 + lengthChars;
    } else {
      blockLength = parseInt(len2, 16);
      dataStart = pos + 4;
    }
    const end = pos + blockLength;
    if (end < dataStart) throw new Error('TR-31: optional block length too small');
    if (end > text.length) throw new Error('TR-31: optional block runs past the end');
    blocks.push({ id, data: text.slice(dataStart, end) });
    pos = end;
  }

  return {
    header: text.slice(0, pos),
    version: text.charAt(0),
    length: parseInt(lengthField, 10),
    usage: text.slice(5, 7),
    algorithm: text.charAt(7),
    modeOfUse: text.charAt(8),
    keyVersion: text.slice(9, 11),
    exportability: text.charAt(11),
    optionalBlockCount: count,
    reserved: text.slice(14, 16),
    optionalBlocks: blocks,
  };
}

// ---------------------------------------------------------------------------
// Key derivation and per-version parameters
// ---------------------------------------------------------------------------

interface VersionParams {
  blockSize: number;
  macLength: number;
}

function versionParams(version: string, kbpk: Uint8Array): VersionParams {
  switch (version) {
    case 'A':
    case 'C':
      if (![8, 16, 24].includes(kbpk.length)) throw new Error('TR-31: A/C KBPK must be 8, 16 or 24 bytes');
      return { blockSize: 8, macLength: 4 };
    case 'B':
      if (![16, 24].includes(kbpk.length)) throw new Error('TR-31: B KBPK must be 16 or 24 bytes');
      return { blockSize: 8, macLength: 8 };
    case 'D':
      if (![16, 24, 32].includes(kbpk.length)) throw new Error('TR-31: D KBPK must be 16, 24 or 32 bytes');
      return { blockSize: 16, macLength: 16 };
    default:
      throw new Error(`TR-31: unsupported key block version "${version}"`);
  }
}

/**
 * TR-31:2018 5.3.2.3 / 5.3.2.4 (CMAC-based derivation, NIST SP 800-108
 * counter mode with CMAC as PRF). Derivation data, 8 bytes:
 *
 *   counter (1) ‖ key usage (2: 0000 encryption, 0001 MAC)
 *   ‖ separator 00 (1) ‖ algorithm (2) ‖ length in bits (2)
 *
 * algorithm: 0000 2-key TDES, 0001 3-key TDES, 0002 AES-128, 0003 AES-192,
 * 0004 AES-256; length: 0080, 00C0, 0080, 00C0, 0100. Counters 1, 2 (, 3);
 * the CMAC outputs are concatenated and cut to the KBPK length.
 */
function deriveKey(kbpk: Uint8Array, version: 'B' | 'D', usage: 0 | 1): Uint8Array {
  let algorithm: number;
  if (version === 'B') {
    algorithm = kbpk.length === 16 ? 0x0000 : 0x0001;
  } else {
    algorithm = { 16: 0x0002, 24: 0x0003, 32: 0x0004 }[kbpk.length as 16 | 24 | 32];
  }
  const bits = kbpk.length * 8;
  const cipher = version === 'B' ? 'TDES' : 'AES';
  const blockSize = version === 'B' ? 8 : 16;
  const rounds = Math.ceil(kbpk.length / blockSize);
  const out: Uint8Array[] = [];
  for (let i = 1; i <= rounds; i++) {
    const data = Uint8Array.of(i, 0x00, usage, 0x00, algorithm >> 8, algorithm & 0xff, bits >> 8, bits & 0xff);
    out.push(refCmac(kbpk, data, cipher));
  }
  return concat(...out).subarray(0, kbpk.length);
}

function cbcEncrypt(version: string, key: Uint8Array, data: Uint8Array, iv: Uint8Array): Uint8Array {
  return version === 'D' ? refAesCbcEncrypt(key, data, iv) : refDesCbcEncrypt(key, data, iv);
}

function cbcDecrypt(version: string, key: Uint8Array, data: Uint8Array, iv: Uint8Array): Uint8Array {
  return version === 'D' ? refAesCbcDecrypt(key, data, iv) : refDesCbcDecrypt(key, data, iv);
}

/** ISO 9797-1 MAC algorithm 1 with TDES, zero IV, no padding (input is block aligned). */
function tdesCbcMac(key: Uint8Array, data: Uint8Array): Uint8Array {
  const c = refDesCbcEncrypt(key, data, new Uint8Array(8));
  return c.subarray(c.length - 8);
}

// ---------------------------------------------------------------------------
// Wrap / unwrap
// ---------------------------------------------------------------------------

/**
 * Build a key block. `header` is the complete clear header (16 characters plus
 * any optional blocks); its length field may be "0000" and is replaced by the
 * real total length. `padding` is placed verbatim after the key.
 */
export function refWrapTr31(
  kbpk: Uint8Array,
  header: string,
  key: Uint8Array,
  padding: Uint8Array,
  options: Tr31ParseOptions = {},
): string {
  const parsed = refParseTr31Header(header, options);
  if (parsed.header.length !== header.length) throw new Error('TR-31: trailing characters after the header');
  const version = parsed.version;
  const { blockSize, macLength } = versionParams(version, kbpk);
  if (header.length % blockSize !== 0) throw new Error('TR-31: header length is not a multiple of the block size');

  // A zero-length key is not a key: psec and openemv/tr31 reject it on unwrap, and so does refDecodeTr31.
  if (key.length === 0) throw new Error('TR-31: key must not be empty');
  const bits = key.length * 8;
  if (bits > 0xffff) throw new Error('TR-31: key too long');
  const clear = concat(Uint8Array.of(bits >> 8, bits & 0xff), key, padding);
  if (clear.length % blockSize !== 0) throw new Error('TR-31: key data is not a multiple of the block size');

  const total = header.length + 2 * clear.length + 2 * macLength;
  if (total > 9999) throw new Error('TR-31: key block too long for the 4-digit length field');
  const fullHeader = header.slice(0, 1) + String(total).padStart(4, '0') + header.slice(5);
  const headerBytes = ascii(fullHeader);

  if (version === 'A' || version === 'C') {
    const kbek = xorConst(kbpk, 0x45);
    const kbmk = xorConst(kbpk, 0x4d);
    const enc = refDesCbcEncrypt(kbek, clear, headerBytes.subarray(0, 8));
    const mac = tdesCbcMac(kbmk, concat(headerBytes, enc)).subarray(0, macLength);
    return fullHeader + bytesToHex(enc) + bytesToHex(mac);
  }

  const v = version as 'B' | 'D';
  const kbek = deriveKey(kbpk, v, 0);
  const kbmk = deriveKey(kbpk, v, 1);
  const mac = refCmac(kbmk, concat(headerBytes, clear), v === 'B' ? 'TDES' : 'AES').subarray(0, macLength);
  const enc = cbcEncrypt(v, kbek, clear, mac);
  return fullHeader + bytesToHex(enc) + bytesToHex(mac);
}

export interface Tr31Unwrapped {
  header: string;
  key: Uint8Array;
  /** The bytes that followed the key in the clear key data. */
  padding: Uint8Array;
  fields: Tr31Header;
}

/** Unwrap with full detail: header fields, key and the padding that was used. */
export function refDecodeTr31(kbpk: Uint8Array, keyBlock: string, options: Tr31ParseOptions = {}): Tr31Unwrapped {
  const fields = refParseTr31Header(keyBlock, options);
  const version = fields.version;
  const { blockSize, macLength } = versionParams(version, kbpk);
  if (fields.length !== keyBlock.length) {
    throw new Error(`TR-31: length field ${fields.length} does not match key block length ${keyBlock.length}`);
  }
  const header = fields.header;
  if (header.length % blockSize !== 0) throw new Error('TR-31: header length is not a multiple of the block size');
  const body = keyBlock.slice(header.length);
  if (body.length < 2 * macLength) throw new Error('TR-31: key block too short');
  const enc = hexToBytes(body.slice(0, body.length - 2 * macLength));
  const mac = hexToBytes(body.slice(body.length - 2 * macLength));
  if (enc.length === 0 || enc.length % blockSize !== 0) {
    throw new Error('TR-31: encrypted key data is not a whole number of blocks');
  }
  const headerBytes = ascii(header);

  let clear: Uint8Array;
  if (version === 'A' || version === 'C') {
    const kbek = xorConst(kbpk, 0x45);
    const kbmk = xorConst(kbpk, 0x4d);
    const expected = tdesCbcMac(kbmk, concat(headerBytes, enc)).subarray(0, macLength);
    if (!equalBytes(expected, mac)) throw new Error('TR-31: MAC verification failed');
    clear = refDesCbcDecrypt(kbek, enc, headerBytes.subarray(0, 8));
  } else {
    const v = version as 'B' | 'D';
    const kbek = deriveKey(kbpk, v, 0);
    const kbmk = deriveKey(kbpk, v, 1);
    clear = cbcDecrypt(v, kbek, enc, mac);
    const expected = refCmac(kbmk, concat(headerBytes, clear), v === 'B' ? 'TDES' : 'AES').subarray(0, macLength);
    if (!equalBytes(expected, mac)) throw new Error('TR-31: MAC verification failed');
  }

  const bits = ((clear[0] as number) << 8) | (clear[1] as number);
  if (bits === 0 || bits % 8 !== 0) throw new Error('TR-31: decrypted key length is invalid');
  const keyLength = bits / 8;
  if (2 + keyLength > clear.length) throw new Error('TR-31: decrypted key length exceeds the key data');
  return {
    header,
    key: clear.slice(2, 2 + keyLength),
    padding: clear.slice(2 + keyLength),
    fields,
  };
}

/** Verify the MAC, decrypt and return the clear header and the key. */
export function refUnwrapTr31(kbpk: Uint8Array, keyBlock: string): { header: string; key: Uint8Array } {
  const { header, key } = refDecodeTr31(kbpk, keyBlock);
  return { header, key };
}
