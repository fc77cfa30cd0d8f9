import { describe, expect, it } from 'vitest';
import { benchOnnxScore } from '../../src-main/lab/bench/onnx';

// The product's floor is 10,000 img/s on 2 cores; CI machines are shared and noisy, so the
// test asserts a tenth of it (it catches a broken or pathologically slow path) and prints the
// real figure.
const SANITY_FLOOR_IMG_PER_S = 1_000;

describe('benchOnnxScore', () => {
  it('scores 28×28×1 at a useful rate', async () => {
    const result = await benchOnnxScore({ size: 28, bands: 1, batch: 256, count: 10_240 });
    console.info(
      `onnxruntime 28×28×1 batch 256: ${result.score_img_per_s} img/s on ${result.threads} threads`,
    );
    expect(result.backend).toBe('onnxruntime');
    expect(result.images).toBe(10_240);
    expect(result.score_img_per_s).toBeGreaterThan(SANITY_FLOOR_IMG_PER_S);
    expect(result.score_img_per_s).toBeCloseTo(result.images / result.seconds, -1);
  });

  it('rejects nonsense options', async () => {
    await expect(benchOnnxScore({ size: 28, bands: 1, batch: 0, count: 10 })).rejects.toThrow(
      RangeError,
    );
  });
});
