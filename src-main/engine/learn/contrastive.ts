/**
 * A self-supervised warm start (SimCLR's NT-Xent objective): two augmented views of every
 * unlabelled object go through the AHUNT encoder (conv blocks → latent) and a small
 * projection head; each view must pick its twin out of the batch. The encoder so learns what
 * stays the same under rotation, flips, shifts, brightness and noise — a galaxy's morphology —
 * before any label exists. No pretrained weights are needed: the survey is the training data.
 *
 * Only the encoder's weights are kept in the model; the projection head is thrown away
 * (SimCLR: the representation before the head transfers better). Objects are read batch by
 * batch from an UnlabelledSource, so the project is never whole in the tensor backend's heap.
 * Cancelling hands out a checkpoint of the last finished batch; resuming from it continues
 * at the next batch of the same epoch, in the same order.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian } from '../random';
import { augmentInto, makeRng } from './augment';
import type { AugmentKind } from './augment';
import { InvalidModelError, specOf } from './model';
import { ProgressMeter } from './progress-meter';
import { assign, flatten, optimizerState, restoreOptimizer } from './tensor-state';
import { LEARNING_RATE, TrainingCancelledError, InvalidTrainingDataError } from './train';
import type { ImageBatch, TrainProgress } from './types';

/** SimCLR's temperature for small batches. */
export const TEMPERATURE = 0.5;
/** Output size of the projection head. */
const PROJECTION = 32;
/** A view's brightness is scaled by a factor in [1 − J, 1 + J]. */
const BRIGHTNESS_JITTER = 0.2;
/** Standard deviation of the pixel noise added to each view. */
const VIEW_NOISE = 0.03;
/** Masks a view's similarity with itself out of the softmax. */
const SELF_MASK = 1e9;

/** Where the unlabelled objects come from: read a few at a time, never all at once. */
export interface UnlabelledSource {
  count: number;
  size: number;
  bands: number;
  /** Writes the images `indices`, one after the other, into `into` (NHWC float32). */
  read(indices: readonly number[], into: Float32Array): void | Promise<void>;
}

/** An in-memory image set as a source (the simulation's images). */
export function sourceOfImages(images: ImageBatch): UnlabelledSource {
  const pixels = images.size * images.size * images.bands;
  return {
    count: images.count,
    size: images.size,
    bands: images.bands,
    read(indices, into) {
      indices.forEach((index, k) =>
        into.set(images.data.subarray(index * pixels, (index + 1) * pixels), k * pixels),
      );
    },
  };
}

/** Everything needed to continue a warm start exactly where it stopped. */
export interface WarmStartCheckpoint {
  /** The epoch in progress (0-based) and the number of its batches already done. */
  epoch: number;
  batch: number;
  epochs: number;
  seed: number;
  /** The encoder's weights (conv blocks and latent), in layer order. */
  encoder: Float32Array;
  /** The projection head's weights. */
  head: Float32Array;
  /** Adam's state: its step count, then every first moment, then every second moment. */
  optimizer: Float32Array;
  /** Mean loss of every finished epoch. */
  epochLosses: number[];
}

export interface WarmStartOptions {
  epochs: number;
  /** Objects per batch (each gives two views). */
  batchSize: number;
  augment: AugmentKind;
  seed: number;
  signal?: AbortSignal;
  onProgress?: (p: TrainProgress) => void;
  /** Continue from this checkpoint instead of starting at epoch 0. */
  resume?: WarmStartCheckpoint;
  /**
   * Called every `checkpointEvery` batches, after every epoch (the last one included), and on
   * cancel before the error is thrown.
   */
  onCheckpoint?: (checkpoint: WarmStartCheckpoint) => void | Promise<void>;
  checkpointEvery?: number;
}

export interface WarmStartResult {
  seconds: number;
  /** Mean NT-Xent loss per epoch, resumed epochs included. */
  epochLosses: number[];
}

