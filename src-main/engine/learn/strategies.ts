/**
 * Question strategies (method.md, "One round", step 2): which unlabelled objects to show the
 * expert, split between the interest classes by weight. Also the seeded RNG every stochastic
 * piece of the learning code shares, so a run is reproducible from its seed alone.
 */
import { mulberry32, rngFrom, type Rng } from '../random';
import { strategyNames } from '../../contract/contract';
import { fusedClassScore } from './fusion';
import type { InterestWeights, StrategyName } from './types';

/** Every strategy, fusion first (simulate's default). */
export const STRATEGIES: readonly StrategyName[] = [
  'fusion',
  ...strategyNames.filter((name) => name !== 'fusion'),
];

export type { Rng };

/**
 * The engine's generator (../random), seeded through a hash so that neighbouring seeds (1, 2, 3…) give unrelated streams.
 */
export function createRng(seed: number): Rng {
  return rngFrom(mulberry32(Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b)));
}

export interface Question {
  /** Object index (row of `probs`). */
  index: number;
  /** The interest class this question was asked for. */
  classIndex: number;
  /** The strategy's score for this object and class (higher = asked first). */
  score: number;
  /** One sentence a person can read: why this object was chosen. */
  why: string;
}

export interface PickQuestionsInput {
  /** count × classes probabilities, row-major. */
  probs: Float32Array | ArrayLike<number>;
  /** Number of columns in `probs`. */
  classes: number;
  /** Interest weight per class index; classes with weight 0 get no questions. */
  weights: InterestWeights;
  /** Indices of the objects that may be asked about (the unlabelled ones). */
  candidates: ArrayLike<number>;
  /** Total number of questions wanted. */
  q: number;
  strategy: StrategyName;
  rng: Rng;
  /** Names for the "why" sentence; class indices are used when absent. */
  classNames?: readonly string[];
  /**
   * For 'fusion': each row's unusualness in the latent space as a percentile in (0, 1]
   * (fusion.ts, latentNovelty), and which class is the reserve.
   */
  novelty?: ArrayLike<number>;
  reserve?: number;
}

/**
 * Questions per interest class: round(Q·w/Σw), at least 1 each, adjusted so the total is
 * exactly Q. When there are more interest classes than questions, the heaviest classes get
 * one each. Returned in the order classes should pick (heaviest first).
 */
export function allocateQuestions(
  weights: InterestWeights,
  q: number,
): Array<{ classIndex: number; count: number }> {
  const interest = weights
    .map((w, classIndex) => ({ classIndex, w }))
    .filter((c) => c.w > 0 && Number.isFinite(c.w))
    .sort((a, b) => b.w - a.w || a.classIndex - b.classIndex);
  if (q <= 0 || interest.length === 0) return [];
  const total = interest.reduce((s, c) => s + c.w, 0);
  const slots = interest.map((c) => {
    const exact = (q * c.w) / total;
    return { classIndex: c.classIndex, exact, count: Math.max(1, Math.round(exact)) };
  });
  let sum = slots.reduce((s, c) => s + c.count, 0);
  while (sum > q) {
    // Take from the class most over its exact share; keep the "at least 1" while possible.
    let pick = -1;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!;
      if (s.count <= 1) continue;
      if (pick < 0 || s.count - s.exact > slots[pick]!.count - slots[pick]!.exact) pick = i;
    }
    if (pick < 0) {
      // Every class is at 1 and there are still too many: drop the lightest.
      for (let i = slots.length - 1; i >= 0; i--) {
        if (slots[i]!.count > 0) {
          pick = i;
          break;
        }
      }
    }
    slots[pick]!.count--;
    sum--;
  }
  while (sum < q) {
    let pick = 0;
    for (let i = 1; i < slots.length; i++) {
      if (slots[i]!.exact - slots[i]!.count > slots[pick]!.exact - slots[pick]!.count) pick = i;
    }
    slots[pick]!.count++;
    sum++;
  }
  return slots.filter((s) => s.count > 0).map(({ classIndex, count }) => ({ classIndex, count }));
}

