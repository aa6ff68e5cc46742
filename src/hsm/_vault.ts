// The key vault: the LMK, and keys in and out of LMK key blocks (TR-31 version D under the AES-256 LMK). Every key
// the Hsm uses is opened here — header checked against KEY_USAGE_RULES before any cryptography, then authenticated
// and unwrapped — and every key it makes is sealed here. Clear keys live only between open() and withKeys' end.
import { nodeCrypto } from '../_node.js';
import { CardHsmError } from '../errors.js';
import { frozen } from '../_freeze.js';
import { keyCheckValue } from '../keys/kcv.js';
import { lmkCheckValue } from '../keys/lmk.js';
import { parseTr31Header, type Tr31Header } from '../tr31.js';
import { Tr31Kbpk, unwrapTr31With, wrapTr31With } from '../_tr31.js';
import type { Purpose } from './usage.js';
import { requireUsage } from './_usage.js';

/**
 * The algorithm and length of a key under the LMK: 'TDES2' (16 bytes) and 'TDES3' (24) triple DES, 'AES128',
 * 'AES192', 'AES256' (16, 24, 32 bytes) and 'HMAC256' (a 32-byte HMAC-SHA-256 key). Given to generateKey and
 * importKeyComponents; describeKey reports it. The key block header carries the letter (T, A, H), the length
 * tells the rest.
 *
 * @example
 * const algorithm = 'AES192'
 * hsm.describeKey(hsm.generateKey({ usage: 'D0', algorithm }).keyBlock).algorithm  // => 'AES192'
 * KEY_ALGORITHMS[algorithm].bytes  // => 24
 */
export type KeyAlgorithm = 'TDES2' | 'TDES3' | 'AES128' | 'AES192' | 'AES256' | 'HMAC256';

const ALGORITHMS: Readonly<Record<KeyAlgorithm, { letter: string; bytes: number; strength: number }>> = frozen({
  // strength: security bits per NIST SP 800-57 Part 1 Table 2, for the export rule (never wrap a key under a weaker KEK)
  TDES2: { letter: 'T', bytes: 16, strength: 80 },
  TDES3: { letter: 'T', bytes: 24, strength: 112 },
  AES128: { letter: 'A', bytes: 16, strength: 128 },
  AES192: { letter: 'A', bytes: 24, strength: 192 },
  AES256: { letter: 'A', bytes: 32, strength: 256 },
  HMAC256: { letter: 'H', bytes: 32, strength: 256 },
});

/**
 * The key algorithms (KeyAlgorithm) and their key sizes in bytes: a frozen copy (the vault's own table, which the
 * export rule reads, is not reachable).
 *
 * @example
 * Object.keys(KEY_ALGORITHMS)  // => ['TDES2', 'TDES3', 'AES128', 'AES192', 'AES256', 'HMAC256']
 * KEY_ALGORITHMS.TDES3.bytes  // => 24
 * KEY_ALGORITHMS.HMAC256.bytes  // => 32
 * Object.isFrozen(KEY_ALGORITHMS.AES256)  // => true
 */
export const KEY_ALGORITHMS: Readonly<Record<KeyAlgorithm, { readonly bytes: number }>> = frozen(
  Object.fromEntries(Object.entries(ALGORITHMS).map(([name, a]) => [name, { bytes: a.bytes }])) as Record<
    KeyAlgorithm,
    { bytes: number }
  >,
);
export const ALGORITHM_NAMES = Object.keys(ALGORITHMS) as KeyAlgorithm[];

/** Key bytes of an algorithm. */
export const keyBytes = (algorithm: KeyAlgorithm): number => ALGORITHMS[algorithm].bytes;

/** True when a key of `subject` is stronger than a key of `protector` can protect (SP 800-57). */
export const strongerThan = (subject: KeyAlgorithm, protector: KeyAlgorithm): boolean =>
  ALGORITHMS[subject].strength > ALGORITHMS[protector].strength;

/**
 * A key made or moved by the Hsm: the key block (a TR-31 string: version D under the LMK, or under a KEK for
 * exportKey and exportDukptInitialKey) and the key's check value (6 uppercase hex digits: X9.24-1 zeros method for
 * TDES keys, AES-CMAC for AES and HMAC keys).
 *
 * @example
 * const { keyBlock, kcv } = hsm.importKeyComponents({ usage: 'C0', algorithm: 'TDES2', components: [hexToBytes('0123456789ABCDEFFEDCBA9876543210'), hexToBytes('01010101010101010101010101010101')] })
 * kcv  // => '08D7B4'
 * hsm.describeKey(keyBlock).kcv  // => '08D7B4'
 * keyBlock.slice(0, 1)  // => 'D'
 */
export interface KeyResult {
  /** The TR-31 key block (uppercase ASCII). */
  keyBlock: string;
  /** The key's check value: 6 uppercase hex digits. */
  kcv: string;
}

/** A key opened from its block: clear bytes, to be zeroed by withKeys. */
export interface OpenKey {
  header: Tr31Header;
  key: Uint8Array;
  algorithm: KeyAlgorithm;
}

/** What an operation learns about the keys it opens, for its audit record. */
export interface KeyNote {
  keyKcv: string | null;
  usage: string | null;
  /** False when no audit sink listens: the KCV would be a cipher operation for nothing. */
  readonly wanted: boolean;
}

