import type {
  BackendInfo,
  BackendName,
  ClassLayout,
  ImageBatch,
  ModelSpec,
  ScoreResult,
  TrainOptions,
  TrainResult,
} from '../learn/types';
import type { WarmStartCheckpoint, WarmStartResult } from '../learn/contrastive';
import type { ProjectObjects } from '../learn/worker/object-source';
import type { PageRequest, ScoredPage, WorkerWarmStartOptions } from '../learn/worker/protocol';
import type { ImageShape } from './images';

export type { PageRequest, ScoredPage };

/** A model checkpoint as the store keeps it. */
export interface Checkpoint {
  spec: Required<ModelSpec>;
  weights: Uint8Array;
}

/**
 * What a hunt session needs from the learning machinery. Implementations run the model in a
 * worker thread (the desktop and the server: a keystroke must never wait for a training step)
 * or in-process (the CLI and tests); the session cannot tell them apart.
 */
export interface ModelRunner {
  /**
   * Starts the backend. `shape`, the project's image size where known, is where a runner that
   * chooses between routes by timing them (gpu-route-runner.ts) times them.
   */
  init(choice: BackendName | 'auto', shape?: ImageShape): Promise<BackendInfo>;
  /** Builds a fresh model for `spec`, or restores a checkpoint. */
  load(spec: ModelSpec, checkpoint: Checkpoint | null): Promise<void>;
  /** Grows the softmax head to `count` outputs, keeping every old weight. */
  ensureOutputs(count: number): Promise<void>;
  train(
    images: ImageBatch,
    labels: Int32Array,
    layout: ClassLayout,
    options: Omit<TrainOptions, 'signal' | 'onProgress'>,
    onProgress?: TrainOptions['onProgress'],
  ): Promise<TrainResult>;
  /**
   * Self-supervised training of the encoder on the project's objects before the first round
   * (contrastive.ts); `onCheckpoint` gets the state to resume from, every epoch and on cancel.
   * cancelTraining stops it with a TrainingCancelledError.
   */
  warmStart(
    objects: ProjectObjects,
    options: WorkerWarmStartOptions,
    onProgress?: TrainOptions['onProgress'],
    onCheckpoint?: (checkpoint: WarmStartCheckpoint) => void,
  ): Promise<WarmStartResult>;
  /** Stops a training or a warm start. */
  cancelTraining(): void;
  score(images: ImageBatch): Promise<ScoreResult>;
  /**
   * Reads the unlabelled objects of one id range from the project database on the runner's
   * own read-only connection and scores them. A round scores 10^6 objects this way: the
   * pixels are read and decoded where the model runs, and only scores come back.
   */
  scorePage(page: PageRequest): Promise<ScoredPage>;
  checkpoint(): Promise<Checkpoint>;
  dispose(): Promise<void>;
}
