/** DS9-style stretches: monotonic maps of t in [0, 1] onto [0, 1]. */

export const stretchNames = ['linear', 'log', 'sqrt', 'asinh', 'histeq'] as const;
export type StretchName = (typeof stretchNames)[number];

export const stretchLabels: Record<StretchName, string> = {
  linear: 'linear',
  log: 'log',
  sqrt: 'sqrt',
  asinh: 'asinh',
  histeq: 'histogram eq.',
};

// DS9's defaults: log exponent a = 1000 (normalised by log(a + 1) so 1 maps to exactly 1),
// asinh uses asinh(10 t) / asinh(10).
const logExponent = 1000;
const asinhGain = 10;

/**
 * The asinh gain that makes the curve linear within one noise σ of the black level and
 * logarithmic above (Lupton's softening β = σ): span / σ, kept in [10, 4096] and rounded to
 * quarter octaves so that few lookup tables are ever built.
 */
export function noiseGain(span: number, noise: number): number {
  if (!(span > 0) || !(noise > 0)) return asinhGain;
  const gain = Math.min(4096, Math.max(asinhGain, span / noise));
  return 2 ** (Math.round(Math.log2(gain) * 4) / 4);
}

/**
 * The fixed (data-independent) stretches. Histogram equalisation depends on the image and is
 * built by `equalisationTable`; here it falls back to linear.
 */
export function stretchValue(name: StretchName, t: number, gain = asinhGain): number {
  const x = Math.min(1, Math.max(0, t));
  switch (name) {
    case 'linear':
    case 'histeq':
      return x;
    case 'log':
      return Math.log(logExponent * x + 1) / Math.log(logExponent + 1);
    case 'sqrt':
      return Math.sqrt(x);
    case 'asinh':
      return Math.asinh(gain * x) / Math.asinh(gain);
  }
}

/** The stretch sampled at `size` evenly spaced points: values in [0, 1]. */
export function stretchTable(name: StretchName, size: number, gain = asinhGain): Float32Array {
  const table = new Float32Array(size);
  for (let i = 0; i < size; i++) table[i] = stretchValue(name, i / (size - 1), gain);
  return table;
}

/**
 * Histogram equalisation for one image: the cumulative distribution of the pixels between the
 * limits, sampled at `size` points, so that output levels are used equally often.
 */
export function equalisationTable(
  data: ArrayLike<number>,
  lo: number,
  hi: number,
  size: number,
  stride = 1,
  offset = 0,
): Float32Array {
  const counts = new Float64Array(size);
  const span = hi - lo || 1;
  let total = 0;
  for (let i = offset; i < data.length; i += stride) {
    const v = data[i]!;
    if (!Number.isFinite(v)) continue;
    const t = Math.min(1, Math.max(0, (v - lo) / span));
    counts[Math.round(t * (size - 1))]! += 1;
    total++;
  }
  const table = new Float32Array(size);
  if (total === 0) return stretchTable('linear', size);
  let running = 0;
  for (let i = 0; i < size; i++) {
    running += counts[i]!;
    table[i] = running / total;
  }
  return table;
}

/** The next (step = 1) or previous (step = -1) stretch, wrapping around. */
export function cycleStretch(current: StretchName, step: 1 | -1): StretchName {
  const i = stretchNames.indexOf(current);
  const n = stretchNames.length;
  return stretchNames[(i + step + n) % n]!;
}
