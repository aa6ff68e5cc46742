// EMV issuer cryptography: ARQC verification under Visa CVN 18 (one, and a batch of 10,000 as an authorization host
// sees them) and ICC master key derivation for an issued set of 100,000 cards, against node:crypto.
import {
  verifyEmvArqc,
  verifyEmvArqcBatch,
  generateEmvArqc,
  deriveIccMasterKeyBatch,
  hexToBytes,
  emvArqcData,
  VISA_CVN18,
  type EmvTransaction,
} from 'cardhsm';
import { nodeArqcCvn18, nodeIccMk, nodeIccMkBatched } from './peers.js';
import { same, type Workload } from './harness.js';

const IMK = hexToBytes('0123456789ABCDEFFEDCBA9876543210');
const BASE: EmvTransaction = {
  amountAuthorized: hexToBytes('000000004000'),
  amountOther: hexToBytes('000000000000'),
  terminalCountryCode: hexToBytes('0124'),
  tvr: hexToBytes('8000048000'),
  transactionCurrencyCode: hexToBytes('0124'),
  transactionDate: hexToBytes('191105'),
  transactionType: hexToBytes('01'),
  unpredictableNumber: hexToBytes('52BF4585'),
  aip: hexToBytes('1800'),
  atc: hexToBytes('001C'),
  iad: hexToBytes('06011203A0B800'),
};
const ITEMS = Array.from({ length: 10_000 }, (_, i) => {
  const pan = String(4000000000000000 + i * 7919);
  const tx = { ...BASE, atc: Uint8Array.of(i >> 8, i & 0xff), unpredictableNumber: Uint8Array.of(i, i >> 8, 7, 9) };
  return { pan, psn: '00', tx, arqc: generateEmvArqc(VISA_CVN18, IMK, { pan, psn: '00' }, tx) };
});
const DATA = ITEMS.map((it) => emvArqcData(VISA_CVN18, it.tx));
const CARDS = Array.from({ length: 100_000 }, (_, i) => ({ pan: String(4571736000000000 + i * 13), psn: '01' }));

export function emvWorkloads(): Workload[] {
  const peer = nodeArqcCvn18(IMK);
  const peerVerify = (i: number) => peer(ITEMS[i]!.pan, '00', ITEMS[i]!.tx.atc, DATA[i]!, ITEMS[i]!.arqc);
  const mk = nodeIccMk(IMK);
  const mkBatched = nodeIccMkBatched(IMK);
  let i = 0;
  return [
    {
      id: 'emv-arqc-single',
      title: 'ARQC verification (Visa CVN 18: MK, session key, MAC), single operation',
      unit: 'ARQCs/s',
      cardhsm: {
        name: 'cardhsm verifyEmvArqc',
        ops: 1,
        run: () => {
          const it = ITEMS[i++ % ITEMS.length]!;
          verifyEmvArqc(VISA_CVN18, IMK, it, it.tx, it.arqc);
        },
      },
      peers: [{ name: 'node:crypto ciphers per key', ops: 1, run: () => peerVerify(i++ % ITEMS.length) }],
      check: () =>
        same(
          'node',
          ITEMS.slice(0, 300).map((it) => verifyEmvArqc(VISA_CVN18, IMK, it, it.tx, it.arqc)),
          ITEMS.slice(0, 300).map((_, k) => peerVerify(k)),
        ),
    },
    {
      id: 'emv-arqc-batch',
      title: 'ARQC verification (Visa CVN 18), batch of 10,000',
      unit: 'ARQCs/s',
      cardhsm: {
        name: 'cardhsm verifyEmvArqcBatch',
        ops: ITEMS.length,
        run: () => verifyEmvArqcBatch(VISA_CVN18, IMK, ITEMS),
      },
      peers: [
        { name: 'node:crypto ciphers per key', ops: ITEMS.length, run: () => ITEMS.map((_, k) => peerVerify(k)) },
      ],
      check: () => {
        const want = verifyEmvArqcBatch(VISA_CVN18, IMK, ITEMS);
        if (!want.every(Boolean)) throw new Error('cross-check failed: cardhsm rejected its own ARQCs');
        same(
          'node',
          want,
          ITEMS.map((_, k) => peerVerify(k)),
        );
      },
    },
    {
      id: 'emv-mk-batch',
      title: 'ICC master key derivation (Option A), 100,000 cards',
      unit: 'keys/s',
      cardhsm: {
        name: 'cardhsm deriveIccMasterKeyBatch',
        ops: CARDS.length,
        run: () => deriveIccMasterKeyBatch(IMK, CARDS),
      },
      peers: [
        {
          name: 'node:crypto cipher reused, per card',
          ops: CARDS.length,
          run: () => CARDS.map((c) => mk(c.pan, c.psn)),
        },
        {
          name: 'node:crypto hand-batched (one ECB update, one flat buffer)',
          ops: CARDS.length,
          run: () => mkBatched(CARDS),
        },
      ],
      check: () => {
        const want = Buffer.from(deriveIccMasterKeyBatch(IMK, CARDS.slice(0, 2000))).toString('hex');
        same(
          'node per card',
          want,
          CARDS.slice(0, 2000)
            .map((c) => mk(c.pan, c.psn).toString('hex'))
            .join(''),
        );
        same('node batched', want, mkBatched(CARDS.slice(0, 2000)).toString('hex'));
      },
    },
  ];
}
