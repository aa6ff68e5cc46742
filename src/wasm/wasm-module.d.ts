// A `.wasm` import as Cloudflare Workers (wrangler, workerd) and other edge bundlers give it: a compiled
// WebAssembly.Module. Typed as `object`, as loader.ts types modules (no DOM lib in a Node library).
declare module '*.wasm' {
  const module: object;
  export default module;
}
