/**
 * Gradient averaging between worker threads through shared memory, for data-parallel training.
 * Each replica writes its gradient (plus loss and weight) into its slot, waits at a barrier, and
 * then sums all slots in the same order — so every replica gets bit-identical averages and the
 * model copies never drift. Slots alternate between two halves by step parity, which makes one
 * barrier per step enough: nobody can overwrite a half before everyone has read it.
 * No message passes through the calling (UI) thread during training.
 */
import { TrainingCancelledError } from '../train';
import type { GradientShare } from '../train';

const GENERATION = 0;
const ARRIVED = 1;
const STOP = 2;
const CONTROL_INTS = 4;
const WAIT_SLICE_MS = 25;

export interface ExchangeBuffers {
  control: SharedArrayBuffer;
  data: SharedArrayBuffer;
  params: number;
  replicas: number;
}

export function allocateExchange(params: number, replicas: number): ExchangeBuffers {
  return {
    control: new SharedArrayBuffer(CONTROL_INTS * 4),
    data: new SharedArrayBuffer(2 * replicas * (params + 2) * 4),
    params,
    replicas,
  };
}

/** Makes every replica stop at its next batch or barrier (safe from any thread). */
export function stopExchange(buffers: ExchangeBuffers): void {
  const control = new Int32Array(buffers.control);
  Atomics.store(control, STOP, 1);
  Atomics.notify(control, GENERATION);
}

export function openExchange(buffers: ExchangeBuffers, replica: number): GradientShare {
  const { params, replicas } = buffers;
  const control = new Int32Array(buffers.control);
  const data = new Float32Array(buffers.data);
  const stride = params + 2;
  const sum = new Float32Array(params);
  let step = 0;

  function barrier(): void {
    const generation = Atomics.load(control, GENERATION);
    if (Atomics.add(control, ARRIVED, 1) === replicas - 1) {
      Atomics.store(control, ARRIVED, 0);
      Atomics.add(control, GENERATION, 1);
      Atomics.notify(control, GENERATION);
      return;
    }
    // Generation first: once everyone arrived, the step happens on every replica even if a
    // stop came in meanwhile; the stop then takes effect at the next batch, for all alike.
    while (Atomics.load(control, GENERATION) === generation) {
      if (Atomics.load(control, STOP) !== 0) throw new TrainingCancelledError();
      Atomics.wait(control, GENERATION, generation, WAIT_SLICE_MS);
    }
  }

  return {
    replica,
    replicas,
    cancelled: () => Atomics.load(control, STOP) !== 0,
    combine(grads, loss, weight) {
      const half = (step++ & 1) * replicas * stride;
      const mine = half + replica * stride;
      data.set(grads, mine);
      data[mine + params] = loss;
      data[mine + params + 1] = weight;
      barrier();
      sum.fill(0);
      let combinedLoss = 0;
      for (let r = 0; r < replicas; r++) {
        const at = half + r * stride;
        const w = data[at + params + 1] as number;
        if (w === 0) continue;
        for (let i = 0; i < params; i++) sum[i] = (sum[i] as number) + w * (data[at + i] as number);
        combinedLoss += w * (data[at + params] as number);
      }
      return { grads: sum, loss: combinedLoss };
    },
  };
}
