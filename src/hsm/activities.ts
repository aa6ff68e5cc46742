// Authorized activities: which caller may do what (payShield's authorized activities; AWS Payment Cryptography's
// per-operation permissions). Every public Hsm method belongs to exactly one activity; an Hsm is built with a
// profile (or a list of activities) and refuses everything else with ERR_NOT_AUTHORIZED before any key is opened.
// KEY_USAGE_RULES (usage.ts) is the one table of which key may do what; METHOD_ACTIVITIES is the one table of
// which caller may do what.
import { frozen } from '../_freeze.js';

export type Activity =
  | 'keys.describe' //  a key block's attributes and KCV
  | 'keys.generate' //  new random keys
  | 'keys.import' //    keys from clear components (dual control) or from a KEK
  | 'keys.export' //    exportable keys under a KEK
  | 'lmk.rotate' //     key blocks re-wrapped under an LMK formed from custodians' components
  | 'card.ref' //       the keyed reference of a PAN
  | 'card.verify' //    counted card-code checks: static CVV/CVV2/iCVV and dynamic CVV2
  | 'card.generate' //  card codes (CVV, CVV2, iCVV, dynamic CVV2) for any PAN, and uncounted checks
  | 'card.manage' //    per-card settings: dynamic CVV2 on/off, activation codes
  | 'pin.verify' //     counted PIN verification against stored verification data; attempt counts
  | 'pin.translate' //  PIN blocks re-encrypted from one PIN key and format to another
  | 'pin.clear' //      a clear PIN encrypted under a PIN key
  | 'pin.issue' //      PINs set, generated or activated, verification data stored; security values exported
  | 'issue' //          new cards: PANs, codes, PINs, tokens; reissue; range capacity
  | 'token.tokenize'
  | 'token.detokenize'
  | 'data.encrypt'
  | 'data.decrypt'
  | 'mac.generate' //   MACs of messages (the key's mode of use may forbid it: a V key only verifies)
  | 'mac.verify'
  | 'emv.authorize' //  chip transactions online: ARQC verified, ARPC, issuer script MACs and PIN change scripts
  | 'emv.perso' //      ICC master keys derived for personalisation, exported under a KEK
  | 'terminal.data'; // data from and to terminals under DUKPT data keys (the acquirer's online host)

export const ACTIVITIES: readonly Activity[] = frozen([
  'keys.describe', 'keys.generate', 'keys.import', 'keys.export', 'lmk.rotate', 'card.ref', 'card.verify', 'card.generate', 'card.manage',
  'pin.verify', 'pin.translate', 'pin.clear', 'pin.issue', 'issue', 'token.tokenize', 'token.detokenize', 'data.encrypt', 'data.decrypt',
  'mac.generate', 'mac.verify', 'emv.authorize', 'emv.perso', 'terminal.data',
]);

export type ProfileName = 'authorization' | 'issuance' | 'custodian';

const AUTHORIZATION: readonly Activity[] = ['keys.describe', 'card.ref', 'card.verify', 'pin.verify', 'pin.translate', 'token.tokenize', 'mac.generate', 'mac.verify', 'emv.authorize', 'terminal.data'];

/**
 * The three profiles. `authorization` is the online host: it verifies PINs and card codes (every check counted
 * per card), translates PIN blocks and tokenizes — it generates no key, no verification value, no card code and
 * no clear PIN. `issuance` is the back office: it adds issuing cards, PIN issuance and security-values export,
 * card codes, detokenization and data keys. `custodian` runs key ceremonies and LMK rotation, and nothing that
 * touches a card.
 */
export const HSM_PROFILES: Readonly<Record<ProfileName, readonly Activity[]>> = frozen({
  authorization: AUTHORIZATION,
  issuance: [...AUTHORIZATION, 'card.generate', 'card.manage', 'pin.clear', 'pin.issue', 'issue', 'token.detokenize', 'data.encrypt', 'data.decrypt', 'emv.perso'],
  custodian: ['keys.describe', 'keys.generate', 'keys.import', 'keys.export', 'lmk.rotate'],
});

/** Every public Hsm method and the activity it needs. */
export const METHOD_ACTIVITIES = frozen({
  describeKey: 'keys.describe',
  generateKey: 'keys.generate',
  importKeyComponents: 'keys.import',
  importKey: 'keys.import',
  exportKey: 'keys.export',
  rotateLmk: 'lmk.rotate',
  cardRef: 'card.ref',
  verifyCardCvv: 'card.verify',
  verifyCardCvv2: 'card.verify',
  verifyDynamicCvv2: 'card.verify',
  generateCvv: 'card.generate',
  generateCvv2: 'card.generate',
  generateIcvv: 'card.generate',
  generateCvvBatch: 'card.generate',
  verifyCvv: 'card.generate',
  verifyCvv2: 'card.generate',
  verifyIcvv: 'card.generate',
  verifyCvvBatch: 'card.generate',
  generateDynamicCvv2: 'card.generate',
  generateDynamicCvv2Codes: 'card.generate',
  enableDynamicCvv2: 'card.manage',
  disableDynamicCvv2: 'card.manage',
  generateActivationCode: 'card.manage',
  verifyPin: 'pin.verify',
  getPinAttempts: 'pin.verify',
  getCvv2Attempts: 'card.verify',
  translatePinBlock: 'pin.translate',
  encryptClearPin: 'pin.clear',
  setPin: 'pin.issue',
  generatePin: 'pin.issue',
  activateCard: 'pin.issue',
  registerPinVerificationData: 'pin.issue',
  exportSecurityValues: 'pin.issue',
  issueCards: 'issue',
  issueCard: 'issue',
  reissueCard: 'issue',
  panCapacity: 'issue',
  tokenizePan: 'token.tokenize',
  detokenizePan: 'token.detokenize',
  encryptData: 'data.encrypt',
  decryptData: 'data.decrypt',
  generateMac: 'mac.generate',
  verifyMac: 'mac.verify',
  verifyEmvArqc: 'emv.authorize',
  generateEmvScriptMac: 'emv.authorize',
  generateEmvPinChange: 'emv.authorize',
  exportEmvPersoKeys: 'emv.perso',
  generateDcvv: 'card.generate',
  verifyCardDcvv: 'card.verify',
  generateCvc3: 'card.generate',
  verifyCardCvc3: 'card.verify',
  translateDukptPinBlock: 'pin.translate',
  generateDukptMac: 'mac.generate',
  verifyDukptMac: 'mac.verify',
  encryptDukptData: 'terminal.data',
  decryptDukptData: 'terminal.data',
  exportDukptInitialKey: 'keys.export',
} as const satisfies Record<string, Activity>);

export type HsmMethod = keyof typeof METHOD_ACTIVITIES;

