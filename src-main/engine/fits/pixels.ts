/**
 * Big-endian pixel decoding for uncompressed images. One tight loop per BITPIX so the
 * common 64×64 cutout decodes in microseconds without per-pixel allocation.
 */

export type PixelArray = Float32Array | Float64Array;

const BIG_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 0;

export interface Scaling {
  bscale: number;
  bzero: number;
  /** The BLANK integer (raw, before scaling) or null. */
  blank: number | bigint | null;
}

/** A new plane of the element type decodesToFloat32 chooses. */
export function allocatePixels(bitpix: number, count: number): PixelArray {
  return decodesToFloat32(bitpix) ? new Float32Array(count) : new Float64Array(count);
}

/** astropy's choice: BITPIX 8/16/-32 give float32, 32/64/-64 need float64 to stay exact. */
function decodesToFloat32(bitpix: number): boolean {
  return bitpix === 8 || bitpix === 16 || bitpix === -32;
}

/*
 * Planes handed back by their reader once done (releasePixels), decoded into again instead of
 * allocating: ingest reads thousands of same-size cutouts, and a fresh 16 KB array per file
 * cost its zeroing, its bookkeeping as external memory and the garbage collections that
 * external memory brings on. Only a caller that says so gives an array back, so a plane
 * someone still holds is never overwritten.
 */
const spares: PixelArray[] = [];
const MAX_SPARES = 8;
/** A frame's plane is not kept: it is rare, and holding one would pin megabytes. */
const MAX_SPARE_BYTES = 1 << 20;

/** Hands back a plane that nothing will read again, for the next plain image of its size. */
export function releasePixels(data: PixelArray): void {
  const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
  if (!whole || data.byteLength === 0 || data.byteLength > MAX_SPARE_BYTES) return;
  if (spares.length >= MAX_SPARES || spares.includes(data)) return;
  spares.push(data);
}

/**
 * allocatePixels, or a released array of the same type and length with its old contents:
 * only for a decoder that writes every pixel.
 */
export function pixelsToOverwrite(bitpix: number, count: number): PixelArray {
  const float32 = decodesToFloat32(bitpix);
  for (let i = spares.length - 1; i >= 0; i--) {
    const spare = spares[i]!;
    const spareIsFloat32 = spare instanceof Float32Array;
    if (spare.length === count && spareIsFloat32 === float32) {
      spares[i] = spares[spares.length - 1]!;
      spares.pop();
      return spare;
    }
  }
  return allocatePixels(bitpix, count);
}

/** Writes all `out.length` pixels (callers rely on it to reuse arrays). */
export function decodePixels(
  bytes: Uint8Array,
  offset: number,
  bitpix: number,
  scaling: Scaling,
  out: PixelArray,
): void {
  const n = out.length;
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, n * (Math.abs(bitpix) / 8));
  const { bscale, bzero } = scaling;
  const scaled = bscale !== 1 || bzero !== 0;
  const blank = scaling.blank === null ? null : Number(scaling.blank);
  switch (bitpix) {
    case 8: {
      const src = bytes.subarray(offset, offset + n);
      for (let i = 0; i < n; i++) {
        const raw = src[i]!;
        out[i] = raw === blank ? NaN : scaled ? raw * bscale + bzero : raw;
      }
      return;
    }
    case 16:
      for (let i = 0; i < n; i++) {
        const raw = view.getInt16(i * 2);
        out[i] = raw === blank ? NaN : scaled ? raw * bscale + bzero : raw;
      }
      return;
    case 32:
      for (let i = 0; i < n; i++) {
        const raw = view.getInt32(i * 4);
        out[i] = raw === blank ? NaN : scaled ? raw * bscale + bzero : raw;
      }
      return;
    case 64: {
      const exactBlank = scaling.blank === null ? null : BigInt(scaling.blank);
      for (let i = 0; i < n; i++) {
        const raw = view.getBigInt64(i * 8);
        // BZERO 2^63 (unsigned 64-bit) is exact only in bigint arithmetic before rounding.
        out[i] =
          raw === exactBlank
            ? NaN
            : scaled
              ? bscale === 1 && Number.isInteger(bzero) && Math.abs(bzero) <= 2 ** 63
                ? Number(raw + BigInt(bzero))
                : Number(raw) * bscale + bzero
              : Number(raw);
      }
      return;
    }
    case -32:
      if (!scaled && out instanceof Float32Array) {
        // Copy the big-endian bytes straight into the output and byte-swap them natively.
        const target = new Uint8Array(out.buffer, out.byteOffset, n * 4);
        target.set(bytes.subarray(offset, offset + n * 4));
        if (BIG_ENDIAN_HOST) return;
        Buffer.from(target.buffer, target.byteOffset, target.length).swap32();
        return;
      }
      for (let i = 0; i < n; i++) {
        const raw = view.getFloat32(i * 4);
        out[i] = scaled ? raw * bscale + bzero : raw;
      }
      return;
    case -64:
      for (let i = 0; i < n; i++) {
        const raw = view.getFloat64(i * 8);
        out[i] = scaled ? raw * bscale + bzero : raw;
      }
      return;
    default:
      throw new Error(`decodePixels: BITPIX ${bitpix} was not validated`);
  }
}
