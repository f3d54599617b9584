import { normalizeAxis } from '../builder/shapes.js';
import { GraphError } from '../errors.js';
import type { Value, ValueInfo } from '../graph.js';
import {
  broadcast,
  exact,
  floatAttribute,
  inputAt,
  intAttribute,
  type PerExampleRule,
  type RuleContext,
  type VjpRule,
} from './rule-types.js';
import { staticSize } from './unbroadcast.js';

function tableShape(context: RuleContext): { rows: number; width: number; table: ValueInfo } {
  const table = inputAt(context, 0);
  if (intAttribute(context, 'axis', 0) !== 0) {
    throw new GraphError(context.node.name, 'Gather gradient supports only axis 0');
  }
  const size = staticSize(table, context.node.name);
  const rows = table.shape[0] as number;
  return { rows, width: rows === 0 ? 0 : size / rows, table };
}

/** Returns `[..., rows]` with a 1 where an index selects a row, as the table's float type. */
function oneHot(
  context: RuleContext,
  indices: Value,
  rows: number,
  type: ValueInfo['type'],
): Value {
  const { builder } = context;
  const rowIds = builder.int64Constant(Array.from({ length: rows }, (_, i) => i));
  return builder.cast(builder.equal(builder.unsqueeze(indices, [-1]), rowIds), type);
}

// NOTE: negative Gather indices select rows from the end in the forward pass, but the one-hot
// mask here matches only non-negative indices, so their gradient is zero.
const gather: VjpRule = (context) => {
  const { builder, gradient } = context;
  const { rows, width, table } = tableShape(context);
  const indices = builder.reshape(inputAt(context, 1), [-1]);
  const mask = oneHot(context, indices, rows, table.type);
  const flatGradient = builder.reshape(gradient, [-1, width]);
  const summed = builder.matMul(builder.transpose(mask, [1, 0]), flatGradient);
  return [exact(builder.reshape(summed, table.shape.map(Number))), null];
};

/** Per-row gradient of a lookup table: each row's one-hot mask times its cotangents. */
const perExampleGather: PerExampleRule = (context, index) => {
  if (index !== 0) return null;
  const { builder, gradient } = context;
  const { rows, width, table } = tableShape(context);
  const indices = builder.reshape(inputAt(context, 1), [0, -1]);
  const mask = oneHot(context, indices, rows, table.type);
  const rowGradient = builder.reshape(gradient, [0, -1, width]);
  const product = builder.matMul(builder.transpose(mask, [0, 2, 1]), rowGradient);
  return builder.reshape(product, [0, rows * width]);
};

const layerNormalization: VjpRule = (context) => {
  const { builder, gradient } = context;
  const x = inputAt(context, 0);
  const scale = inputAt(context, 1);
  const rank = x.shape.length;
  const first = normalizeAxis(intAttribute(context, 'axis', -1), rank);
  const axes = Array.from({ length: rank - first }, (_, i) => first + i);
  const epsilon = builder.scalar(floatAttribute(context, 'epsilon', 1e-5), x.type);

  // Recompute the normalized input, because the forward node does not output it.
  const centered = builder.sub(x, builder.reduceMean(x, axes, true));
  const variance = builder.reduceMean(builder.mul(centered, centered), axes, true);
  const inverseDeviation = builder.div(
    builder.scalar(1, x.type),
    builder.sqrt(builder.add(variance, epsilon)),
  );
  const normalized = builder.mul(centered, inverseDeviation);

  let inputGradient: Value | null = null;
  if (context.needs(0)) {
    const scaled = builder.mul(gradient, scale);
    const meanScaled = builder.reduceMean(scaled, axes, true);
    const projection = builder.reduceMean(builder.mul(scaled, normalized), axes, true);
    const centeredGradient = builder.sub(
      builder.sub(scaled, meanScaled),
      builder.mul(normalized, projection),
    );
    inputGradient = builder.mul(inverseDeviation, centeredGradient);
  }

  return [
    inputGradient === null ? null : exact(inputGradient),
    context.needs(1) ? broadcast(builder.mul(gradient, normalized)) : null,
    context.needs(2) ? broadcast(gradient) : null,
  ];
};

export const LOOKUP_RULES: Readonly<Record<string, VjpRule>> = {
  Gather: gather,
  LayerNormalization: layerNormalization,
};

export const LOOKUP_PER_EXAMPLE_RULES: Readonly<Record<string, PerExampleRule>> = {
  Gather: perExampleGather,
};
