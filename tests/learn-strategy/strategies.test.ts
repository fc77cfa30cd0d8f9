import { describe, it, expect } from 'vitest';
import {
  allocateQuestions,
  createRng,
  pickQuestions,
} from '../../src-main/engine/learn/strategies';

describe('createRng', () => {
  it('is reproducible from its seed and differs between seeds', () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const xs = [a.next(), a.next(), a.next()];
    expect([b.next(), b.next(), b.next()]).toEqual(xs);
    expect(c.next()).not.toBe(xs[0]);
  });
  it('draws normals with mean 0 and sd 1', () => {
    const rng = createRng(3);
    let s = 0;
    let s2 = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(Math.sqrt(s2 / n)).toBeGreaterThan(0.97);
    expect(Math.sqrt(s2 / n)).toBeLessThan(1.03);
  });
});

describe('allocateQuestions', () => {
  it('splits Q by weight and sums to exactly Q', () => {
    // reserve 5/8, A 1/8, B 2/8 with Q = 8 → 5, 1, 2.
    expect(allocateQuestions([5, 0, 1, 2], 8)).toEqual([
      { classIndex: 0, count: 5 },
      { classIndex: 3, count: 2 },
      { classIndex: 2, count: 1 },
    ]);
    // Q = 5: exact 3.125, 1.25, 0.625 → rounded 3, 1, 1 = 5.
    const five = allocateQuestions([5, 0, 1, 2], 5);
    expect(five.reduce((s, c) => s + c.count, 0)).toBe(5);
    expect(five.find((c) => c.classIndex === 0)?.count).toBe(3);
  });
  it('gives every interest class at least one question and fixes rounding overshoot', () => {
    const alloc = allocateQuestions([1, 1, 1], 5); // 1.67 each → 2,2,2 = 6 → one back
    expect(alloc.reduce((s, c) => s + c.count, 0)).toBe(5);
    expect(alloc.every((c) => c.count >= 1)).toBe(true);
    const tiny = allocateQuestions([100, 1], 3); // 2.97, 0.03 → 3, 1 → 2, 1
    expect(tiny).toEqual([
      { classIndex: 0, count: 2 },
      { classIndex: 1, count: 1 },
    ]);
  });
  it('keeps the heaviest classes when there are more classes than questions', () => {
    expect(allocateQuestions([1, 3, 2], 2)).toEqual([
      { classIndex: 1, count: 1 },
      { classIndex: 2, count: 1 },
    ]);
    expect(allocateQuestions([0, 0], 5)).toEqual([]);
  });
});

/** 6 objects × 3 classes; column 2 is the reserve class. */
const probs = Float32Array.from([
  0.9,
  0.05,
  0.05, // 0
  0.1,
  0.1,
  0.8, // 1
  0.2,
  0.2,
  0.6, // 2
  0.3,
  0.2,
  0.5, // 3
  0.5,
  0.4,
  0.1, // 4
  0.0,
  0.05,
  0.95, // 5
]);

describe('pickQuestions', () => {
  it('most-anomalous takes the highest P(class) among unlabelled objects', () => {
    const qs = pickQuestions({
      probs,
      classes: 3,
      weights: [0, 0, 1],
      candidates: [0, 1, 2, 3, 4], // 5 is labelled already
      q: 2,
      strategy: 'most-anomalous',
      rng: createRng(1),
      classNames: ['zero', 'one', 'reserve'],
    });
    expect(qs.map((x) => x.index)).toEqual([1, 2]);
    expect(qs[0]!.classIndex).toBe(2);
    expect(qs[0]!.score).toBeCloseTo(0.8, 6);
    expect(qs[0]!.why).toContain('P(reserve) = 0.800');
    expect(qs[0]!.why).toContain('rank 1 of 5');
  });

  it('uncertainty prefers p just above 0.5 and scores p < 0.5 as 0', () => {
    const qs = pickQuestions({
      probs,
      classes: 3,
      weights: [0, 0, 1],
      candidates: [0, 1, 2, 3, 4, 5],
      q: 3,
      strategy: 'uncertainty',
      rng: createRng(1),
    });
    // p = 0.5 → 1, 0.6 → 0.8, 0.8 → 0.4.
    expect(qs.map((x) => x.index)).toEqual([3, 2, 1]);
    expect(qs[1]!.score).toBeCloseTo(0.8, 5);
  });

  it('never asks twice about one object across classes, and respects Q exactly', () => {
    const qs = pickQuestions({
      probs,
      classes: 3,
      weights: [1, 0, 1],
      candidates: [0, 1, 2, 3, 4, 5],
      q: 4,
      strategy: 'most-anomalous',
      rng: createRng(2),
    });
    expect(qs).toHaveLength(4);
    expect(new Set(qs.map((x) => x.index)).size).toBe(4);
    expect(qs.filter((x) => x.classIndex === 0).map((x) => x.index)).toEqual([0, 4]);
    expect(qs.filter((x) => x.classIndex === 2).map((x) => x.index)).toEqual([5, 1]);
  });

  it('random is reproducible per seed, stays within candidates and stops when they run out', () => {
    const args = {
      probs,
      classes: 3,
      weights: [0, 0, 1],
      candidates: [1, 3, 4],
      q: 5,
      strategy: 'random' as const,
    };
    const a = pickQuestions({ ...args, rng: createRng(9) });
    const b = pickQuestions({ ...args, rng: createRng(9) });
    expect(a.map((x) => x.index)).toEqual(b.map((x) => x.index));
    expect(a.map((x) => x.index).sort()).toEqual([1, 3, 4]);
  });

  it('breaks score ties at random, not by index', () => {
    const flat = new Float32Array(200).fill(0.1); // 100 objects × 2 classes, all tied
    const firsts = new Set<number>();
    for (let seed = 0; seed < 10; seed++) {
      const [first] = pickQuestions({
        probs: flat,
        classes: 2,
        weights: [0, 1],
        candidates: Array.from({ length: 100 }, (_, i) => i),
        q: 1,
        strategy: 'uncertainty',
        rng: createRng(seed),
      });
      firsts.add(first!.index);
    }
    expect(firsts.size).toBeGreaterThan(5);
  });

  it('rejects an unknown strategy and candidates without a row', () => {
    const base = { probs, classes: 3, weights: [0, 0, 1], q: 1, rng: createRng(1) };
    expect(() =>
      pickQuestions({ ...base, candidates: [0], strategy: 'bogus' as 'random' }),
    ).toThrow(/Unknown strategy/);
    expect(() => pickQuestions({ ...base, candidates: [6], strategy: 'random' })).toThrow(/no row/);
  });
});
