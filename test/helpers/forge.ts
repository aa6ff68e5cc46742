// node-forge as a second, independent implementation of DES/TDES/AES (pure JavaScript, unrelated to OpenSSL).
import forge from 'node-forge';

type Mode = 'ECB' | 'CBC';

const bin = (b: Uint8Array): string => forge.util.binary.raw.encode(b);
const unbin = (s: string): Uint8Array => Uint8Array.from(forge.util.binary.raw.decode(s));

function run(
  algorithm: string,
  key: Uint8Array,
  data: Uint8Array,
  mode: Mode,
  iv: Uint8Array | undefined,
  decrypt: boolean,
): Uint8Array {
  const name = `${algorithm}-${mode}` as forge.cipher.Algorithm;
  const c = decrypt ? forge.cipher.createDecipher(name, bin(key)) : forge.cipher.createCipher(name, bin(key));
  c.start(iv === undefined ? {} : { iv: bin(iv) });
  c.update(forge.util.createBuffer(bin(data)));
  // A pad/unpad callback that returns true turns padding off.
  (c.finish as (f: () => boolean) => boolean)(() => true);
  return unbin(c.output.getBytes());
}

/** DES (8-byte key) or 3DES (16-byte keys expanded to K1 K2 K1; 24-byte keys as given). */
export function forgeTdes(
  key: Uint8Array,
  data: Uint8Array,
  mode: Mode,
  iv: Uint8Array | undefined,
  decrypt: boolean,
): Uint8Array {
  if (key.length === 8) return run('DES', key, data, mode, iv, decrypt);
  const k = key.length === 16 ? Uint8Array.from([...key, ...key.subarray(0, 8)]) : key;
  return run('3DES', k, data, mode, iv, decrypt);
}

export function forgeAes(
  key: Uint8Array,
  data: Uint8Array,
  mode: Mode,
  iv: Uint8Array | undefined,
  decrypt: boolean,
): Uint8Array {
  return run('AES', key, data, mode, iv, decrypt);
}
