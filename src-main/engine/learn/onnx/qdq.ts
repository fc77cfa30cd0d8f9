/**
 * Rewrites the float32 AHUNT graph (toOnnxModel) into a QDQ graph that onnxruntime runs with
 * int8 kernels: weights become int8 initializers with one scale per output channel, each Conv's
 * input and activated output go through QuantizeLinear → DequantizeLinear (uint8), and
 * onnxruntime's CPU optimiser fuses DQ → Conv → Relu → Q into QLinearConv and drops the Q/DQ
 * pairs around MaxPool, so the convolutions — nearly all of the network's work — run as
 * uint8 × int8 dot products (VNNI where the CPU has it). The Dense layers stay float32: they
 * cost little, and the latent vector they give keeps float precision on top of the int8 features.
 *
 * Activation scales come from a calibration pass: calibrationPoints names the values whose
 * ranges are needed, withExtraOutputs makes the float graph return them.
 */
import type { OnnxInitializer, OnnxModel, OnnxNode } from './onnx-proto';

export interface ValueRange {
  min: number;
  max: number;
}

export interface QdqOptions {
  /**
   * Weight levels each side of zero: 127 uses the full int8 range; 63 (7 bits) keeps AVX2
   * CPUs without VNNI exact — their uint8 × int8 instruction adds pairs in saturating int16,
   * and 255 × 127 × 2 overflows it, 255 × 63 × 2 does not.
   */
  weightLevels?: number;
}

export const DEFAULT_WEIGHT_LEVELS = 63;

/** One quantised activation: its scale and uint8 zero point. */
interface Quant {
  scale: number;
  zeroPoint: number;
}

/**
 * The values whose ranges the int8 graph needs, in graph order: the input of the first Conv
 * and each Conv's (activated) output. Values that only pass through MaxPool take the range of
 * what was pooled: max pooling never leaves that range, and one scale lets onnxruntime pool uint8.
 */
export function calibrationPoints(model: OnnxModel): string[] {
  return [
    ...new Set(
      plan(model)
        .map((conv) => [conv.inputRoot, conv.activated])
        .flat(),
    ),
  ];
}

/** The same graph with the named values added as (shape-less) outputs. */
export function withExtraOutputs(model: OnnxModel, names: ReadonlyArray<string>): OnnxModel {
  const existing = new Set(model.graph.outputs.map((o) => o.name));
  const extra = names.filter((n) => !existing.has(n)).map((name) => ({ name, dims: null }));
  return { ...model, graph: { ...model.graph, outputs: [...model.graph.outputs, ...extra] } };
}

