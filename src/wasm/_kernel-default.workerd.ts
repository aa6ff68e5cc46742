// The kernel a build uses when init() is given none, under the `workerd` export condition (Cloudflare Workers):
// the .wasm file imported as a module. Workers compile WebAssembly only ahead of time, from modules uploaded with
// the Worker (wrangler and workerd turn a `.wasm` import into a compiled WebAssembly.Module); code generation at
// run time, from bytes, is refused. scripts/build.mjs puts this file in place of ./_kernel-default.ts for the
// workerd build and leaves the import to the Worker's bundler (dist/core.workerd.js imports ./cardhsm.wasm).
import kernelWasm from './cardhsm.wasm';

/** The precompiled kernel module. */
export function defaultKernel(): Uint8Array | object {
  return kernelWasm;
}
