/**
 * What the simulation needs from the AHUNT CNN, kept narrow so the protocol can be tested with a
 * stand-in and so it does not depend on how model.ts / train.ts / score.ts spell things.
 */
import type { ImageBatch, ScoreResult, TrainOptions } from '../../engine/learn/types';

export interface CnnLearner {
  /** Softmax outputs now. */
  readonly classes: number;
  /** Index of the reserve ("unknown") class. */
  readonly reserve: number;
  /** Appends one softmax output (a new anomaly class); returns its index. */
  addClass(): Promise<number>;
  /** Warm-start training on labelled images for `epochs` epochs. */
  train(
    images: ImageBatch,
    labels: Int32Array,
    epochs: number,
    seed: number,
  ): Promise<{ seconds: number }>;
  score(images: ImageBatch): Promise<ScoreResult>;
  /** Self-supervised training of the encoder on unlabelled images (contrastive.ts). */
  warmStart(
    images: ImageBatch,
    epochs: number,
    seed: number,
    onEpoch?: (progress: WarmStartEpoch) => void,
  ): Promise<WarmStartReport>;
  dispose(): void;
}

export interface WarmStartReport {
  epochs: number;
  seconds: number;
  /** Mean contrastive loss per epoch. */
  losses: number[];
}

/** One finished epoch of the warm start. */
export interface WarmStartEpoch {
  epoch: number;
  epochs: number;
  /** Mean contrastive loss of the epoch. */
  loss: number;
  seconds: number;
}

export interface CnnSpec {
  size: number;
  bands: number;
  /** Normal classes known at the start; the reserve class comes right after them. */
  normalClasses: number;
  seed: number;
  batchSize: number;
  augment: TrainOptions['augment'];
}

export type CnnFactory = (spec: CnnSpec) => Promise<CnnLearner>;
