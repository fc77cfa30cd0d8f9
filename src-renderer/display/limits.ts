/** Display limits (the data values shown as black and white), as in DS9's "scale limits". */

export const limitModes = ['sky', 'minmax', 'zscale', 'p99', 'p99.5', 'p99.9', 'custom'] as const;
export type LimitMode = (typeof limitModes)[number];

export const limitLabels: Record<LimitMode, string> = {
  sky: 'sky → 99.9%',
  minmax: 'min–max',
  zscale: 'zscale',
  p99: '99%',
  'p99.5': '99.5%',
  'p99.9': '99.9%',
  custom: 'custom',
};

export interface Limits {
  lo: number;
  hi: number;
  /** The sky's noise σ, where the limits measured it ('sky'): the asinh stretch softens by it. */
  noise?: number;
}

/** Finite values of one band (stride/offset pick a channel out of interleaved NHWC data). */
function finiteValues(data: ArrayLike<number>, stride = 1, offset = 0): Float64Array {
  const out = new Float64Array(Math.ceil((data.length - offset) / stride));
  let n = 0;
  for (let i = offset; i < data.length; i += stride) {
    const v = data[i]!;
    if (Number.isFinite(v)) out[n++] = v;
  }
  return out.subarray(0, n);
}

export function minMax(data: ArrayLike<number>): Limits {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return Number.isFinite(lo) ? { lo, hi } : { lo: 0, hi: 1 };
}

/** Value at quantile q (0..1) of sorted values, linearly interpolated. */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const x = q * (sorted.length - 1);
  const i = Math.floor(x);
  const f = x - i;
  const a = sorted[i]!;
  const b = sorted[Math.min(sorted.length - 1, i + 1)]!;
  return a + (b - a) * f;
}

/** Symmetric percentile clip: `percent` of the pixels fall between the limits (DS9 "99.5%"). */
export function percentileLimits(data: ArrayLike<number>, percent: number): Limits {
  const sorted = finiteValues(data).sort();
  const tail = (1 - percent / 100) / 2;
  return { lo: quantile(sorted, tail), hi: quantile(sorted, 1 - tail) };
}

export interface ZscaleOptions {
  contrast?: number;
  samples?: number;
  rejection?: number;
  iterations?: number;
}

/**
 * IRAF's zscale: fit a line to the sorted sample of pixel values, rejecting outliers, and show
 * the range the line spans around the median divided by the contrast. Bright stars and cosmic
 * rays then do not wash out the sky.
 */
export function zscale(data: ArrayLike<number>, options: ZscaleOptions = {}): Limits {
  const contrast = options.contrast ?? 0.25;
  const maxSamples = options.samples ?? 1000;
  const rejection = options.rejection ?? 2.5;
  const iterations = options.iterations ?? 5;
  const values = finiteValues(data);
  if (values.length === 0) return { lo: 0, hi: 1 };
  const step = Math.max(1, Math.floor(values.length / maxSamples));
  const sample = new Float64Array(Math.ceil(values.length / step));
  for (let i = 0, j = 0; i < values.length; i += step) sample[j++] = values[i]!;
  sample.sort();
  const n = sample.length;
  const zmin = sample[0]!;
  const zmax = sample[n - 1]!;
  const center = Math.floor((n - 1) / 2);
  const median = n % 2 === 1 ? sample[center]! : (sample[center]! + sample[center + 1]!) / 2;
  const minPixels = Math.max(5, Math.floor(n * 0.5));
  if (n < minPixels || n < 5) return { lo: zmin, hi: zmax };

  const keep = new Uint8Array(n).fill(1);
  let slope = 0;
  let kept = n;
  for (let iteration = 0; iteration < iterations; iteration++) {
    // Least-squares line through the kept points (index → value).
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (!keep[i]) continue;
      const y = sample[i]!;
      sx += i;
      sy += y;
      sxx += i * i;
      sxy += i * y;
      m++;
    }
    const denominator = m * sxx - sx * sx;
    if (m < 2 || denominator === 0) break;
    slope = (m * sxy - sx * sy) / denominator;
    const intercept = (sy - slope * sx) / m;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      if (!keep[i]) continue;
      const r = sample[i]! - (intercept + slope * i);
      sumSq += r * r;
    }
    const sigma = Math.sqrt(sumSq / m);
    let rejected = 0;
    for (let i = 0; i < n; i++) {
      if (!keep[i]) continue;
      if (Math.abs(sample[i]! - (intercept + slope * i)) > rejection * sigma) {
        keep[i] = 0;
        rejected++;
      }
    }
    kept -= rejected;
    if (rejected === 0 || kept < minPixels) break;
  }
  if (kept < minPixels) return { lo: zmin, hi: zmax };
  const scaled = slope / contrast;
  const lo = Math.max(zmin, median - (center - 1) * scaled);
  const hi = Math.min(zmax, median + (n - center) * scaled);
  return hi > lo ? { lo, hi } : { lo: zmin, hi: zmax };
}

/** Noise above the sky that still shows black under 'sky' limits, in σ. */
export const SKY_FLOOR_SIGMA = 0.5;
/** The least range 'sky' limits span, in σ: a blank field stays dark grey, not noise. */
export const SKY_MIN_SPAN_SIGMA = 15;

/**
 * Limits for faint structure under an asinh stretch: black just above the sky (its median plus
 * half a noise σ, measured robustly from the median absolute deviation), white at the 99.9th
 * percentile, and never less than 15 σ apart. Pure noise then stays near black and only
 * structure lifts above it; zscale's ±5 σ around the sky fills a cell with speckle instead.
 */
export function skyLimits(data: ArrayLike<number>): Limits {
  const sorted = finiteValues(data).sort();
  if (sorted.length === 0) return { lo: 0, hi: 1 };
  const median = quantile(sorted, 0.5);
  const deviations = new Float64Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) deviations[i] = Math.abs(sorted[i]! - median);
  deviations.sort();
  const sigma = 1.4826 * quantile(deviations, 0.5);
  const top = quantile(sorted, 0.999);
  const max = sorted[sorted.length - 1]!;
  if (!(sigma > 0))
    return max > median ? { lo: median, hi: top > median ? top : max } : minMax(sorted);
  const lo = median + SKY_FLOOR_SIGMA * sigma;
  return { lo, hi: Math.max(top, lo + SKY_MIN_SPAN_SIGMA * sigma), noise: sigma };
}

/** Limits for one band according to the display mode. */
export function computeLimits(
  mode: LimitMode,
  band: ArrayLike<number>,
  custom: Limits = { lo: 0, hi: 1 },
): Limits {
  switch (mode) {
    case 'sky':
      return skyLimits(band);
    case 'minmax':
      return minMax(band);
    case 'zscale':
      return zscale(band);
    case 'p99':
      return percentileLimits(band, 99);
    case 'p99.5':
      return percentileLimits(band, 99.5);
    case 'p99.9':
      return percentileLimits(band, 99.9);
    case 'custom':
      return custom;
  }
}

/** One channel of interleaved NHWC pixels as its own array. */
export function channel(data: Float32Array, bands: number, index: number): Float32Array {
  if (bands === 1) return data;
  const out = new Float32Array(data.length / bands);
  for (let i = 0, j = index; i < out.length; i++, j += bands) out[i] = data[j]!;
  return out;
}
