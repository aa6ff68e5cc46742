// The `mac` calculator command: ISO/IEC 9797-1 MAC algorithms 1 and 3 (padding methods 1-3) and HMAC-SHA-2, with
// clear keys in hex. (CMAC has its own command, `cmac`.)
import type { Command } from 'commander';
import { CardHsmError } from '../errors.js';
import * as lib from '../index.js';
import { act, examples, hex, int } from './calculator.js';
import { print, type Io } from './output.js';

const ALGORITHMS = ['1', '3', 'HMAC-SHA-256', 'HMAC-SHA-384', 'HMAC-SHA-512'] as const;

export function registerMac(program: Command, io: Io): void {
  examples(
    act(
      program
        .command('mac')
        .description(
          "ISO/IEC 9797-1 MAC algorithm 1 (CBC-MAC; 8-byte key DES, 16/24 TDES) or 3 (retail MAC, key K || K'), or HMAC-SHA-256/384/512",
        )
        .requiredOption('--algorithm <1|3|HMAC-SHA-256|HMAC-SHA-384|HMAC-SHA-512>')
        .requiredOption('--key <hex>')
        .requiredOption('--data <hex>')
        .option('--padding <1|2|3>', 'ISO/IEC 9797-1 padding method (algorithms 1 and 3)', '1')
        .option('--length <bytes>', 'MAC length 4..8 (algorithms 1 and 3)', '8'),
      (o, g) => {
        const algorithm = o.algorithm as (typeof ALGORITHMS)[number];
        if (!ALGORITHMS.includes(algorithm))
          throw new CardHsmError('ERR_FORMAT', `--algorithm expected one of ${ALGORITHMS.join(', ')}`, '--algorithm');
        const key = hex(o.key, '--key');
        const data = hex(o.data, '--data');
        const mac = algorithm.startsWith('HMAC')
          ? lib.hmac(algorithm.slice(5) as lib.HmacHash, key, data)
          : lib.isoMac(key, data, {
              algorithm: Number(algorithm) as 1 | 3,
              padding: int(o.padding, '--padding') as 1 | 2 | 3,
              length: int(o.length, '--length'),
            });
        const out = lib.bytesToHex(mac);
        print(io, g.json, { mac: out }, out);
      },
    ),
    [
      'cardhsm mac --algorithm 3 --padding 1 --key 0123456789ABCDEFFEDCBA9876543210 --data 4E6F77206973207468652074696D6520666F7220616C6C20',
      'A1C72E74EA3FA9B6',
    ],
    [
      'cardhsm mac --algorithm 1 --padding 2 --length 4 --key AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB --data 68656C6C6F20776F726C64',
      '32DC3412',
    ],
    [
      'cardhsm mac --algorithm HMAC-SHA-256 --key 0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B --data 4869205468657265',
      'B0344C61D8DB38535CA8AFCEAF0BF12B881DC200C9833DA726E9376C2E32CFF7',
    ],
  );
}
