/**
 * Pixels fetched once per object and kept (least recently used first out), so re-rendering
 * with another stretch never goes back to the engine. Concurrent requests share one fetch.
 */
import type { PixelData } from '../../src-main/api/contract';

export class PixelCache {
  private readonly entries = new Map<number, Promise<PixelData>>();

  constructor(
    private readonly fetchPixels: (objectId: number) => Promise<PixelData>,
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
    const pending = this.fetchPixels(objectId);
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

  get size(): number {
    return this.entries.size;
  }
}
