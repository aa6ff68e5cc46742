// PIN blocks under DUKPT (ISO 9564-1 with ANSI X9.24-1 / X9.24-3 keys): the host's most frequent job, translating
// a terminal's PIN block to a zone or issuer key. The transaction's PIN key is derived and the block translated
// in one kernel call (assembly/dukpt.ts dukptPinTranslate over assembly/pinblock.ts pinblockTranslate), so
// neither the derived key nor the clear PIN ever leaves WASM memory, which is wiped before the call returns.
//   TDES DUKPT: ISO formats 0, 1 and 3 under the PIN variant of the transaction key (2-key TDES).
//   AES DUKPT: ISO format 4 under an AES PIN key (usage 1000), or formats 0, 1 and 3 under a TDES2/TDES3 PIN key
//   derived from the AES BDK (its `algorithm`).
import { CardHsmError } from '../errors.js';
import { checkArray, checkBytes, checkDigits, checkOptions } from '../_validate.js';
import { keySchedule, withKernel, ALG_AES, ALG_TDES } from '../wasm/_calls.js';
import { tdesDecryptEcb, tdesEncryptEcb } from '../des.js';
import {
  decipherPinBlockIso4,
  decodePinBlockIso0,
  decodePinBlockIso1,
  decodePinBlockIso3,
  encipherPinBlockIso4,
  encodePinBlockIso0,
  encodePinBlockIso1,
  encodePinBlockIso3,
  type PinBlockFormat,
  type PinBlockSide,
} from '../pinblock.js';
import {
  checkSide,
  requireDecoded,
  translationFill,
  writeDecodeRecord,
  TRANSLATE_OUT,
  TRANSLATE_RECORD,
  checkPinBlockFormat,
  checkTranslation,
} from '../_pinblock.js';
import { checkKsn, schemeOfKsn } from './_ksn.js';
import type { AesDukptAlgorithm } from './aes.js';
import { workingSpec } from './_aes.js';
import { bindSource, KEY_AREA } from './_derive.js';
import { checkSource, checkSourceKey, operationAlgorithm, workingKey, type CheckedSource } from './_source.js';
import type { DukptKeySource } from './source.js';

/**
 * A DUKPT key source (DukptKeySource) and the ISO 9564 format of the PIN blocks under its PIN keys: 0, 1 or 3 for
 * TDES DUKPT; 4 (or 0, 1, 3 with `algorithm` TDES2 / TDES3) for AES DUKPT. The example is the ANSI X9.24-3:2017
 * supplement's ISO format 4 PIN block #1 (AES-128 BDK, PIN 1234).
 * @example
 * const side = { bdk: hexToBytes('FEDCBA9876543210F1F1F1F1F1F1F1F1'), ksn: hexToBytes('123456789012345600000001'), format: 4 }
 * decryptDukptPinBlock({ ...side, pinBlock: hexToBytes('A912150391AB65A67E52883D81CE2D15'), pan: '4111111111111111' }) // => '1234'
 */
export type DukptPinSide = DukptKeySource & { format: PinBlockFormat };

/**
 * The key side of a batch (translateDukptPinBlocks' `from`): a BDK or initial key with the format and (AES DUKPT)
 * algorithm; KSNs come per item. The example translates ANSI X9.24-1:2009 A.4.2 initial sequence #2's PIN block to
 * a zone key, then opens the result under that key.
 * @example
 * const zpk = hexToBytes('FEDCBA98765432100123456789ABCDEF'), from = { bdk: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), format: 0 }
 * const [block] = translateDukptPinBlocks({ from, to: { key: zpk, format: 0 }, items: [{ ksn: hexToBytes('FFFF9876543210E00002'), pinBlock: hexToBytes('10A01C8D02C69107'), pan: '4012345678909' }] })
 * decodePinBlockIso0(tdesDecryptEcb(zpk, block), '4012345678909') // => '1234'
 */
export type DukptPinBatchSide = ({ bdk: Uint8Array } | { initialKey: Uint8Array }) & {
  format: PinBlockFormat;
  algorithm?: AesDukptAlgorithm;
};

/** What the kernel needs to derive a side's PIN key: algorithm indicator, bits, and the cipher mode of its schedule. */
interface PinKey {
  algorithm: number;
  bits: number;
  /** AES rounds for an AES key; 0 for a 2- or 3-key TDES schedule. */
  mode: number;
  /** The AES DUKPT algorithm, for keys derived to JavaScript (decrypt/encrypt). */
  name: AesDukptAlgorithm;
}

