import type * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isOnnxRuntimeUnavailable,
  OnnxInputError,
  OnnxRuntimeUnavailableError,
  OnnxUnsupportedModelError,
} from '../../src-main/engine/learn/onnx/errors';
import { loadOnnxRuntime } from '../../src-main/engine/learn/onnx/runtime';
import { createOnnxScorer } from '../../src-main/engine/learn/onnx/scorer';
import { toOnnx } from '../../src-main/engine/learn/onnx/to-onnx';
import { batchOf, randomImages } from './helpers/compare';
import { buildModel } from '../../src-main/engine/learn/model';

describe('createOnnxScorer', () => {
  let model: tf.LayersModel;
  let onnx: Uint8Array;
  beforeAll(async () => {
    model = buildModel({ size: 28, bands: 1, classes: 5, extraBlocks: 1, seed: 2 });
    onnx = toOnnx(model);
  });
  afterAll(() => model.dispose());

  it('gives the same result whatever the internal batch size', async () => {
    const images = batchOf(randomImages(45, 28, 1, 8), 28, 1);
    const whole = await createOnnxScorer(onnx, { batchSize: 4096 });
    const chunked = await createOnnxScorer(onnx, { batchSize: 7, threads: 1 });
    const a = await whole.score(images);
    const b = await chunked.score(images);
    expect(b.probs).toEqual(a.probs);
    expect(b.latent).toEqual(a.latent);
    expect(a.probs.length).toBe(45 * 5);
    expect(a.latent.length).toBe(45 * 64);
    // Images in the last, partial chunk are scored too (not left at zero).
    expect(b.probs.subarray(44 * 5).reduce((s, p) => s + p, 0)).toBeCloseTo(1, 5);
    await Promise.all([whole.dispose(), chunked.dispose()]);
  });

  it('sizes its default batches by pixels, so large cutouts do not block for long', async () => {
    const small = await createOnnxScorer(onnx);
    expect(small.batchSize).toBe(4096);
    const big = buildModel({ size: 128, bands: 3, classes: 3, seed: 1 });
    const large = await createOnnxScorer(big);
    expect(large.batchSize).toBe(65);
    await expect(createOnnxScorer(onnx, { batchSize: 0 })).rejects.toThrow(RangeError);
    await Promise.all([small.dispose(), large.dispose()]);
    big.dispose();
  });

  it('scores concurrent requests one after the other, each correctly', async () => {
    const scorer = await createOnnxScorer(model);
    const first = batchOf(randomImages(10, 28, 1, 1), 28, 1);
    const second = batchOf(randomImages(3, 28, 1, 2), 28, 1);
    const [a, b, again] = await Promise.all([
      scorer.score(first),
      scorer.score(second),
      scorer.score(first),
    ]);
    expect(a.probs.length).toBe(50);
    expect(b.probs.length).toBe(15);
    expect(again.probs).toEqual(a.probs);
    await scorer.dispose();
  });

  it('scores an empty batch to empty results', async () => {
    const scorer = await createOnnxScorer(onnx);
    const result = await scorer.score({ data: new Float32Array(0), count: 0, size: 28, bands: 1 });
    expect(result.probs.length).toBe(0);
    expect(result.classes).toBe(5);
    await scorer.dispose();
  });

  it('rejects images of the wrong geometry with a sentence saying what to do', async () => {
    const scorer = await createOnnxScorer(onnx);
    await expect(scorer.score(batchOf(randomImages(2, 32, 1, 1), 32, 1))).rejects.toThrow(
      OnnxInputError,
    );
    await expect(scorer.score(batchOf(randomImages(2, 32, 1, 1), 32, 1))).rejects.toThrow(
      /expects 28×28×1 images but was given 32×32×1/,
    );
    await expect(
      scorer.score({ data: new Float32Array(100), count: 2, size: 28, bands: 1 }),
    ).rejects.toThrow(/claims 2 images .* holds 100 values/);
    await scorer.dispose();
    await expect(scorer.score(batchOf(randomImages(1, 28, 1, 1), 28, 1))).rejects.toThrow(
      /disposed/,
    );
  });

  it('refuses an ONNX model that is not an AHUNT scoring model', async () => {
    // Bytes of a valid model with the wrong output names: rename "latent" in the encoded graph.
    const text = Buffer.from(onnx).toString('latin1').replaceAll('\u0006latent', '\u0006hidden');
    const renamed = new Uint8Array(Buffer.from(text, 'latin1'));
    await expect(createOnnxScorer(renamed)).rejects.toThrow(OnnxUnsupportedModelError);
  });
});

describe('loading onnxruntime-node', () => {
  it('loads the real runtime once and shares it', async () => {
    const a = await loadOnnxRuntime();
    const b = await loadOnnxRuntime();
    expect(a).toBe(b);
    expect(typeof a.InferenceSession.create).toBe('function');
  });

  it('turns a failed import into a typed error the caller can fall back from', async () => {
    const failing = () => Promise.reject(new Error("Cannot find module 'onnxruntime-node'"));
    const model = buildModel({ size: 28, bands: 1, classes: 2, seed: 1 });
    const attempt = createOnnxScorer(model, { importRuntime: failing });
    await expect(attempt).rejects.toThrow(OnnxRuntimeUnavailableError);
    const error = await attempt.catch((e: unknown) => e);
    expect(isOnnxRuntimeUnavailable(error)).toBe(true);
    expect((error as OnnxRuntimeUnavailableError).code).toBe('ONNX_RUNTIME_UNAVAILABLE');
    expect((error as Error).message).toMatch(/falls back to tfjs/);
    model.dispose();
  });

  it('rejects a module without InferenceSession', async () => {
    const bogus = () => Promise.resolve({} as Awaited<ReturnType<typeof loadOnnxRuntime>>);
    await expect(loadOnnxRuntime(bogus)).rejects.toThrow(OnnxRuntimeUnavailableError);
  });
});
