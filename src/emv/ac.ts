// EMV application cryptograms and issuer authentication (EMV 4.4 Book 2 8.1, 8.2 and Annex A1.2):
//   ARQC / TC / AAC = ISO/IEC 9797-1 MAC algorithm 3 (DES chaining under the session key's left half, output
//     transformation with its right half), 8 bytes, over the transaction data the terminal and card assembled,
//     padded by method 1 (zeros: Visa CVN 10) or method 2 (0x80 then zeros: EMV CSK cryptograms);
//   ARPC method 1 (8.2.1): ARPC = TDES_K(ARQC XOR (ARC || 00 00 00 00 00 00)), K the AC session key or the ICC MK
//     as the scheme says; ARPC method 2 (8.2.2): the leftmost 4 bytes of MAC algorithm 3 (padding 2) of
//     ARQC || CSU || proprietary authentication data.
// These take the key and the already-assembled data; the scheme profiles in cvn.ts build both.
import { constantTimeEqual } from '../bytes.js';
import { CardHsmError } from '../errors.js';
import { checkBytes } from '../_validate.js';
import { tdesEncryptEcb } from '../des.js';
import { isoMacUnchecked } from '../_mac.js';
import { checkKey16 } from './_kd.js';

function checkData(data: unknown): Uint8Array {
  if (!(data instanceof Uint8Array)) checkBytes('data', data, []);
  const d = data as Uint8Array;
  if (d.length > 1024)
    throw new CardHsmError('ERR_LENGTH', `"data" expected 0..1024 bytes, got length=${d.length}`, 'data');
  return d;
}

function checkPadding(padding: unknown): 1 | 2 {
  if (padding !== 1 && padding !== 2)
    throw new CardHsmError('ERR_FORMAT', '"padding" expected ISO/IEC 9797-1 padding method 1 or 2', 'padding');
  return padding;
}

/**
 * An application cryptogram (ARQC, TC or AAC): ISO/IEC 9797-1 MAC algorithm 3 of `data` under the AC session key
 * (or, for Visa CVN 10, the ICC master key itself). The example is knovichikhin/pyemv's generate_ac docstring
 * vector (tags 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37 82 9F36, EMV padding).
 * @param sessionKey 16 bytes (double-length TDES)
 * @param data the transaction data in the order the scheme defines, 0..1024 bytes (emvArqcData assembles it)
 * @param padding ISO/IEC 9797-1 padding method 1 (zeros; the default, Visa CVN 10) or 2 (80 then zeros; EMV CSK)
 * @returns the 8-byte cryptogram
 * @example
 * const acData = hexToBytes('000000002000' + '000000000000' + '0124' + '0000008000' + '0124' + '110309' + '00' + '3804823E' + '5800' + '0001')
 * bytesToHex(generateArqc(hexToBytes('AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB'), acData, 2)) // => '3B76CF10FECD8789'
 * @throws ERR_TYPE, ERR_LENGTH (key not 16 bytes, data over 1024 bytes), ERR_FORMAT (padding)
 */
export function generateArqc(sessionKey: Uint8Array, data: Uint8Array, padding: 1 | 2 = 1): Uint8Array {
  const key = checkKey16('sessionKey', sessionKey);
  return isoMacUnchecked(key, checkData(data), 3, checkPadding(padding), 8);
}

/**
 * True when `arqc` (8 bytes) is the cryptogram of `data` under the session key; compared in constant time. Throws
 * only for malformed input. `sessionKey`, `data` and `padding` as for generateArqc. The example is
 * knovichikhin/pyemv's generate_ac docstring vector, then the same cryptogram with its last bit flipped.
 * @example
 * const sk = hexToBytes('AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB')
 * const acData = hexToBytes('000000002000' + '000000000000' + '0124' + '0000008000' + '0124' + '110309' + '00' + '3804823E' + '5800' + '0001')
 * verifyArqc(sk, acData, hexToBytes('3B76CF10FECD8789'), 2) // => true
 * verifyArqc(sk, acData, hexToBytes('3B76CF10FECD8788'), 2) // => false
 * @throws ERR_TYPE, ERR_LENGTH (arqc not 8 bytes, and as generateArqc), ERR_FORMAT
 */
export function verifyArqc(sessionKey: Uint8Array, data: Uint8Array, arqc: Uint8Array, padding: 1 | 2 = 1): boolean {
  const expected = checkBytes('arqc', arqc, [8]);
  return constantTimeEqual(generateArqc(sessionKey, data, padding), expected);
}

/**
 * ARPC method 1 (EMV Book 2 8.2.1): TDES of ARQC XOR (ARC || 00..00) under the AC session key or the ICC master key
 * (which one the scheme says: Visa CVN 10 and Mastercard CVN 16/17 use the MK). The issuer authentication data (tag
 * 91) is ARPC || ARC. The example is knovichikhin/pyemv's generate_arpc_1 docstring vector.
 * @param iccMkOrSessionKey 16 bytes; @param arqc the card's cryptogram, 8 bytes
 * @param arc the authorisation response code (tag 8A), 2 bytes
 * @returns the 8-byte ARPC
 * @example bytesToHex(generateArpc1(hexToBytes('AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB'), hexToBytes('1234567890ABCDEF'), hexToBytes('0000'))) // => 'F5E6F44147E2F1B0'
 * @throws ERR_TYPE, ERR_LENGTH
 */
export function generateArpc1(iccMkOrSessionKey: Uint8Array, arqc: Uint8Array, arc: Uint8Array): Uint8Array {
  const key = checkKey16('key', iccMkOrSessionKey);
  const block = checkBytes('arqc', arqc, [8]).slice();
  const code = checkBytes('arc', arc, [2]);
  block[0]! ^= code[0]!;
  block[1]! ^= code[1]!;
  return tdesEncryptEcb(key, block);
}

/**
 * ARPC method 2 (EMV Book 2 8.2.2): the leftmost 4 bytes of ISO/IEC 9797-1 MAC algorithm 3, padding method 2, of
 * ARQC || CSU || proprietary authentication data under the AC session key. The issuer authentication data (tag 91)
 * is ARPC || CSU || proprietary data. The example is knovichikhin/pyemv's generate_arpc_2 docstring vector.
 * @param key the AC session key, 16 bytes; @param arqc the card's cryptogram, 8 bytes
 * @param csu the card status update, 4 bytes; @param proprietaryData 0..8 bytes (none by default)
 * @returns the 4-byte ARPC
 * @example bytesToHex(generateArpc2(hexToBytes('AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB'), hexToBytes('1234567890ABCDEF'), hexToBytes('00000000'))) // => '9308BEBC'
 * @throws ERR_TYPE, ERR_LENGTH
 */
export function generateArpc2(
  key: Uint8Array,
  arqc: Uint8Array,
  csu: Uint8Array,
  proprietaryData?: Uint8Array,
): Uint8Array {
  const k = checkKey16('key', key);
  const a = checkBytes('arqc', arqc, [8]);
  const c = checkBytes('csu', csu, [4]);
  const p =
    proprietaryData === undefined
      ? new Uint8Array(0)
      : checkBytes('proprietaryData', proprietaryData, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  const data = new Uint8Array(12 + p.length);
  data.set(a, 0);
  data.set(c, 8);
  data.set(p, 12);
  return isoMacUnchecked(k, data, 3, 2, 4);
}