const RECORD = 64; // assembly/pinblock.ts TRANSLATE_RECORD (48) then the KSN at DUKPT_KSN_AT
const KSN_AT = 48;
const FILL_AT = 36;

/** The PIN key of a side in `format`: format 4 takes an AES key, 0/1/3 a TDES key (X9.24-3: TDES2 or TDES3). */
function pinKeyOf(s: Omit<CheckedSource, 'ksn'>, format: PinBlockFormat, at: string): PinKey {
  const f = (name: string) => (at ? `${at}.${name}` : name);
  if (s.scheme === 'TDES') {
    if (format === 4)
      throw new CardHsmError(
        'ERR_KEY_USAGE',
        `"${f('format')}" 4 needs an AES PIN key: TDES DUKPT serves formats 0, 1 and 3`,
        f('format'),
      );
    return { algorithm: 0, bits: 128, mode: 0, name: 'TDES2' };
  }
  if (format !== 4 && s.algorithm === undefined) {
    throw new CardHsmError(
      'ERR_FORMAT',
      `"${f('algorithm')}" is required for format ${format} under AES DUKPT: TDES2 or TDES3`,
      f('algorithm'),
    );
  }
  const name = operationAlgorithm(
    s.algorithm,
    at,
    format === 4 ? ['AES'] : ['TDES'],
    `AES${s.keyBytes * 8}` as AesDukptAlgorithm,
  );
  const spec = workingSpec('PIN_ENCRYPTION', name, s.keyBytes, f('algorithm'));
  return { algorithm: spec.algorithm, bits: spec.bits, mode: name.startsWith('AES') ? spec.bits / 32 + 6 : 0, name };
}

function checkPinSide(at: string, value: unknown): { s: CheckedSource; format: PinBlockFormat; key: PinKey } {
  const s = checkSource(at, value);
  const format = checkPinBlockFormat(at ? `${at}.format` : 'format', (value as Record<string, unknown>).format);
  return { s, format, key: pinKeyOf(s, format, at) };
}

const isDukptSide = (value: unknown): boolean => typeof value === 'object' && value !== null && 'ksn' in value;

/**
 * Translates a PIN block encrypted under a DUKPT PIN key (a terminal's) to a PIN key (a zone or issuer key,
 * `to: { key, format }` as for translatePinBlock) or to another DUKPT side (`to: { bdk | initialKey, ksn,
 * format }`), in one kernel call: the derived keys and the clear PIN exist only in WASM memory, wiped before the
 * call returns. TDES DUKPT (10-byte KSN) serves formats 0, 1, 3; AES DUKPT (12-byte KSN) format 4 (AES PIN key
 * of the BDK's length, or `algorithm`) and 0, 1, 3 with `algorithm` TDES2 or TDES3. Translating a PAN-bound
 * format into format 1 is refused, as by translatePinBlock. New fill for formats 1, 3 and 4 from the CSPRNG. The example's
 * block is ANSI X9.24-1:2009 A.4.2 initial sequence #1's (PIN 1234); the result is the format 0 block of that PIN
 * under the zone key, as the second line computes it.
 * @param options.pinBlock 8 bytes (formats 0, 1, 3) or 16 (format 4)
 * @param options.pan 2..19 digits
 * @param options.from `{ bdk | initialKey, ksn, format, algorithm? }` (DukptPinSide): BDK or IPEK 16 bytes for TDES
 *   DUKPT, 16/24/32 for AES
 * @param options.to `{ key, format }` (PinBlockSide) or another DUKPT side `{ bdk | initialKey, ksn, format }`
 * @returns the block under `to`: 8 bytes, or 16 for format 4
 * @example
 * const from = { bdk: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), ksn: hexToBytes('FFFF9876543210E00001'), format: 0 }
 * const to = { key: hexToBytes('FEDCBA98765432100123456789ABCDEF'), format: 0 }
 * bytesToHex(translateDukptPinBlock({ pinBlock: hexToBytes('1B9C1845EB993A7A'), pan: '4012345678909', from, to })) // => '7820FE6CFD54CE3A'
 * bytesToHex(tdesEncryptEcb(to.key, encodePinBlockIso0('1234', '4012345678909'))) // => '7820FE6CFD54CE3A'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (also a KSN counter of 0 or too many one-bits), ERR_KEY_USAGE (a
 *   format the key cannot serve, a working key stronger than its BDK), ERR_PIN_TRANSLATION, ERR_PINBLOCK_FORMAT
 *   (a block that does not decode: a wrong BDK, KSN, PAN or format)
 */
