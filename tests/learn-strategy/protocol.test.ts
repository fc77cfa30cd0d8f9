import { describe, it, expect } from 'vitest';
import type { LabelledImages } from '../../src-main/lab/datasets/index';
import {
  drawSchedule,
  parseClassCounts,
  parseSeeds,
  runSimulation,
  summariseRuns,
} from '../../src-main/lab/simulate/index';
import type { CnnFactory, SimulationConfig } from '../../src-main/lab/simulate/index';
import { createRng } from '../../src-main/engine/learn/strategies';
import type { ImageBatch } from '../../src-main/engine/learn/types';

/**
 * A synthetic 4×4 dataset: class 'a' is dark, 'b' mid-grey, 'x' (the anomaly) bright. Each pixel
 * is the class level plus a little per-object jitter, so the classes separate by mean intensity.
 */
function syntheticData(perClass: Record<string, number>): LabelledImages {
  const levels: Record<string, number> = { a: 0.1, b: 0.4, x: 0.9 };
  const classNames = Object.keys(perClass);
  const count = Object.values(perClass).reduce((s, n) => s + n, 0);
  const data = new Float32Array(count * 16);
  const labels = new Int32Array(count);
  const rng = createRng(99);
  let n = 0;
  classNames.forEach((name, c) => {
    for (let k = 0; k < perClass[name]!; k++, n++) {
      labels[n] = c;
      for (let p = 0; p < 16; p++) data[n * 16 + p] = levels[name]! + 0.05 * rng.normal();
    }
  });
  return { images: { data, count, size: 4, bands: 1 }, labels, classNames, source: 'synthetic' };
}

/**
 * A stand-in CNN that "learns" instantly: it remembers the mean intensity of each trained class
 * and scores by nearest class mean; the reserve class takes objects far from every known class.
 * Enough to check the protocol's bookkeeping without tfjs.
 */
const fakeCnn: CnnFactory = async (spec) => {
  let classes = spec.normalClasses + 1;
  let means: number[] = [];
  const mean = (images: ImageBatch, i: number) => {
    let s = 0;
    for (let p = 0; p < 16; p++) s += images.data[i * 16 + p]!;
    return s / 16;
  };
  return {
    get classes() {
      return classes;
    },
    reserve: spec.normalClasses,
    async addClass() {
      return classes++;
    },
    async train(images, labels) {
      const sums = new Array<number>(classes).fill(0);
      const counts = new Array<number>(classes).fill(0);
      labels.forEach((l, i) => {
        sums[l]! += mean(images, i);
        counts[l]!++;
      });
      means = sums.map((s, c) => (counts[c] ? s / counts[c]! : Number.NaN));
      return { seconds: 0 };
    },
    async score(images) {
      const probs = new Float32Array(images.count * classes);
      const latent = new Float32Array(images.count);
      for (let i = 0; i < images.count; i++) {
        const m = mean(images, i);
        latent[i] = m;
        const logits = means.map((mu, c) =>
          c === spec.normalClasses
            ? -8 * 0.15
            : Number.isNaN(mu)
              ? -Infinity
              : -8 * Math.abs(m - mu),
        );
        while (logits.length < classes) logits.push(-Infinity);
        const mx = Math.max(...logits);
        const e = logits.map((z) => Math.exp(z - mx));
        const total = e.reduce((s, v) => s + v, 0);
        e.forEach((v, c) => (probs[i * classes + c] = v / total));
      }
      return { probs, latent, classes, latentSize: 1 };
    },
    async warmStart(images, epochs) {
      // Sees every object of the run before any round, and no label.
      warmStartSaw.push(images.count);
      return { epochs, seconds: 0, losses: [2, 1] };
    },
    dispose() {},
  };
};
const warmStartSaw: number[] = [];

const backend = { name: 'cpu' as const, reason: 'test', detail: 'fake CNN' };
const data = syntheticData({ a: 200, b: 200, x: 30 });
const base: SimulationConfig = {
  dataset: 'synthetic',
  normal: { a: 40, b: 40 },
  perRound: { a: 20, b: 20, x: 3 },
  rounds: 8,
  queries: 4,
  epochs: 1,
  initialEpochs: 1,
  method: 'ahunt',
  strategy: 'most-anomalous',
  seed: 5,
  noise: 0,
  batchSize: 32,
  augment: 'none',
};

describe('drawSchedule', () => {
  it('draws without replacement and explains a short pool', () => {
    const s = drawSchedule(
      data.labels,
      data.classNames,
      { a: 10 },
      { a: 5, x: 2 },
      3,
      createRng(1),
      'syn',
    );
    const all = [...s.start, ...s.rounds.flat()];
    expect(all).toHaveLength(10 + 3 * 7);
    expect(new Set(all).size).toBe(all.length);
    expect(s.rounds[0]!.filter((i) => data.labels[i] === 2)).toHaveLength(2);
    expect(() =>
      drawSchedule(data.labels, data.classNames, { a: 10 }, { x: 20 }, 3, createRng(1), 'syn'),
    ).toThrow(/has 30 images of class "x" but the protocol needs 60/);
    expect(() =>
      drawSchedule(data.labels, data.classNames, { q: 1 }, {}, 1, createRng(1), 'syn'),
    ).toThrow(/Class "q" is not in syn/);
  });
});

