/**
 * Faster MaxPoolGrad for the wasm backend. The stock kernel spends ~80 ms per 256-image batch of
 * the AHUNT CNN (a third of a training step); this one reads and writes the wasm heap in place
 * from JS. Semantics match tfjs' cpu backend: within each window the first maximum (row-major)
 * receives the gradient, windows that overlap add up.
 */
import * as tf from '@tensorflow/tfjs';
import type {
  KernelConfig,
  KernelFunc,
  MaxPoolGradAttrs,
  MaxPoolGradInputs,
} from '@tensorflow/tfjs';
import { asHeapBackend } from './wasm-heap';

/**
 * 2×2 windows with stride 2 and no leading padding, the AHUNT pooling: one pass with four loads
 * and three compares per output and no per-window bounds arithmetic.
 */
function pool2x2(
  x: Float32Array,
  g: Float32Array,
  dx: Float32Array,
  batch: number,
  height: number,
  width: number,
  ch: number,
  outHeight: number,
  outWidth: number,
): void {
  const row = width * ch;
  dx.fill(0);
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const rowBase = (n * height + 2 * oy) * row;
      let gAt = (n * outHeight + oy) * outWidth * ch;
      for (let ox = 0; ox < outWidth; ox++) {
        const a = rowBase + 2 * ox * ch;
        for (let c = 0; c < ch; c++, gAt++) {
          const p00 = a + c;
          const p01 = p00 + ch;
          const p10 = p00 + row;
          const p11 = p10 + ch;
          let best = p00;
          let value = x[p00] as number;
          if ((x[p01] as number) > value) {
            best = p01;
            value = x[p01] as number;
          }
          if ((x[p10] as number) > value) {
            best = p10;
            value = x[p10] as number;
          }
          if ((x[p11] as number) > value) best = p11;
          dx[best] = g[gAt] as number;
        }
      }
    }
  }
}

const maxPoolGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs as unknown as MaxPoolGradInputs;
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  if (dy === undefined || input === undefined) throw new Error('MaxPoolGrad needs dy and input');
  const heap = asHeapBackend(backend);
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const dxInfo = heap.makeOutput(input.shape, 'float32');
  // Views are taken after allocating: growing the wasm memory detaches older views.
  const x = heap.typedArrayFromHeap(input);
  const g = heap.typedArrayFromHeap(dy);
  const dx = heap.typedArrayFromHeap(dxInfo);
  const { batchSize, inHeight, inWidth, inChannels: ch, outHeight, outWidth } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const { top, left } = info.padInfo;
  const simple2x2 = fh === 2 && fw === 2 && sh === 2 && sw === 2 && top === 0 && left === 0;
  if (simple2x2 && 2 * outHeight <= inHeight && 2 * outWidth <= inWidth) {
    pool2x2(x, g, dx, batchSize, inHeight, inWidth, ch, outHeight, outWidth);
    return dxInfo;
  }
  dx.fill(0);
  const rowStride = inWidth * ch;
  for (let n = 0; n < batchSize; n++) {
    const xBase = n * inHeight * rowStride;
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = Math.max(oy * sh - top, 0);
      const y1 = Math.min(oy * sh - top + fh, inHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = Math.max(ox * sw - left, 0);
        const x1 = Math.min(ox * sw - left + fw, inWidth);
        const gBase = ((n * outHeight + oy) * outWidth + ox) * ch;
        for (let c = 0; c < ch; c++) {
          let best = -Infinity;
          let bestAt = -1;
          for (let y = y0; y < y1; y++) {
            let at = xBase + y * rowStride + x0 * ch + c;
            for (let xx = x0; xx < x1; xx++, at += ch) {
              const v = x[at] as number;
              if (v > best) {
                best = v;
                bestAt = at;
              }
            }
          }
          if (bestAt >= 0) dx[bestAt] = (dx[bestAt] as number) + (g[gBase + c] as number);
        }
      }
    }
  }
  return dxInfo;
};

export const maxPoolGradWasmConfig: KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGrad,
};
