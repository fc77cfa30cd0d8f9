/**
 * Helpers for kernels that are built from other wasm kernels. Calling a registered kernel
 * function directly (instead of a tf op) keeps the work inside the backend: no tensors are
 * tracked by the engine, so the caller frees every intermediate with `release`.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

export type Shape4 = [number, number, number, number];

export function shape4(info: TensorInfo, what: string): Shape4 {
  const [a, b, c, d] = info.shape;
  if (info.shape.length !== 4 || a === undefined || b === undefined || c === undefined) {
    throw new Error(`${what} expects a rank-4 tensor, got shape [${info.shape.join(', ')}]`);
  }
  return [a, b, c, d as number];
}

export function pair(value: [number, number] | number): [number, number] {
  return typeof value === 'number' ? [value, value] : value;
}

/** Runs the wasm backend's kernel `name` on tensor infos that live on `backend`. */
export function callWasmKernel(
  name: string,
  backend: KernelBackend,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap,
): TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (kernel === undefined) throw new Error(`The wasm backend has no ${name} kernel`);
  return kernel.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}

export function release(backend: KernelBackend, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}
