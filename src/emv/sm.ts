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
import type { PinBlockSide } from '../pinblock.js';
import { checkSide, pinKeySchedule, requireDecoded, writeDecodeRecord } from '../_pinblock.js';
import { deriveCommonSessionKey, deriveVisaSmSessionKey, type EmvCard } from './kd.js';
import { checkKey16, checkCard, masterKeys } from './_kd.js';
import { checkProfile } from './_profiles.js';
import type { CvnProfile } from './profiles.js';

/**
 * How issuer script command data is enciphered (EMV Book 2 9.3): 'VISA' (length byte || data, padding method 2,
 * TDES ECB), 'MASTERCARD' (data, padding method 2 only when not a multiple of 8, TDES CBC from a zero IV) or 'EMV'
 * (CCD: data, padding method 2, TDES CBC from a zero IV). The examples are knovichikhin/pyemv's sm.py docstrings
 * (the module's, EMV mode; encrypt_command_data's, MASTERCARD mode).
 * @example
 * const skSmc = hexToBytes('0123456789ABCDEFFEDCBA9876543210')
 * bytesToHex(encipherScriptData(skSmc, hexToBytes('249999FFFFFFFFFF'), 'EMV')) // => '5A862D1381CCB94822CFDD706A376178'
 * bytesToHex(encipherScriptData(skSmc, hexToBytes('241234FFFFFFFFFF'), 'MASTERCARD')) // => '9859240AE52820C3'
 */
export type ScriptEncryption = 'VISA' | 'MASTERCARD' | 'EMV';
const ENCRYPTIONS = ['VISA', 'MASTERCARD', 'EMV'] as const;

/**
 * The MAC of an issuer script command (EMV Book 2 9.2.3): ISO/IEC 9797-1 MAC algorithm 3, padding method 2, under
 * the SMI session key. The example is knovichikhin/pyemv's generate_command_mac docstring vector (command header
 * || ATC FFFF || ARQC).
 * @param skSmi the card's SMI session key, 16 bytes
 * @param data what the scheme MACs (header || [ATC || ARQC] || command data), 0..1024 bytes
 * @param length bytes of the MAC to return, 4..8 (default 8): its leftmost bytes
 * @example
 * const skSmi = hexToBytes('0123456789ABCDEFFEDCBA9876543210')
 * bytesToHex(generateScriptMac(skSmi, hexToBytes('8424000008FFFF1234567890123456'))) // => 'E07B8DF1B4184282'
 * bytesToHex(generateScriptMac(skSmi, hexToBytes('8424000008FFFF1234567890123456'), 4)) // => 'E07B8DF1'
 * @throws ERR_TYPE, ERR_LENGTH (key not 16 bytes, data over 1024 bytes), ERR_FORMAT (length)
 */
export function generateScriptMac(skSmi: Uint8Array, data: Uint8Array, length = 8): Uint8Array {
  const key = checkKey16('skSmi', skSmi);
  if (!(data instanceof Uint8Array)) checkBytes('data', data, []);
  if (data.length > 1024)
    throw new CardHsmError('ERR_LENGTH', `"data" expected 0..1024 bytes, got length=${data.length}`, 'data');
  if (!Number.isInteger(length) || length < 4 || length > 8)
    throw new CardHsmError('ERR_FORMAT', '"length" expected an integer 4..8', 'length');
  return isoMacUnchecked(key, data, 3, 2, length);
}

function pad2(data: Uint8Array, prefixLength: boolean): Uint8Array {
  const head = prefixLength ? 1 : 0;
  const out = new Uint8Array((((head + data.length) >> 3) << 3) + 8);
  if (prefixLength) out[0] = data.length;
  out.set(data, head);
  out[head + data.length] = 0x80;
  return out;
}

