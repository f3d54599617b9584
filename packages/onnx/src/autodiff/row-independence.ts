import { normalizeAxis } from '../builder/shapes.js';
import { GraphError } from '../errors.js';
import type { Attribute, Dim, Graph, GraphNode } from '../graph.js';
import { isFloatType } from '../tensor.js';

/** Operators whose `axis` attribute mixes entries along that axis. */
const AXIS_MIXING = new Set(['Softmax', 'LogSoftmax', 'Concat', 'LayerNormalization']);

function axisAttribute(node: GraphNode, fallback: number): number {
  const attribute: Attribute | undefined = node.attributes['axis'];
  return attribute?.kind === 'int' ? attribute.value : fallback;
}

/**
 * Checks that each batch-dependent float value feeding `rows` keeps the batch axis first, and that
 * no operator mixes entries along it, so row `i` depends only on batch item `i`. This is a
 * static check of shapes and axes. NOTE: it cannot see mixing hidden in a Reshape that keeps the
 * leading dimension size, such as `[batch, 4] -> [4, batch]` with a fixed batch of 4.
 */
export function checkRowIndependence(
  graph: Graph,
  rows: string,
  batch: Dim,
  needed: ReadonlySet<string>,
  batchDependent: ReadonlySet<string>,
): void {
  for (const node of graph.nodes) {
    const output = graph.values[node.outputs[0] as string];
    if (output === undefined || !needed.has(output.name) || !batchDependent.has(output.name))
      continue;
    if (!isFloatType(output.type)) continue;
    if (output.shape[0] !== batch) {
      throw new GraphError(
        node.name,
        `${node.op} output [${output.shape.join(', ')}] does not keep the batch axis ${batch} first, so rows of ${rows} would mix batch items`,
      );
    }
    if (AXIS_MIXING.has(node.op)) {
      const fallback = node.op === 'Concat' ? 0 : -1;
      const axis = normalizeAxis(axisAttribute(node, fallback), output.shape.length);
      if (axis === 0) {
        throw new GraphError(
          node.name,
          `${node.op} along the batch axis mixes the rows of ${rows}`,
        );
      }
    }
  }
}
