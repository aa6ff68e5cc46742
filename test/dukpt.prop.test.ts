// DUKPT properties: PINs survive translation (DUKPT -> ZPK, DUKPT -> DUKPT, and back to a terminal's key); every
// counter a device never uses is refused; every one-bit change of a KSN changes the key (or is refused); MACs
// verify and any one-bit change fails them; data round-trips; batches equal single calls; results are fresh and
// inputs untouched; arbitrary input returns or throws CardHsmError; no derived key or PIN stays in WASM memory.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/index.js';
import { kernel } from '../src/wasm/_loader.js';
import { anyPin as pin, bytesOf, digits, junk } from './helpers/arb.js';
import { aesKsn, tdesKsn } from './helpers/dukpt-arb.js';

const pan = digits(12, 19);
const aesBdk = fc.constantFrom(16, 24, 32).chain(bytesOf);
const popcount = (n: number) => n.toString(2).replace(/0/g, '').length;
const flip = (bytes: Uint8Array, bit: number) => {
  const out = bytes.slice();
  out[bit >> 3]! ^= 0x80 >> (bit & 7);
  return out;
};
/** The call's result differs from `key`, or it refuses the input with a CardHsmError. */
function differsOrRefuses(fn: () => Uint8Array, key: Uint8Array): void {
  try {
    expect(fn()).not.toEqual(key);
  } catch (e) {
    if (!(e instanceof api.CardHsmError)) throw e;
  }
}

