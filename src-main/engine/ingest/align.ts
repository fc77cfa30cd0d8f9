import type { BandImage } from './fits-bands';
import { sampleBilinear } from './geometry';

/** Same size and the same WCS mapping at three corners (to 0.01 px): no resampling needed. */
export function sameGrid(a: BandImage, b: BandImage): boolean {
  if (a.plane.width !== b.plane.width || a.plane.height !== b.plane.height) return false;
  if (!a.wcs || !b.wcs) return true;
  const w = a.plane.width - 1;
  const h = a.plane.height - 1;
  return (
    [
      [0, 0],
      [w, 0],
      [0, h],
    ] as const
  ).every(([x, y]) => {
    const [ra, dec] = a.wcs!.pixelToWorld(x, y);
    const [bx, by] = b.wcs!.worldToPixel(ra, dec);
    return Math.abs(bx - x) < 0.01 && Math.abs(by - y) < 0.01;
  });
}

/** Resamples band `img` onto band 0's window through the sky (bilinear). */
export function reproject(
  base: BandImage,
  img: BandImage,
  x0: number,
  y0: number,
  size: number,
  out: Float32Array,
): void {
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const [ra, dec] = base.wcs!.pixelToWorld(x0 + i, y0 + j);
      const [x, y] = img.wcs!.worldToPixel(ra, dec);
      out[j * size + i] = sampleBilinear(img.plane, x, y);
    }
  }
}
