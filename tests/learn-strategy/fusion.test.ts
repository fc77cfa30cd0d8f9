import { describe, it, expect } from 'vitest';
import {
  fusedClassScore,
  latentNovelty,
  percentileRanks,
} from '../../src-main/engine/learn/fusion';
import { createRng, pickQuestions } from '../../src-main/engine/learn/strategies';

describe('percentileRanks', () => {
  it('maps the largest value to 1 and shares ranks between ties', () => {
    expect(Array.from(percentileRanks([0.2, 0.9, 0.5, 0.5]))).toEqual([0.25, 1, 0.75, 0.75]);
  });
});

describe('latentNovelty', () => {
  it('ranks an isolated point of the latent space above a dense cluster', () => {
    const rng = createRng(4);
    const n = 300;
    const dims = 4;
    const latent = new Float32Array(n * dims);
    for (let i = 0; i < n * dims; i++) latent[i] = rng.normal() * 0.1;
    for (let d = 0; d < dims; d++) latent[(n - 1) * dims + d] = 3; // the odd one out
    const novelty = latentNovelty(latent, n, dims, 1);
    expect(novelty[n - 1]).toBe(1);
    expect(novelty[0]).toBeLessThan(1);
  });
});

describe('the fusion strategy', () => {
  // Four objects, classes [normal, reserve, anomaly A]. Object 0 is confidently A but ordinary
  // in the latent space; object 1 is A and unusual; object 2 is the most unusual of all but
  // the classifier calls it normal; object 3 is ordinary and normal.
  const probs = [0.05, 0.05, 0.9, 0.02, 0.03, 0.95, 0.9, 0.08, 0.02, 0.96, 0.03, 0.01];
  const novelty = [0.5, 0.75, 1, 0.25];

  it('asks the reserve by unusualness and a known class by P(c) × unusualness', () => {
    expect(fusedClassScore(probs, 3, novelty, 1, 2, 1)).toBe(1);
    expect(fusedClassScore(probs, 3, novelty, 1, 1, 2)).toBeCloseTo(0.95 * 0.75);
    const questions = pickQuestions({
      probs,
      classes: 3,
      weights: [0, 1, 1],
      candidates: [0, 1, 2, 3],
      q: 2,
      strategy: 'fusion',
      rng: createRng(1),
      novelty,
      reserve: 1,
      classNames: ['normal', 'reserve', 'A'],
    });
    expect(questions.map((q) => [q.index, q.classIndex])).toEqual([
      [2, 1], // the reserve's question: the most unusual object
      [1, 2], // A's question: confident and unusual beats confident and ordinary
    ]);
    expect(questions[0]!.why).toMatch(/most unusual/);
    expect(questions[1]!.why).toMatch(/P\(A\) = 0\.950/);
  });

  it('needs the novelty; the paper strategies do not', () => {
    const base = {
      probs,
      classes: 3,
      weights: [0, 1, 1],
      candidates: [0, 1, 2, 3],
      q: 2,
      rng: createRng(1),
    };
    expect(() => pickQuestions({ ...base, strategy: 'fusion' })).toThrow(/novelty/);
    expect(pickQuestions({ ...base, strategy: 'most-anomalous' })).toHaveLength(2);
  });
});
