// ISO/IEC 9797-1 MAC algorithm 3 (the retail MAC of ISO 8583 messages) over a 1 KiB message, against node:crypto.
import { isoMac, hexToBytes } from 'cardhsm';
import { nodeRetailMac } from './peers.js';
import { same, type Workload } from './harness.js';

const KEY = hexToBytes('0123456789ABCDEFFEDCBA9876543210');
const MESSAGES = Array.from({ length: 64 }, (_, m) =>
  Uint8Array.from({ length: 1024 }, (_, i) => (i * 31 + m * 7) & 0xff),
);

export function macWorkloads(): Workload[] {
  const peer = nodeRetailMac(KEY);
  let i = 0;
  return [
    {
      id: 'mac-retail-1k',
      title: 'retail MAC (ISO/IEC 9797-1 algorithm 3, padding 2), 1 KiB message',
      unit: 'MACs/s',
      cardhsm: {
        name: 'cardhsm isoMac',
        ops: 1,
        run: () => isoMac(KEY, MESSAGES[i++ & 63]!, { algorithm: 3, padding: 2 }),
      },
      peers: [{ name: 'node:crypto des-ede-cbc + ECB finish', ops: 1, run: () => peer(MESSAGES[i++ & 63]!, 2) }],
      check: () =>
        same(
          'node',
          MESSAGES.map((m) => Buffer.from(isoMac(KEY, m, { algorithm: 3, padding: 2 })).toString('hex')),
          MESSAGES.map((m) => peer(m, 2).toString('hex')),
        ),
    },
  ];
}
