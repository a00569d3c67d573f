// A small seeded pseudo-random generator (mulberry32), so bootstrap intervals are the same on every run.

/**
 * The seed every analysis resampling starts from: the bytes of "amda". Fixed so that the same measurements
 * always give the same report; change it only together with the tests that pin intervals.
 */
export const BOOTSTRAP_SEED = 0x616d6461;

/** Returns a function yielding uniform floats in [0, 1); mulberry32 passes the usual statistical batteries. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
