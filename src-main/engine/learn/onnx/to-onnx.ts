/**
 * tfjs Layers model → ONNX (opset 13). Supports the AHUNT network family: a chain of Conv2D /
 * MaxPooling2D / Flatten / Dense / Dropout / Activation layers, NHWC input.
 *
 * The ONNX graph keeps the tfjs contract at its edges — input "images" is NHWC
 * [N, size, size, bands] — but runs Conv and MaxPool in NCHW (the only layout ONNX defines for
 * them), so it transposes after the input and transposes back right before Flatten: that way
 * the flattened vector has tfjs's (y, x, channel) order and the Dense weights apply unchanged.
 * Outputs: "probs" [N, classes] (the last layer) and "latent" [N, 64] (the Dense layer named
 * "latent", else the Dense before the head).
 */
import type { LayersModel } from '@tensorflow/tfjs';
import { OnnxUnsupportedModelError } from './errors';
import { encodeOnnxModel } from './onnx-proto';
import type { OnnxInitializer, OnnxModel, OnnxNode, OnnxValueInfo } from './onnx-proto';

export const ONNX_INPUT_NAME = 'images';
export const ONNX_PROBS_NAME = 'probs';
export const ONNX_LATENT_NAME = 'latent';
export const ONNX_OPSET = 13;
const ONNX_IR_VERSION = 7;
const BATCH_DIM = 'N';

type Layer = LayersModel['layers'][number];
type Config = Record<string, unknown>;
type Layout = 'NHWC' | 'NCHW';

/** Elementwise activations tfjs may put on a layer, and the ONNX op for each. */
const ACTIVATION_OPS: Readonly<Record<string, string | null>> = {
  linear: null,
  relu: 'Relu',
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  softmax: 'Softmax',
};

export function toOnnx(model: LayersModel): Uint8Array {
  return encodeOnnxModel(toOnnxModel(model));
}

/** The float32 graph as a plain description, before encoding (the int8 scorer rewrites it). */
export function toOnnxModel(model: LayersModel): OnnxModel {
  const graph = new GraphBuilder(model);
  return {
    irVersion: ONNX_IR_VERSION,
    opsetVersion: ONNX_OPSET,
    producerName: 'ahunt-workstation',
    producerVersion: '1',
    docString: `AHUNT model "${model.name}" exported from tfjs; input NHWC float32 in [0, 1].`,
    graph: graph.build(),
  };
}

class GraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxInitializer[] = [];
  /** Name of the value the next layer reads. */
  private current = ONNX_INPUT_NAME;
  private layout: Layout = 'NHWC';
  /** The current value's shape in tfjs (NHWC) terms, batch dimension dropped. */
  private shape: number[];
  private readonly inputShape: number[];

  constructor(private readonly model: LayersModel) {
    const input = model.inputs[0]?.shape;
    if (model.inputs.length !== 1 || !input || input.length !== 4) {
      throw unsupported(
        model,
        'it must have exactly one image input of shape [N, size, size, bands]',
      );
    }
    this.inputShape = input.slice(1).map((d, i) => knownDim(model, d, `input dimension ${i + 1}`));
    this.shape = [...this.inputShape];
  }

  build() {
    const chain = chainOfLayers(this.model);
    const latentLayer = findLatentLayer(this.model, chain);
    let latentValue: string | null = null;
    let latentWidth = 0;
    for (const layer of chain) {
      this.addLayer(layer);
      if (layer === latentLayer) {
        latentValue = this.current;
        latentWidth = this.shape[0] ?? 0;
      }
    }
    if (this.shape.length !== 1 || latentValue === null) {
      throw unsupported(this.model, 'it must end in Dense layers giving one vector per image');
    }
    this.node('Identity', 'outputs/probs', [this.current], [ONNX_PROBS_NAME]);
    this.node('Identity', 'outputs/latent', [latentValue], [ONNX_LATENT_NAME]);
    const outputs: OnnxValueInfo[] = [
      { name: ONNX_PROBS_NAME, dims: [BATCH_DIM, this.shape[0] as number] },
      { name: ONNX_LATENT_NAME, dims: [BATCH_DIM, latentWidth] },
    ];
    return {
      name: this.model.name || 'ahunt',
      nodes: this.nodes,
      initializers: this.initializers,
      inputs: [{ name: ONNX_INPUT_NAME, dims: [BATCH_DIM, ...this.inputShape] }],
      outputs,
    };
  }

  private addLayer(layer: Layer): void {
    const config = layer.getConfig() as Config;
    switch (layer.getClassName()) {
      case 'Conv2D':
        return this.conv2d(layer, config);
      case 'MaxPooling2D':
        return this.maxPool(layer, config);
      case 'Flatten':
        return this.flatten(layer);
      case 'Dense':
        return this.dense(layer, config);
      case 'Dropout':
        return; // identity at inference time
      case 'Activation':
        return this.activation(layer, String(config['activation']));
      case 'ReLU':
        if (config['maxValue'] != null) break;
        return this.activation(layer, 'relu');
      default:
        break;
    }
    throw unsupported(
      this.model,
      `layer "${layer.name}" (${layer.getClassName()}) has no ONNX translation`,
    );
  }

  private conv2d(layer: Layer, config: Config): void {
    requireChannelsLast(this.model, layer, config);
    this.toLayout('NCHW', layer.name);
    const [kernelH, kernelW] = pair(config['kernelSize']);
    const strides = pair(config['strides'] ?? 1);
    const dilations = pair(config['dilationRate'] ?? 1);
    const [height, width, channels] = this.spatialShape(layer);
    const weights = layer.getWeights();
    const kernel = weights[0];
    if (!kernel || kernel.shape.length !== 4) {
      throw unsupported(this.model, `layer "${layer.name}" has no 4-D kernel`);
    }
    const filters = kernel.shape[3] as number;
    const kernelName = `${layer.name}/kernel`;
    this.initializers.push({
      name: kernelName,
      dims: [filters, channels, kernelH, kernelW],
      data: hwioToOihw(kernel.dataSync() as Float32Array, kernelH, kernelW, channels, filters),
    });
    const inputs = [this.current, kernelName];
    if (config['useBias'] !== false && weights[1]) {
      inputs.push(this.addVector(`${layer.name}/bias`, weights[1].dataSync() as Float32Array));
    }
    const pads = padsFor(
      String(config['padding']),
      [height, width],
      [kernelH, kernelW],
      strides,
      dilations,
    );
    this.current = this.node('Conv', `${layer.name}/Conv`, inputs, [`${layer.name}/conv`], {
      kernel_shape: [kernelH, kernelW],
      strides,
      dilations,
      pads,
      group: 1,
    });
    this.shape = outputShape(this.model, layer);
    this.applyActivation(layer, String(config['activation'] ?? 'linear'));
  }

  private maxPool(layer: Layer, config: Config): void {
    requireChannelsLast(this.model, layer, config);
    this.toLayout('NCHW', layer.name);
    const pool = pair(config['poolSize'] ?? 2);
    const strides = pair(config['strides'] ?? pool);
    const [height, width] = this.spatialShape(layer);
    const pads = padsFor(String(config['padding']), [height, width], pool, strides, [1, 1]);
    this.current = this.node(
      'MaxPool',
      `${layer.name}/MaxPool`,
      [this.current],
      [`${layer.name}/pool`],
      {
        kernel_shape: pool,
        strides,
        pads,
      },
    );
    this.shape = outputShape(this.model, layer);
  }

  private flatten(layer: Layer): void {
    this.toLayout('NHWC', layer.name);
    this.current = this.node(
      'Flatten',
      `${layer.name}/Flatten`,
      [this.current],
      [`${layer.name}/flat`],
      {
        axis: 1,
      },
    );
    this.shape = outputShape(this.model, layer);
  }

  private dense(layer: Layer, config: Config): void {
    if (this.shape.length !== 1) {
      throw unsupported(
        this.model,
        `Dense layer "${layer.name}" must follow Flatten (it sees a ${this.shape.length + 1}-D input)`,
      );
    }
    const weights = layer.getWeights();
    const kernel = weights[0];
    if (!kernel || kernel.shape.length !== 2) {
      throw unsupported(this.model, `layer "${layer.name}" has no 2-D kernel`);
    }
    // tfjs keeps Dense kernels as [in, out], which is Gemm's B with transB = 0.
    const kernelName = `${layer.name}/kernel`;
    this.initializers.push({
      name: kernelName,
      dims: [kernel.shape[0] as number, kernel.shape[1] as number],
      data: Float32Array.from(kernel.dataSync() as Float32Array),
    });
    const inputs = [this.current, kernelName];
    if (config['useBias'] !== false && weights[1]) {
      inputs.push(this.addVector(`${layer.name}/bias`, weights[1].dataSync() as Float32Array));
    }
    this.current = this.node('Gemm', `${layer.name}/Gemm`, inputs, [`${layer.name}/gemm`]);
    this.shape = outputShape(this.model, layer);
    this.applyActivation(layer, String(config['activation'] ?? 'linear'));
  }

  private activation(layer: Layer, name: string): void {
    this.applyActivation(layer, name);
    this.shape = outputShape(this.model, layer);
  }

  private applyActivation(layer: Layer, name: string): void {
    if (!(name in ACTIVATION_OPS)) {
      throw unsupported(
        this.model,
        `layer "${layer.name}" uses activation "${name}", which has no ONNX translation`,
      );
    }
    const op = ACTIVATION_OPS[name];
    if (!op) return;
    let attributes: Record<string, number> | undefined;
    if (op === 'Softmax') {
      // tfjs softmax runs over the last axis; on an NCHW tensor that would be the wrong one.
      if (this.shape.length !== 1) {
        throw unsupported(
          this.model,
          `softmax in layer "${layer.name}" is only supported on vectors`,
        );
      }
      attributes = { axis: 1 };
    }
    this.current = this.node(
      op,
      `${layer.name}/${op}`,
      [this.current],
      [`${layer.name}/${name}`],
      attributes,
    );
  }

  /** Transposes the current value when the next op needs the other layout. */
  private toLayout(target: Layout, layerName: string): void {
    if (this.layout === target) return;
    const perm = target === 'NCHW' ? [0, 3, 1, 2] : [0, 2, 3, 1];
    this.current = this.node(
      'Transpose',
      `${layerName}/To${target}`,
      [this.current],
      [`${layerName}/${target}`],
      {
        perm,
      },
    );
    this.layout = target;
  }

  /** The current value as [height, width, channels] (tfjs order), checked to be an image. */
  private spatialShape(layer: Layer): [number, number, number] {
    const [h, w, c] = this.shape;
    if (this.shape.length !== 3 || h === undefined || w === undefined || c === undefined) {
      throw unsupported(this.model, `layer "${layer.name}" needs an image input, got a vector`);
    }
    return [h, w, c];
  }

  private addVector(name: string, values: Float32Array): string {
    this.initializers.push({ name, dims: [values.length], data: Float32Array.from(values) });
    return name;
  }

  private node(
    opType: string,
    name: string,
    inputs: string[],
    outputs: [string],
    attributes?: Record<string, number | number[]>,
  ): string {
    this.nodes.push({ opType, name, inputs, outputs, ...(attributes ? { attributes } : {}) });
    return outputs[0];
  }
}

