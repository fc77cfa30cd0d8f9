import { percentileRanks } from '../learn/fusion';
import { IsolationForest } from '../learn/iforest';

/** Rows scored by the forest between two turns of the event loop (tens of ms each). */
const FOREST_CHUNK = 4096;

/**
 * What the fusion strategy (learn/fusion.ts) needs from a round: how unusual each candidate is
 * in the latest model's latent space, from an isolation forest fitted on the vectors the round
 * kept. Up to LATENT_SAMPLE objects that is every unlabelled object; beyond, the questions come
 * from the kept, evenly spread sample (at 10^6 objects one in five), which is what the forest
 * can see without holding 256 MB of vectors.
 *
 * Scoring 2·10^5 vectors with 100 trees takes seconds on this thread, the one that records the
 * expert's keystrokes (they may go on labelling while a round is prepared), so it is done in
 * chunks that let the event loop run between them. The result is latentNovelty's, row for row.
 */
export async function fusionInput(
  latents: Float32Array,
  count: number,
  latentSize: number,
  /** Row (in the round's probs) of each kept vector. */
  rows: Int32Array,
  /** Rows in the round's probs. */
  total: number,
  options: { seed: number; reserve: number | null },
): Promise<{ candidates: Int32Array; novelty: Float32Array; reserve: number } | null> {
  if (count === 0 || options.reserve === null) return null;
  const forest = IsolationForest.fit(latents, count, latentSize, { seed: options.seed });
  const scores = new Float64Array(count);
  for (let start = 0; start < count; start += FOREST_CHUNK) {
    const end = Math.min(count, start + FOREST_CHUNK);
    const chunk = latents.subarray(start * latentSize, end * latentSize);
    scores.set(forest.score(chunk, end - start), start);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const percentiles = percentileRanks(scores);
  const novelty = new Float32Array(total);
  for (let i = 0; i < count; i++) novelty[rows[i]!] = percentiles[i]!;
  return { candidates: rows.slice(0, count), novelty, reserve: options.reserve };
}