export function translateDukptPinBlock(options: {
  pinBlock: Uint8Array;
  pan: string;
  from: DukptPinSide;
  to: PinBlockSide | DukptPinSide;
}): Uint8Array {
  const o = checkOptions('options', options);
  const from = checkPinSide('from', o.from);
  const toDukpt = isDukptSide(o.to) ? checkPinSide('to', o.to) : undefined;
  const toKey = toDukpt ? undefined : checkSide('to', o.to);
  const toFormat = toDukpt ? toDukpt.format : toKey!.format;
  checkTranslation(from.format, toFormat);
  const pan = checkDigits('pan', o.pan, 2, 19);
  const block = checkBytes('pinBlock', o.pinBlock, [from.format === 4 ? 16 : 8]);
  const fill = translationFill(toFormat);
  try {
    return withKernel(KEY_AREA + 2 * RECORD, TRANSLATE_OUT, (k) => {
      try {
        const m = k.mem;
        const rec = k.IN + KEY_AREA;
        let toKs: number;
        let toMode: number;
        if (toDukpt) {
          bindSource(k, toDukpt.s.source);
          m.set(toDukpt.s.ksn, rec + RECORD);
          toKs = k.x.dukptPinKey(rec + RECORD, toDukpt.key.algorithm, toDukpt.key.bits, 1);
          toMode = toDukpt.key.mode;
        } else {
          [toKs, toMode] = keySchedule(k, toKey!.format === 4 ? ALG_AES : ALG_TDES, toKey!.key);
        }
        bindSource(k, from.s.source);
        writeDecodeRecord(m, rec, block, pan);
        m.set(fill, rec + FILL_AT);
        m.set(from.s.ksn, rec + KSN_AT);
        k.x.dukptPinTranslate(
          from.key.algorithm,
          from.key.bits,
          from.key.mode,
          from.format,
          toFormat,
          toKs,
          toMode,
          rec,
          RECORD,
          k.OUT,
          1,
        );
        requireDecoded(from.format, m[k.OUT]!);
        return m.slice(k.OUT + 16, k.OUT + 16 + (toFormat === 4 ? 16 : 8));
      } finally {
        k.x.dukptWipe();
      }
    });
  } finally {
    fill.fill(0);
  }
}

/**
 * One terminal's PIN block in a batch (translateDukptPinBlocks): its KSN (10 or 12 bytes, as the batch's scheme),
 * the block (8 bytes, or 16 for format 4) and the PAN (2..19 digits). The example is ANSI X9.24-1:2009 A.4.2
 * initial sequence #1 and #2 (PIN 1234 each time, so one translated block), then #1's block with #2's KSN.
 * @example
 * const a = { ksn: hexToBytes('FFFF9876543210E00001'), pinBlock: hexToBytes('1B9C1845EB993A7A'), pan: '4012345678909' }
 * const b = { ksn: hexToBytes('FFFF9876543210E00002'), pinBlock: hexToBytes('10A01C8D02C69107'), pan: '4012345678909' }
 * const items = [a, b, { ...a, ksn: b.ksn }]
 * translateDukptPinBlocks({ from: { bdk: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), format: 0 }, to: { key: hexToBytes('FEDCBA98765432100123456789ABCDEF'), format: 0 }, items }).map((x) => x && bytesToHex(x)) // => ['7820FE6CFD54CE3A', '7820FE6CFD54CE3A', null]
 */
export interface DukptPinItem {
  ksn: Uint8Array;
  pinBlock: Uint8Array;
  pan: string;
}

interface CheckedItem {
  ksn: Uint8Array;
  pinBlock: Uint8Array;
  pan: string;
  fill: Uint8Array;
}

