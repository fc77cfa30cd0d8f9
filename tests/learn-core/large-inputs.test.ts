/**
 * 128×128×3 cutouts (the survey variant's size) at project scale: a few training steps, then
 * 10,000 images scored a batch at a time. The pixels are produced batch by batch, so neither
 * this test nor the wasm heap ever holds the 10,000 images (1.9 GB as float32) at once.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/engine/learn/backend';
import { makeRng } from '../../src-main/engine/learn/augment';
import { buildModel, disposeModel } from '../../src-main/engine/learn/model';
import { scoreImageStream } from '../../src-main/engine/learn/score';
import { trainRound } from '../../src-main/engine/learn/train';

const SIZE = 128;
const BANDS = 3;
const PIXELS = SIZE * SIZE * BANDS;

/** A smooth blob on noise; object i always looks the same (seeded by its index). */
function cutout(i: number, out: Float32Array, offset: number): void {
  const rng = makeRng(i + 1);
  const cx = SIZE * (0.3 + 0.4 * rng());
  const cy = SIZE * (0.3 + 0.4 * rng());
  const width = 4 + 20 * rng();
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const blob = Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * width * width));
      for (let b = 0; b < BANDS; b++)
        out[offset + (y * SIZE + x) * BANDS + b] = 0.1 * rng() + 0.8 * blob;
    }
  }
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('128×128×3 inputs at scale', () => {
  it('trains a few steps and scores 10,000 images streamed in batches', async () => {
    const model = buildModel({ size: SIZE, bands: BANDS, classes: 3, seed: 3 });
    const trainCount = 64;
    const data = new Float32Array(trainCount * PIXELS);
    for (let i = 0; i < trainCount; i++) cutout(i, data, i * PIXELS);
    const labels = Int32Array.from({ length: trainCount }, (_, i) => (i % 2 === 0 ? 0 : 2));
    const trained = await trainRound(
      model,
      { data, count: trainCount, size: SIZE, bands: BANDS },
      labels,
      { count: 3, reserve: 1 },
      {
        epochs: 1,
        batchSize: 16,
        balance: false,
        augment: 'galaxy',
        loss: 'crossentropy',
        hardExamples: false,
        seed: 1,
      },
    );
    expect(trained.images).toBe(trainCount);
    expect(Number.isFinite(trained.finalLoss)).toBe(true);

    const count = 10_000;
    const batch = 250;
    const buffer = new Float32Array(batch * PIXELS);
    let largestRead = 0;
    let peakBackendBytes = 0;
    const tensorsBefore = tf.memory().numTensors;
    const result = await scoreImageStream(
      model,
      {
        count,
        size: SIZE,
        bands: BANDS,
        read: (start, n) => {
          largestRead = Math.max(largestRead, n);
          peakBackendBytes = Math.max(peakBackendBytes, tf.memory().numBytes);
          // 64 distinct cutouts, repeated: the network's work is the same, the test's is less.
          for (let k = 0; k < n; k++) {
            const j = (start + k) % trainCount;
            buffer.set(data.subarray(j * PIXELS, (j + 1) * PIXELS), k * PIXELS);
          }
          return buffer.subarray(0, n * PIXELS);
        },
      },
      batch,
    );
    expect(largestRead).toBe(batch);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    // Between batches the backend holds the weights only, never a batch of pixels.
    expect(peakBackendBytes).toBeLessThan(batch * PIXELS * 4);
    expect(result.probs).toHaveLength(count * 3);
    expect(result.latent).toHaveLength(count * 64);
    for (const i of [0, 4_321, count - 1]) {
      const p = result.probs.subarray(i * 3, i * 3 + 3);
      expect(p[0]! + p[1]! + p[2]!).toBeCloseTo(1, 4);
    }
    disposeModel(model);
  }, 600_000);
});
