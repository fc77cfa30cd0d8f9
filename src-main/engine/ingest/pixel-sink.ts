/**
 * Buffers whose pixels were written, handed back by the writing thread (see
 * Decoder.release): the next chunks pack into them. A fresh 2 MB buffer per chunk cost ~500
 * page faults, and an exact-size copy to transfer cost as much again; now neither happens.
 * Each buffer is taken by one sink at a time, so chunks decoded concurrently never mix.
 */
const returned: ArrayBuffer[] = [];
/** A few cover the chunks in flight; a frame's 100 MB chunk buffer is not worth keeping. */
const MAX_KEPT = 4;
const MAX_KEPT_BYTES = 16 << 20;

/** Takes back a buffer the writer is done with. */
export function keepBuffer(buffer: ArrayBuffer): void {
  if (returned.length < MAX_KEPT && buffer.byteLength > 0 && buffer.byteLength <= MAX_KEPT_BYTES)
    returned.push(buffer);
}

/**
 * One chunk's packed pixels, written straight into a single growing buffer that is then
 * transferred (not copied) to the writing thread, which hands it back once written. FITS
 * objects write their float16 pixels in place through `reserveHalves`, so no per-object
 * array is allocated, copied or collected; decoded JPEG/PNG bytes are copied in with `add`.
 */
export class PixelSink {
  private buffer = returned.pop() ?? new ArrayBuffer(1 << 20);
  private length = 0;

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
   * What was written: a view of exactly those bytes over the working buffer, which leaves
   * with it (transfer `view.buffer`; the writer hands it back through Decoder.release).
   */
  finish(): Uint8Array<ArrayBuffer> {
    const written = new Uint8Array(this.buffer, 0, this.length);
    this.buffer = new ArrayBuffer(0);
    this.length = 0;
    return written;
  }
}
