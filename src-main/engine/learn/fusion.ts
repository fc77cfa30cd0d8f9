/**
 * The fused question score: the classifier's interest (P(c)) times how unusual an object is in
 * the CNN's own latent space (an isolation forest fitted there each round), and the reserve
 * class's questions taken from that unusualness alone. Only the questions are fused: the
 * ranking of every object stays Σ w·P (simulate/methods.ts says why).
 *
 * Why (measured on the MNIST protocol, README): the forest in the evolving latent space asked
 * better questions than AHUNT's P(reserve), because the reserve class never gets a training
 * example, so its probability is not calibrated to anything: the CNN pushes it down for every
 * labelled object and what is left ranks thin, low-activation digits first. The latent space,
 * though, is trained on the answers and separates what the expert has seen from what they have
 * not; unusual points there are what "unknown" should mean. Once an anomaly class exists its
 * P(c) is trained and sharp, and the forest's rank only breaks its ties and demotes confident
 * mistakes on ordinary-looking objects.
 */
import { isolationForestScores } from './iforest';

/**
 * Percentile of each value among all of them, in (0, 1]: 1 for the most unusual. Ties share
 * the highest rank of their group so equal scores get equal percentiles.
 */
export function percentileRanks(values: ArrayLike<number>): Float32Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (values[a] as number) - (values[b] as number),
  );
  const out = new Float32Array(n);
  let k = 0;
  while (k < n) {
    let end = k;
    while (end + 1 < n && values[order[end + 1]!] === values[order[k]!]) end++;
    for (let j = k; j <= end; j++) out[order[j]!] = (end + 1) / n;
    k = end + 1;
  }
  return out;
}

/** Unusualness in the latent space: isolation-forest score percentiles over `count` rows. */
export function latentNovelty(
  latent: Float32Array,
  count: number,
  latentSize: number,
  seed: number,
): Float32Array {
  return percentileRanks(isolationForestScores(latent, count, latentSize, { seed }));
}

/**
 * The fused score of object `row` for interest class `classIndex`: the novelty percentile for
 * the reserve class; P(c) × novelty for a class that has been taught with examples.
 */
export function fusedClassScore(
  probs: ArrayLike<number>,
  classes: number,
  novelty: ArrayLike<number>,
  reserve: number,
  row: number,
  classIndex: number,
): number {
  const nov = novelty[row] as number;
  if (classIndex === reserve) return nov;
  return (probs[row * classes + classIndex] as number) * nov;
}