describe('runSimulation (stand-in CNN)', () => {
  it('follows the protocol: counts, questions, class creation, metrics', async () => {
    const rounds: number[] = [];
    const result = await runSimulation(base, {
      backend,
      data,
      cnn: fakeCnn,
      onRound: (p) => rounds.push(p.round),
    });
    expect(rounds).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const r = result.rounds;
    expect(r.map((x) => x.observed)).toEqual(r.map((_, i) => 80 + 43 * (i + 1)));
    expect(r.map((x) => x.anomalies_observed)).toEqual(r.map((_, i) => 3 * (i + 1)));
    expect(r.map((x) => x.asked)).toEqual(r.map((_, i) => 4 * (i + 1)));
    // Bright anomalies are far from both normal means: the reserve finds them in round 1 and
    // the oracle creates class x (4 outputs). From then on 2 of the 4 questions go to the reserve
    // (which no longer sees anything odd) and 2 to class x, so most but not all are asked about.
    expect(r[0]!.classes).toBe(4);
    expect(r[0]!.found).toBe(3);
    expect(r[r.length - 1]!.found).toBeGreaterThanOrEqual(18);
    expect(r[r.length - 1]!.rws).toBe(1);
    expect(r.every((x) => x.found <= x.anomalies_observed && x.found <= x.asked)).toBe(true);
    expect(result.backend).toBe(backend);
    expect(JSON.parse(JSON.stringify(result)).rounds[0]).toHaveProperty('true_candidates');
  });

  it('random questions find fewer anomalies than most-anomalous ones', async () => {
    const random = await runSimulation(
      { ...base, strategy: 'random' },
      { backend, data, cnn: fakeCnn },
    );
    expect(random.rounds[7]!.found).toBeLessThan(12);
  });

  it('runs the baselines (iforest-raw, noactive, iforest-static) and summarises', async () => {
    const raw = await runSimulation({ ...base, method: 'iforest-raw' }, { backend, data });
    // Bright objects are trivially isolated in pixel space.
    expect(raw.rounds[7]!.rws).toBeGreaterThan(0.8);
    const noactive = await runSimulation(
      { ...base, method: 'noactive' },
      { backend, data, cnn: fakeCnn },
    );
    expect(noactive.rounds[7]!.asked).toBe(32);
    const static_ = await runSimulation(
      { ...base, method: 'iforest-static' },
      { backend, data, cnn: fakeCnn },
    );
    // In the 1-D "latent" the 24 anomalies form a tight cluster, which masks them from a forest.
    expect(static_.rounds[7]!.rws).toBeGreaterThan(0.4);
    const summary = summariseRuns([raw, noactive, static_]);
    expect(summary.map((s) => s.method)).toEqual(['iforest-raw', 'noactive', 'iforest-static']);
    expect(summary[0]!.rws).toBe(raw.rounds[7]!.rws);
  });

  it('warm-starts the CNN on every object of the run when asked, and reports it', async () => {
    warmStartSaw.length = 0;
    const plain = await runSimulation(base, { backend, data, cnn: fakeCnn });
    expect(warmStartSaw).toEqual([]);
    expect(plain.warm_start).toBeUndefined();
    const warmed = await runSimulation({ ...base, warmStart: 2 }, { backend, data, cnn: fakeCnn });
    expect(warmStartSaw).toEqual([80 + 8 * 43]);
    expect(warmed.warm_start).toEqual({ epochs: 2, seconds: 0, losses: [2, 1] });
  });

  it('is reproducible from the seed', async () => {
    const a = await runSimulation({ ...base, strategy: 'random' }, { backend, data, cnn: fakeCnn });
    const b = await runSimulation({ ...base, strategy: 'random' }, { backend, data, cnn: fakeCnn });
    expect(b.rounds.map((x) => x.found)).toEqual(a.rounds.map((x) => x.found));
  });
});

describe('config parsing', () => {
  it('reads class counts and seeds', () => {
    expect(parseClassCounts('0:500, 1:900', 'normal')).toEqual({ '0': 500, '1': 900 });
    expect(() => parseClassCounts('0=500', 'normal')).toThrow(/class:count pairs/);
    expect(parseSeeds('2-4')).toEqual([2, 3, 4]);
    expect(parseSeeds('1,7')).toEqual([1, 7]);
    expect(() => parseSeeds('x')).toThrow(/--seed/);
  });
});
