// Proves the EMV reference (./helpers/emv-reference.ts) against every public vector in ./vectors/emv-*.json before
// the differential tests trust it. Each vector type is handled by one branch; an unknown type fails.
import { describe, expect, test } from 'vitest';
import { loadVectors, title, type Vector } from './helpers/vectors.js';
import { refDesEcbEncrypt, refEncodeIso2 } from './helpers/reference.js';
import { refIsoMac } from './helpers/mac-reference.js';
import * as R from './helpers/emv-reference.js';

const h = R.fromHex;
const x = R.toHex;
const s = (v: Vector, f: string): string => v[f] as string;
const kcv = (key: Uint8Array, n: number): string => x(refDesEcbEncrypt(key, new Uint8Array(8))).slice(0, 2 * n);
/** Compares a full key, or its check digits when the source gives only those. */
const expectKey = (key: Uint8Array, v: Vector, full: string) => {
  if (typeof v[full] === 'string') expect(x(key)).toBe(v[full]);
  else expect(kcv(key, s(v, 'kcv').length / 2)).toBe(v.kcv);
};
const chainMk = (v: Vector) =>
  v.mk ? h(s(v, 'mk')) : R.refMasterKey(h(s(v, 'imk')), s(v, 'pan'), s(v, 'psn'), v.option as 'A' | 'B');

describe('key derivation vectors (emv-kd.json)', () => {
  test.each(loadVectors('emv-kd').map((v, i) => [title(v, i), v] as const))('%s', (_, v) => {
    switch (v.type) {
      case 'mk':
        return expectKey(R.refMasterKey(h(s(v, 'imk')), s(v, 'pan'), s(v, 'psn'), v.option as 'A' | 'B'), v, 'mk');
      case 'common':
        return expectKey(R.refCommonSessionKey(chainMk(v), h(s(v, 'r'))), v, 'sk');
      case 'visa-sm':
        return expectKey(R.refVisaSmSessionKey(chainMk(v), h(s(v, 'atc'))), v, 'sk');
      case 'mastercard':
        return expectKey(R.refMastercardSessionKey(chainMk(v), h(s(v, 'atc')), h(s(v, 'un'))), v, 'sk');
      case 'tree':
        return expect(
          x(
            R.refEmv2000Tree(
              h(s(v, 'mk')),
              h(s(v, 'atc')),
              v.height as number,
              v.branchFactor as number,
              h(s(v, 'iv')),
            ),
          ),
        ).toBe(v.sk);
      default:
        throw new Error(`unknown vector type ${String(v.type)}`);
    }
  });
});

describe('cryptogram vectors (emv-ac.json)', () => {
  test.each(loadVectors('emv-ac').map((v, i) => [title(v, i), v] as const))('%s', (_, v) => {
    switch (v.type) {
      case 'arqc':
        return expect(x(R.refArqc(h(s(v, 'key')), h(s(v, 'data')), v.padding as 1 | 2))).toBe(v.arqc);
      case 'arpc1':
        return expect(x(R.refArpc1(h(s(v, 'key')), h(s(v, 'arqc')), h(s(v, 'arc'))))).toBe(v.arpc);
      case 'arpc2':
        return expect(x(R.refArpc2(h(s(v, 'key')), h(s(v, 'arqc')), h(s(v, 'csu'))))).toBe(v.arpc);
      case 'chain':
      case 'jpos': {
        const mk = chainMk(v);
        const skd = v.type === 'chain' ? 'R' : s(v, 'skd');
        const sk =
          skd === 'R'
            ? R.refCommonSessionKey(mk, h(s(v, 'r')))
            : skd === 'NONE'
              ? mk
              : skd === 'COMMON'
                ? R.refCommonSessionKey(mk, h(`${s(v, 'atc')}000000000000`))
                : R.refMastercardSessionKey(mk, h(s(v, 'atc')), h(s(v, 'un')));
        expect(x(R.refArqc(sk, h(s(v, 'data')), v.padding as 1 | 2))).toBe(v.arqc);
        if (v.arpc === undefined) return;
        const key = v.arpcKey === 'MK' ? mk : sk;
        const arpc =
          v.arpcMethod === 1
            ? R.refArpc1(key, h(s(v, 'arqc')), h(s(v, 'arc')))
            : R.refArpc2(
                key,
                h(s(v, 'arqc')),
                h(s(v, 'csu')),
                v.proprietaryData ? h(s(v, 'proprietaryData')) : undefined,
              );
        return expect(x(arpc)).toBe(v.arpc);
      }
      default:
        throw new Error(`unknown vector type ${String(v.type)}`);
    }
  });
});

const tx = (v: Vector) => v.tx as unknown as R.RefTx;

