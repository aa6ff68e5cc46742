// The kernel a build uses when init() is given none: here the embedded copy (Node, Deno, browsers), decoded from
// base64 only when first needed. Decoded with atob, a global in every runtime cardhsm supports, rather than
// Buffer: a browser bundler that sees `Buffer` may pull in a Node polyfill.
import { KERNEL_WASM_BASE64 } from './_kernel.generated.js';

/** The kernel's .wasm bytes (a fresh array on each call). */
export function defaultKernel(): Uint8Array | object {
  const bin = atob(KERNEL_WASM_BASE64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
