import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src-main/engine/learn/backend';
import { addClass, buildModel, disposeModel, saveModel } from '../../src-main/engine/learn/model';
import { scoreImages } from '../../src-main/engine/learn/score';
import {
  hardExampleDuplicates,
  InvalidTrainingDataError,
  TrainingCancelledError,
  trainRound,
} from '../../src-main/engine/learn/train';
import type { TrainOptions, TrainProgress } from '../../src-main/engine/learn/types';
import { toyImages } from './helpers';

const base: TrainOptions = {
  epochs: 1,
  batchSize: 32,
  balance: true,
  augment: 'flips-rot90',
  loss: 'crossentropy',
  hardExamples: false,
  seed: 1,
};

function accuracy(probs: Float32Array, classes: number, labels: Int32Array): number {
  let right = 0;
  labels.forEach((label, i) => {
    const row = Array.from(probs.subarray(i * classes, (i + 1) * classes));
    if (row.indexOf(Math.max(...row)) === label) right++;
  });
  return right / labels.length;
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('trainRound', () => {
  it('learns a small separable problem', async () => {
    const model = buildModel({ size: 28, bands: 1, classes: 3, seed: 11 });
    const train = toyImages(400, 28, 1);
    const test = toyImages(200, 28, 2);
    const result = await trainRound(
      model,
      train.images,
      train.labels,
      { count: 3, reserve: 2 },
      {
        ...base,
        epochs: 4,
      },
    );
    expect(result.images).toBe(4 * 400);
    expect(result.finalLoss).toBeLessThan(0.5);
    const scored = await scoreImages(model, test.images);
    expect(accuracy(scored.probs, 3, test.labels)).toBeGreaterThan(0.95);
    disposeModel(model);
  });

  it('is deterministic given its seed, dropout included, and draws a new mask each step', async () => {
    const train = toyImages(96, 16, 3);
    const trained = async (seed: number, before?: (m: tf.LayersModel) => Promise<void>) => {
      const model = buildModel({ size: 16, bands: 1, classes: 3, seed: 5 });
      if (before) await before(model);
      await trainRound(
        model,
        train.images,
        train.labels,
        { count: 3, reserve: 2 },
        {
          ...base,
          epochs: 2,
          seed,
        },
      );
      const weights = saveModel(model).weights;
      disposeModel(model);
      return weights;
    };
    const a = await trained(1);
    expect(await trained(1)).toEqual(a);
    // The same seed gives the same weights after a previous training on the same model too.
    const warmed = await trained(1, async (m) => {
      await trainRound(
        m,
        train.images,
        train.labels,
        { count: 3, reserve: 2 },
        { ...base, seed: 9 },
      );
    });
    const again = await trained(1, async (m) => {
      await trainRound(
        m,
        train.images,
        train.labels,
        { count: 3, reserve: 2 },
        { ...base, seed: 9 },
      );
    });
    expect(again).toEqual(warmed);
    expect(await trained(2)).not.toEqual(a);
    // Masks differ from step to step: two training-mode passes over one batch differ.
    const model = buildModel({ size: 16, bands: 1, classes: 3, seed: 5 });
    const x = tf.tensor4d(train.images.data.slice(0, 8 * 256), [8, 16, 16, 1]);
    const first = (model.apply(x, { training: true }) as tf.Tensor).dataSync();
    const second = (model.apply(x, { training: true }) as tf.Tensor).dataSync();
    expect(Array.from(second)).not.toEqual(Array.from(first));
    x.dispose();
    disposeModel(model);
  });

  it('oversamples every class to the majority and duplicates hard examples', async () => {
    const model = buildModel({ size: 16, bands: 1, classes: 3, seed: 2 });
    const { images, labels } = toyImages(40, 16, 3, [0, 0, 0, 1]); // 30 vs 10
    const layout = { count: 3, reserve: 2 };
    const balanced = await trainRound(model, images, labels, layout, { ...base, epochs: 2 });
    expect(balanced.images).toBe(2 * 60);
    const plain = await trainRound(model, images, labels, layout, { ...base, balance: false });
    expect(plain.images).toBe(40);
    // Once the model is right about most images, four deliberately wrong labels have
    // ‖y−ŷ‖² ≈ 2 against ≈ 0 elsewhere: weight (2+1)/1 capped at 2, so they are duplicated.
    const many = toyImages(200, 16, 8);
    await trainRound(model, many.images, many.labels, layout, { ...base, epochs: 4 });
    const wrong = many.labels.slice();
    for (const i of [0, 1, 2, 3]) wrong[i] = 1 - (wrong[i] as number);
    const hard = await trainRound(model, many.images, wrong, layout, {
      ...base,
      balance: false,
      hardExamples: true,
      loss: 'focal',
    });
    expect(hard.images).toBeGreaterThanOrEqual(201);
    expect(hard.images).toBeLessThan(260);
    expect(Number.isFinite(hard.finalLoss)).toBe(true);
    disposeModel(model);
  });

  it('does not grow the tensor count over 30 rounds with a class added', async () => {
    let model = buildModel({ size: 16, bands: 1, classes: 3, seed: 5 });
    const small = toyImages(24, 16, 4);
    const grown = toyImages(24, 16, 5, [0, 1, 3]);
    const counts: number[] = [];
    for (let round = 1; round <= 30; round++) {
      if (round === 10) model = addClass(model);
      const data = round >= 10 ? grown : small;
      const layout = { count: round >= 10 ? 4 : 3, reserve: 2 };
      await trainRound(model, data.images, data.labels, layout, { ...base, batchSize: 8 });
      await scoreImages(model, data.images, 10);
      counts.push(tf.memory().numTensors);
    }
    expect(counts[29]).toBe(counts[0]);
    expect(new Set(counts).size).toBe(1);
    disposeModel(model);
  });

  it('stops between batches when cancelled and leaks nothing', async () => {
    const model = buildModel({ size: 16, bands: 1, classes: 3, seed: 6 });
    const { images, labels } = toyImages(200, 16, 6);
    await trainRound(model, images, labels, { count: 3, reserve: 2 }, base);
    const tensors = tf.memory().numTensors;
    const controller = new AbortController();
    const seen: TrainProgress[] = [];
    const run = trainRound(
      model,
      images,
      labels,
      { count: 3, reserve: 2 },
      {
        ...base,
        batchSize: 10,
        epochs: 5,
        signal: controller.signal,
        onProgress: (p) => {
          seen.push(p);
          if (p.batch === 3) controller.abort();
        },
      },
    );
    await expect(run).rejects.toBeInstanceOf(TrainingCancelledError);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toHaveLength(3);
    expect(seen[2]).toMatchObject({ epoch: 1, epochs: 5, batch: 3, batches: 20 });
    expect(seen[2]?.imagesPerSecond).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(tensors);
    disposeModel(model);
  });

  it('duplicates exactly the samples whose weight rounds to 2', () => {
    const errors = Float32Array.from([0.1, 0.5, 0.64, 0.7, 2]);
    // weights: 1, 1.36, 1.49, 1.55, 2.73→2 (min = 1.1)
    expect(hardExampleDuplicates(errors)).toEqual([3, 4]);
    expect(hardExampleDuplicates(Float32Array.from([1, 1, 1]))).toEqual([]);
  });

  it('trains a 128-px, 3-band galaxy model with focal loss on wasm', async () => {
    const model = buildModel({ size: 128, bands: 3, classes: 3, seed: 4 });
    expect(model.getLayer('flatten').outputShape).toEqual([null, 8 * 8 * 8]);
    const data = Float32Array.from(
      { length: 6 * 128 * 128 * 3 },
      (_, i) => ((i * 7919) % 1000) / 1000,
    );
    const images = { data, count: 6, size: 128, bands: 3 };
    const labels = Int32Array.from([0, 1, 0, 1, 0, 0]);
    const result = await trainRound(
      model,
      images,
      labels,
      { count: 3, reserve: 2 },
      {
        ...base,
        batchSize: 4,
        augment: 'galaxy',
        loss: 'focal',
        hardExamples: true,
      },
    );
    expect(result.images).toBeGreaterThanOrEqual(8); // 4 + 4 after balancing, plus duplicates
    expect(Number.isFinite(result.finalLoss)).toBe(true);
    disposeModel(model);
  });

  it('also trains on the plain cpu backend (slow there, so tiny)', async () => {
    await initBackend('cpu');
    try {
      const model = buildModel({ size: 8, bands: 1, classes: 3, seed: 1 });
      const { images, labels } = toyImages(12, 8, 2);
      const result = await trainRound(model, images, labels, { count: 3, reserve: 2 }, base);
      expect(result.images).toBe(12);
      expect(Number.isFinite(result.finalLoss)).toBe(true);
      disposeModel(model);
    } finally {
      await initBackend('wasm');
    }
  });

  it('rejects labels that do not fit the layout with a readable error', async () => {
    const model = buildModel({ size: 16, bands: 1, classes: 3 });
    const { images } = toyImages(4, 16, 7);
    const reserveLabels = Int32Array.from([0, 1, 2, 0]);
    await expect(
      trainRound(model, images, reserveLabels, { count: 3, reserve: 2 }, base),
    ).rejects.toThrow(InvalidTrainingDataError);
    await expect(
      trainRound(
        model,
        { ...images, size: 28 },
        Int32Array.from([0, 1, 0, 1]),
        { count: 3, reserve: 2 },
        base,
      ),
    ).rejects.toThrow(/model expects 16×16×1/);
    disposeModel(model);
  });
});
