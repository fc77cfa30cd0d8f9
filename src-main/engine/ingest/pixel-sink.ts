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
  private buffer: ArrayBuffer;
  private length = 0;

  /**
   * `expectedBytes`, when the caller can tell how much the chunk will hold (a chunk of
   * cutouts, one object each): the buffer is made exactly that size, and if the guess holds
   * it is transferred as it is, without the copy into an exact-size buffer.
   */
  constructor(expectedBytes: number | null = null) {
    this.buffer =
      expectedBytes !== null && expectedBytes > 0 && expectedBytes <= MAX_SPARE_BYTES
        ? new ArrayBuffer(expectedBytes)
        : takeSpare();
  }

  /** Bytes written so far. */
  get byteLength(): number {
    return this.length;
  }

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

  /**
   * What was written, in an exact-size buffer to transfer: the working buffer itself when it
   * is full, else a copy (and the working buffer is kept for the next sink).
   */
  finish(): ArrayBuffer {
    if (this.length === this.buffer.byteLength) {
      const full = this.buffer;
      this.buffer = new ArrayBuffer(0);
      this.length = 0;
      return full;
    }
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
