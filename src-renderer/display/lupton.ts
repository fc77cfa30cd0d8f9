/**
 * Lupton et al. (2004) asinh colour composite: stretch the mean intensity with asinh and
 * scale every band by the same factor, so colours (band ratios) survive the stretch and
 * saturated cores stay coloured instead of turning white.
 */
export interface LuptonOptions {
  /** Softening: larger values make the stretch more logarithmic. */
  q: number;
  /** Linear range: intensity that maps to about the middle of the output. */
  stretch: number;
  /** Per-band black point (in band order, bluest first), subtracted before combining. */
  minimum: readonly [number, number, number];
}

/**
 * Writes RGBA bytes for interleaved 3-band pixels into `out` (length pixels × 4). Bands come
 * bluest first, as ingest stores them (g, r, i; J, H, K): the last band is painted red, the
 * first blue, as in every colour composite of the sky.
 */
export function luptonRgb(
  data: Float32Array,
  out: Uint8ClampedArray,
  options: LuptonOptions,
): void {
  const { q, minimum } = options;
  const stretch = options.stretch > 0 ? options.stretch : 1;
  const pixels = data.length / 3;
  for (let p = 0; p < pixels; p++) {
    const b = Math.max(0, (data[p * 3] ?? 0) - minimum[0]);
    const g = Math.max(0, (data[p * 3 + 1] ?? 0) - minimum[1]);
    const r = Math.max(0, (data[p * 3 + 2] ?? 0) - minimum[2]);
    const intensity = (r + g + b) / 3;
    let scale = intensity > 0 ? Math.asinh((q * intensity) / stretch) / (q * intensity) : 0;
    const peak = Math.max(r, g, b) * scale;
    if (peak > 1) scale /= peak;
    const o = p * 4;
    out[o] = r * scale * 255;
    out[o + 1] = g * scale * 255;
    out[o + 2] = b * scale * 255;
    out[o + 3] = 255;
  }
}
