// cardhsm's public API: curated re-exports, no logic.
export { CardHsmError, type ErrorCode } from './errors.js';
export { hexToBytes, bytesToHex, constantTimeEqual } from './bytes.js';
export { init } from './wasm/loader.js';
export { clearKeyCache } from './wasm/calls.js';
export { luhnCheckDigit, isLuhnValid } from './luhn.js';
export { keyCheckValue, type KcvOptions, type KcvAlgorithm, type KcvMethod } from './keys/kcv.js';
export { hasOddDesParity, fixDesParity } from './keys/parity.js';
export { tdesEncryptEcb, tdesDecryptEcb, tdesEncryptCbc, tdesDecryptCbc } from './des.js';
export { aesEncryptEcb, aesDecryptEcb, aesEncryptCbc, aesDecryptCbc } from './aes.js';
export { aesCmac, tdesCmac } from './mac.js';
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
export { wrapTr31, unwrapTr31, parseTr31Header, type Tr31Header, type Tr31OptionalBlock, type Tr31Version } from './tr31.js';
export { combineLmkComponents, lmkFromHex, lmkCheckValue, generateDevelopmentLmk } from './keys/lmk.js';
export { Hsm, KEY_ALGORITHMS, type HsmOptions, type KeyAlgorithm, type KeyAttributes, type KeyDescription, type KeyResult, type PinBlockFormat } from './hsm/hsm.js';
export { RULES as KEY_USAGE_RULES, type Purpose } from './hsm/usage.js';
export { JsonlAuditSink, MemoryAuditSink, verifyAuditLog, maskPan, type AuditRecord, type AuditSink, type AuditOutcome } from './hsm/audit.js';
export { checkPinPolicy, type PinPolicy, type PinPolicyResult, type PinPolicyReason } from './pinpolicy.js';
export { MemoryStore } from './store/memory.js';
export type { Store, AttemptState, CounterKind, ActivationResult } from './store/store.js';
export type { PinVerificationMethod } from './hsm/hsm.js';
export { ff1Encrypt, ff1Decrypt } from './ff1.js';
export { tokenizePan, detokenizePan, tokenizePanBatch, type TokenOptions } from './token.js';
export { PanIssuer, type PanIssuerOptions } from './issue/pan.js';
export type { IssueOptions, ReissueReason } from './hsm/hsm.js';
export type { IssuedCard } from './issue/cards.js';
export { closeIssuancePool } from './issue/pool.js';
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
export { translateDukptPinBlock, translateDukptPinBlocks, decryptDukptPinBlock, encryptDukptPinBlock, type DukptPinSide, type DukptPinBatchSide, type DukptPinItem } from './dukpt/pin.js';
export { generateDukptMac, verifyDukptMac, type DukptMacOptions, type DukptMacMethod, type DukptDirection } from './dukpt/mac.js';
export { encryptDukptData, decryptDukptData, type DukptDataOptions } from './dukpt/data.js';