/**
 * Enciphers issuer script command data under the SMC session key (EMV Book 2 9.3), in the scheme's mode
 * (ScriptEncryption). The example is knovichikhin/pyemv's encrypt_command_data docstring vector (a format 2 PIN
 * block of 1234).
 * @param skSmc the card's SMC session key, 16 bytes; @param data the clear command data, 1..240 bytes
 * @param mode 'VISA', 'MASTERCARD' or 'EMV'
 * @returns the enciphered data: whole 8-byte blocks
 * @example bytesToHex(encipherScriptData(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), hexToBytes('241234FFFFFFFFFF'), 'MASTERCARD')) // => '9859240AE52820C3'
 * @throws ERR_TYPE, ERR_LENGTH (key not 16 bytes; data not 1..240 bytes), ERR_FORMAT (mode)
 */
export function encipherScriptData(skSmc: Uint8Array, data: Uint8Array, mode: ScriptEncryption): Uint8Array {
  const key = checkKey16('skSmc', skSmc);
  const m = checkOneOf('mode', mode, ENCRYPTIONS);
  if (!(data instanceof Uint8Array)) checkBytes('data', data, []);
  if (data.length < 1 || data.length > 240)
    throw new CardHsmError('ERR_LENGTH', `"data" expected 1..240 bytes, got length=${data.length}`, 'data');
  if (m === 'VISA') return tdesEncryptEcb(key, pad2(data, true));
  const plain = m === 'MASTERCARD' && data.length % 8 === 0 ? data : pad2(data, false);
  return tdesEncryptCbc(key, plain, new Uint8Array(8));
}

/**
 * A PIN block as the issuer received it: encrypted under `key` (a TDES key for formats 0, 1, 3; AES for 4) in ISO
 * 9564-1 `format`, with its PAN. Any format serves: the PIN is re-formatted for the card. The example's command
 * data is knovichikhin/pyemv's test_sm_hsm.py test_mastercard_pin_change (PIN 9999), here from a format 1 block.
 * @example
 * const zpk = hexToBytes('FEDCBA98765432100123456789ABCDEF')
 * const newPin = { pinBlock: tdesEncryptEcb(zpk, encodePinBlockIso1('9999')), pan: '1234567890123456', key: zpk, format: 1 }
 * const skSmc = deriveCommonSessionKey(deriveIccMasterKey(hexToBytes('11111111111111112222222222222222'), '1234567890123456', '01'), hexToBytes('ABCDEF1234567890'))
 * bytesToHex(generatePinChangeData(skSmc, newPin, { pinBlock: 'ISO2', encryption: 'MASTERCARD' })) // => '28367E05DE3381C2'
 */
export interface EncryptedPinBlock extends PinBlockSide {
  /** 8 bytes (formats 0, 1, 3 under TDES) or 16 (format 4 under AES). */
  pinBlock: Uint8Array;
  /** The PAN the block is bound to (formats 0, 3, 4), 12..19 digits. */
  pan: string;
}

/**
 * What the card expects in a PIN change command (generatePinChangeData): its PIN block (`'ISO2'` or Visa's
 * `'VIS'`, bound to the card's MK-AC: `iccMkAc` required), the encipherment (ScriptEncryption), and for VIS blocks
 * of cards that ask for it the current PIN. The example is knovichikhin/pyemv's test_sm_hsm.py test_vis_pin_change
 * (Visa SM session key from ATC FFFF, PIN 9999).
 * @example
 * const zpk = hexToBytes('0123456789ABCDEF0123456789ABCDEF'), cardPan = '1234567890123456'
 * const newPin = { pinBlock: tdesEncryptEcb(zpk, encodePinBlockIso0('9999', cardPan)), pan: cardPan, key: zpk, format: 0 }
 * const skSmc = deriveVisaSmSessionKey(deriveIccMasterKey(hexToBytes('11111111111111112222222222222222'), cardPan, '01'), hexToBytes('FFFF'))
 * const opts = { pinBlock: 'VIS', encryption: 'VISA', iccMkAc: deriveIccMasterKey(hexToBytes('FEDCBA98765432100123456789ABCDEF'), cardPan, '01') }
 * bytesToHex(generatePinChangeData(skSmc, newPin, opts)) // => 'D421231A6FD2F0FAEE671384F0D3A7B9'
 */
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
  return {
    ...side,
    pinBlock: checkBytes(`${field}.pinBlock`, o.pinBlock, [side.format === 4 ? 16 : 8]),
    pan: checkDigits(`${field}.pan`, o.pan, 12, 19),
  };
}

