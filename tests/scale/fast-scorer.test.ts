import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectCount } from '../../src-main/engine/hunt/object-count';
import { initBackend } from '../../src-main/engine/learn/backend';
import { buildModel, disposeModel } from '../../src-main/engine/learn/model';
import { scoreImages } from '../../src-main/engine/learn/score';
import type { ImageBatch } from '../../src-main/engine/learn/types';
import { FastScorer, ONNX_MIN_IMAGES } from '../../src-main/engine/learn/worker/fast-scorer';
import { insertObject } from '../../src-main/engine/store';
import { memoryProject } from '../store/helpers';

function images(count: number, size: number, shared: boolean): ImageBatch {
  const length = count * size * size;
  const data = shared
    ? new Float32Array(new SharedArrayBuffer(length * 4))
    : new Float32Array(length);
  for (let i = 0; i < length; i++) data[i] = ((i * 2654435761) % 1000) / 1000;
  return { data, count, size, bands: 1 };
}

describe("the worker's scorer (onnxruntime, rebuilt when the weights change)", () => {
  const scorer = new FastScorer();
  let model: tf.LayersModel;
  beforeAll(async () => {
    await initBackend('wasm');
    model = buildModel({ size: 16, bands: 1, classes: 3, seed: 4 });
  });
  afterAll(async () => {
    await scorer.release();
    disposeModel(model);
  });

  it('gives the tfjs model’s probabilities and latents, also for images in shared memory', async () => {
    const batch = images(ONNX_MIN_IMAGES + 40, 16, true);
    const fast = await scorer.score(model, batch, 16, 1);
    const slow = await scoreImages(model, batch, 16);
    expect(fast.probs).toHaveLength(slow.probs.length);
    fast.probs.forEach((p, i) => expect(p).toBeCloseTo(slow.probs[i]!, 5));
    for (let i = 0; i < slow.latent.length; i += 37) {
      expect(fast.latent[i]).toBeCloseTo(slow.latent[i]!, 4);
    }
  });

  it('follows new weights only after weightsChanged (training calls it)', async () => {
    const batch = images(ONNX_MIN_IMAGES, 16, false);
    const before = await scorer.score(model, batch, 16, 1);
    const dense = model.getLayer('head');
    const [kernel, bias] = dense.getWeights();
    dense.setWeights([tf.mul(kernel!, 3), bias!]);
    const stale = await scorer.score(model, batch, 16, 1);
    expect(Array.from(stale.probs)).toEqual(Array.from(before.probs)); // the cached graph
    scorer.weightsChanged();
    const fresh = await scorer.score(model, batch, 16, 1);
    const truth = await scoreImages(model, batch, 16);
    expect(Array.from(fresh.probs)).not.toEqual(Array.from(before.probs));
    fresh.probs.forEach((p, i) => expect(p).toBeCloseTo(truth.probs[i]!, 5));
  });
});

describe('the session’s object count', () => {
  it('follows appended objects without recounting, and recounts when the highest id drops', () => {
    const { db } = memoryProject(5);
    const count = new ObjectCount(db);
    expect(count.get()).toBe(5);
    const source = (
      db.prepare('SELECT source_id FROM objects LIMIT 1').get() as { source_id: number }
    ).source_id;
    const add = (uid: string) =>
      insertObject(db, { uid, sourceId: source, bands: 1, size: 4, pixelFormat: 'f32' });
    add('late-1');
    add('late-2');
    expect(count.get()).toBe(7);
    db.prepare("DELETE FROM objects WHERE uid = 'late-2'").run();
    expect(count.get()).toBe(6);
  });
});
