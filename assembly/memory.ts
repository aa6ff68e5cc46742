// Static regions of linear memory. The kernels never allocate: every byte they read or write lives in one of
// these fixed regions, so memory never grows and the TypeScript side knows exactly which bytes to wipe after
// each public call (everything below except the key-schedule cache, which `clearKeyCache` wipes).

/** Size of each of the input and output batch regions. The TypeScript side chunks larger batches. */
export const IO_BYTES: i32 = 1 << 19;

/** Clear key material for the call in progress (zero-padded to 32 bytes); wiped right after the key is selected. */
export const KEY_IN: usize = memory.data(64, 64);
/** IV / chaining value for CBC calls. */
export const IV: usize = memory.data(16, 16);
/** Batch input records. */
export const IN: usize = memory.data(IO_BYTES, 64);
/** Batch output records. */
export const OUT: usize = memory.data(IO_BYTES, 64);

/** Wipes `len` bytes at `ptr` (used by kernels for their own scratch, if any). */
export function wipe(ptr: usize, len: usize): void {
  memory.fill(ptr, 0, len);
}
