/**
 * The QDQ rewrite of the AHUNT graph: what it writes, that onnxruntime fuses it into int8
 * convolutions, and that the int8 scorer refuses itself when it strays from float32.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/engine/learn/backend';
import { buildModel } from '../../src-main/engine/learn/model';
import { createInt8Scorer } from '../../src-main/engine/learn/onnx/int8-scorer';
import { encodeOnnxModel } from '../../src-main/engine/learn/onnx/onnx-proto';
import {
  calibrationPoints,
  quantiseWeights,
  toQdqModel,
  uint8Quant,
  withExtraOutputs,
} from '../../src-main/engine/learn/onnx/qdq';
import { toOnnxModel } from '../../src-main/engine/learn/onnx/to-onnx';

let model: tf.LayersModel;
beforeAll(async () => {
  await initBackend('wasm');
  model = buildModel({ size: 32, bands: 1, classes: 3, seed: 2 });
});
afterAll(() => model.dispose());

/** Blobs on a dim background: values like a stretched cutout's, deterministic. */
function blobs(count: number, size: number): Float32Array {
  const out = new Float32Array(count * size * size);
  for (let n = 0; n < count; n++) {
    const cx = (n * 7) % size;
    const cy = (n * 13) % size;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        out[(n * size + y) * size + x] =
          0.05 + 0.9 * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 + (n % 9)));
      }
    }
  }
  return out;
}

describe('toQdqModel', () => {
  it('asks for the range of the input and of each activated Conv output', () => {
    expect(calibrationPoints(toOnnxModel(model))).toEqual([
      'conv0/NCHW',
      'conv0/relu',
      'conv1/relu',
    ]);
  });

  it('stores Conv weights as int8 and onnxruntime runs them as QLinearConv', async () => {
    const float = toOnnxModel(model);
    const ranges = new Map(calibrationPoints(float).map((p) => [p, { min: 0, max: 2 }]));
    const qdq = toQdqModel(float, ranges);
    const names = qdq.graph.initializers.map((i) => i.name);
    expect(names).not.toContain('conv0/kernel');
    const kernel = qdq.graph.initializers.find((i) => i.name === 'conv0/kernel/int8');
    expect(kernel?.data).toBeInstanceOf(Int8Array);
    expect(qdq.graph.nodes.filter((n) => n.opType === 'QuantizeLinear').length).toBeGreaterThan(0);

    const dir = mkdtempSync(path.join(tmpdir(), 'ahunt-qdq-'));
    try {
      const optimised = path.join(dir, 'optimised.onnx');
      const session = await ort.InferenceSession.create(encodeOnnxModel(qdq), {
        graphOptimizationLevel: 'all',
        optimizedModelFilePath: optimised,
      });
      await session.release();
      const ops = readFileSync(optimised).toString('latin1');
      // Two Convs in this model: both fused, none left in float.
      expect(ops.match(/QLinearConv/g)?.length).toBeGreaterThanOrEqual(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a range missing for a calibration point', () => {
    const float = toOnnxModel(model);
    expect(() => toQdqModel(float, new Map())).toThrow(/no calibration range/);
  });

  it('adds calibration outputs without shapes, leaving the real outputs first', () => {
    const float = toOnnxModel(model);
    const withOutputs = withExtraOutputs(float, ['conv0/relu', 'probs']);
    expect(withOutputs.graph.outputs.map((o) => o.name)).toEqual(['probs', 'latent', 'conv0/relu']);
  });
});

describe('quantisation arithmetic', () => {
  it('quantises weights per output channel within half a step', () => {
    const weights = Float32Array.of(0.5, -0.25, 0.1, 0.001, -0.002, 0.0005);
    const { values, scales } = quantiseWeights(weights, 2, 63);
    expect(scales[0]).toBeCloseTo(0.5 / 63, 9);
    expect(scales[1]).toBeCloseTo(0.002 / 63, 9);
    for (let i = 0; i < weights.length; i++) {
      const scale = scales[Math.floor(i / 3)] as number;
      expect(Math.abs((values[i] as number) * scale - (weights[i] as number))).toBeLessThanOrEqual(
        (scale / 2) * (1 + 1e-5), // scales are float32
      );
    }
  });

  it('keeps zero exact in activation ranges', () => {
    const relu = uint8Quant({ min: 0, max: 2.55 });
    expect(relu.scale).toBeCloseTo(0.01, 12);
    expect(relu.zeroPoint).toBe(0);
    const shifted = uint8Quant({ min: 0.2, max: 1 });
    expect(shifted.zeroPoint).toBe(0);
    const negative = uint8Quant({ min: -1, max: 1 });
    expect(negative.zeroPoint * negative.scale).toBeCloseTo(1, 2);
    expect(() => uint8Quant({ min: 0, max: Infinity })).toThrow(/not finite/);
  });
});

describe('createInt8Scorer', () => {
  const images = { data: blobs(300, 32), count: 300, size: 32, bands: 1 };

  it('agrees with float32 on its calibration images and says by how much', async () => {
    const { scorer, check } = await createInt8Scorer(model, images);
    expect(scorer).not.toBeNull();
    expect(check.passed).toBe(true);
    expect(check.images).toBe(300);
    expect(check.maxProbDiff).toBeLessThan(0.05);
    const out = await scorer?.score(images);
    expect(out?.probs.length).toBe(300 * 3);
    await scorer?.dispose();
  });

  it('refuses itself when int8 strays further from float32 than the limit', async () => {
    // One weight level each side of zero: every weight is −1, 0 or +1 times its scale.
    const { scorer, check } = await createInt8Scorer(model, images, {
      weightLevels: 1,
      maxProbDiff: 1e-4,
    });
    expect(scorer).toBeNull();
    expect(check.passed).toBe(false);
    expect(check.maxProbDiff).toBeGreaterThan(1e-4);
  });
});
