/**
 * Whether a model size, batch size and data set fit the machine, decided before any work starts,
 * so that a size that cannot run ends in one sentence saying what to change instead of a wasm
 * abort ("RuntimeError: Aborted()", "memory access out of bounds") half an hour in.
 *
 * Two budgets matter. The wasm backend's heap is one WebAssembly memory of at most 4 GiB (the
 * tfjs-backend-wasm binaries declare a maximum of 65,536 pages); a training batch's activations,
 * their gradients and the kernels' scratch must fit in it at once. And the decoded data set lives
 * in ordinary memory as float32, next to the copies the protocol makes of it.
 */
import os from 'node:os';
import { completeSpec } from './model';
import type { BackendName } from './types';

/** The wasm memory's declared maximum, less room for weights, Adam state and fragmentation. */
export const WASM_HEAP_BUDGET = 3.5 * 1024 ** 3;
/**
 * Float32 values alive per forward activation while a batch trains: the activation, its
 * gradient, ReLU/pooling masks, the backprop kernels' scratch and the heap's fragmentation.
 * Fitted to what we saw on the wasm backend, one training step of a batch of 256 RGB images:
 * 128 px runs (0.43 M activations per image), 160, 176, 192 and 256 px abort (0.67 M at 160).
 * 7 copies put 128 px at 2.9 GiB and 160 px at 4.5 GiB.
 */
const LIVE_COPIES_PER_ACTIVATION = 7;

/** Float32 values the CNN holds for one image in a forward pass (input and every layer's output). */
export function activationsPerImage(size: number, bands: number): number {
  const spec = completeSpec({ size, bands, classes: 2 });
  let side = size;
  let total = size * size * bands;
  for (let block = 0; block <= spec.extraBlocks; block++) {
    const filters = block === 0 ? 16 : 8;
    total += side * side * filters; // conv output
    side = Math.floor(side / 2);
    total += side * side * filters; // pool output
  }
  return total + 2 * spec.latent;
}

/** Bytes of wasm heap a training batch of `batch` images needs, estimated. */
export function trainingBatchBytes(size: number, bands: number, batch: number): number {
  return activationsPerImage(size, bands) * 4 * LIVE_COPIES_PER_ACTIVATION * batch;
}

/** The largest training batch that fits the wasm heap at this size (0 when not even one). */
export function largestWasmBatch(size: number, bands: number): number {
  return Math.floor(WASM_HEAP_BUDGET / trainingBatchBytes(size, bands, 1));
}

/** The largest square side (a multiple of 8) whose batch of `batch` images fits the wasm heap. */
export function largestWasmSize(bands: number, batch: number): number {
  let best = 0;
  for (let side = 8; side <= 4096; side += 8) {
    if (trainingBatchBytes(side, bands, batch) > WASM_HEAP_BUDGET) break;
    best = side;
  }
  return best;
}

export interface FitQuestion {
  size: number;
  bands: number;
  batchSize: number;
  /** Images held decoded in memory at once (the data set, or the protocol's share of it). */
  images: number;
  /** Copies of those images held at once (a data set and the run's reordered copy: 2). */
  copies?: number;
  backend: BackendName;
  /** What the user changes: CLI flags or the project's settings. */
  sizeKnob: string;
  batchKnob: string;
}

/**
 * Null when the work fits; otherwise one sentence that says what to change. Only the wasm
 * backend has the fixed heap; the native and GPU backends grow as the machine allows.
 */
export function whyItWillNotFit(q: FitQuestion, totalMemory = os.totalmem()): string | null {
  const { size, bands, batchSize } = q;
  const wasm = q.backend === 'wasm';
  if (wasm && trainingBatchBytes(size, bands, batchSize) > WASM_HEAP_BUDGET) {
    const batch = largestWasmBatch(size, bands);
    const side = largestWasmSize(bands, batchSize);
    const needGb = (trainingBatchBytes(size, bands, batchSize) / 1024 ** 3).toFixed(1);
    return (
      `A training batch of ${batchSize} images of ${size}×${size}×${bands} needs about ${needGb} GB ` +
      `but the wasm backend holds at most 4 GB: use ${q.sizeKnob} ${side} or smaller` +
      (batch >= 1 ? `, or ${q.batchKnob} ${batch} or smaller.` : '.')
    );
  }
  const dataBytes = q.images * size * size * bands * 4 * (q.copies ?? 1);
  // Half the machine: the rest is the model, the backend, the OS and everything else running.
  if (dataBytes > totalMemory / 2) {
    const perSide = Math.floor(
      Math.sqrt(totalMemory / 2 / (q.images * bands * 4 * (q.copies ?? 1))),
    );
    return (
      `${q.images.toLocaleString('en')} images of ${size}×${size}×${bands} take ` +
      `${(dataBytes / 1024 ** 3).toFixed(1)} GB decoded, more than half of this machine's ` +
      `${(totalMemory / 1024 ** 3).toFixed(0)} GB: use ${q.sizeKnob} ${Math.max(8, perSide - (perSide % 8))} or smaller.`
    );
  }
  return null;
}
