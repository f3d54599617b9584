import { GaltError, type SeededRandom } from '@galt/core';
import type { ClassifierModel } from './classifier-model.js';

/**
 * A ReLU multilayer perceptron in plain TypeScript: the test oracle for the ONNX path and the
 * model of the benchmark's reference runs. Layer l has weight `w{l}` of shape [in, out] and
 * bias `b{l}`; the output layer has no activation and returns logits.
 */
export class MlpReference implements ClassifierModel {
  readonly inputSize: number;
  readonly classes: number;
  readonly dimension: number;
  private readonly offsets = new Map<string, number>();

  constructor(
    readonly sizes: readonly number[],
    readonly parameters: ReadonlyMap<string, Float32Array>,
    readonly parameterNames: readonly string[] = mlpParameterNames(sizes.length - 1),
  ) {
    if (sizes.length < 2) {
      throw new GaltError('invalid_config', 'an MLP needs at least an input and an output size', {
        remedy: 'pass sizes such as [784, 100, 10]',
      });
    }
    this.inputSize = sizes[0]!;
    this.classes = sizes.at(-1)!;
    let offset = 0;
    for (const name of this.parameterNames) {
      this.offsets.set(name, offset);
      offset += this.parameterSize(name);
    }
    this.dimension = offset;
  }

  async forward(inputs: Float32Array, count: number): Promise<Float32Array> {
    return this.forwardLayers(inputs, count).at(-1)!;
  }

  async gradient(
    inputs: Float32Array,
    count: number,
    logitWeights: Float32Array,
  ): Promise<Float32Array> {
    const gradient = new Float32Array(this.dimension);
    this.backward(this.forwardLayers(inputs, count), count, logitWeights, (name, layer, rows) => {
      this.accumulate(gradient, 0, name, layer, rows);
    });
    return gradient;
  }

  async jacobian(
    inputs: Float32Array,
    count: number,
    logitWeights: Float32Array,
  ): Promise<Float32Array> {
    const rows = new Float32Array(count * this.dimension);
    this.backward(this.forwardLayers(inputs, count), count, logitWeights, (name, layer, delta) => {
      for (let i = 0; i < count; i++) {
        this.accumulate(rows, i * this.dimension, name, { ...layer, from: i, to: i + 1 }, delta);
      }
    });
    return rows;
  }

  async close(): Promise<void> {}

  private parameterSize(name: string): number {
    const value = this.parameters.get(name);
    if (value === undefined) {
      throw new GaltError('invalid_input', `parameter ${name} is missing`, {
        remedy: 'create the values with initMlpParameters() or pass every w{l} and b{l}',
      });
    }
    return value.length;
  }

  /** Returns [input, hidden activations..., logits]. */
  private forwardLayers(inputs: Float32Array, count: number): Float32Array[] {
    const activations: Float32Array[] = [inputs];
    const layers = this.sizes.length - 1;
    for (let l = 0; l < layers; l++) {
      const fanIn = this.sizes[l]!;
      const fanOut = this.sizes[l + 1]!;
      const out = affine(activations[l]!, count, fanIn, fanOut, this.weight(l), this.bias(l));
      if (l < layers - 1) {
        for (let i = 0; i < out.length; i++) if (out[i]! < 0) out[i] = 0;
      }
      activations.push(out);
    }
    return activations;
  }

  private weight(l: number): Float32Array {
    return this.parameters.get(`w${l}`)!;
  }

  private bias(l: number): Float32Array {
    return this.parameters.get(`b${l}`)!;
  }

  /** Back-propagates `logitWeights`, handing each layer's input and output gradient to `sink`. */
  private backward(
    activations: Float32Array[],
    count: number,
    logitWeights: Float32Array,
    sink: (name: string, layer: LayerGradient, delta: Float32Array) => void,
  ): void {
    let delta = logitWeights;
    for (let l = this.sizes.length - 2; l >= 0; l--) {
      const fanIn = this.sizes[l]!;
      const fanOut = this.sizes[l + 1]!;
      const layer: LayerGradient = { input: activations[l]!, fanIn, fanOut, from: 0, to: count };
      if (this.offsets.has(`w${l}`)) sink(`w${l}`, layer, delta);
      if (this.offsets.has(`b${l}`)) sink(`b${l}`, layer, delta);
      if (l === 0 || !this.needsBelow(l)) break;
      delta = backInput(delta, count, fanIn, fanOut, this.weight(l), activations[l]!);
    }
  }

