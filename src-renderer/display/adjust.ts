/**
 * DS9's contrast and bias, as moves of the display limits: bias slides the window along the
 * data, contrast narrows or widens it about its centre. Dragging on the preview and the keys
 * both land here, so they agree.
 */
import type { Limits } from './limits';

/** Shifts the window by `bias` of its width (positive: brighter data goes black). */
export function shiftLimits(limits: Limits, bias: number): Limits {
  const span = limits.hi - limits.lo;
  return { ...limits, lo: limits.lo + bias * span, hi: limits.hi + bias * span };
}

/** Scales the window about its centre: contrast 2 halves its width (a harder image). */
export function scaleLimits(limits: Limits, contrast: number): Limits {
  const centre = (limits.lo + limits.hi) / 2;
  const half = (limits.hi - limits.lo) / 2 / Math.max(1e-6, contrast);
  return { ...limits, lo: centre - half, hi: centre + half };
}

/**
 * A drag of (dx, dy) CSS pixels across a viewport `size` pixels wide: right moves the window
 * up the data (DS9's bias), up raises the contrast; a full-width drag moves one window width,
 * a full-height drag changes the contrast eightfold.
 */
export function dragLimits(start: Limits, dx: number, dy: number, size: number): Limits {
  const width = Math.max(1, size);
  return scaleLimits(shiftLimits(start, dx / width), 8 ** (-dy / width));
}

/** Counts of values in `bins` equal bins over [min, max] of the data, with that range. */
export function histogram(
  data: ArrayLike<number>,
  bins: number,
): { counts: Uint32Array; min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const counts = new Uint32Array(bins);
  if (!(max >= min)) return { counts, min: 0, max: 1 };
  const scale = max > min ? bins / (max - min) : 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.floor((v - min) * scale))]! += 1;
  }
  return { counts, min, max };
}
