/**
 * One AHUNT training round: warm-started Adam on the labelled set, every class oversampled to the
 * majority count with augmentation, optional hard-example duplication, cross-entropy or focal
 * loss. Runs batch by batch with a yield to the event loop in between, so progress can be
 * posted and an AbortSignal noticed, and every batch's tensors are freed before the next.
 */
import * as tf from '@tensorflow/tfjs';
import { augmentInto, makeRng } from './augment';
import { attachToModel, seedDropout, specOf } from './model';
import { ProgressMeter } from './progress-meter';
import type { ClassLayout, ImageBatch, LossKind, TrainOptions, TrainResult } from './types';

export const LEARNING_RATE = 1e-3;
const FOCAL_GAMMA = 2;
const PROB_FLOOR = 1e-7;

export class TrainingCancelledError extends Error {
  constructor() {
    super('Training was cancelled; the model keeps the weights of the last finished batch.');
    // The DOM convention, so callers can treat it like any aborted fetch or stream.
    this.name = 'AbortError';
  }
}

export class InvalidTrainingDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTrainingDataError';
  }
}

const optimizers = new WeakMap<tf.LayersModel, tf.Optimizer>();

/**
 * The model's Adam state persists across rounds (warm start) and dies with the model; the
 * learning rate is fixed when the first round creates it.
 */
function optimizerFor(model: tf.LayersModel, learningRate: number): tf.Optimizer {
  let optimizer = optimizers.get(model);
  if (optimizer === undefined) {
    optimizer = tf.train.adam(learningRate);
    optimizers.set(model, optimizer);
    attachToModel(model, optimizer);
  }
  return optimizer;
}

export function validateTrainingInput(
  model: tf.LayersModel,
  images: ImageBatch,
  labels: Int32Array,
  layout: ClassLayout,
): void {
  const spec = specOf(model);
  if (images.size !== spec.size || images.bands !== spec.bands) {
    throw new InvalidTrainingDataError(
      `Images are ${images.size}×${images.size}×${images.bands} but the model expects ` +
        `${spec.size}×${spec.size}×${spec.bands}; rebuild the model for this survey.`,
    );
  }
  if (images.data.length !== images.count * images.size * images.size * images.bands) {
    throw new InvalidTrainingDataError(
      `The image buffer holds ${images.data.length} values, not count×size×size×bands = ` +
        `${images.count * images.size * images.size * images.bands}.`,
    );
  }
  if (labels.length !== images.count) {
    throw new InvalidTrainingDataError(
      `${labels.length} labels were given for ${images.count} images; give one label per image.`,
    );
  }
  if (layout.count !== spec.classes) {
    throw new InvalidTrainingDataError(
      `The class layout has ${layout.count} classes but the model has ${spec.classes} outputs; ` +
        'call addClass when a class is created.',
    );
  }
  for (const label of labels) {
    if (label < 0 || label >= layout.count || label === layout.reserve) {
      throw new InvalidTrainingDataError(
        `Label ${label} is not a trainable class (0…${layout.count - 1}, reserve ` +
          `${layout.reserve} excluded).`,
      );
    }
  }
  if (images.count === 0)
    throw new InvalidTrainingDataError('There are no labelled images to train on.');
}

function oversampled(labels: Int32Array, classes: number, rng: () => number): number[] {
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  labels.forEach((label, index) => byClass[label]?.push(index));
  const majority = Math.max(...byClass.map((members) => members.length));
  const extra: number[] = [];
  for (const members of byClass) {
    for (let k = members.length; k > 0 && k < majority; k++) {
      extra.push(members[Math.floor(rng() * members.length)] as number);
    }
  }
  return extra;
}

/**
 * Copies of the samples the model gets most wrong: weight (‖y−ŷ‖²+1)/min, capped at 2. The
 * errors are read asynchronously, as the loss is (WebGPU cannot read back synchronously).
 */
