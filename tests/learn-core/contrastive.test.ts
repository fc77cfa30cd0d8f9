import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src-main/engine/learn/backend';
import { ntXent, sourceOfImages, warmStartEncoder } from '../../src-main/engine/learn/contrastive';
import type { WarmStartCheckpoint } from '../../src-main/engine/learn/contrastive';
import { buildModel, disposeModel, saveModel } from '../../src-main/engine/learn/model';
import { TrainingCancelledError } from '../../src-main/engine/learn/train';
import { toyImages } from './helpers';

beforeAll(async () => {
  await initBackend('wasm');
});

const options = { batchSize: 16, augment: 'flips-rot90' as const, seed: 3 };

describe('ntXent', () => {
  it('is low when each view is closest to its twin and high when it is not', () => {
    const twins = tf.tensor2d([
      [1, 0],
      [0, 1],
      [1, 0.01],
      [0.01, 1],
    ]);
    const strangers = tf.tensor2d([
      [1, 0],
      [0, 1],
      [0, 1],
      [1, 0],
    ]);
    const low = ntXent(twins).dataSync()[0]!;
    const high = ntXent(strangers).dataSync()[0]!;
    expect(low).toBeLessThan(high);
    tf.dispose([twins, strangers]);
  });
});

describe('warmStartEncoder', () => {
  it('lowers the contrastive loss and changes only the encoder', async () => {
    const { images } = toyImages(64, 16, 5, [0, 1, 2]);
    const model = buildModel({ size: 16, bands: 1, classes: 3, seed: 9 });
    const headBefore = model.getLayer('head').getWeights()[0]!.dataSync().slice();
    const latentBefore = model.getLayer('latent').getWeights()[0]!.dataSync().slice();
    const progress: number[] = [];
    const tensors = tf.memory().numTensors;
    const result = await warmStartEncoder(model, sourceOfImages(images), {
      ...options,
      epochs: 6,
      onProgress: (p) => progress.push(p.loss),
    });
    // The projection head and the optimizer's state are freed; nothing else is left behind.
    expect(tf.memory().numTensors).toBe(tensors);
    expect(progress).toHaveLength(6 * 4);
    expect(result.epochLosses).toHaveLength(6);
    expect(result.epochLosses[5]!).toBeLessThan(result.epochLosses[0]! * 0.95);
    expect(model.getLayer('head').getWeights()[0]!.dataSync()).toEqual(headBefore);
    expect(model.getLayer('latent').getWeights()[0]!.dataSync()).not.toEqual(latentBefore);
    disposeModel(model);
  });

  it('cancels with a checkpoint and resumes to the same weights as an uninterrupted run', async () => {
    const { images } = toyImages(48, 16, 7, [0, 1]);
    const source = sourceOfImages(images);
    const straight = buildModel({ size: 16, bands: 1, classes: 3, seed: 2 });
    const whole = await warmStartEncoder(straight, source, { ...options, epochs: 2 });

    const interrupted = buildModel({ size: 16, bands: 1, classes: 3, seed: 2 });
    const controller = new AbortController();
    let saved: WarmStartCheckpoint | undefined;
    let batches = 0;
    await expect(
      warmStartEncoder(interrupted, source, {
        ...options,
        epochs: 2,
        signal: controller.signal,
        onProgress: () => {
          if (++batches === 4) controller.abort();
        },
        onCheckpoint: (c) => {
          saved = c;
        },
      }),
    ).rejects.toBeInstanceOf(TrainingCancelledError);
    // 3 batches an epoch: the cancel came after the first batch of the second epoch.
    expect(saved).toMatchObject({ epoch: 1, batch: 1, epochs: 2 });
    disposeModel(interrupted);

    // A fresh model (as after a restart) takes everything from the checkpoint.
    const resumed = buildModel({ size: 16, bands: 1, classes: 3, seed: 2 });
    const rest: number[] = [];
    const tail = await warmStartEncoder(resumed, source, {
      ...options,
      epochs: 2,
      resume: saved!,
      onProgress: (p) => rest.push(p.batch),
    });
    expect(rest).toEqual([2, 3]);
    expect(tail.epochLosses).toHaveLength(2);
    expect(tail.epochLosses[0]).toBeCloseTo(whole.epochLosses[0]!, 5);
    const a = new Float32Array(saveModel(straight).weights.buffer);
    const b = new Float32Array(saveModel(resumed).weights.buffer);
    let worst = 0;
    a.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - b[i]!))));
    expect(worst).toBeLessThan(1e-5);
    disposeModel(straight);
    disposeModel(resumed);
  });

  it('refuses a checkpoint of another seed and objects of another size', async () => {
    const { images } = toyImages(8, 16, 1);
    const model = buildModel({ size: 16, bands: 1, classes: 3, seed: 2 });
    const wrong = toyImages(8, 8, 1).images;
    await expect(
      warmStartEncoder(model, sourceOfImages(wrong), { ...options, epochs: 1 }),
    ).rejects.toThrow(/8×8×1 but the model expects 16×16×1/);
    let saved: WarmStartCheckpoint | undefined;
    await warmStartEncoder(model, sourceOfImages(images), {
      ...options,
      epochs: 1,
      onCheckpoint: (c) => {
        saved = c;
      },
    });
    await expect(
      warmStartEncoder(model, sourceOfImages(images), {
        ...options,
        seed: 4,
        epochs: 1,
        resume: saved!,
      }),
    ).rejects.toThrow(/resume with the same seed/);
    disposeModel(model);
  });
});
