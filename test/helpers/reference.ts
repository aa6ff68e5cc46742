/**
 * Independent reference implementations ("oracles") for differential tests.
 *
 * Everything here is written directly from the text of the standards and uses
 * ONLY `node:crypto` as the raw block cipher. Nothing in this file imports the
 * library under test. Clarity is preferred over speed: these functions are
 * meant to be read and checked by eye.
 *
 * Conventions: bytes are `Uint8Array`, digit strings are ASCII strings,
 * hexadecimal output is uppercase.
 *
 * Sources followed:
 *  - DES / TDEA: FIPS 46-3, NIST SP 800-67 (keying options 1, 2 and 3; EDE).
 *  - AES: FIPS 197; ECB/CBC modes: NIST SP 800-38A.
 *  - CMAC: NIST SP 800-38B, sections 6.1 (subkeys) and 6.2 (MAC generation).
 *  - KCV: ANSI X9.24-1 / PCI PIN requirement 15-1 (encrypt-zeros and CMAC methods).
 *  - Luhn: ISO/IEC 7812-1 Annex B.
 *  - CVV: Visa CVV method (PAN ‖ expiry ‖ service code, two DES keys, decimalization).
 *  - PVV: Visa PIN Verification Value (TSP, decimalization).
 *  - IBM 3624: natural PIN with decimalization table, PIN offset.
 *  - PIN blocks: ISO 9564-1 formats 0, 1, 2, 3 and 4 (ISO 9564-1:2017, AES).
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';

// ---------------------------------------------------------------------------
// Small byte / hex helpers (private)
// ---------------------------------------------------------------------------

function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(hex)) {
    throw new Error(`invalid hex string: ${hex}`);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  }
  return out;
}

function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s.toUpperCase();
}

function xorBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length !== b.length) throw new Error('xor: length mismatch');
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) ^ (b[i] as number);
  return out;
}

function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function isDigits(s: string): boolean {
  return /^[0-9]+$/.test(s);
}

/** Run a node:crypto cipher with padding disabled; return a plain Uint8Array. */
function runCipher(
  encrypt: boolean,
  algorithm: string,
  key: Uint8Array,
  iv: Uint8Array | null,
  data: Uint8Array,
): Uint8Array {
  const c = encrypt ? createCipheriv(algorithm, key, iv) : createDecipheriv(algorithm, key, iv);
  c.setAutoPadding(false);
  const first = c.update(data);
  const last = c.final();
  return new Uint8Array(concatBytes(new Uint8Array(first), new Uint8Array(last)));
}

// ---------------------------------------------------------------------------
// DES / TDEA (FIPS 46-3, SP 800-67)
// ---------------------------------------------------------------------------

/**
 * Map a DES/TDEA key to an OpenSSL algorithm + key.
 *  - 8 bytes  (single DES):  `des-ede` with K ‖ K  (EDE with K1 = K2 = K3 reduces to DES;
 *                             Node 20 / OpenSSL 3 no longer offers `des-ecb`).
 *  - 16 bytes (keying option 2, K1 ‖ K2, K3 = K1): `des-ede`.
 *  - 24 bytes (keying option 1, K1 ‖ K2 ‖ K3):     `des-ede3`.
 */
function desAlgorithm(key: Uint8Array, mode: 'ecb' | 'cbc'): { algorithm: string; key: Uint8Array } {
  const suffix = mode === 'cbc' ? '-cbc' : '';
  if (key.length === 8) return { algorithm: `des-ede${suffix}`, key: concatBytes(key, key) };
  if (key.length === 16) return { algorithm: `des-ede${suffix}`, key };
  if (key.length === 24) return { algorithm: `des-ede3${suffix}`, key };
  throw new Error(`DES key must be 8, 16 or 24 bytes, got ${key.length}`);
}

function checkBlocks(data: Uint8Array, blockSize: number): void {
  if (data.length % blockSize !== 0) {
    throw new Error(`data length ${data.length} is not a multiple of ${blockSize}`);
  }
}

export function refDesEcbEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkBlocks(data, 8);
  const a = desAlgorithm(key, 'ecb');
  return runCipher(true, a.algorithm, a.key, null, data);
}

export function refDesEcbDecrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkBlocks(data, 8);
  const a = desAlgorithm(key, 'ecb');
  return runCipher(false, a.algorithm, a.key, null, data);
}

