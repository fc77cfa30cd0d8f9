import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxUnsupportedModelError } from '../../src-main/engine/learn/onnx/errors';
import { createOnnxScorer } from '../../src-main/engine/learn/onnx/scorer';
import { hwioToOihw, padsFor, toOnnx } from '../../src-main/engine/learn/onnx/to-onnx';
import {
  batchOf,
  maxAbsDiff,
  maxScaledDiff,
  randomImages,
  randomiseBiases,
  tfjsScores,
  trainFewSteps,
} from './helpers/compare';
import {
  hasGalaxyZoo,
  hasMnist,
  missingDataMessage,
  readGalaxies,
  readMnistTest,
} from './helpers/datasets';
import { addClass, buildModel, disposeModel } from '../../src-main/engine/learn/model';
import type { ImageBatch } from '../../src-main/engine/learn/types';

// The acceptance criterion: ONNX probabilities equal tfjs's within 1e-4.
const PROB_TOLERANCE = 1e-4;
// Latent activations are unbounded; compare them relative to their size.
const LATENT_TOLERANCE = 1e-4;

async function expectSameScores(model: tf.LayersModel, images: ImageBatch, label: string) {
  const scorer = await createOnnxScorer(model);
  try {
    const onnx = await scorer.score(images);
    const reference = tfjsScores(model, images);
    expect(onnx.classes).toBe(reference.classes);
    expect(onnx.latentSize).toBe(reference.latentSize);
    const probDiff = maxAbsDiff(onnx.probs, reference.probs);
    const latentDiff = maxScaledDiff(onnx.latent, reference.latent);
    console.info(
      `${label}: max |Δprob| = ${probDiff.toExponential(2)}, max Δlatent = ${latentDiff.toExponential(2)}`,
    );
    expect(probDiff).toBeLessThan(PROB_TOLERANCE);
    expect(latentDiff).toBeLessThan(LATENT_TOLERANCE);
    // Guard against a trivially-equal comparison (e.g. all-zero latent).
    expect(Math.max(...reference.latent)).toBeGreaterThan(0);
    return onnx;
  } finally {
    await scorer.dispose();
  }
}

if (!hasMnist || !hasGalaxyZoo) {
  // The CI has the shared data: there its absence is a failure, not a reason to skip.
  if (process.env.CI)
    throw new Error(missingDataMessage.replace('; skipping', ': the CI needs them for'));
  console.warn(missingDataMessage);
}

describe('padsFor (TF "same" padding → ONNX pads)', () => {
  it('pads a 3×3 stride-1 conv by one on every side', () => {
    expect(padsFor('same', [28, 28], [3, 3], [1, 1], [1, 1])).toEqual([1, 1, 1, 1]);
  });
  it('puts the odd extra pixel at the end, as TensorFlow does', () => {
    expect(padsFor('same', [7, 7], [2, 2], [2, 2], [1, 1])).toEqual([0, 0, 1, 1]);
    expect(padsFor('same', [28, 27], [3, 3], [2, 2], [1, 1])).toEqual([0, 1, 1, 1]);
  });
  it('accounts for dilation and leaves "valid" unpadded', () => {
    expect(padsFor('same', [10, 10], [3, 3], [1, 1], [2, 2])).toEqual([2, 2, 2, 2]);
    expect(padsFor('valid', [10, 10], [3, 3], [1, 1], [1, 1])).toEqual([0, 0, 0, 0]);
  });
  it('refuses unknown padding modes', () => {
    expect(() => padsFor('causal', [10, 10], [3, 3], [1, 1], [1, 1])).toThrow(
      OnnxUnsupportedModelError,
    );
  });
});

describe('hwioToOihw', () => {
  it('moves kernel [kh, kw, in, out] to [out, in, kh, kw]', () => {
    // kh = 1, kw = 2, in = 2, out = 3; value encodes (x, i, o) as 100x + 10i + o.
    const src = new Float32Array([0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112]);
    expect(Array.from(hwioToOihw(src, 1, 2, 2, 3))).toEqual([
      0, 100, 10, 110, 1, 101, 11, 111, 2, 102, 12, 112,
    ]);
  });
});

