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
 * Computes Adam's bias-corrected step and the floored metric D = √v̂ + ε. The floor is a fraction
 * of each block's mean D, so coordinates the task never touched do not take the whole correction.
 */
export function adamDirection(
  moments: MomentState,
  layout: FlatLayout,
  options: ResolvedGaltOptions,
): AdamDirection {
  const d = layout.dimension;
  const base = new Float64Array(d);
  const metric = new Float64Array(d);
  const weight = new Float64Array(d);
  const firstCorrection = 1 - options.beta1 ** moments.step;
  const secondCorrection = 1 - options.beta2 ** moments.step;
  for (const block of layout.blocks) {
    const end = block.offset + block.size;
    let sum = 0;
    for (let i = block.offset; i < end; i++) {
      const scale = Math.sqrt(moments.second[i]! / secondCorrection) + options.epsilon;
      weight[i] = scale;
      base[i] = (-block.learningRate * (moments.first[i]! / firstCorrection)) / scale;
      sum += scale;
    }
    const floor = (options.metricFloorRatio * sum) / block.size;
    for (let i = block.offset; i < end; i++) {
      weight[i] = Math.max(weight[i]!, floor);
      metric[i] = weight[i]! / block.learningRate;
    }
  }
  return { base, metric, weight };
}