export function refDesCbcEncrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array): Uint8Array {
  checkBlocks(data, 8);
  if (iv.length !== 8) throw new Error('DES CBC IV must be 8 bytes');
  const a = desAlgorithm(key, 'cbc');
  return runCipher(true, a.algorithm, a.key, iv, data);
}

export function refDesCbcDecrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array): Uint8Array {
  checkBlocks(data, 8);
  if (iv.length !== 8) throw new Error('DES CBC IV must be 8 bytes');
  const a = desAlgorithm(key, 'cbc');
  return runCipher(false, a.algorithm, a.key, iv, data);
}

// ---------------------------------------------------------------------------
// AES (FIPS 197, SP 800-38A)
// ---------------------------------------------------------------------------

function aesAlgorithm(key: Uint8Array, mode: 'ecb' | 'cbc'): string {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) {
    throw new Error(`AES key must be 16, 24 or 32 bytes, got ${key.length}`);
  }
  return `aes-${key.length * 8}-${mode}`;
}

export function refAesEcbEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkBlocks(data, 16);
  return runCipher(true, aesAlgorithm(key, 'ecb'), key, null, data);
}

export function refAesEcbDecrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkBlocks(data, 16);
  return runCipher(false, aesAlgorithm(key, 'ecb'), key, null, data);
}

export function refAesCbcEncrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array): Uint8Array {
  checkBlocks(data, 16);
  if (iv.length !== 16) throw new Error('AES CBC IV must be 16 bytes');
  return runCipher(true, aesAlgorithm(key, 'cbc'), key, iv, data);
}

export function refAesCbcDecrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array): Uint8Array {
  checkBlocks(data, 16);
  if (iv.length !== 16) throw new Error('AES CBC IV must be 16 bytes');
  return runCipher(false, aesAlgorithm(key, 'cbc'), key, iv, data);
}

// ---------------------------------------------------------------------------
// CMAC (NIST SP 800-38B)
// ---------------------------------------------------------------------------

/** Left shift of a bit string by one position (SP 800-38B notation: X << 1). */
function shiftLeftOne(x: Uint8Array): Uint8Array {
  const out = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const next = i + 1 < x.length ? (x[i + 1] as number) : 0;
    out[i] = (((x[i] as number) << 1) | (next >>> 7)) & 0xff;
  }
  return out;
}

/**
 * SP 800-38B 6.1 subkey step: if MSB1(X) = 0 then X << 1, else (X << 1) XOR Rb.
 * Rb = 0^120 ‖ 10000111 (0x87) for b = 128, 0^59 ‖ 11011 (0x1B) for b = 64.
 */
function cmacDouble(x: Uint8Array, rb: number): Uint8Array {
  const shifted = shiftLeftOne(x);
  if (((x[0] as number) & 0x80) !== 0) {
    shifted[shifted.length - 1] = (shifted[shifted.length - 1] as number) ^ rb;
  }
  return shifted;
}

export function refCmac(key: Uint8Array, data: Uint8Array, algorithm: 'TDES' | 'AES'): Uint8Array {
  const b = algorithm === 'AES' ? 16 : 8; // block size in bytes
  const rb = b === 16 ? 0x87 : 0x1b;
  const ciph = (block: Uint8Array): Uint8Array =>
    algorithm === 'AES' ? refAesEcbEncrypt(key, block) : refDesEcbEncrypt(key, block);

  // 6.1 Subkey generation.
  const L = ciph(new Uint8Array(b));
  const K1 = cmacDouble(L, rb);
  const K2 = cmacDouble(K1, rb);

  // 6.2 MAC generation.
  // Step 2: n = ceil(Mlen / b); if Mlen = 0 then n = 1.
  let n = Math.ceil(data.length / b);
  let lastComplete: boolean;
  if (n === 0) {
    n = 1;
    lastComplete = false;
  } else {
    lastComplete = data.length % b === 0;
  }
  // Step 3: M1 ... Mn-1 are complete blocks; Mn* is the final (possibly partial) block.
  const lastStart = (n - 1) * b;
  const mnStar = data.subarray(lastStart);
  // Step 4: Mn = K1 XOR Mn* if complete, else K2 XOR (Mn* ‖ 10^j).
  let mn: Uint8Array;
  if (lastComplete) {
    mn = xorBytes(K1, mnStar);
  } else {
    const padded = new Uint8Array(b);
    padded.set(mnStar);
    padded[mnStar.length] = 0x80;
    mn = xorBytes(K2, padded);
  }
  // Steps 5-6: C0 = 0^b; Ci = CIPH_K(Ci-1 XOR Mi).
  let c: Uint8Array = new Uint8Array(b);
  for (let i = 0; i < n - 1; i++) {
    c = ciph(xorBytes(c, data.subarray(i * b, (i + 1) * b)));
  }
  c = ciph(xorBytes(c, mn));
  // Step 7: T = MSB_Tlen(Cn); full length here.
  return c;
}

