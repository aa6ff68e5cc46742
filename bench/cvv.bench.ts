// The CVV family: one CVV with a cached key schedule, a batch of 10,000, and CVV + CVV2 + iCVV per card.
import { generateCvv, generateCvvBatch, hexToBytes } from 'cardhsm';
import { forgeCvv, nodeCvvBatched, nodeCvvPerOp, nodeCvvReused, nodeCvvReusedNibbles } from './peers.js';
import { same, type Workload } from './harness.js';

export const CVK = hexToBytes('0123456789ABCDEFFEDCBA9876543210');
export const CARDS = Array.from({ length: 10_000 }, (_, i) => ({
  pan: String(4000000000000000 + i * 7919),
  expiry: String(2501 + (i % 12)),
  serviceCode: '101',
}));

export function cvvWorkloads(): Workload[] {
  const reused = nodeCvvReused(CVK);
  const nibbles = nodeCvvReusedNibbles(CVK);
  const batched = nodeCvvBatched(CVK);
  const forge = forgeCvv(CVK);
  let i = 0;
  const next = () => CARDS[i++ % CARDS.length]!;
  const three = CARDS.flatMap((c) => ['101', '000', '999'].map((serviceCode) => ({ ...c, serviceCode })));
  return [
    {
      id: 'cvv-single',
      title: 'CVV, single operation',
      unit: 'CVV/s',
      cardhsm: {
        name: 'cardhsm generateCvv',
        ops: 1,
        run: () => {
          const c = next();
          generateCvv(CVK, c.pan, c.expiry, c.serviceCode);
        },
      },
      peers: [
        {
          name: 'node:crypto cipher per op',
          ops: 1,
          run: () => {
            const c = next();
            nodeCvvPerOp(CVK, c.pan, c.expiry, c.serviceCode);
          },
        },
        {
          name: 'node:crypto cipher reused',
          ops: 1,
          run: () => {
            const c = next();
            reused(c.pan, c.expiry, c.serviceCode);
          },
        },
        {
          name: 'node:crypto reused, nibble decimalization',
          ops: 1,
          run: () => {
            const c = next();
            nibbles(c.pan, c.expiry, c.serviceCode);
          },
        },
        {
          name: 'node-forge',
          ops: 1,
          run: () => {
            const c = next();
            forge(c.pan, c.expiry, c.serviceCode);
          },
        },
      ],
      check: () => {
        const want = CARDS.slice(0, 500).map((c) => generateCvv(CVK, c.pan, c.expiry, c.serviceCode));
        same(
          'node per op',
          want,
          CARDS.slice(0, 500).map((c) => nodeCvvPerOp(CVK, c.pan, c.expiry, c.serviceCode)),
        );
        same(
          'node reused',
          want,
          CARDS.slice(0, 500).map((c) => reused(c.pan, c.expiry, c.serviceCode)),
        );
        same(
          'node reused, nibbles',
          want,
          CARDS.slice(0, 500).map((c) => nibbles(c.pan, c.expiry, c.serviceCode)),
        );
        same(
          'node-forge',
          want,
          CARDS.slice(0, 500).map((c) => forge(c.pan, c.expiry, c.serviceCode)),
        );
      },
    },
    {
      id: 'cvv-batch',
      title: 'CVV, batch of 10,000',
      unit: 'CVV/s',
      cardhsm: { name: 'cardhsm generateCvvBatch', ops: CARDS.length, run: () => generateCvvBatch(CVK, CARDS) },
      peers: [
        { name: 'node:crypto hand-batched', ops: CARDS.length, run: () => batched(CARDS) },
        {
          name: 'node:crypto cipher reused',
          ops: CARDS.length,
          run: () => CARDS.map((c) => reused(c.pan, c.expiry, c.serviceCode)),
        },
      ],
      check: () => same('node batched', generateCvvBatch(CVK, CARDS), batched(CARDS)),
    },
    {
      id: 'cvv-card',
      title: 'CVV + CVV2 + iCVV per card (batch of 10,000 cards)',
      unit: 'cards/s',
      cardhsm: { name: 'cardhsm generateCvvBatch', ops: CARDS.length, run: () => generateCvvBatch(CVK, three) },
      peers: [{ name: 'node:crypto hand-batched', ops: CARDS.length, run: () => batched(three) }],
      check: () => same('node batched', generateCvvBatch(CVK, three), batched(three)),
    },
  ];
}
