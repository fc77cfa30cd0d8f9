/**
 * Faster Sum for the wasm backend when the reduced axes are the leading ones (a bias gradient:
 * Σ over batch, rows and columns of dy, keeping channels). The stock kernel first transposes the
 * reduced axes to the end — a full copy of a 3.2 M-float activation per batch of the AHUNT CNN
 * — and then reduces; here one JS pass adds the rows of the [rows, channels] view.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, SumAttrs, SumInputs } from '@tensorflow/tfjs';
import { asHeapBackend } from './wasm-heap';

function leadingAxesCount(axis: number | number[], rank: number): number {
  const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a));
  axes.sort((a, b) => a - b);
  const leading = axes.every((a, i) => a === i);
  return leading ? axes.length : -1;
}

export function makeSumWasmConfig(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs as unknown as SumInputs;
    const { axis, keepDims } = args.attrs as unknown as SumAttrs;
    if (x === undefined || x.dtype !== 'float32') return stock.kernelFunc(args);
    const rank = x.shape.length;
    const k = leadingAxesCount(axis, rank);
    if (k < 1 || k >= rank) return stock.kernelFunc(args);
    const rows = x.shape.slice(0, k).reduce((a, b) => a * b, 1);
    const cols = x.shape.slice(k).reduce((a, b) => a * b, 1);
    const outShape = keepDims
      ? [...x.shape.slice(0, k).map(() => 1), ...x.shape.slice(k)]
      : x.shape.slice(k);
    const heap = asHeapBackend(args.backend);
    const out = heap.makeOutput(outShape, 'float32');
    const src = heap.typedArrayFromHeap(x);
    const dst = heap.typedArrayFromHeap(out);
    // Float64 partial sums: adding 200 k float32 rows one by one would lose digits.
    const acc = new Float64Array(cols);
    let at = 0;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++, at++) acc[c] = (acc[c] as number) + (src[at] as number);
    }
    dst.set(acc);
    return out;
  };
  return { ...stock, kernelFunc };
}

let stockSum: KernelConfig | undefined;

export function sumWasmConfig(): KernelConfig {
  stockSum ??= tf.getKernel('Sum', 'wasm');
  return makeSumWasmConfig(stockSum);
}
