/**
 * The desktop app's model runner: the engine's worker (wasm, or native TensorFlow) scores and
 * holds the model as always, and a GPU page (WebGPU or WebGL in a hidden window, any vendor's
 * card) trains when that is faster. "Faster" is measured, not assumed: at start a short probe
 * times a few training steps on each at the project's image size, and the GPU page takes the
 * training only when it wins. AHUNT_BACKEND=webgpu|webgl (or the setting) forces the page.
 *
 * The page and the worker hold the same weights: the page gets the worker's checkpoint before
 * it trains (after a load or a new class), and the worker gets the page's weights back after
 * every round, so scoring, checkpoints and ONNX export never see the difference.
 */
import { BackendUnavailableError, parseBackendChoice } from '../learn/backend';
import { GpuPage } from '../learn/gpu-page/gpu-page';
import type { GpuPagePort } from '../learn/gpu-page/port';
import { isSoftwareAdapter } from '../learn/gpu-page/software-adapter';
import type { BackendInfo, BackendName, TrainResult } from '../learn/types';
import { LearnerClosedError } from '../learn/worker/learner';
import type { ImageShape } from './images';
import type { ModelRunner } from './runner';

export interface GpuRouteOptions {
  /** Opens a GPU page (the desktop's hidden window); rejects with a sentence when it cannot. */
  openPage: () => Promise<GpuPagePort>;
  /** Training steps timed on each route by the probe (after one untimed warm-up step). */
  probeSteps?: number;
  /** How long a page may take to start its backend before the app goes on without it. */
  startTimeoutMs?: number;
  /** Told the route each init chose and why (the desktop's log). */
  log?: (line: string) => void;
}

const PAGE_BACKENDS: ReadonlySet<BackendName> = new Set(['webgpu', 'webgl']);
/** The probe's image shape when the project has no images yet. */
const PROBE_SHAPE: ImageShape = { size: 64, bands: 3 };
const PROBE_BATCH = 32;
/** The page must beat the worker by this factor: moving weights both ways costs a little. */
const PROBE_MARGIN = 1.1;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Random images in three classes (the last the reserve), for timing only. */
function probeSet(shape: ImageShape, count: number) {
  const data = new Float32Array(count * shape.size * shape.size * shape.bands);
  for (let i = 0; i < data.length; i++) data[i] = ((i * 2654435761) % 1000) / 1000;
  const labels = Int32Array.from({ length: count }, (_, i) => i % 2);
  return { images: { data, count, size: shape.size, bands: shape.bands }, labels };
}

const PROBE_OPTS = {
  epochs: 1,
  batchSize: PROBE_BATCH,
  balance: false,
  augment: 'none',
  loss: 'crossentropy',
  hardExamples: false,
  seed: 1,
} as const;
const PROBE_LAYOUT = { count: 3, reserve: 2 };

/** Images per second over `steps` batches, after one warm-up batch (shader compilation). */
async function timeTraining(
  shape: ImageShape,
  steps: number,
  train: (set: ReturnType<typeof probeSet>) => Promise<TrainResult>,
): Promise<number> {
  await train(probeSet(shape, PROBE_BATCH));
  const timed = await train(probeSet(shape, PROBE_BATCH * steps));
  return timed.images / Math.max(timed.seconds, 1e-6);
}

/** Probe verdicts by image shape, for the process: a project reopened does not probe again. */
const verdicts = new Map<string, { page: boolean; why: string }>();

