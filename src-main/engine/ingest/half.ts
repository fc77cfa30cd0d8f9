import { toFloat16Bits } from '../store/pixels';

/**
 * float32 → float16 bytes (little-endian), bit-identical to the store's encodeFloat16 but
 * about 3× faster: it works on the whole array's bits at once instead of one call and one
 * scratch round-trip per value. Normal-range values (all of a normalised cutout but exact
 * zeros and values under 6e-5) take the fast path; the rest go through toFloat16Bits.
 */
export function encodeFloat16Fast(values: Float32Array): Uint8Array {
  const n = values.length;
  const bits = new Uint32Array(values.buffer, values.byteOffset, n);
  const out = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const x = bits[i]!;
    const exponent = (x >>> 23) & 0xff;
    // float16 normal numbers: float32 exponents 113..142.
    if (exponent > 112 && exponent < 143) {
      const half = ((x >>> 16) & 0x8000) | ((exponent - 112) << 10) | ((x >>> 13) & 0x3ff);
      const rest = x & 0x1fff;
      // Round to nearest even; a carry into the exponent is the correct result.
      out[i] = half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0);
    } else out[i] = toFloat16Bits(values[i]!);
  }
  return new Uint8Array(out.buffer);
}
