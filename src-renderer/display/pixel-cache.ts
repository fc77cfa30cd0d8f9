/**
 * Pixels fetched once per object and kept (least recently used first out), so re-rendering
 * with another stretch never goes back to the engine. Concurrent requests share one fetch,
 * and every object asked for in the same tick (a grid drawing its 64 cells) travels in one
 * batch request.
 */
import type { PixelData } from '../../src-main/contract/contract';
import { MAX_PIXEL_BATCH } from '../../src-main/contract/pixel-batch';

type FetchBatch = (objectIds: readonly number[]) => Promise<(PixelData | null)[]>;

interface Waiting {
  resolve(pixels: PixelData): void;
  reject(error: Error): void;
}

export class PixelCache {
  private readonly entries = new Map<number, Promise<PixelData>>();
  private queued = new Map<number, Waiting>();

  constructor(
    private readonly fetchBatch: FetchBatch,
    private readonly capacity = 2000,
  ) {}

  get(objectId: number): Promise<PixelData> {
    const hit = this.entries.get(objectId);
    if (hit) {
      // Re-insert so Map order doubles as recency order.
      this.entries.delete(objectId);
      this.entries.set(objectId, hit);
      return hit;
    }
    const pending = new Promise<PixelData>((resolve, reject) => {
      if (this.queued.size === 0) queueMicrotask(() => this.flush());
      this.queued.set(objectId, { resolve, reject });
    });
    this.entries.set(objectId, pending);
    // A failed fetch must not stay cached, or the object could never be shown again.
    pending.catch(() => this.entries.delete(objectId));
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return pending;
  }

  /** Forgets every object: after a project switch, object ids name other objects. */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private flush(): void {
    const batch = this.queued;
    this.queued = new Map();
    const ids = [...batch.keys()];
    for (let at = 0; at < ids.length; at += MAX_PIXEL_BATCH) {
      const part = ids.slice(at, at + MAX_PIXEL_BATCH);
      this.fetchBatch(part).then(
        (items) =>
          part.forEach((id, i) => {
            const pixels = items[i];
            if (pixels) batch.get(id)!.resolve(pixels);
            else batch.get(id)!.reject(new Error(`object ${id} does not exist`));
          }),
        (error: unknown) => {
          const failure = error instanceof Error ? error : new Error(String(error));
          for (const id of part) batch.get(id)!.reject(failure);
        },
      );
    }
  }
}
