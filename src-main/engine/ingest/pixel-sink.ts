/** Collects each object's packed pixels for one chunk, then hands them over as one buffer. */
export class PixelSink {
  private parts: Uint8Array[] = [];
  private length = 0;

  /** Appends bytes; returns where they start in the final buffer. */
  add(bytes: Uint8Array): { offset: number; length: number } {
    const offset = this.length;
    this.parts.push(bytes);
    this.length += bytes.byteLength;
    return { offset, length: bytes.byteLength };
  }

  finish(): ArrayBuffer {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.byteLength;
    }
    this.parts = [];
    return out.buffer;
  }
}
