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
  if (d.length > 1024) throw new CardHsmError('ERR_LENGTH', `"data" expected 0..1024 bytes, got length=${d.length}`, 'data');
  return d;
}

function checkPadding(padding: unknown): 1 | 2 {
  if (padding !== 1 && padding !== 2) throw new CardHsmError('ERR_FORMAT', '"padding" expected ISO/IEC 9797-1 padding method 1 or 2', 'padding');
  return padding;
}

/**
 * An application cryptogram (ARQC, TC or AAC): ISO/IEC 9797-1 MAC algorithm 3 of `data` (0..1024 bytes, the
 * transaction data in the order the scheme defines) under the 16-byte AC session key, padding method 1 (default)
 * or 2. 8 bytes.
 * @example bytesToHex(generateArqc(hexToBytes('AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB'), hexToBytes('00000000200000000000000001240000008000012411030900' + '3804823E58000001'), 2)) // '3B76CF10FECD8789'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (padding)
 */
export function generateArqc(sessionKey: Uint8Array, data: Uint8Array, padding: 1 | 2 = 1): Uint8Array {
  const key = checkKey16('sessionKey', sessionKey);
  return isoMacUnchecked(key, checkData(data), 3, checkPadding(padding), 8);
}

/**
 * True when `arqc` (8 bytes) is the cryptogram of `data` under the session key; compared in constant time. Throws
 * only for malformed input.
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT
 */
export function verifyArqc(sessionKey: Uint8Array, data: Uint8Array, arqc: Uint8Array, padding: 1 | 2 = 1): boolean {
  const expected = checkBytes('arqc', arqc, [8]);
  return constantTimeEqual(generateArqc(sessionKey, data, padding), expected);
}

/**
 * ARPC method 1 (EMV Book 2 8.2.1): TDES of ARQC XOR (ARC || 00..00) under the AC session key or the ICC master key
 * (which one the scheme says: Visa CVN 10 and Mastercard CVN 16/17 use the MK). `arc` is the 2-byte authorisation
 * response code (tag 8A). 8 bytes; the issuer authentication data (tag 91) is ARPC || ARC.
 * @example bytesToHex(generateArpc1(hexToBytes('AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB'), hexToBytes('1234567890ABCDEF'), hexToBytes('0000'))) // 'F5E6F44147E2F1B0'
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
 * ARQC || CSU || proprietary authentication data under the AC session key. `csu` is the 4-byte card status update,
 * `proprietaryData` 0..8 bytes. The issuer authentication data (tag 91) is ARPC || CSU || proprietary data.
 * @example bytesToHex(generateArpc2(hexToBytes('AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB'), hexToBytes('1234567890ABCDEF'), hexToBytes('00000000'))) // '9308BEBC'
 * @throws ERR_TYPE, ERR_LENGTH
 */
export function generateArpc2(key: Uint8Array, arqc: Uint8Array, csu: Uint8Array, proprietaryData?: Uint8Array): Uint8Array {
  const k = checkKey16('key', key);
  const a = checkBytes('arqc', arqc, [8]);
  const c = checkBytes('csu', csu, [4]);
  const p = proprietaryData === undefined ? new Uint8Array(0) : checkBytes('proprietaryData', proprietaryData, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  const data = new Uint8Array(12 + p.length);
  data.set(a, 0);
  data.set(c, 8);
  data.set(p, 12);
  return isoMacUnchecked(k, data, 3, 2, 4);
}
