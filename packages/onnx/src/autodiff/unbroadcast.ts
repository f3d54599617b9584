import type { GraphBuilder } from '../builder/graph-builder.js';
import { GraphError } from '../errors.js';
import type { Dim, Value, ValueInfo } from '../graph.js';

/** Returns the output axes that broadcasting added or stretched when `input` became `output`. */
export function broadcastAxes(
  input: readonly Dim[],
  output: readonly Dim[],
): { leading: number[]; stretched: number[] } {
  const offset = output.length - input.length;
  const leading = Array.from({ length: Math.max(0, offset) }, (_, i) => i);
  const stretched: number[] = [];
  input.forEach((dim, i) => {
    if (dim === 1 && output[i + offset] !== 1) stretched.push(i + offset);
  });
  return { leading, stretched };
}

/** Sums a cotangent of the broadcast output shape back to the shape of `input`. */
export function unbroadcast(builder: GraphBuilder, cotangent: Value, input: ValueInfo): Value {
  const { leading, stretched } = broadcastAxes(input.shape, cotangent.shape);
  let result = cotangent;
  if (stretched.length > 0) result = builder.reduceSum(result, stretched, true);
  if (leading.length > 0) result = builder.reduceSum(result, leading, false);
  return result;
}

/**
 * Sums a broadcast-shaped cotangent to one row per batch item: `[batch, size of input]`. Axis 0
 * of the cotangent must be the batch axis, and `input` must not vary along it.
 */
export function perExampleReduce(
  builder: GraphBuilder,
  cotangent: Value,
  input: ValueInfo,
  batch: Dim,
  nodeName: string,
): Value {
  if (cotangent.shape[0] !== batch) {
    throw new GraphError(
      nodeName,
      `per-row gradient of ${input.name} needs the batch axis first, got [${cotangent.shape.join(', ')}]`,
    );
  }
  const { leading, stretched } = broadcastAxes(input.shape, cotangent.shape);
  if (leading.length === 0 && input.shape[0] !== 1) {
    throw new GraphError(
      nodeName,
      `${input.name} varies along the batch axis, so it has no per-row gradient`,
    );
  }
  const axes = [...leading, ...stretched].filter((axis) => axis !== 0);
  const reduced = axes.length > 0 ? builder.reduceSum(cotangent, axes, true) : cotangent;
  return builder.reshape(reduced, [0, staticSize(input, nodeName)]);
}

/** Returns the element count of a value with fixed dimensions. */
export function staticSize(info: ValueInfo, nodeName: string): number {
  let size = 1;
  for (const dim of info.shape) {
    if (typeof dim !== 'number') {
      throw new GraphError(
        nodeName,
        `${info.name} has symbolic dimension ${dim}; parameters need fixed shapes`,
      );
    }
    size *= dim;
  }
  return size;
}
