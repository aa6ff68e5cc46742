// The single asc entry point: one WebAssembly module holding every kernel. Nothing here allocates; kernels
// take addresses inside the static regions of memory.ts and return status codes or nothing.
import { initDes } from './des';
import { initAes } from './aes';
import { initSha256 } from './sha256';

// Tables are derived once, when the module is instantiated.
initDes();
initAes();
initSha256();

export { IO_BYTES } from './memory';
export { ALG_TDES, ALG_AES, CACHE_BYTES, SLOT_FITS, selectKey, clearKeyCache } from './keycache';
export { tdesEcb, tdesCbc } from './des';
export { aesEcb, aesCbc, aesRounds } from './aes';
export { aesCmac, tdesCmac } from './mac';
export { cvvBatch, CVV_RECORD } from './cvv';
export { pvvBatch, PVV_RECORD } from './pvv';
export { ibm3624Batch, IBM3624_RECORD, IBM3624_OUT } from './ibm3624';
export { pinblockEncode, pinblockDecode, pinblockTranslate, ENCODE_RECORD, DECODE_RECORD, PINBLOCK_OUT, TRANSLATE_RECORD, TRANSLATE_OUT } from './pinblock';
export { luhnSum } from './luhn';

import { KEY_IN, IV, IN, OUT } from './memory';
import { cacheBase } from './keycache';

/** Addresses of the static regions, for the loader. */
export function keyInPtr(): usize { return KEY_IN; }
export function ivPtr(): usize { return IV; }
export function inPtr(): usize { return IN; }
export function outPtr(): usize { return OUT; }
export function cachePtr(): usize { return cacheBase(); }
export { ff1Batch, ff1WalkBatch, FF1_MAX_TWEAK } from './ff1';
export { CARDS_CHUNK, TOKEN_ANY, TOKEN_VALID, TOKEN_INVALID, TOKEN_ALPHANUMERIC, cardsStart, cardsPansFromCounters, cardsPansGiven, cardsCvvs, cardsTokens, cardsDerivePins, cardsPinsGiven, cardsPvvs, cardsPinBlocks, cardsWrite, cardsWipe } from './cards';
export { dcvv2HmacBatch, hotpSha256, hmacSha256, DCVV2_CONTEXT_MAX } from './dcvv2';
