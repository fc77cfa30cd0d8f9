import { toFloat16Bits } from '../store/pixels';
import { selectKth } from './select';

/**
 * The scaling of one band of one object, enough to undo it exactly:
 *   stored = asinh((value − lo) / soft) / asinh((hi − lo) / soft), clipped to [0, 1]
 *   value  = lo + soft · sinh(stored · asinh((hi − lo) / soft))
 *
 * Why asinh between robust percentiles: survey cutouts span several decades (a galaxy core
 * is 10^3× its faint tidal tail), and a linear [0, 1] map would leave tails, arcs and rings
 * — the anomalies we hunt — in the bottom 1 % where neither the CNN nor the eye sees them.
 * asinh is linear within ~soft (the noise σ) of the sky and logarithmic above, so noise,
 * faint structure and bright cores all get a share of [0, 1] (Lupton et al. 1999). lo is the
 * 0.5th percentile (just under the sky) and hi the 99.95th (a cosmic ray or hot pixel clips
 * at 1 instead of darkening the rest). Because the map is invertible, a display stretch in
 * the renderer can recover original units and re-stretch (linear, log, zscale) as it likes.
 */
export interface BandScale {
  lo: number;
  hi: number;
  soft: number;
}

export const LOW_QUANTILE = 0.005;
export const HIGH_QUANTILE = 0.9995;

export interface NormaliseResult {
  scale: BandScale;
  /** Pixels that were NaN/±Inf (blank or off the frame) and were written as 0. */
  blank: number;
}

let scratch = new Float32Array(0);
let sample = new Float32Array(0);
let stretched = new Float32Array(0);
const topKept = new Float64Array(64);
const lowKept = new Float64Array(64);

/**
 * Normalises `source` (one band) and writes it as float16 bits into
 * `out[offset + i * stride]`, so bands land interleaved (HWC, the layout tfjs wants) and
 * ready to store, with no float32 copy and no separate encoding pass: ingestion runs this
 * for every pixel, and each pass over a cutout cost as much as the arithmetic. Float32Array
 * input only: one element type keeps these loops monomorphic.
 */
export function normaliseBand(
  source: Float32Array,
  out: Uint16Array,
  offset = 0,
  stride = 1,
): NormaliseResult {
  const count = source.length;
  if (stretched.length < count) stretched = new Float32Array(count);
  // A cutout usually has no blank pixel: then one pass finds hi and proves it, and the
  // statistics read the cutout where it is, without a copy.
  const hiWithoutBlanks = count > 0 ? kthLargestOrBlank(source, count, highRank(count)) : NaN;
  if (hiWithoutBlanks === hiWithoutBlanks) {
    return stretchBand(source, out, offset, stride, robustScale(source, count, hiWithoutBlanks), 0);
  }
  let n = 0;
  for (let i = 0; i < count; i++) {
    const v = source[i]!;
    // v − v is 0 for finite numbers and NaN for NaN and ±Infinity.
    if (v - v === 0) n++;
  }
  const blank = count - n;
  if (n === 0) {
    for (let i = 0; i < count; i++) out[offset + i * stride] = 0;
    return { scale: { lo: 0, hi: 1, soft: 1 }, blank };
  }
  // The statistics take the finite values in order.
  if (scratch.length < count) scratch = new Float32Array(count);
  for (let i = 0, j = 0; i < count; i++) {
    const v = source[i]!;
    if (v - v === 0) scratch[j++] = v;
  }
  return stretchBand(source, out, offset, stride, robustScale(scratch, n), blank);
}

/** Writes the stretched band as float16 (see normaliseBand); blank pixels store 0. */
function stretchBand(
  source: Float32Array,
  out: Uint16Array,
  offset: number,
  stride: number,
  scale: BandScale,
  blank: number,
): NormaliseResult {
  const count = source.length;
  const inverseSoft = 1 / scale.soft;
  for (let i = 0; i < count; i++) {
    const z = (source[i]! - scale.lo) * inverseSoft;
    // Below lo (and NaN, which fails z > 0) stores 0.
    stretched[i] = z > 0 ? z : 0;
  }
  asinhInPlace(stretched, count, 1 / Math.asinh((scale.hi - scale.lo) * inverseSoft));
  writeHalves(stretched, count, out, offset, stride);
  return { scale, blank };
}

