// The kernel's public controls. The kernel compiles itself on first use where the runtime allows synchronous
// compilation (Node, Deno, current browsers); init loads it from a module, bytes, a Response or a URL where it
// does not (workerd) or ahead of the first call; clearKeyCache drops the cached key schedules. The loader and the
// call discipline themselves are _loader.ts and _calls.ts.
export { init, initSync, type KernelSource, type KernelModule } from './_loader.js';
export { clearKeyCache } from './_calls.js';