describe('scheme profile vectors (emv-cvn.json)', () => {
  test.each(loadVectors('emv-cvn').map((v, i) => [title(v, i), v] as const))('%s', (_, v) => {
    const profile = s(v, 'profile') as R.RefProfile;
    if (v.type === 'data') return expect(R.refArqcData(profile, tx(v))).toBe(v.data);
    if (v.type !== 'profile') throw new Error(`unknown vector type ${String(v.type)}`);
    const imkAc = h(s(v, 'imkAc'));
    expect(R.refProfileArqc(profile, imkAc, s(v, 'pan'), s(v, 'psn'), tx(v))).toBe(v.arqc);
    expect(R.refProfileArpc(profile, imkAc, s(v, 'pan'), s(v, 'psn'), tx(v), s(v, 'arqc'), s(v, 'response'))).toBe(
      v.arpc,
    );
    const spec = R.REF_PROFILES[profile];
    const atc = h(tx(v)['9F36']);
    const arqc = h(s(v, 'arqc'));
    const smKey = (imk: string) => {
      const mk = R.refMasterKey(h(imk), s(v, 'pan'), s(v, 'psn'), spec.option);
      return spec.script === 'VISA' ? R.refVisaSmSessionKey(mk, atc) : R.refCommonSessionKey(mk, arqc);
    };
    const macOf = (header: Uint8Array, data: Uint8Array) =>
      x(R.refScriptMac(smKey(s(v, 'imkSmi')), Uint8Array.from([...header, ...atc, ...arqc, ...data])));
    expect(macOf(h(s(v, 'header')), new Uint8Array(0))).toBe(v.mac);
    const mkAc = R.refMasterKey(imkAc, s(v, 'pan'), s(v, 'psn'), spec.option);
    for (const [key, current] of [
      ['pinChange', undefined],
      ['pinChangeWithCurrent', '8888'],
    ] as const) {
      const pc = v[key] as unknown as { pin: string; command: string } | undefined;
      if (!pc) continue;
      const block =
        current !== undefined || spec.pin === 'VIS' ? R.refVisBlock(pc.pin, mkAc, current) : refEncodeIso2(pc.pin);
      const data = R.refEncipher(smKey(s(v, 'imkSmc')), block, spec.enc);
      const header = Uint8Array.of(0x84, 0x24, 0x00, current ? 0x01 : 0x02, data.length + 8);
      expect(x(header) + x(data) + macOf(header, data)).toBe(pc.command);
    }
  });
});

describe('issuer script vectors (emv-sm.json)', () => {
  test.each(loadVectors('emv-sm').map((v, i) => [title(v, i), v] as const))('%s', (_, v) => {
    switch (v.type) {
      case 'mac':
        return expect(x(R.refScriptMac(h(s(v, 'key')), h(s(v, 'data'))))).toBe(v.mac);
      case 'mac-chain':
        return expect(x(R.refScriptMac(R.refCommonSessionKey(chainMk(v), h(s(v, 'r'))), h(s(v, 'data'))))).toBe(v.mac);
      case 'encipher':
        return expect(x(R.refEncipher(h(s(v, 'key')), h(s(v, 'data')), v.mode as 'EMV'))).toBe(v.out);
      case 'vis-block':
        return expect(x(R.refVisBlock(s(v, 'pin'), h(s(v, 'mkAc'))))).toBe(v.block);
      case 'pin-change': {
        const sk = (imk: string) => {
          const mk = R.refMasterKey(h(imk), s(v, 'pan'), s(v, 'psn'), 'A');
          return v.skd === 'VISA' ? R.refVisaSmSessionKey(mk, h(s(v, 'atc'))) : R.refCommonSessionKey(mk, h(s(v, 'r')));
        };
        const block =
          v.pinBlock === 'ISO2'
            ? refEncodeIso2(s(v, 'pin'))
            : R.refVisBlock(
                s(v, 'pin'),
                R.refMasterKey(h(s(v, 'imkAc')), s(v, 'pan'), s(v, 'psn'), 'A'),
                v.currentPin as string | undefined,
              );
        const data = R.refEncipher(sk(s(v, 'imkSmc')), block, v.encryption as 'VISA');
        expect(x(data)).toBe(v.data);
        return expect(x(R.refScriptMac(sk(s(v, 'imkSmi')), h(s(v, 'header') + x(data))))).toBe(v.mac);
      }
      default:
        throw new Error(`unknown vector type ${String(v.type)}`);
    }
  });
});

describe('dCVV vectors (emv-dcvv.json)', () => {
  test.each(loadVectors('emv-dcvv').map((v, i) => [title(v, i), v] as const))('%s', (_, v) => {
    expect(
      R.refDcvv(
        h(s(v, 'imk')),
        s(v, 'pan'),
        s(v, 'psn'),
        s(v, 'expiry'),
        s(v, 'serviceCode'),
        h(s(v, 'atc')),
        v.option as 'A' | 'B',
      ),
    ).toBe(v.dcvv);
  });
});

describe('CVC3 vectors (emv-cvc3.json)', () => {
  test.each(loadVectors('emv-cvc3').map((v, i) => [title(v, i), v] as const))('%s', (_, v) => {
    const full = R.refCvc3(h(s(v, 'imk')), s(v, 'pan'), s(v, 'psn'), h(s(v, 'track')), h(s(v, 'atc')), h(s(v, 'un')));
    expect(full.slice(5 - s(v, 'cvc3').length)).toBe(v.cvc3);
    if (v.ivcvc3 !== undefined) {
      const mk = R.refMasterKey(h(s(v, 'imk')), s(v, 'pan'), s(v, 'psn'), 'A');
      expect(x(refIsoMac(mk, h(s(v, 'track')), 3, 2).subarray(6, 8))).toBe(v.ivcvc3);
    }
  });
});
