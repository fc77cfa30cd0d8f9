/**
 * Pimentel et al.'s "active layer" (arXiv 1805.09411): turn an unsupervised detector into an
 * active one by feeding its score, together with the detector's latent code, into a small
 * logistic layer trained on the expert's labels. Here the detector is a dense autoencoder and
 * its score the reconstruction error. The layer starts as the identity on the score (weight 1 on
 * the standardised error, 0 elsewhere), so before any label it ranks exactly like the detector,
 * and its training is pulled back towards that start (L2 towards the initial weights) so that a
 * handful of labels refine the ranking rather than overturn it.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageBatch } from '../../engine/learn/types';

export interface AutoencoderOptions {
  /** Size of the code layer. */
  latent?: number;
  hidden?: number;
  seed?: number;
  learningRate?: number;
}

export interface AutoencoderOutput {
  /** Mean squared reconstruction error per object. */
  errors: Float32Array;
  /** count × latent codes, row-major. */
  codes: Float32Array;
  latent: number;
}

/** A dense autoencoder over flattened images: D → hidden → latent → hidden → D (sigmoid). */
export class Autoencoder {
  readonly latent: number;
  private readonly encoder: tf.Sequential;
  private readonly model: tf.Sequential;

  constructor(inputSize: number, options: AutoencoderOptions = {}) {
    this.latent = options.latent ?? 16;
    const hidden = options.hidden ?? 128;
    const seed = options.seed ?? 0;
    const init = (k: number) => tf.initializers.glorotUniform({ seed: seed * 16 + k });
    this.encoder = tf.sequential({
      layers: [
        tf.layers.dense({
          inputShape: [inputSize],
          units: hidden,
          activation: 'relu',
          kernelInitializer: init(1),
        }),
        tf.layers.dense({ units: this.latent, activation: 'relu', kernelInitializer: init(2) }),
      ],
    });
    const decoder = tf.sequential({
      layers: [
        tf.layers.dense({
          inputShape: [this.latent],
          units: hidden,
          activation: 'relu',
          kernelInitializer: init(3),
        }),
        tf.layers.dense({ units: inputSize, activation: 'sigmoid', kernelInitializer: init(4) }),
      ],
    });
    this.model = tf.sequential({ layers: [this.encoder, decoder] });
    this.model.compile({
      optimizer: tf.train.adam(options.learningRate ?? 1e-3),
      loss: 'meanSquaredError',
    });
  }

  /** Trains (warm) on the images, unsupervised. Returns the final loss. */
  async fit(images: ImageBatch, epochs: number, batchSize = 128): Promise<number> {
    const x = flatten(images);
    try {
      const history = await this.model.fit(x, x, { epochs, batchSize, shuffle: true, verbose: 0 });
      const losses = history.history.loss as number[];
      return losses[losses.length - 1] ?? Number.NaN;
    } finally {
      x.dispose();
    }
  }

  /** Reconstruction errors and latent codes, computed in chunks to bound memory. */
  encode(images: ImageBatch, chunk = 1024): AutoencoderOutput {
    const d = images.size * images.size * images.bands;
    const errors = new Float32Array(images.count);
    const codes = new Float32Array(images.count * this.latent);
    for (let start = 0; start < images.count; start += chunk) {
      const n = Math.min(chunk, images.count - start);
      const [err, code] = tf.tidy(() => {
        const x = tf.tensor2d(images.data.subarray(start * d, (start + n) * d), [n, d]);
        const z = this.encoder.predict(x) as tf.Tensor2D;
        const y = this.model.predict(x) as tf.Tensor2D;
        return [tf.mean(tf.square(tf.sub(x, y)), 1), z];
      });
      errors.set(err!.dataSync() as Float32Array, start);
      codes.set(code!.dataSync() as Float32Array, start * this.latent);
      err!.dispose();
      code!.dispose();
    }
    return { errors, codes, latent: this.latent };
  }

