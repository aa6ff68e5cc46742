// Byte helpers for users: hex at the edges, constant-time comparison. (The library's own byte helpers, CSPRNG bytes
// and constant-time string equality, are in _bytes.ts.)
import { CardHsmError } from './errors.js';
import { checkString, checkUint8Array } from './_validate.js';

const HEX = '0123456789ABCDEF';

/**
 * Decodes a hex string (either case, any even length including 0, no separators or `0x` prefix) into a fresh
 * Uint8Array of half as many bytes.
 * @example
 * hexToBytes('0123456789abcdef') // => new Uint8Array([0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef])
 * hexToBytes('').length // => 0
 * (() => { try { hexToBytes('ABC') } catch (e) { return [e.code, e.field] } })() // => ['ERR_LENGTH', 'hex']
 * @throws ERR_TYPE (not a string), ERR_LENGTH (odd length), ERR_FORMAT (a non-hex character)
 */
export function hexToBytes(hex: string): Uint8Array {
  checkString('hex', hex);
  if (hex.length % 2 !== 0) {
    throw new CardHsmError(
      'ERR_LENGTH',
      `"hex" expected an even number of hex digits, got length=${hex.length}`,
      'hex',
    );
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibbleValue(hex.charCodeAt(2 * i));
    const lo = nibbleValue(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) {
      throw new CardHsmError(
        'ERR_FORMAT',
        `"hex" expected hex digits, got a bad character at index ${hi < 0 ? 2 * i : 2 * i + 1}`,
        'hex',
      );
    }
    out[i] = (hi << 4) | lo;
  }
  return out;
}

function nibbleValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

// Hex of every byte value: as 2-character strings (short inputs) and as two ASCII codes (long inputs).
let HEX_PAIRS: string[] | undefined;
let HEX_CODES: Uint16Array | undefined;
const LATIN1 = new TextDecoder('latin1');

function hexCodes(): Uint16Array {
  const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  return Uint16Array.from({ length: 256 }, (_, v) => {
    const [hi, lo] = [HEX.charCodeAt(v >> 4), HEX.charCodeAt(v & 15)];
    return littleEndian ? hi | (lo << 8) : (hi << 8) | lo;
  });
}

/**
 * Encodes bytes (a Uint8Array of any length) as uppercase hex, two characters per byte, in time linear in the
 * length (a table lookup per byte; long inputs are written as ASCII codes and decoded once).
 * @example
 * bytesToHex(new Uint8Array([0x08, 0xd7, 0xb4])) // => '08D7B4'
 * bytesToHex(hexToBytes('0a1b2c')) // => '0A1B2C'
 * @throws ERR_TYPE (not a Uint8Array)
 */
export function bytesToHex(bytes: Uint8Array): string {
  checkUint8Array('bytes', bytes);
  if (bytes.length <= 64) {
    HEX_PAIRS ??= Array.from({ length: 256 }, (_, v) => HEX[v >> 4]! + HEX[v & 15]!);
    let s = '';
    for (let i = 0; i < bytes.length; i++) s += HEX_PAIRS[bytes[i]!]!;
    return s;
  }
  // Pairs of ASCII codes laid out so that the first hex digit comes first in memory, whatever the byte order.
  HEX_CODES ??= hexCodes();
  const out = new Uint16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = HEX_CODES[bytes[i]!]!;
  return LATIN1.decode(new Uint8Array(out.buffer));
}

/**
 * Constant-time equality of two byte arrays (any lengths): true when they hold the same bytes. The time depends
 * only on the lengths, never on where the first difference is; arrays of different lengths are unequal.
 * @example
 * constantTimeEqual(hexToBytes('0102'), hexToBytes('0102')) // => true
 * constantTimeEqual(hexToBytes('0102'), hexToBytes('0103')) // => false
 * constantTimeEqual(hexToBytes('0102'), hexToBytes('010200')) // => false
 * @throws ERR_TYPE (not Uint8Arrays)
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  checkUint8Array('a', a);
  checkUint8Array('b', b);
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
