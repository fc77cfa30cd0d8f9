/**
 * Packing of cutout pixels for storage. float16 halves the database (a 64×64 cutout is
 * 8 KiB instead of 16) and keeps ~3 significant digits over a huge range, which is more
 * than display stretches or the CNN can use. Node 20 has no Float16Array, hence the code.
 */
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function toFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0); // Inf / NaN
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow → Inf
  if (e <= 0) {
    if (e < -10) return sign; // underflow → ±0
    mantissa |= 0x800000;
    const shift = 14 - e;
    const half = mantissa >> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    return sign | (half + (rest > halfway || (rest === halfway && half & 1) ? 1 : 0));
  }
  const half = sign | (e << 10) | (mantissa >> 13);
  const rest = mantissa & 0x1fff;
  // Round to nearest even; a carry into the exponent is the correct result.
  return half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0);
}

export function fromFloat16Bits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

export function encodeFloat16(values: Float32Array): Uint8Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = toFloat16Bits(values[i]!);
  return new Uint8Array(out.buffer);
}

let table: Float32Array | undefined;

/** Decodes into `out` when given (reused buffers keep scoring 10^6 objects allocation-free). */
export function decodeFloat16(bytes: Uint8Array, out?: Float32Array): Float32Array {
  // A 65,536-entry table makes decoding one load per pixel.
  if (!table) {
    table = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) table[h] = fromFloat16Bits(h);
  }
  const n = bytes.byteLength >> 1;
  const target = out ?? new Float32Array(n);
  const halves =
    bytes.byteOffset % 2 === 0
      ? new Uint16Array(bytes.buffer, bytes.byteOffset, n)
      : new Uint16Array(bytes.slice().buffer, 0, n);
  // Stored little-endian; every platform Electron ships on is little-endian.
  for (let i = 0; i < n; i++) target[i] = table[halves[i]!]!;
  return target;
}