/** The layers from the input up to and including the latent layer. */
function encoderLayers(model: tf.LayersModel): tf.layers.Layer[] {
  const end = model.layers.findIndex((layer) => layer.name === 'latent');
  if (end < 0) throw new InvalidModelError('The model has no latent layer to warm-start.');
  return model.layers.slice(0, end + 1);
}

/** Variables of the projection head: Dense(latent, ReLU) → Dense(PROJECTION). */
function projectionHead(latent: number, seed: number): tf.Variable[] {
  const init = (offset: number, shape: [number, number]) =>
    tf.variable(tf.initializers.glorotUniform({ seed: seed + offset }).apply(shape), true);
  // tidy frees the initial values; the variables keep copies of their own.
  return tf.tidy(() => [
    init(901, [latent, latent]),
    tf.variable(tf.zeros([latent]), true),
    init(902, [latent, PROJECTION]),
  ]);
}

/** NT-Xent over 2n rows where rows i and i + n are the two views of one object. */
export function ntXent(z: tf.Tensor2D, temperature = TEMPERATURE): tf.Scalar {
  return tf.tidy(() => {
    const rows = z.shape[0];
    const n = rows / 2;
    const unit = tf.div(z, tf.add(tf.norm(z, 'euclidean', 1, true), 1e-8));
    const similarity = tf.div(tf.matMul(unit, unit, false, true), temperature);
    const masked = tf.sub(similarity, tf.mul(tf.eye(rows), SELF_MASK));
    const twin = tf.tensor1d(
      Array.from({ length: rows }, (_, i) => (i + n) % rows),
      'int32',
    );
    const logProb = tf.logSoftmax(masked);
    return tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(twin, rows), logProb), 1))) as tf.Scalar;
  });
}

/** Brightness scaled by a random factor and Gaussian noise, per view. */
function jitter(views: Float32Array, from: number, to: number, rng: () => number): void {
  const normal = gaussian(rng);
  const factor = 1 + (2 * rng() - 1) * BRIGHTNESS_JITTER;
  for (let i = from; i < to; i++) {
    views[i] = Math.min(1, Math.max(0, (views[i] as number) * factor + normal() * VIEW_NOISE));
  }
}

