// Card personalisation: the per-card ICC master keys (EMV 4.4 Book 2 A1.4) an issued card set needs, derived for
// many cards in one kernel pass per chunk: MK-AC (application cryptograms), MK-SMI and MK-SMC (issuer script
// integrity and confidentiality), and where the product uses them MK-CVC3 (Mastercard contactless) and MK-dCVV
// (Visa contactless). Clear keys out: the caller (the Hsm, later) wraps them under a KEK for the bureau.
import { checkOptions } from '../_validate.js';
import type { EmvCard, MasterKeyOption } from './kd.js';
import { checkCards, checkKey16, checkOption, masterKeys } from './_kd.js';

/**
 * Issuer master keys (IMKs), 16 bytes each: ac, smi and smc always; cvc3 and dcvv only when the product uses them
 * (each given key gives the card a key of its own). The example's dCVV IMK is jPOS's "4 times 12345678".
 * @example
 * const imks = { ac: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), smi: hexToBytes('FEDCBA98765432100123456789ABCDEF'), smc: hexToBytes('89ABCDEF0123456776543210FEDCBA98'), dcvv: hexToBytes('12345678123456781234567812345678') }
 * const [perso] = derivePersoKeys(imks, [{ pan: '1234567890123456', psn: '00' }])
 * Object.keys(perso) // => ['pan', 'psn', 'mkAc', 'mkSmi', 'mkSmc', 'mkDcvv']
 * bytesToHex(perso.mkDcvv) === bytesToHex(deriveIccMasterKey(imks.dcvv, '1234567890123456', '00')) // => true
 */
export interface PersoIssuerKeys {
  ac: Uint8Array;
  smi: Uint8Array;
  smc: Uint8Array;
  cvc3?: Uint8Array;
  dcvv?: Uint8Array;
}

/**
 * One card's ICC master keys (16 bytes each, odd parity), named after the issuer keys they come from, with the
 * card's PAN and PSN. The example's check digits are knovichikhin/pyemv's (tests/test_cvn_hsm.py test_visa_cvn10:
 * the ICC master keys of its three IMKs).
 * @example
 * const [perso] = derivePersoKeys({ ac: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), smi: hexToBytes('FEDCBA98765432100123456789ABCDEF'), smc: hexToBytes('89ABCDEF0123456776543210FEDCBA98') }, [{ pan: '1234567890123456', psn: '00' }])
 * [perso.pan, perso.psn, perso.mkCvc3] // => ['1234567890123456', '00', undefined]
 * [perso.mkAc, perso.mkSmi, perso.mkSmc].map((k) => keyCheckValue(k, { length: 2 })) // => ['BAB0', 'F010', 'B154']
 */
export interface PersoCardKeys {
  pan: string;
  psn: string;
  mkAc: Uint8Array;
  mkSmi: Uint8Array;
  mkSmc: Uint8Array;
  mkCvc3?: Uint8Array;
  mkDcvv?: Uint8Array;
}

const NAMES = ['ac', 'smi', 'smc', 'cvc3', 'dcvv'] as const;
const FIELDS = { ac: 'mkAc', smi: 'mkSmi', smc: 'mkSmc', cvc3: 'mkCvc3', dcvv: 'mkDcvv' } as const;

/**
 * The ICC master keys of every card of an issued set under the issuer's IMKs (Option A, or B for PANs over 16
 * digits), in one kernel pass per chunk: each card's derivation data is built once and each IMK enciphers the
 * whole chunk as one ECB batch. One record per card, in order. The example's MK-AC check digits are
 * knovichikhin/pyemv's (tests/test_kd_hsm.py test_derive_icc_mk_b_pan16).
 * @param imks `{ ac, smi, smc, cvc3?, dcvv? }` (PersoIssuerKeys), 16 bytes each
 * @param cards `{ pan, psn }` each (EmvCard); @param option 'A' (default) or 'B', for every card
 * @returns `{ pan, psn, mkAc, mkSmi, mkSmc, mkCvc3?, mkDcvv? }` per card (PersoCardKeys)
 * @example
 * const perso = derivePersoKeys({ ac: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), smi: hexToBytes('FEDCBA98765432100123456789ABCDEF'), smc: hexToBytes('89ABCDEF0123456776543210FEDCBA98') }, [{ pan: '1234567890123456', psn: '00' }, { pan: '12345678901234567', psn: '01' }])
 * keyCheckValue(perso[0].mkAc, { length: 2 }) // => 'BAB0'
 * bytesToHex(perso[1].mkAc) // => '73AD54688CEF2934B0979857E3C719F1'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (field names carry the index: `cards[3].pan`, `imks.smc`)
 */
export function derivePersoKeys(
  imks: PersoIssuerKeys,
  cards: readonly EmvCard[],
  option: MasterKeyOption = 'A',
): PersoCardKeys[] {
  const o = checkOptions('imks', imks);
  const names = NAMES.filter((n) => n === 'ac' || n === 'smi' || n === 'smc' || o[n] !== undefined);
  const keys = names.map((n) => checkKey16(`imks.${n}`, o[n]));
  const list = checkCards(cards);
  const derived = masterKeys(keys, list, checkOption(option));
  return list.map((card, i) => {
    const rec: Record<string, unknown> = { pan: card.pan, psn: card.psn };
    for (const [j, n] of names.entries()) rec[FIELDS[n]] = derived[j]![i];
    return rec as unknown as PersoCardKeys;
  });
}
