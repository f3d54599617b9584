import { GraphBuilder } from '../builder/graph-builder.js';
import { GraphError } from '../errors.js';
import type { Graph, Value, ValueInfo } from '../graph.js';
import { elementCount } from '../tensor.js';
import { emitBackward } from './backward.js';
import { pruneGraph } from './prune.js';
import { staticSize } from './unbroadcast.js';

/** Options of `gradientGraph`. */
export interface GradientOptions {
  /** Name of a scalar value (usually a graph output) to differentiate. */
  loss: string;
  /** Parameters to differentiate with respect to, in output order. */
  parameters: readonly string[];
}

/** Checks that every listed name is a float parameter of `graph` and returns their infos. */
export function parameterInfos(graph: Graph, names: readonly string[]): ValueInfo[] {
  if (names.length === 0)
    throw new GraphError(null, 'list at least one parameter to differentiate');
  return names.map((name) => {
    const info = graph.parameters.find((parameter) => parameter.name === name);
    if (info === undefined) {
      const known = graph.parameters.map((parameter) => parameter.name).join(', ');
      throw new GraphError(
        null,
        `${name} is not a parameter of graph ${graph.name} (parameters: ${known})`,
      );
    }
    if (info.type !== 'float32' && info.type !== 'float64') {
      throw new GraphError(
        null,
        `parameter ${name} is ${info.type}; only float parameters have gradients`,
      );
    }
    staticSize(info, name);
    return info;
  });
}

/** Returns a zero tensor value of a parameter's shape, for a parameter the target ignores. */
export function zerosLike(builder: GraphBuilder, info: ValueInfo): Value {
  const count = elementCount(info.shape.map(Number));
  const data = info.type === 'float64' ? new Float64Array(count) : new Float32Array(count);
  return builder.constant(`zeros.${info.name}`, {
    type: info.type,
    dims: info.shape.map(Number),
    data,
  });
}

/**
 * Builds the gradient graph of a scalar loss: it takes the same inputs and parameters and outputs
 * the loss and `grad.<parameter>` for each listed parameter.
 */
export function gradientGraph(graph: Graph, options: GradientOptions): Graph {
  const loss = graph.values[options.loss];
  if (loss === undefined)
    throw new GraphError(null, `loss ${options.loss} is not a value of graph ${graph.name}`);
  if (loss.shape.some((dim) => dim !== 1) || (loss.type !== 'float32' && loss.type !== 'float64')) {
    throw new GraphError(
      null,
      `loss ${options.loss} must be a float scalar, got ${loss.type} [${loss.shape.join(', ')}]`,
      'reduce it with reduceMean or reduceSum first',
    );
  }
  const parameters = parameterInfos(graph, options.parameters);
  const builder = GraphBuilder.extend(graph, `${graph.name}.gradient`);
  const ones = loss.type === 'float64' ? new Float64Array(1).fill(1) : new Float32Array(1).fill(1);
  const seed = builder.constant(`seed.${loss.name}`, {
    type: loss.type,
    dims: loss.shape.map(Number),
    data: ones,
  });
  const cotangents = emitBackward(builder, graph, loss.name, seed, options.parameters, {
    kind: 'sum',
  });
  builder.markOutput(loss.name);
  for (const parameter of parameters) {
    const value = cotangents.get(parameter.name) ?? zerosLike(builder, parameter);
    builder.output(value, `grad.${parameter.name}`);
  }
  return pruneGraph(builder.build());
}
