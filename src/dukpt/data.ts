// Data encryption under DUKPT data keys (ECB or CBC, no padding: data is whole blocks, as src/des.ts and src/aes.ts).
//   TDES DUKPT (ANSI X9.24-1 A.4): the data request / data response variants of the transaction key, each with
//   the one-way step (the halves encrypted under the variant key); 2-key TDES.
//   AES DUKPT (ANSI X9.24-3 6.3.2): requests under the data encryption key (usage 3000), responses under the data
//   decryption key (3001), or `usage` DATA_BOTH (3002); an AES key of the BDK's length by default, or the source's
//   `algorithm` (AES128/192/256, TDES2/TDES3).
// The direction names the message (the terminal's request, the host's response); the host decrypts a request and
// encrypts a response, under the same key the terminal used or will use.
import { CardHsmError } from '../errors.js';
import { checkBytes, checkOneOf, checkOptions, checkUint8Array } from '../_validate.js';
import { aesDecryptCbc, aesDecryptEcb, aesEncryptCbc, aesEncryptEcb } from '../aes.js';
import { tdesDecryptCbc, tdesDecryptEcb, tdesEncryptCbc, tdesEncryptEcb } from '../des.js';
import { checkSource, familyOf, operationAlgorithm, workingKey } from './_source.js';
import type { DukptKeySource } from './source.js';
import type { AesDukptAlgorithm, AesDukptUsage } from './aes.js';
import type { DukptDirection } from './mac.js';

/**
 * Options of encryptDukptData and decryptDukptData: the direction (DukptDirection: the key), the mode and IV, and
 * for AES DUKPT the key usage. The example is moov-io/dukpt's des_test.go initial sequence #1 (the response,
 * computed by moov-io: '4012345678909D987' zero-padded, CBC from a zero IV).
 * @example
 * const source = { bdk: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), ksn: hexToBytes('FFFF9876543210E00001') }
 * const opts = { direction: 'RESPONSE', mode: 'CBC', iv: new Uint8Array(8) }
 * bytesToHex(encryptDukptData(source, hexToBytes('343031323334353637383930394439383700000000000000'), opts)) // => '1FCC89AF66222F27B903898BB2BC8589CDBFDE5EC6AFCC25'
 */
export interface DukptDataOptions {
  /** 'REQUEST' (default: the terminal's message) or 'RESPONSE' (the host's). */
  direction?: DukptDirection;
  /** 'CBC' (default) or 'ECB'. */
  mode?: 'CBC' | 'ECB';
  /** CBC only: the IV, a block of the cipher (8 bytes TDES, 16 AES); zeros by default. */
  iv?: Uint8Array;
  /** AES DUKPT only: the key usage, by default DATA_ENCRYPT for requests and DATA_DECRYPT for responses. */
  usage?: 'DATA_ENCRYPT' | 'DATA_DECRYPT' | 'DATA_BOTH';
}

