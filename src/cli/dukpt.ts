// `cardhsm dukpt …`: the DUKPT calculator with clear keys in hex — TDES DUKPT (ANSI X9.24-1) for 10-byte KSNs,
// AES DUKPT (ANSI X9.24-3) for 12-byte KSNs: initial keys, transaction and working keys, a terminal's PIN block
// translated to a ZPK or decrypted, and MACs. Every example below is a published vector or computed from one.
import type { Command } from 'commander';
import { CardHsmError } from '../errors.js';
import * as lib from '../index.js';
import { act, examples, hex } from './calculator.js';
import { EXIT, print, usageError, type Io } from './output.js';

const BDK = '0123456789ABCDEFFEDCBA9876543210'; // ANSI X9.24-1:2009 A.4
const KSN = 'FFFF9876543210E00001';
const AES_BDK = 'FEDCBA9876543210F1F1F1F1F1F1F1F1'; // ANSI X9.24-3:2017 supplement
const AES_KSN = '123456789012345600000001';
const ZPK = 'FEDCBA98765432100123456789ABCDEF';

/** The key source from --bdk or --initial-key (exactly one). */
function keyOf(o: Record<string, string | undefined>): { bdk: Uint8Array } | { initialKey: Uint8Array } {
  if ((o.bdk === undefined) === (o.initialKey === undefined))
    throw usageError('give exactly one of --bdk and --initial-key');
  return o.bdk !== undefined ? { bdk: hex(o.bdk, '--bdk') } : { initialKey: hex(o.initialKey, '--initial-key') };
}

function pinFormat(value: string | undefined, option: string): 0 | 1 | 3 | 4 {
  if (value === undefined || !/^[0134]$/.test(value))
    throw new CardHsmError('ERR_FORMAT', `${option} expected 0, 1, 3 or 4`, option);
  return Number(value) as 0 | 1 | 3 | 4;
}

const keySource = (c: Command) =>
  c
    .option('--bdk <hex>', 'the base derivation key (TDES 16 bytes; AES 16, 24 or 32)')
    .option('--initial-key <hex>', 'instead of --bdk: the device’s initial key (IPEK)');

