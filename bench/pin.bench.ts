// PIN workloads: Visa PVV, ISO 0 encode + TDES encrypt, and PIN block translation from one ZPK to another.
import { Hsm, bytesToHex, encodePinBlockIso0, generateVisaPvv, hexToBytes, tdesEncryptEcb } from 'cardhsm';
import { nodeIso0Encrypt, nodePvv, nodeTranslate } from './peers.js';
import { same, type Workload } from './harness.js';
import { CARDS, CVK } from './cvv.bench.js';

const ZPK1 = hexToBytes('0123456789ABCDEF89ABCDEF01234567');
const ZPK2 = hexToBytes('FEDCBA98765432100123456789ABCDEF');
const PINS = CARDS.map((_, i) => String(1000 + ((i * 7907) % 9000)));

export function pinWorkloads(): Workload[] {
  const pvv = nodePvv(CVK);
  const iso0 = nodeIso0Encrypt(ZPK1);
  const translate = nodeTranslate(ZPK1, ZPK2);
  const hsm = new Hsm({ lmk: new Uint8Array(32).fill(0x11) });
  const block = (k: Uint8Array, usage = 'P0') => hsm.importKeyComponents({ usage, algorithm: 'TDES2', components: [k], allowSingleComponent: true, fixParity: true }).keyBlock;
  const zpk1 = block(ZPK1);
  const zpk2 = block(ZPK2);
  const blocks = CARDS.map((c, i) => tdesEncryptEcb(ZPK1, encodePinBlockIso0(PINS[i]!, c.pan)));
  let i = 0;
  const next = () => i++ % CARDS.length;
  return [
    {
      id: 'pvv',
      title: 'Visa PVV, single operation',
      unit: 'PVV/s',
      cardhsm: { name: 'cardhsm generateVisaPvv', ops: 1, run: () => { const n = next(); generateVisaPvv(CVK, CARDS[n]!.pan, '1', PINS[n]!); } },
      peers: [{ name: 'node:crypto cipher reused', ops: 1, run: () => { const n = next(); pvv(CARDS[n]!.pan, '1', PINS[n]!); } }],
      check: () => same('node', CARDS.slice(0, 300).map((c, n) => generateVisaPvv(CVK, c.pan, '1', PINS[n]!)), CARDS.slice(0, 300).map((c, n) => pvv(c.pan, '1', PINS[n]!))),
    },
    {
      id: 'iso0-encrypt',
      title: 'ISO 0 encode + TDES encrypt, single operation',
      unit: 'blocks/s',
      cardhsm: { name: 'cardhsm encodePinBlockIso0 + tdesEncryptEcb', ops: 1, run: () => { const n = next(); tdesEncryptEcb(ZPK1, encodePinBlockIso0(PINS[n]!, CARDS[n]!.pan)); } },
      peers: [{ name: 'node:crypto cipher reused', ops: 1, run: () => { const n = next(); iso0(PINS[n]!, CARDS[n]!.pan); } }],
      check: () => same('node', CARDS.slice(0, 300).map((c, n) => bytesToHex(tdesEncryptEcb(ZPK1, encodePinBlockIso0(PINS[n]!, c.pan)))), CARDS.slice(0, 300).map((c, n) => bytesToHex(iso0(PINS[n]!, c.pan)))),
    },
    {
      id: 'pin-translate',
      title: 'PIN translate ZPK -> ZPK (ISO 0), single operation',
      unit: 'translations/s',
      cardhsm: { name: 'cardhsm Hsm.translatePinBlock (key blocks)', ops: 1, run: () => { const n = next(); hsm.translatePinBlock({ pinBlock: blocks[n]!, pan: CARDS[n]!.pan, from: { key: zpk1, format: 0 }, to: { key: zpk2, format: 0 } }); } },
      peers: [{ name: 'node:crypto clear keys, ciphers reused', ops: 1, run: () => { const n = next(); translate(blocks[n]!, CARDS[n]!.pan); } }],
      check: () =>
        same(
          'node',
          CARDS.slice(0, 200).map((c, n) => bytesToHex(hsm.translatePinBlock({ pinBlock: blocks[n]!, pan: c.pan, from: { key: zpk1, format: 0 }, to: { key: zpk2, format: 0 } }))),
          CARDS.slice(0, 200).map((c, n) => bytesToHex(translate(blocks[n]!, c.pan))),
        ),
    },
  ];
}
