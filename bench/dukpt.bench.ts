// DUKPT PIN translation on the host: a terminal's PIN block under its transaction's PIN key, translated to a ZPK
// (ISO 0 -> ISO 0 for TDES DUKPT, ISO 4 -> ISO 0 for AES DUKPT), single and for 10,000 terminals (distinct KSNs:
// distinct devices at different points of their counters), against node:crypto used the straightforward way.
import { bytesToHex, encryptDukptPinBlock, hexToBytes, translateDukptPinBlock, translateDukptPinBlocks } from 'cardhsm';
import { nodeAesDukptTranslate, nodeTdesDukptTranslate } from './peers.js';
import { same, type Workload } from './harness.js';
import { CARDS } from './cvv.bench.js';

const TDES_BDK = hexToBytes('0123456789ABCDEFFEDCBA9876543210');
const AES_BDK = hexToBytes('FEDCBA9876543210F1F1F1F1F1F1F1F1');
const ZPK = hexToBytes('FEDCBA98765432100123456789ABCDEF');
const COUNT = 10_000;

const popcount = (n: number) => n.toString(2).replace(/0/g, '').length;

/** The first `n` counters a device uses: those with at most `maxBits` one-bits, in order. */
function counters(n: number, maxBits: number): number[] {
  const out: number[] = [];
  for (let c = 1; out.length < n; c++) if (popcount(c) <= maxBits) out.push(c);
  return out;
}

/** A deterministic spread of devices' lives: the KSN of device i at its transaction number r(i) in 1..20,000. */
function ksns(aes: boolean): Uint8Array[] {
  const table = counters(20_000, aes ? 16 : 10);
  let seed = 0x2545f491;
  const next = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed >>> 8) % table.length;
  };
  return Array.from({ length: COUNT }, (_, i) => {
    const counter = table[next()]!;
    if (aes) return hexToBytes(`12345678${i.toString(16).padStart(8, '0')}${counter.toString(16).padStart(8, '0')}`);
    // 59-bit key set and device ID, then the 21-bit counter: the device number sits above the counter.
    const big = (0xffff987654n << 40n) | (BigInt(i) << 21n) | BigInt(counter);
    return hexToBytes(big.toString(16).padStart(20, '0'));
  });
}

export function dukptWorkloads(): Workload[] {
  const pins = CARDS.map((_, i) => String(1000 + ((i * 7907) % 9000)));
  const tdesKsns = ksns(false);
  const aesKsns = ksns(true);
  const tdesItems = tdesKsns.map((ksn, i) => ({
    ksn,
    pan: CARDS[i]!.pan,
    pinBlock: encryptDukptPinBlock({ bdk: TDES_BDK, ksn, format: 0, pin: pins[i]!, pan: CARDS[i]!.pan }),
  }));
  const aesItems = aesKsns.map((ksn, i) => ({
    ksn,
    pan: CARDS[i]!.pan,
    pinBlock: encryptDukptPinBlock({ bdk: AES_BDK, ksn, format: 4, pin: pins[i]!, pan: CARDS[i]!.pan }),
  }));
  const nodeTdes = nodeTdesDukptTranslate(TDES_BDK, ZPK);
  const nodeAes = nodeAesDukptTranslate(AES_BDK, ZPK);
  const to = { key: ZPK, format: 0 as const };
  const ours = {
    tdes: (n: number) =>
      translateDukptPinBlock({
        pinBlock: tdesItems[n]!.pinBlock,
        pan: tdesItems[n]!.pan,
        from: { bdk: TDES_BDK, ksn: tdesItems[n]!.ksn, format: 0 },
        to,
      }),
    aes: (n: number) =>
      translateDukptPinBlock({
        pinBlock: aesItems[n]!.pinBlock,
        pan: aesItems[n]!.pan,
        from: { bdk: AES_BDK, ksn: aesItems[n]!.ksn, format: 4 },
        to,
      }),
    tdesBatch: () => translateDukptPinBlocks({ from: { bdk: TDES_BDK, format: 0 }, to, items: tdesItems }),
    aesBatch: () => translateDukptPinBlocks({ from: { bdk: AES_BDK, format: 4 }, to, items: aesItems }),
  };
  const peers = {
    tdes: (n: number) => nodeTdes(tdesItems[n]!.ksn, tdesItems[n]!.pinBlock, tdesItems[n]!.pan),
    aes: (n: number) => nodeAes(aesItems[n]!.ksn, aesItems[n]!.pinBlock, aesItems[n]!.pan),
  };
  const hex = (bs: Array<Uint8Array | null>) => bs.map((b) => (b ? bytesToHex(b) : 'null'));
  const sample = Array.from({ length: 500 }, (_, n) => n);
  let i = 0;
  const next = () => i++ % COUNT;
  return [
    {
      id: 'dukpt-tdes-translate',
      title: 'TDES DUKPT PIN translate (derive + ISO 0 decrypt + re-encrypt under a ZPK), single',
      unit: 'translations/s',
      cardhsm: { name: 'cardhsm translateDukptPinBlock', ops: 1, run: () => ours.tdes(next()) },
      peers: [{ name: 'node:crypto', ops: 1, run: () => peers.tdes(next()) }],
      check: () => same('node', hex(sample.map(ours.tdes)), hex(sample.map(peers.tdes))),
    },
    {
      id: 'dukpt-tdes-batch',
      title: 'TDES DUKPT PIN translate, batch of 10,000 distinct KSNs',
      unit: 'translations/s',
      cardhsm: { name: 'cardhsm translateDukptPinBlocks', ops: COUNT, run: ours.tdesBatch },
      peers: [{ name: 'node:crypto', ops: COUNT, run: () => tdesItems.map((_, n) => peers.tdes(n)) }],
      check: () => same('node', hex(ours.tdesBatch()), hex(tdesItems.map((_, n) => peers.tdes(n)))),
    },
    {
      id: 'dukpt-aes-translate',
      title: 'AES DUKPT PIN translate (derive + ISO 4 decipher + ISO 0 under a ZPK), single',
      unit: 'translations/s',
      cardhsm: { name: 'cardhsm translateDukptPinBlock', ops: 1, run: () => ours.aes(next()) },
      peers: [{ name: 'node:crypto', ops: 1, run: () => peers.aes(next()) }],
      check: () => same('node', hex(sample.map(ours.aes)), hex(sample.map(peers.aes))),
    },
    {
      id: 'dukpt-aes-batch',
      title: 'AES DUKPT PIN translate, batch of 10,000 distinct KSNs',
      unit: 'translations/s',
      cardhsm: { name: 'cardhsm translateDukptPinBlocks', ops: COUNT, run: ours.aesBatch },
      peers: [{ name: 'node:crypto', ops: COUNT, run: () => aesItems.map((_, n) => peers.aes(n)) }],
      check: () => same('node', hex(ours.aesBatch()), hex(aesItems.map((_, n) => peers.aes(n)))),
    },
  ];
}
