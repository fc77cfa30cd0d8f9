/**
 * RICE_1 decompression as defined by the FITS tiled-image convention (Pence et al.; the
 * algorithm of Rice, Yeh & Miller). The stream: the first pixel raw (bytePix bytes, big-endian),
 * then per block of `blockSize` pixels a code-length selector `fs` of fsBits bits:
 *   fs < 0          → every difference in the block is zero,
 *   fs == fsMax     → differences stored verbatim in 8·bytePix bits,
 *   otherwise       → each difference as unary(high bits) + fs low bits.
 * Differences are zig-zag mapped (even → positive, odd → negative) and accumulate with
 * wrap-around at the pixel width, so the output matches the C integer types exactly.
 */

const FS_BITS = { 1: 3, 2: 4, 4: 5 } as const;
const FS_MAX = { 1: 6, 2: 14, 4: 25 } as const;

export class RiceError extends Error {}

export function riceDecompress(
  input: Uint8Array,
  out: Float64Array,
  pixelCount: number,
  blockSize: number,
  bytePix: 1 | 2 | 4,
): void {
  const fsBits = FS_BITS[bytePix];
  const fsMax = FS_MAX[bytePix];
  const bBits = bytePix * 8;
  const length = input.length;
  if (length < bytePix) throw new RiceError('the tile is shorter than its first pixel');
  if (blockSize <= 0) throw new RiceError('BLOCKSIZE must be positive');

  let pos = 0;
  let last = 0;
  for (let i = 0; i < bytePix; i++) last = last * 256 + input[pos++]!;
  last = wrap(last, bytePix);

  // `bits` holds `nBits` not-yet-consumed bits, right-aligned; never more than 31.
  let bits = 0;
  let nBits = 0;
  const fsMask = (1 << fsBits) - 1;
  for (let start = 0; start < pixelCount; start += blockSize) {
    const end = Math.min(start + blockSize, pixelCount);
    while (nBits < fsBits) {
      if (pos >= length) throw new RiceError('the compressed stream ends early');
      bits = ((bits << 8) | input[pos++]!) >>> 0;
      nBits += 8;
    }
    nBits -= fsBits;
    const fs = ((bits >>> nBits) & fsMask) - 1;
    bits &= nBits === 0 ? 0 : 0xffffffff >>> (32 - nBits);

    if (fs < 0) {
      for (let i = start; i < end; i++) out[i] = last;
      continue;
    }
    if (fs === fsMax) {
      for (let i = start; i < end; i++) {
        let diff = 0;
        let need = bBits;
        // Take the whole bBits field bit-group by bit-group; floats keep 32-bit values exact.
        while (need > 0) {
          if (nBits === 0) {
            if (pos >= length) throw new RiceError('the compressed stream ends early');
            bits = input[pos++]!;
            nBits = 8;
          }
          const take = Math.min(need, nBits);
          nBits -= take;
          diff = diff * 2 ** take + ((bits >>> nBits) & ((1 << take) - 1));
          bits &= nBits === 0 ? 0 : (1 << nBits) - 1;
          need -= take;
        }
        last = wrap(last + unzigzag(diff), bytePix);
        out[i] = last;
      }
      continue;
    }
    if (fs > fsMax) throw new RiceError(`invalid code length ${fs}`);
    for (let i = start; i < end; i++) {
      // Unary part: count zero bits up to the next one-bit.
      let zeros = 0;
      while (bits === 0) {
        if (pos >= length) throw new RiceError('the compressed stream ends early');
        zeros += nBits;
        bits = input[pos++]!;
        nBits = 8;
      }
      const width = 32 - Math.clz32(bits);
      zeros += nBits - width;
      nBits = width - 1;
      bits &= nBits === 0 ? 0 : (1 << nBits) - 1;
      // Low fs bits.
      while (nBits < fs) {
        if (pos >= length) throw new RiceError('the compressed stream ends early');
        bits = ((bits << 8) | input[pos++]!) >>> 0;
        nBits += 8;
      }
      nBits -= fs;
      const low = fs === 0 ? 0 : (bits >>> nBits) & (fs === 32 ? 0xffffffff : (1 << fs) - 1);
      bits &= nBits === 0 ? 0 : (1 << nBits) - 1;
      const diff = zeros * 2 ** fs + low;
      last = wrap(last + unzigzag(diff), bytePix);
      out[i] = last;
    }
  }
}

/** Zig-zag inverse on an unsigned value that may exceed 2^31 (kept exact as a double). */
function unzigzag(diff: number): number {
  const half = Math.floor(diff / 2);
  return diff % 2 === 0 ? half : -half - 1;
}

/** Wraps to the signed C type of the tile: 8-bit is unsigned char, 16/32-bit are signed. */
function wrap(value: number, bytePix: 1 | 2 | 4): number {
  if (bytePix === 1) return value & 0xff;
  if (bytePix === 2) return (value << 16) >> 16;
  return value | 0;
}