  /** Returns true when some trained parameter sits below layer l. */
  private needsBelow(l: number): boolean {
    for (let below = 0; below < l; below++) {
      if (this.offsets.has(`w${below}`) || this.offsets.has(`b${below}`)) return true;
    }
    return false;
  }

  private accumulate(
    target: Float32Array,
    base: number,
    name: string,
    layer: LayerGradient,
    delta: Float32Array,
  ): void {
    const offset = base + this.offsets.get(name)!;
    const { input, fanIn, fanOut, from, to } = layer;
    const isWeight = name.startsWith('w');
    for (let i = from; i < to; i++) {
      const deltaRow = i * fanOut;
      if (!isWeight) {
        for (let j = 0; j < fanOut; j++) target[offset + j]! += delta[deltaRow + j]!;
        continue;
      }
      const inputRow = i * fanIn;
      for (let k = 0; k < fanIn; k++) {
        const a = input[inputRow + k]!;
        if (a === 0) continue;
        const weightRow = offset + k * fanOut;
        for (let j = 0; j < fanOut; j++) target[weightRow + j]! += a * delta[deltaRow + j]!;
      }
    }
  }
}

interface LayerGradient {
  input: Float32Array;
  fanIn: number;
  fanOut: number;
  from: number;
  to: number;
}

/** Returns x·W + b for x [count, fanIn] and W [fanIn, fanOut], skipping zero inputs. */
function affine(
  x: Float32Array,
  count: number,
  fanIn: number,
  fanOut: number,
  weight: Float32Array,
  bias: Float32Array,
): Float32Array {
  const out = new Float32Array(count * fanOut);
  for (let i = 0; i < count; i++) {
    const row = i * fanOut;
    out.set(bias, row);
    for (let k = 0; k < fanIn; k++) {
      const a = x[i * fanIn + k]!;
      if (a === 0) continue;
      const weightRow = k * fanOut;
      for (let j = 0; j < fanOut; j++) out[row + j]! += a * weight[weightRow + j]!;
    }
  }
  return out;
}

/** Returns δ·Wᵀ masked by the ReLU of the layer input. */
function backInput(
  delta: Float32Array,
  count: number,
  fanIn: number,
  fanOut: number,
  weight: Float32Array,
  input: Float32Array,
): Float32Array {
  const out = new Float32Array(count * fanIn);
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < fanIn; k++) {
      if (input[i * fanIn + k]! <= 0) continue;
      let sum = 0;
      const weightRow = k * fanOut;
      const deltaRow = i * fanOut;
      for (let j = 0; j < fanOut; j++) sum += delta[deltaRow + j]! * weight[weightRow + j]!;
      out[i * fanIn + k] = sum;
    }
  }
  return out;
}

/** Returns the parameter names of an MLP with `layers` affine layers: w0, b0, w1, b1, .... */
export function mlpParameterNames(layers: number): string[] {
  const names: string[] = [];
  for (let l = 0; l < layers; l++) names.push(`w${l}`, `b${l}`);
  return names;
}

/** Creates He-initialised weights and zero biases for an MLP with the given layer sizes. */
export function initMlpParameters(
  sizes: readonly number[],
  random: SeededRandom,
): Map<string, Float32Array> {
  const values = new Map<string, Float32Array>();
  for (let l = 0; l < sizes.length - 1; l++) {
    const fanIn = sizes[l]!;
    const fanOut = sizes[l + 1]!;
    const weight = new Float32Array(fanIn * fanOut);
    const scale = Math.sqrt(2 / fanIn);
    for (let i = 0; i < weight.length; i++) weight[i] = gaussian(random) * scale;
    values.set(`w${l}`, weight);
    values.set(`b${l}`, new Float32Array(fanOut));
  }
  return values;
}

/** Draws a standard normal value with the Box–Muller transform. */
export function gaussian(random: SeededRandom): number {
  const u = Math.max(random.nextFloat(), Number.MIN_VALUE);
  const v = random.nextFloat();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
