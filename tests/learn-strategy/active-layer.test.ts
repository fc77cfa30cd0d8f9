import { beforeAll, describe, it, expect } from 'vitest';
import { ActiveLayer, Autoencoder } from '../../src-main/lab/simulate/active-layer';
import { initBackend } from '../../src-main/engine/learn/backend';
import { createRng } from '../../src-main/engine/learn/strategies';
import type { ImageBatch } from '../../src-main/engine/learn/types';

beforeAll(async () => {
  await initBackend('wasm');
});

/** 8×8 images: normals are a horizontal bar, anomalies a vertical bar, plus a little noise. */
function bars(normals: number, anomalies: number): { images: ImageBatch; isAnomaly: number[] } {
  const rng = createRng(4);
  const count = normals + anomalies;
  const data = new Float32Array(count * 64);
  const isAnomaly: number[] = [];
  for (let n = 0; n < count; n++) {
    const vertical = n >= normals;
    isAnomaly.push(vertical ? 1 : 0);
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        const on = vertical ? x === 3 || x === 4 : y === 3 || y === 4;
        data[n * 64 + y * 8 + x] = Math.min(
          1,
          Math.max(0, (on ? 0.9 : 0.05) + 0.05 * rng.normal()),
        );
      }
    }
  }
  return { images: { data, count, size: 8, bands: 1 }, isAnomaly };
}

describe('active layer', () => {
  it('starts as the autoencoder score and learns from labels', async () => {
    const { images, isAnomaly } = bars(200, 6);
    const ae = new Autoencoder(64, { latent: 4, hidden: 16, seed: 1, learningRate: 0.01 });
    const before = ae.encode(images).errors;
    const loss = await ae.fit(images, 15, 32);
    const out = ae.encode(images);
    const mean = (xs: Float32Array) => xs.reduce((s, v) => s + v, 0) / xs.length;
    expect(mean(out.errors)).toBeLessThan(mean(before));
    expect(loss).toBeLessThan(0.05);
    expect(out.codes.length).toBe(206 * 4);

    const layer = new ActiveLayer(out.latent);
    const x = ActiveLayer.featuresOf(out);
    const initial = layer.score(x);
    // Untrained: a monotone function of the reconstruction error alone.
    const byError = [...out.errors.keys()].sort((a, b) => out.errors[b]! - out.errors[a]!);
    const byLayer = [...initial.keys()].sort((a, b) => initial[b]! - initial[a]!);
    expect(byLayer.slice(0, 10)).toEqual(byError.slice(0, 10));

    // Labels: 3 of the 6 anomalies and 40 normals. Afterwards the other anomalies rank on top.
    const rows = [200, 201, 202, ...Array.from({ length: 40 }, (_, i) => i)];
    layer.fit(
      x,
      rows,
      rows.map((r) => isAnomaly[r]!),
    );
    const trained = layer.score(x);
    const top = [...trained.keys()].sort((a, b) => trained[b]! - trained[a]!).slice(0, 6);
    expect(top.sort((a, b) => a - b)).toEqual([200, 201, 202, 203, 204, 205]);
    ae.dispose();
  });

  it('keeps its weights when the labels hold only one class', () => {
    const layer = new ActiveLayer(1);
    const x = Float64Array.from([1, 0, -1, 0]);
    const before = Array.from(layer.score(x));
    layer.fit(x, [0, 1], [0, 0]);
    expect(Array.from(layer.score(x))).toEqual(before);
  });
});