/**
 * float16 bits of values in [0, 1] (as normaliseBand makes them), bit-identical to the
 * store's encodeFloat16. For normal float16 numbers (float32 exponents above 112) the
 * float32 bits shifted right by 13 are already exponent-and-mantissa, with the exponent
 * biased by 112 too much; adding 0xfff plus the kept mantissa's lowest bit before the shift
 * rounds to nearest even, and a carry into the exponent is the correct result. Exact zeros
 * and values under 6e-5 go through toFloat16Bits.
 */
export function writeHalves(
  values: Float32Array,
  n: number,
  out: Uint16Array,
  offset: number,
  stride: number,
): void {
  const bits = new Uint32Array(values.buffer, values.byteOffset, n);
  for (let i = 0; i < n; i++) {
    const x = bits[i]!;
    out[offset + i * stride] =
      x > 0x387fffff // exponent > 112 (sign is 0: values are ≥ 0)
        ? ((x + 0xfff + ((x >>> 13) & 1)) >>> 13) - 0x1c000
        : x === 0
          ? 0
          : toFloat16Bits(values[i]!);
  }
}

/*
 * asinh by table: the float32 bits of z, read as an integer, are a piecewise-linear log2
 * of z, so their top 16 bits index 256 segments per octave and the low bits interpolate
 * within one. Relative error < 1e-6 (float16 keeps 5e-4), and ~10× faster than Math.asinh
 * or log/sqrt in V8, which dominated ingestion time.
 */
const SEGMENT_SHIFT = 15; // 23 mantissa bits − 8 bits of segment within an octave
const MIN_EXPONENT = -24; // below 2^-24, asinh z = z to float precision
const MAX_EXPONENT = 40;
const TABLE_BASE = (MIN_EXPONENT + 127) << (23 - SEGMENT_SHIFT);
const TABLE_SIZE = (MAX_EXPONENT - MIN_EXPONENT) << (23 - SEGMENT_SHIFT);
const FRACTION_MASK = (1 << SEGMENT_SHIFT) - 1;
const FRACTION_SCALE = 1 / (1 << SEGMENT_SHIFT);
const asinhTable = (() => {
  const table = new Float64Array(TABLE_SIZE + 1);
  const f = new Float32Array(1);
  const bits = new Uint32Array(f.buffer);
  for (let k = 0; k <= TABLE_SIZE; k++) {
    bits[0] = (k + TABLE_BASE) << SEGMENT_SHIFT;
    table[k] = Math.asinh(f[0]!);
  }
  return table;
})();

/**
 * values[i] ← min(1, asinh(values[i]) · factor) for values ≥ 0 (as normaliseBand prepares
 * them); the scaling and clipping ride along so the cutout is walked once.
 */
export function asinhInPlace(values: Float32Array, n: number, factor: number): void {
  const bits = new Uint32Array(values.buffer, values.byteOffset, n);
  for (let i = 0; i < n; i++) {
    const b = bits[i]!;
    const k = (b >>> SEGMENT_SHIFT) - TABLE_BASE;
    let y: number;
    if (k < 0)
      y = values[i]!; // tiny z (or 0): asinh z = z
    else if (k >= TABLE_SIZE) y = Math.asinh(values[i]!);
    else {
      const a = asinhTable[k]!;
      y = a + (asinhTable[k + 1]! - a) * ((b & FRACTION_MASK) * FRACTION_SCALE);
    }
    y *= factor;
    values[i] = y > 1 ? 1 : y;
  }
}

