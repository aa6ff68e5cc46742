// Application cryptograms and ARPCs: every vector of test/vectors/emv-ac.json (pyemv, jPOS) through the primitives
// (key derivation chained where the vector gives an IMK), and argument errors.
import { describe, expect, test } from 'vitest';
import * as api from '../src/index.js';
import { loadVectors, str, title, type Vector } from './helpers/vectors.js';
import { expectCardHsmError } from './helpers/errors.js';

const h = api.hexToBytes;
const x = api.bytesToHex;

function keys(v: Vector): { mk: Uint8Array; sk: Uint8Array } {
  const mk = api.deriveIccMasterKey(h(str(v, 'imk')), str(v, 'pan'), str(v, 'psn'), v.option as 'A' | 'B');
  if (v.type === 'chain') return { mk, sk: api.deriveCommonSessionKey(mk, h(str(v, 'r'))) };
  const skd = str(v, 'skd');
  if (skd === 'NONE') return { mk, sk: mk };
  if (skd === 'COMMON') return { mk, sk: api.deriveCommonSessionKey(mk, h(`${str(v, 'atc')}000000000000`)) };
  return { mk, sk: api.deriveMastercardSessionKey(mk, h(str(v, 'atc')), h(str(v, 'un'))) };
}

describe('known answers (test/vectors/emv-ac.json)', () => {
  test.each(loadVectors('emv-ac').map((v, i) => [title(v, i), v] as const))('%s', (_, v) => {
    switch (v.type) {
      case 'arqc':
        expect(x(api.generateArqc(h(str(v, 'key')), h(str(v, 'data')), v.padding as 1 | 2))).toBe(v.arqc);
        return expect(api.verifyArqc(h(str(v, 'key')), h(str(v, 'data')), h(str(v, 'arqc')), v.padding as 1 | 2)).toBe(
          true,
        );
      case 'arpc1':
        return expect(x(api.generateArpc1(h(str(v, 'key')), h(str(v, 'arqc')), h(str(v, 'arc'))))).toBe(v.arpc);
      case 'arpc2':
        return expect(x(api.generateArpc2(h(str(v, 'key')), h(str(v, 'arqc')), h(str(v, 'csu'))))).toBe(v.arpc);
      case 'chain':
      case 'jpos': {
        const { mk, sk } = keys(v);
        expect(x(api.generateArqc(sk, h(str(v, 'data')), v.padding as 1 | 2))).toBe(v.arqc);
        expect(api.verifyArqc(sk, h(str(v, 'data')), h(str(v, 'arqc')), v.padding as 1 | 2)).toBe(true);
        const key = v.arpcKey === 'MK' ? mk : sk;
        const arpc =
          v.arpcMethod === 1
            ? api.generateArpc1(key, h(str(v, 'arqc')), h(str(v, 'arc')))
            : api.generateArpc2(
                key,
                h(str(v, 'arqc')),
                h(str(v, 'csu')),
                v.proprietaryData ? h(str(v, 'proprietaryData')) : undefined,
              );
        return expect(x(arpc)).toBe(v.arpc);
      }
      default:
        throw new Error(`unknown vector type ${String(v.type)}`);
    }
  });

  test('padding method 1 is the default (pyemv test_generate_ac_visa_aprc1_no_padding_required)', () => {
    const v = loadVectors('emv-ac').find((t) => t.source.includes('no_padding_required'))!;
    expect(x(api.generateArqc(keys(v).sk, h(str(v, 'data'))))).toBe(v.arqc);
  });

  test('a wrong ARQC does not verify', () => {
    const key = h('AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB');
    expect(api.verifyArqc(key, h('0123'), h('0000000000000000'))).toBe(false);
  });
});

describe('arguments', () => {
  const key = h('AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB');
  const arqc = h('1234567890ABCDEF');
  test.each([
    [() => api.generateArqc(key.subarray(0, 8), new Uint8Array(8)), 'ERR_LENGTH', 'sessionKey'],
    [() => api.generateArqc(key, 'data' as never), 'ERR_TYPE', 'data'],
    [() => api.generateArqc(key, new Uint8Array(1025)), 'ERR_LENGTH', 'data'],
    [() => api.generateArqc(key, new Uint8Array(8), 3 as never), 'ERR_FORMAT', 'padding'],
    [() => api.verifyArqc(key, new Uint8Array(8), new Uint8Array(4)), 'ERR_LENGTH', 'arqc'],
    [() => api.generateArpc1(key, arqc, new Uint8Array(4)), 'ERR_LENGTH', 'arc'],
    [() => api.generateArpc1(key, arqc.subarray(0, 7), new Uint8Array(2)), 'ERR_LENGTH', 'arqc'],
    [() => api.generateArpc2(key, arqc, new Uint8Array(2)), 'ERR_LENGTH', 'csu'],
    [() => api.generateArpc2(key, arqc, new Uint8Array(4), new Uint8Array(9)), 'ERR_LENGTH', 'proprietaryData'],
    [() => api.generateArpc2(new Uint8Array(16), arqc, new Uint8Array(4), 'x' as never), 'ERR_TYPE', 'proprietaryData'],
  ] as const)('%#: %s %s', (fn, code, field) => {
    expectCardHsmError(fn, code, field);
  });
});
