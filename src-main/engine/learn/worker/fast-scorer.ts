/**
 * Scoring inside the worker through onnxruntime when it loads: the AHUNT network at 64×64
 * scores ≈ 4× faster there than in tfjs-wasm (inference only; training stays in tfjs). The
 * ONNX graph is rebuilt from the tfjs model whenever its weights may have changed (a new model,
 * a training call, a grown head), so both always give the same opinion. When onnxruntime is
 * missing or refuses the graph, scoring falls back to tfjs for the life of the worker.
 */
import type * as tf from '@tensorflow/tfjs';
import { OnnxRuntimeUnavailableError, OnnxUnsupportedModelError } from '../onnx/errors';
import { createOnnxScorer, type OnnxScorer } from '../onnx/scorer';
import { createInt8Scorer } from '../onnx/int8-scorer';
import { scoreImages } from '../score';
import type { ImageBatch, ScoreResult } from '../types';

/**
 * Below this many images per call tfjs scores directly: building the ONNX graph and session
 * (a few hundred milliseconds after every training) costs more than it saves on small projects.
 */
export const ONNX_MIN_IMAGES = 256;

export type ScoringPrecision = 'float32' | 'int8';

/**
 * AHUNT_SCORING_PRECISION=int8 scores with the int8 (QDQ) graph, calibrated on the first
 * images scored after each weight change and used only where it agrees with float32 there
 * (int8-scorer.ts). float32 by default: with onnxruntime 1.30 on an AVX-512 VNNI CPU the int8
 * graph of this small network measured slower per CPU-second than float32 (the first
 * convolution, one or three input channels, runs ≈ 2.4× slower as QLinearConv), see the README.
 */
export function scoringPrecision(env: NodeJS.ProcessEnv = process.env): ScoringPrecision {
  return env['AHUNT_SCORING_PRECISION'] === 'int8' ? 'int8' : 'float32';
}

export class FastScorer {
  private onnx: { model: tf.LayersModel; generation: number; scorer: OnnxScorer } | null = null;
  private generation = 0;
  private unavailable = false;

  constructor(private readonly precision: ScoringPrecision = scoringPrecision()) {}

  /** The model's weights changed (training): the next score rebuilds the ONNX graph. */
  weightsChanged(): void {
    this.generation++;
  }

  async score(
    model: tf.LayersModel,
    images: ImageBatch,
    batchSize: number,
    threads: number,
  ): Promise<ScoreResult> {
    if (!this.unavailable && images.count >= ONNX_MIN_IMAGES) {
      try {
        // onnxruntime-node refuses tensors over shared memory ("Invalid argument"), and the
        // Learner shares one image buffer among its replicas: copy this replica's slice.
        const own =
          images.data.buffer instanceof SharedArrayBuffer
            ? { ...images, data: images.data.slice() }
            : images;
        const scorer = await this.scorerFor(model, threads, batchSize, own);
        return await scorer.score(own);
      } catch (error) {
        if (
          !(error instanceof OnnxRuntimeUnavailableError) &&
          !(error instanceof OnnxUnsupportedModelError)
        ) {
          throw error;
        }
        this.unavailable = true;
        await this.release();
      }
    }
    return scoreImages(model, images, batchSize);
  }

  async release(): Promise<void> {
    const old = this.onnx;
    this.onnx = null;
    await old?.scorer.dispose();
  }

  private async scorerFor(
    model: tf.LayersModel,
    threads: number,
    batchSize: number,
    images: ImageBatch,
  ): Promise<OnnxScorer> {
    const cached = this.onnx;
    if (cached && cached.model === model && cached.generation === this.generation) {
      return cached.scorer;
    }
    await this.release();
    // The caller's batch size, not onnxruntime's default (≈ 800 images at 64×64): its memory
    // arena keeps the largest activations it ever held, ≈ 200 MB per worker at 800 images.
    const int8 =
      this.precision === 'int8'
        ? (await createInt8Scorer(model, images, { threads, batchSize })).scorer
        : null;
    const scorer = int8 ?? (await createOnnxScorer(model, { threads, batchSize }));
    this.onnx = { model, generation: this.generation, scorer };
    return scorer;
  }
}
