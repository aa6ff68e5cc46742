// The implementations a user would write instead of cardhsm, against which it is measured: node:crypto (OpenSSL)
// used the straightforward way (a cipher per operation, or one reused cipher) and the best hand-batched way
// (one ECB call over many blocks), node-forge, and @noble/ciphers' FF1.
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import forge from 'node-forge';
import { FF1 } from '@noble/ciphers/ff1.js';

// ---- DES / TDES -------------------------------------------------------------------------------------------

/** node:crypto ECB cipher for an 8/16/24-byte key (single DES as des-ede with K||K: Node 20 rejects des-ecb). */
export function nodeEcb(key: Uint8Array, decrypt = false) {
  const k = Buffer.from(key.length === 8 ? Buffer.concat([key, key]) : key);
  const alg = k.length === 24 ? 'des-ede3' : 'des-ede';
  const c = decrypt ? createDecipheriv(alg, k, null) : createCipheriv(alg, k, null);
  c.setAutoPadding(false);
  return c;
}

export function nodeDesPerOp(key: Uint8Array, data: Uint8Array): Buffer {
  const c = nodeEcb(key);
  return Buffer.concat([c.update(data), c.final()]);
}

export function forgeEcb(key: Uint8Array, decrypt = false) {
  const k = key.length === 16 ? Buffer.concat([key, key.subarray(0, 8)]) : Buffer.from(key);
  const raw = forge.util.binary.raw.encode(k);
  const alg = k.length === 8 ? 'DES-ECB' : '3DES-ECB';
  const c = decrypt ? forge.cipher.createDecipher(alg, raw) : forge.cipher.createCipher(alg, raw);
  return (data: Uint8Array): Buffer => {
    c.start({});
    c.update(forge.util.createBuffer(forge.util.binary.raw.encode(data)));
    return Buffer.from(c.output.getBytes(), 'binary');
  };
}

/** One ECB operation over whole blocks, the way a peer does it. */
export type EcbOp = (data: Uint8Array) => Buffer;

/** node:crypto with one reused cipher. */
export const nodeReusedOp = (key: Uint8Array, decrypt = false): EcbOp => {
  const c = nodeEcb(key, decrypt);
  return (data) => c.update(data);
};

/** node:crypto with a cipher made per operation. */
export const nodePerOp =
  (key: Uint8Array, decrypt = false): EcbOp =>
  (data) =>
    nodeEcb(key, decrypt).update(data);

// ---- CVV ---------------------------------------------------------------------------------------------------

export function decimalize(block: Buffer, count: number): string {
  const h = block.toString('hex').toUpperCase();
  let out = '';
  for (const c of h) if (c <= '9' && out.length < count) out += c;
  for (const c of h) if (c > '9' && out.length < count) out += String(c.charCodeAt(0) - 65);
  return out;
}

/** Decimalization nibble by nibble from the result bytes (no hex string): the fastest straightforward way. */
export function decimalizeNibbles(block: Uint8Array, count: number): string {
  let out = '';
  for (let i = 0; i < 16 && out.length < count; i++) {
    const n = (block[i >> 1]! >> (i & 1 ? 0 : 4)) & 15;
    if (n < 10) out += n;
  }
  for (let i = 0; i < 16 && out.length < count; i++) {
    const n = (block[i >> 1]! >> (i & 1 ? 0 : 4)) & 15;
    if (n >= 10) out += n - 10;
  }
  return out;
}

const cvvData = (pan: string, expiry: string, sc: string): Buffer =>
  Buffer.from((pan + expiry + sc).padEnd(32, '0'), 'hex');

/** The CVV method with ciphers made per call. */
export function nodeCvvPerOp(cvk: Uint8Array, pan: string, expiry: string, sc: string): string {
  const d = cvvData(pan, expiry, sc);
  const c1 = nodeEcb(cvk.subarray(0, 8)).update(d.subarray(0, 8));
  for (let i = 0; i < 8; i++) c1[i]! ^= d[8 + i]!;
  return decimalize(nodeEcb(cvk).update(c1), 3);
}

