// EMV key derivation (EMV 4.4 Book 2 Annex A1):
//   A1.4 ICC master keys from an issuer master key (IMK): Option A (Y = the rightmost 16 digits of PAN || PSN, left-
//     padded with zeros) and Option B (for PANs of 17-19 digits: Y = 16 decimalized digits of SHA-1(PAN || PSN));
//     MK = TDES_IMK(Y) || TDES_IMK(Y XOR FF..FF) with odd parity (FIPS 46-3);
//   A1.3.1 common session key derivation: SK = TDES_MK(R') || TDES_MK(R''), R' = R with its 3rd byte F0, R'' with 0F,
//     odd parity; Mastercard's SKD is this with R = ATC || 0000 || UN (M/Chip), the AC session key R = ATC || 0^6,
//     the secure messaging keys R = the ARQC (EMV SU-46);
//   Visa's secure messaging session keys (VIS): SK = MK XOR (0^6 || ATC) || (0^6 || ATC XOR FFFF), odd parity;
//   the EMV2000 tree derivation (EMV 4.1 Book 2 A1.3, withdrawn by EMVCo bulletin SU-46) for legacy cards.
// Card records for the kernel: [0] PAN length, [1..20) PAN (ASCII), [20..22) PSN (ASCII).
import { CardHsmError } from '../errors.js';
import { checkBytes, checkInt, checkOptions } from '../_validate.js';
import { tdesEncryptEcb } from '../des.js';
import { fixDesParity } from '../keys/parity.js';
import { checkCard, checkCards, checkKey16, checkOption, masterKeys, masterKeysFlat } from './_kd.js';

/**
 * How an ICC master key is derived from an issuer master key (EMV Book 2 A1.4): 'A' (A1.4.1) from the rightmost 16
 * digits of PAN || PSN; 'B' (A1.4.2) from 16 decimalized digits of SHA-1(PAN || PSN), for PANs of 17..19 digits —
 * a PAN of 16 digits or fewer takes Option A whichever is asked, as the specification says. The example's values are
 * knovichikhin/pyemv's (kd.py derive_icc_mk_b docstring; tests/test_kd_hsm.py test_derive_icc_mk_b_pan16, which
 * publishes key check digits).
 * @example
 * const imk = hexToBytes('0123456789ABCDEFFEDCBA9876543210')
 * bytesToHex(deriveIccMasterKey(imk, '12345678901234567', '01', 'B')) // => 'AD406D7F6D7570916D75E5DCAB8CF737'
 * keyCheckValue(deriveIccMasterKey(imk, '1234567890123456', '00', 'B'), { length: 2 }) // => 'BAB0'
 * keyCheckValue(deriveIccMasterKey(imk, '1234567890123456', '00', 'A'), { length: 2 }) // => 'BAB0'
 */
export type MasterKeyOption = 'A' | 'B';

/**
 * One card's identity for key derivation: PAN (12..19 digits) and PAN sequence number (2 digits, tag 5F34; '00' when
 * the card has none). The example is the module docstring vector of knovichikhin/pyemv kd.py.
 * @example
 * const card = { pan: '99012345678901234', psn: '45' }
 * bytesToHex(deriveIccMasterKeyBatch(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), [card])) // => '67F8292358083E5EA7AB7FDA58D53B6B'
 */
export interface EmvCard {
  pan: string;
  psn: string;
}

/**
 * The ICC master key of one card (EMV Book 2 A1.4): Option A from the rightmost 16 digits of PAN || PSN; Option B
 * (for PANs of 17-19 digits; shorter PANs take Option A, as the specification says) from SHA-1(PAN || PSN). The
 * example is knovichikhin/pyemv's derive_icc_mk_a docstring vector.
 * @param imk issuer master key, 16 bytes (MK-AC, MK-SMI, MK-SMC, MK-CVC3, MK-dCVV, ...)
 * @param pan 12..19 digits; @param psn PAN sequence number, 2 digits ('00' when the card has none)
 * @param option 'A' (default) or 'B' (MasterKeyOption)
 * @returns the 16-byte ICC master key, odd parity
 * @example bytesToHex(deriveIccMasterKey(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '12345678901234567', '01')) // => '73AD54688CEF2934B0979857E3C719F1'
 * @throws ERR_TYPE, ERR_LENGTH (imk not 16 bytes; pan or psn of the wrong length), ERR_FORMAT (non-digits; an
 *   option other than 'A' or 'B')
 */
export function deriveIccMasterKey(
  imk: Uint8Array,
  pan: string,
  psn: string,
  option: MasterKeyOption = 'A',
): Uint8Array {
  const key = checkKey16('imk', imk);
  const card = checkCard(pan, psn);
  return masterKeys([key], [card], checkOption(option))[0]![0]!.slice();
}

