import { gaussian, mulberry32 } from '../random';

/**
 * A small seeded generator (mulberry32): the demo survey must be byte-identical for a given
 * seed on every machine, which Math.random cannot give.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  uniform(lo: number, hi: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  int(n: number): number;
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed >>> 0 || 0x9e3779b9);
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (n) => Math.floor(next() * n),
    normal: gaussian(next),
  };
}
