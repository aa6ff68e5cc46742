// EMV issuer cryptography with key blocks (X9.143 E0 application cryptograms, E1 secure messaging for
// confidentiality, E2 for integrity, E4 dynamic numbers): an online chip transaction's ARQC verified and answered
// with an ARPC, issuer script MACs and PIN change scripts (the new PIN enters as an encrypted PIN block), and the
// ICC master keys of an issued card set derived for personalisation and exported under a KEK. Card keys exist only
// inside one call. The clear-key primitives live in src/emv/.
import { CardHsmError } from '../errors.js';
import { checkArray, checkOneOf, checkOptions } from '../_validate.js';
import { wrapTr31, type Tr31Header } from '../tr31.js';
import * as cvn from '../emv/cvn.js';
import { EMV_CVN_PROFILES, type CvnProfile, type EmvProfileName } from '../emv/profiles.js';
import { generateEmvPinChange, generateEmvScriptMac, type PinChangeScript, type ScriptContext } from '../emv/sm.js';
import { derivePersoKeys, type PersoCardKeys } from '../emv/perso.js';
import { generateCvc3 } from '../emv/cvc3.js';
import { generateDcvv } from '../emv/dcvv.js';
import type { EmvCard } from '../emv/kd.js';
import { requirePinKeyAlgorithm } from './_pins.js';
import { checkPinBlockFormat } from '../_pinblock.js';
import { kcvOf, rewrapHeader, withKeys, type KeyNote, type KeyVault, type OpenKey } from './_vault.js';
import { verdict, withOptions, type Run } from './_operation.js';
import type * as O from './options.js';

/** The scheme profiles by name. */
function profileOf(value: unknown): CvnProfile {
  return EMV_CVN_PROFILES[checkOneOf('profile', value, Object.keys(EMV_CVN_PROFILES) as EmvProfileName[])];
}

/** Card-dynamic codes: the E4 master key of a card's dCVV or CVC3, with the card's data. */
export function dynamicCode(
  vault: KeyVault,
  note: KeyNote | undefined,
  o: Record<string, unknown>,
  kind: 'dcvv' | 'cvc3',
): string {
  const imk = vault.open('imk', o.imk, 'emv.dynamic', note);
  return withKeys([imk], () =>
    kind === 'dcvv'
      ? generateDcvv(
          imk.key,
          o.pan as string,
          o.psn as string,
          o.expiry as string,
          o.serviceCode as string,
          o.atc as Uint8Array,
        )
      : generateCvc3(
          imk.key,
          o.pan as string,
          o.psn as string,
          o.trackData as Uint8Array,
          o.atc as Uint8Array,
          o.unpredictableNumber as Uint8Array,
        ),
  );
}

/** Master-key roles of a personalisation run: the issuer key's usage and the card key's field. */
const PERSO = [
  ['ac', 'emv.ac', 'mkAc'],
  ['smi', 'emv.smi', 'mkSmi'],
  ['smc', 'emv.smc', 'mkSmc'],
  ['cvc3', 'emv.dynamic', 'mkCvc3'],
  ['dcvv', 'emv.dynamic', 'mkDcvv'],
] as const;

export class EmvPlane {
  readonly #vault: KeyVault;
  readonly #run: Run;

  constructor(vault: KeyVault, run: Run) {
    this.#vault = vault;
    this.#run = run;
  }

  verifyEmvArqc(options: O.EmvArqcOptions): { valid: boolean; arpc?: Uint8Array } {
    return withOptions(
      this.#run,
      'verifyEmvArqc',
      options,
      (ctx, o) => {
        const profile = profileOf(o.profile);
        const imk = this.#vault.open('imk', o.imk, 'emv.ac', ctx);
        return withKeys([imk], () => {
          const card = { pan: o.pan, psn: o.psn } as EmvCard;
          const tx = o.transaction as cvn.EmvTransaction;
          const valid = cvn.verifyEmvArqc(profile, imk.key, card, tx, o.arqc as Uint8Array);
          // An ARPC only for a genuine ARQC: an answer to a forged cryptogram would be a cryptogram oracle.
          if (!valid || o.response === undefined) return { valid };
          return {
            valid,
            arpc: cvn.generateEmvArpc(
              profile,
              imk.key,
              card,
              tx,
              o.arqc as Uint8Array,
              checkOptions('response', o.response) as cvn.EmvArpcResponse,
            ),
          };
        });
      },
      verdict,
    );
  }

