/**
 * Messages between a Learner (calling thread) and its worker thread. Image and result buffers
 * travel in the transfer list where the caller allows it, so large arrays move instead of being
 * copied; errors travel as { name, message } and are rebuilt on the calling side.
 */
import type { WarmStartCheckpoint, WarmStartOptions, WarmStartResult } from '../contrastive';
import type { SavedModel } from '../model';
import type { ProjectObjects } from './object-source';
import type { ExchangeBuffers } from './gradient-exchange';
import type {
  BackendInfo,
  BackendName,
  ClassLayout,
  ImageBatch,
  ModelSpec,
  ScoreResult,
  TrainOptions,
  TrainProgress,
  TrainResult,
} from '../types';

/**
 * One page of a project's unlabelled objects to score, named by its database file and an
 * object id range [from, to): the scoring thread reads and decodes the pixels itself, so
 * only the page's scores travel back.
 */
export interface PageRequest {
  file: string;
  from: number;
  to: number;
  size: number;
  bands: number;
}

/** The scores of one page: `ids` in id order, row i of probs and latent for ids[i]. */
export interface ScoredPage extends ScoreResult {
  ids: Int32Array;
}

/** TrainOptions without the parts that cannot cross a thread boundary. */
export type WorkerTrainOptions = Omit<TrainOptions, 'signal' | 'onProgress'>;

/** WarmStartOptions without the callbacks, which travel as messages. */
export type WorkerWarmStartOptions = Omit<
  WarmStartOptions,
  'signal' | 'onProgress' | 'onCheckpoint'
>;

export type LearnerRequest =
  | { kind: 'init'; backend: BackendName | 'auto'; model: ModelSpec | SavedModel }
  | {
      kind: 'train';
      images: ImageBatch;
      labels: Int32Array;
      layout: ClassLayout;
      opts: WorkerTrainOptions;
      /** Present when several replicas train together (data-parallel). */
      share?: { buffers: ExchangeBuffers; replica: number };
    }
  | {
      kind: 'score';
      images: ImageBatch;
      batchSize: number;
      /** onnxruntime threads for this replica: the cores divided among the replicas. */
      threads?: number;
    }
  | { kind: 'scorePage'; page: PageRequest; batchSize: number; threads?: number }
  | { kind: 'warmStart'; objects: ProjectObjects; opts: WorkerWarmStartOptions }
  | { kind: 'addClass' }
  | { kind: 'save' }
  | { kind: 'load'; saved: SavedModel }
  | { kind: 'dispose' };

export type LearnerCall = LearnerRequest & { id: number };

/** What a replica's model looks like after a call that (re)builds it. */
export interface ModelShape {
  classes: number;
  /** Number of trainable values: the size of one gradient. */
  params: number;
}

export interface LearnerResults {
  init: { info: BackendInfo } & ModelShape;
  train: TrainResult;
  score: ScoreResult;
  scorePage: ScoredPage;
  warmStart: WarmStartResult;
  addClass: ModelShape;
  save: SavedModel;
  load: ModelShape;
  dispose: null;
}

export interface SerialisedError {
  name: string;
  message: string;
  /** The user's to fix (an unavailable backend): the doors show the sentence, not a bug. */
  userFacing?: boolean;
}

/** An error as it crosses to the calling thread or from the GPU page. */
export function serialiseError(error: unknown): SerialisedError {
  const e = error instanceof Error ? error : new Error(String(error));
  const userFacing = (e as { userFacing?: unknown }).userFacing === true;
  return { name: e.name, message: e.message, ...(userFacing ? { userFacing } : {}) };
}

export type WorkerMessage =
  | { id: number; type: 'result'; value: unknown }
  | { id: number; type: 'error'; error: SerialisedError }
  | { id: number; type: 'progress'; progress: TrainProgress }
  | { id: number; type: 'checkpoint'; checkpoint: WarmStartCheckpoint };

/** Main → worker, outside the queue: stop the training call with this id. */
export interface CancelMessage {
  kind: 'cancel';
  id: number;
}