/**
 * translateDukptPinBlock for many terminals under one BDK (or initial key) into one PIN key: one kernel call per
 * 8,191 blocks, each with its own KSN. A block that does not decode under its derived key (a wrong KSN, PAN or
 * format) gives `null` in its place instead of failing the batch. The example's block is ANSI X9.24-1:2009 A.4.2
 * initial sequence #1's (PIN 1234), translated to the zone key as translateDukptPinBlock's example.
 * @param options.from `{ bdk | initialKey, format, algorithm? }` (DukptPinBatchSide; the scheme follows the items' KSN
 *   length, which must agree)
 * @param options.to `{ key, format }` (a PIN key, as for translatePinBlock)
 * @param options.items `{ ksn, pinBlock, pan }` (DukptPinItem; field names in errors carry the index: `items[3].ksn`)
 * @returns one new block or null per item, in order
 * @example
 * const from = { bdk: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), format: 0 }, to = { key: hexToBytes('FEDCBA98765432100123456789ABCDEF'), format: 0 }
 * const items = [{ ksn: hexToBytes('FFFF9876543210E00001'), pinBlock: hexToBytes('1B9C1845EB993A7A'), pan: '4012345678909' }]
 * translateDukptPinBlocks({ from, to, items }).map((b) => b && bytesToHex(b)) // => ['7820FE6CFD54CE3A']
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT, ERR_KEY_USAGE, ERR_PIN_TRANSLATION
 */
export function translateDukptPinBlocks(options: {
  from: DukptPinBatchSide;
  to: PinBlockSide;
  items: readonly DukptPinItem[];
}): Array<Uint8Array | null> {
  const o = checkOptions('options', options);
  const fromOptions = checkOptions('from', o.from);
  const format = checkPinBlockFormat('from.format', fromOptions.format);
  const to = checkSide('to', o.to);
  checkTranslation(format, to.format);
  const raw = checkArray('items', o.items);
  if (raw.length === 0) {
    checkSourceKey('from', fromOptions, 'AES'); // the loosest check: the scheme follows the items' KSNs
    return [];
  }
  const scheme = schemeOfKsn('items[0].ksn', checkOptions('items[0]', raw[0]).ksn);
  const s = checkSourceKey('from', fromOptions, scheme);
  const key = pinKeyOf(s, format, 'from');
  const zeros = new Uint8Array(8);
  const items: CheckedItem[] = raw.map((value, i) => {
    const it = checkOptions(`items[${i}]`, value);
    return {
      ksn: checkKsn(`items[${i}].ksn`, it.ksn, scheme),
      pinBlock: checkBytes(`items[${i}].pinBlock`, it.pinBlock, [format === 4 ? 16 : 8]),
      pan: checkDigits(`items[${i}].pan`, it.pan, 2, 19),
      fill: to.format === 0 ? zeros : translationFill(to.format),
    };
  });
  const size = to.format === 4 ? 16 : 8;
  const out = new Array<Uint8Array | null>(items.length);
  try {
    // Records after KEY_AREA, where bindSource puts an initial key: mapRecords would start them at IN.
    return withKernel(KEY_AREA + items.length * RECORD, items.length * TRANSLATE_OUT, (k) => {
      try {
        bindSource(k, s.source);
        const [toKs, toMode] = keySchedule(k, to.format === 4 ? ALG_AES : ALG_TDES, to.key);
        const m = k.mem;
        const at = k.IN + KEY_AREA;
        const per = Math.floor((k.IO_BYTES - KEY_AREA) / RECORD);
        for (let base = 0; base < items.length; base += per) {
          const n = Math.min(per, items.length - base);
          for (let i = 0; i < n; i++) {
            const item = items[base + i]!;
            const rec = at + i * RECORD;
            writeDecodeRecord(m, rec, item.pinBlock, item.pan);
            m.fill(0, rec + TRANSLATE_RECORD, rec + RECORD);
            m.set(item.fill, rec + FILL_AT);
            m.set(item.ksn, rec + KSN_AT);
          }
          k.x.dukptPinTranslate(
            key.algorithm,
            key.bits,
            key.mode,
            format,
            to.format,
            toKs,
            toMode,
            at,
            RECORD,
            k.OUT,
            n,
          );
          for (let i = 0; i < n; i++) {
            const o = k.OUT + i * TRANSLATE_OUT;
            out[base + i] = m[o] === 0 ? m.slice(o + 16, o + 16 + size) : null;
          }
        }
        return out;
      } finally {
        k.x.dukptWipe();
      }
    });
  } finally {
    for (const item of items) item.fill.fill(0);
  }
}

/** The PIN key of a checked side, derived to JavaScript (for decrypt/encrypt; the caller wipes it). */
function pinKey(side: { s: CheckedSource; key: PinKey }, at: string): Uint8Array {
  return workingKey(side.s, 'PIN', 'PIN_ENCRYPTION', side.key.name, at ? `${at}.algorithm` : 'algorithm');
}

