/**
 * The int8 scoring accelerator: calibrates the QDQ graph (qdq.ts) on a sample of the images
 * about to be scored, then checks it against float32 on that same sample before anyone uses
 * it. When the int8 probabilities stray further than the limit, no int8 scorer is returned and
 * the caller keeps float32 — the accelerator may only ever be faster, never a different opinion.
 * The float32 graph stays what is exported; this one lives only inside a scoring process.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import { concatFloat32 } from '../concat';
import type { ImageBatch } from '../types';
import { encodeOnnxModel } from './onnx-proto';
import { calibrationPoints, toQdqModel, withExtraOutputs, type ValueRange } from './qdq';
import { loadOnnxRuntime } from './runtime';
import {
  createOnnxScorer,
  openScoringSession,
  type OnnxScorer,
  type OnnxScorerOptions,
} from './scorer';
import { ONNX_INPUT_NAME, ONNX_PROBS_NAME, toOnnxModel } from './to-onnx';

/** Images the activation ranges are measured on (more costs calibration time, not accuracy). */
export const CALIBRATION_IMAGES = 1024;

/**
 * Largest |P_int8 − P_float32| over the calibration sample's class probabilities that still
 * counts as the same opinion. On Galaxy Zoo and MNIST models the measured maximum is far below
 * (see tests/onnx/int8-accuracy.test.ts); an anomaly score is a weighted sum of these.
 */
export const MAX_PROB_DIFF = 0.05;

export interface Int8Check {
  /** Images the check compared. */
  images: number;
  maxProbDiff: number;
  meanProbDiff: number;
  limit: number;
  passed: boolean;
}

export interface Int8ScorerOptions extends OnnxScorerOptions {
  /** Weight levels each side of zero (qdq.ts): 63 by default. */
  weightLevels?: number;
  maxProbDiff?: number;
}

/**
 * Builds the int8 scorer for `model`, calibrated on (the first CALIBRATION_IMAGES of)
 * `sample`. `scorer` is null when the check failed: score with float32 then.
 */
export async function createInt8Scorer(
  model: LayersModel,
  sample: ImageBatch,
  options: Int8ScorerOptions = {},
): Promise<{ scorer: OnnxScorer | null; check: Int8Check }> {
  const calibration = firstImages(sample, CALIBRATION_IMAGES);
  const float = toOnnxModel(model);
  const points = calibrationPoints(float);
  const measured = await measureRanges(
    encodeOnnxModel(withExtraOutputs(float, points)),
    points,
    calibration,
    options,
  );
  const int8 = encodeOnnxModel(
    toQdqModel(
      float,
      measured.ranges,
      options.weightLevels === undefined ? {} : { weightLevels: options.weightLevels },
    ),
  );
  const scorer = await createOnnxScorer(int8, options);
  try {
    const { probs } = await scorer.score(calibration);
    const check = compareProbs(measured.probs, probs, options.maxProbDiff ?? MAX_PROB_DIFF);
    check.images = calibration.count;
    if (check.passed) return { scorer, check };
    await scorer.dispose();
    return { scorer: null, check };
  } catch (error) {
    await scorer.dispose();
    throw error;
  }
}

/** Runs the float graph with the calibration points as extra outputs: their ranges, and its probs. */
async function measureRanges(
  bytes: Uint8Array,
  points: ReadonlyArray<string>,
  images: ImageBatch,
  options: OnnxScorerOptions,
): Promise<{ ranges: Map<string, ValueRange>; probs: Float32Array }> {
  const ort = await loadOnnxRuntime(options.importRuntime);
  const session = await openScoringSession(ort, bytes, options.threads);
  try {
    const ranges = new Map(points.map((p) => [p, { min: Infinity, max: -Infinity }]));
    const probParts: Float32Array[] = [];
    const { size, bands, count } = images;
    const perImage = size * size * bands;
    const batch = Math.max(1, options.batchSize ?? 256);
    for (let start = 0; start < count; start += batch) {
      const n = Math.min(batch, count - start);
      const pixels = images.data.subarray(start * perImage, (start + n) * perImage);
      const out = await session.run(
        { [ONNX_INPUT_NAME]: new ort.Tensor('float32', pixels, [n, size, size, bands]) },
        [ONNX_PROBS_NAME, ...points],
      );
      probParts.push(Float32Array.from(out[ONNX_PROBS_NAME]?.data as Float32Array));
      for (const point of points) {
        const range = ranges.get(point) as ValueRange;
        const values = out[point]?.data as Float32Array;
        for (let i = 0; i < values.length; i++) {
          const v = values[i] as number;
          if (v < range.min) range.min = v;
          if (v > range.max) range.max = v;
        }
      }
    }
    return { ranges, probs: concatFloat32(probParts) };
  } finally {
    await session.release();
  }
}

export function compareProbs(
  reference: Float32Array,
  other: Float32Array,
  limit: number,
): Int8Check {
  if (reference.length !== other.length) {
    throw new RangeError(`compared ${reference.length} with ${other.length} probabilities`);
  }
  let max = 0;
  let sum = 0;
  for (let i = 0; i < reference.length; i++) {
    const d = Math.abs((reference[i] as number) - (other[i] as number));
    sum += d;
    if (!(d <= max)) max = d; // NaN counts as the largest difference
  }
  return {
    images: 0,
    maxProbDiff: max,
    meanProbDiff: reference.length ? sum / reference.length : 0,
    limit,
    passed: max <= limit,
  };
}

function firstImages(images: ImageBatch, count: number): ImageBatch {
  if (images.count <= count) return images;
  const perImage = images.size * images.size * images.bands;
  return { ...images, count, data: images.data.subarray(0, count * perImage) };
}
