/**
 * Plain descriptions of the few ONNX messages we emit, and their protobuf encoding. The wire
 * format is protobufjs's; the schema below is the part of onnx/onnx.proto we write, with its
 * field names and numbers (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
 * ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto). onnx.proto is proto2:
 * its repeated integers are not packed, so neither are ours (what protoc itself writes).
 */
import protobuf from 'protobufjs';

/** TensorProto.DataType values we use. */
export const OnnxDataType = { float: 1, uint8: 2, int8: 3, int32: 6, int64: 7 } as const;

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
  /** Empty for a scalar. */
  dims: ReadonlyArray<number>;
  /** Row-major in `dims` order; the array type gives the tensor's element type. */
  data: Float32Array | Int8Array | Uint8Array | Int32Array;
}

/**
 * A float32 tensor graph input/output; a string dimension is symbolic (e.g. the batch "N").
 * `dims: null` leaves the shape to onnxruntime's inference (outputs added for calibration).
 */
export interface OnnxValueInfo {
  name: string;
  dims: ReadonlyArray<number | string> | null;
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
  const message = {
    irVersion: model.irVersion,
    producerName: model.producerName,
    producerVersion: model.producerVersion,
    docString: model.docString || undefined,
    graph: graphMessage(model.graph),
    // The default (ai.onnx) domain is the empty one.
    opsetImport: [{ version: model.opsetVersion }],
  };
  const ModelProto = onnxSchema().lookupType('onnx.ModelProto');
  return ModelProto.encode(ModelProto.fromObject(message)).finish();
}

function graphMessage(graph: OnnxGraph): object {
  return {
    node: graph.nodes.map(nodeMessage),
    name: graph.name,
    initializer: graph.initializers.map(tensorMessage),
    input: graph.inputs.map(valueInfoMessage),
    output: graph.outputs.map(valueInfoMessage),
  };
}

function nodeMessage(node: OnnxNode): object {
  const forceFloat = new Set(node.floatAttributes ?? []);
  return {
    input: node.inputs,
    output: node.outputs,
    name: node.name,
    opType: node.opType,
    attribute: Object.entries(node.attributes ?? {}).map(([name, value]) =>
      attributeMessage(name, value, forceFloat.has(name)),
    ),
  };
}

function attributeMessage(name: string, value: OnnxAttributeValue, asFloat: boolean): object {
  if (typeof value === 'string') return { name, type: AttributeType.string, s: Buffer.from(value) };
  if (typeof value === 'number') {
    return Number.isInteger(value) && !asFloat
      ? { name, type: AttributeType.int, i: value }
      : { name, type: AttributeType.float, f: value };
  }
  return { name, type: AttributeType.ints, ints: value };
}

function tensorMessage(tensor: OnnxInitializer): object {
  const expected = tensor.dims.reduce((a, b) => a * b, 1);
  if (expected !== tensor.data.length) {
    throw new RangeError(
      `initializer ${tensor.name}: dims [${tensor.dims.join(', ')}] need ${expected} values, got ${tensor.data.length}`,
    );
  }
  return {
    dims: tensor.dims,
    dataType: dataTypeOf(tensor.data),
    name: tensor.name,
    rawData: littleEndianBytes(tensor.data),
  };
}

function dataTypeOf(data: OnnxInitializer['data']): number {
  if (data instanceof Float32Array) return OnnxDataType.float;
  if (data instanceof Int8Array) return OnnxDataType.int8;
  if (data instanceof Uint8Array) return OnnxDataType.uint8;
  return OnnxDataType.int32;
}

function valueInfoMessage(info: OnnxValueInfo): object {
  const tensorType: Record<string, unknown> = { elemType: OnnxDataType.float };
  if (info.dims) {
    const dim = info.dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
    tensorType['shape'] = { dim };
  }
  return { name: info.name, type: { tensorType } };
}

/** raw_data must be little-endian (IEEE 754 for floats) whatever the host's byte order. */
function littleEndianBytes(data: OnnxInitializer['data']): Uint8Array {
  if (data instanceof Int8Array || data instanceof Uint8Array) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  }
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  if (data instanceof Float32Array) {
    for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i] as number, true);
  } else {
    for (let i = 0; i < data.length; i++) view.setInt32(i * 4, data[i] as number, true);
  }
  return out;
}

let schema: protobuf.Root | null = null;

/** The messages we write, as onnx.proto declares them (names, numbers, types). */
function onnxSchema(): protobuf.Root {
  const unpacked = { packed: false };
  schema ??= protobuf.Root.fromJSON({
    nested: {
      onnx: {
        nested: {
          ModelProto: {
            fields: {
              irVersion: { id: 1, type: 'int64' },
              producerName: { id: 2, type: 'string' },
              producerVersion: { id: 3, type: 'string' },
              docString: { id: 6, type: 'string' },
              graph: { id: 7, type: 'GraphProto' },
              opsetImport: { id: 8, type: 'OperatorSetIdProto', rule: 'repeated' },
            },
          },
          OperatorSetIdProto: {
            fields: { domain: { id: 1, type: 'string' }, version: { id: 2, type: 'int64' } },
          },
          GraphProto: {
            fields: {
              node: { id: 1, type: 'NodeProto', rule: 'repeated' },
              name: { id: 2, type: 'string' },
              initializer: { id: 5, type: 'TensorProto', rule: 'repeated' },
              input: { id: 11, type: 'ValueInfoProto', rule: 'repeated' },
              output: { id: 12, type: 'ValueInfoProto', rule: 'repeated' },
            },
          },
          NodeProto: {
            fields: {
              input: { id: 1, type: 'string', rule: 'repeated' },
              output: { id: 2, type: 'string', rule: 'repeated' },
              name: { id: 3, type: 'string' },
              opType: { id: 4, type: 'string' },
              attribute: { id: 5, type: 'AttributeProto', rule: 'repeated' },
            },
          },
          AttributeProto: {
            fields: {
              name: { id: 1, type: 'string' },
              f: { id: 2, type: 'float' },
              i: { id: 3, type: 'int64' },
              s: { id: 4, type: 'bytes' },
              ints: { id: 8, type: 'int64', rule: 'repeated', options: unpacked },
              type: { id: 20, type: 'int32' },
            },
          },
          TensorProto: {
            fields: {
              dims: { id: 1, type: 'int64', rule: 'repeated', options: unpacked },
              dataType: { id: 2, type: 'int32' },
              name: { id: 8, type: 'string' },
              rawData: { id: 9, type: 'bytes' },
            },
          },
          ValueInfoProto: {
            fields: { name: { id: 1, type: 'string' }, type: { id: 2, type: 'TypeProto' } },
          },
          TypeProto: {
            fields: { tensorType: { id: 1, type: 'Tensor' } },
            nested: {
              Tensor: {
                fields: {
                  elemType: { id: 1, type: 'int32' },
                  shape: { id: 2, type: 'TensorShapeProto' },
                },
              },
            },
          },
          TensorShapeProto: {
            fields: { dim: { id: 1, type: 'Dimension', rule: 'repeated' } },
            nested: {
              Dimension: {
                fields: { dimValue: { id: 1, type: 'int64' }, dimParam: { id: 2, type: 'string' } },
              },
            },
          },
        },
      },
    },
  });
  return schema;
}