/**
 * The PIN in a block encrypted under a DUKPT PIN key (a host that verifies the PIN itself). `pan` is required
 * for formats 0, 3 and 4. The example is ANSI X9.24-1:2009 A.4.2 initial sequence #1.
 * @param options `{ pinBlock, pan?, bdk | initialKey, ksn, format, algorithm? }` as for translateDukptPinBlock's `from`
 *   (DukptPinSide): `pinBlock` 8 bytes (16 for format 4), `pan` 2..19 digits (1..19 for format 4)
 * @returns the PIN, 4..12 digits
 * @example decryptDukptPinBlock({ pinBlock: hexToBytes('1B9C1845EB993A7A'), pan: '4012345678909', bdk: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), ksn: hexToBytes('FFFF9876543210E00001'), format: 0 }) // => '1234'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT, ERR_KEY_USAGE, ERR_PINBLOCK_FORMAT
 */
export function decryptDukptPinBlock(options: DukptPinSide & { pinBlock: Uint8Array; pan?: string }): string {
  const side = checkPinSide('', options);
  const o = options as unknown as Record<string, unknown>;
  const block = checkBytes('pinBlock', o.pinBlock, [side.format === 4 ? 16 : 8]);
  const pan = side.format === 1 ? '' : checkDigits('pan', o.pan, side.format === 4 ? 1 : 2, 19);
  const key = pinKey(side, '');
  try {
    if (side.format === 4) return decipherPinBlockIso4(key, block, pan);
    const clear = tdesDecryptEcb(key, block);
    try {
      return side.format === 0
        ? decodePinBlockIso0(clear, pan)
        : side.format === 1
          ? decodePinBlockIso1(clear)
          : decodePinBlockIso3(clear, pan);
    } finally {
      clear.fill(0);
    }
  } finally {
    key.fill(0);
  }
}

/**
 * A PIN block encrypted under a DUKPT PIN key, as the terminal makes it (for tests, simulators and the
 * calculator). `fill`: formats 1 and 3, the filler nibbles as hex (random when omitted); format 4, the 8 random
 * bytes (from the CSPRNG when omitted). The example is ANSI X9.24-1:2009 A.4.2 initial sequence #1, then the
 * ANSI X9.24-3:2017 supplement's ISO format 4 PIN block #1 (AES-128 BDK, its random bytes as `fill`).
 * @param options `{ pin, pan?, fill?, bdk | initialKey, ksn, format, algorithm? }` (DukptPinSide): `pin` 4..12
 *   digits, `pan` 2..19 digits (1..19 for format 4; none for format 1)
 * @returns the encrypted block: 8 bytes, or 16 for format 4
 * @example
 * bytesToHex(encryptDukptPinBlock({ pin: '1234', pan: '4012345678909', bdk: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), ksn: hexToBytes('FFFF9876543210E00001'), format: 0 })) // => '1B9C1845EB993A7A'
 * bytesToHex(encryptDukptPinBlock({ pin: '1234', pan: '4111111111111111', bdk: hexToBytes('FEDCBA9876543210F1F1F1F1F1F1F1F1'), ksn: hexToBytes('123456789012345600000001'), format: 4, fill: hexToBytes('2F69ADDE2E9E7ACE') })) // => 'A912150391AB65A67E52883D81CE2D15'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT, ERR_KEY_USAGE
 */
export function encryptDukptPinBlock(
  options: DukptPinSide & { pin: string; pan?: string; fill?: string | Uint8Array },
): Uint8Array {
  const side = checkPinSide('', options);
  const o = options as unknown as Record<string, unknown>;
  const pin = checkDigits('pin', o.pin, 4, 12);
  const pan = side.format === 1 ? '' : checkDigits('pan', o.pan, side.format === 4 ? 1 : 2, 19);
  if (side.format === 4 && o.fill !== undefined) checkBytes('fill', o.fill, [8]);
  if ((side.format === 1 || side.format === 3) && o.fill !== undefined && typeof o.fill !== 'string') {
    throw new CardHsmError('ERR_TYPE', '"fill" expected a string of filler nibbles for formats 1 and 3', 'fill');
  }
  const key = pinKey(side, '');
  try {
    if (side.format === 4) return encipherPinBlockIso4(key, pin, pan, o.fill as Uint8Array | undefined);
    const clear =
      side.format === 0
        ? encodePinBlockIso0(pin, pan)
        : side.format === 1
          ? encodePinBlockIso1(pin, o.fill as string | undefined)
          : encodePinBlockIso3(pin, pan, o.fill as string | undefined);
    try {
      return tdesEncryptEcb(key, clear);
    } finally {
      clear.fill(0);
    }
  } finally {
    key.fill(0);
  }
}
