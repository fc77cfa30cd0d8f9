/**
 * Pixel geometry of cutouts. Coordinates are 0-based with the centre of the first pixel at
 * (0, 0), as in the FITS codec's WCS. Cutouts are copied pixel-for-pixel (no sub-pixel
 * shift) so their values stay the survey's own; only resizing and reprojection interpolate.
 */
export interface Plane {
  width: number;
  height: number;
  data: ArrayLike<number>;
}

/** Top-left pixel of the size×size window whose centre is nearest to (cx, cy). */
export function windowOrigin(cx: number, cy: number, size: number): [x0: number, y0: number] {
  const half = (size - 1) / 2;
  return [Math.round(cx - half), Math.round(cy - half)];
}

/** The window's centre in source pixels. */
export function windowCentre(x0: number, y0: number, size: number): [cx: number, cy: number] {
  const half = (size - 1) / 2;
  return [x0 + half, y0 + half];
}

/** Is (x, y) on a pixel of the frame? */
export function onFrame(x: number, y: number, width: number, height: number): boolean {
  return x >= -0.5 && y >= -0.5 && x < width - 0.5 && y < height - 0.5;
}

/**
 * Copies a size×size window into `out`; pixels beyond the frame become NaN (normalisation
 * turns NaN into 0 and counts it). Returns how many pixels fell outside the frame.
 */
export function cutWindow(
  plane: Plane,
  x0: number,
  y0: number,
  size: number,
  out: Float32Array,
): number {
  const { width, height, data } = plane;
  let outside = 0;
  for (let j = 0; j < size; j++) {
    const y = y0 + j;
    const row = j * size;
    if (y < 0 || y >= height) {
      out.fill(NaN, row, row + size);
      outside += size;
      continue;
    }
    const base = y * width;
    for (let i = 0; i < size; i++) {
      const x = x0 + i;
      if (x < 0 || x >= width) {
        out[row + i] = NaN;
        outside++;
      } else out[row + i] = data[base + x]!;
    }
  }
  return outside;
}

/**
 * Whole size×size tiles over a frame, centred so the unused margin is split evenly. Tiles
 * never overlap and never pad: a grid is for frames with no catalogue, where an edge tile
 * would only add a half-empty object.
 */
export function gridOrigins(width: number, height: number, size: number): [number, number][] {
  const nx = Math.floor(width / size);
  const ny = Math.floor(height / size);
  const ox = Math.floor((width - nx * size) / 2);
  const oy = Math.floor((height - ny * size) / 2);
  const origins: [number, number][] = [];
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) origins.push([ox + i * size, oy + j * size]);
  }
  return origins;
}

/** Bilinear sample; NaN outside the frame or next to a NaN pixel (blank stays blank). */
export function sampleBilinear(plane: Plane, x: number, y: number): number {
  const { width, height, data } = plane;
  if (!(x > -0.5 && y > -0.5 && x < width - 0.5 && y < height - 0.5)) return NaN;
  const xc = Math.min(Math.max(x, 0), width - 1);
  const yc = Math.min(Math.max(y, 0), height - 1);
  const x1 = Math.min(Math.floor(xc), width - 2 < 0 ? 0 : width - 2);
  const y1 = Math.min(Math.floor(yc), height - 2 < 0 ? 0 : height - 2);
  const x2 = Math.min(x1 + 1, width - 1);
  const y2 = Math.min(y1 + 1, height - 1);
  const fx = xc - x1;
  const fy = yc - y1;
  const a = data[y1 * width + x1]!;
  const b = data[y1 * width + x2]!;
  const c = data[y2 * width + x1]!;
  const d = data[y2 * width + x2]!;
  return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
}

/**
 * A whole image as one size×size object: the central square (a cutout is centred on its
 * object, so cropping the long side loses only sky), then block-averaged when shrinking
 * (every source pixel counts, so noise averages down instead of aliasing) or bilinear when
 * enlarging. NaN pixels are left out of averages.
 */
export function resizeSquare(
  plane: Plane,
  size: number,
): { data: Float32Array; side: number; x0: number; y0: number } {
  const side = Math.min(plane.width, plane.height);
  const x0 = Math.floor((plane.width - side) / 2);
  const y0 = Math.floor((plane.height - side) / 2);
  // Already the right size and type (the common case for survey cutouts): no copy at all.
  if (plane.width === size && plane.height === size && plane.data instanceof Float32Array) {
    return { data: plane.data, side, x0, y0 };
  }
  const out = new Float32Array(size * size);
  if (side === size) {
    cutWindow(plane, x0, y0, size, out);
  } else if (side > size) {
    boxAverage(plane, x0, y0, side, size, out);
  } else {
    const step = side / size;
    for (let j = 0; j < size; j++) {
      for (let i = 0; i < size; i++) {
        out[j * size + i] = sampleBilinear(
          plane,
          x0 + (i + 0.5) * step - 0.5,
          y0 + (j + 0.5) * step - 0.5,
        );
      }
    }
  }
  return { data: out, side, x0, y0 };
}

function boxAverage(
  plane: Plane,
  x0: number,
  y0: number,
  side: number,
  size: number,
  out: Float32Array,
): void {
  const { width, data } = plane;
  const step = side / size;
  for (let j = 0; j < size; j++) {
    const top = j * step;
    const bottom = top + step;
    for (let i = 0; i < size; i++) {
      const left = i * step;
      const right = left + step;
      let sum = 0;
      let weight = 0;
      for (let y = Math.floor(top); y < Math.ceil(bottom); y++) {
        const wy = Math.min(bottom, y + 1) - Math.max(top, y);
        const base = (y0 + y) * width + x0;
        for (let x = Math.floor(left); x < Math.ceil(right); x++) {
          const v = data[base + x]!;
          if (!Number.isFinite(v)) continue;
          const w = wy * (Math.min(right, x + 1) - Math.max(left, x));
          sum += v * w;
          weight += w;
        }
      }
      out[j * size + i] = weight > 0 ? sum / weight : NaN;
    }
  }
}
