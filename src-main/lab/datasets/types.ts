import type { ImageBatch } from '../../engine/learn/types';

/** A labelled image collection: what every dataset loader returns. */
export interface LabelledImages {
  /** Float32 NHWC in [0, 1]. */
  images: ImageBatch;
  /** Class index per image, into `classNames`. */
  labels: Int32Array;
  classNames: string[];
  /** Where it came from, for reports ("mnist:/path", "csv:/path/labels.csv"). */
  source: string;
}

export interface LoadOptions {
  /** Keep only images of these class NAMES (e.g. ['0', '1', '5']); all when absent. */
  classes?: readonly string[];
  /** Side length for decoded image files (folder:, csv:); MNIST is always 28. */
  size?: number;
  /** 1 = grey, 3 = RGB, for decoded image files; MNIST is always 1. */
  bands?: 1 | 3;
  /** Image files decoded at once (folder:, csv:). */
  concurrency?: number;
  /**
   * Called with the count and shape once they are known and before any pixel is decoded; a
   * message stops the load with a DatasetError carrying it (e.g. "use --size 128 or smaller").
   */
  checkFit?: (count: number, size: number, bands: number) => string | null;
}

/** A dataset the user pointed at cannot be read: the message says which file and what to do. */
export class DatasetError extends Error {
  override name = 'DatasetError';
  /** The CLI prints the message and exits 1 (see cli/main.ts). */
  readonly userFacing = true;
}
