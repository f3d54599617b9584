import type { SeededRandom } from '@galt/core';
import { GraphBuilder } from '../builder/graph-builder.js';
import type { Dim, Graph, Value } from '../graph.js';
import type { TensorValue } from '../tensor.js';

/** Options of `buildMlpClassifier`. */
export interface MlpOptions {
  /** Layer widths from input to classes, such as `[784, 100, 100, 10]`. */
  layers: readonly number[];
  activation?: 'relu' | 'tanh';
  name?: string;
  /** Batch dimension, symbolic by default. */
  batch?: Dim;
}

/**
 * Builds a classifier MLP with inputs `x` [batch, in] and `labels` int64 [batch], parameters
 * `w<i>` [in, out] and `b<i>` [out], and outputs `logits`, `rowLoss` (per-row cross-entropy,
 * [batch]) and `loss` (their mean).
 */
export function buildMlpClassifier(options: MlpOptions): Graph {
  const builder = new GraphBuilder(options.name ?? 'mlp');
  const widths = options.layers;
  if (widths.length < 2) throw new RangeError('an MLP needs at least an input and an output width');
  const batch = options.batch ?? 'batch';
  let hidden: Value = builder.input('x', 'float32', [batch, widths[0] as number]);
  const labels = builder.input('labels', 'int64', [batch]);
  for (let layer = 0; layer + 1 < widths.length; layer++) {
    const weight = builder.parameter(`w${layer}`, [
      widths[layer] as number,
      widths[layer + 1] as number,
    ]);
    const bias = builder.parameter(`b${layer}`, [widths[layer + 1] as number]);
    hidden = builder.gemm(hidden, weight, bias);
    if (layer + 2 < widths.length) {
      hidden = options.activation === 'tanh' ? builder.tanh(hidden) : builder.relu(hidden);
    }
  }
  builder.output(hidden, 'logits');
  const rowLoss = builder.crossEntropy(hidden, labels);
  builder.output(rowLoss, 'rowLoss');
  builder.output(builder.reduceMean(rowLoss, [0], false), 'loss');
  return builder.build();
}

/**
 * Draws parameters for every parameter of `graph`: weights (rank 2 and up) uniform in
 * ±sqrt(6 / (fanIn + fanOut)) (Glorot), vectors zero.
 */
export function initializeParameters(
  graph: Graph,
  random: SeededRandom,
): Record<string, TensorValue> {
  const values: Record<string, TensorValue> = {};
  for (const parameter of graph.parameters) {
    const dims = parameter.shape.map(Number);
    const count = dims.reduce((product, dim) => product * dim, 1);
    const data = new Float32Array(count);
    if (dims.length >= 2) {
      const fanIn = dims[dims.length - 2] as number;
      const fanOut = dims[dims.length - 1] as number;
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < count; i++) data[i] = (random.nextFloat() * 2 - 1) * limit;
    }
    values[parameter.name] = { type: 'float32', dims, data };
  }
  return values;
}
