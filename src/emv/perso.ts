// Card personalisation: the per-card ICC master keys (EMV 4.4 Book 2 A1.4) an issued card set needs, derived for
// many cards in one kernel pass per chunk: MK-AC (application cryptograms), MK-SMI and MK-SMC (issuer script
// integrity and confidentiality), and where the product uses them MK-CVC3 (Mastercard contactless) and MK-dCVV
// (Visa contactless). Clear keys out: the caller (the Hsm, later) wraps them under a KEK for the bureau.
import { checkOptions } from '../_validate.js';
import { type EmvCard, type MasterKeyOption } from './kd.js';
import { checkCards, checkKey16, checkOption, masterKeys } from './_kd.js';

/** Issuer master keys, 16 bytes each; cvc3 and dcvv only when the product uses them. */
export interface PersoIssuerKeys {
  ac: Uint8Array;
  smi: Uint8Array;
  smc: Uint8Array;
  cvc3?: Uint8Array;
  dcvv?: Uint8Array;
}

/** One card's ICC master keys (16 bytes each, odd parity), named after the issuer keys they come from. */
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
 * whole chunk as one ECB batch. One record per card, in order.
 * @example keyCheckValue(derivePersoKeys({ ac: hexToBytes('0123456789ABCDEFFEDCBA9876543210'), smi, smc }, [{ pan: '1234567890123456', psn: '00' }])[0].mkAc, { length: 2 }) // 'BAB0'
 * @throws ERR_TYPE, ERR_LENGTH, ERR_FORMAT (field names carry the index: `cards[3].pan`, `imks.smc`)
 */
export function derivePersoKeys(imks: PersoIssuerKeys, cards: readonly EmvCard[], option: MasterKeyOption = 'A'): PersoCardKeys[] {
  const o = checkOptions('imks', imks);
  const names = NAMES.filter((n) => n === 'ac' || n === 'smi' || n === 'smc' || o[n] !== undefined);
  const keys = names.map((n) => checkKey16(`imks.${n}`, o[n]));
  const list = checkCards(cards);
  const derived = masterKeys(keys, list, checkOption(option));
  return list.map((card, i) => {
    const rec: Record<string, unknown> = { pan: card.pan, psn: card.psn };
    names.forEach((n, j) => (rec[FIELDS[n]] = derived[j]![i]));
    return rec as unknown as PersoCardKeys;
  });
}
