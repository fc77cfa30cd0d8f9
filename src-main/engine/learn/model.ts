/**
 * The AHUNT CNN (method.md): Conv(16) → MaxPool → k × [Conv(8) → MaxPool] → Flatten →
 * Dense(64, ReLU) = latent → Dropout(0.6) → Dense(classes, softmax).
 *
 * Layer names are part of the contract (ONNX export reads weights by them): conv0, pool0,
 * conv1, pool1, …, flatten, latent, dropout, head. Weights travel as one little-endian float32
 * buffer in model.getWeights() order (see weightLayout) plus the ModelSpec, from which
 * buildModel rebuilds the architecture.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from './types';

export const DEFAULT_LATENT = 64;
export const DROPOUT_RATE = 0.6;

export class InvalidModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidModelError';
  }
}

/** Conv(8) blocks after the first: 1 up to 32 px, then one more per doubling (3 at 128 px). */
export function defaultExtraBlocks(size: number): number {
  if (size <= 32) return 1;
  return 1 + Math.round(Math.log2(size / 32));
}

/** The spec with every optional field filled in, as stored next to the weights. */
export function completeSpec(spec: ModelSpec): Required<ModelSpec> {
  const full: Required<ModelSpec> = {
    size: spec.size,
    bands: spec.bands,
    classes: spec.classes,
    extraBlocks: spec.extraBlocks ?? defaultExtraBlocks(spec.size),
    latent: spec.latent ?? DEFAULT_LATENT,
    seed: spec.seed ?? 42,
  };
  const positive = (v: number) => Number.isInteger(v) && v > 0;
  if (![full.size, full.bands, full.classes, full.latent].every(positive)) {
    throw new InvalidModelError(
      `Model spec needs positive integer size, bands, classes and latent; got ${JSON.stringify(spec)}`,
    );
  }
  if (!Number.isInteger(full.extraBlocks) || full.extraBlocks < 0) {
    throw new InvalidModelError(`extraBlocks must be an integer ≥ 0, got ${full.extraBlocks}`);
  }
  const finalSize = Math.floor(full.size / 2 ** (full.extraBlocks + 1));
  if (finalSize < 1) {
    throw new InvalidModelError(
      `A ${full.size}px input cannot go through ${full.extraBlocks + 1} poolings: ` +
        'use fewer extra blocks or larger cutouts.',
    );
  }
  return full;
}

export function buildModel(spec: ModelSpec): tf.LayersModel {
  const s = completeSpec(spec);
  const init = (offset: number) => tf.initializers.glorotUniform({ seed: s.seed + offset });
  const model = tf.sequential({ name: 'ahunt_cnn' });
  for (let block = 0; block <= s.extraBlocks; block++) {
    model.add(
      tf.layers.conv2d({
        name: `conv${block}`,
        ...(block === 0 ? { inputShape: [s.size, s.size, s.bands] } : {}),
        filters: block === 0 ? 16 : 8,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(block),
      }),
    );
    model.add(tf.layers.maxPooling2d({ name: `pool${block}`, poolSize: 2, strides: 2 }));
  }
  model.add(tf.layers.flatten({ name: 'flatten' }));
  model.add(
    tf.layers.dense({
      name: 'latent',
      units: s.latent,
      activation: 'relu',
      kernelInitializer: init(100),
    }),
  );
  const dropout = seededDropout(s.seed);
  model.add(dropout.layer);
  dropoutStreams.set(model, dropout.stream);
  model.add(
    tf.layers.dense({
      name: 'head',
      units: s.classes,
      activation: 'softmax',
      kernelInitializer: init(300 + s.classes),
    }),
  );
  specs.set(model, s);
  return model;
}

/** Where a model's dropout masks come from: a seed and how many training steps drew one. */
interface DropoutStream {
  seed: number;
  step: number;
}
const dropoutStreams = new WeakMap<tf.LayersModel, DropoutStream>();

/**
 * Dropout whose masks are drawn from a seed: tfjs's own `seed` option draws the very same
 * mask at every step, and without it the masks come from Math.random, so two trainings from
 * one checkpoint and one seed differed. Here each training step draws from seed + step.
 */
function seededDropout(seed: number): { layer: tf.layers.Layer; stream: DropoutStream } {
  const stream: DropoutStream = { seed, step: 0 };
  const layer = tf.layers.dropout({ name: 'dropout', rate: DROPOUT_RATE, seed });
  const call = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => {
    if (kwargs.training === true) {
      // tfjs's Dropout reads its `seed` field at every call (layers/core.js).
      (layer as unknown as { seed: number }).seed = (stream.seed * 1_000_003 + stream.step++) | 0;
    }
    return call(inputs, kwargs);
  };
  return { layer, stream };
}

/**
 * Restarts a model's dropout masks from `seed`: a training from the same weights with the
 * same seed then draws the same masks, whatever ran on the model before.
 */
export function seedDropout(model: tf.LayersModel, seed: number): void {
  const stream = dropoutStreams.get(model);
  if (stream) {
    stream.seed = seed;
    stream.step = 0;
  }
}

