import { IsolationForest } from '../learn/iforest';
import type { ImageBatch } from '../learn/types';

/** Side of the pooled thumbnail the cold-start forest looks at. */
export const POOL = 8;

/**
 * Average-pools each image to POOL×POOL per band. Before the first training the CNN is random,
 * so its "most anomalous" is noise; an isolation forest on these thumbnails (cheap to keep even
 * for 10^6 objects) finds images that are unusual as pictures — a better first batch to show.
 */
export function poolThumbnails(images: ImageBatch, out: Float32Array, offset: number): void {
  const { count, size, bands } = images;
  const cell = size / POOL;
  const dims = POOL * POOL * bands;
  for (let n = 0; n < count; n++) {
    const base = n * size * size * bands;
    const target = offset + n * dims;
    out.fill(0, target, target + dims);
    for (let y = 0; y < size; y++) {
      const py = Math.min(POOL - 1, Math.floor(y / cell));
      for (let x = 0; x < size; x++) {
        const px = Math.min(POOL - 1, Math.floor(x / cell));
        for (let b = 0; b < bands; b++) {
          out[target + (py * POOL + px) * bands + b]! +=
            images.data[base + (y * size + x) * bands + b]!;
        }
      }
    }
    const scale = (POOL * POOL) / (size * size);
    for (let i = 0; i < dims; i++) out[target + i]! *= scale;
  }
}

/** Isolation-forest outlier scores of the pooled thumbnails (higher = more unusual). */
export function coldStartScores(
  thumbnails: Float32Array,
  count: number,
  bands: number,
  seed: number,
): Float64Array {
  const dims = POOL * POOL * bands;
  return IsolationForest.fit(thumbnails, count, dims, { seed }).score(thumbnails, count);
}
