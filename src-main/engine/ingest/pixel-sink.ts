/**
 * The working buffer of the last finished sink, for the next one: a chunk of 256 cutouts
 * grows a fresh buffer from 1 MB to 2 MB, and every fresh megabyte costs page faults and a
 * copy. Taken (not shared) by the next sink, so chunks decoded concurrently never mix.
 */
let spare: ArrayBuffer | null = null;

/**
 * One chunk's packed pixels, written straight into a single growing buffer that is then
 * transferred (not copied) to the writing thread. FITS objects write their float16 pixels
 * in place through `reserveHalves`, so no per-object array is allocated, copied or
 * collected; decoded JPEG/PNG bytes are copied in with `add`.
 */
export class PixelSink {
  private buffer = takeSpare();
  private length = 0;

  /** Space for `byteLength` bytes at an even offset (so float16 views line up). */
  private reserve(byteLength: number): number {
    const offset = (this.length + 1) & ~1;
    if (offset + byteLength > this.buffer.byteLength) {
      const grown = new ArrayBuffer(Math.max(this.buffer.byteLength * 2, offset + byteLength));
      new Uint8Array(grown).set(new Uint8Array(this.buffer, 0, this.length));
      this.buffer = grown;
    }
    this.length = offset + byteLength;
    return offset;
  }

  /** Space for `count` float16 values; `offset`/`length` are in bytes in the final buffer. */
  reserveHalves(count: number): { offset: number; length: number; halves: Uint16Array } {
    const offset = this.reserve(count * 2);
    return { offset, length: count * 2, halves: new Uint16Array(this.buffer, offset, count) };
  }

  /** Copies bytes in; returns where they start in the final buffer. */
  add(bytes: Uint8Array): { offset: number; length: number } {
    const offset = this.reserve(bytes.byteLength);
    new Uint8Array(this.buffer, offset, bytes.byteLength).set(bytes);
    return { offset, length: bytes.byteLength };
  }

  /** An exact-size copy of what was written (to transfer); the working buffer is kept. */
  finish(): ArrayBuffer {
    const out = this.buffer.slice(0, this.length);
    if (this.buffer.byteLength <= MAX_SPARE_BYTES) spare = this.buffer;
    this.buffer = new ArrayBuffer(0);
    this.length = 0;
    return out;
  }
}

/** A frame's chunk can hold 100 MB of cutouts: such a buffer is not kept. */
const MAX_SPARE_BYTES = 16 << 20;

function takeSpare(): ArrayBuffer {
  const buffer = spare ?? new ArrayBuffer(1 << 20);
  spare = null;
  return buffer;
}