/** The CVV method with two reused ciphers (ECB keeps no state between blocks). */
export function nodeCvvReused(cvk: Uint8Array) {
  const single = nodeEcb(cvk.subarray(0, 8));
  const double = nodeEcb(cvk);
  return (pan: string, expiry: string, sc: string): string => {
    const d = cvvData(pan, expiry, sc);
    const c1 = single.update(d.subarray(0, 8));
    for (let i = 0; i < 8; i++) c1[i]! ^= d[8 + i]!;
    return decimalize(double.update(c1), 3);
  };
}

/** The CVV method with two reused ciphers and nibble-wise decimalization: the best single-CVV peer. */
export function nodeCvvReusedNibbles(cvk: Uint8Array) {
  const single = nodeEcb(cvk.subarray(0, 8));
  const double = nodeEcb(cvk);
  return (pan: string, expiry: string, sc: string): string => {
    const d = cvvData(pan, expiry, sc);
    const c1 = single.update(d.subarray(0, 8));
    for (let i = 0; i < 8; i++) c1[i]! ^= d[8 + i]!;
    return decimalizeNibbles(double.update(c1), 3);
  };
}

/** The CVV method hand-batched: one ECB call over all first blocks, one over all XORed blocks. */
export function nodeCvvBatched(cvk: Uint8Array) {
  const single = nodeEcb(cvk.subarray(0, 8));
  const double = nodeEcb(cvk);
  return (items: readonly { pan: string; expiry: string; serviceCode: string }[]): string[] => {
    const first = Buffer.allocUnsafe(items.length * 8);
    const second = Buffer.allocUnsafe(items.length * 8);
    items.forEach((it, i) => {
      const d = cvvData(it.pan, it.expiry, it.serviceCode);
      d.copy(first, i * 8, 0, 8);
      d.copy(second, i * 8, 8, 16);
    });
    const c1 = single.update(first);
    for (let i = 0; i < c1.length; i++) c1[i]! ^= second[i]!;
    const c2 = double.update(c1);
    return items.map((_, i) => decimalize(c2.subarray(i * 8, i * 8 + 8), 3));
  };
}

export function forgeCvv(cvk: Uint8Array) {
  const single = forgeEcb(cvk.subarray(0, 8));
  const double = forgeEcb(cvk);
  return (pan: string, expiry: string, sc: string): string => {
    const d = cvvData(pan, expiry, sc);
    const c1 = single(d.subarray(0, 8));
    for (let i = 0; i < 8; i++) c1[i]! ^= d[8 + i]!;
    return decimalize(double(c1), 3);
  };
}

// ---- PVV, PIN blocks ---------------------------------------------------------------------------------------

/** Visa PVV: the TSP (11 PAN digits, PVKI, 4 PIN digits) encrypted under the PVK, decimalized to 4 digits. */
export function pvvWith(encrypt: EcbOp) {
  return (pan: string, pvki: string, pin: string): string =>
    decimalize(encrypt(Buffer.from(pan.slice(-12, -1) + pvki + pin.slice(0, 4), 'hex')), 4);
}

/** The ISO 0 PAN field: 0000 || the 12 rightmost PAN digits before the check digit. */
const iso0PanField = (pan: string): Buffer => Buffer.from(`0000${pan.slice(-13, -1).padStart(12, '0')}`, 'hex');

function iso0(pin: string, pan: string): Buffer {
  const pinField = Buffer.from(`0${pin.length.toString(16)}${pin}`.padEnd(16, 'F'), 'hex');
  const panField = iso0PanField(pan);
  return Buffer.from(pinField.map((b, i) => b ^ panField[i]!));
}

export function iso0EncryptWith(encrypt: EcbOp) {
  return (pin: string, pan: string): Buffer => encrypt(iso0(pin, pan));
}

