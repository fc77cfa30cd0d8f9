/** tfjs reference outputs and the comparisons the ONNX tests make against them. */
import * as tf from '@tensorflow/tfjs';
import type { ImageBatch, ScoreResult } from '../../../src-main/engine/learn/types';

export function batchOf(data: Float32Array, size: number, bands: number): ImageBatch {
  return { data, count: data.length / (size * size * bands), size, bands };
}

/** Probabilities and latent vectors computed by tfjs itself (dropout inactive in predict). */
export function tfjsScores(model: tf.LayersModel, images: ImageBatch): ScoreResult {
  const latentLayer = model.getLayer('latent');
  const probe = tf.model({
    inputs: model.inputs,
    outputs: [model.outputs[0]!, latentLayer.output as tf.SymbolicTensor],
  });
  return tf.tidy(() => {
    const x = tf.tensor4d(images.data, [images.count, images.size, images.size, images.bands]);
    const [probs, latent] = probe.predict(x, { batchSize: 256 }) as tf.Tensor[];
    return {
      probs: probs!.dataSync() as Float32Array,
      latent: latent!.dataSync() as Float32Array,
      classes: probs!.shape[1] as number,
      latentSize: latent!.shape[1] as number,
    };
  });
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

/** Largest |a − b| / max(1, |b|): absolute for probabilities, relative for large activations. */
export function maxScaledDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const ref = b[i] as number;
    worst = Math.max(worst, Math.abs((a[i] as number) - ref) / Math.max(1, Math.abs(ref)));
  }
  return worst;
}

export function randomImages(
  count: number,
  size: number,
  bands: number,
  seed: number,
): Float32Array {
  return tf.tidy(
    () =>
      tf
        .randomUniform([count, size, size, bands], 0, 1, 'float32', seed)
        .dataSync() as Float32Array,
  );
}

/** A few real optimisation steps so weights and biases are no longer their initial values. */
export async function trainFewSteps(
  model: tf.LayersModel,
  images: ImageBatch,
  labels: ArrayLike<number>,
  classes: number,
  options: { steps: number; batchSize: number },
): Promise<number> {
  const n = options.steps * options.batchSize;
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  const x = tf.tensor4d(images.data.subarray(0, n * images.size * images.size * images.bands), [
    n,
    images.size,
    images.size,
    images.bands,
  ]);
  const y = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: n }, (_, i) => (labels[i] as number) % classes),
      'int32',
    ),
    classes,
  );
  const history = await model.fit(x, y, {
    batchSize: options.batchSize,
    epochs: 1,
    shuffle: false,
    verbose: 0,
  });
  tf.dispose([x, y]);
  return history.history['loss']?.[0] as number;
}

/** Sets every bias to clearly non-zero values so the bias path of the export is exercised. */
export function randomiseBiases(model: tf.LayersModel, seed: number): void {
  for (const layer of model.layers) {
    const weights = layer.getWeights();
    if (weights.length < 2) continue;
    const bias = weights[1]!;
    const replaced = tf.randomNormal(bias.shape, 0, 0.2, 'float32', seed++);
    layer.setWeights([weights[0]!, replaced]);
    replaced.dispose();
  }
}
