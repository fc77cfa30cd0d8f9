/**
 * Faster Conv2DBackpropInput for the wasm backend. Its stock kernel is a plain C++ loop; for
 * stride 1 the input gradient is a forward convolution of dy with the filter rotated by 180°
 * and its in/out channels swapped, which wasm runs in XNNPACK. Other strides keep the stock
 * kernel (they would need a zero-dilated dy).
 */
import * as tf from '@tensorflow/tfjs';
import type {
  Conv2DBackpropInputAttrs,
  Conv2DBackpropInputInputs,
  KernelBackend,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs';
import { callWasmKernel, pair, release, shape4 } from './wasm-kernel-calls';

function samePaddingBefore(outSize: number, filter: number, inSize: number): number {
  return Math.floor(Math.max(outSize - 1 + filter - inSize, 0) / 2);
}

export function makeConv2dBackpropInputWasmConfig(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { dy, filter } = args.inputs as unknown as Conv2DBackpropInputInputs;
    const conv = args.attrs as unknown as Conv2DBackpropInputAttrs;
    const [sh, sw] = pair(conv.strides);
    const simplePad = conv.pad === 'same' || conv.pad === 'valid';
    if (
      dy === undefined ||
      filter === undefined ||
      sh !== 1 ||
      sw !== 1 ||
      !simplePad ||
      conv.dataFormat !== 'NHWC' ||
      conv.dimRoundingMode !== undefined
    ) {
      return stock.kernelFunc(args);
    }
    const backend = args.backend as KernelBackend;
    const [, h, w] = conv.inputShape;
    const [, oh, ow] = shape4(dy, 'Conv2DBackpropInput dy');
    const [fh, fw] = shape4(filter, 'Conv2DBackpropInput filter');
    const top = conv.pad === 'same' ? samePaddingBefore(h, fh, h) : 0;
    const left = conv.pad === 'same' ? samePaddingBefore(w, fw, w) : 0;
    // Forward padding p becomes fh−1−p before; after is whatever makes the output h rows.
    const before = [fh - 1 - top, fw - 1 - left];
    const after = [h - oh + fh - 1 - (before[0] ?? 0), w - ow + fw - 1 - (before[1] ?? 0)];
    if ([...before, ...after].some((p) => p < 0)) return stock.kernelFunc(args);
    const flipped = callWasmKernel('Reverse', backend, { x: filter }, { dims: [0, 1] });
    const swapped = callWasmKernel('Transpose', backend, { x: flipped }, { perm: [0, 1, 3, 2] });
    const dx: TensorInfo = callWasmKernel(
      'Conv2D',
      backend,
      { x: dy, filter: swapped },
      {
        strides: [1, 1],
        pad: [
          [0, 0],
          [before[0] ?? 0, after[0] ?? 0],
          [before[1] ?? 0, after[1] ?? 0],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dilations: [1, 1],
      },
    );
    release(backend, flipped, swapped);
    return dx;
  };
  return { ...stock, kernelFunc };
}

/** The stock wasm kernel, captured once so re-registration never wraps our own wrapper. */
let stockBackpropInput: KernelConfig | undefined;

export function conv2dBackpropInputWasmConfig(): KernelConfig {
  stockBackpropInput ??= tf.getKernel('Conv2DBackpropInput', 'wasm');
  return makeConv2dBackpropInputWasmConfig(stockBackpropInput);
}
