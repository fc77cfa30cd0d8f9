/**
 * Scoring throughput of the AHUNT network under onnxruntime-node. Scores one random batch of
 * `batch` images over and over until `count` images are done, after one untimed warm-up run
 * (session start-up and first-run allocation are not what a hunt round pays per image).
 */
import { availableParallelism } from 'node:os';
import { buildModel, disposeModel } from '../../engine/learn/model';
import type { ImageBatch } from '../../engine/learn/types';
import { createOnnxScorer, type OnnxScorer } from '../../engine/learn/onnx/scorer';
import { createInt8Scorer, type Int8Check } from '../../engine/learn/onnx/int8-scorer';
import { toOnnx } from '../../engine/learn/onnx/to-onnx';

export interface OnnxBenchOptions {
  size: number;
  bands: number;
  /** Images per onnxruntime call. */
  batch: number;
  /** Images scored in the timed part. */
  count: number;
  classes?: number;
  extraBlocks?: number;
  threads?: number;
  /** float32 (default) or the int8 QDQ graph, calibrated on the benchmark's own images. */
  precision?: 'float32' | 'int8';
}

export interface OnnxBenchResult {
  backend: 'onnxruntime';
  score_img_per_s: number;
  images: number;
  seconds: number;
  /** CPU time the process spent while timing: robust to other load on a shared machine. */
  cpu_seconds: number;
  /** images / cpu_seconds: what one fully available core would reach, roughly. */
  score_img_per_cpu_s: number;
  threads: number;
  size: number;
  bands: number;
  batch: number;
  precision: 'float32' | 'int8';
  /** The int8 graph's agreement with float32 on its calibration images (int8 only). */
  int8Check?: Int8Check;
}

export async function benchOnnxScore(options: OnnxBenchOptions): Promise<OnnxBenchResult> {
  const { size, bands, batch, count } = options;
  if (![size, bands, batch, count].every((v) => Number.isInteger(v) && v > 0)) {
    throw new RangeError(
      `benchOnnxScore needs positive integer size, bands, batch and count; got ${JSON.stringify(options)}`,
    );
  }
  const threads = options.threads ?? Math.min(availableParallelism(), 4);
  const model = buildModel({
    size,
    bands,
    classes: options.classes ?? 4,
    ...(options.extraBlocks !== undefined ? { extraBlocks: options.extraBlocks } : {}),
  });
  const images: ImageBatch = {
    data: pseudoRandomPixels(batch * size * size * bands),
    count: batch,
    size,
    bands,
  };
  const precision = options.precision ?? 'float32';
  let scorer: OnnxScorer;
  let int8Check: Int8Check | undefined;
  try {
    if (precision === 'int8') {
      const built = await createInt8Scorer(model, images, {
        batchSize: batch,
        threads,
        maxProbDiff: Infinity, // a benchmark of speed: report the check, do not refuse
      });
      scorer = built.scorer as OnnxScorer;
      int8Check = built.check;
    } else {
      scorer = await createOnnxScorer(toOnnx(model), { batchSize: batch, threads });
    }
  } finally {
    disposeModel(model);
  }
  try {
    await scorer.score(images);
    const rounds = Math.ceil(count / batch);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    for (let r = 0; r < rounds; r++) await scorer.score(images);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const scored = rounds * batch;
    return {
      backend: 'onnxruntime',
      score_img_per_s: Math.round(scored / seconds),
      images: scored,
      seconds,
      cpu_seconds: cpuSeconds,
      score_img_per_cpu_s: Math.round(scored / cpuSeconds),
      threads,
      size,
      bands,
      batch,
      precision,
      ...(int8Check ? { int8Check } : {}),
    };
  } finally {
    await scorer.dispose();
  }
}

/** Deterministic values in [0, 1) (xorshift32): no tfjs needed and every run scores the same. */
function pseudoRandomPixels(length: number): Float32Array {
  const out = new Float32Array(length);
  let state = 0x9e3779b9;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = (state >>> 0) / 4294967296;
  }
  return out;
}