async function hardExampleCopies(
  model: tf.LayersModel,
  images: ImageBatch,
  labels: Int32Array,
  batchSize: number,
): Promise<number[]> {
  const errors = new Float32Array(images.count);
  const pixels = images.size * images.size * images.bands;
  for (let start = 0; start < images.count; start += batchSize) {
    const n = Math.min(batchSize, images.count - start);
    const batchErrorsTensor = tf.tidy(() => {
      const x = tf.tensor4d(images.data.subarray(start * pixels, (start + n) * pixels), [
        n,
        images.size,
        images.size,
        images.bands,
      ]);
      const y = tf.oneHot(
        tf.tensor1d(labels.subarray(start, start + n), 'int32'),
        specOf(model).classes,
      );
      const p = model.predict(x) as tf.Tensor;
      return tf.sum(tf.square(tf.sub(y, p)), 1);
    });
    const batchErrors = (await batchErrorsTensor.data()) as Float32Array;
    batchErrorsTensor.dispose();
    errors.set(batchErrors, start);
  }
  return hardExampleDuplicates(errors);
}

/**
 * Indices to add a second time: sample weight (‖y−ŷ‖²+1)/min over the set, capped at 2,
 * rounded to a number of copies (so samples with weight ≥ 1.5 appear twice).
 */
export function hardExampleDuplicates(squaredErrors: Float32Array): number[] {
  let min = Infinity;
  for (const e of squaredErrors) min = Math.min(min, e + 1);
  const copies: number[] = [];
  squaredErrors.forEach((e, index) => {
    if (Math.round(Math.min((e + 1) / min, 2)) >= 2) copies.push(index);
  });
  return copies;
}

function lossFunction(kind: LossKind, yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  const p = tf.clipByValue(yPred, PROB_FLOOR, 1);
  const logP = tf.log(p);
  const perClass = kind === 'focal' ? tf.mul(tf.pow(tf.sub(1, p), FOCAL_GAMMA), logP) : logP;
  return tf.neg(tf.mean(tf.sum(tf.mul(yTrue, perClass), 1))) as tf.Scalar;
}

function shuffleInPlace(values: number[], rng: () => number): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = values[i] as number;
    values[i] = values[j] as number;
    values[j] = tmp;
  }
}

/**
 * Node's setImmediate, or a MessageChannel turn in a browser page (the GPU page trains with
 * this same code): both run before timers, unlike setTimeout's clamped minimum delay.
 */
function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    // The browser's MessagePort (Node's type, which the compiler sees, has no onmessage).
    const channel = new MessageChannel() as unknown as {
      port1: { onmessage: (() => void) | null; close(): void };
      port2: { postMessage(message: null): void };
    };
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Data-parallel training: several replicas of the same model (same weights, same Adam state)
 * each compute the gradient of their slice of every batch; `combine` returns the weighted mean
 * over all replicas, identical everywhere, so every replica applies the same update and the
 * replicas stay equal. Without a share, one thread trains alone.
 */
export interface GradientShare {
  replica: number;
  replicas: number;
  /** Blocks until every replica contributed; throws TrainingCancelledError if one stopped. */
  combine(grads: Float32Array, loss: number, weight: number): { grads: Float32Array; loss: number };
  /** True once training was cancelled anywhere (checked between batches). */
  cancelled(): boolean;
}

function sliceOf(share: GradientShare | undefined, n: number): [number, number] {
  if (share === undefined) return [0, n];
  const from = Math.floor((share.replica * n) / share.replicas);
  return [from, Math.floor(((share.replica + 1) * n) / share.replicas)];
}

/** One replica's step: gradients of its slice, combined with the others', then Adam. */
function sharedStep(
  share: GradientShare,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  lossOf: (() => tf.Scalar) | null,
  weight: number,
): number {
  const size = variables.reduce((sum, v) => sum + v.size, 0);
  const flat = new Float32Array(size);
  let loss = 0;
  if (lossOf !== null) {
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(lossOf, variables);
      let offset = 0;
      for (const v of variables) {
        const g = grads[v.name];
        if (g !== undefined) flat.set(g.dataSync() as Float32Array, offset);
        offset += v.size;
      }
      loss = value.dataSync()[0] as number;
    });
  }
  const combined = share.combine(flat, loss, weight);
  tf.tidy(() => {
    let offset = 0;
    const named: Record<string, tf.Tensor> = {};
    for (const v of variables) {
      named[v.name] = tf.tensor(combined.grads.subarray(offset, offset + v.size), v.shape);
      offset += v.size;
    }
    optimizer.applyGradients(named);
  });
  return combined.loss;
}