/**
 * Issuer script PIN change data (EMV Book 2 9.3; AWS GenerateMacEmvPinChange's EncryptedPinBlock): decrypts and
 * decodes the new PIN's encrypted block (and the current PIN's, for VIS with `currentPin`), builds the card's PIN
 * block and enciphers it under the SMC session key — in one kernel call, the PIN never clear in JavaScript. The
 * example is knovichikhin/pyemv's test_sm_hsm.py test_mastercard_pin_change (SMC key from IMK
 * 1111111111111111 2222222222222222, PSN 01, R = ABCDEF1234567890; PIN 9999).
 * @param skSmc the card's SMC session key, 16 bytes
 * @param newPin `{ pinBlock, pan, key, format }` (EncryptedPinBlock): 8 bytes (formats 0, 1, 3) or 16 (format 4)
 * @param opts `{ pinBlock, encryption, iccMkAc?, currentPin? }` (PinChangeOptions)
 * @returns the command data: 16 bytes (VISA, EMV) or 8 (MASTERCARD)
 * @example
 * const zpk = hexToBytes('0123456789ABCDEF0123456789ABCDEF')
 * const newPin = { pinBlock: tdesEncryptEcb(zpk, encodePinBlockIso0('9999', '1234567890123456')), pan: '1234567890123456', key: zpk, format: 0 }
 * const skSmc = deriveCommonSessionKey(deriveIccMasterKey(hexToBytes('11111111111111112222222222222222'), '1234567890123456', '01'), hexToBytes('ABCDEF1234567890'))
 * bytesToHex(generatePinChangeData(skSmc, newPin, { pinBlock: 'ISO2', encryption: 'MASTERCARD' })) // => '28367E05DE3381C2'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (also `opts.currentPin` without VIS, or under another key or format than
 *   `newPin`), ERR_PINBLOCK_FORMAT (a block that does not decode: wrong key, PAN or format)
 */
export function generatePinChangeData(
  skSmc: Uint8Array,
  newPin: EncryptedPinBlock,
  opts: PinChangeOptions,
): Uint8Array {
  const smc = checkKey16('skSmc', skSmc);
  const next = checkEncryptedPin('newPin', newPin);
  const o = checkOptions('opts', opts);
  const target = checkOneOf('opts.pinBlock', o.pinBlock, ['ISO2', 'VIS'] as const);
  const encryption = checkOneOf('opts.encryption', o.encryption, ENCRYPTIONS);
  const udk = target === 'VIS' ? checkKey16('opts.iccMkAc', o.iccMkAc) : undefined;
  const current = o.currentPin === undefined ? undefined : checkEncryptedPin('opts.currentPin', o.currentPin);
  if (current && target !== 'VIS')
    throw new CardHsmError('ERR_FORMAT', '"opts.currentPin" goes with VIS PIN blocks only', 'opts.currentPin');
  if (current && (current.format !== next.format || !constantTimeEqual(current.key, next.key))) {
    // One kernel call opens both blocks under one schedule.
    throw new CardHsmError(
      'ERR_FORMAT',
      '"opts.currentPin" must be encrypted under the same key and format as "newPin"',
      'opts.currentPin',
    );
  }
  return withKernel(RECORD, OUT, (k) => {
    const [ks, mode] = pinKeySchedule(k, next);
    const smcKs = selectKey(k, ALG_TDES, smc);
    const m = k.mem;
    m.fill(0, k.IN, k.IN + RECORD);
    writeDecodeRecord(m, k.IN, next.pinBlock, next.pan);
    if (current) writeDecodeRecord(m, k.IN + 48, current.pinBlock, current.pan);
    if (udk) m.set(udk.subarray(0, 8), k.IN + 96);
    k.x.emvPinChange(
      next.format,
      ks,
      mode,
      +(current !== undefined),
      target === 'ISO2' ? 0 : 1,
      ENCRYPTIONS.indexOf(encryption),
      smcKs,
      k.IN,
      k.OUT,
    );
    requireDecoded(next.format, m[k.OUT]!, 'newPin.pinBlock');
    return m.slice(k.OUT + 8, k.OUT + 8 + m[k.OUT + 1]!);
  });
}

