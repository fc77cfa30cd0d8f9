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
import { scoreImages } from '../score';
import type { ImageBatch, ScoreResult } from '../types';

/**
 * Below this many images per call tfjs scores directly: building the ONNX graph and session
 * (a few hundred milliseconds after every training) costs more than it saves on small projects.
 */
export const ONNX_MIN_IMAGES = 256;

export class FastScorer {
  private onnx: { model: tf.LayersModel; generation: number; scorer: OnnxScorer } | null = null;
  private generation = 0;
  private unavailable = false;

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
        const scorer = await this.scorerFor(model, threads, batchSize);
        // onnxruntime-node refuses tensors over shared memory ("Invalid argument"), and the
        // Learner shares one image buffer among its replicas: copy this replica's slice.
        const own =
          images.data.buffer instanceof SharedArrayBuffer
            ? { ...images, data: images.data.slice() }
            : images;
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
  ): Promise<OnnxScorer> {
    const cached = this.onnx;
    if (cached && cached.model === model && cached.generation === this.generation) {
      return cached.scorer;
    }
    await this.release();
    // The caller's batch size, not onnxruntime's default (≈ 800 images at 64×64): its memory
    // arena keeps the largest activations it ever held, ≈ 200 MB per worker at 800 images.
    const scorer = await createOnnxScorer(model, { threads, batchSize });
    this.onnx = { model, generation: this.generation, scorer };
    return scorer;
  }
}
