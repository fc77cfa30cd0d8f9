/**
 * Isolation forest (Liu, Ting & Zhou 2008): anomalies are isolated by fewer random splits.
 * Each tree is grown on a random subsample of ψ rows without replacement, splitting on a random
 * feature at a uniform threshold between the node's min and max, to depth ⌈log2 ψ⌉. An object's
 * score is 2^(−E[h(x)]/c(ψ)), where h is the path length plus c(n) for the n training rows left
 * in the leaf it lands in. Scores near 1 are anomalies, around 0.5 and below are normal.
 * Same conventions as scikit-learn (whose score_samples is the negative of this score).
 */
import { createRng } from './strategies';
import type { Rng } from './strategies';

const EULER_GAMMA = 0.5772156649015329;

/** Average path length of an unsuccessful search in a binary search tree of n nodes: c(n). */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

export interface IsolationForestOptions {
  trees?: number;
  /** ψ, capped at the number of rows. */
  subsample?: number;
  seed?: number;
}

/**
 * One tree in flat arrays: node k splits on feature[k] at threshold[k] (left: value < threshold)
 * and its children are left[k], right[k]; a leaf has feature −1 and stores its depth-correction
 * (depth + c(size)) in threshold.
 */
interface Tree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
}

export class IsolationForest {
  private readonly trees: Tree[];
  readonly dims: number;
  private readonly normaliser: number;

  private constructor(trees: Tree[], dims: number, subsample: number) {
    this.trees = trees;
    this.dims = dims;
    this.normaliser = averagePathLength(subsample);
  }

  /** Grows the forest on `count` rows of `dims` features (row-major). */
  static fit(
    data: ArrayLike<number>,
    count: number,
    dims: number,
    options: IsolationForestOptions = {},
  ): IsolationForest {
    if (count < 1 || dims < 1 || data.length < count * dims) {
      throw new Error(
        `IsolationForest.fit: need ${count} × ${dims} values, got ${data.length} (and count ≥ 1).`,
      );
    }
    const trees = options.trees ?? 100;
    const subsample = Math.min(options.subsample ?? 256, count);
    const rng = createRng(options.seed ?? 0);
    const maxDepth = Math.ceil(Math.log2(Math.max(subsample, 2)));
    const rows = Array.from({ length: count }, (_, i) => i);
    const grown: Tree[] = [];
    for (let t = 0; t < trees; t++) {
      // Partial Fisher–Yates: the first ψ entries become a sample without replacement.
      for (let i = 0; i < subsample; i++) {
        const j = i + rng.int(count - i);
        const tmp = rows[i]!;
        rows[i] = rows[j]!;
        rows[j] = tmp;
      }
      grown.push(growTree(data, dims, rows.slice(0, subsample), maxDepth, rng));
    }
    return new IsolationForest(grown, dims, subsample);
  }

  /** Anomaly score in (0, 1] for each of `count` rows (higher = more anomalous). */
  score(data: ArrayLike<number>, count: number): Float64Array {
    const { dims } = this;
    if (data.length < count * dims) {
      throw new Error(`IsolationForest.score: need ${count} × ${dims} values, got ${data.length}.`);
    }
    const scores = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const base = i * dims;
      let total = 0;
      for (const tree of this.trees) {
        let node = 0;
        while (tree.feature[node]! >= 0) {
          const v = data[base + tree.feature[node]!] as number;
          node = v < tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
        }
        total += tree.threshold[node]!;
      }
      const meanPath = total / this.trees.length;
      scores[i] = this.normaliser > 0 ? Math.pow(2, -meanPath / this.normaliser) : 1;
    }
    return scores;
  }
}

function growTree(
  data: ArrayLike<number>,
  dims: number,
  sample: number[],
  maxDepth: number,
  rng: Rng,
): Tree {
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const featureOrder = Array.from({ length: dims }, (_, i) => i);

  const addNode = (): number => {
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    return feature.length - 1;
  };

  const makeLeaf = (node: number, depth: number, size: number): void => {
    feature[node] = -1;
    threshold[node] = depth + averagePathLength(size);
  };

  const build = (node: number, rows: number[], depth: number): void => {
    if (depth >= maxDepth || rows.length <= 1) {
      makeLeaf(node, depth, rows.length);
      return;
    }
    // Try features in random order until one varies in this node (as scikit-learn's random
    // splitter does); a node where every feature is constant cannot be split further.
    let chosen = -1;
    let lo = 0;
    let hi = 0;
    for (let k = 0; k < dims && chosen < 0; k++) {
      const j = k + rng.int(dims - k);
      const f = featureOrder[j]!;
      featureOrder[j] = featureOrder[k]!;
      featureOrder[k] = f;
      let min = Infinity;
      let max = -Infinity;
      for (const r of rows) {
        const v = data[r * dims + f] as number;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (max > min) {
        chosen = f;
        lo = min;
        hi = max;
      }
    }
    if (chosen < 0) {
      makeLeaf(node, depth, rows.length);
      return;
    }
    let cut = lo + rng.next() * (hi - lo);
    if (cut <= lo) cut = (lo + hi) / 2; // keeps both sides non-empty
    const leftRows: number[] = [];
    const rightRows: number[] = [];
    for (const r of rows) {
      if ((data[r * dims + chosen] as number) < cut) leftRows.push(r);
      else rightRows.push(r);
    }
    feature[node] = chosen;
    threshold[node] = cut;
    const l = addNode();
    const rr = addNode();
    left[node] = l;
    right[node] = rr;
    build(l, leftRows, depth + 1);
    build(rr, rightRows, depth + 1);
  };

  build(addNode(), sample, 0);
  return {
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
  };
}

/** Convenience: fit on the rows and score the same rows. */
export function isolationForestScores(
  data: ArrayLike<number>,
  count: number,
  dims: number,
  options: IsolationForestOptions = {},
): Float64Array {
  return IsolationForest.fit(data, count, dims, options).score(data, count);
}
