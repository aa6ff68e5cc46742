// cardhsm/core: the portable primitives, for every JavaScript runtime (Node, Deno, browsers, Cloudflare Workers).
// Curated re-exports, no logic. Nothing in this file's import graph imports a Node builtin (test/portable.test.ts
// bundles it for the browser and for workerd, which would fail on one); randomness is
// globalThis.crypto.getRandomValues, hashing and HMAC are in the kernel.
export { CardHsmError, type ErrorCode } from './errors.js';
export { hexToBytes, bytesToHex, constantTimeEqual } from './bytes.js';
export { init, initSync, clearKeyCache, type KernelSource, type KernelModule } from './wasm/init.js';
export { luhnCheckDigit, isLuhnValid } from './luhn.js';
export { keyCheckValue, type KcvOptions, type KcvAlgorithm, type KcvMethod } from './keys/kcv.js';
export { hasOddDesParity, fixDesParity } from './keys/parity.js';
export { tdesEncryptEcb, tdesDecryptEcb, tdesEncryptCbc, tdesDecryptCbc } from './des.js';
export { aesEncryptEcb, aesDecryptEcb, aesEncryptCbc, aesDecryptCbc } from './aes.js';
export { aesCmac, tdesCmac, isoMac, hmac, type IsoMacOptions, type HmacHash } from './mac.js';
export {
  generateCvv,
  verifyCvv,
  generateCvv2,
  verifyCvv2,
  generateIcvv,
  verifyIcvv,
  generateCvvBatch,
  type CvvInput,
} from './cvv.js';
export {
  encodePinBlockIso0,
  decodePinBlockIso0,
  encodePinBlockIso1,
  decodePinBlockIso1,
  encodePinBlockIso2,
  decodePinBlockIso2,
  encodePinBlockIso3,
  decodePinBlockIso3,
  encipherPinBlockIso4,
  decipherPinBlockIso4,
  encodePinBlockIso0Batch,
  translatePinBlock,
  type PinBlockSide,
} from './pinblock.js';
export { generateVisaPvv, verifyVisaPvv, generateVisaPvvBatch, type PvvInput } from './pvv.js';
export {
  generateIbm3624Pin,
  generateIbm3624Offset,
  verifyIbm3624Offset,
  ibm3624ValidationData,
} from './ibm3624.js';
export {
  wrapTr31,
  unwrapTr31,
  parseTr31Header,
  X9143_USAGES,
  type X9143Usage,
  type Tr31Header,
  type Tr31OptionalBlock,
  type Tr31Version,
} from './tr31.js';
export { combineLmkComponents, lmkFromHex, lmkCheckValue, generateDevelopmentLmk } from './keys/lmk.js';
export { checkPinPolicy, type PinPolicy, type PinPolicyResult, type PinPolicyReason } from './pinpolicy.js';
export { ff1Encrypt, ff1Decrypt } from './ff1.js';
export { tokenizePan, detokenizePan, tokenizePanBatch, type TokenOptions } from './token.js';
export { PanIssuer, type PanIssuerOptions } from './issue/pan.js';
export {
  generateDynamicCvv2,
  generateDynamicCvv2Codes,
  generateDynamicCvv2Batch,
  verifyDynamicCvv2,
  type Dcvv2Options,
  type Dcvv2Code,
  type Dcvv2Card,
  type Dcvv2Profile,
} from './dcvv2.js';
export {
  deriveIccMasterKey,
  deriveIccMasterKeyBatch,
  deriveCommonSessionKey,
  deriveMastercardSessionKey,
  deriveVisaSmSessionKey,
  deriveEmv2000TreeSessionKey,
  type EmvCard,
  type MasterKeyOption,
  type Emv2000TreeOptions,
} from './emv/kd.js';
export { generateArqc, verifyArqc, generateArpc1, generateArpc2 } from './emv/ac.js';
export {
  VISA_CVN10,
  VISA_CVN18,
  VISA_CVN22,
  MASTERCARD_CVN16,
  MASTERCARD_CVN17,
  MASTERCARD_CVN20,
  MASTERCARD_CVN21,
  EMV_CVN_PROFILES,
  type CvnProfile,
  type EmvProfileName,
  type SessionKeyDerivation,
  type IadPart,
} from './emv/profiles.js';
export {
  emvArqcData,
  EMV_TRANSACTION_TAGS,
  generateEmvArqc,
  verifyEmvArqc,
  verifyEmvArqcBatch,
  generateEmvArpc,
  type EmvTransaction,
  type EmvArqcItem,
  type EmvArpcResponse,
} from './emv/cvn.js';
export {
  generateScriptMac,
  encipherScriptData,
  generatePinChangeData,
  generateEmvScriptMac,
  generateEmvPinChange,
  type ScriptEncryption,
  type EncryptedPinBlock,
  type PinChangeOptions,
  type ScriptContext,
  type PinChangeIssuerKeys,
  type PinChangeScript,
} from './emv/sm.js';
export { generateDcvv, verifyDcvv, type DcvvOptions } from './emv/dcvv.js';
export { generateCvc3, verifyCvc3, type Cvc3Options } from './emv/cvc3.js';
export { derivePersoKeys, type PersoIssuerKeys, type PersoCardKeys } from './emv/perso.js';
export {
  deriveDukptIpek,
  deriveDukptTransactionKey,
  deriveDukptTransactionKeys,
  deriveDukptTransactionKeyFromIpek,
  dukptWorkingKey,
  type DukptVariant,
} from './dukpt/tdes.js';
export {
  deriveAesDukptInitialKey,
  deriveAesDukptTransactionKey,
  deriveAesDukptTransactionKeys,
  deriveAesDukptWorkingKey,
  deriveAesDukptWorkingKeys,
  deriveAesDukptWorkingKeyFromInitialKey,
  type AesDukptUsage,
  type AesDukptAlgorithm,
  type AesDukptKeyOptions,
} from './dukpt/aes.js';
export type { DukptKeySource } from './dukpt/source.js';
export {
  translateDukptPinBlock,
  translateDukptPinBlocks,
  decryptDukptPinBlock,
  encryptDukptPinBlock,
  type DukptPinSide,
  type DukptPinBatchSide,
  type DukptPinItem,
} from './dukpt/pin.js';
export {
  generateDukptMac,
  verifyDukptMac,
  type DukptMacOptions,
  type DukptMacMethod,
  type DukptDirection,
} from './dukpt/mac.js';
export { encryptDukptData, decryptDukptData, type DukptDataOptions } from './dukpt/data.js';