describe('toOnnx: 28×28×1, k = 1 (MNIST geometry)', () => {
  let model: tf.LayersModel;
  beforeAll(async () => {
    model = buildModel({ size: 28, bands: 1, classes: 4, extraBlocks: 1, seed: 3 });
  });
  afterAll(() => model.dispose());

  it('declares images [N, 28, 28, 1] → probs [N, 4], latent [N, 64]', async () => {
    const scorer = await createOnnxScorer(toOnnx(model));
    expect([scorer.size, scorer.bands, scorer.classes, scorer.latentSize]).toEqual([28, 1, 4, 64]);
    await scorer.dispose();
  });

  it('reads weights without leaking tensors', () => {
    const before = tf.memory().numTensors;
    toOnnx(model);
    toOnnx(model);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('matches tfjs on random images', async () => {
    const onnx = await expectSameScores(
      model,
      batchOf(randomImages(64, 28, 1, 11), 28, 1),
      '28×28×1 random',
    );
    for (let n = 0; n < 64; n++) {
      const row = onnx.probs.subarray(n * 4, n * 4 + 4);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });

  it.skipIf(!hasMnist)('matches tfjs on MNIST digits, before and after training', async () => {
    const digits = readMnistTest(512);
    const images = batchOf(digits.images, 28, 1);
    await expectSameScores(model, images, '28×28×1 MNIST untrained');
    const loss = await trainFewSteps(model, images, digits.labels, 4, { steps: 2, batchSize: 16 });
    expect(Number.isFinite(loss)).toBe(true);
    await expectSameScores(model, images, '28×28×1 MNIST trained');
    randomiseBiases(model, 5);
    await expectSameScores(model, images, '28×28×1 MNIST random biases');
  });
});

describe('toOnnx: 64×64×3, k = 2 (colour cutouts)', () => {
  let model: tf.LayersModel;
  beforeAll(async () => {
    model = buildModel({ size: 64, bands: 3, classes: 6, extraBlocks: 2, seed: 7 });
  });
  afterAll(() => model.dispose());

  it('matches tfjs on random images, before and after training', async () => {
    const images = batchOf(randomImages(32, 64, 3, 21), 64, 3);
    await expectSameScores(model, images, '64×64×3 random untrained');
    const labels = Array.from({ length: 32 }, (_, i) => i % 6);
    await trainFewSteps(model, images, labels, 6, { steps: 1, batchSize: 4 });
    randomiseBiases(model, 9);
    await expectSameScores(model, images, '64×64×3 random trained');
  });

  it.skipIf(!hasGalaxyZoo)('matches tfjs on Galaxy Zoo cutouts', async () => {
    await expectSameScores(model, batchOf(await readGalaxies(24, 64), 64, 3), '64×64×3 Galaxy Zoo');
  });
});

describe('toOnnx: odd geometry and unsupported models', () => {
  it('matches tfjs on 25×25×2 with k = 2 (floors in every pooling step)', async () => {
    const model = buildModel({
      size: 25,
      bands: 2,
      classes: 3,
      extraBlocks: 2,
      seed: 4,
    });
    randomiseBiases(model, 1);
    await expectSameScores(model, batchOf(randomImages(40, 25, 2, 2), 25, 2), '25×25×2 random');
    model.dispose();
  });

  it('exports a model grown by addClass (a new anomaly class)', async () => {
    const grown = addClass(buildModel({ size: 28, bands: 1, classes: 3, seed: 8 }));
    randomiseBiases(grown, 2);
    const onnx = await expectSameScores(
      grown,
      batchOf(randomImages(16, 28, 1, 3), 28, 1),
      'after addClass',
    );
    expect(onnx.classes).toBe(4);
    disposeModel(grown);
  });

  it('names the layer it cannot translate', () => {
    const model = tf.sequential();
    model.add(tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3, name: 'c' }));
    model.add(tf.layers.batchNormalization({ name: 'bn' }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: 4, name: 'latent' }));
    model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
    expect(() => toOnnx(model)).toThrow(OnnxUnsupportedModelError);
    expect(() => toOnnx(model)).toThrow(/layer "bn" \(BatchNormalization\)/);
    model.dispose();
  });

  it('refuses activations it cannot translate', () => {
    const model = tf.sequential();
    model.add(tf.layers.flatten({ inputShape: [4, 4, 1] }));
    model.add(tf.layers.dense({ units: 4, activation: 'selu', name: 'latent' }));
    model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
    expect(() => toOnnx(model)).toThrow(/activation "selu"/);
    model.dispose();
  });
});