/**
 * lo/hi/soft from the finite values in `values[0..n)` (left unchanged). The median,
 * lo and the noise σ come from an even grid of ~1,000 pixels (sky statistics need no
 * more); hi, a rank among the few brightest, comes from every pixel in one pass.
 */
export function robustScale(
  values: Float32Array,
  n: number,
  // Finite values: never NaN from here.
  hi = kthLargestOrBlank(values, n, highRank(n)),
): BandScale {
  const step = n > 2048 ? Math.floor(n / 1024) : 1;
  const m = Math.ceil(n / step);
  const last = m - 1;
  const mid = last >> 1;
  const lo = takeSample(values, n, step, Math.floor(LOW_QUANTILE * last));
  const median = selectKth(sample, mid, 0, last);
  for (let i = 0; i < m; i++) sample[i] = Math.abs(sample[i]! - median);
  const sigma = 1.4826 * selectKth(sample, mid, 0, last);
  let top = hi;
  if (!(top > lo)) top = lo + (Math.abs(lo) > 0 ? Math.abs(lo) * 1e-6 : 1);
  // A noiseless or quantised image has MAD 0; soften at 1/1000 of the range instead.
  const soft = sigma > 0 ? Math.min(sigma, top - lo) : (top - lo) / 1000;
  return { lo, hi: top, soft };
}

/**
 * Copies every step-th value into `sample` and returns the k-th smallest of them (0 = the
 * minimum), for small k: lo rides along the copy, one comparison per value, instead of
 * costing a select of its own.
 */
function takeSample(values: Float32Array, n: number, step: number, k: number): number {
  const m = Math.ceil(n / step);
  if (sample.length < m) sample = new Float32Array(m);
  const size = k + 1;
  // Descending: low[0] is the largest kept.
  const low = size <= lowKept.length ? lowKept : new Float64Array(size);
  low.fill(Infinity, 0, size);
  let bar = Infinity;
  for (let i = 0, j = 0; i < n; i += step) {
    const v = values[i]!;
    sample[j++] = v;
    if (v >= bar) continue;
    let at = 1;
    while (at < size && low[at]! > v) {
      low[at - 1] = low[at]!;
      at++;
    }
    low[at - 1] = v;
    bar = low[0]!;
  }
  return low[0]!;
}

/** hi's rank among n values, counted from the top (0 = the maximum). */
function highRank(n: number): number {
  return n - 1 - Math.ceil(HIGH_QUANTILE * (n - 1));
}

/**
 * The k-th largest (0 = the maximum) of values[0..n), for small k, in one pass; NaN as soon
 * as a NaN or ±Infinity shows up (they all fail the entry bar's test or reach the slow
 * path, where v − v tells them apart).
 */
function kthLargestOrBlank(values: Float32Array, n: number, k: number): number {
  const size = k + 1;
  // Ascending: top[0] is the smallest kept. A cutout needs 3; only huge images allocate.
  const top = size <= topKept.length ? topKept : new Float64Array(size);
  top.fill(-Infinity, 0, size);
  // The entry bar in a local: almost every pixel is turned away by this one comparison.
  let bar = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v <= bar && v > -Infinity) continue;
    if (v - v !== 0) return NaN;
    insertKept(top, size, v);
    bar = top[0]!;
  }
  return top[0]!;
}

/** Inserts v into the ascending top[0..size), dropping the smallest kept. */
function insertKept(top: Float64Array, size: number, v: number): void {
  let j = 1;
  while (j < size && top[j]! < v) {
    top[j - 1] = top[j]!;
    j++;
  }
  top[j - 1] = v;
}

/** Original units from stored values (the inverse of normaliseBand for one band). */
export function denormalise(stored: ArrayLike<number>, scale: BandScale): Float32Array {
  const span = Math.asinh((scale.hi - scale.lo) / scale.soft);
  const out = new Float32Array(stored.length);
  for (let i = 0; i < stored.length; i++) {
    out[i] = scale.lo + scale.soft * Math.sinh(stored[i]! * span);
  }
  return out;
}