/** The QDQ graph, given the range of every calibration point. */
export function toQdqModel(
  model: OnnxModel,
  ranges: ReadonlyMap<string, ValueRange>,
  options: QdqOptions = {},
): OnnxModel {
  const levels = options.weightLevels ?? DEFAULT_WEIGHT_LEVELS;
  if (!Number.isInteger(levels) || levels < 1 || levels > 127) {
    throw new RangeError(`weightLevels must be an integer in 1..127, got ${levels}`);
  }
  const convs = plan(model);
  const quant = new Map<string, Quant>();
  for (const conv of convs) {
    for (const name of [conv.inputRoot, conv.activated]) {
      const range = ranges.get(name);
      if (!range) throw new RangeError(`no calibration range for "${name}"`);
      quant.set(name, uint8Quant(range));
    }
    for (const pooled of conv.pooledInputs) quant.set(pooled, quant.get(conv.inputRoot) as Quant);
  }
  // The pooled outputs of the last Conv (read by Flatten/Dense) are quantised too, so that
  // MaxPool runs on uint8; the Dense layers then read them dequantised.
  for (const conv of convs) {
    for (const pooled of pooledChain(model, conv.activated)) {
      quant.set(pooled, quant.get(conv.activated) as Quant);
    }
  }

  const initializers = new Map(model.graph.initializers.map((i) => [i.name, i]));
  const newInitializers: OnnxInitializer[] = [];
  const weightNodes: OnnxNode[] = [];
  const convInputs = new Map<OnnxNode, string[]>();
  for (const conv of convs) {
    const inputScale = (quant.get(conv.node.inputs[0] as string) as Quant).scale;
    const [x, w, b] = conv.node.inputs as [string, string, string | undefined];
    const weight = initializers.get(w);
    if (!weight || !(weight.data instanceof Float32Array)) {
      throw new RangeError(`Conv "${conv.node.name}" has no float32 weight initializer`);
    }
    initializers.delete(w);
    const channels = weight.dims[0] as number;
    const q = quantiseWeights(weight.data, channels, levels);
    newInitializers.push(
      { name: `${w}/int8`, dims: weight.dims, data: q.values },
      { name: `${w}/scale`, dims: [channels], data: q.scales },
      { name: `${w}/zero`, dims: [channels], data: new Int8Array(channels) },
    );
    weightNodes.push(dequantize(`${w}/int8`, `${w}/scale`, `${w}/zero`, `${w}/dq`, 0));
    const inputs = [x, `${w}/dq`];
    if (b !== undefined) {
      const bias = initializers.get(b);
      if (!bias || !(bias.data instanceof Float32Array)) {
        throw new RangeError(`Conv "${conv.node.name}" has no float32 bias initializer`);
      }
      initializers.delete(b);
      // int32 bias in the accumulator's units (input scale × weight scale), as QLinearConv takes it.
      const scales = q.scales.map((s) => s * inputScale);
      newInitializers.push(
        { name: `${b}/int32`, dims: [channels], data: quantiseBias(bias.data, scales) },
        { name: `${b}/scale`, dims: [channels], data: scales },
        { name: `${b}/zero`, dims: [channels], data: new Int32Array(channels) },
      );
      weightNodes.push(dequantize(`${b}/int32`, `${b}/scale`, `${b}/zero`, `${b}/dq`, 0));
      inputs.push(`${b}/dq`);
    }
    convInputs.set(conv.node, inputs);
  }

  // Each quantised value v gets Q → DQ right after the node producing it; its readers read v/dq.
  const nodes: OnnxNode[] = [...weightNodes];
  const renamed = (name: string) => (quant.has(name) ? `${name}/dq` : name);
  for (const name of quant.keys()) {
    if (!model.graph.nodes.some((n) => n.outputs.includes(name))) {
      throw new RangeError(`quantised value "${name}" is not produced by a node`);
    }
  }
  for (const node of model.graph.nodes) {
    const inputs = convInputs.get(node) ?? node.inputs;
    nodes.push({
      ...node,
      inputs: inputs.map((i, k) => (k === 0 || !convInputs.has(node) ? renamed(i) : i)),
    });
    for (const output of node.outputs) {
      const q = quant.get(output);
      if (!q) continue;
      newInitializers.push(
        { name: `${output}/scale`, dims: [], data: Float32Array.of(q.scale) },
        { name: `${output}/zero`, dims: [], data: Uint8Array.of(q.zeroPoint) },
      );
      nodes.push(
        {
          opType: 'QuantizeLinear',
          name: `${output}/Quantize`,
          inputs: [output, `${output}/scale`, `${output}/zero`],
          outputs: [`${output}/q`],
        },
        dequantize(`${output}/q`, `${output}/scale`, `${output}/zero`, `${output}/dq`),
      );
    }
  }
  return {
    ...model,
    docString: `${model.docString ?? ''} int8 (QDQ) scoring graph, calibrated on the project's images.`,
    graph: {
      ...model.graph,
      nodes,
      initializers: [...initializers.values(), ...newInitializers],
    },
  };
}