/**
 * One Adam step on the whole batch; the loss is read asynchronously, because WebGPU (the GPU
 * page) has no working synchronous read-back, and on the CPU backends data() is as quick.
 */
async function minimizeStep(
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  lossOf: () => tf.Scalar,
): Promise<number> {
  // tidy keeps the tensor it returns (the cost) and frees the step's intermediates.
  const cost = tf.tidy(() => optimizer.minimize(lossOf, true, variables) ?? tf.scalar(NaN));
  const value = (await cost.data())[0] as number;
  cost.dispose();
  return value;
}

export async function trainRound(
  model: tf.LayersModel,
  images: ImageBatch,
  labels: Int32Array,
  layout: ClassLayout,
  opts: TrainOptions,
  share?: GradientShare,
): Promise<TrainResult> {
  validateTrainingInput(model, images, labels, layout);
  if (!Number.isInteger(opts.epochs) || opts.epochs < 1 || !(opts.batchSize >= 1)) {
    throw new InvalidTrainingDataError(
      `Training needs epochs ≥ 1 and batchSize ≥ 1, got ${opts.epochs} and ${opts.batchSize}.`,
    );
  }
  // Sampling and shuffling draw from one stream that every replica repeats identically;
  // augmentation draws from a stream of its own per replica.
  const rng = makeRng(opts.seed);
  const augmentRng = makeRng(opts.seed * 7919 + (share?.replica ?? 0) + 1);
  // Dropout masks too: each replica its own stream, the same one for the same seed.
  seedDropout(model, opts.seed * 7919 + (share?.replica ?? 0) + 500_009);
  const optimizer = optimizerFor(model, opts.learningRate ?? LEARNING_RATE);
  const samples = Array.from({ length: images.count }, (_, i) => i);
  if (opts.hardExamples) {
    samples.push(...(await hardExampleCopies(model, images, labels, opts.batchSize)));
  }
  if (opts.balance) samples.push(...oversampled(labels, layout.count, rng));

  const { size, bands } = images;
  const pixels = size * size * bands;
  const batchSize = Math.min(Math.floor(opts.batchSize), samples.length);
  const batches = Math.ceil(samples.length / batchSize);
  const batchImages = new Float32Array(batchSize * pixels);
  const batchLabels = new Int32Array(batchSize);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const meter = new ProgressMeter(opts.epochs * samples.length, opts.epochs, batches);
  let finalLoss = NaN;

  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    shuffleInPlace(samples, rng);
    let epochLoss = 0;
    for (let batch = 0; batch < batches; batch++) {
      if (opts.signal?.aborted || share?.cancelled()) throw new TrainingCancelledError();
      const start = batch * batchSize;
      const n = Math.min(batchSize, samples.length - start);
      const [from, to] = sliceOf(share, n);
      const mine = to - from;
      for (let k = 0; k < mine; k++) {
        const index = samples[start + from + k] as number;
        augmentInto(images.data, index, batchImages, k, size, bands, opts.augment, augmentRng);
        batchLabels[k] = labels[index] as number;
      }
      const lossOf = () => {
        const x = tf.tensor4d(batchImages.subarray(0, mine * pixels), [mine, size, size, bands]);
        const y = tf.oneHot(tf.tensor1d(batchLabels.subarray(0, mine), 'int32'), layout.count);
        return lossFunction(opts.loss, y, model.apply(x, { training: true }) as tf.Tensor);
      };
      const loss =
        share === undefined
          ? await minimizeStep(optimizer, variables, lossOf)
          : sharedStep(share, optimizer, variables, mine > 0 ? lossOf : null, mine / n);
      epochLoss += loss * n;
      // Counted whether or not anyone listens: the result reports the images too.
      const progress = meter.batchDone({ epoch, batch, images: n, loss });
      opts.onProgress?.(progress);
      await yieldToEventLoop();
    }
    finalLoss = epochLoss / samples.length;
  }
  return { seconds: meter.seconds, images: meter.images, finalLoss };
}
