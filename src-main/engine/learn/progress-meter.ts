/**
 * What a training loop reports after each batch (TrainProgress): its images per second since
 * it started and the seconds it has left at that rate. Shared by the supervised round
 * (train.ts) and the contrastive warm start (contrastive.ts), so both measure alike.
 */
import type { TrainProgress } from './types';

/** A finished batch: its epoch and its place in it (both from 0), its images and loss. */
export interface BatchDone {
  epoch: number;
  batch: number;
  images: number;
  loss: number;
}

export class ProgressMeter {
  private readonly started = performance.now();
  private done = 0;

  /**
   * `total`: the images this run will have gone through when it ends; `epochs` and `batches`
   * (per epoch): as the progress reports them.
   */
  constructor(
    private readonly total: number,
    private readonly epochs: number,
    private readonly batches: number,
  ) {}

  /** Images gone through so far. */
  get images(): number {
    return this.done;
  }

  /** Seconds since the meter was made (with the loop). */
  get seconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  /** Counts `done.images` more as gone through; the progress to report after that batch. */
  batchDone(done: BatchDone): TrainProgress {
    this.done += done.images;
    const imagesPerSecond = this.done / Math.max(this.seconds, 1e-9);
    return {
      epoch: done.epoch + 1,
      epochs: this.epochs,
      batch: done.batch + 1,
      batches: this.batches,
      loss: done.loss,
      imagesPerSecond,
      eta: (this.total - this.done) / imagesPerSecond,
    };
  }
}
