import { GaltError } from '@galt/core';

/** Hyperparameters of Adam. */
export interface AdamOptions {
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** The usual Adam defaults (β1 0.9, β2 0.999, ε 1e-8) with the benchmark's learning rate 1e-3. */
const DEFAULTS = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/** Serialisable state of an `AdamOptimizer`. */
export interface AdamState {
  step: number;
  first: Float64Array;
  second: Float64Array;
}

/**
 * Plain Adam over a list of float32 parameter arrays with float64 moments. Its arithmetic matches
 * `GaltUpdater` with no rows, so the two take bit-identical steps.
 */
export class AdamOptimizer {
  readonly options: Required<AdamOptions>;
  private state: AdamState;

  constructor(dimension: number, options: AdamOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
    this.state = {
      step: 0,
      first: new Float64Array(dimension),
      second: new Float64Array(dimension),
    };
  }

  /** Updates `parameters` (concatenated in order) in place from the flat `gradient`. */
  step(parameters: readonly Float32Array[], gradient: Float32Array | Float64Array): void {
    const { learningRate, beta1, beta2, epsilon } = this.options;
    const { first, second } = this.state;
    if (gradient.length !== first.length) {
      throw new GaltError(
        'invalid_input',
        `gradient has length ${gradient.length}, expected ${first.length}`,
        {
          remedy: 'pass a gradient over all the optimised parameters in order',
        },
      );
    }
    const step = this.state.step + 1;
    const firstCorrection = 1 - beta1 ** step;
    const secondCorrection = 1 - beta2 ** step;
    let offset = 0;
    for (const array of parameters) {
      for (let i = 0; i < array.length; i++) {
        const index = offset + i;
        const g = gradient[index]!;
        first[index] = beta1 * first[index]! + (1 - beta1) * g;
        second[index] = beta2 * second[index]! + (1 - beta2) * g * g;
        const scale = Math.sqrt(second[index]! / secondCorrection) + epsilon;
        array[i] = array[i]! + (-learningRate * (first[index]! / firstCorrection)) / scale;
      }
      offset += array.length;
    }
    this.state.step = step;
  }

  /** Returns a copy of the moments and step count. */
  snapshot(): AdamState {
    return {
      step: this.state.step,
      first: Float64Array.from(this.state.first),
      second: Float64Array.from(this.state.second),
    };
  }

  /** Replaces the moments with a copy of `state`. */
  restore(state: AdamState): void {
    this.state = {
      step: state.step,
      first: Float64Array.from(state.first),
      second: Float64Array.from(state.second),
    };
  }
}
