// Unique PANs without a table of issued numbers (ISO/IEC 7812-1): PAN = issuer prefix || body || Luhn digit,
// where body = a keyed permutation of a counter over exactly [0, 10^k) — FF1 radix 10 over the k body digits
// with the prefix digits in ASCII as tweak. Distinct counters give distinct PANs by construction, and without the
// key the next PAN cannot be predicted from earlier ones. Counters come from leases (Store.leaseRange).
//
// Bodies shorter than 6 digits are below FF1's domain rule (10^k >= 10^6). For them cardhsm uses a keyed
// shuffle: all 10^k bodies ordered by AES(key, prefix || body) — an exact permutation, computed once per
// issuer. Such a small space can be enumerated outright, so those PANs are predictable: the issuer warns.
import { CardHsmError } from '../errors.js';
import { checkBytes, checkDigits, checkInt } from '../_validate.js';
import { luhnCheckDigit } from '../luhn.js';
import { ff1Numerals } from '../_ff1.js';
import { aesEncryptEcb } from '../aes.js';
import { keySchedule, putAscii, decodeAscii, ALG_AES, type Kernel } from '../wasm/_calls.js';
import { loadedKernel } from '../wasm/_loader.js';

/**
 * Options of PanIssuer: the permutation key, the issuer prefix and the PAN length. The PANs were computed with this
 * library (FF1, checked against NIST SP 800-38G's samples, over the counters 0, 1, 2).
 * @example
 * const options = { key: hexToBytes('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F'), bin: '45717360', length: 16 }
 * new PanIssuer(options).pansAt(0, 3) // => ['4571736003861036', '4571736072000250', '4571736027022961']
 */
export interface PanIssuerOptions {
  /** AES key (16, 24 or 32 bytes) of the permutation. */
  key: Uint8Array;
  /** Issuer prefix (BIN/IIN), 6..11 digits. */
  bin: string;
  /** PAN length, 13..19, leaving at least one body digit. */
  length: number;
}

/**
 * Unique PANs without a table of issued numbers (ISO/IEC 7812-1): PAN = prefix || FF1(key, prefix, counter) ||
 * Luhn digit, so distinct counters (0 .. capacity - 1) give distinct PANs by construction. Bodies under 6 digits
 * use a keyed shuffle instead and set `warning` (enumerable). The Hsm leases counters from its store; use this class
 * directly with counters of your own. The PANs were computed with this library (FF1 checked against NIST SP
 * 800-38G's samples).
 * @example
 * const issuer = new PanIssuer({ key: hexToBytes('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F'), bin: '45717360', length: 16 })
 * issuer.pansAt(0, 3) // => ['4571736003861036', '4571736072000250', '4571736027022961']
 * [issuer.panAt(1), issuer.capacity, issuer.warning] // => ['4571736072000250', 10000000, undefined]
 * (() => { try { issuer.pansAt(9999999, 2) } catch (e) { return e.code } })() // => 'ERR_RANGE_EXHAUSTED'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (key 16, 24 or 32 bytes; bin 6..11 digits; length an integer 13..19)
 */
export class PanIssuer {
  readonly bin: string;
  readonly length: number;
  /** Digits of the account body: length - prefix - 1. */
  readonly bodyDigits: number;
  /** How many distinct PANs exist: 10^bodyDigits. */
  readonly capacity: number;
  /** Set when the body is too short for FF1 and the small-domain shuffle is used. */
  readonly warning: string | undefined;
  readonly #key: Uint8Array;
  readonly #tweak: Uint8Array;
  #shuffle: Uint32Array | undefined;

  constructor(options: PanIssuerOptions) {
    this.#key = checkBytes('key', options?.key, [16, 24, 32]).slice();
    this.bin = checkDigits('bin', options.bin, 6, 11);
    this.length = checkInt('length', options.length, 13, 19);
    // A prefix of at most 11 digits and a length of at least 13 always leave one or more account digits.
    this.bodyDigits = this.length - this.bin.length - 1;
    this.capacity = 10 ** this.bodyDigits;
    this.#tweak = Uint8Array.from(this.bin, (c) => c.charCodeAt(0));
    this.warning =
      this.bodyDigits < 6
        ? `PANs of length ${this.length} under prefix ${this.bin} have only ${this.bodyDigits} account digits (${this.capacity} numbers): below FF1's domain, they use a keyed shuffle and are enumerable by anyone — treat them as predictable.`
        : undefined;
  }

