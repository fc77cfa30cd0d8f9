/**
 * Direct access to wasm tensors from JavaScript. The wasm backend keeps every tensor in its
 * linear memory; a Float32Array over that memory reads and writes it without a copy. Memory
 * can grow when a tensor is allocated, which detaches older views: allocate outputs first,
 * then take the views.
 */
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs';

/** The part of tfjs-backend-wasm's BackendWasm used here (declared loosely by its typings). */
export interface HeapBackend extends KernelBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

export function asHeapBackend(backend: unknown): HeapBackend {
  return backend as HeapBackend;
}
