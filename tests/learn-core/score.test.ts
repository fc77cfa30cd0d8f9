import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src-main/engine/learn/backend';
import { buildModel, disposeModel } from '../../src-main/engine/learn/model';
import { anomalyScores, scoreImages } from '../../src-main/engine/learn/score';
import { toyImages } from './helpers';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('scoreImages', () => {
  it('returns per-image probabilities and latent vectors matching the model, in batches', async () => {
    const model = buildModel({ size: 28, bands: 1, classes: 4, seed: 9 });
    const { images } = toyImages(70, 28, 1);
    const tensors = tf.memory().numTensors;
    const result = await scoreImages(model, images, 16);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(result.classes).toBe(4);
    expect(result.latentSize).toBe(64);
    expect(result.probs).toHaveLength(70 * 4);
    expect(result.latent).toHaveLength(70 * 64);
    for (let i = 0; i < 70; i++) {
      const sum = result.probs.subarray(i * 4, i * 4 + 4).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 5);
    }
    const x = tf.tensor4d(images.data, [70, 28, 28, 1]);
    const expected = (model.predict(x) as tf.Tensor).dataSync();
    const latentModel = tf.model({
      inputs: model.inputs,
      outputs: model.getLayer('latent').output,
    });
    const expectedLatent = (latentModel.predict(x) as tf.Tensor).dataSync();
    for (let i = 0; i < expected.length; i++) {
      expect(result.probs[i]).toBeCloseTo(expected[i] as number, 5);
    }
    for (let i = 0; i < expectedLatent.length; i += 97) {
      expect(result.latent[i]).toBeCloseTo(expectedLatent[i] as number, 4);
    }
    expect(result.latent.some((v) => v > 0)).toBe(true);
    tf.dispose(x);
    disposeModel(model);
  });
});

describe('anomalyScores', () => {
  it('is the interest-weighted sum of class probabilities', () => {
    const probs = Float32Array.from([0.7, 0.2, 0.1, 0.0, 0.1, 0.9]);
    const scores = anomalyScores(probs, 3, [0, 5 / 8, 3 / 8]);
    expect(scores[0]).toBeCloseTo(0.2 * 0.625 + 0.1 * 0.375, 6);
    expect(scores[1]).toBeCloseTo(0.1 * 0.625 + 0.9 * 0.375, 6);
    expect(Array.from(anomalyScores(probs, 3, [0, 1]))).toEqual([
      Math.fround(0.2),
      Math.fround(0.1),
    ]);
    expect(() => anomalyScores(probs, 3, [1, 1, 1, 1])).toThrow(/4 interest weights/);
  });
});
