/** The AHUNT anomaly score Σ_c w_c·P(c) (method.md, "One round", step 1), free of tfjs. */
import type { InterestWeights } from './types';

export class InvalidScoringInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidScoringInputError';
  }
}

/** Σ_c w_c·P(c) per object; classes without a weight count as 0 (not interesting). */
export function anomalyScores(
  probs: Float32Array,
  classes: number,
  weights: InterestWeights,
): Float32Array {
  if (weights.length > classes) {
    throw new InvalidScoringInputError(
      `${weights.length} interest weights were given for ${classes} classes.`,
    );
  }
  const count = Math.floor(probs.length / classes);
  const scores = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    let sum = 0;
    for (let c = 0; c < weights.length; c++) {
      sum += (weights[c] as number) * (probs[i * classes + c] as number);
    }
    scores[i] = sum;
  }
  return scores;
}
