/**
 * Pixels → RGBA bytes for one object under the display settings. Pure and DOM-free so it can be
 * unit-tested; the components copy the bytes into a canvas ImageData.
 */
import type { PixelData } from '../../src-main/contract/contract';
import { colormapTable, lutSize, type ColormapName } from './colormaps';
import { channel, computeLimits, type LimitMode, type Limits } from './limits';
import { luptonRgb } from './lupton';
import { equalisationTable, noiseGain, stretchTable, type StretchName } from './stretch';

export interface DisplayOptions {
  stretch: StretchName;
  limits: LimitMode;
  custom: Limits;
  colormap: ColormapName;
  /** Show 3-band objects as a Lupton asinh colour composite (else their mean as one band). */
  rgb: boolean;
}

const lutCache = new Map<string, Uint8ClampedArray>();

// Limits depend only on the pixels and the mode: computing them (sorting) is the costly part of
// a redraw, so a stretch or colour-map change reuses them. Weak keys free them with the pixels.
const limitsCache = new WeakMap<Float32Array, Map<string, Limits>>();

function cachedLimits(
  mode: LimitMode,
  band: Float32Array,
  custom: Limits,
  key: Float32Array,
  channelIndex: number,
): Limits {
  if (mode === 'custom') return custom;
  let entry = limitsCache.get(key);
  if (!entry) limitsCache.set(key, (entry = new Map()));
  const id = `${mode}|${channelIndex}`;
  let limits = entry.get(id);
  if (!limits) entry.set(id, (limits = computeLimits(mode, band, custom)));
  return limits;
}

/** Stretch composed with colour map: one RGB triplet per LUT entry, built once per pair. */
export function displayTable(
  stretch: StretchName,
  colormap: ColormapName,
  gain?: number,
): Uint8ClampedArray {
  const key = `${stretch}|${colormap}|${gain ?? ''}`;
  let table = lutCache.get(key);
  if (!table) {
    table = composeTable(stretchTable(stretch, lutSize, gain), colormap);
    lutCache.set(key, table);
  }
  return table;
}

function composeTable(curve: Float32Array, colormap: ColormapName): Uint8ClampedArray {
  const colours = colormapTable(colormap);
  const table = new Uint8ClampedArray(curve.length * 3);
  for (let i = 0; i < curve.length; i++) {
    const j = Math.round(curve[i]! * (lutSize - 1)) * 3;
    table[i * 3] = colours[j]!;
    table[i * 3 + 1] = colours[j + 1]!;
    table[i * 3 + 2] = colours[j + 2]!;
  }
  return table;
}

/** Mean over bands: the single band shown for objects that are not drawn as RGB. */
export function luminance(pixels: PixelData): Float32Array {
  if (pixels.bands === 1) return pixels.data;
  const n = pixels.size * pixels.size;
  const out = new Float32Array(n);
  for (let p = 0; p < n; p++) {
    let sum = 0;
    for (let b = 0; b < pixels.bands; b++) sum += pixels.data[p * pixels.bands + b]!;
    out[p] = sum / pixels.bands;
  }
  return out;
}

/**
 * One set of limits for many objects (the grid's "one scale" option): the display mode applied
 * to all their pixels together, so that a background looks the same in every cell. Large
 * batches are sampled evenly down to about 2^18 values.
 */
export function sharedLimits(all: readonly PixelData[], mode: LimitMode, custom: Limits): Limits {
  if (mode === 'custom') return custom;
  const bands = all.map((pixels) => luminance(pixels));
  const total = bands.reduce((sum, band) => sum + band.length, 0);
  const step = Math.max(1, Math.ceil(total / 262_144));
  const sample = new Float32Array(Math.ceil(total / step) + bands.length);
  let n = 0;
  for (const band of bands) for (let i = 0; i < band.length; i += step) sample[n++] = band[i]!;
  return computeLimits(mode, sample.subarray(0, n), custom);
}

/** Writes size × size RGBA bytes for `pixels` into `out`. Returns the limits it used. */
export function renderPixels(
  pixels: PixelData,
  options: DisplayOptions,
  out: Uint8ClampedArray,
): Limits {
  if (pixels.bands === 3 && options.rgb) {
    const minimum: [number, number, number] = [0, 0, 0];
    let softest = Infinity;
    let noise = 0;
    for (let b = 0; b < 3; b++) {
      const limits =
        options.limits === 'custom'
          ? options.custom
          : cachedLimits(
              options.limits,
              channel(pixels.data, 3, b),
              options.custom,
              pixels.data,
              b,
            );
      minimum[b] = limits.lo;
      softest = Math.min(softest, limits.hi - limits.lo);
      noise += (limits.noise ?? NaN) / 3;
    }
    if (noise > 0 && softest > 0) {
      // Limits that measured the noise: soften by it, as the one-band asinh does. Lupton's
      // brightness asinh(Q·I/S)/Q with Q = asinh(span/β) and S = Q·β is asinh(I/β)/asinh(span/β):
      // linear within β of the black point, white at the top of the span.
      // Softened by 2σ, not 1σ: three bands' independent noise would otherwise speckle in colour.
      const soft = 2 * noise;
      const q = Math.asinh(softest / soft);
      luptonRgb(pixels.data, out, { q, stretch: q * soft, minimum });
    } else {
      luptonRgb(pixels.data, out, { q: 8, stretch: softest, minimum });
    }
    return { lo: Math.min(...minimum), hi: Math.min(...minimum) + softest };
  }
  const band = luminance(pixels);
  const limits = cachedLimits(options.limits, band, options.custom, pixels.data, -1);
  const table =
    options.stretch === 'histeq'
      ? composeTable(equalisationTable(band, limits.lo, limits.hi, lutSize), options.colormap)
      : displayTable(
          options.stretch,
          options.colormap,
          options.stretch === 'asinh' && limits.noise !== undefined
            ? noiseGain(limits.hi - limits.lo, limits.noise)
            : undefined,
        );
  const span = limits.hi - limits.lo;
  const scale = span > 0 ? (lutSize - 1) / span : 0;
  for (let p = 0; p < band.length; p++) {
    const v = band[p]!;
    let i = Number.isFinite(v) ? Math.round((v - limits.lo) * scale) : 0;
    if (i < 0) i = 0;
    else if (i >= lutSize) i = lutSize - 1;
    const o = p * 4;
    out[o] = table[i * 3]!;
    out[o + 1] = table[i * 3 + 1]!;
    out[o + 2] = table[i * 3 + 2]!;
    out[o + 3] = 255;
  }
  return limits;
}
