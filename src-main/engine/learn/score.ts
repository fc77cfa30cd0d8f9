/**
 * Scoring: class probabilities and latent vectors for a set of images, in batches, plus the
 * AHUNT anomaly score Σ_c w_c·P(c) (method.md, "One round", step 1).
 */
import * as tf from '@tensorflow/tfjs';
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
  const spec = specOf(model);
  const { count, size, bands } = images;
  if (size !== spec.size || bands !== spec.bands) {
    throw new InvalidScoringInputError(
      `Images are ${size}×${size}×${bands} but the model expects ${spec.size}×${spec.size}×${spec.bands}.`,
    );
  }
  const pixels = size * size * bands;
  if (images.data.length !== count * pixels) {
    throw new InvalidScoringInputError(
      `The image buffer holds ${images.data.length} values, not count×size×size×bands = ${count * pixels}.`,
    );
  }
  const step = Math.max(1, Math.floor(batchSize));
  const view = latentView(model);
  const probs = new Float32Array(count * spec.classes);
  const latent = new Float32Array(count * spec.latent);
  for (let start = 0; start < count; start += step) {
    const n = Math.min(step, count - start);
    tf.tidy(() => {
      const x = tf.tensor4d(images.data.subarray(start * pixels, (start + n) * pixels), [
        n,
        size,
        size,
        bands,
      ]);
      const [z, p] = view.predict(x, { batchSize: n }) as tf.Tensor[];
      if (z === undefined || p === undefined) throw new InvalidScoringInputError('Scoring failed');
      latent.set(z.dataSync() as Float32Array, start * spec.latent);
      probs.set(p.dataSync() as Float32Array, start * spec.classes);
    });
    await yieldToEventLoop();
  }
  return { probs, latent, classes: spec.classes, latentSize: spec.latent };
}