/** ZPK -> ZPK translation of an ISO 0 block, with clear keys. */
export function translateWith(decrypt: EcbOp, encrypt: EcbOp) {
  return (block: Uint8Array, pan: string): Buffer => {
    const clear = decrypt(block);
    const panField = iso0PanField(pan);
    const field = Buffer.from(clear.map((b, i) => b ^ panField[i]!)).toString('hex');
    const len = parseInt(field[1]!, 16);
    return encrypt(iso0(field.slice(2, 2 + len), pan));
  };
}

// ---- FF1, tokens, PANs ---------------------------------------------------------------------------------------

const luhnOk = (digits: number[]): boolean => {
  let sum = 0;
  for (let i = digits.length - 1, dbl = false; i >= 0; i--, dbl = !dbl) {
    let x = digits[i]!;
    if (dbl) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
    sum += x;
  }
  return sum % 10 === 0;
};

export function luhnDigit(s: string): string {
  const d = [...s, '0'].map(Number);
  for (let c = 0; c < 10; c++) {
    d[d.length - 1] = c;
    if (luhnOk(d)) return String(c);
  }
  throw new Error('unreachable');
}

/** cardhsm's default token ('invalid': bump the last middle digit, then cycle-walk until Luhn fails) with noble's FF1. */
export function nobleToken(key: Uint8Array) {
  const ff1 = FF1(10, key);
  return (pan: string): string => {
    const left = [...pan.slice(0, 6)].map(Number);
    const right = [...pan.slice(12)].map(Number);
    let middle = [...pan.slice(6, 12)].map(Number);
    middle[5] = (middle[5]! + 1) % 10;
    do middle = ff1.encrypt(middle);
    while (luhnOk([...left, ...middle, ...right]));
    return [...left, ...middle, ...right].join('');
  };
}

/** A PAN from a counter: prefix || FF1(counter) || Luhn, with noble's FF1. */
export function noblePan(key: Uint8Array, bin: string, bodyDigits: number) {
  const ff1 = FF1(
    10,
    key,
    Uint8Array.from(bin, (c) => c.charCodeAt(0)),
  );
  return (counter: number): string => {
    const body = ff1.encrypt([...String(counter).padStart(bodyDigits, '0')].map(Number)).join('');
    return bin + body + luhnDigit(bin + body);
  };
}

// ---- Dynamic CVV2 ------------------------------------------------------------------------------------------

export function nodeDcvv2(imk: Uint8Array, pan: string, psn: string, expiry: string, window: number): string {
  const kdf = Buffer.concat([
    Buffer.from([0, 0, 0, 1]),
    Buffer.from('TW-DCVV2'),
    Buffer.from([0]),
    Buffer.from(`${pan}|${psn}|${expiry}`),
    Buffer.from([0, 0, 1, 0]),
  ]);
  const card = createHmac('sha256', imk).update(kdf).digest();
  const c = Buffer.alloc(8);
  c.writeBigUInt64BE(BigInt(window));
  const mac = createHmac('sha256', card).update(c).digest();
  const off = mac[31]! & 15;
  return String((mac.readUInt32BE(off) & 0x7fffffff) % 1000).padStart(3, '0');
}

// ---- ISO/IEC 9797-1 and EMV ----------------------------------------------------------------------------------

const zeroIv = Buffer.alloc(8);

/** DES key as node:crypto takes it (Node 20 has no des-cbc: single DES is EDE with K || K). */
const single = (k: Uint8Array): Buffer => Buffer.concat([k, k]);

function parity(b: Buffer): Buffer {
  for (let i = 0; i < b.length; i++) {
    let ones = 0;
    for (let v = b[i]! >> 1; v; v >>= 1) ones += v & 1;
    b[i] = (b[i]! & 0xfe) | ((ones & 1) ^ 1);
  }
  return b;
}

/**
 * ISO/IEC 9797-1 MAC algorithm 3 (retail MAC) with node:crypto: a DES-CBC cipher per message for the chaining,
 * then D(K') E(K) on the last block with two reused ECB ciphers. `padding` 1 or 2.
 */
