// Authorized activities: which caller may do what (payShield's authorized activities; AWS Payment Cryptography's
// per-operation permissions). Every public Hsm method belongs to exactly one activity; an Hsm is built with a
// profile (or a list of activities) and refuses everything else with ERR_NOT_AUTHORIZED before any key is opened.
// KEY_USAGE_RULES (usage.ts) is the one table of which key may do what; METHOD_ACTIVITIES is the one table of
// which caller may do what.
import { frozen } from '../_freeze.js';

/**
 * An authorized activity: what a caller may do with an Hsm, one name per group of methods (METHOD_ACTIVITIES
 * says which method needs which). An Hsm is made with a profile (HSM_PROFILES) or a list of these; every method
 * outside them throws ERR_NOT_AUTHORIZED before any key is opened.
 *
 * @example
 * const activities = ['card.ref', 'keys.describe']
 * const narrow = new Hsm({ lmk: new Uint8Array(32).fill(1), activities })
 * narrow.toJSON().profile  // => 'custom'
 * narrow.cardRef('4123456789012345').length  // => 64
 * let refused
 * try { narrow.generateKey({ usage: 'D0', algorithm: 'AES128' }) } catch (e) { refused = e.code }
 * refused  // => 'ERR_NOT_AUTHORIZED'
 */
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

/**
 * Every activity, in the order of Activity's declaration (23 names): `activities: [...ACTIVITIES]` makes an Hsm
 * that may do everything, as the test and documentation Hsm `hsm` is made.
 *
 * @example
 * ACTIVITIES.length  // => 23
 * ACTIVITIES.slice(0, 3)  // => ['keys.describe', 'keys.generate', 'keys.import']
 * new Hsm({ lmk: new Uint8Array(32).fill(1), activities: [...ACTIVITIES] }).toJSON().profile  // => 'custom'
 */
export const ACTIVITIES: readonly Activity[] = frozen([
  'keys.describe',
  'keys.generate',
  'keys.import',
  'keys.export',
  'lmk.rotate',
  'card.ref',
  'card.verify',
  'card.generate',
  'card.manage',
  'pin.verify',
  'pin.translate',
  'pin.clear',
  'pin.issue',
  'issue',
  'token.tokenize',
  'token.detokenize',
  'data.encrypt',
  'data.decrypt',
  'mac.generate',
  'mac.verify',
  'emv.authorize',
  'emv.perso',
  'terminal.data',
]);

/**
 * The name of a built-in profile (HSM_PROFILES): 'authorization' (the default, the online host), 'issuance' (the
 * back office) or 'custodian' (key ceremonies). Given as HsmOptions.activities; an Hsm reports it in toString and
 * toJSON (or 'custom' for a list of activities).
 *
 * @example
 * const profile = 'issuance'
 * new Hsm({ lmk: new Uint8Array(32).fill(1), activities: profile }).toJSON().profile  // => 'issuance'
 * String(new Hsm({ lmk: new Uint8Array(32).fill(1) }))  // => 'Hsm(lmkKcv=AF9C53, profile=authorization)'
 */
export type ProfileName = 'authorization' | 'issuance' | 'custodian';

const AUTHORIZATION: readonly Activity[] = [
  'keys.describe',
  'card.ref',
  'card.verify',
  'pin.verify',
  'pin.translate',
  'token.tokenize',
  'mac.generate',
  'mac.verify',
  'emv.authorize',
  'terminal.data',
];

/**
 * The three profiles and their activities. `authorization` is the online host: it verifies PINs and card codes
 * (every check counted per card), translates PIN blocks, tokenizes, checks MACs and ARQCs and handles terminal
 * data — it generates no key, no verification value, no card code and no clear PIN. `issuance` is the back
 * office: it adds issuing cards, PIN issuance and security-values export, card codes, detokenization, data keys
 * and EMV personalisation. `custodian` runs key ceremonies and LMK rotation, and nothing that touches a card.
 *
 * @example
 * HSM_PROFILES.custodian  // => ['keys.describe', 'keys.generate', 'keys.import', 'keys.export', 'lmk.rotate']
 * HSM_PROFILES.authorization.includes('pin.verify')  // => true
 * HSM_PROFILES.authorization.includes('pin.clear')  // => false
 * HSM_PROFILES.issuance.length  // => 19
 */
export const HSM_PROFILES: Readonly<Record<ProfileName, readonly Activity[]>> = frozen({
  authorization: AUTHORIZATION,
  issuance: [
    ...AUTHORIZATION,
    'card.generate',
    'card.manage',
    'pin.clear',
    'pin.issue',
    'issue',
    'token.detokenize',
    'data.encrypt',
    'data.decrypt',
    'emv.perso',
  ],
  custodian: ['keys.describe', 'keys.generate', 'keys.import', 'keys.export', 'lmk.rotate'],
});

/**
 * Every public Hsm method and the activity it needs (57 methods): the one table of which caller may do what, as
 * KEY_USAGE_RULES is of which key may do what. A method whose activity the Hsm lacks throws ERR_NOT_AUTHORIZED.
 *
 * @example
 * METHOD_ACTIVITIES.verifyPin  // => 'pin.verify'
 * METHOD_ACTIVITIES.encryptClearPin  // => 'pin.clear'
 * Object.keys(METHOD_ACTIVITIES).length  // => 58
 */
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
  issueCardLines: 'issue',
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

/**
 * The name of a public Hsm method (a key of METHOD_ACTIVITIES), as audit records give it in `operation`.
 *
 * @example
 * const audit = new MemoryAuditSink()
 * new Hsm({ lmk: new Uint8Array(32).fill(1), activities: 'custodian', audit }).generateKey({ usage: 'D0', algorithm: 'AES128' })
 * const method = audit.records[0].operation
 * method  // => 'generateKey'
 * METHOD_ACTIVITIES[method]  // => 'keys.generate'
 */
export type HsmMethod = keyof typeof METHOD_ACTIVITIES;