describe('PIN round trips', () => {
  test('TDES DUKPT (ISO 0/1/3) -> ZPK -> decodes to the PIN; -> another DUKPT side -> that terminal decrypts the PIN', () => {
    fc.assert(
      fc.property(
        bytesOf(16),
        tdesKsn,
        bytesOf(16),
        tdesKsn,
        pin,
        pan,
        fc.constantFrom<0 | 1 | 3>(0, 1, 3),
        bytesOf(24),
        (bdk, ksn, bdk2, ksn2, p, a, format, zpk) => {
          const block = api.encryptDukptPinBlock({ bdk, ksn, format, pin: p, pan: a });
          const toFormat = format === 1 ? 1 : 3;
          const out = api.translateDukptPinBlock({
            pinBlock: block,
            pan: a,
            from: { bdk, ksn, format },
            to: { key: zpk, format: toFormat },
          });
          const clear = api.tdesDecryptEcb(zpk, out);
          expect(toFormat === 1 ? api.decodePinBlockIso1(clear) : api.decodePinBlockIso3(clear, a)).toBe(p);
          const other = api.translateDukptPinBlock({
            pinBlock: block,
            pan: a,
            from: { bdk, ksn, format },
            to: { bdk: bdk2, ksn: ksn2, format },
          });
          expect(api.decryptDukptPinBlock({ bdk: bdk2, ksn: ksn2, format, pinBlock: other, pan: a })).toBe(p);
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('AES DUKPT ISO 4 -> ISO 4 under an AES key, -> TDES DUKPT ISO 0 and back from it', () => {
    fc.assert(
      fc.property(
        aesBdk,
        aesKsn,
        bytesOf(16),
        tdesKsn,
        pin,
        pan,
        fc.constantFrom(16, 24, 32).chain(bytesOf),
        (bdk, ksn, bdk2, ksn2, p, a, aesZpk) => {
          const block = api.encryptDukptPinBlock({ bdk, ksn, format: 4, pin: p, pan: a });
          const iso4 = api.translateDukptPinBlock({
            pinBlock: block,
            pan: a,
            from: { bdk, ksn, format: 4 },
            to: { key: aesZpk, format: 4 },
          });
          expect(api.decipherPinBlockIso4(aesZpk, iso4, a)).toBe(p);
          const tdes = api.translateDukptPinBlock({
            pinBlock: block,
            pan: a,
            from: { bdk, ksn, format: 4 },
            to: { bdk: bdk2, ksn: ksn2, format: 0 },
          });
          const back = api.translateDukptPinBlock({
            pinBlock: tdes,
            pan: a,
            from: { bdk: bdk2, ksn: ksn2, format: 0 },
            to: { bdk, ksn, format: 4 },
          });
          expect(api.decryptDukptPinBlock({ bdk, ksn, format: 4, pinBlock: back, pan: a })).toBe(p);
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('a block for another KSN, BDK or PAN does not translate (ERR_PINBLOCK_FORMAT), nor turn into another PIN silently', () => {
    fc.assert(
      fc.property(bytesOf(16), tdesKsn, pin, pan, fc.nat({ max: 79 }), (bdk, ksn, p, a, bit) => {
        const block = api.encryptDukptPinBlock({ bdk, ksn, format: 0, pin: p, pan: a });
        const zpk = { key: bdk, format: 0 as const };
        try {
          const out = api.translateDukptPinBlock({
            pinBlock: block,
            pan: a,
            from: { bdk, ksn: flip(ksn, bit), format: 0 },
            to: zpk,
          });
          // A wrong key decodes by chance only with probability ~2^-20; when it does, the PIN differs.
          expect(api.decodePinBlockIso0(api.tdesDecryptEcb(bdk, out), a)).not.toBe(p);
        } catch (e) {
          expect(e).toBeInstanceOf(api.CardHsmError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('counters a device never uses are refused', () => {
  test('TDES: any 21-bit counter with more than 10 one-bits, and 0', () => {
    fc.assert(
      fc.property(bytesOf(8), fc.integer({ min: 0, max: 0x1fffff }), (id, c) => {
        const ksn = Uint8Array.of(...id.subarray(0, 7), (id[7]! & 0xe0) | (c >>> 16), (c >>> 8) & 0xff, c & 0xff);
        const bdk = new Uint8Array(16).fill(1);
        if (c === 0 || popcount(c) > 10) {
          const e = (() => {
            try {
              api.deriveDukptTransactionKey(bdk, ksn);
            } catch (err) {
              return err as api.CardHsmError;
            }
            return undefined;
          })();
          expect(e?.code).toBe('ERR_FORMAT');
          expect(e?.reason).toBe(c === 0 ? 'COUNTER_ZERO' : 'COUNTER_BITS');
        } else {
          expect(api.deriveDukptTransactionKey(bdk, ksn)).toHaveLength(16);
        }
      }),
      { numRuns: 3000 },
    );
  });

  test('AES: any 32-bit counter with more than 16 one-bits (every one above FFFF0000 among them), and 0', () => {
    fc.assert(
      fc.property(
        bytesOf(8),
        fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0xffff0000, max: 0xffffffff })),
        (id, c) => {
          const ksn = new Uint8Array(12);
          ksn.set(id);
          new DataView(ksn.buffer).setUint32(8, c);
          const bdk = new Uint8Array(16).fill(2);
          const run = () => api.deriveAesDukptWorkingKey(bdk, ksn, { usage: 'PIN_ENCRYPTION' });
          if (c === 0 || popcount(c) > 16) {
            expect(run).toThrow(api.CardHsmError);
          } else {
            expect(c).toBeLessThanOrEqual(0xffff0000);
            expect(run()).toHaveLength(16);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('every one-bit change of a KSN changes the key', () => {
  test('TDES: all 80 bits of the KSN, transaction key (or the change is refused)', () => {
    fc.assert(
      fc.property(bytesOf(16), tdesKsn, (bdk, ksn) => {
        const key = api.deriveDukptTransactionKey(bdk, ksn);
        for (let bit = 0; bit < 80; bit++)
          differsOrRefuses(() => api.deriveDukptTransactionKey(bdk, flip(ksn, bit)), key);
      }),
      { numRuns: 200 },
    );
  });

  test('AES: all 96 bits of the KSN, PIN working key (or the change is refused)', () => {
    fc.assert(
      fc.property(aesBdk, aesKsn, (bdk, ksn) => {
        const key = api.deriveAesDukptWorkingKey(bdk, ksn, { usage: 'PIN_ENCRYPTION' });
        for (let bit = 0; bit < 96; bit++)
          differsOrRefuses(() => api.deriveAesDukptWorkingKey(bdk, flip(ksn, bit), { usage: 'PIN_ENCRYPTION' }), key);
      }),
      { numRuns: 100 },
    );
  });

  test('the IPEK ignores exactly the counter bits: the 59 others change it', () => {
    fc.assert(
      fc.property(bytesOf(16), tdesKsn, fc.nat({ max: 79 }), (bdk, ksn, bit) => {
        const same = api.deriveDukptIpek(bdk, ksn);
        const other = api.deriveDukptIpek(bdk, flip(ksn, bit));
        if (bit >= 59) expect(other).toEqual(same);
        else expect(other).not.toEqual(same);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('MAC and data', () => {
  const source = fc.oneof(fc.record({ bdk: bytesOf(16), ksn: tdesKsn }), fc.record({ bdk: aesBdk, ksn: aesKsn }));
  test('a generated MAC verifies, in full and truncated to 4 bytes; one flipped bit of message or MAC fails', () => {
    fc.assert(
      fc.property(source, fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), (s, m, at) => {
        const mac = api.generateDukptMac(s, m);
        expect(api.verifyDukptMac(s, m, mac)).toBe(true);
        expect(api.verifyDukptMac(s, m, mac.subarray(0, 4))).toBe(true);
        expect(api.verifyDukptMac(s, flip(m, at % (m.length * 8)), mac)).toBe(false);
        expect(api.verifyDukptMac(s, m, flip(mac, at % (mac.length * 8)))).toBe(false);
        expect(api.verifyDukptMac(s, m, mac, { direction: 'RESPONSE' })).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  test('data decrypts to itself, ECB and CBC, both directions', () => {
    fc.assert(
      fc.property(
        source,
        fc.integer({ min: 0, max: 8 }),
        fc.constantFrom<'ECB' | 'CBC'>('ECB', 'CBC'),
        fc.constantFrom<api.DukptDirection>('REQUEST', 'RESPONSE'),
        (s, blocks, mode, direction) => {
          const data = Uint8Array.from({ length: blocks * 16 }, (_, i) => i * 7);
          const c = api.encryptDukptData(s, data, { mode, direction });
          expect(api.decryptDukptData(s, c, { mode, direction })).toEqual(data);
          if (blocks > 0) expect(c).not.toEqual(data);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('shape of results', () => {
  test('batches equal single calls; results are fresh arrays; inputs are never modified', () => {
    fc.assert(
      fc.property(
        bytesOf(16),
        fc.array(tdesKsn, { minLength: 1, maxLength: 20 }),
        aesBdk,
        fc.array(aesKsn, { minLength: 1, maxLength: 20 }),
        (bdk, ksns, abdk, aksns) => {
          const copies = [bdk.slice(), ksns.map((k) => k.slice()), abdk.slice(), aksns.map((k) => k.slice())];
          const batch = api.deriveDukptTransactionKeys(bdk, ksns);
          expect(batch).toEqual(ksns.map((k) => api.deriveDukptTransactionKey(bdk, k)));
          const abatch = api.deriveAesDukptWorkingKeys(abdk, aksns, { usage: 'DATA_BOTH' });
          expect(abatch).toEqual(aksns.map((k) => api.deriveAesDukptWorkingKey(abdk, k, { usage: 'DATA_BOTH' })));
          expect(api.deriveAesDukptTransactionKeys(abdk, aksns)).toEqual(
            aksns.map((k) => api.deriveAesDukptTransactionKey(abdk, k)),
          );
          expect([bdk, ksns, abdk, aksns]).toEqual(copies);
          batch[0]!.fill(0xee);
          expect(api.deriveDukptTransactionKeys(bdk, ksns)[0]).not.toEqual(batch[0]);
          expect(new Set(batch.map((b) => b.buffer)).size).toBe(batch.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('dukptWorkingKey leaves the transaction key as it was', () => {
    fc.assert(
      fc.property(
        bytesOf(16),
        fc.constantFrom<api.DukptVariant>('PIN', 'MAC_REQUEST', 'MAC_RESPONSE', 'DATA_REQUEST', 'DATA_RESPONSE'),
        (key, variant) => {
          const copy = key.slice();
          const out = api.dukptWorkingKey(key, variant);
          expect(key).toEqual(copy);
          expect(out).not.toBe(key);
          expect(out).not.toEqual(key);
        },
      ),
    );
  });
});

describe('totality: arbitrary input returns a value or throws CardHsmError', () => {
  const bdk = new Uint8Array(16).fill(3);
  const ksn = api.hexToBytes('FFFF9876543210E00001');
  const akssn = api.hexToBytes('123456789012345600000001');
  const calls: Array<[string, (v: unknown) => unknown]> = [
    [
      'translate from',
      (v) =>
        api.translateDukptPinBlock({
          pinBlock: new Uint8Array(8),
          pan: '4111111111111111',
          from: v as never,
          to: { key: bdk, format: 0 },
        }),
    ],
    [
      'translate to',
      (v) =>
        api.translateDukptPinBlock({
          pinBlock: new Uint8Array(8),
          pan: '4111111111111111',
          from: { bdk, ksn, format: 0 },
          to: v as never,
        }),
    ],
    [
      'translate batch items',
      (v) => api.translateDukptPinBlocks({ from: { bdk, format: 0 }, to: { key: bdk, format: 0 }, items: v as never }),
    ],
    [
      'translate batch item',
      (v) =>
        api.translateDukptPinBlocks({ from: { bdk, format: 0 }, to: { key: bdk, format: 0 }, items: [v as never] }),
    ],
    ['mac source', (v) => api.generateDukptMac(v as never, new Uint8Array(3))],
    ['mac options', (v) => api.generateDukptMac({ bdk, ksn: akssn }, new Uint8Array(3), v as never)],
    ['verify mac', (v) => api.verifyDukptMac({ bdk, ksn }, new Uint8Array(3), v as never)],
    ['data options', (v) => api.encryptDukptData({ bdk, ksn }, new Uint8Array(8), v as never)],
    ['working key options', (v) => api.deriveAesDukptWorkingKey(bdk, akssn, v as never)],
    ['decrypt pin', (v) => api.decryptDukptPinBlock(v as never)],
    ['encrypt pin', (v) => api.encryptDukptPinBlock({ bdk, ksn, format: 1, pin: '1234', fill: v as never })],
  ];
  test.each(calls)('%s', (_, call) => {
    fc.assert(
      fc.property(
        fc.oneof(
          junk,
          fc.record({
            bdk: fc.oneof(junk, bytesOf(16)),
            ksn: fc.oneof(junk, tdesKsn, aesKsn),
            format: fc.oneof(junk, fc.constantFrom(0, 1, 3, 4)),
            algorithm: fc.oneof(junk, fc.constantFrom('AES128', 'TDES2', 'HMAC256')),
          }),
        ),
        (v) => {
          try {
            call(v);
          } catch (e) {
            expect(e).toBeInstanceOf(api.CardHsmError);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('no derived key or clear PIN stays in WASM memory', () => {
  test('after translations (single, batch, to DUKPT; succeeding and failing) only the key cache differs', () => {
    const k = kernel();
    // The DES key-schedule table (public constants) is built on the first DUKPT call: build it before the baseline.
    api.deriveDukptTransactionKey(new Uint8Array(16), api.hexToBytes('FFFF9876543210E00001'));
    api.clearKeyCache();
    const baseline = k.mem.slice();
    const [bdk, aesBdk16, zpk] = [new Uint8Array(16).fill(4), new Uint8Array(16).fill(5), new Uint8Array(16).fill(6)];
    const ksn = api.hexToBytes('FFFF9876543210E00003');
    const aes = api.hexToBytes('123456789012345600000003');
    const block = api.encryptDukptPinBlock({ bdk, ksn, format: 0, pin: '123456789012', pan: '4111111111111111' });
    api.translateDukptPinBlock({
      pinBlock: block,
      pan: '4111111111111111',
      from: { bdk, ksn, format: 0 },
      to: { key: zpk, format: 0 },
    });
    api.translateDukptPinBlock({
      pinBlock: block,
      pan: '4111111111111111',
      from: { bdk, ksn, format: 0 },
      to: { initialKey: aesBdk16, ksn: aes, format: 4 },
    });
    api.translateDukptPinBlocks({
      from: { bdk, format: 0 },
      to: { key: zpk, format: 3 },
      items: [
        { ksn, pinBlock: block, pan: '4111111111111111' },
        { ksn: api.hexToBytes('FFFF9876543210E00004'), pinBlock: block, pan: '4111111111111111' },
      ],
    });
    expect(() =>
      api.translateDukptPinBlock({
        pinBlock: block,
        pan: '4111111111111129',
        from: { bdk, ksn, format: 0 },
        to: { key: zpk, format: 0 },
      }),
    ).toThrow(api.CardHsmError);
    api.generateDukptMac({ bdk: aesBdk16, ksn: aes }, new Uint8Array(40), { method: 'HMAC' });
    api.deriveAesDukptWorkingKeys(aesBdk16, [aes], { usage: 'PIN_ENCRYPTION', algorithm: 'TDES3' });
    const changed: number[] = [];
    for (let i = 0; i < baseline.length && changed.length < 5; i++)
      if (k.mem[i] !== baseline[i] && (i < k.CACHE || i >= k.CACHE + k.CACHE_BYTES)) changed.push(i);
    expect(changed).toEqual([]);
  });
});

describe('errors never reveal a key, PIN or PAN', () => {
  const bdk = api.hexToBytes('7D2C4F1A9B3E5D607A8C9E0B1D3F5A79');
  const [pin, pan] = ['9876', '5413330089020011'];
  const ksn = api.hexToBytes('FFFF9876543210E00001');
  const block = api.encryptDukptPinBlock({ bdk, ksn, format: 0, pin, pan });
  const secrets = [api.bytesToHex(bdk), pin, pan];
  const calls: Array<() => unknown> = [
    () =>
      api.translateDukptPinBlock({
        pinBlock: block,
        pan: '5413330089020029',
        from: { bdk, ksn, format: 0 },
        to: { key: bdk, format: 0 },
      }),
    () =>
      api.decryptDukptPinBlock({ bdk, ksn: api.hexToBytes('FFFF9876543210E00002'), format: 0, pinBlock: block, pan }),
    () => api.deriveDukptTransactionKey(bdk, api.hexToBytes('FFFF9876543210E007FF')),
    () => api.encryptDukptPinBlock({ bdk, ksn, format: 0, pin: `${pin}x`, pan }),
    () =>
      api.deriveAesDukptWorkingKey(bdk, api.hexToBytes('123456789012345600000001'), {
        usage: 'PIN_ENCRYPTION',
        algorithm: 'AES256',
      }),
  ];
  test.each(calls.map((fn, i) => [i, fn] as const))('call %i', (_, fn) => {
    let text = '';
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(api.CardHsmError);
      text = `${(e as Error).message}\n${(e as Error).stack}\n${JSON.stringify(e)}`.toUpperCase();
    }
    expect(text).not.toBe('');
    for (const s of secrets) expect(text.includes(s.toUpperCase())).toBe(false);
  });
});
