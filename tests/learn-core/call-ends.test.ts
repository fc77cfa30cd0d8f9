/**
 * The learner protocol's two ends (PendingCalls, answerCalls) joined by an in-process channel
 * that delivers each message on a later turn, as a worker's or a page's port does. Both the
 * model worker and the GPU page are built on them; only the worker's end had tests of its own.
 */
import { describe, expect, it } from 'vitest';
import { TrainingCancelledError } from '../../src-main/engine/learn/train';
import type { TrainProgress } from '../../src-main/engine/learn/types';
import { answerCalls, type Answer } from '../../src-main/engine/learn/worker/answer-calls';
import {
  LearnerClosedError,
  LearnerError,
  PendingCalls,
} from '../../src-main/engine/learn/worker/pending-calls';
import type {
  CancelMessage,
  LearnerCall,
  WorkerMessage,
} from '../../src-main/engine/learn/worker/protocol';

const later = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const progressAt = (batch: number): TrainProgress => ({
  epoch: 1,
  epochs: 1,
  batch,
  batches: 3,
  loss: 1 / batch,
  imagesPerSecond: 1,
  eta: 0,
});

/** A caller and an answerer whose `handle` decides each answer; `order`: each call's start and end. */
function joined(
  handle: (call: LearnerCall, signal: AbortSignal, post: (m: WorkerMessage) => void) => unknown,
) {
  const order: string[] = [];
  let receive: (message: LearnerCall | CancelMessage) => void = () => {};
  const calls = new PendingCalls<never>((message) => void setTimeout(() => receive(message), 0));
  const toCaller = (message: WorkerMessage) => void setTimeout(() => calls.receive(message), 0);
  answerCalls<never>(
    { post: (message) => toCaller(message), onMessage: (r) => (receive = r) },
    async (call, signal): Promise<Answer<never>> => {
      order.push(call.kind);
      const value = await handle(call, signal, toCaller);
      order.push(`/${call.kind}`);
      return [value, []];
    },
  );
  return { calls, order };
}

describe('the calling and answering ends of the learner protocol', () => {
  it('answers calls in turn, each with its own result and progress', async () => {
    const { calls, order } = joined(async (call, _signal, post) => {
      if (call.kind === 'train') {
        for (let batch = 1; batch <= 3; batch++) {
          post({ id: call.id, type: 'progress', progress: progressAt(batch) });
          await later();
        }
      }
      return `${call.kind} ${call.id}`;
    });
    const seen: number[] = [];
    const train = { kind: 'train', images: null, labels: null, layout: null, opts: null };
    const answers = await Promise.all([
      calls.call({ kind: 'save' }, [], {}),
      calls.call(train as never, [], { onProgress: (p) => seen.push(p.batch) }),
      calls.call({ kind: 'addClass' }, [], {}),
    ]);
    expect(answers).toEqual(['save 1', 'train 2', 'addClass 3']);
    expect(order).toEqual(['save', '/save', 'train', '/train', 'addClass', '/addClass']);
    expect(seen).toEqual([1, 2, 3]);
    expect(calls.size).toBe(0);
  });

  it("rebuilds the answerer's errors, a user's mistake kept as one", async () => {
    const { calls } = joined((call) => {
      if (call.kind === 'save') {
        throw Object.assign(new Error('No WebGPU here.'), {
          name: 'BackendUnavailableError',
          userFacing: true,
        });
      }
      const aborted = new Error('stopped');
      aborted.name = 'AbortError';
      throw aborted;
    });
    const failed = await calls.call({ kind: 'save' }, [], {}).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(LearnerError);
    expect(failed).toMatchObject({
      name: 'BackendUnavailableError',
      message: 'No WebGPU here.',
      userFacing: true,
    });
    await expect(calls.call({ kind: 'load' } as never, [], {})).rejects.toBeInstanceOf(
      TrainingCancelledError,
    );
  });

  it("cancels the running call through the caller's signal, and the next call still runs", async () => {
    const { calls, order } = joined(async (call, signal) => {
      if (call.kind !== 'train') return 'done';
      while (!signal.aborted) await later();
      const stopped = new Error('cancelled between batches');
      stopped.name = 'AbortError';
      throw stopped;
    });
    const controller = new AbortController();
    const train = calls.call({ kind: 'train' } as never, [], { signal: controller.signal });
    const next = calls.call({ kind: 'save' }, [], {});
    await later();
    await later();
    controller.abort();
    await expect(train).rejects.toBeInstanceOf(TrainingCancelledError);
    await expect(next).resolves.toBe('done');
    expect(order).toEqual(['train', 'save', '/save']);
  });

  it('fails every waiting call when the answering end goes away', async () => {
    const { calls } = joined(() => new Promise(() => {}));
    const waiting = [
      calls.call({ kind: 'save' }, [], {}),
      calls.call({ kind: 'addClass' }, [], {}),
    ];
    expect(calls.size).toBe(2);
    calls.failAll(new LearnerClosedError());
    for (const call of waiting) await expect(call).rejects.toBeInstanceOf(LearnerClosedError);
    expect(calls.size).toBe(0);
  });
});
