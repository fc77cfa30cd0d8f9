/**
 * Image augmentation for oversampling (method.md): random flips, 90° rotations and small
 * shifts; 'galaxy' uses an arbitrary rotation angle instead of multiples of 90°, because a
 * galaxy has no preferred orientation. Edges are filled by repeating the border pixel, which
 * keeps the sky background rather than inventing black corners.
 */
import { mulberry32 } from '../random';
import type { TrainOptions } from './types';

export type AugmentKind = TrainOptions['augment'];

/** The same seed gives the same training run. */
export function makeRng(seed: number): () => number {
  return mulberry32(seed);
}

/** Largest shift, in pixels, as a fraction of the cutout side. */
const SHIFT_FRACTION = 0.1;

interface Transform {
  /** Inverse mapping from output to input coordinates around the centre. */
  a: number;
  b: number;
  c: number;
  d: number;
  shiftX: number;
  shiftY: number;
}

function randomTransform(kind: AugmentKind, size: number, rng: () => number): Transform {
  const angle = kind === 'galaxy' ? rng() * 2 * Math.PI : (Math.floor(rng() * 4) * Math.PI) / 2;
  const flip = rng() < 0.5 ? -1 : 1;
  // Exact zeros for multiples of 90° keep those transforms pixel-exact.
  const cos = Math.round(Math.cos(angle) * 1e12) / 1e12;
  const sin = Math.round(Math.sin(angle) * 1e12) / 1e12;
  const maxShift = Math.max(0, Math.round(size * SHIFT_FRACTION));
  const shift = () => Math.floor(rng() * (2 * maxShift + 1)) - maxShift;
  return { a: cos * flip, b: -sin, c: sin * flip, d: cos, shiftX: shift(), shiftY: shift() };
}

/**
 * Writes an augmented copy of image `srcIndex` of `src` into slot `dstIndex` of `dst`
 * (both NHWC float32 with the given size and bands).
 */
export function augmentInto(
  src: Float32Array,
  srcIndex: number,
  dst: Float32Array,
  dstIndex: number,
  size: number,
  bands: number,
  kind: AugmentKind,
  rng: () => number,
): void {
  const pixels = size * size * bands;
  const srcBase = srcIndex * pixels;
  const dstBase = dstIndex * pixels;
  if (kind === 'none') {
    dst.set(src.subarray(srcBase, srcBase + pixels), dstBase);
    return;
  }
  const t = randomTransform(kind, size, rng);
  if (kind === 'galaxy') bilinear(src, srcBase, dst, dstBase, size, bands, t);
  else pixelExact(src, srcBase, dst, dstBase, size, bands, t);
}

/** Flips, quarter turns and whole-pixel shifts land on pixel centres: plain copies. */
function pixelExact(
  src: Float32Array,
  srcBase: number,
  dst: Float32Array,
  dstBase: number,
  size: number,
  bands: number,
  t: Transform,
): void {
  const centre = (size - 1) / 2;
  const last = size - 1;
  let out = dstBase;
  for (let y = 0; y < size; y++) {
    const dy = y - centre - t.shiftY;
    for (let x = 0; x < size; x++) {
      const dx = x - centre - t.shiftX;
      const sx = Math.min(Math.max(Math.round(t.a * dx + t.b * dy + centre), 0), last);
      const sy = Math.min(Math.max(Math.round(t.c * dx + t.d * dy + centre), 0), last);
      const from = srcBase + (sy * size + sx) * bands;
      for (let b = 0; b < bands; b++) dst[out++] = src[from + b] as number;
    }
  }
}

function bilinear(
  src: Float32Array,
  srcBase: number,
  dst: Float32Array,
  dstBase: number,
  size: number,
  bands: number,
  t: Transform,
): void {
  const centre = (size - 1) / 2;
  const last = size - 1;
  for (let y = 0; y < size; y++) {
    const dy = y - centre - t.shiftY;
    for (let x = 0; x < size; x++) {
      const dx = x - centre - t.shiftX;
      const sx = Math.min(Math.max(t.a * dx + t.b * dy + centre, 0), last);
      const sy = Math.min(Math.max(t.c * dx + t.d * dy + centre, 0), last);
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const x1 = Math.min(x0 + 1, last);
      const y1 = Math.min(y0 + 1, last);
      const fx = sx - x0;
      const fy = sy - y0;
      const out = dstBase + (y * size + x) * bands;
      const p00 = srcBase + (y0 * size + x0) * bands;
      const p01 = srcBase + (y0 * size + x1) * bands;
      const p10 = srcBase + (y1 * size + x0) * bands;
      const p11 = srcBase + (y1 * size + x1) * bands;
      for (let b = 0; b < bands; b++) {
        const top = (src[p00 + b] as number) * (1 - fx) + (src[p01 + b] as number) * fx;
        const bottom = (src[p10 + b] as number) * (1 - fx) + (src[p11 + b] as number) * fx;
        dst[out + b] = top * (1 - fy) + bottom * fy;
      }
    }
  }
}
