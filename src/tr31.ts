// TR-31 / ANSI X9.143 key blocks: a key wrapped under a key block protection key (KBPK) with its usage in a
// clear, authenticated header.
//   header (16 chars + optional blocks) || HEX(encrypted key data) || HEX(MAC)
//   key data = key length in bits (2 bytes) || key || padding
// Versions B (TDES KBPK) and D (AES KBPK) bind header and key with CMAC under keys derived from the KBPK by
// CMAC (X9.143 / TR-31:2018 Annex A); A and C (the legacy variant method) are read but never written. The
// machinery is in _tr31.ts.
import { CardHsmError } from './errors.js';
import { checkBytes } from './_validate.js';
import { parseHeader, Tr31Kbpk, unwrapTr31With, wrapTr31With } from './_tr31.js';

/**
 * The key block version (header byte 0): 'A' and 'C' (TDES variant binding; read only), 'B' (TDES key derivation
 * binding) and 'D' (AES key derivation binding). The example writes a version B block and reads its version back,
 * then reads ANSI X9.143:2021 8.4.1 (version C) and 8.4.2 (version B), as reproduced in openemv/tr31's tests
 * (test/vectors/tr31.json).
 * @example
 * const version = 'B'
 * parseTr31Header(wrapTr31(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), { version, length: 0, usage: 'C0', algorithm: 'T', modeOfUse: 'C', keyVersion: '00', exportability: 'E', optionalBlocks: [], reserved: '00' }, hexToBytes('0123456789ABCDEFFEDCBA9876543210'))).version // => 'B'
 * unwrapTr31(hexToBytes('B8ED59E0A279A295E9F5ED7944FD06B9'), 'C0112B0TX12S0100KS1800604B120F929280000042B758A2400AB598AE37782823DAF0BA4BDB0DAFF34915345CA169AE1F976A429EB139E5').header.version // => 'C'
 * parseTr31Header('B0120B0TX12S0100KS1800604B120F929280000015CEB14B76D551F21EC43A75390FA118A98C6CB049E3B9E864A5F4A8B9A5108A6DB5635C95B042D7').version // => 'B'
 */
export type Tr31Version = 'A' | 'B' | 'C' | 'D';

/**
 * An optional block of a key block header: a 2-character ID and printable ASCII data. wrapTr31 writes them in
 * order, then a PB (padding) block when needed. The block is paysec's test_tr31_wrap_example_aes_128
 * (test/vectors/tr31.json).
 * @example
 * const ks = { id: 'KS', data: '00604B120F9292800000' }
 * const block = wrapTr31(hexToBytes('00112233445566778899AABBCCDDEEFF'), { version: 'D', length: 0, usage: 'P0', algorithm: 'T', modeOfUse: 'E', keyVersion: '00', exportability: 'N', optionalBlocks: [ks], reserved: '00' }, hexToBytes('FFEEDDCCBBAA99887766554433221100'), { padding: hexToBytes('DDCAA6156A32D4A2734F9AF8A06A') })
 * block // => 'D0144P0TE00N0200KS1800604B120F9292800000PB0800008C33D790E39C605B6966CB81E79ADBDFEF1341850A655F383783CB17F64E3D3E0901DC80A564B8365F0979A06904FEEA'
 * parseTr31Header(block).optionalBlocks // => [ks, { id: 'PB', data: '0000' }]
 */
export interface Tr31OptionalBlock {
  /** Two characters, e.g. 'KS' (key set ID), 'KC' (KCV of the wrapped key), 'KP' (KCV of the KBPK), 'PB'. */
  id: string;
  /** Printable ASCII. */
  data: string;
}

/**
 * A key block's clear header, as parseTr31Header and unwrapTr31 return it and wrapTr31 takes it (the length is
 * computed there: pass 0). The example wraps paysec's test_tr31_wrap_example_aes_128 key with its fixed padding and
 * gets the published block back.
 * @example
 * const header = { version: 'D', length: 0, usage: 'P0', algorithm: 'T', modeOfUse: 'E', keyVersion: '00', exportability: 'N', optionalBlocks: [{ id: 'KS', data: '00604B120F9292800000' }], reserved: '00' }
 * wrapTr31(hexToBytes('00112233445566778899AABBCCDDEEFF'), header, hexToBytes('FFEEDDCCBBAA99887766554433221100'), { padding: hexToBytes('DDCAA6156A32D4A2734F9AF8A06A') }) // => 'D0144P0TE00N0200KS1800604B120F9292800000PB0800008C33D790E39C605B6966CB81E79ADBDFEF1341850A655F383783CB17F64E3D3E0901DC80A564B8365F0979A06904FEEA'
 * parseTr31Header('D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34') // => { version: 'D', length: 112, usage: 'P0', algorithm: 'A', modeOfUse: 'E', keyVersion: '00', exportability: 'E', optionalBlocks: [], reserved: '00' }
 */
export interface Tr31Header {
  version: Tr31Version;
  /** Total key block length in characters; wrapTr31 computes it (pass 0). */
  length: number;
  /** Key usage, e.g. 'P0', 'C0', 'V2', 'K0', 'D0', 'E6'. */
  usage: string;
  /** 'A' AES, 'D' DEA, 'E' elliptic curve, 'H' HMAC, 'R' RSA, 'S' DSA, 'T' TDES. */
  algorithm: string;
  /** 'B' both, 'C' generate and verify, 'D' decrypt, 'E' encrypt, 'G' generate, 'N' none, 'S' sign, 'T' sign and decrypt, 'V' verify, 'X' derive, 'Y' variants. */
  modeOfUse: string;
  /** Two characters; '00' when unversioned. */
  keyVersion: string;
  /** 'E' exportable under a KEK, 'N' non-exportable, 'S' sensitive. */
  exportability: string;
  optionalBlocks: Tr31OptionalBlock[];
  /** Header bytes 14-15: key context and a reserved character (X9.143); '00'. */
  reserved: string;
}