function checkR(field: string, r: unknown, length: number): Uint8Array {
  return checkBytes(field, r, [length]);
}

/** SK = TDES_MK(R with byte 3 = F0) || TDES_MK(R with byte 3 = 0F), odd parity; `r` validated. */
function commonSessionKey(mk: Uint8Array, r: Uint8Array): Uint8Array {
  const blocks = new Uint8Array(16);
  blocks.set(r, 0);
  blocks.set(r, 8);
  blocks[2] = 0xf0;
  blocks[10] = 0x0f;
  const z = tdesEncryptEcb(mk, blocks);
  const sk = fixDesParity(z);
  z.fill(0);
  return sk;
}

/**
 * EMV common session key derivation (EMV Book 2 A1.3.1) from an ICC master key and an 8-byte diversification value
 * R (ATC || 00 00 00 00 00 00 for the AC key; the ARQC for secure messaging, EMV SU-46). The example is
 * knovichikhin/pyemv's derive_common_sk docstring vector (ATC 001C).
 * @param iccMk the card's ICC master key, 16 bytes; @param r the diversification value, 8 bytes
 * @returns the 16-byte session key, odd parity
 * @example bytesToHex(deriveCommonSessionKey(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), hexToBytes('001C000000000000'))) // => 'E9FB384AF807B940FEDCEA613461B0C4'
 * @throws ERR_TYPE, ERR_LENGTH (MK 16 bytes, R 8 bytes)
 */
export function deriveCommonSessionKey(iccMk: Uint8Array, r: Uint8Array): Uint8Array {
  return commonSessionKey(checkKey16('iccMk', iccMk), checkR('r', r, 8));
}

/**
 * Mastercard's session key derivation (M/Chip SKD: the common derivation with R = ATC || 00 00 || UN), for CVN 16
 * and 17. The example's check digits are knovichikhin/pyemv's (tests/test_cvn_hsm.py test_interac_cvn133).
 * @param iccMk the card's ICC master key (MK-AC), 16 bytes
 * @param atc tag 9F36, 2 bytes; @param un the unpredictable number, tag 9F37, 4 bytes
 * @returns the 16-byte AC session key, odd parity
 * @example
 * const mk = deriveIccMasterKey(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), '1234567890123456', '00')
 * keyCheckValue(deriveMastercardSessionKey(mk, hexToBytes('001C'), hexToBytes('ABCDEF12')), { length: 2 }) // => '2FD5'
 * @throws ERR_TYPE, ERR_LENGTH
 */
export function deriveMastercardSessionKey(iccMk: Uint8Array, atc: Uint8Array, un: Uint8Array): Uint8Array {
  const mk = checkKey16('iccMk', iccMk);
  const r = new Uint8Array(8);
  r.set(checkR('atc', atc, 2), 0);
  r.set(checkR('un', un, 4), 4);
  return commonSessionKey(mk, r);
}

/**
 * Visa's secure messaging session key (VIS, for CVN 10 and 18 issuer scripts): the MK's halves XOR 0^6 || ATC and
 * 0^6 || (ATC XOR FFFF), odd parity. The example is knovichikhin/pyemv's derive_visa_sm_sk docstring vector.
 * @param iccMk the card's MK-SMI or MK-SMC, 16 bytes; @param atc tag 9F36, 2 bytes
 * @returns the 16-byte session key, odd parity
 * @example bytesToHex(deriveVisaSmSessionKey(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), hexToBytes('001C'))) // => '0123456789ABCDF2FEDCBA987654CDF2'
 * @throws ERR_TYPE, ERR_LENGTH
 */
export function deriveVisaSmSessionKey(iccMk: Uint8Array, atc: Uint8Array): Uint8Array {
  const mk = checkKey16('iccMk', iccMk);
  const a = checkR('atc', atc, 2);
  const sk = mk.slice();
  sk[6]! ^= a[0]!;
  sk[7]! ^= a[1]!;
  sk[14]! ^= a[0]! ^ 0xff;
  sk[15]! ^= a[1]! ^ 0xff;
  const out = fixDesParity(sk);
  sk.fill(0);
  return out;
}

/**
 * Options of the EMV2000 tree derivation (deriveEmv2000TreeSessionKey); the specification recommends the defaults.
 * The example is one of knovichikhin/pyemv's test_derive_emv2000_tree_sk vectors (H 16, b 2, IV F0..F0, ATC 00FF).
 * @example
 * const opts = { height: 16, branchFactor: 2, iv: hexToBytes('F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0') }
 * bytesToHex(deriveEmv2000TreeSessionKey(hexToBytes('0123456789ABCDEF0123456789ABCDEF'), hexToBytes('00FF'), opts)) // => '2086F81AAB731FF8CED9BF6DA7191CA2'
 */
