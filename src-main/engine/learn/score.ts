/**
 * Scoring: class probabilities and latent vectors for a set of images, in batches, plus the
 * AHUNT anomaly score Σ_c w_c·P(c) (method.md, "One round", step 1).
 */
import * as tf from '@tensorflow/tfjs';
import { largestWasmBatch } from './memory-budget';
import { specOf } from './model';
import { InvalidScoringInputError } from './anomaly-score';
import type { ImageBatch, ScoreResult } from './types';

// The score itself needs no tfjs: it lives apart so scoring workers need not load tfjs.
export { anomalyScores, InvalidScoringInputError } from './anomaly-score';

/** A view of the same layers with the latent layer as a second output (shares every weight). */
const latentViews = new WeakMap<tf.LayersModel, tf.LayersModel>();

function latentView(model: tf.LayersModel): tf.LayersModel {
  let view = latentViews.get(model);
  if (view === undefined) {
    const output = model.outputs[0];
    if (output === undefined) throw new InvalidScoringInputError('The model has no output');
    view = tf.model({
      inputs: model.inputs,
      outputs: [model.getLayer('latent').output as tf.SymbolicTensor, output],
    });
    latentViews.set(model, view);
  }
  return view;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function scoreImages(
  model: tf.LayersModel,
  images: ImageBatch,
  batchSize = 256,
): Promise<ScoreResult> {
  const { count, size, bands } = images;
  const pixels = size * size * bands;
  if (images.data.length !== count * pixels) {
    throw new InvalidScoringInputError(
      `The image buffer holds ${images.data.length} values, not count×size×size×bands = ${count * pixels}.`,
    );
  }
  return scoreImageStream(
    model,
    {
      count,
      size,
      bands,
      read: (start, n) => images.data.subarray(start * pixels, (start + n) * pixels),
    },
    batchSize,
  );
}

/** Images that are read a batch at a time (from disk, a database, a generator). */
export interface ImageStream {
  count: number;
  size: number;
  bands: number;
  /** Images start … start+n−1, NHWC float32; only this batch needs to exist at once. */
  read(start: number, n: number): Float32Array;
}

/**
 * Scores `stream.count` images a batch at a time: only one batch of pixels and its activations
 * are ever inside the backend (the wasm heap), whatever the count; only the probabilities and
 * latent vectors of all images are kept.
 */
export async function scoreImageStream(
  model: tf.LayersModel,
  stream: ImageStream,
  batchSize = 256,
): Promise<ScoreResult> {
  const spec = specOf(model);
  const { count, size, bands } = stream;
  if (size !== spec.size || bands !== spec.bands) {
    throw new InvalidScoringInputError(
      `Images are ${size}×${size}×${bands} but the model expects ${spec.size}×${spec.size}×${spec.bands}.`,
    );
  }
  const pixels = size * size * bands;
  // On wasm a batch must fit the fixed heap: large cutouts are scored in smaller batches.
  const fits = tf.getBackend() === 'wasm' ? largestWasmBatch(size, bands) : Infinity;
  const step = Math.max(1, Math.min(Math.floor(batchSize), fits));
  const view = latentView(model);
  const probs = new Float32Array(count * spec.classes);
  const latent = new Float32Array(count * spec.latent);
  for (let start = 0; start < count; start += step) {
    const n = Math.min(step, count - start);
    const batch = stream.read(start, n);
    if (batch.length !== n * pixels) {
      throw new InvalidScoringInputError(
        `Reading images ${start}…${start + n - 1} gave ${batch.length} values, not ${n * pixels}.`,
      );
    }
    tf.tidy(() => {
      const x = tf.tensor4d(batch, [n, size, size, bands]);
      const [z, p] = view.predict(x, { batchSize: n }) as tf.Tensor[];
      if (z === undefined || p === undefined) throw new InvalidScoringInputError('Scoring failed');
      latent.set(z.dataSync() as Float32Array, start * spec.latent);
      probs.set(p.dataSync() as Float32Array, start * spec.classes);
    });
    await yieldToEventLoop();
  }
  return { probs, latent, classes: spec.classes, latentSize: spec.latent };
}
