/**
 * Event frames written after the current turn of the event loop, in the order they were
 * pushed. A request that changes something (label.set) emits its event while it runs; held
 * back to the next turn, the event goes out after that request's reply, so the page that
 * waits on the reply is not made to read and apply the event first.
 */
export interface DeferredFrames {
  push(frame: string): void;
  /** Drops what is not written yet (the server is closing). */
  clear(): void;
}

export function deferredFrames(write: (frames: string) => void): DeferredFrames {
  let queued: string[] = [];
  let scheduled: NodeJS.Immediate | null = null;
  return {
    push(frame) {
      queued.push(frame);
      scheduled ??= setImmediate(() => {
        scheduled = null;
        const frames = queued.join('');
        queued = [];
        write(frames);
      });
    },
    clear() {
      if (scheduled) clearImmediate(scheduled);
      scheduled = null;
      queued = [];
    },
  };
}
