// Known answers for DES and TDES, ECB and CBC, from public sources (FIPS 81, NIST SP 800-20, SP 800-67, Botan, OpenSSL,
// psec, jPOS — each vector names its source in test/vectors/des.json).
import { describe } from 'vitest';
import * as api from '../src/index.js';
import { blockCipherVectors } from './helpers/vectors.js';

describe('DES / TDES known answers (test/vectors/des.json)', () => {
  blockCipherVectors('des', [api.tdesEncryptEcb, api.tdesDecryptEcb], [api.tdesEncryptCbc, api.tdesDecryptCbc]);
});
