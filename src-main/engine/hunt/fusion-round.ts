import { latentNovelty } from '../learn/fusion';

/**
 * What the fusion strategy (learn/fusion.ts) needs from a round: how unusual each candidate is
 * in the latest model's latent space, from an isolation forest fitted on the vectors the round
 * kept. Up to LATENT_SAMPLE objects that is every unlabelled object; beyond, the questions come
 * from the kept, evenly spread sample (at 10^6 objects one in five), which is what the forest
 * can see without holding 256 MB of vectors.
 */
export function fusionInput(
  latents: Float32Array,
  count: number,
  latentSize: number,
  /** Row (in the round's probs) of each kept vector. */
  rows: Int32Array,
  /** Rows in the round's probs. */
  total: number,
  options: { seed: number; reserve: number | null },
): { candidates: Int32Array; novelty: Float32Array; reserve: number } | null {
  if (count === 0 || options.reserve === null) return null;
  const percentiles = latentNovelty(latents, count, latentSize, options.seed);
  const novelty = new Float32Array(total);
  for (let i = 0; i < count; i++) novelty[rows[i]!] = percentiles[i]!;
  return { candidates: rows.slice(0, count), novelty, reserve: options.reserve };
}
