// EMV issuer scripts (EMV 4.4 Book 2 9.2 and 9.3; Annex A1.2): secure messaging for integrity (the command MAC:
// ISO/IEC 9797-1 MAC algorithm 3, padding method 2, under the SMI session key, 4..8 bytes) and for confidentiality
// (command data enciphered under the SMC session key), and the PIN change command's data: the new PIN as an
// ISO 9564-1 format 2 block (EMV / Mastercard) or a VIS block (Visa: the format 0 PIN field XOR 0000 0000 || bytes
// 5-8 of the card's MK-AC, and the current PIN when the card asks for it), enciphered for the card. The new PIN
// arrives as an encrypted PIN block, as AWS Payment Cryptography's GenerateMacEmvPinChange takes it, and is decoded,
// re-formatted and enciphered in one kernel call: it is never clear outside WASM memory, which is wiped.
//
// Confidentiality modes: VISA = length byte || data, padding method 2, TDES ECB; MASTERCARD = data, padding method 2
// only when not a multiple of 8, TDES CBC from a zero IV; EMV (CCD) = data, padding method 2, TDES CBC from zero.
import { CardHsmError } from '../errors.js';
import { constantTimeEqual } from '../bytes.js';
import { checkBytes, checkDigits, checkOneOf, checkOptions } from '../_validate.js';
import { tdesEncryptCbc, tdesEncryptEcb } from '../des.js';
import { isoMacUnchecked } from '../_mac.js';
import { withKernel, selectKey, ALG_TDES } from '../wasm/_calls.js';
import { type PinBlockSide } from '../pinblock.js';
import { checkSide, pinKeySchedule, requireDecoded, writeDecodeRecord } from '../_pinblock.js';
import { deriveCommonSessionKey, deriveVisaSmSessionKey, type EmvCard } from './kd.js';
import { checkKey16, checkCard, masterKeys } from './_kd.js';
import { checkProfile } from './_profiles.js';
import type { CvnProfile } from './profiles.js';

export type ScriptEncryption = 'VISA' | 'MASTERCARD' | 'EMV';
const ENCRYPTIONS = ['VISA', 'MASTERCARD', 'EMV'] as const;

/**
 * The MAC of an issuer script command (EMV Book 2 9.2.3): ISO/IEC 9797-1 MAC algorithm 3, padding method 2, under
 * the 16-byte SMI session key, of `data` (what the scheme MACs: header || [ATC || ARQC] || command data, 0..1024
 * bytes); the leftmost `length` (4..8, default 8) bytes.
 * @example bytesToHex(generateScriptMac(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), hexToBytes('8424000008FFFF1234567890123456'))) // 'E07B8DF1B4184282'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (length)
 */
export function generateScriptMac(skSmi: Uint8Array, data: Uint8Array, length = 8): Uint8Array {
  const key = checkKey16('skSmi', skSmi);
  if (!(data instanceof Uint8Array)) checkBytes('data', data, []);
  if (data.length > 1024) throw new CardHsmError('ERR_LENGTH', `"data" expected 0..1024 bytes, got length=${data.length}`, 'data');
  if (!Number.isInteger(length) || length < 4 || length > 8) throw new CardHsmError('ERR_FORMAT', '"length" expected an integer 4..8', 'length');
  return isoMacUnchecked(key, data, 3, 2, length);
}

function pad2(data: Uint8Array, prefixLength: boolean): Uint8Array {
  const head = prefixLength ? 1 : 0;
  const out = new Uint8Array(((head + data.length) >> 3 << 3) + 8);
  if (prefixLength) out[0] = data.length;
  out.set(data, head);
  out[head + data.length] = 0x80;
  return out;
}

/**
 * Enciphers issuer script command data under the 16-byte SMC session key (EMV Book 2 9.3), in the scheme's mode
 * (see the module header). `data` 1..240 bytes.
 * @example bytesToHex(encipherScriptData(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), hexToBytes('241234FFFFFFFFFF'), 'MASTERCARD')) // '9859240AE52820C3'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (mode)
 */
