/**
 * Runs training and scoring on worker threads, so the thread that answers the window never
 * waits behind a training step. A Learner holds `threads` identical model replicas, one per
 * worker: training splits every batch across them and averages gradients through shared
 * memory (gradient-exchange.ts), scoring splits the images. With the native TensorFlow or
 * WebGPU backends, which use every core by themselves, one replica is kept.
 *
 * Buffers: results (probabilities, latent vectors, saved weights) are transferred back, never
 * copied. Images are copied by default, because the caller usually keeps its image pool; pass
 * `transfer: true` to move them instead (one replica only), or keep the pool in a
 * SharedArrayBuffer, which every thread reads without any copy. With several replicas, other
 * images are copied once into shared memory.
 */
import { availableParallelism } from 'node:os';
import type { TransferListItem } from 'node:worker_threads';
import type { WarmStartOptions, WarmStartResult } from '../contrastive';
import type { SavedModel } from '../model';
import { concatFloat32 } from '../concat';
import { TrainingCancelledError } from '../train';
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
import { allocateExchange, stopExchange } from './gradient-exchange';
import type { ProjectObjects } from './object-source';
import type { PageRequest, ScoredPage } from './protocol';
import { Replica } from './replica';

export { LearnerClosedError, LearnerError } from './pending-calls';

export interface LearnerOptions {
  backend?: BackendName | 'auto';
  /** Model replicas (worker threads) for wasm/cpu; default min(2, cores). */
  threads?: number;
  /** Progress of every training call, batch by batch. */
  onProgress?: (progress: TrainProgress) => void;
  /** Compiled worker/entry.js, for bundled builds that do not place it next to this module. */
  workerEntry?: URL;
}

export interface TransferOption {
  /** Move the image buffer to the worker instead of copying it (it is detached here). */
  transfer?: boolean;
}

export interface Learner {
  /** Starts the backend in the workers and builds (spec) or restores (saved) the model. */
  init(model: ModelSpec | SavedModel): Promise<BackendInfo>;
  train(
    images: ImageBatch,
    labels: Int32Array,
    layout: ClassLayout,
    opts: TrainOptions & TransferOption,
  ): Promise<TrainResult>;
  score(images: ImageBatch, batchSize?: number, opts?: TransferOption): Promise<ScoreResult>;
  /**
   * Reads, decodes and scores one page of a project's unlabelled objects on whichever replica
   * has the least work queued: pixels never cross threads, each replica reads its own pages,
   * and a caller that keeps a few pages in flight keeps every replica busy.
   */
  scorePage(page: PageRequest, batchSize?: number): Promise<ScoredPage>;
  /**
   * The self-supervised warm start of the encoder (contrastive.ts) on a project's objects,
   * read batch by batch by the worker. Checkpoints arrive through `onCheckpoint` (every epoch,
   * and on cancel before the TrainingCancelledError); every replica ends with the same weights.
   */
  warmStart(objects: ProjectObjects, opts: WarmStartOptions): Promise<WarmStartResult>;
  addClass(): Promise<{ classes: number }>;
  save(): Promise<SavedModel>;
  load(saved: SavedModel): Promise<{ classes: number }>;
  /** Worker threads currently holding a replica. */
  readonly threads: number;
  /** Frees the models and stops the workers; pending calls are rejected. */
  dispose(): Promise<void>;
}

/** Backends that parallelise internally gain nothing from replicas. */
const SELF_PARALLEL: ReadonlySet<BackendName> = new Set(['tensorflow', 'tensorflow-gpu', 'webgpu']);

function shared(images: ImageBatch): ImageBatch {
  if (images.data.buffer instanceof SharedArrayBuffer) return images;
  const data = new Float32Array(new SharedArrayBuffer(images.data.byteLength));
  data.set(images.data);
  return { ...images, data };
}

function slice(images: ImageBatch, from: number, to: number): ImageBatch {
  const pixels = images.size * images.size * images.bands;
  return { ...images, data: images.data.subarray(from * pixels, to * pixels), count: to - from };
}

function transferable(images: ImageBatch, wanted: boolean | undefined): TransferListItem[] {
  const buffer = images.data.buffer;
  if (!wanted || buffer instanceof SharedArrayBuffer) return [];
  return [buffer];
}

/** The first real error wins over the cancellations it caused in the other replicas. */
async function settleAll<T>(runs: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(runs);
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as Error] : []));
  const real = failures.find((e) => !(e instanceof TrainingCancelledError));
  if (real !== undefined) throw real;
  if (failures.length > 0) throw failures[0];
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

