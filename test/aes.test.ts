// Known answers for AES, ECB and CBC, from public sources (FIPS 197, NIST SP 800-38A, psec — each vector names
// its source in test/vectors/aes.json).
import { describe } from 'vitest';
import * as api from '../src/index.js';
import { blockCipherVectors } from './helpers/vectors.js';

describe('AES known answers (test/vectors/aes.json)', () => {
  blockCipherVectors('aes', [api.aesEncryptEcb, api.aesDecryptEcb], [api.aesEncryptCbc, api.aesDecryptCbc]);
});
