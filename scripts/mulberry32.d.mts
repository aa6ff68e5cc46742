/** A seeded generator (mulberry32) in [0, 1): the same seed always gives the same sequence. */
export function mulberry32(seed: number): () => number;
