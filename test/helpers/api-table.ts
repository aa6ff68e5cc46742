// Every public primitive with one valid call and the shape of its result: the table that totality, wiping and
// no-secret-in-errors tests iterate over, so a new export is covered by adding one row.
import * as api from '../../src/index.js';

const h = api.hexToBytes;
export const CVK = h('0123456789ABCDEFFEDCBA9876543210');
export const AES_KEY = h('000102030405060708090A0B0C0D0E0F');
export const PAN = '4123456789012345';
export const PIN = '1234';
export const IMK = new Uint8Array(32).fill(0x5c);

const digits = (n: number) => (v: unknown) => typeof v === 'string' && new RegExp(`^[0-9]{${n}}$`).test(v);
const bytes = (n: number | ((len: number) => boolean)) => (v: unknown) =>
  v instanceof Uint8Array && (typeof n === 'number' ? v.length === n : n(v.length));
const isBool = (v: unknown) => typeof v === 'boolean';
const pinShape = (v: unknown) => typeof v === 'string' && /^[0-9]{4,12}$/.test(v);
const hexShape = (v: unknown) => typeof v === 'string' && /^([0-9A-F]{2})*$/.test(v);

export interface ApiRow {
  name: string;
  fn: (...args: never[]) => unknown;
  valid: unknown[];
  /** True when a returned value has the right type and length. */
  shape: (result: unknown) => boolean;
}

const iso0 = api.encodePinBlockIso0(PIN, PAN);
const iso4 = api.encipherPinBlockIso4(AES_KEY, PIN, PAN, new Uint8Array(8));
const DUKPT_KSN = h('FFFF9876543210E00001');
const AES_KSN = h('123456789012345600000001');
const DUKPT_BLOCK = api.encryptDukptPinBlock({ bdk: CVK, ksn: DUKPT_KSN, format: 0, pin: PIN, pan: PAN });

const TX = {
  amountAuthorized: new Uint8Array(6),
  amountOther: new Uint8Array(6),
  terminalCountryCode: h('0840'),
  tvr: new Uint8Array(5),
  transactionCurrencyCode: h('0840'),
  transactionDate: h('250101'),
  transactionType: new Uint8Array(1),
  unpredictableNumber: h('12345678'),
  aip: h('1800'),
  atc: h('001C'),
  iad: h('0110A00003220000000000000000000000FF'),
};
const CARD = { pan: PAN, psn: '00' };
const ENC_PIN = { pinBlock: api.tdesEncryptEcb(CVK, iso0), pan: PAN, key: CVK, format: 0 as const };
const CTX = { atc: h('001C'), arqc: h('1234567890ABCDEF') };

