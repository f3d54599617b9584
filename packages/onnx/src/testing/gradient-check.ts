import { SeededRandom } from '@galt/core';
import { gradientGraph } from '../autodiff/gradient-graph.js';
import { GraphBuilder } from '../builder/graph-builder.js';
import type { Graph, Value } from '../graph.js';
import { evaluateReference } from '../reference/evaluate.js';
import { elementCount, type TensorValue } from '../tensor.js';

/** Step of the central finite differences, which keeps float64 rounding error near 1e-10. */
const FINITE_DIFFERENCE_STEP = 1e-6;

/** A model under test: its graph with a scalar `loss` output and the feeds for one evaluation. */
export interface CheckedModel {
  graph: Graph;
  feeds: Record<string, TensorValue>;
  parameters: string[];
}

/** Sampling options for the parameter values of a checked model. */
export interface DrawOptions {
  /** Draw from [0.5, 2] instead of [-1, 1], for Log and Sqrt. */
  positive?: boolean;
  seed?: string;
}

/**
 * Builds a model around `body`: every parameter the body declares is drawn at random, and the
 * loss is `sum(body output * fixed random weights)`, so every output element gets its own cotangent.
 */
export function checkedModel(
  name: string,
  body: (builder: GraphBuilder) => Value,
  options: DrawOptions = {},
): CheckedModel {
  const random = new SeededRandom(options.seed ?? name);
  const builder = new GraphBuilder(name);
  const out = body(builder);
  const dims = out.shape.map(Number);
  const weights = Float32Array.from(
    { length: elementCount(dims) },
    () => random.nextFloat() * 2 - 1,
  );
  const mixed = builder.mul(
    out,
    builder.constant('loss_weights', { type: 'float32', dims, data: weights }),
  );
  builder.output(builder.reduceSum(mixed, [], false), 'loss');
  const graph = builder.build();
  const feeds: Record<string, TensorValue> = {};
  for (const parameter of graph.parameters) {
    const count = elementCount(parameter.shape.map(Number));
    const data = Float64Array.from({ length: count }, () =>
      options.positive ? 0.5 + 1.5 * random.nextFloat() : random.nextFloat() * 2 - 1,
    );
    feeds[parameter.name] = { type: 'float64', dims: parameter.shape.map(Number), data };
  }
  return { graph, feeds, parameters: graph.parameters.map((parameter) => parameter.name) };
}

/** Returns the largest absolute gap between analytic float64 gradients and central differences. */
export function finiteDifferenceGap(
  model: CheckedModel,
  extraFeeds: Record<string, TensorValue> = {},
) {
  const gradient = gradientGraph(model.graph, { loss: 'loss', parameters: model.parameters });
  const feeds = { ...model.feeds, ...extraFeeds };
  const analytic = evaluateReference(gradient, feeds, { precision: 'float64' });
  const lossAt = (overrides: Record<string, TensorValue>) =>
    evaluateReference(model.graph, { ...feeds, ...overrides }, { precision: 'float64' })['loss']
      ?.data[0] as number;
  let gap = 0;
  let scale = 0;
  for (const name of model.parameters) {
    const base = feeds[name] as TensorValue;
    const grad = analytic[`grad.${name}`]?.data as Float64Array;
    for (let i = 0; i < base.data.length; i++) {
      const shifted = (delta: number) => {
        const data = Float64Array.from(base.data as Float64Array);
        data[i] = (data[i] as number) + delta;
        return lossAt({ [name]: { ...base, data } });
      };
      const numeric =
        (shifted(FINITE_DIFFERENCE_STEP) - shifted(-FINITE_DIFFERENCE_STEP)) /
        (2 * FINITE_DIFFERENCE_STEP);
      gap = Math.max(gap, Math.abs(numeric - (grad[i] as number)));
      scale = Math.max(scale, Math.abs(numeric));
    }
  }
  return { gap, scale, gradient, feeds };
}

/** Converts float64 feeds to float32 for onnxruntime. */
export function toFloat32Feeds(feeds: Record<string, TensorValue>): Record<string, TensorValue> {
  const out: Record<string, TensorValue> = {};
  for (const [name, value] of Object.entries(feeds)) {
    out[name] =
      value.type === 'float64'
        ? { type: 'float32', dims: value.dims, data: Float32Array.from(value.data as Float64Array) }
        : value;
  }
  return out;
}