export function createLearner(options: LearnerOptions = {}): Learner {
  const wanted = Math.max(1, Math.floor(options.threads ?? Math.min(2, availableParallelism())));
  let replicas = Array.from({ length: wanted }, () => new Replica(options.workerEntry));
  let params = 0;

  const all = <T>(run: (r: Replica) => Promise<T>) => settleAll(replicas.map(run));
  const first = () => replicas[0] as Replica;

  return {
    get threads() {
      return replicas.length;
    },
    async init(model) {
      const results = await all((r) =>
        r.call({ kind: 'init', backend: options.backend ?? 'auto', model }),
      );
      const result = results[0];
      if (result === undefined) throw new Error('No worker answered init');
      params = result.params;
      if (SELF_PARALLEL.has(result.info.name) && replicas.length > 1) {
        await Promise.all(replicas.slice(1).map((r) => r.close()));
        replicas = [first()];
      }
      return result.info;
    },
    async train(images, labels, layout, opts) {
      const { signal, onProgress, transfer, ...rest } = opts;
      const progress = (p: TrainProgress) => {
        onProgress?.(p);
        options.onProgress?.(p);
      };
      if (replicas.length === 1) {
        return first().call(
          { kind: 'train', images, labels, layout, opts: rest },
          transferable(images, transfer),
          { onProgress: progress, ...(signal ? { signal } : {}) },
        );
      }
      const buffers = allocateExchange(params, replicas.length);
      const stop = () => stopExchange(buffers);
      if (signal?.aborted) stop();
      signal?.addEventListener('abort', stop, { once: true });
      const common = shared(images);
      try {
        const results = await settleAll(
          replicas.map((r, replica) =>
            r.call(
              {
                kind: 'train',
                images: common,
                labels,
                layout,
                opts: rest,
                share: { buffers, replica },
              },
              [],
              replica === 0 ? { onProgress: progress } : {},
            ),
          ),
        );
        return results[0] as TrainResult;
      } finally {
        signal?.removeEventListener('abort', stop);
      }
    },
    async score(images, batchSize = 256, opts = {}) {
      const threads = Math.max(1, Math.floor(availableParallelism() / replicas.length));
      if (replicas.length === 1 || images.count < 2 * replicas.length) {
        return first().call(
          { kind: 'score', images, batchSize, threads },
          transferable(images, opts.transfer),
        );
      }
      const common = shared(images);
      const n = replicas.length;
      const parts = await all((r) => {
        const i = replicas.indexOf(r);
        const from = Math.floor((i * images.count) / n);
        const to = Math.floor(((i + 1) * images.count) / n);
        return r.call({ kind: 'score', images: slice(common, from, to), batchSize, threads });
      });
      const head = parts[0] as ScoreResult;
      return {
        probs: concatFloat32(parts.map((p) => p.probs)),
        latent: concatFloat32(parts.map((p) => p.latent)),
        classes: head.classes,
        latentSize: head.latentSize,
      };
    },
    scorePage(page, batchSize = 256) {
      // Each replica scores whole pages, so it gets the cores' share of onnxruntime threads.
      const threads = Math.max(1, Math.floor(availableParallelism() / replicas.length));
      const idlest = replicas.reduce((a, b) => (b.pendingCalls < a.pendingCalls ? b : a));
      return idlest.call({ kind: 'scorePage', page, batchSize, threads });
    },
    async warmStart(objects, opts) {
      const { signal, onProgress, onCheckpoint, ...rest } = opts;
      const result = await first().call({ kind: 'warmStart', objects, opts: rest }, [], {
        ...(onProgress ? { onProgress } : {}),
        ...(onCheckpoint ? { onCheckpoint: (c) => void onCheckpoint(c) } : {}),
        ...(signal ? { signal } : {}),
      });
      if (replicas.length > 1) {
        // The other replicas take the warmed encoder, so data-parallel rounds start equal.
        const saved = await first().call({ kind: 'save' });
        await Promise.all(replicas.slice(1).map((r) => r.call({ kind: 'load', saved })));
      }
      return result;
    },
    async addClass() {
      const results = await all((r) => r.call({ kind: 'addClass' }));
      params = results[0]?.params ?? params;
      return { classes: results[0]?.classes ?? 0 };
    },
    save: () => first().call({ kind: 'save' }),
    async load(saved) {
      const results = await all((r) => r.call({ kind: 'load', saved }));
      params = results[0]?.params ?? params;
      return { classes: results[0]?.classes ?? 0 };
    },
    async dispose() {
      await Promise.all(replicas.map((r) => r.close()));
    },
  };
}
