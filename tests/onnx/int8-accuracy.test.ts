/**
 * The int8 (QDQ) scoring graph against float32 on real images, with models trained on them:
 * MNIST digits (28×28×1) and Galaxy Zoo cutouts (64×64×3). Calibration uses one set of images,
 * the comparison another, as a round calibrates on its first page and scores the rest.
 *
 * Measures, per interest class c (anomaly score = P(c), method.md's Σ w·P with one weight):
 * recall of float32's top 1 % within int8's top 1 %; over all images: the largest
 * |P_int8 − P_float32|, and the smallest cosine similarity between the latent vectors.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/engine/learn/backend';
import { buildModel } from '../../src-main/engine/learn/model';
import { createInt8Scorer } from '../../src-main/engine/learn/onnx/int8-scorer';
import { createOnnxScorer } from '../../src-main/engine/learn/onnx/scorer';
import { trainRound } from '../../src-main/engine/learn/train';
import type { ImageBatch, ScoreResult } from '../../src-main/engine/learn/types';
import { haveDataset } from '../shared-datasets';
import { readMnistTest, readSpreadGalaxies } from './helpers/datasets';

/**
 * Bounds from the measurements this test prints, with margin. Measured (weights at 7 bits):
 * MNIST top-1 % recall ≥ 0.967 per class (k = 30), max prob diff 0.008, min latent cosine
 * 0.99994; Galaxy Zoo recall ≥ 0.9 (k = 10), max prob diff 0.021, min latent cosine 0.9992.
 */
const MIN_TOP_RECALL = 0.8;
const MAX_PROB_DIFF = 0.05;
const MIN_LATENT_COSINE = 0.995;

beforeAll(async () => {
  await initBackend('wasm');
});

interface Agreement {
  topRecall: number[];
  maxProbDiff: number;
  minLatentCosine: number;
}

/**
 * One data set's arm: a model trained on its first `split[0]` images, calibrated on the next
 * `split[1]` and compared on the last `split[2]`.
 */
interface Arm {
  name: string;
  /** What haveDataset must find under the shared data. */
  dataset: string;
  read(count: number): Promise<{ images: Float32Array; labels: Uint8Array }>;
  size: number;
  bands: number;
  /** Classes of the model, the last one the reserve. */
  classes: number;
  split: [train: number, calibration: number, comparison: number];
  batchSize: number;
  balance: boolean;
  timeoutMs: number;
}

const ARMS: Arm[] = [
  {
    name: 'MNIST',
    dataset: 'mnist',
    read: async (count) => readMnistTest(count),
    size: 28,
    bands: 1,
    classes: 11,
    split: [2000, 1000, 3000],
    batchSize: 64,
    balance: false,
    timeoutMs: 120_000,
  },
  {
    name: 'Galaxy Zoo',
    dataset: 'galaxyzoo1/labels.csv',
    read: (count) => readSpreadGalaxies(count, 64),
    size: 64,
    bands: 3,
    classes: 7,
    split: [400, 400, 1000],
    batchSize: 32,
    balance: true,
    timeoutMs: 240_000,
  },
];

describe('int8 scoring against float32 on real data', () => {
  for (const arm of ARMS) {
    it.runIf(haveDataset(arm.dataset))(
      `${arm.name} ${arm.size}×${arm.size}×${arm.bands}: the top 1 % per class and the latent vectors agree`,
      async () => {
        const agreement = await agreementOn(arm);
        console.log(`${arm.name} int8 vs float32`, JSON.stringify(agreement));
        expectAgreement(agreement);
      },
      arm.timeoutMs,
    );
  }
});

/** Trains the arm's model as a round does, then compares its int8 and float32 scoring. */
async function agreementOn(arm: Arm): Promise<Agreement> {
  const [trained, calibrated, compared] = arm.split;
  const { images, labels } = await arm.read(trained + calibrated + compared);
  const all = batch(images, labels.length, arm.size, arm.bands);
  const model = buildModel({ size: arm.size, bands: arm.bands, classes: arm.classes, seed: 5 });
  await trainRound(
    model,
    slice(all, 0, trained),
    Int32Array.from(labels.subarray(0, trained)),
    { count: arm.classes, reserve: arm.classes - 1 },
    {
      epochs: 2,
      batchSize: arm.batchSize,
      balance: arm.balance,
      augment: 'none',
      loss: 'crossentropy',
      hardExamples: false,
      seed: 1,
    },
  );
  const end = trained + calibrated;
  const agreement = await compare(model, slice(all, trained, end), slice(all, end, end + compared));
  model.dispose();
  return agreement;
}

function expectAgreement(a: Agreement): void {
  for (const recall of a.topRecall) expect(recall).toBeGreaterThanOrEqual(MIN_TOP_RECALL);
  expect(a.maxProbDiff).toBeLessThanOrEqual(MAX_PROB_DIFF);
  expect(a.minLatentCosine).toBeGreaterThanOrEqual(MIN_LATENT_COSINE);
}

async function compare(
  model: tf.LayersModel,
  calibration: ImageBatch,
  evaluation: ImageBatch,
): Promise<Agreement> {
  const float = await createOnnxScorer(model);
  const built = await createInt8Scorer(model, calibration, { maxProbDiff: Infinity });
  const int8 = built.scorer;
  if (!int8) throw new Error('no int8 scorer was built');
  try {
    const a = await float.score(evaluation);
    const b = await int8.score(evaluation);
    return {
      topRecall: Array.from({ length: a.classes }, (_, c) => topRecall(a, b, c, 0.01)),
      maxProbDiff: maxDiff(a.probs, b.probs),
      minLatentCosine: minCosine(a, b),
    };
  } finally {
    await float.dispose();
    await int8.dispose();
  }
}

/** |top(a) ∩ top(b)| / |top(a)|, top = the `fraction` of images with the highest P(class). */
function topRecall(a: ScoreResult, b: ScoreResult, cls: number, fraction: number): number {
  const count = a.probs.length / a.classes;
  const k = Math.max(1, Math.round(count * fraction));
  const top = (r: ScoreResult) =>
    Array.from({ length: count }, (_, i) => i)
      .sort(
        (x, y) =>
          (r.probs[y * r.classes + cls] as number) - (r.probs[x * r.classes + cls] as number),
      )
      .slice(0, k);
  const inB = new Set(top(b));
  return top(a).filter((i) => inB.has(i)).length / k;
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++)
    max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

function minCosine(a: ScoreResult, b: ScoreResult): number {
  const n = a.latentSize;
  let min = 1;
  for (let i = 0; i < a.latent.length / n; i++) {
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let j = i * n; j < (i + 1) * n; j++) {
      const x = a.latent[j] as number;
      const y = b.latent[j] as number;
      dot += x * y;
      na += x * x;
      nb += y * y;
    }
    // Two all-zero vectors (every ReLU off) are the same vector.
    const cos = na === 0 && nb === 0 ? 1 : dot / Math.sqrt(na * nb || 1);
    min = Math.min(min, cos);
  }
  return min;
}

function batch(data: Float32Array, count: number, size: number, bands: number): ImageBatch {
  return { data, count, size, bands };
}

function slice(images: ImageBatch, from: number, to: number): ImageBatch {
  const per = images.size * images.size * images.bands;
  return { ...images, count: to - from, data: images.data.subarray(from * per, to * per) };
}
