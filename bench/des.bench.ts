// DES and TDES ECB: one 8-byte block (a single operation) and 64 KiB (a batch).
import { randomBytes } from 'node:crypto';
import { tdesEncryptEcb } from 'cardhsm';
import { forgeEcb, nodeDesPerOp, nodeEcb } from './peers.js';
import { same, type Workload } from './harness.js';

function ecb(id: string, title: string, key: Uint8Array, bytes: number): Workload {
  const data = randomBytes(bytes);
  const reused = nodeEcb(key);
  const forge = forgeEcb(key);
  const blocks = bytes / 8;
  return {
    id,
    title,
    unit: 'blocks/s',
    cardhsm: { name: 'cardhsm tdesEncryptEcb', ops: blocks, run: () => tdesEncryptEcb(key, data) },
    peers: [
      { name: 'node:crypto cipher per call', ops: blocks, run: () => nodeDesPerOp(key, data) },
      { name: 'node:crypto cipher reused', ops: blocks, run: () => reused.update(data) },
      { name: 'node-forge', ops: blocks, run: () => forge(data) },
    ],
    check: () => {
      const want = Buffer.from(tdesEncryptEcb(key, data)).toString('hex');
      same('node:crypto', want, nodeDesPerOp(key, data).toString('hex'));
      same('node:crypto reused', want, reused.update(data).toString('hex'));
      same('node-forge', want, forge(data).toString('hex'));
    },
  };
}

export function desWorkloads(): Workload[] {
  const des = randomBytes(8);
  const tdes3 = randomBytes(24);
  return [
    ecb('des-8', 'single DES ECB, 8 B', des, 8),
    ecb('des-64k', 'single DES ECB, 64 KiB', des, 65536),
    ecb('tdes-8', 'TDES (3-key) ECB, 8 B', tdes3, 8),
    ecb('tdes-64k', 'TDES (3-key) ECB, 64 KiB', tdes3, 65536),
  ];
}
