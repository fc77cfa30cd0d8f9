/**
 * A minimal protobuf *encoder* — just what writing an ONNX file needs. No protobuf package is
 * installed, and the ONNX messages we emit use only varints, 32-bit floats and length-delimited
 * fields (strings, bytes, nested messages, packed repeated scalars).
 *
 * Messages are built bottom-up: a nested message is encoded to bytes first, then embedded with
 * its length prefix. That costs one copy per nesting level, which is fine for a model of a few
 * hundred kilobytes.
 */

/** Protobuf wire types (encoding spec). Only these three are ever written. */
export const WireType = { varint: 0, lengthDelimited: 2, fixed32: 5 } as const;
type WireTypeValue = (typeof WireType)[keyof typeof WireType];

const utf8 = new TextEncoder();
const TWO_POW_64 = 1n << 64n;

export class ProtoWriter {
  private buffer = new Uint8Array(256);
  private length = 0;

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < this.length + extra) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  private byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  /**
   * Base-128 varint. Negative int32/int64 values are written as their 64-bit two's complement
   * (10 bytes), as protobuf requires for `int64` fields such as ONNX's axis = -1.
   */
  rawVarint(value: number | bigint): void {
    let v = typeof value === 'bigint' ? value : BigInt(assertInteger(value));
    if (v < 0n) v += TWO_POW_64;
    if (v < 0n || v >= TWO_POW_64) throw new RangeError(`varint out of 64-bit range: ${value}`);
    // Fast path keeps the common small values out of BigInt arithmetic in the loop.
    if (v < 0x80n) {
      this.byte(Number(v));
      return;
    }
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }

  private tag(field: number, wireType: WireTypeValue): void {
    if (!Number.isInteger(field) || field < 1) throw new RangeError(`bad field number ${field}`);
    this.rawVarint(field * 8 + wireType);
  }

  varint(field: number, value: number | bigint): this {
    this.tag(field, WireType.varint);
    this.rawVarint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, WireType.fixed32);
    this.reserve(4);
    new DataView(this.buffer.buffer).setFloat32(this.length, value, true);
    this.length += 4;
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WireType.lengthDelimited);
    this.rawVarint(value.length);
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  /** A nested message, encoded by `write` into its own writer. */
  message(field: number, write: (inner: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    write(inner);
    return this.bytes(field, inner.finish());
  }

  /**
   * A repeated varint field written unpacked (one tag per value): onnx.proto is proto2 and
   * declares `dims` and `ints` without `[packed = true]`, so this is what protoc itself emits.
   */
  repeatedVarints(field: number, values: ReadonlyArray<number | bigint>): this {
    for (const value of values) this.varint(field, value);
    return this;
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

function assertInteger(value: number): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`varint needs a safe integer: ${value}`);
  return value;
}