const specs = new WeakMap<tf.LayersModel, Required<ModelSpec>>();
/** Things owned by a model that die with it (the trainer's optimizer state). */
const attachments = new WeakMap<tf.LayersModel, { dispose(): void }[]>();

export function specOf(model: tf.LayersModel): Required<ModelSpec> {
  const spec = specs.get(model);
  if (spec === undefined) throw new InvalidModelError('This model was not built by buildModel');
  return spec;
}

export function attachToModel(model: tf.LayersModel, owned: { dispose(): void }): void {
  const list = attachments.get(model) ?? [];
  list.push(owned);
  attachments.set(model, list);
}

/** Frees the model's weights and everything attached to it. */
export function disposeModel(model: tf.LayersModel): void {
  for (const owned of attachments.get(model) ?? []) owned.dispose();
  attachments.delete(model);
  model.dispose();
}

/**
 * A model with one more softmax output. Every old weight is kept, the new head column keeps its
 * fresh random initialisation and its bias starts at 0. The old model is disposed.
 */
export function addClass(model: tf.LayersModel): tf.LayersModel {
  const old = specOf(model);
  const grown = buildModel({ ...old, classes: old.classes + 1 });
  for (const layer of model.layers) {
    if (layer.name === 'head') continue;
    grown.getLayer(layer.name).setWeights(layer.getWeights());
  }
  const [oldKernel, oldBias] = model.getLayer('head').getWeights();
  const [freshKernel] = grown.getLayer('head').getWeights();
  if (oldKernel === undefined || oldBias === undefined || freshKernel === undefined) {
    throw new InvalidModelError('The model has no head layer weights');
  }
  const [kernel, bias] = tf.tidy(() => {
    const newColumn = freshKernel.slice([0, old.classes], [old.latent, 1]);
    return [tf.concat([oldKernel, newColumn], 1), tf.concat([oldBias, tf.zeros([1])])];
  });
  grown.getLayer('head').setWeights([kernel, bias]);
  tf.dispose([kernel, bias]);
  disposeModel(model);
  return grown;
}

export interface WeightEntry {
  layer: string;
  param: 'kernel' | 'bias';
  shape: number[];
}

/** The order and shapes of the weights in a saved buffer, without building a model. */
export function weightLayout(spec: ModelSpec): WeightEntry[] {
  const s = completeSpec(spec);
  const entries: WeightEntry[] = [];
  let channels = s.bands;
  let side = s.size;
  for (let block = 0; block <= s.extraBlocks; block++) {
    const filters = block === 0 ? 16 : 8;
    entries.push({ layer: `conv${block}`, param: 'kernel', shape: [3, 3, channels, filters] });
    entries.push({ layer: `conv${block}`, param: 'bias', shape: [filters] });
    channels = filters;
    side = Math.floor(side / 2);
  }
  const flat = side * side * channels;
  entries.push({ layer: 'latent', param: 'kernel', shape: [flat, s.latent] });
  entries.push({ layer: 'latent', param: 'bias', shape: [s.latent] });
  entries.push({ layer: 'head', param: 'kernel', shape: [s.latent, s.classes] });
  entries.push({ layer: 'head', param: 'bias', shape: [s.classes] });
  return entries;
}

export interface SavedModel {
  spec: Required<ModelSpec>;
  /** Little-endian float32 values of every weight, in weightLayout(spec) order. */
  weights: Uint8Array;
}

export function saveModel(model: tf.LayersModel): SavedModel {
  const spec = specOf(model);
  const tensors = model.getWeights();
  const total = tensors.reduce((sum, t) => sum + t.size, 0);
  const values = new Float32Array(total);
  let offset = 0;
  for (const t of tensors) {
    values.set(t.dataSync() as Float32Array, offset);
    offset += t.size;
  }
  return { spec, weights: new Uint8Array(values.buffer) };
}

export function loadModel(saved: SavedModel): tf.LayersModel {
  const layout = weightLayout(saved.spec);
  const expected = layout.reduce((sum, e) => sum + e.shape.reduce((a, b) => a * b, 1), 0);
  if (saved.weights.byteLength !== expected * 4) {
    throw new InvalidModelError(
      `Saved weights hold ${saved.weights.byteLength} bytes but the architecture ` +
        `${JSON.stringify(saved.spec)} needs ${expected * 4}; the model file is damaged or from another version.`,
    );
  }
  // Copy into an aligned buffer: the bytes may sit at any offset of a database blob.
  const values = new Float32Array(expected);
  new Uint8Array(values.buffer).set(saved.weights);
  const model = buildModel(saved.spec);
  let offset = 0;
  const tensors = layout.map((entry) => {
    const size = entry.shape.reduce((a, b) => a * b, 1);
    const t = tf.tensor(values.subarray(offset, offset + size), entry.shape);
    offset += size;
    return t;
  });
  model.setWeights(tensors);
  tf.dispose(tensors);
  return model;
}
