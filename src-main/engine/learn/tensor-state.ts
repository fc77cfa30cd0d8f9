/**
 * Training state as plain arrays, so a checkpoint can cross threads and be stored: variables
 * flattened in order, and Adam's step count and moments (tfjs keeps them inside the optimizer).
 */
import * as tf from '@tensorflow/tfjs';
import { InvalidModelError } from './model';

/** The tensors' values one after the other. */
export function flatten(tensors: tf.Tensor[]): Float32Array {
  const out = new Float32Array(tensors.reduce((sum, t) => sum + t.size, 0));
  let offset = 0;
  for (const t of tensors) {
    out.set(t.dataSync() as Float32Array, offset);
    offset += t.size;
  }
  return out;
}

/** Puts back what flatten took from the same variables, in the same order. */
export function assign(variables: tf.Variable[], values: Float32Array, what: string): void {
  const expected = variables.reduce((sum, v) => sum + v.size, 0);
  if (values.length !== expected) {
    throw new InvalidModelError(
      `The checkpoint's ${what} holds ${values.length} values but this model needs ` +
        `${expected}; start again without it.`,
    );
  }
  let offset = 0;
  for (const v of variables) {
    const at = offset;
    tf.tidy(() => v.assign(tf.tensor(values.subarray(at, at + v.size), v.shape)));
    offset += v.size;
  }
}

/** Adam's step count and moments as one array (empty moments before the first step). */
export async function optimizerState(optimizer: tf.Optimizer): Promise<Float32Array> {
  const named = await optimizer.getWeights();
  const values = flatten(named.map((w) => w.tensor));
  tf.dispose(named[0]?.tensor ?? []); // the step count is a fresh scalar; the moments are Adam's own
  return values;
}

/** Puts back what optimizerState saved; the moments follow the variables' order. */
export async function restoreOptimizer(
  optimizer: tf.Optimizer,
  state: Float32Array,
  variables: tf.Variable[],
): Promise<void> {
  const size = variables.reduce((sum, v) => sum + v.size, 0);
  if (state.length === 1) return; // cancelled before the first step: nothing to restore
  if (state.length !== 1 + 2 * size) {
    throw new InvalidModelError(
      `The checkpoint's optimizer state holds ${state.length} values, not ${1 + 2 * size}; start again without it.`,
    );
  }
  const named: { name: string; tensor: tf.Tensor }[] = [
    { name: 'iter', tensor: tf.scalar(state[0] as number, 'int32') },
  ];
  let offset = 1;
  for (const moment of ['m', 'v']) {
    for (const v of variables) {
      named.push({
        name: `${v.name}/${moment}`,
        tensor: tf.tensor(state.subarray(offset, offset + v.size), v.shape),
      });
      offset += v.size;
    }
  }
  await optimizer.setWeights(named);
  tf.dispose(named.map((w) => w.tensor));
}
