import { mulberry32, rngFrom, type Rng } from '../random';

export type { Rng };

/**
 * The demo survey's generator: it must be byte-identical for a given seed on every machine,
 * which Math.random cannot give. Seeded directly (no hash), as the demo always was.
 */
export function createRng(seed: number): Rng {
  return rngFrom(mulberry32(seed >>> 0 || 0x9e3779b9));
}
