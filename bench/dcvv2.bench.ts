// Dynamic CVV2 (TW-DCVV2 v1, HMAC profile): one code, and one window's codes for 10,000 cards.
import { generateDynamicCvv2, generateDynamicCvv2Batch } from 'cardhsm';
import { nodeDcvv2 } from './peers.js';
import { same, type Workload } from './harness.js';
import { CARDS } from './cvv.bench.js';

const IMK = new Uint8Array(32).fill(0x5c);
const AT = 1_800_000_000_000;
const WINDOW = Math.floor(AT / 1000 / 3600);
const DCARDS = CARDS.map((c) => ({ pan: c.pan, psn: '00', expiry: c.expiry }));

export function dcvv2Workloads(): Workload[] {
  let i = 0;
  return [
    {
      id: 'dcvv2-single',
      title: 'dynamic CVV2, single code',
      unit: 'codes/s',
      cardhsm: {
        name: 'cardhsm generateDynamicCvv2',
        ops: 1,
        run: () => {
          const c = DCARDS[i++ % DCARDS.length]!;
          generateDynamicCvv2(IMK, c.pan, c.psn, c.expiry, { at: AT });
        },
      },
      peers: [
        {
          name: 'node:crypto HMAC',
          ops: 1,
          run: () => {
            const c = DCARDS[i++ % DCARDS.length]!;
            nodeDcvv2(IMK, c.pan, c.psn, c.expiry, WINDOW);
          },
        },
      ],
      check: () =>
        same(
          'node',
          DCARDS.slice(0, 300).map((c) => generateDynamicCvv2(IMK, c.pan, c.psn, c.expiry, { at: AT }).code),
          DCARDS.slice(0, 300).map((c) => nodeDcvv2(IMK, c.pan, c.psn, c.expiry, WINDOW)),
        ),
    },
    {
      id: 'dcvv2-batch',
      title: 'dynamic CVV2, one window for 10,000 cards',
      unit: 'codes/s',
      cardhsm: {
        name: 'cardhsm generateDynamicCvv2Batch',
        ops: DCARDS.length,
        run: () => generateDynamicCvv2Batch(IMK, DCARDS, { at: AT }),
      },
      peers: [
        {
          name: 'node:crypto HMAC',
          ops: DCARDS.length,
          run: () => DCARDS.map((c) => nodeDcvv2(IMK, c.pan, c.psn, c.expiry, WINDOW)),
        },
      ],
      check: () =>
        same(
          'node',
          generateDynamicCvv2Batch(IMK, DCARDS.slice(0, 500), { at: AT }).map((c) => c.code),
          DCARDS.slice(0, 500).map((c) => nodeDcvv2(IMK, c.pan, c.psn, c.expiry, WINDOW)),
        ),
    },
  ];
}
