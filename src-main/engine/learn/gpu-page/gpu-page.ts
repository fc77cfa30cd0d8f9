/**
 * The engine's handle on a GPU page: numbered calls over a GpuPagePort, answered in order,
 * with training progress and cancellation like a worker replica (worker/replica.ts).
 */
import { TrainingCancelledError } from '../train';
import type { TrainProgress } from '../types';
import { LearnerClosedError, LearnerError, type CallExtras } from '../worker/replica';
import type { LearnerCall, LearnerResults, WorkerMessage } from '../worker/protocol';
import type { GpuPagePort, PageCallKind, PageRequest } from './port';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?: (progress: TrainProgress) => void;
}

export class GpuPage {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closedBecause: string | null = null;

  constructor(private readonly port: GpuPagePort) {
    port.onMessage((message) => this.receive(message));
    port.onClose((why) => this.failAll(why));
  }

  /** Why the page went away, or null while it answers. */
  get closed(): string | null {
    return this.closedBecause;
  }

  private receive(message: WorkerMessage): void {
    const p = this.pending.get(message.id);
    if (p === undefined) return;
    if (message.type === 'progress') {
      p.onProgress?.(message.progress);
      return;
    }
    // Warm-start checkpoints come from the worker only: the page is never asked to warm-start.
    if (message.type === 'checkpoint') return;
    this.pending.delete(message.id);
    if (message.type === 'result') p.resolve(message.value);
    else if (message.error.name === 'AbortError') p.reject(new TrainingCancelledError());
    else {
      const { name, message: text, userFacing } = message.error;
      p.reject(new LearnerError(name, text, userFacing === true));
    }
  }

  private failAll(why: string): void {
    this.closedBecause ??= why;
    for (const p of this.pending.values()) p.reject(new LearnerClosedError());
    this.pending.clear();
  }

  call<K extends PageCallKind>(
    request: Extract<PageRequest, { kind: K }>,
    extras: CallExtras = {},
  ): Promise<LearnerResults[K]> {
    if (this.closedBecause !== null) return Promise.reject(new LearnerClosedError());
    const id = this.nextId++;
    return new Promise<LearnerResults[K]>((resolve, reject) => {
      const entry: Pending = { resolve: resolve as (v: unknown) => void, reject };
      if (extras.onProgress !== undefined) entry.onProgress = extras.onProgress;
      this.pending.set(id, entry);
      const signal = extras.signal;
      if (signal !== undefined) {
        const cancel = () => this.port.post({ kind: 'cancel', id });
        if (signal.aborted) cancel();
        else signal.addEventListener('abort', cancel, { once: true });
      }
      this.port.post({ ...request, id } as LearnerCall);
    });
  }

  /** Frees the page's model and closes the port (the door closes its window). */
  async close(): Promise<void> {
    if (this.closedBecause !== null) return;
    if (this.pending.size === 0) await this.call({ kind: 'dispose' }).catch(() => undefined);
    this.failAll('closed by the engine');
    this.port.close();
  }
}