  /** The PANs for counters start .. start+count-1, in order. @throws ERR_RANGE_EXHAUSTED past the capacity */
  pansAt(start: number, count: number): string[] {
    this.#checkRange(start, count);
    const bodies = this.bodyDigits >= 6 ? this.#ff1Bodies(start, count) : this.#shuffledBodies(start, count);
    return bodies.map((body) => {
      const partial = this.bin + body;
      return partial + luhnCheckDigit(partial);
    });
  }

  /** True when the issuance kernel computes this issuer's PANs from counters (FF1 bodies, 6 digits or more). */
  get kernelMakesPans(): boolean {
    return this.bodyDigits >= 6;
  }

  /**
   * Has the issuance kernel compute the PANs of counters start .. start+count-1 into its chunk (assembly/cards.ts,
   * after cardsStart). `at` is free space in IN for the prefix. Only for kernelMakesPans issuers: the keyed shuffle
   * of shorter bodies needs kernel calls of its own, which cannot run inside the caller's (pansAt, outside it).
   */
  loadPans(k: Kernel, at: number, start: number, count: number): void {
    // Public only for src/issue/_cards.ts: anything but the loaded kernel is refused before memory is touched.
    if (k === undefined || k !== loadedKernel())
      throw new CardHsmError(
        'ERR_TYPE',
        '"k" expected the loaded cardhsm kernel (loadPans is internal to issuance)',
        'k',
      );
    checkInt('at', at, k.IN, k.IN + k.IO_BYTES - 1);
    if (!this.kernelMakesPans) throw new CardHsmError('ERR_INTERNAL', 'loadPans needs an FF1 body: use pansAt');
    this.#checkRange(start, count);
    putAscii(k.mem, at, this.bin);
    k.x.cardsPansFromCounters(...keySchedule(k, ALG_AES, this.#key), at, this.bin.length, start);
  }

  /** Zeroes this issuer's copy of the key; it cannot issue afterwards. */
  wipe(): void {
    this.#key.fill(0);
    this.#shuffle = undefined;
  }

  /** The PAN for one counter. */
  panAt(counter: number): string {
    return this.pansAt(counter, 1)[0]!;
  }

  #checkRange(start: number, count: number): void {
    checkInt('start', start, 0, Number.MAX_SAFE_INTEGER);
    checkInt('count', count, 0, 10_000_000);
    if (start + count > this.capacity) {
      throw new CardHsmError(
        'ERR_RANGE_EXHAUSTED',
        `counters up to ${start + count} exceed the ${this.capacity} PANs of this prefix and length`,
        'count',
      );
    }
  }

  #ff1Bodies(start: number, count: number): string[] {
    const k = this.bodyDigits;
    const numerals = new Uint8Array(count * k);
    for (let i = 0; i < count; i++) {
      let c = start + i;
      for (let j = k - 1; j >= 0; j--) {
        numerals[i * k + j] = c % 10;
        c = Math.floor(c / 10);
      }
    }
    const out = ff1Numerals(this.#key, this.#tweak, 10, k, numerals, false);
    numerals.fill(0);
    // Numerals to ASCII digits in place, then one decode for the batch: far cheaper than a string per PAN.
    for (let i = 0; i < out.length; i++) out[i]! += 48;
    const text = decodeAscii(out);
    out.fill(0);
    const bodies = new Array<string>(count);
    for (let i = 0; i < count; i++) bodies[i] = text.slice(i * k, (i + 1) * k);
    return bodies;
  }

  #shuffledBodies(start: number, count: number): string[] {
    this.#shuffle ??= this.#buildShuffle();
    return Array.from(this.#shuffle.subarray(start, start + count), (b) => String(b).padStart(this.bodyDigits, '0'));
  }

  /** Orders every body by AES(key, prefix digits || body): a keyed permutation of [0, 10^k). */
  #buildShuffle(): Uint32Array {
    const n = this.capacity;
    const blocks = new Uint8Array(n * 16);
    for (let b = 0; b < n; b++) {
      const label = `${this.bin}:${b}`;
      for (let i = 0; i < label.length; i++) blocks[b * 16 + i] = label.charCodeAt(i);
    }
    const enc = aesEncryptEcb(this.#key, blocks);
    const view = new DataView(enc.buffer);
    const order = Array.from({ length: n }, (_, b) => b);
    const keyOf = (b: number) => view.getBigUint64(b * 16);
    order.sort((x, y) => (keyOf(x) < keyOf(y) ? -1 : keyOf(x) > keyOf(y) ? 1 : x - y));
    return Uint32Array.from(order);
  }
}
