import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { initBackend } from '../../src-main/engine/learn/backend';
import { buildModel, disposeModel } from '../../src-main/engine/learn/model';
import { scoreImages } from '../../src-main/engine/learn/score';
import { trainRound } from '../../src-main/engine/learn/train';
import type { ImageBatch } from '../../src-main/engine/learn/types';
import { haveDataset } from '../shared-datasets';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const mnist = path.resolve(repoRoot, '../shared/datasets', 'mnist');
const available = haveDataset('mnist/t10k-images-idx3-ubyte.gz');
if (!available) console.warn(`Skipping the MNIST check: ${mnist} is not there.`);

/** Digits 0 and 1 from an IDX pair, /255, as the method's start set uses them. */
function load(
  prefix: string,
  perDigit: Record<number, number>,
): { images: ImageBatch; labels: Int32Array } {
  const pixels = gunzipSync(readFileSync(path.join(mnist, `${prefix}-images-idx3-ubyte.gz`)));
  const digits = gunzipSync(readFileSync(path.join(mnist, `${prefix}-labels-idx1-ubyte.gz`)));
  const count = digits.readUInt32BE(4);
  const wanted = { ...perDigit };
  const chosen: number[] = [];
  for (let i = 0; i < count; i++) {
    const digit = digits[8 + i] as number;
    if ((wanted[digit] ?? 0) > 0) {
      wanted[digit] = (wanted[digit] as number) - 1;
      chosen.push(i);
    }
  }
  const data = new Float32Array(chosen.length * 784);
  const labels = new Int32Array(chosen.length);
  chosen.forEach((index, k) => {
    for (let p = 0; p < 784; p++)
      data[k * 784 + p] = (pixels[16 + index * 784 + p] as number) / 255;
    labels[k] = digits[8 + index] as number;
  });
  return { images: { data, count: chosen.length, size: 28, bands: 1 }, labels };
}

describe.skipIf(!available)('on real MNIST digits', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('separates 0 from 1 after training on the AHUNT start set (500 + 900 images, 4 epochs)', async () => {
    const train = load('train', { 0: 500, 1: 900 });
    const test = load('t10k', { 0: 300, 1: 300 });
    const model = buildModel({ size: 28, bands: 1, classes: 3, seed: 1 });
    const result = await trainRound(
      model,
      train.images,
      train.labels,
      { count: 3, reserve: 2 },
      {
        epochs: 4,
        batchSize: 256,
        balance: true,
        augment: 'flips-rot90',
        loss: 'crossentropy',
        hardExamples: false,
        seed: 1,
      },
    );
    expect(result.images).toBe(4 * 1800); // digit 0 oversampled to 900
    const { probs } = await scoreImages(model, test.images);
    let right = 0;
    test.labels.forEach((label, i) => {
      const p0 = probs[i * 3] as number;
      const p1 = probs[i * 3 + 1] as number;
      if ((p1 > p0 ? 1 : 0) === label) right++;
    });
    expect(right / test.labels.length).toBeGreaterThan(0.97);
    disposeModel(model);
  });
});
