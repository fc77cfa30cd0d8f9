/**
 * What a training loop reports after each batch (TrainProgress): its images per second since
 * it started and the seconds it has left at that rate. Shared by the supervised round
 * (train.ts) and the contrastive warm start (contrastive.ts), so both measure alike.
 */
import type { TrainProgress } from './types';

/** Where the loop stands: the part of TrainProgress it knows without a clock. */
export type TrainStep = Omit<TrainProgress, 'imagesPerSecond' | 'eta'>;

export class ProgressMeter {
  private readonly started = performance.now();
  private done = 0;

  /** `total`: the images this run will have gone through when it ends. */
  constructor(private readonly total: number) {}

  /** Images gone through so far. */
  get images(): number {
    return this.done;
  }

  /** Seconds since the meter was made (with the loop). */
  get seconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  /** Counts a batch of `images` as done; the progress to report after it. */
  batchDone(images: number, step: TrainStep): TrainProgress {
    this.done += images;
    const imagesPerSecond = this.done / Math.max(this.seconds, 1e-9);
    return { ...step, imagesPerSecond, eta: (this.total - this.done) / imagesPerSecond };
  }
}
