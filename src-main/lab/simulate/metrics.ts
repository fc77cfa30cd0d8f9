/**
 * AHUNT evaluation metrics (method.md, "Metrics"), computed over everything observed so far.
 *
 * Ties: when several objects share a score, their order is arbitrary, so a metric that broke
 * ties by position would reward or punish a model for the order the data arrived in (a model
 * that gives every object the same score would look perfect or useless by luck). Every
 * rank-based metric here is therefore the EXPECTED value under a uniformly random order inside
 * each tie group — exact, by linearity, not sampled.
 *
 * No anomaly observed (n_o = 0): nothing can be found, every rank metric is defined as 0.
 */

export interface RankMetrics {
  /** Number of true anomalies among the scored objects. */
  anomalies: number;
  /** Rank-weighted score at n_o, in [0, 1]. */
  rws: number;
  /** With exactly n_o objects flagged (recall = precision because flagged = true count). */
  recall: number;
  precision: number;
  /** Matthews correlation coefficient with exactly n_o flagged, in [-1, 1]. */
  mcc: number;
  /** Expected number of true anomalies among the n_o flagged. */
  truePositives: number;
}

interface TieGroup {
  /** 0-based rank of the group's first member. */
  start: number;
  size: number;
  anomalies: number;
}

/** Groups objects of equal score, highest score first. */
function tieGroups(scores: ArrayLike<number>, isAnomaly: ArrayLike<boolean | number>): TieGroup[] {
  if (scores.length !== isAnomaly.length) {
    throw new Error(
      `metrics: ${scores.length} scores but ${isAnomaly.length} anomaly flags; they must match`,
    );
  }
  const order = Array.from({ length: scores.length }, (_, i) => i);
  // NaN scores sink to the bottom: a model that failed to score an object did not flag it.
  const key = (i: number): number => {
    const s = scores[i] as number;
    return Number.isNaN(s) ? -Infinity : s;
  };
  order.sort((a, b) => key(b) - key(a));
  const groups: TieGroup[] = [];
  let i = 0;
  while (i < order.length) {
    const s = key(order[i] as number);
    let j = i;
    let anomalies = 0;
    while (j < order.length && key(order[j] as number) === s) {
      if (isAnomaly[order[j] as number]) anomalies++;
      j++;
    }
    groups.push({ start: i, size: j - i, anomalies });
    i = j;
  }
  return groups;
}

function countAnomalies(isAnomaly: ArrayLike<boolean | number>): number {
  let n = 0;
  for (let i = 0; i < isAnomaly.length; i++) if (isAnomaly[i]) n++;
  return n;
}

/**
 * RWS, recall, precision and MCC for `scores` (higher = more anomalous) against the truth
 * `isAnomaly` (truthy = anomaly), with the top n_o flagged.
 */
export function rankMetrics(
  scores: ArrayLike<number>,
  isAnomaly: ArrayLike<boolean | number>,
): RankMetrics {
  const groups = tieGroups(scores, isAnomaly);
  const total = scores.length;
  const nO = countAnomalies(isAnomaly);
  if (nO === 0) {
    return { anomalies: 0, rws: 0, recall: 0, precision: 0, mcc: 0, truePositives: 0 };
  }
  // Rank r (0-based) inside the top n_o has weight n_o − r.
  const weightSum = (nO * (nO + 1)) / 2;
  let weighted = 0;
  let truePositives = 0;
  for (const g of groups) {
    if (g.start >= nO) break;
    const end = Math.min(g.start + g.size, nO);
    const inTop = end - g.start;
    // Sum of weights of the group's positions that fall inside the top n_o.
    let w = 0;
    for (let r = g.start; r < end; r++) w += nO - r;
    const anomalyShare = g.anomalies / g.size;
    weighted += anomalyShare * w;
    truePositives += anomalyShare * inTop;
  }
  const rws = weighted / weightSum;
  const recall = truePositives / nO;
  const tp = truePositives;
  const fp = nO - tp;
  const fn = nO - tp;
  const tn = total - nO - fp;
  const denom = Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
  // Every object an anomaly (tn + fp = 0): MCC is undefined; flagging all of them is perfect.
  const mcc = denom === 0 ? (fp === 0 ? 1 : 0) : (tp * tn - fp * fn) / denom;
  return { anomalies: nO, rws, recall, precision: recall, mcc, truePositives };
}

/** Percentage of questions asked whose answer was an anomaly (0 when nothing was asked). */
export function trueCandidatePercent(found: number, asked: number): number {
  return asked === 0 ? 0 : (100 * found) / asked;
}

/**
 * Discovery curve: after the k-th question (k = 1…), how many anomalies had been found.
 * `answers[k]` is truthy when the k-th question's object was an anomaly.
 */
export function discoveryCurve(answers: ArrayLike<boolean | number>): number[] {
  const curve: number[] = [];
  let found = 0;
  for (let i = 0; i < answers.length; i++) {
    if (answers[i]) found++;
    curve.push(found);
  }
  return curve;
}
