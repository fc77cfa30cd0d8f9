/**
 * Plain descriptions of the few ONNX messages we emit, and their protobuf encoding. Field
 * numbers are those of onnx/onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto,
 * TensorProto, ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto).
 */
import { ProtoWriter } from './protobuf';

/** TensorProto.DataType values we use. */
export const OnnxDataType = { float: 1, int64: 7 } as const;

/** AttributeProto.AttributeType values we use. */
const AttributeType = { float: 1, int: 2, string: 3, ints: 7 } as const;

export type OnnxAttributeValue = number | string | ReadonlyArray<number>;

export interface OnnxNode {
  opType: string;
  name: string;
  inputs: ReadonlyArray<string>;
  outputs: ReadonlyArray<string>;
  /** Numbers that are integers are written as INT, others as FLOAT; arrays as INTS. */
  attributes?: Readonly<Record<string, OnnxAttributeValue>>;
  /** Force FLOAT for attributes whose value happens to be an integer (e.g. alpha = 1). */
  floatAttributes?: ReadonlyArray<string>;
}

export interface OnnxInitializer {
  name: string;
  dims: ReadonlyArray<number>;
  /** float32 data, row-major in `dims` order. */
  data: Float32Array;
}

/** A tensor graph input/output; a string dimension is symbolic (e.g. the batch "N"). */
export interface OnnxValueInfo {
  name: string;
  dims: ReadonlyArray<number | string>;
}

export interface OnnxGraph {
  name: string;
  nodes: ReadonlyArray<OnnxNode>;
  initializers: ReadonlyArray<OnnxInitializer>;
  inputs: ReadonlyArray<OnnxValueInfo>;
  outputs: ReadonlyArray<OnnxValueInfo>;
}

export interface OnnxModel {
  /** IR version 7 pairs with opset 12–13 (onnx docs/Versioning.md). */
  irVersion: number;
  opsetVersion: number;
  producerName: string;
  producerVersion: string;
  docString?: string;
  graph: OnnxGraph;
}

export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.varint(1, model.irVersion);
  w.string(2, model.producerName);
  w.string(3, model.producerVersion);
  if (model.docString) w.string(6, model.docString);
  w.message(7, (g) => writeGraph(g, model.graph));
  // OperatorSetIdProto: domain (1) left empty = the default ai.onnx domain; version (2).
  w.message(8, (opset) => opset.varint(2, model.opsetVersion));
  return w.finish();
}

function writeGraph(w: ProtoWriter, graph: OnnxGraph): void {
  for (const node of graph.nodes) w.message(1, (n) => writeNode(n, node));
  w.string(2, graph.name);
  for (const init of graph.initializers) w.message(5, (t) => writeTensor(t, init));
  for (const input of graph.inputs) w.message(11, (v) => writeValueInfo(v, input));
  for (const output of graph.outputs) w.message(12, (v) => writeValueInfo(v, output));
}

function writeNode(w: ProtoWriter, node: OnnxNode): void {
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, node.name);
  w.string(4, node.opType);
  const forceFloat = new Set(node.floatAttributes ?? []);
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    w.message(5, (a) => writeAttribute(a, name, value, forceFloat.has(name)));
  }
}

function writeAttribute(
  w: ProtoWriter,
  name: string,
  value: OnnxAttributeValue,
  asFloat: boolean,
): void {
  w.string(1, name);
  if (typeof value === 'string') {
    w.varint(20, AttributeType.string).string(4, value);
  } else if (typeof value === 'number') {
    if (Number.isInteger(value) && !asFloat) w.varint(20, AttributeType.int).varint(3, value);
    else w.varint(20, AttributeType.float).float(2, value);
  } else {
    w.varint(20, AttributeType.ints).repeatedVarints(8, value);
  }
}

function writeTensor(w: ProtoWriter, tensor: OnnxInitializer): void {
  const expected = tensor.dims.reduce((a, b) => a * b, 1);
  if (expected !== tensor.data.length) {
    throw new RangeError(
      `initializer ${tensor.name}: dims [${tensor.dims.join(', ')}] need ${expected} values, got ${tensor.data.length}`,
    );
  }
  w.repeatedVarints(1, tensor.dims);
  w.varint(2, OnnxDataType.float);
  w.string(8, tensor.name);
  w.bytes(9, float32LittleEndian(tensor.data));
}

function writeValueInfo(w: ProtoWriter, info: OnnxValueInfo): void {
  w.string(1, info.name);
  // TypeProto.tensor_type (1) → Tensor{elem_type (1), shape (2) → TensorShapeProto{dim (1)}}.
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.varint(1, OnnxDataType.float);
      tensor.message(2, (shape) => {
        for (const dim of info.dims) {
          shape.message(1, (d) => (typeof dim === 'string' ? d.string(2, dim) : d.varint(1, dim)));
        }
      });
    }),
  );
}

/** raw_data must be little-endian IEEE 754 whatever the host's byte order. */
function float32LittleEndian(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i] as number, true);
  return out;
}