/** The strategy's preference for an object whose probability for the class is p. */
function strategyScore(strategy: Exclude<StrategyName, 'fusion'>, p: number): number {
  switch (strategy) {
    case 'most-anomalous':
      return p;
    case 'uncertainty':
      // Only objects the model leans towards the class count; then the closer to 0.5 the better.
      return p < 0.5 ? 0 : 1 - 2 * Math.abs(p - 0.5);
    case 'random':
      return p;
  }
}

function describe(
  strategy: StrategyName,
  className: string,
  p: number,
  rank: number,
  pool: number,
  novelty: number,
): string {
  const prob = `P(${className}) = ${p.toFixed(3)}`;
  const top = Math.max(1, Math.ceil(100 * (1 - novelty) - 1e-9));
  const unusual = `among the ${top} % most unusual objects in the model's latent space`;
  switch (strategy) {
    case 'fusion':
      return className === RESERVE_WORD
        ? `${unusual}, rank ${rank} of ${pool} for a kind not seen yet`
        : `${prob} and ${unusual}, rank ${rank} of ${pool} for ${className}`;
    case 'most-anomalous':
      return `${prob}, rank ${rank} of ${pool} for ${className} (most anomalous first)`;
    case 'uncertainty':
      return `${prob}, rank ${rank} of ${pool} for ${className} (closest to the decision boundary)`;
    case 'random':
      return `${prob}, drawn at random for ${className} (random strategy)`;
  }
}

const RESERVE_WORD = 'unknown';

/**
 * Picks Q questions among the candidates. Never returns an object outside `candidates`, never the
 * same object twice (an object claimed by a heavier class is skipped by the lighter ones).
 * Ties in the strategy score are broken at random so that, e.g., the many uncertainty scores of 0
 * do not always favour the oldest objects.
 */
export function pickQuestions(input: PickQuestionsInput): Question[] {
  const { probs, classes, weights, candidates, q, strategy, rng, classNames } = input;
  if (!STRATEGIES.includes(strategy)) {
    throw new Error(`Unknown strategy "${strategy}"; use one of ${STRATEGIES.join(', ')}.`);
  }
  const { novelty, reserve } = input;
  if (strategy === 'fusion' && (novelty === undefined || reserve === undefined)) {
    throw new Error('pickQuestions: the fusion strategy needs the latent novelty and the reserve.');
  }
  if (weights.length > classes) {
    throw new Error(`pickQuestions: ${weights.length} interest weights for ${classes} classes.`);
  }
  const pool = Array.from(new Set(Array.from(candidates)));
  for (const i of pool) {
    if (!Number.isInteger(i) || i < 0 || (i + 1) * classes > probs.length) {
      throw new Error(`pickQuestions: candidate ${i} has no row in probs.`);
    }
  }
  const tieBreak = new Map<number, number>();
  for (const i of pool) tieBreak.set(i, rng.next());
  const taken = new Set<number>();
  const questions: Question[] = [];
  for (const { classIndex, count } of allocateQuestions(weights, Math.min(q, pool.length))) {
    const name =
      strategy === 'fusion' && classIndex === reserve
        ? RESERVE_WORD
        : (classNames?.[classIndex] ?? `class ${classIndex}`);
    const available = pool.filter((i) => !taken.has(i));
    const p = (i: number): number => probs[i * classes + classIndex] as number;
    const scoreOf = (i: number): number =>
      strategy === 'fusion'
        ? fusedClassScore(probs, classes, novelty!, reserve!, i, classIndex)
        : strategyScore(strategy, p(i));
    let ordered: number[];
    if (strategy === 'random') {
      ordered = rng.shuffle(available);
    } else {
      const score = new Map<number, number>();
      for (const i of available) score.set(i, scoreOf(i));
      ordered = available.sort(
        (a, b) => score.get(b)! - score.get(a)! || tieBreak.get(a)! - tieBreak.get(b)!,
      );
    }
    for (let k = 0; k < count && k < ordered.length; k++) {
      const index = ordered[k]!;
      taken.add(index);
      questions.push({
        index,
        classIndex,
        score: scoreOf(index),
        why: describe(strategy, name, p(index), k + 1, ordered.length, novelty?.[index] ?? 0),
      });
    }
  }
  return questions;
}
