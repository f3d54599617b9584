import { GaltError } from '@galt/core';
import type { InterfaceDrift, InterfaceProbe } from './interface-probe.js';
import { mlpParameterNames } from './mlp-reference.js';

/**
 * The `InterfaceProbe` of a ReLU MLP in plain TypeScript (the layout of `MlpReference`): the
 * test oracle of `OnnxInterfaceProbe` and the probe of the benchmark's reference runs. The
 * interface is hidden activation `index`, the ReLU output of affine layer `index`.
 */
export class ReferenceInterfaceProbe implements InterfaceProbe {
  readonly width: number;
  readonly dimension: number;
  private readonly offsets = new Map<string, number>();

  constructor(
    readonly sizes: readonly number[],
    readonly parameters: ReadonlyMap<string, Float32Array>,
    readonly index: number,
    readonly trainable: readonly string[] = mlpParameterNames(sizes.length - 1),
  ) {
    if (!Number.isInteger(index) || index < 0 || index >= sizes.length - 2) {
      throw new GaltError('invalid_config', `the MLP has no hidden activation ${index}`, {
        remedy: `pick an index from 0 to ${sizes.length - 3}`,
      });
    }
    this.width = sizes[index + 1]!;
    let offset = 0;
    for (const name of trainable) {
      this.offsets.set(name, offset);
      offset += this.parameter(name).length;
    }
    this.dimension = offset;
  }

  async activations(inputs: Float32Array, count: number): Promise<Float32Array> {
    return this.layers(inputs, count).at(-1)!;
  }

  async drift(inputs: Float32Array, count: number, anchors: Float32Array): Promise<InterfaceDrift> {
    const layers = this.layers(inputs, count);
    const hidden = layers.at(-1)!;
    const scale = 2 / hidden.length;
    let sum = 0;
    // δ = ∂D/∂z at the interface: 2(h − a)/N where the ReLU is open, zero elsewhere.
    let delta: Float32Array = new Float32Array(hidden.length);
    for (let i = 0; i < hidden.length; i++) {
      const difference = hidden[i]! - anchors[i]!;
      sum += difference * difference;
      if (hidden[i]! > 0) delta[i] = scale * difference;
    }
    const gradient = new Float32Array(this.dimension);
    for (let l = this.index; l >= 0; l--) {
      const fanIn = this.sizes[l]!;
      const fanOut = this.sizes[l + 1]!;
      const below = layers[l]!;
      this.addLayerGradient(gradient, l, below, delta, count, fanIn, fanOut);
      if (l > 0)
        delta = backThroughLayer(delta, this.parameter(`w${l}`), below, count, fanIn, fanOut);
    }
    return { value: sum / hidden.length, gradient };
  }

  async close(): Promise<void> {}

  private parameter(name: string): Float32Array {
    const value = this.parameters.get(name);
    if (value === undefined) {
      throw new GaltError('invalid_input', `parameter ${name} is missing`, {
        remedy: 'pass every w{l} and b{l} of the MLP',
      });
    }
    return value;
  }

  /** Returns [input, activation 0, ..., activation index]. */
  private layers(inputs: Float32Array, count: number): Float32Array[] {
    const out = [inputs];
    for (let l = 0; l <= this.index; l++) {
      const fanIn = this.sizes[l]!;
      const fanOut = this.sizes[l + 1]!;
      const weight = this.parameter(`w${l}`);
      const next = new Float32Array(count * fanOut);
      for (let i = 0; i < count; i++) {
        for (let j = 0; j < fanOut; j++) {
          let z = this.parameter(`b${l}`)[j]!;
          for (let k = 0; k < fanIn; k++) z += out[l]![i * fanIn + k]! * weight[k * fanOut + j]!;
          next[i * fanOut + j] = Math.max(0, z);
        }
      }
      out.push(next);
    }
    return out;
  }

  private addLayerGradient(
    gradient: Float32Array,
    l: number,
    below: Float32Array,
    delta: Float32Array,
    count: number,
    fanIn: number,
    fanOut: number,
  ): void {
    const weightOffset = this.offsets.get(`w${l}`);
    const biasOffset = this.offsets.get(`b${l}`);
    for (let i = 0; i < count; i++) {
      for (let j = 0; j < fanOut; j++) {
        const d = delta[i * fanOut + j]!;
        if (biasOffset !== undefined) gradient[biasOffset + j]! += d;
        if (weightOffset === undefined) continue;
        for (let k = 0; k < fanIn; k++) {
          gradient[weightOffset + k * fanOut + j]! += below[i * fanIn + k]! * d;
        }
      }
    }
  }
}

/** Returns ∂D/∂z of the layer below: δ·Wᵀ where that layer's ReLU output is positive. */
function backThroughLayer(
  delta: Float32Array,
  weight: Float32Array,
  below: Float32Array,
  count: number,
  fanIn: number,
  fanOut: number,
): Float32Array {
  const out = new Float32Array(count * fanIn);
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < fanIn; k++) {
      if (below[i * fanIn + k]! <= 0) continue;
      let sum = 0;
      for (let j = 0; j < fanOut; j++) sum += delta[i * fanOut + j]! * weight[k * fanOut + j]!;
      out[i * fanIn + k] = sum;
    }
  }
  return out;
}
