// An independent implementation of TW-DCVV2 v1, written from the specification in README.md over node:crypto
// only (HMAC-SHA-256, DES-EDE), for known answers and differential tests. Clarity over speed.
import { createHmac, createCipheriv } from 'node:crypto';

function hmac(key: Buffer, data: Buffer): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** RFC 4226 5.3 dynamic truncation of an HMAC-SHA-256 value, mod 10^digits. */
function truncate(mac: Buffer, digits: number): string {
  const offset = mac[mac.length - 1]! & 0x0f;
  const bin = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(bin % 10 ** digits).padStart(digits, '0');
}

export function refWindow(atMs: number, windowSeconds: number): number {
  return Math.floor(Math.floor(atMs / 1000) / windowSeconds);
}

/** HMAC profile. */
export function refHmacCode(
  imk: Uint8Array,
  pan: string,
  psn: string,
  expiry: string,
  window: number,
  digits: number,
): string {
  const context = Buffer.from(`${pan}|${psn}|${expiry}`, 'ascii');
  const kdfInput = Buffer.concat([
    Buffer.from([0, 0, 0, 1]),
    Buffer.from('TW-DCVV2', 'ascii'),
    Buffer.from([0]),
    context,
    Buffer.from([0, 0, 1, 0]),
  ]);
  const cardKey = hmac(Buffer.from(imk), kdfInput);
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(window));
  return truncate(hmac(cardKey, counter), digits);
}

function tdes(key: Buffer, block: Buffer): Buffer {
  const c = createCipheriv(
    key.length === 8 ? 'des-ede' : 'des-ede',
    key.length === 8 ? Buffer.concat([key, key]) : key,
    null,
  );
  c.setAutoPadding(false);
  return Buffer.concat([c.update(block), c.final()]);
}

function oddParity(b: number): number {
  let ones = 0;
  for (let i = 1; i < 8; i++) ones += (b >> i) & 1;
  return (b & 0xfe) | (ones % 2 === 0 ? 1 : 0);
}

/** EMV Book 2 A1.4.1 Option A: ZL = TDES(IMK, Y), ZR = TDES(IMK, Y xor FF..FF), Y = rightmost 16 digits of PAN || PSN. */
export function refOptionA(imk: Uint8Array, pan: string, psn: string): Buffer {
  const y = Buffer.from((pan + psn).slice(-16).padStart(16, '0'), 'hex');
  const zl = tdes(Buffer.from(imk), y);
  const zr = tdes(Buffer.from(imk), Buffer.from(y.map((b) => b ^ 0xff)));
  return Buffer.from([...zl, ...zr].map(oddParity));
}

/** TDES profile: the Visa CVV method under the card key over PAN || YYMM || C(8 digits), first `digits` digits. */
export function refTdesCode(
  imk: Uint8Array,
  pan: string,
  psn: string,
  expiry: string,
  window: number,
  digits: number,
): string {
  const key = refOptionA(imk, pan, psn);
  const data = (pan + expiry + String(window % 1e8).padStart(8, '0')).padEnd(32, '0');
  const b1 = Buffer.from(data.slice(0, 16), 'hex');
  const b2 = Buffer.from(data.slice(16), 'hex');
  const c1 = tdes(key.subarray(0, 8), b1);
  const x = Buffer.from(c1.map((b, i) => b ^ b2[i]!));
  const hex = tdes(key, x).toString('hex').toUpperCase();
  const decimals =
    [...hex].filter((c) => c <= '9').join('') +
    [...hex]
      .filter((c) => c > '9')
      .map((c) => String(c.charCodeAt(0) - 65))
      .join('');
  return decimals.slice(0, digits);
}
