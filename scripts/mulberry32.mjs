// mulberry32 (Tommy Ettinger's 32-bit generator): a tiny seeded PRNG, so that a search's or a test's random
// choices replay exactly from the seed. Not for secrets. Used by scripts/gen-des-bitslice.mjs (its circuit
// search) and by the tests that draw seeded data.

/**
 * A generator of numbers in [0, 1) (multiples of 2^-32) from the 32-bit `seed`: the same seed always gives the
 * same sequence. Example: `mulberry32(1)()` is 0.6270739405881613.
 * @param {number} seed
 * @returns {() => number}
 */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
