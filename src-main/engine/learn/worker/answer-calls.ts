/**
 * The answering end of the learner protocol (protocol.ts), whatever carries its messages: the
 * model worker's thread (entry.ts) or a GPU page (gpu-page/page-trainer.ts). Calls run one
 * after another and each is answered with its result or its serialised error. Only 'cancel'
 * bypasses the queue: it aborts the signal of the call with its id, if that call is running,
 * so it reaches a training between two batches.
 */
import { serialiseError } from './protocol';
import type { CancelMessage, LearnerCall, WorkerMessage } from './protocol';

/** One call's answer and the buffers that may move (not be copied) with it. */
export type Answer<Transfer> = [value: unknown, transfer: Transfer[]];

export interface AnsweringPort<Transfer> {
  post(message: WorkerMessage, transfer: Transfer[]): void;
  onMessage(receive: (message: LearnerCall | CancelMessage) => void): void;
}

export function answerCalls<Transfer>(
  port: AnsweringPort<Transfer>,
  handle: (call: LearnerCall, signal: AbortSignal) => Promise<Answer<Transfer>>,
): void {
  const running = new Map<number, AbortController>();
  let queue: Promise<void> = Promise.resolve();
  port.onMessage((message) => {
    if (message.kind === 'cancel') {
      running.get(message.id)?.abort();
      return;
    }
    queue = queue.then(async () => {
      const controller = new AbortController();
      running.set(message.id, controller);
      try {
        const [value, transfer] = await handle(message, controller.signal);
        port.post({ id: message.id, type: 'result', value }, transfer);
      } catch (error) {
        port.post({ id: message.id, type: 'error', error: serialiseError(error) }, []);
      } finally {
        running.delete(message.id);
      }
    });
  });
}