export function encipherScriptData(skSmc: Uint8Array, data: Uint8Array, mode: ScriptEncryption): Uint8Array {
  const key = checkKey16('skSmc', skSmc);
  const m = checkOneOf('mode', mode, ENCRYPTIONS);
  if (!(data instanceof Uint8Array)) checkBytes('data', data, []);
  if (data.length < 1 || data.length > 240) throw new CardHsmError('ERR_LENGTH', `"data" expected 1..240 bytes, got length=${data.length}`, 'data');
  if (m === 'VISA') return tdesEncryptEcb(key, pad2(data, true));
  const plain = m === 'MASTERCARD' && data.length % 8 === 0 ? data : pad2(data, false);
  return tdesEncryptCbc(key, plain, new Uint8Array(8));
}

/** A PIN block as the issuer received it: encrypted under `key` in ISO 9564-1 `format`, with its PAN. */
export interface EncryptedPinBlock extends PinBlockSide {
  /** 8 bytes (formats 0, 1, 3 under TDES) or 16 (format 4 under AES). */
  pinBlock: Uint8Array;
  /** The PAN the block is bound to (formats 0, 3, 4), 12..19 digits. */
  pan: string;
}

export interface PinChangeOptions {
  /** The card's PIN block: ISO 9564-1 format 2, or Visa's VIS block. */
  pinBlock: 'ISO2' | 'VIS';
  encryption: ScriptEncryption;
  /** The card's ICC MK-AC (16 bytes): the VIS block is bound to its left half (UDK-A). */
  iccMkAc?: Uint8Array;
  /** The current PIN, for VIS blocks of cards that require it (the PIN change/unblock with current PIN, P2 = 01). */
  currentPin?: EncryptedPinBlock;
}

const RECORD = 104; // assembly/emv.ts EMV_PIN_RECORD: new PIN decode record, current PIN decode record, UDK-A
const OUT = 24;

function checkEncryptedPin(field: string, value: unknown): EncryptedPinBlock {
  const o = checkOptions(field, value);
  const side = checkSide(field, o);
  return { ...side, pinBlock: checkBytes(`${field}.pinBlock`, o.pinBlock, [side.format === 4 ? 16 : 8]), pan: checkDigits(`${field}.pan`, o.pan, 12, 19) };
}

/**
 * Issuer script PIN change data (EMV Book 2 9.3; AWS GenerateMacEmvPinChange's EncryptedPinBlock): decrypts and
 * decodes the new PIN's encrypted block (and the current PIN's, for VIS with `currentPin`), builds the card's PIN
 * block and enciphers it under the 16-byte SMC session key — in one kernel call, the PIN never clear in JavaScript.
 * Returns the command data: 16 bytes (VISA, EMV) or 8 (MASTERCARD).
 * @example (pyemv test_mastercard_pin_change: skSmc from IMK 1111111111111111 2222222222222222, PAN 1234567890123456,
 *   PSN 01, R = ABCDEF1234567890; PIN 9999 in any encrypted block) bytesToHex(generatePinChangeData(skSmc, { pinBlock, pan,
 *   key: zpk, format: 0 }, { pinBlock: 'ISO2', encryption: 'MASTERCARD' })) // '28367E05DE3381C2'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT, ERR_PINBLOCK_FORMAT (a block that does not decode: wrong key, PAN or format)
 */
