// The single asc entry point: one WebAssembly module holding every kernel. Nothing here allocates; kernels
// take addresses inside the static regions of memory.ts and return status codes or nothing. Modules are named
// leaf-first (each after the modules it imports; test/kernel.graph.test.ts checks the order and the graph).
//
// Depends on: every kernel module it re-exports, and the start-up of the tables (des_schedule, des, aes, sha*).
import { KEY_IN, IV, IN, OUT, CACHE } from './memory';
import { initDesSchedule } from './des_schedule';
import { initDes } from './des';
import { initAes } from './aes';
import { initSha256 } from './sha256';
import { initSha1 } from './sha1';

// Tables are derived once, when the module is instantiated.
initDesSchedule();
initDes();
initAes();
initSha256();
initSha1();

export { IO_BYTES, KEY_IN_BYTES, IV_BYTES, CACHE_BYTES, memoryMap } from './memory';

/** Addresses of the static regions, for the loader. */
export function keyInPtr(): usize { return KEY_IN; }
export function ivPtr(): usize { return IV; }
export function inPtr(): usize { return IN; }
export function outPtr(): usize { return OUT; }
export function cachePtr(): usize { return CACHE; }

export { luhnSum } from './luhn';
export { aesEcb, aesCbc, aesRounds } from './aes';
export { ALG_TDES, ALG_AES, SLOT_FITS, selectKey, clearKeyCache } from './keycache';
export { tdesEcb, tdesCbc } from './des';
export { aesCmac, tdesCmac, isoMacFinish } from './mac';
export { hmacStart, hmacUpdate, hmacFinish } from './hmac';
export { cvvBatch } from './cvv';
export { pvvBatch } from './pvv';
export { ibm3624Batch } from './ibm3624';
export { pinblockEncode, pinblockDecode, pinblockTranslate } from './pinblock';
export { ff1Batch, ff1WalkBatch } from './ff1';
export { CARDS_CHUNK, TOKEN_ANY, TOKEN_VALID, TOKEN_INVALID, TOKEN_ALPHANUMERIC, cardsStart, cardsPansFromCounters, cardsPansGiven, cardsCvvs, cardsTokens, cardsDerivePins, cardsPinsGiven, cardsPvvs, cardsIso4Fill, cardsPinBlocks, cardsWrite, cardsWriteLines, cardsWipe } from './cards';
export { dcvv2HmacBatch, hotpSha256 } from './dcvv2';
export { EMV_CARD, EMV_SLICE_MIN, EMV_DCVV_RECORD, EMV_PIN_RECORD, EMV_PIN_AT_CURRENT, EMV_PIN_AT_UDK, emvMasterKeys, emvAcBatch, emvDcvvBatch, emvCvc3Batch, emvPinChange } from './emv';
export { DUKPT_TDES, DUKPT_AES, DUKPT_INITIAL, DUKPT_TRANSACTION, DUKPT_WORKING, DUKPT_KSN_AT, dukptSource, dukptKeys, dukptPinKey, dukptPinTranslate, dukptWipe } from './dukpt';
