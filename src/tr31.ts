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

export type Tr31Version = 'A' | 'B' | 'C' | 'D';

export interface Tr31OptionalBlock {
  /** Two characters, e.g. 'KS' (key set ID), 'KC' (KCV of the wrapped key), 'KP' (KCV of the KBPK), 'PB'. */
  id: string;
  /** Printable ASCII. */
  data: string;
}

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
 * random and hides the key length up to 24 bytes (TDES) or 32 (AES).
 * @throws ERR_TYPE, ERR_LENGTH (kbpk for the version, padding), ERR_TR31_HEADER (a header field not allowed)
 */
export function wrapTr31(kbpk: Uint8Array, header: Tr31Header | string, key: Uint8Array, opts?: { padding?: Uint8Array }): string {
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
 * @throws ERR_TYPE, ERR_TR31_HEADER, ERR_TR31_LENGTH
 */
export function parseTr31Header(keyBlock: string): Tr31Header {
  if (typeof keyBlock !== 'string') throw new CardHsmError('ERR_TYPE', '"keyBlock" expected a string', 'keyBlock');
  return parseHeader(keyBlock).header;
}

/**
 * Verifies and unwraps a TR-31 key block (versions A, B, C, D) under `kbpk`; returns the authenticated header
 * and the clear key. Handles any key length the block's length field allows, extended-length optional blocks
 * included.
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