export function nodeRetailMac(key: Uint8Array) {
  const d = createDecipheriv('des-ede', single(key.subarray(8, 16)), null);
  d.setAutoPadding(false);
  const e = nodeEcb(key.subarray(0, 8));
  return (data: Uint8Array, padding: 1 | 2): Buffer => {
    const n = padding === 2 ? (data.length >> 3) + 1 : Math.max(1, Math.ceil(data.length / 8));
    const padded = Buffer.alloc(n * 8);
    padded.set(data);
    if (padding === 2) padded[data.length] = 0x80;
    const c = createCipheriv('des-ede-cbc', single(key.subarray(0, 8)), zeroIv);
    c.setAutoPadding(false);
    const h = c.update(padded).subarray(-8);
    return e.update(d.update(h));
  };
}

/** EMV Option A ICC master key with one reused IMK cipher: Y || ~Y in one update, then parity. */
export function nodeIccMk(imk: Uint8Array) {
  const c = nodeEcb(imk);
  return (pan: string, psn: string): Buffer => {
    const y = Buffer.from((pan + psn).slice(-16).padStart(16, '0'), 'hex');
    return parity(c.update(Buffer.concat([y, Buffer.from(y.map((b) => b ^ 0xff))])));
  };
}

/** Option A for many cards hand-batched: every Y || ~Y in one buffer, one ECB update, parity over all; the keys as
 * one flat buffer (card i at 16i), as cardhsm's batch returns them. */
export function nodeIccMkBatched(imk: Uint8Array) {
  const c = nodeEcb(imk);
  return (cards: readonly { pan: string; psn: string }[]): Buffer => {
    const buf = Buffer.allocUnsafe(cards.length * 16);
    cards.forEach((card, i) => {
      buf.write((card.pan + card.psn).slice(-16).padStart(16, '0'), i * 16, 'hex');
      for (let k = 0; k < 8; k++) buf[i * 16 + 8 + k] = buf[i * 16 + k]! ^ 0xff;
    });
    return parity(c.update(buf));
  };
}

/**
 * Visa CVN 18 ARQC verification with node:crypto, as a host would write it: the ICC MK (Option A) under a reused IMK
 * cipher, the common session key under a cipher made from the MK, and the retail MAC (padding 2) under ciphers made
 * from the session key.
 */
export function nodeArqcCvn18(imk: Uint8Array) {
  const mkOf = nodeIccMk(imk);
  return (pan: string, psn: string, atc: Uint8Array, data: Uint8Array, arqc: Uint8Array): boolean => {
    const mk = mkOf(pan, psn);
    const r = Buffer.alloc(16);
    r.set(atc, 0);
    r.set(atc, 8);
    r[2] = 0xf0;
    r[10] = 0x0f;
    const sk = parity(nodeEcb(mk).update(r));
    return nodeRetailMac(sk)(data, 2).equals(arqc);
  };
}

// ---- DUKPT ---------------------------------------------------------------------------------------------------
// TDES DUKPT (X9.24-1) and AES DUKPT (X9.24-3) PIN translation with node:crypto, written the straightforward way:
// the BDK's and the ZPK's ciphers made once and reused; every key the derivation walk produces needs a cipher of
// its own, made when needed.

const C0 = Buffer.from('C0C0C0C000000000C0C0C0C000000000', 'hex');
const xorBuf = (a: Uint8Array, b: Uint8Array): Buffer => Buffer.from(a.map((v, i) => v ^ b[i]!));

/** One DES block under a single-DES key (des-ede with K || K: Node 20 rejects des-ecb). */
const desOnce = (key8: Uint8Array, block: Uint8Array): Buffer => nodeEcb(key8).update(block);

