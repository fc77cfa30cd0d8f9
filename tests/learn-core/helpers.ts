import { makeRng } from '../../src-main/engine/learn/augment';
import type { ImageBatch } from '../../src-main/engine/learn/types';

/**
 * A rotation-invariant toy problem: class 0 is faint noise, class 1 has a bright blob somewhere,
 * class 2 (when asked) has a bright ring. Labels cycle through the given classes.
 */
export function toyImages(
  count: number,
  size: number,
  seed: number,
  classes: number[] = [0, 1],
): { images: ImageBatch; labels: Int32Array } {
  const rng = makeRng(seed);
  const data = new Float32Array(count * size * size);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = classes[i % classes.length] as number;
    labels[i] = label;
    const cx = size / 2 + (rng() - 0.5) * size * 0.4;
    const cy = size / 2 + (rng() - 0.5) * size * 0.4;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const r = Math.hypot(x - cx, y - cy);
        let v = rng() * 0.2;
        if (label === 1) v += Math.exp(-(r * r) / 8);
        if (label === 2) v += Math.exp(-((r - size / 4) ** 2) / 2);
        data[(i * size + y) * size + x] = Math.min(v, 1);
      }
    }
  }
  return { images: { data, count, size, bands: 1 }, labels };
}
