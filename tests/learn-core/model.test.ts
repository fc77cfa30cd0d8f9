import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src-main/engine/learn/backend';
import {
  addClass,
  buildModel,
  disposeModel,
  InvalidModelError,
  loadModel,
  saveModel,
  weightLayout,
} from '../../src-main/engine/learn/model';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('buildModel', () => {
  it('builds the AHUNT CNN for 28×28×1 with stable layer names', () => {
    const model = buildModel({ size: 28, bands: 1, classes: 3 });
    expect(model.layers.map((l) => l.name)).toEqual([
      'conv0',
      'pool0',
      'conv1',
      'pool1',
      'flatten',
      'latent',
      'dropout',
      'head',
    ]);
    expect(model.getLayer('flatten').outputShape).toEqual([null, 7 * 7 * 8]);
    expect(model.getLayer('latent').outputShape).toEqual([null, 64]);
    expect(model.outputs[0]?.shape).toEqual([null, 3]);
    expect(model.countParams()).toBe(160 + 1160 + (392 * 64 + 64) + (64 * 3 + 3));
    disposeModel(model);
  });

  it('adds three Conv(8) blocks for 128-px multi-band cutouts', () => {
    const model = buildModel({ size: 128, bands: 3, classes: 4 });
    const convs = model.layers.filter((l) => l.name.startsWith('conv')).map((l) => l.name);
    expect(convs).toEqual(['conv0', 'conv1', 'conv2', 'conv3']);
    expect(model.getLayer('flatten').outputShape).toEqual([null, 8 * 8 * 8]);
    const layout = weightLayout({ size: 128, bands: 3, classes: 4 });
    expect(model.getWeights().map((w) => w.shape)).toEqual(layout.map((e) => e.shape));
    disposeModel(model);
  });

  it('refuses a spec that pools below one pixel', () => {
    expect(() => buildModel({ size: 4, bands: 1, classes: 2, extraBlocks: 3 })).toThrow(
      InvalidModelError,
    );
  });
});

describe('addClass', () => {
  it('keeps every old weight, appends one output and frees the old model', () => {
    const model = buildModel({ size: 28, bands: 1, classes: 3, seed: 7 });
    const before = model.getWeights().map((w) => w.arraySync());
    const tensorsBefore = tf.memory().numTensors;
    const grown = addClass(model);
    expect(tf.memory().numTensors).toBe(tensorsBefore); // the old variables are gone
    const after = grown.getWeights();
    expect(grown.outputs[0]?.shape).toEqual([null, 4]);
    for (let i = 0; i < before.length - 2; i++) expect(after[i]?.arraySync()).toEqual(before[i]);
    const oldKernel = before[before.length - 2] as number[][];
    const newKernel = after[after.length - 2]?.arraySync() as number[][];
    oldKernel.forEach((row, r) => expect(newKernel[r]?.slice(0, 3)).toEqual(row));
    expect(newKernel.some((row) => row[3] !== 0)).toBe(true);
    expect(after[after.length - 1]?.arraySync()).toEqual([...(before.at(-1) as number[]), 0]);
    disposeModel(grown);
  });
});

describe('saveModel / loadModel', () => {
  it('round-trips weights and predictions exactly', () => {
    const model = buildModel({ size: 32, bands: 3, classes: 2, seed: 3 });
    const saved = saveModel(model);
    expect(saved.weights.byteLength).toBe(model.countParams() * 4);
    // The spec goes through JSON and the bytes sit at an odd offset, as in a database blob.
    const blob = new Uint8Array(saved.weights.byteLength + 1);
    blob.set(saved.weights, 1);
    const copy = loadModel({
      spec: JSON.parse(JSON.stringify(saved.spec)),
      weights: blob.subarray(1),
    });
    const x = tf.randomUniform([4, 32, 32, 3], 0, 1, 'float32', 5);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (copy.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(() => loadModel({ spec: saved.spec, weights: saved.weights.subarray(4) })).toThrow(
      /damaged/,
    );
    tf.dispose(x);
    disposeModel(model);
    disposeModel(copy);
  });
});
