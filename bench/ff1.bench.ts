// FF1 workloads: a 16-digit PAN's token, and unique PAN generation (FF1 of counters), against @noble/ciphers.
import { hexToBytes, tokenizePan, tokenizePanBatch, PanIssuer } from 'cardhsm';
import { luhnDigit, nobleToken, noblePan } from './peers.js';
import { same, type Workload } from './harness.js';
import { CARDS } from './cvv.bench.js';

const KEY = hexToBytes('2B7E151628AED2A6ABF7158809CF4F3C');
// The benchmark's cards with a Luhn-valid last digit (tokens of the default kind need Luhn-valid PANs).
const PANS = CARDS.map((c) => c.pan.slice(0, 15) + luhnDigit(c.pan.slice(0, 15)));

export function ff1Workloads(): Workload[] {
  const token = nobleToken(KEY);
  const issuer = new PanIssuer({ key: KEY, bin: '457173', length: 16 });
  const pan = noblePan(KEY, '457173', 9);
  let i = 0;
  let counter = 0;
  return [
    {
      id: 'token-single',
      title: 'FF1 token of a 16-digit PAN, single operation',
      unit: 'tokens/s',
      cardhsm: { name: 'cardhsm tokenizePan', ops: 1, run: () => tokenizePan(KEY, PANS[i++ % PANS.length]!) },
      peers: [{ name: '@noble/ciphers FF1', ops: 1, run: () => token(PANS[i++ % PANS.length]!) }],
      check: () =>
        same(
          'noble',
          PANS.slice(0, 300).map((p) => tokenizePan(KEY, p)),
          PANS.slice(0, 300).map(token),
        ),
    },
    {
      id: 'token-batch',
      title: 'FF1 tokens, batch of 10,000 PANs',
      unit: 'tokens/s',
      cardhsm: { name: 'cardhsm tokenizePanBatch', ops: PANS.length, run: () => tokenizePanBatch(KEY, PANS) },
      peers: [{ name: '@noble/ciphers FF1', ops: PANS.length, run: () => PANS.map(token) }],
      check: () => same('noble', tokenizePanBatch(KEY, PANS.slice(0, 1000)), PANS.slice(0, 1000).map(token)),
    },
    {
      id: 'pan-unique',
      title: 'unique PAN generation (FF1 of counters), batch of 10,000',
      unit: 'PANs/s',
      cardhsm: {
        name: 'cardhsm PanIssuer.pansAt',
        ops: 10_000,
        run: () => {
          counter = (counter + 10_000) % 900_000_000;
          return issuer.pansAt(counter, 10_000);
        },
      },
      peers: [
        {
          name: '@noble/ciphers FF1',
          ops: 10_000,
          run: () => Array.from({ length: 10_000 }, (_, k) => pan(counter + k)),
        },
      ],
      check: () =>
        same(
          'noble',
          issuer.pansAt(0, 1000),
          Array.from({ length: 1000 }, (_, k) => pan(k)),
        ),
    },
  ];
}
