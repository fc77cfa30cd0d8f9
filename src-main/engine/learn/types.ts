/**
 * The contract between the learning pieces (backends/model/training, scoring, ONNX, strategies,
 * baselines, simulation) and the hunt session. Images are always float32, channels-last
 * (NHWC: index = ((n * size + y) * size + x) * bands + b), scaled to [0, 1] per object.
 */

import type { BackendName, StrategyName as RoundStrategyName } from '../../contract/contract';
import type { ImageBatch } from '../image-batch';

export type { BackendName, ImageBatch };

/**
 * Every question strategy (the contract's list, which the rounds offer too); 'fusion' is
 * P(c) × unusualness in the latent space with the reserve class asked by unusualness alone
 * (fusion.ts), the default of `ahunt simulate`.
 */
export type StrategyName = RoundStrategyName;

export interface BackendInfo {
  /** What actually runs. */
  name: BackendName;
  /** Why this one: "explicit choice", "fastest available", or why better ones were unavailable. */
  reason: string;
  /** Human-readable detail (device, SIMD/threads, versions). */
  detail: string;
}

/** Class layout of the softmax head. Index 0..n-1 in order of creation; the reserve class is one of them. */
export interface ClassLayout {
  /** Number of softmax outputs. */
  count: number;
  /** Index of the reserve ("unknown") class, never given training examples. */
  reserve: number;
}

export interface ModelSpec {
  size: number;
  bands: number;
  classes: number;
  /** Conv(8) blocks after the first Conv(16): 1 for 28–32 px, 3 for 128 px (method.md). */
  extraBlocks?: number;
  latent?: number;
  seed?: number;
}

export type LossKind = 'crossentropy' | 'focal';

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  /** Oversample every class to the majority count, with augmentation. */
  balance: boolean;
  augment: 'none' | 'flips-rot90' | 'galaxy';
  loss: LossKind;
  /** Duplicate samples by (‖y − ŷ‖² + 1)/min, capped at 2. */
  hardExamples: boolean;
  seed: number;
  /** Adam's step size for a model's first round (later rounds keep its optimizer); default 1e-3. */
  learningRate?: number;
  signal?: AbortSignal;
  onProgress?: (p: TrainProgress) => void;
}

export interface TrainProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss: number;
  imagesPerSecond: number;
  /** Seconds left, estimated. */
  eta: number;
}

export interface TrainResult {
  seconds: number;
  images: number;
  finalLoss: number;
}

export interface ScoreResult {
  /** count × classes probabilities, row-major. */
  probs: Float32Array;
  /** count × latent vectors, row-major. */
  latent: Float32Array;
  classes: number;
  latentSize: number;
}

/** Interest weights per class index (0 = not interesting). */
export type InterestWeights = ReadonlyArray<number>;
