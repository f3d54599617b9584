import type { FlatLayout } from './layout.js';
import type { ResolvedGaltOptions } from './options.js';

/** Adam's first and second moments over the flat layout, with the step count for bias correction. */
export interface MomentState {
  step: number;
  first: Float64Array;
  second: Float64Array;
}

/** The Adam step and the metric the constrained solve uses. */
export interface AdamDirection {
  /** Adam's displacement −lr·m̂/(√v̂ + ε), exactly as plain Adam would move. */
  base: Float64Array;
  /** Mass of the real-displacement solve: max(D, floor) / lr per coordinate. */
  metric: Float64Array;
  /** The floored D itself, used to weigh the trust-radius norm. */
  weight: Float64Array;
}

/**
 * Computes the next Adam moments, Adam's bias-corrected step and the floored metric D = √v̂ + ε
 * in one pass over the parameters. The floor is a fraction of each block's mean D, so coordinates
 * the task never touched do not take the whole correction. Writes the moments into `spare` and the
 * direction into `into`, and leaves `current` unchanged.
 */
export function nextAdamDirection(
  current: MomentState,
  gradient: Float32Array | Float64Array,
  layout: FlatLayout,
  options: ResolvedGaltOptions,
  spare: { first: Float64Array; second: Float64Array },
  into: AdamDirection,
): { moments: MomentState; direction: AdamDirection } {
  const { beta1, beta2, epsilon, metricFloorRatio } = options;
  const { first, second } = spare;
  const { base, metric, weight } = into;
  const step = current.step + 1;
  const firstCorrection = 1 - beta1 ** step;
  const secondCorrection = 1 - beta2 ** step;
  for (const block of layout.blocks) {
    const end = block.offset + block.size;
    const learningRate = block.learningRate;
    let sum = 0;
    for (let i = block.offset; i < end; i++) {
      const g = gradient[i]!;
      const m = beta1 * current.first[i]! + (1 - beta1) * g;
      const v = beta2 * current.second[i]! + (1 - beta2) * g * g;
      first[i] = m;
      second[i] = v;
      const scale = Math.sqrt(v / secondCorrection) + epsilon;
      weight[i] = scale;
      base[i] = (-learningRate * (m / firstCorrection)) / scale;
      sum += scale;
    }
    const floor = (metricFloorRatio * sum) / block.size;
    for (let i = block.offset; i < end; i++) {
      const floored = Math.max(weight[i]!, floor);
      weight[i] = floored;
      metric[i] = floored / learningRate;
    }
  }
  return { moments: { step, first, second }, direction: into };
}