/**
 * Transaction context of a script: the ATC (9F36, 2 bytes) and ARQC (9F26, 8 bytes) of the online transaction the
 * script answers; they derive the session keys and enter the MAC. The example is knovichikhin/pyemv's
 * test_cvn_hsm.py test_mastercard_cvn16 (a PIN unblock command, 84 24 00 00 08).
 * @example
 * const ctx = { atc: hexToBytes('001C'), arqc: hexToBytes('24CCF3DEE3158C70') }
 * bytesToHex(generateEmvScriptMac(MASTERCARD_CVN16, hexToBytes('FEDCBA98765432100123456789ABCDEF'), { pan: '1234567890123456', psn: '00' }, ctx, hexToBytes('8424000008'))) // => 'ED0AB162BAB1DE61'
 */
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
 * header || ATC || ARQC || command data (EMV Book 2 9.2.1.2 format 2). The example is knovichikhin/pyemv's
 * test_cvn_hsm.py test_visa_cvn10 (an application unblock command, 84 18 00 00 08).
 * @param profile one of the EMV_CVN_PROFILES constants; @param imkSmi 16 bytes
 * @param card `{ pan, psn }`: 12..19 digits, 2 digits; @param ctx `{ atc, arqc }` (ScriptContext)
 * @param header the 5-byte APDU header (CLA INS P1 P2 Lc, Lc counting the MAC)
 * @param commandData 0..240 bytes (already enciphered if the command needs it); none by default
 * @example
 * const ctx = { atc: hexToBytes('001C'), arqc: hexToBytes('29CCA15AE665FA2E') }
 * bytesToHex(generateEmvScriptMac(VISA_CVN10, hexToBytes('FEDCBA98765432100123456789ABCDEF'), { pan: '1234567890123456', psn: '00' }, ctx, hexToBytes('8418000008'))) // => 'DB56BA60087CEFD3'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT
 */