/** The KCV reported for a key: ZEROS for TDES (X9.24-1), CMAC for AES and HMAC keys (X9.24-1:2017). */
export function kcvOf(key: Uint8Array, algorithm: KeyAlgorithm): string {
  return keyCheckValue(key, { algorithm: algorithm.startsWith('TDES') ? 'TDES' : 'AES' });
}

export function algorithmOf(header: Tr31Header, length: number): KeyAlgorithm {
  const name = ALGORITHM_NAMES.find((n) => ALGORITHMS[n].letter === header.algorithm && ALGORITHMS[n].bytes === length);
  if (!name)
    throw new CardHsmError(
      'ERR_TR31_HEADER',
      `"keyBlock" holds an algorithm ${header.algorithm} key of ${length} bytes, which cardhsm does not use`,
      'keyBlock',
    );
  return name;
}

export function checkKeyBlock(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new CardHsmError('ERR_TYPE', `"${field}" expected a key block string`, field);
  return value;
}

/** Runs `parse` on a caller's key block, naming the caller's option (not "keyBlock") in any error it raises. */
function asField<T>(field: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (!(e instanceof CardHsmError) || e.field === field) throw e;
    throw new CardHsmError(e.code, e.message.replace(/^"(keyBlock|header)"/, `"${field}"`), field, e.reason);
  }
}

/** Runs `body` with clear keys and zeroes them afterwards, whatever happens. */
export function withKeys<T>(keys: OpenKey[], body: () => T): T {
  try {
    return body();
  } finally {
    for (const k of keys) k.key.fill(0);
  }
}

/** The header a key block is written with: optional blocks kept, padding recomputed. */
export function rewrapHeader(h: Tr31Header, version: Tr31Header['version']): Tr31Header {
  return { ...h, version, length: 0, optionalBlocks: h.optionalBlocks.filter((b) => b.id !== 'PB') };
}

export class KeyVault {
  readonly #lmk: Uint8Array;
  /** The LMK with its TR-31 version D keys derived once. */
  readonly #kbpk: Tr31Kbpk;
  /** The LMK's public check value. */
  readonly kcv: string;

  constructor(lmk: unknown) {
    this.kcv = lmkCheckValue(lmk as Uint8Array); // refuses anything but a 32-byte LMK
    this.#lmk = (lmk as Uint8Array).slice();
    this.#kbpk = new Tr31Kbpk(this.#lmk);
  }

  /** A key for the Hsm's own use (card references, audit MACs), derived from the LMK for `label`. */
  derive(label: string): Uint8Array {
    return nodeCrypto().createHmac('sha256', this.#lmk).update(label).digest();
  }

  /**
   * Unwraps an LMK key block and checks it may serve `purpose` (null: any key, for key management). The usage is
   * checked on the header before any cryptography; a header altered to pass that check fails the MAC.
   */
  open(field: string, keyBlock: unknown, purpose: Purpose | null, note?: KeyNote): OpenKey {
    const block = checkKeyBlock(field, keyBlock);
    const claimed = this.#kbpk.verified(block)?.header ?? asField(field, () => parseTr31Header(block));
    if (claimed.version !== 'D') {
      throw new CardHsmError(
        'ERR_TR31_HEADER',
        `"${field}" is not an LMK key block (version ${claimed.version}, expected D)`,
        field,
      );
    }
    if (purpose) requireUsage(claimed, undefined, purpose, field);
    const { header, key } = asField(field, () => unwrapTr31With(this.#kbpk, block));
    try {
      const algorithm = algorithmOf(header, key.length);
      if (note && note.keyKcv === null && note.wanted) {
        note.keyKcv = kcvOf(key, algorithm);
        note.usage = header.usage;
      }
      if (purpose) requireUsage(header, key.length, purpose, field);
      return { header, key, algorithm };
    } catch (e) {
      key.fill(0);
      throw e;
    }
  }

  /** Wraps a clear key under the LMK with the given attributes. */
  seal(
    attributes: Pick<Tr31Header, 'usage' | 'modeOfUse' | 'keyVersion' | 'exportability'>,
    key: Uint8Array,
    algorithm: KeyAlgorithm,
    optionalBlocks: Tr31Header['optionalBlocks'] = [],
  ): KeyResult {
    const { usage, modeOfUse, keyVersion, exportability } = attributes;
    const header: Tr31Header = {
      version: 'D',
      length: 0,
      usage,
      algorithm: ALGORITHMS[algorithm].letter,
      modeOfUse,
      keyVersion,
      exportability,
      optionalBlocks: optionalBlocks.filter((b) => b.id !== 'PB'),
      reserved: '00',
    };
    return { keyBlock: wrapTr31With(this.#kbpk, header, key), kcv: kcvOf(key, algorithm) };
  }

  /** `keyBlock` re-wrapped under `target`'s LMK, header (usage, exportability, optional blocks) unchanged. */
  rewrapTo(target: KeyVault, field: string, keyBlock: unknown): string {
    const k = this.open(field, keyBlock, null);
    return withKeys([k], () => wrapTr31With(target.#kbpk, rewrapHeader(k.header, 'D'), k.key));
  }
}
