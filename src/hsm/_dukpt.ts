// DUKPT on the host (ANSI X9.24-1 TDES, X9.24-3 AES) with key blocks: the BDK (B0) or a terminal's initial key
// (B1) is opened from its block and used only inside one call — a PIN block translated from the terminal's key to
// a zone PIN key (or to another DUKPT side), a MAC, data; and a terminal's initial key exported under a KEK for
// injection (custodian work). The clear-key primitives live in src/dukpt/.
import { CardHsmError } from '../errors.js';
import { checkBytes } from '../_validate.js';
import { wrapTr31, type Tr31Header } from '../tr31.js';
import { bytesToHex } from '../bytes.js';
import { deriveDukptIpek } from '../dukpt/tdes.js';
import { deriveAesDukptInitialKey } from '../dukpt/aes.js';
import { schemeOfKsn } from '../dukpt/_ksn.js';
import { generateDukptMac, verifyDukptMac } from '../dukpt/mac.js';
import { decryptDukptData, encryptDukptData } from '../dukpt/data.js';
import { translateDukptPinBlock, type DukptPinSide } from '../dukpt/pin.js';
import type { DukptKeySource } from '../dukpt/source.js';
import { requirePinKeyAlgorithm } from './_pins.js';
import { kcvOf, strongerThan, withKeys, type KeyNote, type KeyResult, type KeyVault, type OpenKey } from './_vault.js';
import { verdict, withOptions, type Run } from './_operation.js';
import type * as O from './options.js';

/**
 * Opens the BDK (B0) or initial key (B1) block named in `value` and returns it with the clear source the
 * primitives take; the caller zeroes `key.key`. `at` names the fields ('from' gives 'from.bdk').
 */
export function openDukptSource(
  vault: KeyVault,
  note: KeyNote | undefined,
  value: unknown,
  at: string,
): { key: OpenKey; source: DukptKeySource & Record<string, unknown> } {
  const o = (value !== null && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const field = at ? `${at}.bdk` : 'bdk';
  const key = vault.open(field, o.bdk, 'dukpt.derive', note);
  const { bdk: _block, ...rest } = o;
  const source = key.header.usage === 'B0' ? { ...rest, bdk: key.key } : { ...rest, initialKey: key.key };
  return { key, source: source as DukptKeySource & Record<string, unknown> };
}

export class DukptPlane {
  readonly #vault: KeyVault;
  readonly #run: Run;

  constructor(vault: KeyVault, run: Run) {
    this.#vault = vault;
    this.#run = run;
  }

  translateDukptPinBlock(options: O.DukptTranslateOptions): Uint8Array {
    return withOptions(this.#run, 'translateDukptPinBlock', options, (ctx, o) => {
      const from = openDukptSource(this.#vault, ctx, o.from, 'from');
      return withKeys([from.key], () => {
        const to = (o.to ?? {}) as Record<string, unknown>;
        if (to.bdk !== undefined) {
          const dukptTo = openDukptSource(this.#vault, undefined, to, 'to');
          return withKeys([dukptTo.key], () =>
            translateDukptPinBlock({
              pinBlock: o.pinBlock as Uint8Array,
              pan: o.pan as string,
              from: from.source as DukptPinSide,
              to: dukptTo.source as DukptPinSide,
            }),
          );
        }
        const zpk = this.#vault.open('to.key', to.key, 'pin.encrypt');
        return withKeys([zpk], () => {
          if (to.format === 0 || to.format === 1 || to.format === 3 || to.format === 4)
            requirePinKeyAlgorithm(zpk, to.format, 'to.key');
          return translateDukptPinBlock({
            pinBlock: o.pinBlock as Uint8Array,
            pan: o.pan as string,
            from: from.source as DukptPinSide,
            to: { key: zpk.key, format: to.format as 0 },
          });
        });
      });
    });
  }

  generateDukptMac(options: O.HsmDukptMacOptions): Uint8Array {
    return withOptions(this.#run, 'generateDukptMac', options, (ctx, o) => {
      const { key, source } = openDukptSource(this.#vault, ctx, o, '');
      return withKeys([key], () => generateDukptMac(source, o.data as Uint8Array, o));
    });
  }

  verifyDukptMac(options: O.DukptMacCheckOptions): boolean {
    return withOptions(
      this.#run,
      'verifyDukptMac',
      options,
      (ctx, o) => {
        const { key, source } = openDukptSource(this.#vault, ctx, o, '');
        return withKeys([key], () => verifyDukptMac(source, o.data as Uint8Array, o.mac as Uint8Array, o));
      },
      verdict,
    );
  }

  data(method: 'encryptDukptData' | 'decryptDukptData', options: unknown): Uint8Array {
    return withOptions(this.#run, method, options, (ctx, o) => {
      const { key, source } = openDukptSource(this.#vault, ctx, o, '');
      return withKeys([key], () =>
        (method === 'encryptDukptData' ? encryptDukptData : decryptDukptData)(source, o.data as Uint8Array, o),
      );
    });
  }

  /**
   * A terminal's initial key (TDES: the IPEK of `ksn`; AES: the initial key of `initialKeyId`) derived from the
   * BDK and wrapped under a KEK as a B1 key block, with its KS (initial KSN) or IK (initial key ID) optional block.
   */
  exportDukptInitialKey(options: O.DukptExportOptions): KeyResult {
    return withOptions(this.#run, 'exportDukptInitialKey', options, (ctx, o) => {
      const bdk = this.#vault.open('bdk', o.bdk, 'dukpt.export', ctx);
      const keys = [bdk];
      return withKeys(keys, () => {
        const aes = bdk.header.algorithm === 'A';
        let initial: Uint8Array;
        let block: { id: string; data: string };
        if (aes) {
          const id = checkBytes('initialKeyId', o.initialKeyId, [8]);
          initial = deriveAesDukptInitialKey(bdk.key, id);
          block = { id: 'IK', data: bytesToHex(id) };
        } else {
          if (schemeOfKsn('ksn', o.ksn) !== 'TDES')
            throw new CardHsmError('ERR_LENGTH', '"ksn" expected the 10-byte KSN of a TDES DUKPT terminal', 'ksn');
          const ksn = (o.ksn as Uint8Array).slice();
          ksn[7]! &= 0xe0; // the initial KSN: the 21-bit counter zeroed
          ksn[8] = 0;
          ksn[9] = 0;
          initial = deriveDukptIpek(bdk.key, ksn);
          block = { id: 'KS', data: bytesToHex(ksn) };
        }
        try {
          const kek = this.#vault.open('kek', o.kek, 'kek.wrap');
          keys.push(kek);
          const algorithm = bdk.algorithm;
          if (strongerThan(algorithm, kek.algorithm))
            throw new CardHsmError(
              'ERR_KEY_USAGE',
              `"kek" (${kek.algorithm}) is weaker than the initial key it would protect (${algorithm})`,
              'kek',
            );
          const header: Tr31Header = {
            version: kek.algorithm.startsWith('TDES') ? 'B' : 'D',
            length: 0,
            usage: 'B1',
            algorithm: bdk.header.algorithm,
            modeOfUse: 'X',
            keyVersion: '00',
            exportability: 'E',
            optionalBlocks: [block],
            reserved: '00',
          };
          return { keyBlock: wrapTr31(kek.key, header, initial), kcv: kcvOf(initial, algorithm) };
        } finally {
          initial.fill(0);
        }
      });
    });
  }
}