function shuffled(count: number, seed: number): number[] {
  const rng = makeRng(seed);
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Trains the model's encoder on the source's unlabelled objects with NT-Xent. The model's
 * head (softmax) is untouched; the supervised rounds start from the encoder left here.
 */
export async function warmStartEncoder(
  model: tf.LayersModel,
  source: UnlabelledSource,
  opts: WarmStartOptions,
): Promise<WarmStartResult> {
  const spec = specOf(model);
  if (source.size !== spec.size || source.bands !== spec.bands) {
    throw new InvalidTrainingDataError(
      `The objects are ${source.size}×${source.size}×${source.bands} but the model expects ` +
        `${spec.size}×${spec.size}×${spec.bands}.`,
    );
  }
  if (source.count < 2) {
    throw new InvalidTrainingDataError('A warm start needs at least 2 objects to compare.');
  }
  if (!Number.isInteger(opts.epochs) || opts.epochs < 1 || !(opts.batchSize >= 2)) {
    throw new InvalidTrainingDataError(
      `A warm start needs epochs ≥ 1 and a batch of ≥ 2 objects, got ${opts.epochs} and ${opts.batchSize}.`,
    );
  }
  const layers = encoderLayers(model);
  const encoder = layers.flatMap((layer) =>
    layer.trainableWeights.map((w) => w.read() as tf.Variable),
  );
  const head = projectionHead(spec.latent, spec.seed);
  const optimizer = tf.train.adam(LEARNING_RATE);
  const variables = [...encoder, ...head];
  const { size, bands } = source;
  const pixels = size * size * bands;
  const batchSize = Math.min(Math.floor(opts.batchSize), source.count);
  // The remainder of an epoch is dropped (a lone object has nothing to be told apart from);
  // every epoch reshuffles, so no object is left out for long.
  const batches = Math.floor(source.count / batchSize);
  const originals = new Float32Array(batchSize * pixels);
  const views = new Float32Array(2 * batchSize * pixels);
  const epochLosses = [...(opts.resume?.epochLosses ?? [])];
  let epoch = opts.resume?.epoch ?? 0;
  let batch = opts.resume?.batch ?? 0;
  let epochLoss = 0;
  if (opts.resume) {
    if (opts.resume.seed !== opts.seed) {
      throw new InvalidTrainingDataError(
        `The checkpoint was made with seed ${opts.resume.seed}, not ${opts.seed}; resume with the same seed.`,
      );
    }
    assign(encoder, opts.resume.encoder, 'encoder');
    assign(head, opts.resume.head, 'projection head');
    await restoreOptimizer(optimizer, opts.resume.optimizer, variables);
  }
  /** The state after `atBatch` batches of epoch `atEpoch`. */
  const checkpoint = async (atEpoch: number, atBatch: number): Promise<WarmStartCheckpoint> => ({
    epoch: atEpoch,
    batch: atBatch,
    epochs: opts.epochs,
    seed: opts.seed,
    encoder: flatten(encoder),
    head: flatten(head),
    optimizer: await optimizerState(optimizer),
    epochLosses: [...epochLosses],
  });
  const left = (opts.epochs - epoch) * batches - batch;
  const meter = new ProgressMeter(left * batchSize, opts.epochs, batches);
  try {
    for (; epoch < opts.epochs; epoch++, batch = 0, epochLoss = 0) {
      const order = shuffled(source.count, opts.seed * 7919 + epoch);
      for (; batch < batches; batch++) {
        if (opts.signal?.aborted) {
          await opts.onCheckpoint?.(await checkpoint(epoch, batch));
          throw new TrainingCancelledError();
        }
        const indices = order.slice(batch * batchSize, (batch + 1) * batchSize);
        await source.read(indices, originals);
        // One stream per batch: a resumed run draws the same views as an uninterrupted one.
        const rng = makeRng((opts.seed * 1_000_003 + epoch * 10_007 + batch) | 0);
        for (let view = 0; view < 2; view++) {
          for (let k = 0; k < batchSize; k++) {
            const slot = view * batchSize + k;
            augmentInto(originals, k, views, slot, size, bands, opts.augment, rng);
            jitter(views, slot * pixels, (slot + 1) * pixels, rng);
          }
        }
        const loss = tf.tidy(() => {
          const cost = optimizer.minimize(
            () => {
              let h: tf.Tensor = tf.tensor4d(views, [2 * batchSize, size, size, bands]);
              for (const layer of layers) h = layer.apply(h, { training: true }) as tf.Tensor;
              const [w1, b1, w2] = head as [tf.Variable, tf.Variable, tf.Variable];
              const hidden = tf.relu(tf.add(tf.matMul(h as tf.Tensor2D, w1), b1));
              return ntXent(tf.matMul(hidden as tf.Tensor2D, w2));
            },
            true,
            variables,
          );
          return cost === null ? NaN : (cost.dataSync()[0] as number);
        });
        epochLoss += loss;
        const progress = meter.batchDone({ epoch, batch, images: batchSize, loss });
        opts.onProgress?.(progress);
        const every = opts.checkpointEvery ?? batches;
        if (opts.onCheckpoint && (batch + 1) % every === 0 && batch + 1 < batches) {
          await opts.onCheckpoint(await checkpoint(epoch, batch + 1));
        }
        await yieldToEventLoop();
      }
      // The epoch's mean over the batches this run saw (a resumed epoch counts its tail only).
      const resumedAt = opts.resume?.epoch === epoch ? opts.resume.batch : 0;
      epochLosses.push(epochLoss / Math.max(1, batches - resumedAt));
      await opts.onCheckpoint?.(await checkpoint(epoch + 1, 0));
    }
  } finally {
    optimizer.dispose();
    tf.dispose(head);
  }
  return { seconds: meter.seconds, epochLosses };
}
