/**
 * A tiny protobuf *decoder* for tests only: splits a message into (field, value) pairs so tests
 * can check the ONNX bytes independently of onnxruntime.
 */
export type ProtoValue = bigint | Uint8Array | number;

export interface ProtoField {
  field: number;
  wireType: number;
  value: ProtoValue;
}

export function decodeFields(bytes: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = bytes[pos++];
      if (b === undefined) throw new Error('truncated varint');
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < bytes.length) {
    const key = Number(varint());
    const field = key >> 3;
    const wireType = key & 7;
    if (wireType === 0) fields.push({ field, wireType, value: varint() });
    else if (wireType === 2) {
      const length = Number(varint());
      if (pos + length > bytes.length) throw new Error('truncated length-delimited field');
      fields.push({ field, wireType, value: bytes.subarray(pos, pos + length) });
      pos += length;
    } else if (wireType === 5) {
      const view = new DataView(bytes.buffer, bytes.byteOffset + pos, 4);
      fields.push({ field, wireType, value: view.getFloat32(0, true) });
      pos += 4;
    } else throw new Error(`unexpected wire type ${wireType}`);
  }
  return fields;
}

export function fieldsNumbered(bytes: Uint8Array, field: number): ProtoValue[] {
  return decodeFields(bytes)
    .filter((f) => f.field === field)
    .map((f) => f.value);
}

export function text(value: ProtoValue | undefined): string {
  if (!(value instanceof Uint8Array)) throw new Error('not a length-delimited field');
  return new TextDecoder().decode(value);
}

export function bytesOf(value: ProtoValue | undefined): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new Error('not a length-delimited field');
  return value;
}
