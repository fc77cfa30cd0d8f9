/**
 * Makes the wasm backend able to train the AHUNT CNN, and fast at it: adds the missing
 * Conv2DBackpropFilter and replaces the slow stock Conv2DBackpropInput, MaxPoolGrad and
 * (for leading-axis reductions, i.e. bias gradients) Sum.
 * Idempotent; call after the wasm backend is initialised (the stock kernels' setup has run).
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { conv2dBackpropFilterWasmConfig } from './conv2d-backprop-filter-wasm';
import { conv2dBackpropInputWasmConfig } from './conv2d-backprop-input-wasm';
import { maxPoolGradWasmConfig } from './max-pool-grad-wasm';
import { sumWasmConfig } from './sum-leading-axes-wasm';

let registered = false;

function replaceKernel(config: KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName) !== undefined) {
    tf.unregisterKernel(config.kernelName, config.backendName);
  }
  tf.registerKernel(config);
}

/** Returns the names of the kernels it added or replaced. */
export function registerWasmTrainingKernels(): string[] {
  const configs = [
    conv2dBackpropFilterWasmConfig,
    conv2dBackpropInputWasmConfig(),
    maxPoolGradWasmConfig,
    sumWasmConfig(),
  ];
  if (!registered) {
    for (const config of configs) replaceKernel(config);
    registered = true;
  }
  return configs.map((c) => c.kernelName);
}
