/** A generator of numbers in [0, 1) from the 32-bit `seed` (see mulberry32.mjs); the same seed, the same sequence. */
export function mulberry32(seed: number): () => number;