interface ConvPlan {
  node: OnnxNode;
  /** The value the Conv reads after walking back through MaxPools: where its range is measured. */
  inputRoot: string;
  /** MaxPool outputs between inputRoot and the Conv (they share inputRoot's scale). */
  pooledInputs: string[];
  /** The Conv's output, or its Relu's when a Relu alone reads it. */
  activated: string;
}

function plan(model: OnnxModel): ConvPlan[] {
  const { nodes } = model.graph;
  const producer = new Map<string, OnnxNode>();
  for (const node of nodes) for (const output of node.outputs) producer.set(output, node);
  const readers = (value: string) => nodes.filter((n) => n.inputs.includes(value));
  const convs = nodes.filter((n) => n.opType === 'Conv');
  if (convs.length === 0) throw new RangeError('the graph has no Conv to quantise');
  return convs.map((node) => {
    let inputRoot = node.inputs[0] as string;
    const pooledInputs: string[] = [];
    for (let p = producer.get(inputRoot); p?.opType === 'MaxPool'; p = producer.get(inputRoot)) {
      pooledInputs.push(inputRoot);
      inputRoot = p.inputs[0] as string;
    }
    const output = node.outputs[0] as string;
    const after = readers(output);
    const relu = after.length === 1 && after[0]?.opType === 'Relu' ? after[0] : null;
    return {
      node,
      inputRoot,
      pooledInputs,
      activated: relu ? (relu.outputs[0] as string) : output,
    };
  });
}

/** MaxPool outputs reached from `value` through MaxPools alone. */
function pooledChain(model: OnnxModel, value: string): string[] {
  const out: string[] = [];
  let current = value;
  for (;;) {
    const readers = model.graph.nodes.filter((n) => n.inputs.includes(current));
    const pool = readers.length === 1 && readers[0]?.opType === 'MaxPool' ? readers[0] : null;
    if (!pool) return out;
    current = pool.outputs[0] as string;
    out.push(current);
  }
}

function dequantize(
  input: string,
  scale: string,
  zero: string,
  output: string,
  axis?: number,
): OnnxNode {
  return {
    opType: 'DequantizeLinear',
    name: `${output}/Dequantize`,
    inputs: [input, scale, zero],
    outputs: [output],
    ...(axis === undefined ? {} : { attributes: { axis } }),
  };
}

/** Asymmetric uint8 over the range, widened to hold 0 exactly (zero padding, Relu). */
export function uint8Quant(range: ValueRange): Quant {
  const lo = Math.min(range.min, 0);
  const hi = Math.max(range.max, 0);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw new RangeError(`calibration range [${range.min}, ${range.max}] is not finite`);
  }
  const scale = hi > lo ? (hi - lo) / 255 : 1;
  const zeroPoint = Math.min(255, Math.max(0, Math.round(-lo / scale)));
  return { scale, zeroPoint };
}

/** Symmetric per-output-channel int8: weights [O, …] row-major, one scale per O. */
export function quantiseWeights(
  weights: Float32Array,
  channels: number,
  levels: number,
): { values: Int8Array; scales: Float32Array } {
  const per = weights.length / channels;
  if (!Number.isInteger(per)) throw new RangeError('weights do not split into the channels');
  const values = new Int8Array(weights.length);
  const scales = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let maxAbs = 0;
    for (let i = c * per; i < (c + 1) * per; i++) {
      maxAbs = Math.max(maxAbs, Math.abs(weights[i] as number));
    }
    const scale = maxAbs > 0 ? maxAbs / levels : 1;
    scales[c] = scale;
    for (let i = c * per; i < (c + 1) * per; i++) {
      values[i] = Math.max(-levels, Math.min(levels, Math.round((weights[i] as number) / scale)));
    }
  }
  return { values, scales };
}

function quantiseBias(bias: Float32Array, scales: Float32Array): Int32Array {
  const out = new Int32Array(bias.length);
  for (let c = 0; c < bias.length; c++) {
    const s = scales[c] as number;
    out[c] = s > 0 ? Math.round((bias[c] as number) / s) : 0;
  }
  return out;
}