  dispose(): void {
    this.model.dispose();
  }
}

function flatten(images: ImageBatch): tf.Tensor2D {
  const d = images.size * images.size * images.bands;
  return tf.tensor2d(images.data.subarray(0, images.count * d), [images.count, d]);
}

export interface ActiveLayerOptions {
  /** Gradient steps per fit. */
  steps?: number;
  learningRate?: number;
  /** Strength of the pull back towards the initial (score-only) weights. */
  l2?: number;
}

/**
 * The logistic layer over [score, code…]. Features are standardised with statistics of all
 * objects (labelled or not) so that the initial weights mean the same thing every round.
 */
export class ActiveLayer {
  private weights: Float64Array;
  private bias = 0;
  private readonly initial: Float64Array;
  readonly features: number;

  constructor(latent: number) {
    this.features = 1 + latent;
    this.initial = new Float64Array(this.features);
    this.initial[0] = 1;
    this.weights = Float64Array.from(this.initial);
  }

  /** Standardised [error, code…] rows for every object. */
  static featuresOf(out: AutoencoderOutput): Float64Array {
    const f = 1 + out.latent;
    const n = out.errors.length;
    const x = new Float64Array(n * f);
    for (let i = 0; i < n; i++) {
      x[i * f] = out.errors[i]!;
      for (let k = 0; k < out.latent; k++) x[i * f + 1 + k] = out.codes[i * out.latent + k]!;
    }
    for (let k = 0; k < f; k++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += x[i * f + k]!;
      mean /= Math.max(n, 1);
      let variance = 0;
      for (let i = 0; i < n; i++) variance += (x[i * f + k]! - mean) ** 2;
      const sd = Math.sqrt(variance / Math.max(n, 1)) || 1;
      for (let i = 0; i < n; i++) x[i * f + k] = (x[i * f + k]! - mean) / sd;
    }
    return x;
  }

  /**
   * Trains on labelled rows (target 1 = interesting). Classes are weighted to equal total mass
   * because anomalies are rare among the labels; with one class only, the layer keeps its
   * current weights (nothing to separate yet).
   */
  fit(
    x: Float64Array,
    rows: ArrayLike<number>,
    targets: ArrayLike<number>,
    options: ActiveLayerOptions = {},
  ): void {
    const f = this.features;
    const positives = Array.from(targets).filter((t) => t > 0.5).length;
    const negatives = rows.length - positives;
    if (positives === 0 || negatives === 0) return;
    const steps = options.steps ?? 300;
    const lr = options.learningRate ?? 0.5;
    const l2 = options.l2 ?? 0.01;
    const wPos = 0.5 / positives;
    const wNeg = 0.5 / negatives;
    const w = this.weights;
    const grad = new Float64Array(f);
    for (let step = 0; step < steps; step++) {
      grad.fill(0);
      let gradBias = 0;
      for (let r = 0; r < rows.length; r++) {
        const base = (rows[r] as number) * f;
        let z = this.bias;
        for (let k = 0; k < f; k++) z += w[k]! * x[base + k]!;
        const p = 1 / (1 + Math.exp(-z));
        const t = targets[r] as number;
        const g = (p - t) * (t > 0.5 ? wPos : wNeg);
        gradBias += g;
        for (let k = 0; k < f; k++) grad[k]! += g * x[base + k]!;
      }
      for (let k = 0; k < f; k++) w[k] = w[k]! - lr * (grad[k]! + l2 * (w[k]! - this.initial[k]!));
      this.bias -= lr * gradBias;
    }
  }

  /** P(interesting) for every row of x. */
  score(x: Float64Array): Float32Array {
    const f = this.features;
    const n = x.length / f;
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let z = this.bias;
      for (let k = 0; k < f; k++) z += this.weights[k]! * x[i * f + k]!;
      out[i] = 1 / (1 + Math.exp(-z));
    }
    return out;
  }
}
