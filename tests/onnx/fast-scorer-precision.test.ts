/**
 * The model worker's scorer with AHUNT_SCORING_PRECISION: float32 unless int8 is asked for,
 * and the int8 opinion close to the float32 one on the same images.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/engine/learn/backend';
import { buildModel } from '../../src-main/engine/learn/model';
import { FastScorer, scoringPrecision } from '../../src-main/engine/learn/worker/fast-scorer';

let model: tf.LayersModel;
beforeAll(async () => {
  await initBackend('wasm');
  model = buildModel({ size: 32, bands: 1, classes: 3, seed: 9 });
});
afterAll(() => model.dispose());

/** Rings of varying radius: real structure for the activations, deterministic. */
function rings(count: number, size: number): Float32Array {
  const out = new Float32Array(count * size * size);
  for (let n = 0; n < count; n++) {
    const radius = 3 + (n % 11);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const r = Math.hypot(x - size / 2, y - size / 2);
        out[(n * size + y) * size + x] = Math.exp(-((r - radius) ** 2) / 3);
      }
    }
  }
  return out;
}

describe('scoringPrecision', () => {
  it('is float32 unless AHUNT_SCORING_PRECISION=int8', () => {
    expect(scoringPrecision({})).toBe('float32');
    expect(scoringPrecision({ AHUNT_SCORING_PRECISION: 'float32' })).toBe('float32');
    expect(scoringPrecision({ AHUNT_SCORING_PRECISION: 'int8' })).toBe('int8');
  });
});

describe('FastScorer with int8', () => {
  it('scores a page with probabilities within the int8 check of float32', async () => {
    const images = { data: rings(400, 32), count: 400, size: 32, bands: 1 };
    const float = new FastScorer('float32');
    const int8 = new FastScorer('int8');
    try {
      const a = await float.score(model, images, 128, 1);
      const b = await int8.score(model, images, 128, 1);
      expect(b.probs.length).toBe(a.probs.length);
      let max = 0;
      for (let i = 0; i < a.probs.length; i++) {
        max = Math.max(max, Math.abs((a.probs[i] as number) - (b.probs[i] as number)));
      }
      expect(max).toBeLessThanOrEqual(0.05);
      // Not the float32 graph under another name: int8 rounding leaves a trace.
      expect(max).toBeGreaterThan(0);
    } finally {
      await float.release();
      await int8.release();
    }
  });
});
