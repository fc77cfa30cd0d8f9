import { WorkerDecoder } from './decoder';
import type { DecodeSettings } from './messages';

/**
 * Decoding threads started while the scan is still listing and grouping a large folder: a
 * thread takes ~0.1 s to start (more from TypeScript sources the first time, when they are
 * bundled), time in which the scan's single thread would otherwise leave the other cores
 * idle. Started at most once;
 * whoever started them must `take` them, or they are never closed.
 */
export class EarlyWorkers {
  private pending: Promise<WorkerDecoder> | null = null;

  constructor(private readonly count: number) {}

  /** Starts the threads (once); nothing when the run is to decode on the calling thread. */
  start(settings: DecodeSettings): void {
    if (this.pending || this.count === 0) return;
    this.pending = WorkerDecoder.start(settings, this.count);
    // A failed start is reported to whoever takes them, never as an unhandled rejection.
    this.pending.catch(() => {});
  }

  /**
   * The started threads when the run wants `count` of them, with threads added when it wants
   * more (they were started for FITS, and the files turned out to be JPEGs); otherwise (or
   * when none were started) null, after closing any that were.
   */
  async take(count: number): Promise<WorkerDecoder | null> {
    const pending = this.pending;
    this.pending = null;
    if (!pending) return null;
    if (count === this.count) return pending;
    const started = await pending.catch(() => null);
    if (started && count > this.count) {
      await started.grow(count - this.count);
      return started;
    }
    await started?.close();
    return null;
  }
}