function run(source: unknown, data: Uint8Array, opts: unknown, decrypt: boolean): Uint8Array {
  const s = checkSource('source', source);
  const o = checkOptions('opts', opts);
  const direction =
    o.direction === undefined ? 'REQUEST' : checkOneOf('opts.direction', o.direction, ['REQUEST', 'RESPONSE'] as const);
  const mode = o.mode === undefined ? 'CBC' : checkOneOf('opts.mode', o.mode, ['CBC', 'ECB'] as const);
  let usage: AesDukptUsage = 'DATA_ENCRYPT';
  let algorithm: AesDukptAlgorithm = 'TDES2';
  if (s.scheme === 'AES') {
    usage =
      o.usage !== undefined
        ? checkOneOf('opts.usage', o.usage, ['DATA_ENCRYPT', 'DATA_DECRYPT', 'DATA_BOTH'] as const)
        : direction === 'REQUEST'
          ? 'DATA_ENCRYPT'
          : 'DATA_DECRYPT';
    algorithm = operationAlgorithm(s.algorithm, 'source', ['AES', 'TDES'], `AES${s.keyBytes * 8}` as AesDukptAlgorithm);
  } else if (o.usage !== undefined) {
    throw new CardHsmError('ERR_FORMAT', '"opts.usage" applies to AES DUKPT only (12-byte KSNs)', 'opts.usage');
  }
  const aes = familyOf(algorithm) === 'AES';
  const block = aes ? 16 : 8;
  if (mode === 'ECB' && o.iv !== undefined)
    throw new CardHsmError('ERR_FORMAT', '"opts.iv" applies to CBC only', 'opts.iv');
  const iv =
    mode === 'ECB' ? undefined : o.iv === undefined ? new Uint8Array(block) : checkBytes('opts.iv', o.iv, [block]);
  checkUint8Array('data', data);
  if (data.length % block !== 0)
    throw new CardHsmError(
      'ERR_LENGTH',
      `"data" expected a multiple of ${block} bytes, got length=${data.length}`,
      'data',
    );
  const key = workingKey(
    s,
    direction === 'REQUEST' ? 'DATA_REQUEST' : 'DATA_RESPONSE',
    usage,
    algorithm,
    'source.algorithm',
  );
  try {
    if (aes) {
      if (iv === undefined) return decrypt ? aesDecryptEcb(key, data) : aesEncryptEcb(key, data);
      return decrypt ? aesDecryptCbc(key, data, iv) : aesEncryptCbc(key, data, iv);
    }
    if (iv === undefined) return decrypt ? tdesDecryptEcb(key, data) : tdesEncryptEcb(key, data);
    return decrypt ? tdesDecryptCbc(key, data, iv) : tdesEncryptCbc(key, data, iv);
  } finally {
    key.fill(0);
  }
}

/**
 * Encrypts data under the transaction's DUKPT data key (a host encrypting a response, or a test terminal). The
 * example is ANSI X9.24-1:2009 A.4.2 initial sequence #1 (the request data: '4012345678909D987' zero-padded), then
 * moov-io/dukpt's aes_test.go TestAES128 initial sequence #1 (the same message, an AES-128 BDK).
 * @param source `{ bdk | initialKey, ksn, algorithm? }` (DukptKeySource): a 10-byte KSN for TDES DUKPT, 12 bytes
 *   for AES DUKPT
 * @param data whole blocks (8 bytes TDES, 16 AES); pad first as the message format says
 * @param opts `direction`, `mode`, `iv`, `usage` (DukptDataOptions): by default a request, CBC from a zero IV
 * @returns the ciphertext, as long as `data`
 * @example
 * bytesToHex(encryptDukptData({ bdk: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), ksn: hexToBytes('FFFF9876543210E00001') }, hexToBytes('343031323334353637383930394439383700000000000000'))) // => 'FC0D53B7EA1FDA9EE68AAF2E70D9B9506229BE2AA993F04F'
 * bytesToHex(encryptDukptData({ bdk: hexToBytes('FEDCBA9876543210F1F1F1F1F1F1F1F1'), ksn: hexToBytes('123456789012345600000001') }, hexToBytes('3430313233343536373839303944393837000000000000000000000000000000'))) // => 'E5AFA5B408A3310E3D779C8A9A2AE29448BD5B4232582090DB703AF647205A79'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT, ERR_KEY_USAGE
 */
export function encryptDukptData(source: DukptKeySource, data: Uint8Array, opts?: DukptDataOptions): Uint8Array {
  return run(source, data, opts, false);
}

/**
 * Decrypts data encrypted under the transaction's DUKPT data key (a host reading a terminal's request). Arguments
 * as for encryptDukptData; `data` whole blocks. The example is ANSI X9.24-1:2009 A.4.2 initial sequence #1's
 * encrypted request.
 * @returns the plaintext, as long as `data` (padding included)
 * @example new TextDecoder().decode(decryptDukptData({ bdk: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), ksn: hexToBytes('FFFF9876543210E00001') }, hexToBytes('FC0D53B7EA1FDA9EE68AAF2E70D9B9506229BE2AA993F04F')).subarray(0, 17)) // => '4012345678909D987'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT, ERR_KEY_USAGE
 */
export function decryptDukptData(source: DukptKeySource, data: Uint8Array, opts?: DukptDataOptions): Uint8Array {
  return run(source, data, opts, true);
}
