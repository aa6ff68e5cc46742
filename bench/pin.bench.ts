// PIN workloads: Visa PVV, ISO 0 encode + TDES encrypt, and PIN block translation from one ZPK to another, each
// against node:crypto (a cipher per operation, and reused ciphers) and node-forge.
import { Hsm, bytesToHex, encodePinBlockIso0, generateVisaPvv, hexToBytes, tdesEncryptEcb } from 'cardhsm';
import { forgeEcb, iso0EncryptWith, nodePerOp, nodeReusedOp, pvvWith, translateWith, type EcbOp } from './peers.js';
import { same, type Contender, type Workload } from './harness.js';
import { CARDS, CVK } from './cvv.bench.js';

const ZPK1 = hexToBytes('0123456789ABCDEF89ABCDEF01234567');
const ZPK2 = hexToBytes('FEDCBA98765432100123456789ABCDEF');
const PINS = CARDS.map((_, i) => String(1000 + ((i * 7907) % 9000)));

/** The three ways a peer runs ECB: a cipher per operation, one reused cipher, node-forge. */
const PEER_CIPHERS: Array<[string, (key: Uint8Array, decrypt?: boolean) => EcbOp]> = [
  ['node:crypto cipher per op', nodePerOp],
  ['node:crypto cipher reused', nodeReusedOp],
  ['node-forge', forgeEcb],
];

export function pinWorkloads(): Workload[] {
  const lmk = new Uint8Array(32).fill(0x11);
  const custodian = new Hsm({
    lmk,
    activities: 'custodian',
    development: { allowSingleComponent: true, warn: () => {} },
  });
  const hsm = new Hsm({ lmk }); // the online host's profile, authorization: it translates PIN blocks
  const block = (k: Uint8Array, usage = 'P0') =>
    custodian.importKeyComponents({
      usage,
      algorithm: 'TDES2',
      components: [k],
      allowSingleComponent: true,
      fixParity: true,
    }).keyBlock;
  const zpk1 = block(ZPK1);
  const zpk2 = block(ZPK2);
  const blocks = CARDS.map((c, i) => tdesEncryptEcb(ZPK1, encodePinBlockIso0(PINS[i]!, c.pan)));
  let i = 0;
  const next = () => i++ % CARDS.length;
  const sample = CARDS.slice(0, 300);

  const pvvs = PEER_CIPHERS.map(([name, op]) => ({ name, pvv: pvvWith(op(CVK)) }));
  const iso0s = PEER_CIPHERS.map(([name, op]) => ({ name, iso0: iso0EncryptWith(op(ZPK1)) }));
  const translates = PEER_CIPHERS.map(([name, op]) => ({
    name: `${name}, clear keys`,
    translate: translateWith(op(ZPK1, true), op(ZPK2)),
  }));
  const ours = {
    pvv: (n: number) => generateVisaPvv(CVK, CARDS[n]!.pan, '1', PINS[n]!),
    iso0: (n: number) => tdesEncryptEcb(ZPK1, encodePinBlockIso0(PINS[n]!, CARDS[n]!.pan)),
    translate: (n: number) =>
      hsm.translatePinBlock({
        pinBlock: blocks[n]!,
        pan: CARDS[n]!.pan,
        from: { key: zpk1, format: 0 },
        to: { key: zpk2, format: 0 },
      }),
  };
  const peer = (name: string, run: (n: number) => unknown): Contender => ({ name, ops: 1, run: () => run(next()) });
  return [
    {
      id: 'pvv',
      title: 'Visa PVV, single operation',
      unit: 'PVV/s',
      cardhsm: peer('cardhsm generateVisaPvv', ours.pvv),
      peers: pvvs.map((p) => peer(p.name, (n) => p.pvv(CARDS[n]!.pan, '1', PINS[n]!))),
      check: () =>
        pvvs.forEach(
          (p) =>
            void same(
              p.name,
              sample.map((_, n) => ours.pvv(n)),
              sample.map((c, n) => p.pvv(c.pan, '1', PINS[n]!)),
            ),
        ),
    },
    {
      id: 'iso0-encrypt',
      title: 'ISO 0 encode + TDES encrypt, single operation',
      unit: 'blocks/s',
      cardhsm: peer('cardhsm encodePinBlockIso0 + tdesEncryptEcb', ours.iso0),
      peers: iso0s.map((p) => peer(p.name, (n) => p.iso0(PINS[n]!, CARDS[n]!.pan))),
      check: () =>
        iso0s.forEach(
          (p) =>
            void same(
              p.name,
              sample.map((_, n) => bytesToHex(ours.iso0(n))),
              sample.map((c, n) => bytesToHex(p.iso0(PINS[n]!, c.pan))),
            ),
        ),
    },
    {
      id: 'pin-translate',
      title: 'PIN translate ZPK -> ZPK (ISO 0), single operation',
      unit: 'translations/s',
      cardhsm: peer('cardhsm Hsm.translatePinBlock (key blocks)', ours.translate),
      peers: translates.map((p) => peer(p.name, (n) => p.translate(blocks[n]!, CARDS[n]!.pan))),
      check: () =>
        translates.forEach(
          (p) =>
            void same(
              p.name,
              sample.map((_, n) => bytesToHex(ours.translate(n))),
              sample.map((c, n) => bytesToHex(p.translate(blocks[n]!, c.pan))),
            ),
        ),
    },
  ];
}