export const API: ApiRow[] = [
  { name: 'hexToBytes', fn: api.hexToBytes, valid: ['0123ab'], shape: bytes(() => true) },
  { name: 'bytesToHex', fn: api.bytesToHex, valid: [CVK], shape: hexShape },
  { name: 'luhnCheckDigit', fn: api.luhnCheckDigit, valid: ['7992739871'], shape: digits(1) },
  { name: 'isLuhnValid', fn: api.isLuhnValid, valid: ['79927398713'], shape: isBool },
  {
    name: 'keyCheckValue',
    fn: api.keyCheckValue,
    valid: [CVK, { length: 3 }],
    shape: (v) => typeof v === 'string' && /^[0-9A-F]{4,16}$/.test(v),
  },
  { name: 'hasOddDesParity', fn: api.hasOddDesParity, valid: [CVK], shape: isBool },
  { name: 'fixDesParity', fn: api.fixDesParity, valid: [CVK], shape: bytes(() => true) },
  {
    name: 'tdesEncryptEcb',
    fn: api.tdesEncryptEcb,
    valid: [CVK, new Uint8Array(16)],
    shape: bytes((n) => n % 8 === 0),
  },
  {
    name: 'tdesDecryptEcb',
    fn: api.tdesDecryptEcb,
    valid: [CVK, new Uint8Array(16)],
    shape: bytes((n) => n % 8 === 0),
  },
  {
    name: 'tdesEncryptCbc',
    fn: api.tdesEncryptCbc,
    valid: [CVK, new Uint8Array(16), new Uint8Array(8)],
    shape: bytes((n) => n % 8 === 0),
  },
  {
    name: 'tdesDecryptCbc',
    fn: api.tdesDecryptCbc,
    valid: [CVK, new Uint8Array(16), new Uint8Array(8)],
    shape: bytes((n) => n % 8 === 0),
  },
  {
    name: 'aesEncryptEcb',
    fn: api.aesEncryptEcb,
    valid: [AES_KEY, new Uint8Array(32)],
    shape: bytes((n) => n % 16 === 0),
  },
  {
    name: 'aesDecryptEcb',
    fn: api.aesDecryptEcb,
    valid: [AES_KEY, new Uint8Array(32)],
    shape: bytes((n) => n % 16 === 0),
  },
  {
    name: 'aesEncryptCbc',
    fn: api.aesEncryptCbc,
    valid: [AES_KEY, new Uint8Array(32), new Uint8Array(16)],
    shape: bytes((n) => n % 16 === 0),
  },
  {
    name: 'aesDecryptCbc',
    fn: api.aesDecryptCbc,
    valid: [AES_KEY, new Uint8Array(32), new Uint8Array(16)],
    shape: bytes((n) => n % 16 === 0),
  },
  { name: 'aesCmac', fn: api.aesCmac, valid: [AES_KEY, new Uint8Array(20)], shape: bytes(16) },
  { name: 'tdesCmac', fn: api.tdesCmac, valid: [CVK, new Uint8Array(20)], shape: bytes(8) },
  { name: 'generateCvv', fn: api.generateCvv, valid: [CVK, PAN, '8701', '101'], shape: digits(3) },
  { name: 'verifyCvv', fn: api.verifyCvv, valid: [CVK, PAN, '8701', '101', '561'], shape: isBool },
  { name: 'generateCvv2', fn: api.generateCvv2, valid: [CVK, PAN, '8701'], shape: digits(3) },
  { name: 'verifyCvv2', fn: api.verifyCvv2, valid: [CVK, PAN, '8701', '123'], shape: isBool },
  { name: 'generateIcvv', fn: api.generateIcvv, valid: [CVK, PAN, '8701'], shape: digits(3) },
  { name: 'verifyIcvv', fn: api.verifyIcvv, valid: [CVK, PAN, '8701', '123'], shape: isBool },
  {
    name: 'generateCvvBatch',
    fn: api.generateCvvBatch,
    valid: [CVK, [{ pan: PAN, expiry: '8701', serviceCode: '101' }]],
    shape: (v) => Array.isArray(v) && v.every(digits(3)),
  },
  { name: 'generateVisaPvv', fn: api.generateVisaPvv, valid: [CVK, PAN, '1', PIN], shape: digits(4) },
  { name: 'verifyVisaPvv', fn: api.verifyVisaPvv, valid: [CVK, PAN, '1', PIN, '1234'], shape: isBool },
  {
    name: 'generateVisaPvvBatch',
    fn: api.generateVisaPvvBatch,
    valid: [CVK, [{ pan: PAN, pvki: '1', pin: PIN }]],
    shape: (v) => Array.isArray(v) && v.every(digits(4)),
  },
  { name: 'generateIbm3624Pin', fn: api.generateIbm3624Pin, valid: [CVK, PAN, '0123456789012345', 4], shape: pinShape },
  {
    name: 'generateIbm3624Offset',
    fn: api.generateIbm3624Offset,
    valid: [CVK, PAN, '0123456789012345', PIN],
    shape: pinShape,
  },
  {
    name: 'verifyIbm3624Offset',
    fn: api.verifyIbm3624Offset,
    valid: [CVK, PAN, '0123456789012345', PIN, '0000'],
    shape: isBool,
  },
  {
    name: 'ibm3624ValidationData',
    fn: api.ibm3624ValidationData,
    valid: [PAN],
    shape: (v) => typeof v === 'string' && /^[0-9A-F]{16}$/.test(v),
  },
  { name: 'encodePinBlockIso0', fn: api.encodePinBlockIso0, valid: [PIN, PAN], shape: bytes(8) },
  { name: 'decodePinBlockIso0', fn: api.decodePinBlockIso0, valid: [iso0, PAN], shape: pinShape },
  { name: 'encodePinBlockIso1', fn: api.encodePinBlockIso1, valid: [PIN, '0123456789'], shape: bytes(8) },
  { name: 'decodePinBlockIso1', fn: api.decodePinBlockIso1, valid: [h('1412340123456789')], shape: pinShape },
  { name: 'encodePinBlockIso2', fn: api.encodePinBlockIso2, valid: [PIN], shape: bytes(8) },
  { name: 'decodePinBlockIso2', fn: api.decodePinBlockIso2, valid: [h('241234FFFFFFFFFF')], shape: pinShape },
  { name: 'encodePinBlockIso3', fn: api.encodePinBlockIso3, valid: [PIN, PAN, 'ABCDEFABCD'], shape: bytes(8) },
  {
    name: 'decodePinBlockIso3',
    fn: api.decodePinBlockIso3,
    valid: [api.encodePinBlockIso3(PIN, PAN), PAN],
    shape: pinShape,
  },
  {
    name: 'encipherPinBlockIso4',
    fn: api.encipherPinBlockIso4,
    valid: [AES_KEY, PIN, PAN, new Uint8Array(8)],
    shape: bytes(16),
  },
  { name: 'decipherPinBlockIso4', fn: api.decipherPinBlockIso4, valid: [AES_KEY, iso4, PAN], shape: pinShape },
  {
    name: 'encodePinBlockIso0Batch',
    fn: api.encodePinBlockIso0Batch,
    valid: [[{ pin: PIN, pan: PAN }]],
    shape: (v) => Array.isArray(v) && v.every(bytes(8)),
  },
  {
    name: 'translatePinBlock',
    fn: api.translatePinBlock,
    valid: [
      {
        pinBlock: api.tdesEncryptEcb(CVK, iso0),
        pan: PAN,
        from: { key: CVK, format: 0 },
        to: { key: AES_KEY, format: 4 },
      },
    ],
    shape: bytes(16),
  },
  { name: 'constantTimeEqual', fn: api.constantTimeEqual, valid: [CVK, CVK], shape: isBool },
  {
    name: 'ff1Encrypt',
    fn: api.ff1Encrypt,
    valid: [AES_KEY, new Uint8Array(3), 10, '0123456789'],
    shape: (v) => typeof v === 'string' && v.length >= 2,
  },
  {
    name: 'ff1Decrypt',
    fn: api.ff1Decrypt,
    valid: [AES_KEY, new Uint8Array(0), 36, 'abcdef'],
    shape: (v) => typeof v === 'string' && v.length >= 2,
  },
  { name: 'tokenizePan', fn: api.tokenizePan, valid: [AES_KEY, '4111111111111111'], shape: digits(16) },
  {
    name: 'detokenizePan',
    fn: api.detokenizePan,
    valid: [AES_KEY, api.tokenizePan(AES_KEY, '4111111111111111', { luhn: 'any' }), { luhn: 'any' }],
    shape: digits(16),
  },
  {
    name: 'tokenizePanBatch',
    fn: api.tokenizePanBatch,
    valid: [AES_KEY, ['4111111111111111']],
    shape: (v) => Array.isArray(v) && v.every((t) => typeof t === 'string' && /^[0-9]{12,19}$/.test(t)),
  },
  {
    name: 'generateDynamicCvv2',
    fn: api.generateDynamicCvv2,
    valid: [IMK, PAN, '01', '2812', { at: 1.7e12 }],
    shape: (v) => typeof v === 'object' && v !== null && digits(3)((v as { code: unknown }).code),
  },
  {
    name: 'generateDynamicCvv2Codes',
    fn: api.generateDynamicCvv2Codes,
    valid: [IMK, PAN, '01', '2812', 3, { at: 1.7e12 }],
    shape: (v) => Array.isArray(v) && v.length >= 1 && v.length <= 24,
  },
  {
    name: 'generateDynamicCvv2Batch',
    fn: api.generateDynamicCvv2Batch,
    valid: [IMK, [{ pan: PAN, psn: '01', expiry: '2812' }], { at: 1.7e12 }],
    shape: Array.isArray,
  },
  {
    name: 'verifyDynamicCvv2',
    fn: api.verifyDynamicCvv2,
    valid: [IMK, PAN, '01', '2812', '123', { at: 1.7e12 }],
    shape: (v) => typeof v === 'object' && v !== null && typeof (v as { valid: unknown }).valid === 'boolean',
  },
  {
    name: 'verifyDynamicCvv2 (TDES)',
    fn: api.verifyDynamicCvv2,
    valid: [CVK, PAN, '01', '2812', '123', { at: 1.7e12, profile: 'TDES' }],
    shape: (v) => typeof v === 'object' && v !== null,
  },
  {
    name: 'checkPinPolicy',
    fn: api.checkPinPolicy,
    valid: ['1357'],
    shape: (v) => typeof v === 'object' && v !== null && typeof (v as { ok: unknown }).ok === 'boolean',
  },
  {
    name: 'wrapTr31',
    fn: api.wrapTr31,
    valid: [AES_KEY, 'D0000P0AE00E0000', CVK],
    shape: (v) => typeof v === 'string' && v.startsWith('D'),
  },
  {
    name: 'unwrapTr31',
    fn: api.unwrapTr31,
    valid: [AES_KEY, api.wrapTr31(AES_KEY, 'D0000P0AE00E0000', CVK)],
    shape: (v) => typeof v === 'object' && v !== null,
  },
  {
    name: 'parseTr31Header',
    fn: api.parseTr31Header,
    valid: ['D0112P0AE00E0000'],
    shape: (v) => typeof v === 'object' && v !== null,
  },
  {
    name: 'combineLmkComponents',
    fn: api.combineLmkComponents,
    valid: [[IMK, new Uint8Array(32).fill(0xa3)]],
    shape: (v) => typeof v === 'object' && v !== null,
  },
  { name: 'lmkFromHex', fn: api.lmkFromHex, valid: ['00'.repeat(32)], shape: bytes(32) },
  {
    name: 'lmkCheckValue',
    fn: api.lmkCheckValue,
    valid: [IMK],
    shape: (v) => typeof v === 'string' && /^[0-9A-F]{6}$/.test(v),
  },
  {
    name: 'isoMac',
    fn: api.isoMac,
    valid: [CVK, new Uint8Array(20), { algorithm: 3, padding: 2, length: 6 }],
    shape: bytes((n) => n >= 4 && n <= 8),
  },
  {
    name: 'hmac',
    fn: api.hmac,
    valid: ['SHA-384', CVK, new Uint8Array(20)],
    shape: bytes((n) => n === 32 || n === 48 || n === 64),
  },
  { name: 'deriveIccMasterKey', fn: api.deriveIccMasterKey, valid: [CVK, PAN, '00', 'B'], shape: bytes(16) },
  {
    name: 'deriveIccMasterKeyBatch',
    fn: api.deriveIccMasterKeyBatch,
    valid: [CVK, [CARD]],
    shape: bytes((n) => n % 16 === 0),
  },
  { name: 'deriveCommonSessionKey', fn: api.deriveCommonSessionKey, valid: [CVK, new Uint8Array(8)], shape: bytes(16) },
  {
    name: 'deriveMastercardSessionKey',
    fn: api.deriveMastercardSessionKey,
    valid: [CVK, new Uint8Array(2), new Uint8Array(4)],
    shape: bytes(16),
  },
  { name: 'deriveVisaSmSessionKey', fn: api.deriveVisaSmSessionKey, valid: [CVK, new Uint8Array(2)], shape: bytes(16) },
  {
    name: 'deriveEmv2000TreeSessionKey',
    fn: api.deriveEmv2000TreeSessionKey,
    valid: [CVK, new Uint8Array(2)],
    shape: bytes(16),
  },
  { name: 'generateArqc', fn: api.generateArqc, valid: [CVK, new Uint8Array(40), 2], shape: bytes(8) },
  { name: 'verifyArqc', fn: api.verifyArqc, valid: [CVK, new Uint8Array(40), new Uint8Array(8)], shape: isBool },
  { name: 'generateArpc1', fn: api.generateArpc1, valid: [CVK, new Uint8Array(8), new Uint8Array(2)], shape: bytes(8) },
  {
    name: 'generateArpc2',
    fn: api.generateArpc2,
    valid: [CVK, new Uint8Array(8), new Uint8Array(4), new Uint8Array(3)],
    shape: bytes(4),
  },
  { name: 'emvArqcData', fn: api.emvArqcData, valid: [api.MASTERCARD_CVN17, TX], shape: bytes(47) },
  { name: 'generateEmvArqc', fn: api.generateEmvArqc, valid: [api.VISA_CVN18, CVK, CARD, TX], shape: bytes(8) },
  {
    name: 'verifyEmvArqc',
    fn: api.verifyEmvArqc,
    valid: [api.MASTERCARD_CVN16, CVK, CARD, TX, new Uint8Array(8)],
    shape: isBool,
  },
  {
    name: 'verifyEmvArqcBatch',
    fn: api.verifyEmvArqcBatch,
    valid: [api.VISA_CVN10, CVK, [{ ...CARD, tx: TX, arqc: new Uint8Array(8) }]],
    shape: (v) => Array.isArray(v) && v.every(isBool),
  },
  {
    name: 'generateEmvArpc',
    fn: api.generateEmvArpc,
    valid: [api.VISA_CVN18, CVK, CARD, TX, new Uint8Array(8), { csu: new Uint8Array(4) }],
    shape: bytes(4),
  },
  {
    name: 'generateScriptMac',
    fn: api.generateScriptMac,
    valid: [CVK, new Uint8Array(13), 4],
    shape: bytes((n) => n >= 4 && n <= 8),
  },
  {
    name: 'encipherScriptData',
    fn: api.encipherScriptData,
    valid: [CVK, new Uint8Array(13), 'VISA'],
    shape: bytes((n) => n % 8 === 0 && n > 0),
  },
  {
    name: 'generatePinChangeData',
    fn: api.generatePinChangeData,
    valid: [CVK, ENC_PIN, { pinBlock: 'VIS', encryption: 'EMV', iccMkAc: CVK, currentPin: ENC_PIN }],
    shape: bytes(16),
  },
  {
    name: 'generateEmvScriptMac',
    fn: api.generateEmvScriptMac,
    valid: [api.VISA_CVN10, CVK, CARD, CTX, h('8418000008')],
    shape: bytes(8),
  },
  {
    name: 'generateEmvPinChange',
    fn: api.generateEmvPinChange,
    valid: [api.VISA_CVN18, { imkAc: CVK, imkSmi: CVK, imkSmc: CVK }, CARD, CTX, ENC_PIN],
    shape: (v) => typeof v === 'object' && v !== null && bytes(29)((v as { command: unknown }).command),
  },
  { name: 'generateDcvv', fn: api.generateDcvv, valid: [CVK, PAN, '00', '2512', '101', h('001C')], shape: digits(3) },
  { name: 'verifyDcvv', fn: api.verifyDcvv, valid: [CVK, PAN, '00', '2512', '101', h('001C'), '123'], shape: isBool },
  {
    name: 'generateCvc3',
    fn: api.generateCvc3,
    valid: [CVK, PAN, '00', h('4123456789012345D25121010000000000000F'), h('001C'), h('00000899')],
    shape: digits(5),
  },
  {
    name: 'verifyCvc3',
    fn: api.verifyCvc3,
    valid: [CVK, PAN, '00', h('4123456789012345D25121010000000000000F'), h('001C'), h('00000899'), '123'],
    shape: isBool,
  },
  {
    name: 'derivePersoKeys',
    fn: api.derivePersoKeys,
    valid: [{ ac: CVK, smi: CVK, smc: CVK, dcvv: CVK }, [CARD]],
    shape: (v) => Array.isArray(v) && v.length <= 1,
  },
  { name: 'deriveDukptIpek', fn: api.deriveDukptIpek, valid: [CVK, DUKPT_KSN], shape: bytes(16) },
  { name: 'deriveDukptTransactionKey', fn: api.deriveDukptTransactionKey, valid: [CVK, DUKPT_KSN], shape: bytes(16) },
  {
    name: 'deriveDukptTransactionKeys',
    fn: api.deriveDukptTransactionKeys,
    valid: [CVK, [DUKPT_KSN, DUKPT_KSN]],
    shape: (v) => Array.isArray(v) && v.every(bytes(16)),
  },
  {
    name: 'deriveDukptTransactionKeyFromIpek',
    fn: api.deriveDukptTransactionKeyFromIpek,
    valid: [CVK, DUKPT_KSN],
    shape: bytes(16),
  },
  { name: 'dukptWorkingKey', fn: api.dukptWorkingKey, valid: [CVK, 'DATA_REQUEST'], shape: bytes(16) },
  {
    name: 'deriveAesDukptInitialKey',
    fn: api.deriveAesDukptInitialKey,
    valid: [AES_KEY, AES_KSN.subarray(0, 8)],
    shape: bytes(16),
  },
  {
    name: 'deriveAesDukptTransactionKey',
    fn: api.deriveAesDukptTransactionKey,
    valid: [AES_KEY, AES_KSN],
    shape: bytes(16),
  },
  {
    name: 'deriveAesDukptTransactionKeys',
    fn: api.deriveAesDukptTransactionKeys,
    valid: [AES_KEY, [AES_KSN]],
    shape: (v) => Array.isArray(v) && v.every(bytes(16)),
  },
  {
    name: 'deriveAesDukptWorkingKey',
    fn: api.deriveAesDukptWorkingKey,
    valid: [AES_KEY, AES_KSN, { usage: 'PIN_ENCRYPTION', algorithm: 'TDES3' }],
    shape: bytes((n) => [16, 24, 32].includes(n)),
  },
  {
    name: 'deriveAesDukptWorkingKeys',
    fn: api.deriveAesDukptWorkingKeys,
    valid: [AES_KEY, [AES_KSN], { usage: 'MAC_BOTH' }],
    shape: (v) => Array.isArray(v) && v.every(bytes((n) => [16, 24, 32].includes(n))),
  },
  {
    name: 'deriveAesDukptWorkingKeyFromInitialKey',
    fn: api.deriveAesDukptWorkingKeyFromInitialKey,
    valid: [AES_KEY, AES_KSN, { usage: 'DATA_ENCRYPT' }],
    shape: bytes((n) => [16, 24, 32].includes(n)),
  },
  {
    name: 'translateDukptPinBlock',
    fn: api.translateDukptPinBlock,
    valid: [
      {
        pinBlock: DUKPT_BLOCK,
        pan: PAN,
        from: { bdk: CVK, ksn: DUKPT_KSN, format: 0 },
        to: { key: AES_KEY, format: 4 },
      },
    ],
    shape: bytes(16),
  },
  {
    name: 'translateDukptPinBlocks',
    fn: api.translateDukptPinBlocks,
    valid: [
      {
        from: { bdk: CVK, format: 0 },
        to: { key: CVK, format: 0 },
        items: [{ ksn: DUKPT_KSN, pinBlock: DUKPT_BLOCK, pan: PAN }],
      },
    ],
    shape: (v) => Array.isArray(v) && v.every((b) => b === null || bytes(8)(b)),
  },
  {
    name: 'decryptDukptPinBlock',
    fn: api.decryptDukptPinBlock,
    valid: [{ bdk: CVK, ksn: DUKPT_KSN, format: 0, pinBlock: DUKPT_BLOCK, pan: PAN }],
    shape: pinShape,
  },
  {
    name: 'encryptDukptPinBlock',
    fn: api.encryptDukptPinBlock,
    valid: [{ bdk: AES_KEY, ksn: AES_KSN, format: 4, pin: PIN, pan: PAN }],
    shape: bytes(16),
  },
  {
    name: 'generateDukptMac',
    fn: api.generateDukptMac,
    valid: [{ bdk: CVK, ksn: DUKPT_KSN }, new Uint8Array(20)],
    shape: bytes(8),
  },
  {
    name: 'generateDukptMac (AES HMAC)',
    fn: api.generateDukptMac,
    valid: [{ bdk: AES_KEY, ksn: AES_KSN }, new Uint8Array(20), { method: 'HMAC' }],
    shape: bytes((n) => n === 16 || n === 32),
  },
  {
    name: 'verifyDukptMac',
    fn: api.verifyDukptMac,
    valid: [{ bdk: AES_KEY, ksn: AES_KSN }, new Uint8Array(20), new Uint8Array(8)],
    shape: isBool,
  },
  {
    name: 'encryptDukptData',
    fn: api.encryptDukptData,
    valid: [{ bdk: CVK, ksn: DUKPT_KSN }, new Uint8Array(16)],
    shape: bytes((n) => n % 8 === 0),
  },
  {
    name: 'decryptDukptData',
    fn: api.decryptDukptData,
    valid: [{ bdk: AES_KEY, ksn: AES_KSN }, new Uint8Array(32), { mode: 'ECB' }],
    shape: bytes((n) => n % 16 === 0),
  },
];

/** Calls a row's function with `args` (the table erases parameter types on purpose). */
export function callRow(row: ApiRow, args: unknown[]): unknown {
  return (row.fn as (...a: unknown[]) => unknown)(...args);
}