/** The model's layers after the input, checked to form a single chain. */
function chainOfLayers(model: LayersModel): Layer[] {
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  let previous: Layer | null = null;
  for (const layer of layers) {
    const inbound = layer.inboundNodes.flatMap((n) => n.inboundLayers);
    const fromPrevious =
      inbound.length === 1 &&
      (previous === null ? inbound[0]?.getClassName() === 'InputLayer' : inbound[0] === previous);
    if (!fromPrevious) {
      throw unsupported(model, `layer "${layer.name}" does not simply follow the layer before it`);
    }
    previous = layer;
  }
  return layers;
}

function findLatentLayer(model: LayersModel, chain: Layer[]): Layer {
  const named = chain.find((l) => l.name === 'latent');
  if (named) return named;
  const dense = chain.filter((l) => l.getClassName() === 'Dense');
  const beforeHead = dense[dense.length - 2];
  if (!beforeHead) throw unsupported(model, 'it has no latent Dense layer before the head');
  return beforeHead;
}

/**
 * TF "same" padding: output = ceil(in / stride) and the total padding is split with the extra
 * pixel at the end (bottom/right). ONNX pads are [h_begin, w_begin, h_end, w_end].
 */
export function padsFor(
  padding: string,
  input: [number, number],
  kernel: [number, number],
  strides: [number, number],
  dilations: [number, number],
): number[] {
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding !== 'same')
    throw new OnnxUnsupportedModelError(
      `padding "${padding}" is not supported; use "same" or "valid".`,
    );
  const begin: number[] = [];
  const end: number[] = [];
  for (let axis = 0; axis < 2; axis++) {
    const size = input[axis] as number;
    const stride = strides[axis] as number;
    const span = ((kernel[axis] as number) - 1) * (dilations[axis] as number) + 1;
    const out = Math.ceil(size / stride);
    const total = Math.max((out - 1) * stride + span - size, 0);
    begin.push(Math.floor(total / 2));
    end.push(total - Math.floor(total / 2));
  }
  return [...begin, ...end];
}

