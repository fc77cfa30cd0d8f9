/**
 * Scores image batches with onnxruntime-node: the same probabilities and latent vectors as the
 * tfjs model, several times faster on CPU (inference only — training stays in tfjs).
 */
import { availableParallelism } from 'node:os';
import type { LayersModel } from '@tensorflow/tfjs';
import type { ImageBatch, ScoreResult } from '../types';
import { OnnxInputError, OnnxUnsupportedModelError } from './errors';
import { loadOnnxRuntime } from './runtime';
import type { OnnxRuntime, OnnxRuntimeImporter } from './runtime';
import { ONNX_INPUT_NAME, ONNX_LATENT_NAME, ONNX_PROBS_NAME, toOnnx } from './to-onnx';

export const DEFAULT_SCORE_BATCH = 4096;
/** Input floats per onnxruntime call by default: 4096 MNIST-sized images, ≈ 13 MB. */
const DEFAULT_FLOATS_PER_CALL = DEFAULT_SCORE_BATCH * 28 * 28;

export interface OnnxScorerOptions {
  /**
   * Images per onnxruntime call. onnxruntime-node's run() blocks the JS thread for the whole
   * call, so the default keeps each call to ≈ 3.2 M input floats (4096 images at 28×28×1, 65
   * at 128×128×3): bounded memory, and the event loop gets a turn between calls.
   */
  batchSize?: number;
  /**
   * Threads for one convolution. Default: all cores up to 4 — beyond that this small network
   * gains little, and scoring runs beside the UI and ingest anyway.
   */
  threads?: number;
  /** How to import onnxruntime-node (tests inject failures here). */
  importRuntime?: OnnxRuntimeImporter;
}

export interface OnnxScorer {
  readonly backend: 'onnxruntime';
  readonly size: number;
  readonly bands: number;
  readonly classes: number;
  readonly latentSize: number;
  /** Images per onnxruntime call. */
  readonly batchSize: number;
  score(images: ImageBatch): Promise<ScoreResult>;
  dispose(): Promise<void>;
}

/**
 * @param model a tfjs AHUNT model (exported with toOnnx) or the bytes of a model.onnx.
 * @throws OnnxRuntimeUnavailableError when onnxruntime-node cannot load: fall back to tfjs.
 */
export async function createOnnxScorer(
  model: LayersModel | Uint8Array,
  options: OnnxScorerOptions = {},
): Promise<OnnxScorer> {
  const bytes = model instanceof Uint8Array ? model : toOnnx(model);
  const ort = await loadOnnxRuntime(options.importRuntime);
  const session = await openScoringSession(ort, bytes, options.threads);
  try {
    return new SessionScorer(ort, session, options.batchSize);
  } catch (error) {
    await session.release();
    throw error;
  }
}

/** An onnxruntime session set up for scoring beside other work (the int8 calibration uses it too). */
export function openScoringSession(
  ort: OnnxRuntime,
  bytes: Uint8Array,
  threads = defaultScoringThreads(),
): Promise<Session> {
  return ort.InferenceSession.create(bytes, {
    intraOpNumThreads: threads,
    // One chain of ops: parallelism lives inside each op, not across ops.
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // Idle pool threads busy-wait by default. Scoring shares two cores with the UI, ingest and
    // training; measured here under load, spinning cost ≈ 40 % more CPU for up to half the speed.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
}

export const defaultScoringThreads = () => Math.min(availableParallelism(), 4);

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export type Session = Awaited<ReturnType<OnnxRuntime['InferenceSession']['create']>>;

class SessionScorer implements OnnxScorer {
  readonly backend = 'onnxruntime';
  readonly size: number;
  readonly bands: number;
  readonly classes: number;
  readonly latentSize: number;
  readonly batchSize: number;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly ort: OnnxRuntime,
    private readonly session: Session,
    batchSize: number | undefined,
  ) {
    if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1)) {
      throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    }
    const input = tensorShape(session, ONNX_INPUT_NAME, 'input');
    const probs = tensorShape(session, ONNX_PROBS_NAME, 'output');
    const latent = tensorShape(session, ONNX_LATENT_NAME, 'output');
    [this.size, this.bands] = [fixed(input[1]), fixed(input[3])];
    if (fixed(input[2]) !== this.size) throw notAhunt('its input images are not square');
    this.classes = fixed(probs[1]);
    this.latentSize = fixed(latent[1]);
    const perImage = this.size * this.size * this.bands;
    this.batchSize =
      batchSize ??
      Math.min(DEFAULT_SCORE_BATCH, Math.max(1, Math.floor(DEFAULT_FLOATS_PER_CALL / perImage)));
  }

  async score(images: ImageBatch): Promise<ScoreResult> {
    if (this.disposed) throw new Error('This ONNX scorer has been disposed.');
    this.checkInput(images);
    // One call at a time: each already uses every thread it was given.
    const run = this.queue.then(() => this.scoreNow(images));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue;
    await this.session.release();
  }

  private async scoreNow(images: ImageBatch): Promise<ScoreResult> {
    const { count, size, bands } = images;
    const perImage = size * size * bands;
    const probs = new Float32Array(count * this.classes);
    const latent = new Float32Array(count * this.latentSize);
    for (let start = 0; start < count; start += this.batchSize) {
      const n = Math.min(this.batchSize, count - start);
      const pixels = images.data.subarray(start * perImage, (start + n) * perImage);
      const input = new this.ort.Tensor('float32', pixels, [n, size, size, bands]);
      const out = await this.session.run({ [ONNX_INPUT_NAME]: input });
      probs.set(out[ONNX_PROBS_NAME]?.data as Float32Array, start * this.classes);
      latent.set(out[ONNX_LATENT_NAME]?.data as Float32Array, start * this.latentSize);
      if (start + n < count) await yieldToEventLoop();
    }
    return { probs, latent, classes: this.classes, latentSize: this.latentSize };
  }

  private checkInput(images: ImageBatch): void {
    const { count, size, bands, data } = images;
    if (size !== this.size || bands !== this.bands) {
      throw new OnnxInputError(
        `The model expects ${this.size}×${this.size}×${this.bands} images but was given ${size}×${size}×${bands}; re-cut the images or use a model trained for this size.`,
      );
    }
    if (!(data instanceof Float32Array) || data.length !== count * size * size * bands) {
      throw new OnnxInputError(
        `The image batch claims ${count} images of ${size}×${size}×${bands} (${count * size * size * bands} floats) but holds ${data.length} values; build it with count × size × size × bands float32 values.`,
      );
    }
  }
}

function tensorShape(session: Session, name: string, kind: 'input' | 'output') {
  const list = kind === 'input' ? session.inputMetadata : session.outputMetadata;
  const meta = list.find((m) => m.name === name);
  if (!meta || !meta.isTensor) throw notAhunt(`it has no tensor ${kind} named "${name}"`);
  return meta.shape;
}

function fixed(dim: number | string | undefined): number {
  if (typeof dim !== 'number' || dim < 1)
    throw notAhunt('one of its image or output sizes is not fixed');
  return dim;
}

function notAhunt(why: string): OnnxUnsupportedModelError {
  return new OnnxUnsupportedModelError(
    `This ONNX model is not an AHUNT scoring model: ${why}. Export it with toOnnx / exportModelFolder.`,
  );
}