export function generatePinChangeData(skSmc: Uint8Array, newPin: EncryptedPinBlock, opts: PinChangeOptions): Uint8Array {
  const smc = checkKey16('skSmc', skSmc);
  const next = checkEncryptedPin('newPin', newPin);
  const o = checkOptions('opts', opts);
  const target = checkOneOf('opts.pinBlock', o.pinBlock, ['ISO2', 'VIS'] as const);
  const encryption = checkOneOf('opts.encryption', o.encryption, ENCRYPTIONS);
  const udk = target === 'VIS' ? checkKey16('opts.iccMkAc', o.iccMkAc) : undefined;
  const current = o.currentPin === undefined ? undefined : checkEncryptedPin('opts.currentPin', o.currentPin);
  if (current && target !== 'VIS') throw new CardHsmError('ERR_FORMAT', '"opts.currentPin" goes with VIS PIN blocks only', 'opts.currentPin');
  if (current && (current.format !== next.format || !constantTimeEqual(current.key, next.key))) {
    // One kernel call opens both blocks under one schedule.
    throw new CardHsmError('ERR_FORMAT', '"opts.currentPin" must be encrypted under the same key and format as "newPin"', 'opts.currentPin');
  }
  return withKernel(RECORD, OUT, (k) => {
    const [ks, mode] = pinKeySchedule(k, next);
    const smcKs = selectKey(k, ALG_TDES, smc);
    const m = k.mem;
    m.fill(0, k.IN, k.IN + RECORD);
    writeDecodeRecord(m, k.IN, next.pinBlock, next.pan);
    if (current) writeDecodeRecord(m, k.IN + 48, current.pinBlock, current.pan);
    if (udk) m.set(udk.subarray(0, 8), k.IN + 96);
    k.x.emvPinChange(next.format, ks, mode, +(current !== undefined), target === 'ISO2' ? 0 : 1, ENCRYPTIONS.indexOf(encryption), smcKs, k.IN, k.OUT);
    requireDecoded(next.format, m[k.OUT]!, 'newPin.pinBlock');
    return m.slice(k.OUT + 8, k.OUT + 8 + m[k.OUT + 1]!);
  });
}

/** Transaction context of a script: the ATC (9F36, 2 bytes) and ARQC (9F26, 8 bytes) of the online transaction. */
export interface ScriptContext {
  atc: Uint8Array;
  arqc: Uint8Array;
}

function checkContext(ctx: unknown): ScriptContext {
  const o = checkOptions('ctx', ctx);
  return { atc: checkBytes('ctx.atc', o.atc, [2]), arqc: checkBytes('ctx.arqc', o.arqc, [8]) };
}

/** A script session key of a card under a profile (Visa's from the ATC, or common from the ARQC); caller wipes. */
function scriptKey(p: CvnProfile, imk: Uint8Array, card: EmvCard, ctx: ScriptContext): Uint8Array {
  const mk = masterKeys([imk], [card], p.masterKey)[0]![0]!;
  try {
    return p.scriptKey === 'VISA' ? deriveVisaSmSessionKey(mk, ctx.atc) : deriveCommonSessionKey(mk, ctx.arqc);
  } finally {
    mk.fill(0);
  }
}

function macInput(header: Uint8Array, ctx: ScriptContext, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(header.length + 10 + data.length);
  out.set(header, 0);
  out.set(ctx.atc, header.length);
  out.set(ctx.arqc, header.length + 2);
  out.set(data, header.length + 10);
  return out;
}

/**
 * The 8-byte MAC of an issuer script command under `profile`: the card's SMI session key from the IMK-SMI, over
 * header || ATC || ARQC || command data (EMV Book 2 9.2.1.2 format 2). `header` is the 5-byte APDU header (CLA INS
 * P1 P2 Lc, Lc counting the MAC), `commandData` 0..240 bytes (already enciphered if the command needs it).
 * @example bytesToHex(generateEmvScriptMac(VISA_CVN18, imkSmi, { pan: '1234567890123456', psn: '00' }, { atc, arqc }, hexToBytes('8418000008'))) // '04EDE90BC24CC35E'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT
 */
