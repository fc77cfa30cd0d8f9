/**
 * The engine's handle on a GPU page: numbered calls over a GpuPagePort, answered in order,
 * with training progress and cancellation like a worker replica (the same PendingCalls).
 */
import { LearnerClosedError, PendingCalls, type CallExtras } from '../worker/pending-calls';
import type { LearnerResults } from '../worker/protocol';
import type { GpuPagePort, PageCallKind, PageRequest } from './port';

export class GpuPage {
  private readonly calls: PendingCalls<never>;
  private closedBecause: string | null = null;

  constructor(private readonly port: GpuPagePort) {
    // A GpuPagePort takes no transfer list: its messages are structured-cloned.
    this.calls = new PendingCalls((message) => port.post(message));
    port.onMessage((message) => this.calls.receive(message));
    port.onClose((why) => this.failAll(why));
  }

  /** Why the page went away, or null while it answers. */
  get closed(): string | null {
    return this.closedBecause;
  }

  private failAll(why: string): void {
    this.closedBecause ??= why;
    this.calls.failAll(new LearnerClosedError());
  }

  call<K extends PageCallKind>(
    request: Extract<PageRequest, { kind: K }>,
    extras: CallExtras = {},
  ): Promise<LearnerResults[K]> {
    if (this.closedBecause !== null) return Promise.reject(new LearnerClosedError());
    return this.calls.call(request, [], extras) as Promise<LearnerResults[K]>;
  }

  /** Frees the page's model and closes the port (the door closes its window). */
  async close(): Promise<void> {
    if (this.closedBecause !== null) return;
    if (this.calls.size === 0) await this.call({ kind: 'dispose' }).catch(() => undefined);
    this.failAll('closed by the engine');
    this.port.close();
  }
}
