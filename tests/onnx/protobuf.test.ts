import { describe, expect, it } from 'vitest';
import { encodeOnnxModel } from '../../src-main/engine/learn/onnx/onnx-proto';
import { bytesOf, decodeFields, fieldsNumbered, text } from './helpers/proto-decode';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('encodeOnnxModel', () => {
  const bytes = encodeOnnxModel({
    irVersion: 7,
    opsetVersion: 13,
    producerName: 'test',
    producerVersion: '1',
    graph: {
      name: 'g',
      nodes: [
        {
          opType: 'Softmax',
          name: 'sm',
          inputs: ['x'],
          outputs: ['y'],
          attributes: { axis: -1, alpha: 1, perm: [0, 2] },
          floatAttributes: ['alpha'],
        },
      ],
      initializers: [{ name: 'w', dims: [2], data: new Float32Array([1.5, -2]) }],
      inputs: [{ name: 'x', dims: ['N', 2] }],
      outputs: [{ name: 'y', dims: ['N', 2] }],
    },
  });

  it('puts IR version, opset and graph at the onnx.proto field numbers', () => {
    expect(fieldsNumbered(bytes, 1)).toEqual([7n]);
    expect(text(fieldsNumbered(bytes, 2)[0])).toBe('test');
    const opset = bytesOf(fieldsNumbered(bytes, 8)[0]);
    expect(fieldsNumbered(opset, 2)).toEqual([13n]);
    expect(fieldsNumbered(bytes, 7)).toHaveLength(1);
  });

  it('encodes nodes with typed attributes', () => {
    const graph = bytesOf(fieldsNumbered(bytes, 7)[0]);
    const node = bytesOf(fieldsNumbered(graph, 1)[0]);
    expect(text(fieldsNumbered(node, 4)[0])).toBe('Softmax');
    expect(fieldsNumbered(node, 1).map(text)).toEqual(['x']);
    expect(fieldsNumbered(node, 2).map(text)).toEqual(['y']);
    const attributes = fieldsNumbered(node, 5).map((a) => decodeFields(bytesOf(a)));
    const byName = new Map(attributes.map((a) => [text(a.find((f) => f.field === 1)?.value), a]));
    const axis = byName.get('axis') ?? [];
    expect(axis.find((f) => f.field === 20)?.value).toBe(2n); // INT
    expect(axis.find((f) => f.field === 3)?.value).toBe((1n << 64n) - 1n); // -1 as uint64
    const alpha = byName.get('alpha') ?? [];
    expect(alpha.find((f) => f.field === 20)?.value).toBe(1n); // FLOAT
    expect(alpha.find((f) => f.field === 2)?.value).toBe(1);
    const perm = byName.get('perm') ?? [];
    expect(perm.find((f) => f.field === 20)?.value).toBe(7n); // INTS
    expect(perm.filter((f) => f.field === 8).map((f) => f.value)).toEqual([0n, 2n]);
  });

  it('stores initializers as little-endian float raw_data', () => {
    const graph = bytesOf(fieldsNumbered(bytes, 7)[0]);
    const tensor = bytesOf(fieldsNumbered(graph, 5)[0]);
    expect(fieldsNumbered(tensor, 1)).toEqual([2n]);
    expect(fieldsNumbered(tensor, 2)).toEqual([1n]);
    expect(text(fieldsNumbered(tensor, 8)[0])).toBe('w');
    expect(hex(bytesOf(fieldsNumbered(tensor, 9)[0]))).toBe('0000c03f000000c0');
  });

  it('rejects an initializer whose data does not fill its dims', () => {
    expect(() =>
      encodeOnnxModel({
        irVersion: 7,
        opsetVersion: 13,
        producerName: 't',
        producerVersion: '1',
        graph: {
          name: 'g',
          nodes: [],
          initializers: [{ name: 'w', dims: [3], data: new Float32Array(2) }],
          inputs: [],
          outputs: [],
        },
      }),
    ).toThrow(/need 3 values, got 2/);
  });
});