export { X9143_USAGES, type X9143Usage } from './_tr31.js';

/**
 * Wraps `key` under `kbpk` in a TR-31 key block of version B (TDES KBPK of 16 or 24 bytes) or D (AES KBPK of 16,
 * 24 or 32 bytes). `header` is a Tr31Header or a header string; its length field is computed here. Optional
 * blocks are kept in order and padded with a PB block to the cipher block size. `opts.padding` gives the exact
 * bytes placed after the key (2 + key length + padding must fill whole cipher blocks); by default the padding is
 * random and hides the key length up to 24 bytes (TDES) or 32 (AES). Returns the key block string (uppercase).
 * The first example is ANSI X9 TR-31:2018 Annex A.7.4 (version D, AES-256 KBPK); the second paysec's
 * test_tr31_wrap_example_aes_128 (test/vectors/tr31.json).
 * @example
 * wrapTr31(hexToBytes('88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6'), 'D0000P0AE00E0000', hexToBytes('3F419E1CB7079442AA37474C2EFBF8B8'), { padding: hexToBytes('1C2965473CE206BB855B01533782') }) // => 'D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34'
 * wrapTr31(hexToBytes('00112233445566778899AABBCCDDEEFF'), 'D0000P0TE00N0100KS1800604B120F9292800000', hexToBytes('FFEEDDCCBBAA99887766554433221100'), { padding: hexToBytes('DDCAA6156A32D4A2734F9AF8A06A') }) // => 'D0144P0TE00N0200KS1800604B120F9292800000PB0800008C33D790E39C605B6966CB81E79ADBDFEF1341850A655F383783CB17F64E3D3E0901DC80A564B8365F0979A06904FEEA'
 * (() => { try { wrapTr31(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), 'A0000P0TE00E0000', hexToBytes('0123456789ABCDEFFEDCBA9876543210')) } catch (e) { return [e.code, e.field] } })() // => ['ERR_TR31_HEADER', 'version']
 * @throws ERR_TYPE, ERR_LENGTH (kbpk for the version, padding), ERR_TR31_HEADER (a header field not allowed)
 */
export function wrapTr31(
  kbpk: Uint8Array,
  header: Tr31Header | string,
  key: Uint8Array,
  opts?: { padding?: Uint8Array },
): string {
  checkBytes('kbpk', kbpk, [8, 16, 24, 32]);
  const k = new Tr31Kbpk(kbpk);
  try {
    return wrapTr31With(k, header, key, opts);
  } finally {
    k.wipe();
  }
}

/**
 * Parses a key block header without unwrapping (no key needed). The header is authenticated only by unwrapTr31.
 * The block is ANSI X9 TR-31:2018 Annex A.7.4.
 * @example
 * parseTr31Header('D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34') // => { version: 'D', length: 112, usage: 'P0', algorithm: 'A', modeOfUse: 'E', keyVersion: '00', exportability: 'E', optionalBlocks: [], reserved: '00' }
 * @throws ERR_TYPE, ERR_TR31_HEADER, ERR_TR31_LENGTH
 */
export function parseTr31Header(keyBlock: string): Tr31Header {
  if (typeof keyBlock !== 'string') throw new CardHsmError('ERR_TYPE', '"keyBlock" expected a string', 'keyBlock');
  return parseHeader(keyBlock).header;
}

/**
 * Verifies and unwraps a TR-31 key block (versions A, B, C, D) under `kbpk`; returns the authenticated header
 * and the clear key. Handles any key length the block's length field allows, extended-length optional blocks
 * included. The first block is ANSI X9 TR-31:2018 Annex A.7.4 (version D); the second ANSI X9.143:2021 8.4.2
 * (version B), as reproduced in openemv/tr31's tests.
 * @example
 * bytesToHex(unwrapTr31(hexToBytes('88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6'), 'D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34').key) // => '3F419E1CB7079442AA37474C2EFBF8B8'
 * const { header, key } = unwrapTr31(hexToBytes('1D22BF32387C600AD97F9B97A51311AC'), 'B0120B0TX12S0100KS1800604B120F929280000015CEB14B76D551F21EC43A75390FA118A98C6CB049E3B9E864A5F4A8B9A5108A6DB5635C95B042D7')
 * [header.usage, header.keyVersion, bytesToHex(key)] // => ['B0', '12', 'E8BC63E5479455E26577F715D587FE68']
 * (() => { try { unwrapTr31(hexToBytes('88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6'), 'D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34'.slice(0, -1) + '5') } catch (e) { return e.code } })() // => 'ERR_TR31_MAC'
 * @throws ERR_TYPE, ERR_LENGTH (a kbpk that cannot serve the block's version), ERR_TR31_HEADER, ERR_TR31_LENGTH,
 *   ERR_FORMAT (a body that is not uppercase hex), ERR_TR31_MAC (tampered, or wrapped under another key)
 */
export function unwrapTr31(kbpk: Uint8Array, keyBlock: string): { header: Tr31Header; key: Uint8Array } {
  checkBytes('kbpk', kbpk, [8, 16, 24, 32]);
  const k = new Tr31Kbpk(kbpk);
  try {
    return unwrapTr31With(k, keyBlock);
  } finally {
    k.wipe();
  }
}
