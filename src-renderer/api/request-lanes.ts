/**
 * Two lanes for the page's HTTP requests. A browser opens at most 6 connections to one
 * origin over HTTP/1.1 and the event stream holds one for good: left alone, pixels, previews
 * and history could take the other 5 and a label.set would wait in the browser's queue
 * behind them. Background requests therefore take at most `backgroundSlots` connections
 * (first come, first served); the answers the expert waits on at the keyboard never queue.
 */
export class RequestLanes {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly backgroundSlots = 3) {}

  /** An answer (label, undo): sent at once, whatever is in flight. */
  urgent<T>(send: () => Promise<T>): Promise<T> {
    return send();
  }

  /** Anything else: sent when one of the background slots is free. */
  async background<T>(send: () => Promise<T>): Promise<T> {
    if (this.running >= this.backgroundSlots) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await send();
    } finally {
      // Hand the slot straight to the next in line, or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** Background requests sent and not yet answered, and those waiting for a slot. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
