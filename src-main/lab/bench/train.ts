/**
 * Throughput of the AHUNT CNN on the running machine: training (the full trainRound path:
 * shuffling, augmentation, Adam steps) and scoring (probabilities + latent vectors), on random
 * 28×28×1 images in batches of 256 unless told otherwise. threads: 1 runs on the calling
 * thread; more runs through a Learner with that many data-parallel worker replicas (the
 * default, min(2, cores), is what the app uses).
 */
import { availableParallelism } from 'node:os';
import { initBackend } from '../../engine/learn/backend';
import { makeRng } from '../../engine/learn/augment';
import { buildModel, disposeModel } from '../../engine/learn/model';
import { scoreImages } from '../../engine/learn/score';
import { trainRound } from '../../engine/learn/train';
import type {
  BackendName,
  ClassLayout,
  ImageBatch,
  TrainOptions,
  TrainResult,
} from '../../engine/learn/types';
import { createLearner } from '../../engine/learn/worker/learner';

export interface BenchOptions {
  backend?: BackendName | 'auto';
  size?: number;
  bands?: number;
  batchSize?: number;
  /** Images per pass; the pass repeats until `seconds` have elapsed. */
  images?: number;
  seconds?: number;
  /** Augmentation during the training benchmark (default as in a real round). */
  augment?: TrainOptions['augment'];
  threads?: number;
}

export interface TrainBench {
  backend: BackendName;
  train_img_per_s: number;
  threads: number;
}

export interface ScoreBench {
  backend: BackendName;
  score_img_per_s: number;
  threads: number;
}

function settings(opts: BenchOptions) {
  return {
    backend: opts.backend ?? 'auto',
    size: opts.size ?? 28,
    bands: opts.bands ?? 1,
    batchSize: opts.batchSize ?? 256,
    images: opts.images ?? 2048,
    seconds: opts.seconds ?? 5,
    augment: opts.augment ?? 'flips-rot90',
    threads: Math.max(1, Math.floor(opts.threads ?? Math.min(2, availableParallelism()))),
  };
}

type Settings = ReturnType<typeof settings>;

/** The same work whether it runs here or in worker replicas. */
interface Runner {
  backend: BackendName;
  threads: number;
  train(
    images: ImageBatch,
    labels: Int32Array,
    layout: ClassLayout,
    o: TrainOptions,
  ): Promise<TrainResult>;
  score(images: ImageBatch, batchSize: number): Promise<unknown>;
  close(): Promise<void>;
}

async function openRunner(s: Settings): Promise<Runner> {
  const spec = { size: s.size, bands: s.bands, classes: 3 };
  if (s.threads === 1) {
    const info = await initBackend(s.backend);
    const model = buildModel(spec);
    return {
      backend: info.name,
      threads: 1,
      train: (images, labels, layout, o) => trainRound(model, images, labels, layout, o),
      score: (images, batchSize) => scoreImages(model, images, batchSize),
      close: async () => disposeModel(model),
    };
  }
  const learner = createLearner({ backend: s.backend, threads: s.threads });
  // A backend that cannot start must not leave the worker threads keeping the process alive.
  const info = await learner.init(spec).catch(async (error: unknown) => {
    await learner.dispose();
    throw error;
  });
  return {
    backend: info.name,
    threads: learner.threads,
    train: (images, labels, layout, o) => learner.train(images, labels, layout, o),
    score: (images, batchSize) => learner.score(images, batchSize),
    close: () => learner.dispose(),
  };
}

function randomImages(count: number, size: number, bands: number, seed: number): ImageBatch {
  const rng = makeRng(seed);
  const data = new Float32Array(count * size * size * bands);
  for (let i = 0; i < data.length; i++) data[i] = rng();
  return { data, count, size, bands };
}

export async function benchTrain(opts: BenchOptions = {}): Promise<TrainBench> {
  const s = settings(opts);
  const runner = await openRunner(s);
  try {
    const images = randomImages(s.images, s.size, s.bands, 1);
    // Two balanced classes, the third is the reserve: oversampling adds nothing to the count.
    const labels = Int32Array.from({ length: s.images }, (_, i) => i % 2);
    const layout = { count: 3, reserve: 2 };
    const train: TrainOptions = {
      epochs: 1,
      batchSize: s.batchSize,
      balance: true,
      augment: s.augment,
      loss: 'crossentropy',
      hardExamples: false,
      seed: 1,
    };
    // Warm-up: the first batches build XNNPACK operators and grow the wasm heap.
    const warm = 2 * s.batchSize;
    await runner.train(
      randomImages(warm, s.size, s.bands, 2),
      labels.subarray(0, warm),
      layout,
      train,
    );
    let trained = 0;
    let seconds = 0;
    while (seconds < s.seconds) {
      const result = await runner.train(images, labels, layout, train);
      trained += result.images;
      seconds += result.seconds;
    }
    return { backend: runner.backend, train_img_per_s: trained / seconds, threads: runner.threads };
  } finally {
    await runner.close();
  }
}

export async function benchScore(opts: BenchOptions = {}): Promise<ScoreBench> {
  const s = settings(opts);
  const runner = await openRunner(s);
  try {
    const images = randomImages(s.images, s.size, s.bands, 3);
    await runner.score(randomImages(s.batchSize * runner.threads, s.size, s.bands, 4), s.batchSize);
    let scored = 0;
    const started = performance.now();
    while ((performance.now() - started) / 1000 < s.seconds) {
      await runner.score(images, s.batchSize);
      scored += images.count;
    }
    const seconds = (performance.now() - started) / 1000;
    return { backend: runner.backend, score_img_per_s: scored / seconds, threads: runner.threads };
  } finally {
    await runner.close();
  }
}
