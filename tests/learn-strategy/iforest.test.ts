import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { averagePathLength, IsolationForest } from '../../src-main/engine/learn/iforest';

interface Fixture {
  count: number;
  dims: number;
  data: number[];
  is_outlier: number[];
  sklearn_scores: number[];
}

const fixture = JSON.parse(
  readFileSync(path.resolve(__dirname, '../fixtures/iforest/dataset.json'), 'utf8'),
) as Fixture;

function ranks(values: ArrayLike<number>): number[] {
  const order = Array.from({ length: values.length }, (_, i) => i).sort(
    (a, b) => (values[a] as number) - (values[b] as number),
  );
  const r = new Array<number>(values.length);
  order.forEach((idx, k) => (r[idx] = k));
  return r;
}

function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const n = ra.length;
  const mean = (n - 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i]! - mean) * (rb[i]! - mean);
    da += (ra[i]! - mean) ** 2;
    db += (rb[i]! - mean) ** 2;
  }
  return num / Math.sqrt(da * db);
}

function topK(scores: ArrayLike<number>, k: number): number[] {
  return Array.from({ length: scores.length }, (_, i) => i)
    .sort((a, b) => (scores[b] as number) - (scores[a] as number))
    .slice(0, k)
    .sort((a, b) => a - b);
}

describe('averagePathLength', () => {
  it('matches c(n) from Liu et al.', () => {
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    // c(256) = 2(ln 255 + γ) − 2·255/256 ≈ 10.2448
    expect(averagePathLength(256)).toBeCloseTo(10.2448, 3);
  });
});

describe('IsolationForest against scikit-learn', () => {
  // Both forests are random (different generators, different draws), so individual scores
  // differ by a few hundredths; what must agree is the ORDER they put objects in and the
  // anomalies they put on top. scikit-learn's own forests with two random_states agree with
  // each other at about the same level.
  const forest = IsolationForest.fit(fixture.data, fixture.count, fixture.dims, { seed: 1 });
  const ours = forest.score(fixture.data, fixture.count);
  const outliers = fixture.is_outlier.filter((x) => x === 1).length;

  it('ranks objects like scikit-learn (Spearman ≥ 0.9)', () => {
    expect(spearman(ours, fixture.sklearn_scores)).toBeGreaterThanOrEqual(0.9);
  });

  it('puts the same objects on top as scikit-learn: the planted outliers', () => {
    const planted = fixture.is_outlier.flatMap((x, i) => (x === 1 ? [i] : []));
    expect(topK(fixture.sklearn_scores, outliers)).toEqual(planted);
    expect(topK(ours, outliers)).toEqual(planted);
  });

  it('gives scores on the same scale as scikit-learn', () => {
    const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean(ours) - mean(fixture.sklearn_scores))).toBeLessThan(0.03);
    for (const s of ours) {
      expect(s).toBeGreaterThan(0);
      expect(s).toBeLessThanOrEqual(1);
    }
  });

  it('is reproducible from its seed', () => {
    const again = IsolationForest.fit(fixture.data, fixture.count, fixture.dims, { seed: 1 });
    expect(Array.from(again.score(fixture.data, 5))).toEqual(Array.from(ours.slice(0, 5)));
  });

  it('copes with constant features and tiny inputs', () => {
    const constant = new Float32Array(3 * 20).fill(2);
    constant[0] = 50; // one object differs in feature 0
    const s = IsolationForest.fit(constant, 20, 3, { seed: 3 }).score(constant, 20);
    expect(s[0]).toBeGreaterThan(s[1]!);
    expect(() => IsolationForest.fit([], 0, 3)).toThrow(/count ≥ 1/);
  });
});
