import { describe, it, expect } from 'vitest';
import {
  discoveryCurve,
  rankMetrics,
  trueCandidatePercent,
} from '../../src-main/lab/simulate/metrics';

describe('rankMetrics', () => {
  it('scores a perfect ranking as 1 everywhere', () => {
    const m = rankMetrics([0.9, 0.1, 0.8, 0.2, 0.3], [1, 0, 1, 0, 0]);
    expect(m.anomalies).toBe(2);
    expect(m.rws).toBe(1);
    expect(m.recall).toBe(1);
    expect(m.precision).toBe(1);
    expect(m.mcc).toBeCloseTo(1, 12);
  });

  it('weights the top of the ranking more (hand-computed)', () => {
    // n_o = 3, weights 3,2,1. Ranking: A(anom) N A(anom) | N A N. Top 3 hold anomalies at ranks 1, 3.
    const scores = [6, 5, 4, 3, 2, 1];
    const truth = [1, 0, 1, 0, 1, 0];
    const m = rankMetrics(scores, truth);
    expect(m.rws).toBeCloseTo((3 + 1) / 6, 12);
    expect(m.truePositives).toBe(2);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    // TP 2, FP 1, FN 1, TN 2: MCC = (4 − 1) / sqrt(3·3·3·3) = 3/9.
    expect(m.mcc).toBeCloseTo(1 / 3, 12);
  });

  it('a reversed ranking gets RWS 0 and negative MCC', () => {
    const m = rankMetrics([1, 2, 3, 4], [1, 1, 0, 0]);
    expect(m.rws).toBe(0);
    expect(m.mcc).toBeCloseTo(-1, 12);
  });

  it('averages over random order inside ties', () => {
    // All four tied, 1 anomaly: n_o = 1, the anomaly is on top with probability 1/4.
    const m = rankMetrics([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 0]);
    expect(m.rws).toBeCloseTo(0.25, 12);
    expect(m.recall).toBeCloseTo(0.25, 12);
    // TP .25, FP .75, FN .75, TN 2.25: (0.5625 − 0.5625)/… = 0.
    expect(m.mcc).toBeCloseTo(0, 12);
  });

  it('handles a tie straddling the n_o boundary (hand-computed)', () => {
    // n_o = 2 (weights 2, 1). Rank 1: anomaly alone (score 9). Ranks 2–3 tied at 5: one anomaly
    // one normal; only rank 2 is inside the top 2. Expected contribution there = ½·1.
    const m = rankMetrics([9, 5, 5, 1], [1, 0, 1, 0]);
    expect(m.rws).toBeCloseTo((2 + 0.5) / 3, 12);
    expect(m.truePositives).toBeCloseTo(1.5, 12);
    expect(m.recall).toBeCloseTo(0.75, 12);
  });

  it('defines every metric as 0 when there is no anomaly (n_o = 0)', () => {
    const m = rankMetrics([0.3, 0.2], [0, 0]);
    expect(m).toEqual({ anomalies: 0, rws: 0, recall: 0, precision: 0, mcc: 0, truePositives: 0 });
    expect(rankMetrics([], []).rws).toBe(0);
  });

  it('treats NaN scores as the lowest', () => {
    expect(rankMetrics([Number.NaN, 0.1], [0, 1]).rws).toBe(1);
  });

  it('rejects mismatched lengths', () => {
    expect(() => rankMetrics([1, 2], [1])).toThrow(/must match/);
  });
});

describe('discovery and true candidates', () => {
  it('accumulates anomalies found per question', () => {
    expect(discoveryCurve([0, 1, 1, 0, 1])).toEqual([0, 1, 2, 2, 3]);
    expect(discoveryCurve([])).toEqual([]);
  });
  it('gives the share of questions that were anomalies, in percent', () => {
    expect(trueCandidatePercent(3, 12)).toBe(25);
    expect(trueCandidatePercent(0, 0)).toBe(0);
  });
});
