// Key usage rules (ANSI X9.143 key usage, algorithm and mode of use): every Hsm operation names the purpose it
// needs a key for, and this table says which keys may serve it. _usage.ts enforces it before any cryptography.
import type { X9143Usage } from '../tr31.js';
import { frozen } from '../_freeze.js';

/**
 * What an Hsm operation needs a key for, e.g. 'pin.encrypt' or 'cvv.verify': the keys of KEY_USAGE_RULES. A key
 * whose header does not allow the purpose is refused with ERR_KEY_USAGE before any cryptography.
 *
 * @example
 * const purpose = 'cvv.verify'
 * KEY_USAGE_RULES[purpose]  // => { usages: ['C0'], modes: 'CVN', algorithms: { T: [16] } }
 * Object.keys(KEY_USAGE_RULES).length  // => 26
 */
export type Purpose =
  | 'cvv.generate'
  | 'cvv.verify'
  | 'pin.encrypt'
  | 'pin.decrypt'
  | 'pvv.generate'
  | 'pvv.verify'
  | 'ibm3624.generate'
  | 'ibm3624.verify'
  | 'data.encrypt'
  | 'data.decrypt'
  | 'kek.wrap'
  | 'kek.unwrap'
  | 'transport.encrypt'
  | 'pan.permute'
  | 'token.tokenize'
  | 'token.detokenize'
  | 'dcvv2.generate'
  | 'dcvv2.verify'
  | 'mac.generate'
  | 'mac.verify'
  | 'emv.ac'
  | 'emv.smi'
  | 'emv.smc'
  | 'emv.dynamic'
  | 'dukpt.derive'
  | 'dukpt.export';

interface Rule {
  usages: readonly X9143Usage[];
  /** Modes of use that allow the purpose ('N' = no special restrictions allows everything). */
  modes: string;
  /** Header algorithm letters; with allowed key lengths in bytes. */
  algorithms: Readonly<Record<string, readonly number[]>>;
}

const TDES_DOUBLE = { T: [16] } as const;
const TDES_OR_AES = { T: [16, 24], A: [16, 24, 32] } as const;
const AES_ONLY = { A: [16, 24, 32] } as const;
// EMV issuer master keys are double-length TDES (EMV Book 2 A1.4) and derive card keys: mode X, or N.
const EMV_IMK = { modes: 'XN', algorithms: TDES_DOUBLE } as const;

/**
 * The rule table (exported as KEY_USAGE_RULES): for each purpose, the X9.143 key usages, modes of use and
 * algorithms (header letter → allowed key lengths in bytes) a key block must have. The single source of truth for
 * which key may do what (frozen: it is also what is enforced); the Hsm checks it on the header before unwrapping
 * and refuses with ERR_KEY_USAGE.
 *
 * @example
 * KEY_USAGE_RULES['pin.encrypt']  // => { usages: ['P0'], modes: 'BEN', algorithms: { T: [16, 24], A: [16, 24, 32] } }
 * KEY_USAGE_RULES['dcvv2.generate'].modes  // => 'CGXN'
 * let refused
 * try { hsm.generateCvv({ cvk: keys.zpk, pan: '4123456789012345', expiry: '8701', serviceCode: '101' }) } catch (e) { refused = [e.code, e.field] }
 * refused  // => ['ERR_KEY_USAGE', 'cvk']
 */
export const RULES: Readonly<Record<Purpose, Rule>> = frozen({
  'cvv.generate': { usages: ['C0'], modes: 'CGN', algorithms: TDES_DOUBLE },
  'cvv.verify': { usages: ['C0'], modes: 'CVN', algorithms: TDES_DOUBLE },
  'pin.encrypt': { usages: ['P0'], modes: 'BEN', algorithms: TDES_OR_AES },
  'pin.decrypt': { usages: ['P0'], modes: 'BDN', algorithms: TDES_OR_AES },
  'pvv.generate': { usages: ['V2'], modes: 'CGN', algorithms: TDES_DOUBLE },
  'pvv.verify': { usages: ['V2'], modes: 'CVN', algorithms: TDES_DOUBLE },
  'ibm3624.generate': { usages: ['V1'], modes: 'CGN', algorithms: TDES_DOUBLE },
  'ibm3624.verify': { usages: ['V1'], modes: 'CVN', algorithms: TDES_DOUBLE },
  'data.encrypt': { usages: ['D0'], modes: 'BEN', algorithms: TDES_OR_AES },
  'data.decrypt': { usages: ['D0'], modes: 'BDN', algorithms: TDES_OR_AES },
  'kek.wrap': { usages: ['K0', 'K1'], modes: 'BEN', algorithms: TDES_OR_AES },
  'kek.unwrap': { usages: ['K0', 'K1'], modes: 'BDN', algorithms: TDES_OR_AES },
  'transport.encrypt': { usages: ['D0'], modes: 'BEN', algorithms: { T: [16, 24] } },
  // FF1 keys: the PAN permutation and PAN tokens (AES data keys).
  'pan.permute': { usages: ['D0'], modes: 'BEN', algorithms: AES_ONLY },
  'token.tokenize': { usages: ['D0'], modes: 'BEN', algorithms: AES_ONLY },
  'token.detokenize': { usages: ['D0'], modes: 'BDN', algorithms: AES_ONLY },
  // Issuer master keys for dynamic CVV2: HMAC (the default profile) or double-length TDES (EMV Option A). Mode of
  // use as for the other verification keys: G generates only, V verifies only; C, X (derive) and N do both.
  'dcvv2.generate': { usages: ['E6'], modes: 'CGXN', algorithms: { H: [32], T: [16] } },
  'dcvv2.verify': { usages: ['E6'], modes: 'CVXN', algorithms: { H: [32], T: [16] } },
  // MAC keys by their X9.143 algorithm: M0/M1 ISO 9797-1 algorithm 1, M3 algorithm 3 (retail MAC), M5/M6 CMAC (TDES
  // or AES), M7 HMAC. (M2, M4 and M8 name MAC algorithms cardhsm does not implement.)
  'mac.generate': {
    usages: ['M0', 'M1', 'M3', 'M5', 'M6', 'M7'],
    modes: 'CGN',
    algorithms: { T: [16, 24], A: [16, 24, 32], H: [32] },
  },
  'mac.verify': {
    usages: ['M0', 'M1', 'M3', 'M5', 'M6', 'M7'],
    modes: 'CVN',
    algorithms: { T: [16, 24], A: [16, 24, 32], H: [32] },
  },
  // EMV issuer master keys (X9.143 E0-E4): application cryptograms, secure messaging for confidentiality (SMC) and
  // integrity (SMI), dynamic numbers (dCVV, CVC3).
  'emv.ac': { usages: ['E0'], ...EMV_IMK },
  'emv.smc': { usages: ['E1'], ...EMV_IMK },
  'emv.smi': { usages: ['E2'], ...EMV_IMK },
  'emv.dynamic': { usages: ['E4'], ...EMV_IMK },
  // DUKPT: a base derivation key (B0) derives every terminal's keys; an initial key (B1) one terminal's. TDES DUKPT
  // keys are double-length TDES (X9.24-1), AES DUKPT keys AES (X9.24-3).
  'dukpt.derive': { usages: ['B0', 'B1'], modes: 'XN', algorithms: { T: [16], A: [16, 24, 32] } },
  'dukpt.export': { usages: ['B0'], modes: 'XN', algorithms: { T: [16], A: [16, 24, 32] } },
});