export function createGpuRoutedRunner(inner: ModelRunner, options: GpuRouteOptions): ModelRunner {
  const steps = options.probeSteps ?? 3;
  let page: GpuPage | null = null;
  let pageTrains = false;
  let pageInSync = false;
  let abort: AbortController | null = null;

  /** A page with its backend started; a page that does not answer in time is closed. */
  async function startPage(choice: BackendName | 'auto'): Promise<[GpuPage, BackendInfo]> {
    if (page === null || page.closed !== null) page = new GpuPage(await options.openPage());
    const gpu = page;
    pageInSync = false;
    const limit = options.startTimeoutMs ?? 20_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void gpu.close();
        reject(new Error(`the GPU window did not start its backend within ${limit / 1000} s`));
      }, limit);
    });
    try {
      const started = await Promise.race([
        gpu.call({ kind: 'init', backend: choice, model: PROBE_MODEL }),
        late,
      ]);
      return [gpu, started.info];
    } finally {
      clearTimeout(timer);
    }
  }

  /** A page that will not train is closed: its window holds a GPU context and memory. */
  async function closePage(): Promise<void> {
    await page?.close();
    page = null;
  }

  async function probe(
    gpu: GpuPage,
    pageInfo: BackendInfo,
    workerInfo: BackendInfo,
    shape: ImageShape,
  ): Promise<{ page: boolean; why: string }> {
    const key = `${shape.size}x${shape.bands}`;
    const known = verdicts.get(key);
    if (known) return known;
    const spec = { ...shape, classes: PROBE_LAYOUT.count };
    await gpu.call({ kind: 'init', backend: pageInfo.name, model: spec });
    const onPage = await timeTraining(shape, steps, (set) =>
      gpu.call({ kind: 'train', ...set, layout: PROBE_LAYOUT, opts: PROBE_OPTS }),
    );
    await inner.load(spec, null);
    const inWorker = await timeTraining(shape, steps, (set) =>
      inner.train(set.images, set.labels, PROBE_LAYOUT, PROBE_OPTS),
    );
    const figures =
      `${Math.round(onPage)} img/s on ${pageInfo.name} vs ${Math.round(inWorker)} img/s on ` +
      `${workerInfo.name} at ${shape.size}×${shape.size}×${shape.bands}`;
    const verdict =
      onPage > inWorker * PROBE_MARGIN
        ? { page: true, why: `faster than ${workerInfo.name} in a training probe (${figures})` }
        : { page: false, why: `the GPU window was slower in a training probe (${figures})` };
    verdicts.set(key, verdict);
    return verdict;
  }

  async function choose(
    choice: BackendName | 'auto',
    shape: ImageShape | undefined,
  ): Promise<BackendInfo> {
    pageTrains = false;
    const fromEnv = process.env.AHUNT_BACKEND?.trim();
    const resolved =
      choice === 'auto' && fromEnv
        ? parseBackendChoice(fromEnv, 'the AHUNT_BACKEND environment variable')
        : choice;
    if (resolved !== 'auto' && !PAGE_BACKENDS.has(resolved)) {
      await closePage();
      return inner.init(resolved);
    }
    if (resolved !== 'auto') {
      // Forced: the page trains whatever the probe would say; the worker scores on wasm.
      const workerInfo = await inner.init('wasm');
      const [, pageInfo] = await startPage(resolved).catch((error: unknown) => {
        throw new BackendUnavailableError(resolved, describe(error));
      });
      pageTrains = true;
      return {
        name: pageInfo.name,
        reason: resolved === choice ? 'explicit choice' : 'AHUNT_BACKEND',
        detail: `${pageInfo.detail}, in the GPU window; scoring on ${workerInfo.name}`,
      };
    }
    const workerInfo = await inner.init('auto');
    if (workerInfo.name === 'tensorflow-gpu') {
      await closePage();
      return workerInfo;
    }
    let started: [GpuPage, BackendInfo];
    try {
      started = await startPage('auto');
    } catch (error) {
      await closePage();
      return { ...workerInfo, reason: `${workerInfo.reason}; no GPU window: ${describe(error)}` };
    }
    const [gpu, pageInfo] = started;
    if (isSoftwareAdapter(pageInfo.detail)) {
      await closePage();
      return {
        ...workerInfo,
        reason: `${workerInfo.reason}; the GPU window has only a software adapter (${pageInfo.detail}), not timed`,
      };
    }
    const verdict = await probe(gpu, pageInfo, workerInfo, shape ?? PROBE_SHAPE);
    if (!verdict.page) {
      await closePage();
      return { ...workerInfo, reason: `${workerInfo.reason}; ${verdict.why}` };
    }
    pageTrains = true;
    return {
      name: pageInfo.name,
      reason: verdict.why,
      detail: `${pageInfo.detail}, in the GPU window; scoring on ${workerInfo.name} (${workerInfo.detail})`,
    };
  }

  return {
    async init(choice, shape) {
      const info = await choose(choice, shape);
      const where = pageTrains ? 'the GPU window' : 'the model worker';
      options.log?.(`Training on ${info.name} in ${where}: ${info.reason} (${info.detail})`);
      return info;
    },
    async load(spec, checkpoint) {
      await inner.load(spec, checkpoint);
      pageInSync = false;
    },
    async ensureOutputs(count) {
      await inner.ensureOutputs(count);
      pageInSync = false;
    },
    async train(images, labels, layout, opts, onProgress) {
      if (!pageTrains || page === null)
        return inner.train(images, labels, layout, opts, onProgress);
      const gpu = page;
      abort = new AbortController();
      try {
        if (!pageInSync) {
          await gpu.call({ kind: 'load', saved: await inner.checkpoint() });
          pageInSync = true;
        }
        const result = await gpu.call(
          { kind: 'train', images, labels, layout, opts },
          { signal: abort.signal, ...(onProgress ? { onProgress } : {}) },
        );
        const saved = await gpu.call({ kind: 'save' });
        await inner.load(saved.spec, saved);
        return result;
      } catch (error) {
        pageInSync = false;
        // The window went away (closed, GPU process lost): this round trains in the worker.
        if (!(error instanceof LearnerClosedError)) throw error;
        pageTrains = false;
        return inner.train(images, labels, layout, opts, onProgress);
      } finally {
        abort = null;
      }
    },
    async warmStart(objects, opts, onProgress, onCheckpoint) {
      // Once per project, in the worker; the page takes the warmed weights before it trains.
      pageInSync = false;
      return inner.warmStart(objects, opts, onProgress, onCheckpoint);
    },
    cancelTraining() {
      abort?.abort();
      inner.cancelTraining();
    },
    score: (images) => inner.score(images),
    scorePage: (request) => inner.scorePage(request),
    checkpoint: () => inner.checkpoint(),
    async dispose() {
      await closePage();
      await inner.dispose();
    },
  };
}

/** The smallest model: init needs one to start the page's backend. */
const PROBE_MODEL = { size: 8, bands: 1, classes: 2, extraBlocks: 0 };
