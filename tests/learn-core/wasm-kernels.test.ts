import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src-main/engine/learn/backend';

type Pad = 'same' | 'valid';

/** Runs `fn` on a backend and returns its result as plain numbers. */
async function on(backend: 'cpu' | 'wasm', fn: () => tf.Tensor): Promise<Float32Array> {
  if (backend === 'wasm') await initBackend('wasm');
  else await tf.setBackend('cpu');
  const out = tf.tidy(fn);
  const values = (await out.data()) as Float32Array;
  out.dispose();
  return values;
}

function relativeError(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return diff / scale;
}

function randomData(shape: number[], seed: number): () => tf.Tensor4D {
  const values = tf.tidy(() => tf.randomNormal(shape, 0, 1, 'float32', seed).dataSync());
  return () => tf.tensor4d(values as Float32Array, shape as [number, number, number, number]);
}

interface ConvCase {
  n: number;
  h: number;
  w: number;
  cIn: number;
  cOut: number;
  k: number;
  stride: number;
  pad: Pad;
}

const convCases: ConvCase[] = [];
let seed = 1;
for (const stride of [1, 2]) {
  for (const pad of ['same', 'valid'] as Pad[]) {
    for (const [cIn, cOut] of [
      [1, 16],
      [3, 8],
      [16, 8],
    ] as const) {
      const h = 7 + ((seed * 5) % 6);
      const w = 6 + ((seed * 3) % 7);
      const k = seed % 3 === 0 ? 5 : 3;
      convCases.push({ n: 1 + (seed % 4), h, w, cIn, cOut, k, stride, pad });
      seed++;
    }
  }
}

describe('wasm training kernels match the cpu backend', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it.each(convCases)('conv2d gradients %o', async (c) => {
    const x = randomData([c.n, c.h, c.w, c.cIn], 11);
    const filter = randomData([c.k, c.k, c.cIn, c.cOut], 12);
    const outShape = tf.tidy(() => tf.conv2d(x(), filter(), c.stride, c.pad).shape);
    const dy = randomData(outShape, 13);
    // d/dW and d/dx of Σ conv(x, W)·dy are exactly the two backprop kernels applied to dy.
    const gradFilter = () =>
      tf.grad((w: tf.Tensor) =>
        tf
          .conv2d(x(), w as tf.Tensor4D, c.stride, c.pad)
          .mul(dy())
          .sum(),
      )(filter());
    const gradInput = () =>
      tf.grad((xx: tf.Tensor) =>
        tf
          .conv2d(xx as tf.Tensor4D, filter(), c.stride, c.pad)
          .mul(dy())
          .sum(),
      )(x());
    expect(relativeError(await on('wasm', gradFilter), await on('cpu', gradFilter))).toBeLessThan(
      1e-4,
    );
    expect(relativeError(await on('wasm', gradInput), await on('cpu', gradInput))).toBeLessThan(
      1e-4,
    );
  });

  it.each([
    { shape: [2, 8, 8, 4], size: 2, stride: 2, pad: 'valid' as Pad },
    { shape: [3, 7, 9, 16], size: 2, stride: 2, pad: 'same' as Pad },
    { shape: [2, 9, 7, 3], size: 3, stride: 2, pad: 'same' as Pad },
    { shape: [1, 6, 6, 8], size: 3, stride: 1, pad: 'valid' as Pad },
  ])('max-pool gradient %o', async (c) => {
    const x = randomData(c.shape, 21);
    const pooledShape = tf.tidy(() => tf.maxPool(x(), c.size, c.stride, c.pad).shape);
    const dy = randomData(pooledShape, 22);
    const grad = () =>
      tf.grad((xx: tf.Tensor) =>
        tf
          .maxPool(xx as tf.Tensor4D, c.size, c.stride, c.pad)
          .mul(dy())
          .sum(),
      )(x());
    expect(relativeError(await on('wasm', grad), await on('cpu', grad))).toBeLessThan(1e-5);
  });

  it('max-pool gradient goes to the first maximum on ties, like the cpu backend', async () => {
    const x = () => tf.zeros([1, 4, 4, 2]) as tf.Tensor4D;
    const grad = () =>
      tf.grad((xx: tf.Tensor) => tf.maxPool(xx as tf.Tensor4D, 2, 2, 'valid').sum())(x());
    const wasm = await on('wasm', grad);
    expect(Array.from(wasm)).toEqual(Array.from(await on('cpu', grad)));
    expect(wasm.reduce((s, v) => s + v, 0)).toBe(8);
  });

  it.each([
    { shape: [6, 5, 4, 3], axis: [0, 1, 2], keepDims: false },
    { shape: [6, 5, 4, 3], axis: [1, 0], keepDims: true },
    { shape: [40, 7], axis: 0, keepDims: false },
    { shape: [40, 7], axis: -1, keepDims: false },
    { shape: [3, 4, 5], axis: [0, 1, 2], keepDims: false },
  ])('sum over leading axes %o', async (c) => {
    const x = randomData([...c.shape, 1, 1, 1, 1].slice(0, 4), 31);
    const sum = () => tf.sum(x().reshape(c.shape), c.axis, c.keepDims);
    const shapeOn = async (backend: 'cpu' | 'wasm') => {
      if (backend === 'wasm') await initBackend('wasm');
      else await tf.setBackend('cpu');
      return tf.tidy(() => sum().shape);
    };
    expect(await shapeOn('wasm')).toEqual(await shapeOn('cpu'));
    expect(relativeError(await on('wasm', sum), await on('cpu', sum))).toBeLessThan(1e-5);
  });

  it('leaves no tensors or wasm buffers behind', async () => {
    await initBackend('wasm');
    const before = tf.memory().numTensors;
    const dataIdsBefore = tf.engine().backend.numDataIds();
    const x = tf.randomNormal([2, 9, 8, 3]) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 3, 4]) as tf.Tensor4D;
    const conv = (a: tf.Tensor, b: tf.Tensor) =>
      tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'valid').sum();
    tf.tidy(() => {
      tf.grads(conv)([x, w]);
    });
    tf.dispose([x, w]);
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(dataIdsBefore);
  });
});