export function generateEmvScriptMac(profile: CvnProfile, imkSmi: Uint8Array, card: EmvCard, ctx: ScriptContext, header: Uint8Array, commandData?: Uint8Array): Uint8Array {
  const p = checkProfile(profile);
  const imk = checkKey16('imkSmi', imkSmi);
  const c = checkOptions('card', card);
  const cardOk = checkCard(c.pan, c.psn, 'card.');
  const context = checkContext(ctx);
  const h = checkBytes('header', header, [5]);
  const data = commandData === undefined ? new Uint8Array(0) : commandData;
  if (!(data instanceof Uint8Array) || data.length > 240) checkBytes('commandData', data, []);
  const sk = scriptKey(p, imk, cardOk, context);
  try {
    return isoMacUnchecked(sk, macInput(h, context, data), 3, 2, 8);
  } finally {
    sk.fill(0);
  }
}

/** Issuer master keys for a PIN change script: integrity, confidentiality, and (VIS blocks) application cryptograms. */
export interface PinChangeIssuerKeys {
  imkSmi: Uint8Array;
  imkSmc: Uint8Array;
  /** Needed when the profile sends VIS PIN blocks, or with a current PIN. */
  imkAc?: Uint8Array;
}

/** A PIN change script command: the data, its MAC, and the whole command (header || data || MAC). */
export interface PinChangeScript {
  command: Uint8Array;
  pinData: Uint8Array;
  mac: Uint8Array;
}

/**
 * The whole PIN change (or unblock with a new PIN) issuer script command under `profile`: the card's SMC and SMI
 * session keys from the IMKs, the new PIN from its encrypted block re-formatted and enciphered for the card (see
 * generatePinChangeData), the header 84 24 00 02 Lc (84 24 00 01 Lc with `currentPin`, a VIS block bound to the
 * current PIN) and the MAC over header || ATC || ARQC || data. The card's keys are wiped before it returns.
 * @example bytesToHex(generateEmvPinChange(MASTERCARD_CVN16, keys, card, { atc, arqc }, newPin).command) // '842400021000859B8FE53F316DEB4B64C36BF88E39'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT, ERR_PINBLOCK_FORMAT
 */
export function generateEmvPinChange(profile: CvnProfile, keys: PinChangeIssuerKeys, card: EmvCard, ctx: ScriptContext, newPin: EncryptedPinBlock, currentPin?: EncryptedPinBlock): PinChangeScript {
  const p = checkProfile(profile);
  const k = checkOptions('keys', keys);
  const imkSmi = checkKey16('keys.imkSmi', k.imkSmi);
  const imkSmc = checkKey16('keys.imkSmc', k.imkSmc);
  const c = checkOptions('card', card);
  const cardOk = checkCard(c.pan, c.psn, 'card.');
  const context = checkContext(ctx);
  const vis = currentPin !== undefined || p.pinBlock === 'VIS';
  const imkAc = vis ? checkKey16('keys.imkAc', k.imkAc) : undefined;
  const derived: Uint8Array[] = [];
  try {
    const smc = scriptKey(p, imkSmc, cardOk, context);
    derived.push(smc);
    let mkAc: Uint8Array | undefined;
    if (imkAc) derived.push((mkAc = masterKeys([imkAc], [cardOk], p.masterKey)[0]![0]!));
    const pinData = generatePinChangeData(smc, newPin, { pinBlock: vis ? 'VIS' : 'ISO2', encryption: p.scriptEncryption, iccMkAc: mkAc, currentPin });
    const header = Uint8Array.of(0x84, 0x24, 0x00, currentPin ? 0x01 : 0x02, pinData.length + 8);
    const smi = scriptKey(p, imkSmi, cardOk, context);
    derived.push(smi);
    const mac = isoMacUnchecked(smi, macInput(header, context, pinData), 3, 2, 8);
    const command = new Uint8Array(5 + pinData.length + 8);
    command.set(header);
    command.set(pinData, 5);
    command.set(mac, 5 + pinData.length);
    return { command, pinData, mac };
  } finally {
    for (const d of derived) d.fill(0);
  }
}