  generateEmvScriptMac(options: O.EmvScriptMacOptions): Uint8Array {
    return withOptions(this.#run, 'generateEmvScriptMac', options, (ctx, o) => {
      const profile = profileOf(o.profile);
      const imk = this.#vault.open('imkSmi', o.imkSmi, 'emv.smi', ctx);
      return withKeys([imk], () =>
        generateEmvScriptMac(
          profile,
          imk.key,
          { pan: o.pan, psn: o.psn } as EmvCard,
          { atc: o.atc, arqc: o.arqc } as ScriptContext,
          o.header as Uint8Array,
          o.commandData as Uint8Array | undefined,
        ),
      );
    });
  }

  generateEmvPinChange(options: O.EmvPinChangeOptions): PinChangeScript {
    return withOptions(this.#run, 'generateEmvPinChange', options, (ctx, o) => {
      const profile = profileOf(o.profile);
      const keys: OpenKey[] = [];
      const open = (field: string, purpose: 'emv.ac' | 'emv.smi' | 'emv.smc' | 'pin.decrypt', note?: KeyNote) => {
        const k = this.#vault.open(field, o[field], purpose, note);
        keys.push(k);
        return k;
      };
      return withKeys(keys, () => {
        const smi = open('imkSmi', 'emv.smi', ctx);
        const smc = open('imkSmc', 'emv.smc');
        const ac = o.imkAc === undefined ? undefined : open('imkAc', 'emv.ac');
        const pinSide = (field: 'newPin' | 'currentPin') => {
          const p = checkOptions(field, o[field]);
          const format = checkPinBlockFormat(`${field}.format`, p.format);
          const key = this.#vault.open(`${field}.pinKey`, p.pinKey, 'pin.decrypt');
          keys.push(key);
          requirePinKeyAlgorithm(key, format, `${field}.pinKey`);
          return { pinBlock: p.pinBlock as Uint8Array, pan: (p.pan ?? o.pan) as string, key: key.key, format };
        };
        const newPin = pinSide('newPin');
        const currentPin = o.currentPin === undefined ? undefined : pinSide('currentPin');
        const issuerKeys = { imkSmi: smi.key, imkSmc: smc.key, ...(ac ? { imkAc: ac.key } : {}) };
        return generateEmvPinChange(
          profile,
          issuerKeys,
          { pan: o.pan, psn: o.psn } as EmvCard,
          { atc: o.atc, arqc: o.arqc } as ScriptContext,
          newPin,
          currentPin,
        );
      });
    });
  }

  /**
   * The ICC master keys of every card, each wrapped under the KEK as a TR-31 block with its issuer key's usage
   * (E0, E2, E1, E4) — what a personalisation bureau loads. No clear card key leaves.
   */
  exportEmvPersoKeys(options: O.EmvPersoOptions): O.EmvPersoCard[] {
    return withOptions(this.#run, 'exportEmvPersoKeys', options, (ctx, o) => {
      const imks = checkOptions('imks', o.imks);
      const cards = checkArray('cards', o.cards) as EmvCard[];
      const keys: OpenKey[] = [];
      return withKeys(keys, () => {
        const opened: Partial<Record<(typeof PERSO)[number][0], OpenKey>> = {};
        for (const [role, purpose] of PERSO) {
          if (imks[role] === undefined) {
            if (role === 'ac' || role === 'smi' || role === 'smc')
              throw new CardHsmError('ERR_TYPE', `"imks.${role}" expected a key block string`, `imks.${role}`);
            continue;
          }
          const k = this.#vault.open(`imks.${role}`, imks[role], purpose, keys.length === 0 ? ctx : undefined);
          keys.push(k);
          opened[role] = k;
        }
        const kek = this.#vault.open('kek', o.kek, 'kek.wrap');
        keys.push(kek);
        const clear = Object.fromEntries(
          Object.entries(opened).map(([role, k]) => [role, k.key]),
        ) as unknown as Parameters<typeof derivePersoKeys>[0];
        const derived: PersoCardKeys[] = derivePersoKeys(
          clear,
          cards,
          o.option === undefined ? 'A' : (o.option as 'A' | 'B'),
        );
        try {
          return derived.map((card) => {
            const out: O.EmvPersoCard = { pan: card.pan, psn: card.psn, keyBlocks: {} };
            for (const [role, , field] of PERSO) {
              const mk = card[field];
              const issuerKey = opened[role];
              if (!mk || !issuerKey) continue;
              const header: Tr31Header = rewrapHeader(
                { ...issuerKey.header, modeOfUse: 'N' },
                kek.algorithm.startsWith('TDES') ? 'B' : 'D',
              );
              out.keyBlocks[field] = { keyBlock: wrapTr31(kek.key, header, mk), kcv: kcvOf(mk, 'TDES2') };
            }
            return out;
          });
        } finally {
          for (const card of derived) for (const [, , field] of PERSO) card[field]?.fill(0);
        }
      });
    });
  }

  generateDynamicCode(method: 'generateDcvv' | 'generateCvc3', options: unknown): string {
    return withOptions(this.#run, method, options, (ctx, o) =>
      dynamicCode(this.#vault, ctx, o, method === 'generateDcvv' ? 'dcvv' : 'cvc3'),
    );
  }
}