/** ISO 0 -> ISO 0 translation from a TDES DUKPT terminal to a ZPK. */
export function nodeTdesDukptTranslate(bdk: Uint8Array, zpk: Uint8Array) {
  const left = nodeEcb(bdk);
  const right = nodeEcb(xorBuf(bdk, C0));
  const encrypt = nodeReusedOp(zpk);
  return (ksn: Uint8Array, block: Uint8Array, pan: string): Buffer => {
    const id = Buffer.from(ksn.subarray(0, 8));
    id[7]! &= 0xe0;
    let key: Buffer = Buffer.concat([left.update(id), right.update(id)]);
    const counter = ((ksn[7]! & 0x1f) << 16) | (ksn[8]! << 8) | ksn[9]!;
    const reg = Buffer.from(ksn.subarray(2, 10));
    reg[5]! &= 0xe0;
    reg[6] = 0;
    reg[7] = 0;
    for (let bit = 20; bit >= 0; bit--) {
      if (!((counter >> bit) & 1)) continue;
      reg[7 - (bit >> 3)]! |= 1 << (bit & 7);
      const r2 = xorBuf(desOnce(key.subarray(0, 8), xorBuf(reg, key.subarray(8))), key.subarray(8));
      const k = xorBuf(key, C0);
      const r1 = xorBuf(desOnce(k.subarray(0, 8), xorBuf(reg, k.subarray(8))), k.subarray(8));
      key = Buffer.concat([r1, r2]);
    }
    key[7]! ^= 0xff;
    key[15]! ^= 0xff;
    const clear = nodeEcb(key, true).update(block);
    const panField = iso0PanField(pan);
    const field = Buffer.from(clear.map((b, i) => b ^ panField[i]!)).toString('hex');
    return encrypt(iso0(field.slice(2, 2 + parseInt(field[1]!, 16)), pan));
  };
}

/** ISO 4 (AES DUKPT, AES-128 PIN key) -> ISO 0 under a ZPK. */
export function nodeAesDukptTranslate(bdk: Uint8Array, zpk: Uint8Array) {
  const bits = bdk.length * 8;
  const alg = `aes-${bits}-ecb`;
  const bdkCipher = createCipheriv(alg, bdk, null).setAutoPadding(false);
  const encrypt = nodeReusedOp(zpk);
  const data = (usage: number, algorithm: number, length: number, context: Uint8Array, block = 1) => {
    const d = Buffer.alloc(16);
    d[0] = 1;
    d[1] = block;
    d.writeUInt16BE(usage, 2);
    d.writeUInt16BE(algorithm, 4);
    d.writeUInt16BE(length, 6);
    Buffer.from(context).copy(d, 8);
    return d;
  };
  const derive = (key: Uint8Array, usage: number, algorithm: number, length: number, context: Uint8Array): Buffer => {
    const c = createCipheriv(`aes-${key.length * 8}-ecb`, key, null).setAutoPadding(false);
    const out = [c.update(data(usage, algorithm, length, context))];
    if (length > 128) out.push(c.update(data(usage, algorithm, length, context, 2)));
    return Buffer.concat(out).subarray(0, length / 8);
  };
  return (ksn: Uint8Array, block: Uint8Array, pan: string): Buffer => {
    const bdkData = (b: number) => data(0x8001, bits / 64 + 0, bits, ksn.subarray(0, 8), b);
    let key: Buffer = Buffer.concat([
      bdkCipher.update(bdkData(1)),
      ...(bits > 128 ? [bdkCipher.update(bdkData(2))] : []),
    ]).subarray(0, bits / 8);
    const counter = Buffer.from(ksn).readUInt32BE(8);
    const context = Buffer.from(ksn.subarray(4, 12));
    let walked = 0;
    for (let bit = 31; bit >= 0; bit--) {
      const mask = 2 ** bit;
      if (Math.floor(counter / mask) % 2 === 0) continue;
      walked += mask;
      context.writeUInt32BE(walked, 4);
      key = derive(key, 0x8000, bits / 64, bits, context);
    }
    context.writeUInt32BE(counter, 4);
    const pinKey = derive(key, 0x1000, 2, 128, context);
    const d = createDecipheriv('aes-128-ecb', pinKey, null).setAutoPadding(false);
    const inner = d.update(block);
    const panField = Buffer.from(((pan.length - 12).toString(16) + pan).padEnd(32, '0'), 'hex');
    const field = d.update(Buffer.from(inner.map((b, i) => b ^ panField[i]!))).toString('hex');
    return encrypt(iso0(field.slice(2, 2 + parseInt(field[1]!, 16)), pan));
  };
}
