/** Colour maps as functions of t in [0, 1] → [r, g, b] in 0..255, and their lookup tables. */

export const colormapNames = ['grey', 'viridis', 'inferno', 'heat', 'inverted'] as const;
export type ColormapName = (typeof colormapNames)[number];

type Rgb = readonly [number, number, number];

// Control points sampled from matplotlib's perceptual maps (t = 0, 0.125, …, 1); linear
// interpolation between nine points stays within a few levels of the published tables.
const viridisStops: readonly Rgb[] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];
const infernoStops: readonly Rgb[] = [
  [0, 0, 4],
  [31, 12, 72],
  [85, 15, 109],
  [136, 34, 106],
  [186, 54, 85],
  [227, 89, 51],
  [249, 140, 10],
  [249, 201, 50],
  [252, 255, 164],
];

function interpolate(stops: readonly Rgb[], t: number): Rgb {
  const x = t * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** DS9's "heat": red rises first, then green, then blue. */
function heat(t: number): Rgb {
  const r = Math.min(1, t * 3);
  const g = Math.min(1, Math.max(0, t * 3 - 1));
  const b = Math.min(1, Math.max(0, t * 3 - 2));
  return [r * 255, g * 255, b * 255];
}

export function colour(name: ColormapName, t: number): Rgb {
  const c = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  switch (name) {
    case 'grey':
      return [c * 255, c * 255, c * 255];
    case 'inverted':
      return [(1 - c) * 255, (1 - c) * 255, (1 - c) * 255];
    case 'viridis':
      return interpolate(viridisStops, c);
    case 'inferno':
      return interpolate(infernoStops, c);
    case 'heat':
      return heat(c);
  }
}

/** Number of entries in every lookup table: fine enough that 8-bit output never bands. */
export const lutSize = 4096;

const colormapCache = new Map<ColormapName, Uint8ClampedArray>();

/** RGB triplets for lutSize evenly spaced t values; cached because maps never change. */
export function colormapTable(name: ColormapName): Uint8ClampedArray {
  let table = colormapCache.get(name);
  if (!table) {
    table = new Uint8ClampedArray(lutSize * 3);
    for (let i = 0; i < lutSize; i++) {
      const [r, g, b] = colour(name, i / (lutSize - 1));
      table[i * 3] = Math.round(r);
      table[i * 3 + 1] = Math.round(g);
      table[i * 3 + 2] = Math.round(b);
    }
    colormapCache.set(name, table);
  }
  return table;
}