export function registerDukpt(program: Command, io: Io): void {
  const dukpt = program
    .command('dukpt')
    .description('DUKPT keys and PIN blocks: TDES (ANSI X9.24-1, 10-byte KSN) and AES (ANSI X9.24-3, 12-byte KSN)');

  examples(
    act(
      dukpt
        .command('ipek')
        .description(
          'the initial key of a device: TDES IPEK from a 10-byte KSN (counter ignored), AES initial key from a 12-byte KSN or 8-byte initial key ID',
        )
        .requiredOption('--bdk <hex>')
        .requiredOption('--ksn <hex>'),
      (o, g) => {
        const bdk = hex(o.bdk, '--bdk');
        const ksn = hex(o.ksn, '--ksn');
        if (ksn.length === 10) {
          const ipek = lib.bytesToHex(lib.deriveDukptIpek(bdk, ksn));
          print(io, g.json, { ipek }, ipek);
          return;
        }
        if (ksn.length !== 12 && ksn.length !== 8)
          throw new CardHsmError(
            'ERR_LENGTH',
            `--ksn expected 10 bytes (TDES), 12 (AES KSN) or 8 (AES initial key ID), got length=${ksn.length}`,
            '--ksn',
          );
        const initialKey = lib.bytesToHex(lib.deriveAesDukptInitialKey(bdk, ksn.subarray(0, 8)));
        print(io, g.json, { initialKey }, initialKey);
      },
    ),
    [`cardhsm dukpt ipek --bdk ${BDK} --ksn FFFF9876543210E00000`, '6AC292FAA1315B4D858AB3A3D7D5933A'],
    [`cardhsm dukpt ipek --bdk ${AES_BDK} --ksn 1234567890123456`, '1273671EA26AC29AFA4D1084127652A1'],
  );

  examples(
    act(
      keySource(
        dukpt
          .command('key')
          .description(
            'the transaction key of a KSN, or with --variant (TDES) / --usage (AES) one of its working keys',
          ),
      )
        .requiredOption('--ksn <hex>')
        .option('--variant <name>', 'TDES: PIN, MAC_REQUEST, MAC_RESPONSE, DATA_REQUEST or DATA_RESPONSE')
        .option(
          '--usage <name>',
          'AES: PIN_ENCRYPTION, MAC_GENERATION, MAC_VERIFICATION, MAC_BOTH, DATA_ENCRYPT, DATA_DECRYPT, DATA_BOTH, KEY_ENCRYPTION, KEY_DERIVATION',
        )
        .option(
          '--algorithm <name>',
          'AES: AES128, AES192, AES256, TDES2, TDES3, HMAC128, HMAC192 or HMAC256 (default: AES of the BDK’s length)',
        ),
      (o, g) => {
        const source = keyOf(o);
        const ksn = hex(o.ksn, '--ksn');
        let key: Uint8Array;
        if (ksn.length === 10) {
          if (o.usage !== undefined || o.algorithm !== undefined)
            throw usageError('--usage and --algorithm apply to AES DUKPT (12-byte KSNs); TDES takes --variant');
          const transaction =
            'bdk' in source
              ? lib.deriveDukptTransactionKey(source.bdk, ksn)
              : lib.deriveDukptTransactionKeyFromIpek(source.initialKey, ksn);
          key = o.variant === undefined ? transaction : lib.dukptWorkingKey(transaction, o.variant as lib.DukptVariant);
        } else {
          if (o.variant !== undefined)
            throw usageError('--variant applies to TDES DUKPT (10-byte KSNs); AES takes --usage');
          if (o.usage === undefined) {
            if (!('bdk' in source)) throw usageError('the AES transaction key needs --bdk (or give --usage)');
            key = lib.deriveAesDukptTransactionKey(source.bdk, ksn);
          } else {
            const opts = {
              usage: o.usage as lib.AesDukptUsage,
              algorithm: o.algorithm as lib.AesDukptAlgorithm | undefined,
            };
            key =
              'bdk' in source
                ? lib.deriveAesDukptWorkingKey(source.bdk, ksn, opts)
                : lib.deriveAesDukptWorkingKeyFromInitialKey(source.initialKey, ksn, opts);
          }
        }
        const k = lib.bytesToHex(key);
        print(io, g.json, { key: k }, k);
      },
    ),
    [`cardhsm dukpt key --bdk ${BDK} --ksn ${KSN}`, '042666B49184CFA368DE9628D0397BC9'],
    [`cardhsm dukpt key --bdk ${BDK} --ksn ${KSN} --variant PIN`, '042666B49184CF5C68DE9628D0397B36'],
    [`cardhsm dukpt key --bdk ${AES_BDK} --ksn ${AES_KSN} --usage PIN_ENCRYPTION`, 'AF8CB133A78F8DC2D1359F18527593FB'],
  );

  examples(
    act(
      keySource(
        dukpt
          .command('pin-translate')
          .description(
            'a terminal’s PIN block, from its DUKPT PIN key to a ZPK, in one kernel call (the clear PIN never leaves WASM memory)',
          ),
      )
        .requiredOption('--ksn <hex>')
        .requiredOption('--block <hex>')
        .requiredOption('--pan <digits>')
        .requiredOption('--from-format <0|1|3|4>')
        .option(
          '--algorithm <name>',
          'AES DUKPT: the PIN key, AES128/192/256 for format 4 (default: the BDK’s length), TDES2 or TDES3 for formats 0, 1, 3',
        )
        .requiredOption('--to-key <hex>')
        .requiredOption('--to-format <0|1|3|4>'),
      (o, g) => {
        const from = {
          ...keyOf(o),
          ksn: hex(o.ksn, '--ksn'),
          format: pinFormat(o.fromFormat, '--from-format'),
          ...(o.algorithm === undefined ? {} : { algorithm: o.algorithm as lib.AesDukptAlgorithm }),
        };
        const to = { key: hex(o.toKey, '--to-key'), format: pinFormat(o.toFormat, '--to-format') };
        const b = lib.bytesToHex(
          lib.translateDukptPinBlock({ pinBlock: hex(o.block, '--block'), pan: o.pan!, from, to }),
        );
        print(io, g.json, { pinBlock: b }, b);
      },
    ),
    [
      `cardhsm dukpt pin-translate --bdk ${BDK} --ksn ${KSN} --block 1B9C1845EB993A7A --pan 4012345678909 --from-format 0 --to-key ${ZPK} --to-format 0`,
      '7820FE6CFD54CE3A',
    ],
    [
      `cardhsm dukpt pin-translate --bdk ${AES_BDK} --ksn ${AES_KSN} --block A912150391AB65A67E52883D81CE2D15 --pan 4111111111111111 --from-format 4 --to-key ${ZPK} --to-format 0`,
      '09955680A3423446',
    ],
  );

  examples(
    act(
      keySource(dukpt.command('pin-decrypt').description('the PIN in a terminal’s PIN block'))
        .requiredOption('--ksn <hex>')
        .requiredOption('--block <hex>')
        .option('--pan <digits>', 'required for formats 0, 3 and 4')
        .requiredOption('--format <0|1|3|4>')
        .option('--algorithm <name>', 'AES DUKPT: as for pin-translate'),
      (o, g) => {
        const options = {
          ...keyOf(o),
          ksn: hex(o.ksn, '--ksn'),
          format: pinFormat(o.format, '--format'),
          pinBlock: hex(o.block, '--block'),
          pan: o.pan,
          ...(o.algorithm === undefined ? {} : { algorithm: o.algorithm as lib.AesDukptAlgorithm }),
        };
        const pin = lib.decryptDukptPinBlock(options);
        print(io, g.json, { pin }, pin);
      },
    ),
    [
      `cardhsm dukpt pin-decrypt --bdk ${BDK} --ksn ${KSN} --block 1B9C1845EB993A7A --pan 4012345678909 --format 0`,
      '1234',
    ],
  );

  examples(
    act(
      keySource(
        dukpt
          .command('mac')
          .description(
            'the MAC of a message under the transaction’s MAC key (TDES: ISO 9797-1 algorithm 3 or CMAC; AES: CMAC or HMAC-SHA-256); with --mac, checks it (exit 1 when it does not match)',
          ),
      )
        .requiredOption('--ksn <hex>')
        .requiredOption('--data <hex>')
        .option('--direction <REQUEST|RESPONSE>', 'the terminal’s request (default) or the host’s response')
        .option('--method <RETAIL|CMAC|HMAC>')
        .option('--mac <hex>', 'a MAC to verify (4 bytes or more)'),
      (o, g) => {
        const source = { ...keyOf(o), ksn: hex(o.ksn, '--ksn') };
        const opts = {
          direction: o.direction as lib.DukptDirection | undefined,
          method: o.method as lib.DukptMacMethod | undefined,
        };
        const data = hex(o.data, '--data');
        if (o.mac !== undefined) {
          const ok = lib.verifyDukptMac(source, data, hex(o.mac, '--mac'), opts);
          print(io, g.json, { valid: ok }, ok ? 'valid' : 'invalid');
          return ok ? EXIT.OK : EXIT.VERIFY_FAILED;
        }
        const mac = lib.bytesToHex(lib.generateDukptMac(source, data, opts));
        print(io, g.json, { mac }, mac);
        return EXIT.OK;
      },
    ),
    [`cardhsm dukpt mac --bdk ${BDK} --ksn ${KSN} --data 3430313233343536373839303944393837`, '9CCC78173FC4FB64'],
    [`cardhsm dukpt mac --bdk ${BDK} --ksn ${KSN} --data 3430313233343536373839303944393837 --mac 9CCC7817`, 'valid'],
  );
}
