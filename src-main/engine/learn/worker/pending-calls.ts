/**
 * The calling end of the learner protocol (protocol.ts), whatever carries its messages: a
 * worker thread (replica.ts) or a GPU page's port (gpu-page/gpu-page.ts). Numbers each call,
 * keeps it until its answer comes, hands progress and checkpoints to the caller, turns a
 * signal's abort into a cancel message and rebuilds a serialised error as an Error here.
 */
import type { WarmStartCheckpoint } from '../contrastive';
import { TrainingCancelledError } from '../train';
import type { TrainProgress } from '../types';
import type { CancelMessage, LearnerCall, LearnerRequest, WorkerMessage } from './protocol';

export class LearnerError extends Error {
  constructor(
    name: string,
    message: string,
    /** Kept from the thread that threw it: the doors show a user's mistake as a sentence. */
    readonly userFacing = false,
  ) {
    super(message);
    this.name = name;
  }
}

export class LearnerClosedError extends Error {
  constructor() {
    super('The learner was disposed or its worker stopped; create a new one.');
    this.name = 'LearnerClosedError';
  }
}

export interface CallExtras {
  onProgress?: (progress: TrainProgress) => void;
  onCheckpoint?: (checkpoint: WarmStartCheckpoint) => void;
  signal?: AbortSignal;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?: (progress: TrainProgress) => void;
  onCheckpoint?: (checkpoint: WarmStartCheckpoint) => void;
}

/** Sends one message to the answering end; `transfer` where the carrier can move buffers. */
export type PostCall<Transfer> = (
  message: LearnerCall | CancelMessage,
  transfer: Transfer[],
) => void;

export class PendingCalls<Transfer> {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly post: PostCall<Transfer>) {}

  /** Calls sent and not yet answered. */
  get size(): number {
    return this.pending.size;
  }

  /** Sends `request` under a new id; settles when the answer with that id is received. */
  call(request: LearnerRequest, transfer: Transfer[], extras: CallExtras): Promise<unknown> {
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const entry: Pending = { resolve, reject };
      if (extras.onProgress !== undefined) entry.onProgress = extras.onProgress;
      if (extras.onCheckpoint !== undefined) entry.onCheckpoint = extras.onCheckpoint;
      this.pending.set(id, entry);
      const signal = extras.signal;
      if (signal !== undefined) {
        const cancel = () => this.post({ kind: 'cancel', id }, []);
        if (signal.aborted) cancel();
        else signal.addEventListener('abort', cancel, { once: true });
      }
      this.post({ ...request, id } as LearnerCall, transfer);
    });
  }

  /** One message from the answering end; an id no call waits for is ignored. */
  receive(message: WorkerMessage): void {
    const p = this.pending.get(message.id);
    if (p === undefined) return;
    if (message.type === 'progress') {
      p.onProgress?.(message.progress);
      return;
    }
    if (message.type === 'checkpoint') {
      p.onCheckpoint?.(message.checkpoint);
      return;
    }
    this.pending.delete(message.id);
    if (message.type === 'result') p.resolve(message.value);
    else if (message.error.name === 'AbortError') p.reject(new TrainingCancelledError());
    else {
      const { name, message: text, userFacing } = message.error;
      p.reject(new LearnerError(name, text, userFacing === true));
    }
  }

  /** The answering end went away: every call still waiting fails with `error`. */
  failAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}
