import { GraphBuilder } from '../builder/graph-builder.js';
import { GraphError } from '../errors.js';
import type { Graph, Value } from '../graph.js';
import { emitBackward } from './backward.js';
import { parameterInfos } from './gradient-graph.js';
import { pruneGraph } from './prune.js';
import { staticSize } from './unbroadcast.js';

/** Options of `jacobianGraph`. */
export interface JacobianOptions {
  /** Name of a `[k]` float value: one scalar row per batch item. */
  rows: string;
  /** Parameters whose gradients are concatenated, in this order, into each Jacobian row. */
  parameters: readonly string[];
}

/**
 * Builds the per-row Jacobian graph: outputs `rows` and `jacobian`, a `[k, d]` matrix whose row
 * `i` is the gradient of `rows[i]` with respect to the listed parameters, flattened and
 * concatenated in order. Row `i` must depend only on batch item `i`.
 *
 * One run costs one forward and one backward pass. Weight rows are formed as per-item outer
 * products (a batched MatMul of `[k, in, 1] x [k, 1, out]`), so memory is `k * d` floats, the size
 * of the Jacobian itself.
 */
export function jacobianGraph(graph: Graph, options: JacobianOptions): Graph {
  const rows = graph.values[options.rows];
  if (rows === undefined)
    throw new GraphError(null, `rows ${options.rows} is not a value of graph ${graph.name}`);
  if (rows.shape.length !== 1 || (rows.type !== 'float32' && rows.type !== 'float64')) {
    throw new GraphError(
      null,
      `rows ${options.rows} must be a float vector [k], got [${rows.shape.join(', ')}]`,
    );
  }
  const batch = rows.shape[0] as string | number;
  const parameters = parameterInfos(graph, options.parameters);
  const builder = GraphBuilder.extend(graph, `${graph.name}.jacobian`);
  const seed = builder.expand(builder.scalar(1, rows.type), builder.shape(rows.name));
  const perExample = emitBackward(builder, graph, rows.name, seed, options.parameters, {
    kind: 'per_example',
    batch,
  });
  const zeroColumn = builder.mul(builder.unsqueeze(rows.name, [1]), builder.scalar(0, rows.type));
  const blocks: Value[] = parameters.map((parameter) => {
    const block = perExample.get(parameter.name);
    if (block !== null && block !== undefined) return block;
    const width = staticSize(parameter, parameter.name);
    return builder.expand(zeroColumn, builder.int64Constant([1, width]));
  });
  builder.markOutput(rows.name);
  builder.output(
    blocks.length === 1 ? (blocks[0] as Value) : builder.concat(blocks, 1),
    'jacobian',
  );
  return pruneGraph(builder.build());
}