export function generateEmvScriptMac(
  profile: CvnProfile,
  imkSmi: Uint8Array,
  card: EmvCard,
  ctx: ScriptContext,
  header: Uint8Array,
  commandData?: Uint8Array,
): Uint8Array {
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

/**
 * Issuer master keys (16 bytes each) for a PIN change script: integrity (MK-SMI), confidentiality (MK-SMC), and
 * for VIS PIN blocks or a current PIN, application cryptograms (MK-AC). The example is knovichikhin/pyemv's
 * test_cvn_hsm.py test_visa_cvn10 (a VIS block of PIN 9999).
 * @example
 * const issuerKeys = { imkAc: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), imkSmi: hexToBytes('FEDCBA98765432100123456789ABCDEF'), imkSmc: hexToBytes('89ABCDEF0123456776543210FEDCBA98') }
 * const zpk = hexToBytes('0123456789ABCDEF0123456789ABCDEF')
 * const newPin = { pinBlock: tdesEncryptEcb(zpk, encodePinBlockIso0('9999', '1234567890123456')), pan: '1234567890123456', key: zpk, format: 0 }
 * const script = generateEmvPinChange(VISA_CVN10, issuerKeys, { pan: '1234567890123456', psn: '00' }, { atc: hexToBytes('001C'), arqc: hexToBytes('29CCA15AE665FA2E') }, newPin)
 * bytesToHex(script.command) // => '8424000218BB221AF527377A2811D2B6EBC396A9391A965A5CB2CE62DA'
 */
export interface PinChangeIssuerKeys {
  imkSmi: Uint8Array;
  imkSmc: Uint8Array;
  /** Needed when the profile sends VIS PIN blocks, or with a current PIN. */
  imkAc?: Uint8Array;
}

/**
 * A PIN change script command (generateEmvPinChange's result): the enciphered PIN data, its 8-byte MAC, and the
 * whole command (header || data || MAC). The example is knovichikhin/pyemv's test_cvn_hsm.py test_mastercard_cvn16.
 * @example
 * const issuerKeys = { imkAc: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), imkSmi: hexToBytes('FEDCBA98765432100123456789ABCDEF'), imkSmc: hexToBytes('89ABCDEF0123456776543210FEDCBA98') }
 * const zpk = hexToBytes('0123456789ABCDEF0123456789ABCDEF')
 * const newPin = { pinBlock: tdesEncryptEcb(zpk, encodePinBlockIso0('9999', '1234567890123456')), pan: '1234567890123456', key: zpk, format: 0 }
 * const script = generateEmvPinChange(MASTERCARD_CVN16, issuerKeys, { pan: '1234567890123456', psn: '00' }, { atc: hexToBytes('001C'), arqc: hexToBytes('24CCF3DEE3158C70') }, newPin)
 * [bytesToHex(script.pinData), bytesToHex(script.mac)] // => ['00859B8FE53F316D', 'EB4B64C36BF88E39']
 * bytesToHex(script.command) === '8424000210' + bytesToHex(script.pinData) + bytesToHex(script.mac) // => true
 */
export interface PinChangeScript {
  command: Uint8Array;
  pinData: Uint8Array;
  mac: Uint8Array;
}

/**
 * The whole PIN change (or unblock with a new PIN) issuer script command under `profile`: the card's SMC and SMI
 * session keys from the IMKs, the new PIN from its encrypted block re-formatted and enciphered for the card (see
 * generatePinChangeData), the header 84 24 00 02 Lc (84 24 00 01 Lc with `currentPin`, a VIS block bound to the
 * current PIN) and the MAC over header || ATC || ARQC || data. The card's keys are wiped before it returns. The
 * example is knovichikhin/pyemv's test_cvn_hsm.py test_mastercard_cvn16 (PIN 9999).
 * @param profile one of the EMV_CVN_PROFILES constants
 * @param keys `{ imkSmi, imkSmc, imkAc? }` (PinChangeIssuerKeys): imkAc for VIS blocks or with a current PIN
 * @param card `{ pan, psn }`; @param ctx `{ atc, arqc }` (ScriptContext)
 * @param newPin the new PIN's encrypted block (EncryptedPinBlock)
 * @param currentPin the current PIN's encrypted block, for cards that ask for it (a VIS block, header P2 01)
 * @returns `{ command, pinData, mac }` (PinChangeScript)
 * @example
 * const issuerKeys = { imkAc: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), imkSmi: hexToBytes('FEDCBA98765432100123456789ABCDEF'), imkSmc: hexToBytes('89ABCDEF0123456776543210FEDCBA98') }
 * const zpk = hexToBytes('0123456789ABCDEF0123456789ABCDEF')
 * const newPin = { pinBlock: tdesEncryptEcb(zpk, encodePinBlockIso0('9999', '1234567890123456')), pan: '1234567890123456', key: zpk, format: 0 }
 * bytesToHex(generateEmvPinChange(MASTERCARD_CVN16, issuerKeys, { pan: '1234567890123456', psn: '00' }, { atc: hexToBytes('001C'), arqc: hexToBytes('24CCF3DEE3158C70') }, newPin).command) // => '842400021000859B8FE53F316DEB4B64C36BF88E39'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT, ERR_PINBLOCK_FORMAT
 */
export function generateEmvPinChange(
  profile: CvnProfile,
  keys: PinChangeIssuerKeys,
  card: EmvCard,
  ctx: ScriptContext,
  newPin: EncryptedPinBlock,
  currentPin?: EncryptedPinBlock,
): PinChangeScript {
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
    if (imkAc) {
      mkAc = masterKeys([imkAc], [cardOk], p.masterKey)[0]![0]!;
      derived.push(mkAc);
    }
    const pinData = generatePinChangeData(smc, newPin, {
      pinBlock: vis ? 'VIS' : 'ISO2',
      encryption: p.scriptEncryption,
      iccMkAc: mkAc,
      currentPin,
    });
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
