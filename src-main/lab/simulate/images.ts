import type { Rng } from '../../engine/learn/strategies';
import type { ImageBatch } from '../../engine/learn/types';

/** A new batch holding the given rows of `images`, in that order. */
export function gatherImages(images: ImageBatch, rows: ArrayLike<number>): ImageBatch {
  const d = images.size * images.size * images.bands;
  const data = new Float32Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    data.set(images.data.subarray(r * d, (r + 1) * d), i * d);
  }
  return { data, count: rows.length, size: images.size, bands: images.bands };
}

/**
 * Adds N(0, sd) to every pixel once, in place, as the reference MNIST runs do (the noise is part
 * of the data, not an augmentation: the same object looks the same every round). Values are
 * not clipped, to keep the noise distribution the reference used.
 */
export function addGaussianNoise(images: ImageBatch, sd: number, rng: Rng): void {
  if (sd <= 0) return;
  for (let i = 0; i < images.data.length; i++) images.data[i] = images.data[i]! + sd * rng.normal();
}

/** The first n objects (those observed so far) as a batch, without copying. */
export function firstImages(images: ImageBatch, n: number): ImageBatch {
  const d = images.size * images.size * images.bands;
  return { ...images, data: images.data.subarray(0, n * d), count: n };
}