/** tfjs conv kernel [kh, kw, in, out] → ONNX [out, in, kh, kw]. */
export function hwioToOihw(
  src: Float32Array,
  kh: number,
  kw: number,
  inC: number,
  outC: number,
): Float32Array {
  const dst = new Float32Array(src.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < inC; i++) {
        for (let o = 0; o < outC; o++) {
          dst[((o * inC + i) * kh + y) * kw + x] = src[
            ((y * kw + x) * inC + i) * outC + o
          ] as number;
        }
      }
    }
  }
  return dst;
}

function pair(value: unknown): [number, number] {
  const list = Array.isArray(value) ? value : [value, value];
  const [a, b] = list.map(Number);
  if (!Number.isInteger(a) || !Number.isInteger(b))
    throw new RangeError(`expected an integer pair, got ${String(value)}`);
  return [a as number, b as number];
}

function requireChannelsLast(model: LayersModel, layer: Layer, config: Config): void {
  const format = config['dataFormat'];
  if (format !== undefined && format !== 'channelsLast') {
    throw unsupported(
      model,
      `layer "${layer.name}" uses ${String(format)}; only channelsLast is supported`,
    );
  }
}

function outputShape(model: LayersModel, layer: Layer): number[] {
  const shape = layer.outputShape;
  if (!Array.isArray(shape) || Array.isArray(shape[0])) {
    throw unsupported(model, `layer "${layer.name}" has more than one output`);
  }
  return (shape as (number | null)[])
    .slice(1)
    .map((d, i) => knownDim(model, d, `${layer.name} dimension ${i + 1}`));
}

function knownDim(model: LayersModel, dim: number | null, what: string): number {
  if (dim === null || dim <= 0) throw unsupported(model, `${what} is not fixed`);
  return dim;
}

function unsupported(model: LayersModel, why: string): OnnxUnsupportedModelError {
  return new OnnxUnsupportedModelError(
    `Cannot export model "${model.name}" to ONNX: ${why}. Export the standard AHUNT network (buildModel) instead.`,
  );
}