// ---------------------------------------------------------------------------
// Key check value
// ---------------------------------------------------------------------------

export function refKcv(key: Uint8Array, algorithm: 'TDES' | 'AES', method: 'ZEROS' | 'CMAC', length = 3): string {
  const b = algorithm === 'AES' ? 16 : 8;
  const zeros = new Uint8Array(b);
  let full: Uint8Array;
  if (method === 'ZEROS') {
    full = algorithm === 'AES' ? refAesEcbEncrypt(key, zeros) : refDesEcbEncrypt(key, zeros);
  } else {
    full = refCmac(key, zeros, algorithm);
  }
  if (length < 1 || length > full.length) throw new Error(`KCV length must be 1..${full.length}`);
  return bytesToHex(full.subarray(0, length));
}

// ---------------------------------------------------------------------------
// Luhn (ISO/IEC 7812-1 Annex B)
// ---------------------------------------------------------------------------

/** Check digit to append to `digits` (the payload, without a check digit). */
export function refLuhnCheckDigit(digits: string): string {
  if (!isDigits(digits)) throw new Error('Luhn payload must be decimal digits');
  // Starting with the rightmost payload digit, double every second digit
  // (the rightmost payload digit is doubled); digits of products are summed.
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export function refIsLuhnValid(pan: string): boolean {
  if (pan.length < 2 || !isDigits(pan)) return false;
  return refLuhnCheckDigit(pan.slice(0, -1)) === pan.slice(-1);
}

// ---------------------------------------------------------------------------
// Decimalization shared by CVV and PVV
// ---------------------------------------------------------------------------

/**
 * Scan the hex digits left to right keeping 0-9; if fewer than `count`, scan
 * again left to right taking A-F mapped to 0-5. Return the first `count` digits.
 */
function decimalize(hex: string, count: number): string {
  let out = '';
  for (const ch of hex) if (ch >= '0' && ch <= '9') out += ch;
  if (out.length < count) {
    for (const ch of hex) {
      if (ch >= 'A' && ch <= 'F') out += String(ch.charCodeAt(0) - 65);
    }
  }
  return out.slice(0, count);
}

/** Pack an even-length string of hex/decimal digits into bytes (BCD nibbles). */
function packDigits(digits: string): Uint8Array {
  return hexToBytes(digits);
}

// ---------------------------------------------------------------------------
// Visa CVV
// ---------------------------------------------------------------------------

export function refCvv(cvk16: Uint8Array, pan: string, expiry: string, serviceCode: string): string {
  if (cvk16.length !== 16) throw new Error('CVK must be 16 bytes (KA ‖ KB)');
  if (!isDigits(pan) || !isDigits(expiry) || !isDigits(serviceCode)) {
    throw new Error('PAN, expiry and service code must be digits');
  }
  const ka = cvk16.subarray(0, 8);
  const kb = cvk16.subarray(8, 16);
  const data = pan + expiry + serviceCode;
  if (data.length > 32) throw new Error('PAN ‖ expiry ‖ service code exceeds 32 digits');
  const padded = data.padEnd(32, '0');
  const block1 = packDigits(padded.slice(0, 16));
  const block2 = packDigits(padded.slice(16, 32));
  // C = DES_KA(block1) XOR block2
  const c = xorBytes(refDesEcbEncrypt(ka, block1), block2);
  // R = E_KA(D_KB(E_KA(C)))  -- written out with single-DES steps.
  const r = refDesEcbEncrypt(ka, refDesEcbDecrypt(kb, refDesEcbEncrypt(ka, c)));
  return decimalize(bytesToHex(r), 3);
}

// ---------------------------------------------------------------------------
// Visa PVV
// ---------------------------------------------------------------------------

export function refVisaPvv(pvk: Uint8Array, pan: string, pvki: string, pin: string): string {
  if (!isDigits(pan) || pan.length < 12) throw new Error('PAN must be at least 12 digits');
  if (!/^[0-9]$/.test(pvki)) throw new Error('PVKI must be one digit');
  if (!isDigits(pin) || pin.length < 4) throw new Error('PIN must be at least 4 digits');
  // TSP = 11 rightmost PAN digits excluding the check digit ‖ PVKI ‖ 4 leftmost PIN digits.
  const panNoCheck = pan.slice(0, -1);
  const tsp = panNoCheck.slice(-11) + pvki + pin.slice(0, 4);
  const enc = refDesEcbEncrypt(pvk, packDigits(tsp));
  return decimalize(bytesToHex(enc), 4);
}

// ---------------------------------------------------------------------------
// IBM 3624
// ---------------------------------------------------------------------------

export function refIbm3624Pin(
  pvk: Uint8Array,
  validationDataHex16: string,
  decTable16: string,
  pinLength: number,
): string {
  if (!/^[0-9A-Fa-f]{16}$/.test(validationDataHex16)) {
    throw new Error('validation data must be 16 hex digits');
  }
  if (!/^[0-9]{16}$/.test(decTable16)) throw new Error('decimalization table must be 16 digits');
  if (!Number.isInteger(pinLength) || pinLength < 1 || pinLength > 16) {
    throw new Error('PIN length must be 1..16');
  }
  const enc = bytesToHex(refDesEcbEncrypt(pvk, hexToBytes(validationDataHex16)));
  let natural = '';
  for (const nibble of enc) natural += decTable16[parseInt(nibble, 16)] as string;
  return natural.slice(0, pinLength);
}

export function refIbm3624Offset(
  pvk: Uint8Array,
  validationDataHex16: string,
  decTable16: string,
  pin: string,
): string {
  if (!isDigits(pin)) throw new Error('PIN must be digits');
  const natural = refIbm3624Pin(pvk, validationDataHex16, decTable16, pin.length);
  let offset = '';
  for (let i = 0; i < pin.length; i++) {
    const p = pin.charCodeAt(i) - 48;
    const n = natural.charCodeAt(i) - 48;
    offset += String((p - n + 10) % 10);
  }
  return offset;
}

// ---------------------------------------------------------------------------
// ISO 9564-1 PIN blocks
// ---------------------------------------------------------------------------

function checkPin(pin: string, maxLength: number): void {
  if (!isDigits(pin) || pin.length < 1 || pin.length > maxLength) {
    throw new Error(`PIN must be 1..${maxLength} decimal digits`);
  }
}

/** PIN length as one hex nibble (4 -> '4', 12 -> 'C'). */
function lengthNibble(pin: string): string {
  return pin.length.toString(16).toUpperCase();
}

/**
 * Formats 0 and 3 account number field: 0000 ‖ 12 rightmost PAN digits
 * excluding the check digit, left-padded with '0' when fewer are available.
 */
function panField03(pan: string): Uint8Array {
  if (!isDigits(pan) || pan.length < 2) throw new Error('PAN must be at least 2 digits');
  const withoutCheck = pan.slice(0, -1);
  const twelve = withoutCheck.slice(-12).padStart(12, '0');
  return hexToBytes(`0000${twelve}`);
}

/** Parse a 16-nibble plain PIN field of formats 0-3; return [control, pin, fill]. */
function parsePinField(field: Uint8Array): { control: string; pin: string; fill: string } {
  const hex = bytesToHex(field);
  const control = hex[0] as string;
  const len = parseInt(hex[1] as string, 16);
  if (len < 1 || len > 14) throw new Error(`invalid PIN length nibble ${hex[1]}`);
  const pin = hex.slice(2, 2 + len);
  if (!isDigits(pin)) throw new Error('PIN digits are not decimal');
  return { control, pin, fill: hex.slice(2 + len) };
}

export function refEncodeIso0(pin: string, pan: string): Uint8Array {
  checkPin(pin, 14);
  const pinField = hexToBytes(`0${lengthNibble(pin)}${pin}`.padEnd(16, 'F'));
  return xorBytes(pinField, panField03(pan));
}

export function refDecodeIso0(block: Uint8Array, pan: string): string {
  if (block.length !== 8) throw new Error('format 0 PIN block must be 8 bytes');
  const f = parsePinField(xorBytes(block, panField03(pan)));
  if (f.control !== '0') throw new Error(`not format 0 (control ${f.control})`);
  if (!/^F*$/.test(f.fill)) throw new Error('format 0 fill must be F');
  return f.pin;
}

export function refEncodeIso1(pin: string, fill: string): Uint8Array {
  checkPin(pin, 14);
  if (fill.length !== 14 - pin.length || !/^[0-9A-Fa-f]*$/.test(fill)) {
    throw new Error(`format 1 fill must be ${14 - pin.length} hex nibbles`);
  }
  return hexToBytes(`1${lengthNibble(pin)}${pin}${fill.toUpperCase()}`);
}

export function refDecodeIso1(block: Uint8Array): string {
  if (block.length !== 8) throw new Error('format 1 PIN block must be 8 bytes');
  const f = parsePinField(block);
  if (f.control !== '1') throw new Error(`not format 1 (control ${f.control})`);
  return f.pin;
}

export function refEncodeIso2(pin: string): Uint8Array {
  checkPin(pin, 14);
  return hexToBytes(`2${lengthNibble(pin)}${pin}`.padEnd(16, 'F'));
}

export function refDecodeIso2(block: Uint8Array): string {
  if (block.length !== 8) throw new Error('format 2 PIN block must be 8 bytes');
  const f = parsePinField(block);
  if (f.control !== '2') throw new Error(`not format 2 (control ${f.control})`);
  if (!/^F*$/.test(f.fill)) throw new Error('format 2 fill must be F');
  return f.pin;
}

export function refEncodeIso3(pin: string, pan: string, fill: string): Uint8Array {
  checkPin(pin, 14);
  if (fill.length !== 14 - pin.length || !/^[A-Fa-f]*$/.test(fill)) {
    throw new Error(`format 3 fill must be ${14 - pin.length} nibbles in A-F`);
  }
  const pinField = hexToBytes(`3${lengthNibble(pin)}${pin}${fill.toUpperCase()}`);
  return xorBytes(pinField, panField03(pan));
}

export function refDecodeIso3(block: Uint8Array, pan: string): string {
  if (block.length !== 8) throw new Error('format 3 PIN block must be 8 bytes');
  const f = parsePinField(xorBytes(block, panField03(pan)));
  if (f.control !== '3') throw new Error(`not format 3 (control ${f.control})`);
  if (!/^[A-F]*$/.test(f.fill)) throw new Error('format 3 fill must be in A-F');
  return f.pin;
}

// Format 4 (ISO 9564-1:2017, AES, 16-byte fields).

/** Plain-text PIN field: 4 ‖ L ‖ PIN ‖ 'A' fill to 16 nibbles ‖ 8 random bytes. */
function pinField4(pin: string, fill8: Uint8Array): Uint8Array {
  checkPin(pin, 14);
  if (fill8.length !== 8) throw new Error('format 4 random fill must be 8 bytes');
  const first = hexToBytes(`4${lengthNibble(pin)}${pin}`.padEnd(16, 'A'));
  return concatBytes(first, fill8);
}

/**
 * Plain-text PAN field: M ‖ PAN ‖ '0' padding to 32 nibbles, where M is
 * (PAN length − 12); PANs shorter than 12 digits are left-padded with '0'
 * to 12 digits and M = 0.
 */
function panField4(pan: string): Uint8Array {
  if (!isDigits(pan) || pan.length < 1 || pan.length > 19) {
    throw new Error('format 4 PAN must be 1..19 digits');
  }
  const m = pan.length < 12 ? 0 : pan.length - 12;
  const digits = pan.length < 12 ? pan.padStart(12, '0') : pan;
  return hexToBytes((m.toString(16).toUpperCase() + digits).padEnd(32, '0'));
}

export function refEncipherIso4(key: Uint8Array, pin: string, pan: string, fill8: Uint8Array): Uint8Array {
  const intermediateA = refAesEcbEncrypt(key, pinField4(pin, fill8));
  const intermediateB = xorBytes(intermediateA, panField4(pan));
  return refAesEcbEncrypt(key, intermediateB);
}

export function refDecipherIso4(key: Uint8Array, block16: Uint8Array, pan: string): string {
  if (block16.length !== 16) throw new Error('format 4 PIN block must be 16 bytes');
  const intermediateB = refAesEcbDecrypt(key, block16);
  const intermediateA = xorBytes(intermediateB, panField4(pan));
  const field = bytesToHex(refAesEcbDecrypt(key, intermediateA));
  if (field[0] !== '4') throw new Error(`not format 4 (control ${field[0]})`);
  const len = parseInt(field[1] as string, 16);
  if (len < 1 || len > 14) throw new Error(`invalid PIN length nibble ${field[1]}`);
  const pin = field.slice(2, 2 + len);
  if (!isDigits(pin)) throw new Error('PIN digits are not decimal');
  if (!/^A*$/.test(field.slice(2 + len, 16))) throw new Error('format 4 fill must be A');
  return pin;
}
