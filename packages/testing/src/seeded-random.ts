/**
 * A small deterministic pseudo-random generator (mulberry32) for simulators,
 * soak tests and benchmarks: the same seed gives the same company, the same
 * daily changes and the same injected faults, so a failure replays exactly.
 */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