export interface Emv2000TreeOptions {
  /** Tree height H, 1..16; default 8. */
  height?: number;
  /** Branch factor b, 2..16; default 4. b^H must exceed 65,535 (every ATC has a key). */
  branchFactor?: number;
  /** IV, 16 bytes; default zeros. */
  iv?: Uint8Array;
}

/**
 * EMV2000 tree session key derivation (EMV 4.1 Book 2 A1.3): for legacy cards; EMVCo replaced it by the common
 * derivation in 2005 (bulletin SU-46). F(X, Y, j) = TDES_X(YL XOR j mod b) || TDES_X(YR XOR j mod b XOR F0); the
 * tree walks from IK_0 = MK, IK_-1 = IV to height H; SK = F(IK_H-1, IK_H-2, ATC) XOR IK_H-2, odd parity. The
 * example is knovichikhin/pyemv's derive_emv2000_tree_sk docstring vector (the default H 8, b 4, zero IV).
 * @param iccMk the card's ICC master key, 16 bytes; @param atc tag 9F36, 2 bytes
 * @param opts `height`, `branchFactor`, `iv` (Emv2000TreeOptions)
 * @returns the 16-byte session key, odd parity
 * @example bytesToHex(deriveEmv2000TreeSessionKey(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), hexToBytes('001C'))) // => 'E5BF6D1067F194B0A89B7F5D83BC64A2'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (height, branch factor, or b^H not above 65,535)
 */
export function deriveEmv2000TreeSessionKey(iccMk: Uint8Array, atc: Uint8Array, opts?: Emv2000TreeOptions): Uint8Array {
  const mk = checkKey16('iccMk', iccMk);
  const a = checkR('atc', atc, 2);
  const o = checkOptions('opts', opts);
  const height = o.height === undefined ? 8 : checkInt('opts.height', o.height, 1, 16);
  const b = o.branchFactor === undefined ? 4 : checkInt('opts.branchFactor', o.branchFactor, 2, 16);
  const iv = o.iv === undefined ? new Uint8Array(16) : checkBytes('opts.iv', o.iv, [16]);
  if (b ** height <= 0xffff)
    throw new CardHsmError('ERR_FORMAT', '"opts.branchFactor" ^ "opts.height" must exceed 65,535', 'opts.branchFactor');
  const atcValue = (a[0]! << 8) | a[1]!;
  const f = (x: Uint8Array, y: Uint8Array, j: number): Uint8Array => {
    const blocks = y.slice();
    blocks[7]! ^= j % b;
    blocks[15]! ^= (j % b) ^ 0xf0;
    const out = tdesEncryptEcb(x, blocks);
    blocks.fill(0);
    return out;
  };
  // Walk down: the node on level h for this ATC is floor(ATC / b^(H - h)).
  let grandparent: Uint8Array = iv.slice();
  let parent: Uint8Array = mk.slice();
  for (let h = 1; h < height; h++) {
    const child = f(parent, grandparent, Math.floor(atcValue / b ** (height - h)));
    grandparent.fill(0);
    grandparent = parent;
    parent = child;
  }
  const last = f(parent, grandparent, atcValue);
  for (let i = 0; i < 16; i++) last[i]! ^= grandparent[i]!;
  const sk = fixDesParity(last);
  for (const t of [last, parent, grandparent]) t.fill(0);
  return sk;
}

/**
 * ICC master keys of many cards under one IMK in one kernel pass (the derivation data is built in WASM, then one
 * ECB batch per chunk of thousands runs bitsliced), as one flat buffer: card i's 16-byte key is bytes 16i..16i+16
 * (a batch of 100,000 keys costs no 100,000 objects; take `subarray(16 * i, 16 * i + 16)` where one is needed).
 * The example's two keys are knovichikhin/pyemv's kd.py docstring vectors (derive_icc_mk_a and the module's).
 * @param imk issuer master key, 16 bytes; @param cards `{ pan, psn }` (EmvCard) each
 * @param option 'A' (default) or 'B', for every card
 * @returns 16 bytes per card, in order, odd parity
 * @example
 * const mks = deriveIccMasterKeyBatch(hexToBytes('0123456789ABCDEFFEDCBA9876543210'), [{ pan: '12345678901234567', psn: '01' }, { pan: '99012345678901234', psn: '45' }])
 * bytesToHex(mks.subarray(0, 16)) // => '73AD54688CEF2934B0979857E3C719F1'
 * bytesToHex(mks.subarray(16, 32)) // => '67F8292358083E5EA7AB7FDA58D53B6B'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (field names carry the index: `cards[3].pan`)
 */
export function deriveIccMasterKeyBatch(
  imk: Uint8Array,
  cards: readonly EmvCard[],
  option: MasterKeyOption = 'A',
): Uint8Array {
  const key = checkKey16('imk', imk);
  const list = checkCards(cards);
  return masterKeysFlat([key], list, checkOption(option))[0]!;
}
