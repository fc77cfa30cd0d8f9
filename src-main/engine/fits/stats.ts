import type { FitsImage } from './fits-file';

export interface ImageStats {
  /** [width, height] of the plane. */
  shape: number[];
  /** min/max/mean are NaN when every pixel is NaN. */
  min: number;
  max: number;
  mean: number;
  sum: number;
  /** Pixels that are NaN (NaN floats and BLANK integers). */
  nan: number;
}

/** Statistics over the finite pixels of one plane (NaN ignored, like numpy's nan* functions). */
export function imageStats(img: FitsImage): ImageStats {
  const data = img.data;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let nan = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v !== v) {
      nan++;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const valid = data.length - nan;
  return {
    shape: [img.width, img.height],
    min: valid === 0 ? NaN : min,
    max: valid === 0 ? NaN : max,
    mean: valid === 0 ? NaN : sum / valid,
    sum,
    nan,
  };
}
