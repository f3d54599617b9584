import { normalizeAxis } from '../builder/shapes.js';
import { GraphError } from '../errors.js';
import type { Dim, Value } from '../graph.js';
import { toNumbers } from '../tensor.js';
import {
  exact,
  inputAt,
  intAttribute,
  intsAttribute,
  type RuleContext,
  type VjpRule,
} from './rule-types.js';

function constantInts(context: RuleContext, index: number): number[] {
  const name = context.node.inputs[index];
  const tensor =
    name === undefined || name === '' ? undefined : context.builder.constantValue(name);
  if (tensor === undefined)
    throw new GraphError(context.node.name, `input ${index} must be constant`);
  return toNumbers(tensor);
}

/** Returns the sorted, non-negative reduction axes of a Reduce node, all axes when none are listed. */
function reduceAxes(context: RuleContext): number[] {
  const rank = inputAt(context, 0).shape.length;
  const listed =
    context.node.op === 'ReduceSum'
      ? context.node.inputs.length > 1
        ? constantInts(context, 1)
        : []
      : [...(intsAttribute(context, 'axes') ?? [])];
  const axes = listed.length === 0 ? Array.from({ length: rank }, (_, i) => i) : listed;
  return axes.map((axis) => normalizeAxis(axis, rank)).sort((a, b) => a - b);
}

/** Restores reduced axes as size 1 when the Reduce node dropped them. */
function keptShape(context: RuleContext, value: Value, axes: readonly number[]): Value {
  if (intAttribute(context, 'keepdims', 1) === 1) return value;
  return context.builder.unsqueeze(value, axes);
}

function expandToInput(context: RuleContext, value: Value): Value {
  const { builder } = context;
  return builder.expand(value, builder.shape(inputAt(context, 0)));
}

function reducedCount(context: RuleContext, axes: readonly number[]): Value {
  const { builder } = context;
  const x = inputAt(context, 0);
  const dims = axes.map((axis) => x.shape[axis] as Dim);
  if (dims.every((dim) => typeof dim === 'number')) {
    return builder.scalar(
      (dims as number[]).reduce((p, d) => p * d, 1),
      x.type,
    );
  }
  const inputSize = builder.cast(builder.size(x), x.type);
  return builder.div(inputSize, builder.cast(builder.size(context.output), x.type));
}

const reduceSum: VjpRule = (context) => {
  const axes = reduceAxes(context);
  return [exact(expandToInput(context, keptShape(context, context.gradient, axes))), null];
};

const reduceMean: VjpRule = (context) => {
  const axes = reduceAxes(context);
  const spread = expandToInput(context, keptShape(context, context.gradient, axes));
  return [exact(context.builder.div(spread, reducedCount(context, axes)))];
};

const reduceMax: VjpRule = (context) => {
  const { builder } = context;
  const x = inputAt(context, 0);
  const axes = reduceAxes(context);
  const maximum = keptShape(context, context.output, axes);
  // Ties share the cotangent equally, which keeps the result a valid subgradient.
  const mask = builder.cast(builder.equal(x, maximum), x.type);
  const share = builder.div(mask, builder.reduceSum(mask, axes, true));
  return [exact(builder.mul(share, keptShape(context, context.gradient, axes)))];
};

const softmax: VjpRule = (context) => {
  const { builder, gradient, output } = context;
  const axis = normalizeAxis(intAttribute(context, 'axis', -1), output.shape.length);
  const weighted = builder.reduceSum(builder.mul(gradient, output), [axis], true);
  return [exact(builder.mul(output, builder.sub(gradient, weighted)))];
};

const logSoftmax: VjpRule = (context) => {
  const { builder, gradient, output } = context;
  const axis = normalizeAxis(intAttribute(context, 'axis', -1), output.shape.length);
  const total = builder.reduceSum(gradient, [axis], true);
  return [exact(builder.sub(gradient, builder.mul(builder.exp(output), total)))];
};

const reshapeBack: VjpRule = (context) => {
  const { builder } = context;
  return [exact(builder.reshape(context.gradient, builder.shape(inputAt(context, 0)))), null];
};

const transpose: VjpRule = (context) => {
  const rank = context.output.shape.length;
  const perm =
    intsAttribute(context, 'perm') ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  const inverse = new Array<number>(rank);
  perm.forEach((axis, i) => {
    inverse[axis] = i;
  });
  return [exact(context.builder.transpose(context.gradient, inverse))];
};

const concat: VjpRule = (context) => {
  const axis = normalizeAxis(intAttribute(context, 'axis', 0), context.output.shape.length);
  let offset = 0;
  return context.inputs.map((info, index) => {
    const length = info?.shape[axis];
    if (typeof length !== 'number') {
      throw new GraphError(context.node.name, 'Concat gradient needs fixed sizes along the axis');
    }
    const start = offset;
    offset += length;
    if (!context.needs(index)) return null;
    return exact(context.builder.slice(context.gradient, [start], [start + length], [axis]));
  });
};

const slice: VjpRule = (context) => {
  const x = inputAt(context, 0);
  const rank = x.shape.length;
  const starts = constantInts(context, 1);
  const ends = constantInts(context, 2);
  const axes = context.node.inputs[3] ? constantInts(context, 3) : starts.map((_, i) => i);
  const steps = context.node.inputs[4] ? constantInts(context, 4) : starts.map(() => 1);
  const pads = new Array<number>(2 * rank).fill(0);
  axes.forEach((axisValue, i) => {
    const axis = normalizeAxis(axisValue, rank);
    const size = x.shape[axis];
    if (steps[i] !== 1 || typeof size !== 'number') {
      throw new GraphError(context.node.name, 'Slice gradient needs step 1 on fixed-size axes');
    }
    const clamp = (value: number) => Math.min(Math.max(value < 0 ? value + size : value, 0), size);
    const from = clamp(starts[i] ?? 0);
    const to = Math.max(from, clamp(ends[i] ?? 0));
    pads[axis] = from;
    pads[axis + rank] = size - to;
  });
  return [exact(context.builder.pad(context.gradient, pads)), null, null, null, null];
};

export const STRUCTURAL_RULES: Readonly<Record<string, VjpRule>> = {
  ReduceSum: reduceSum,
  ReduceMean: reduceMean,
  ReduceMax: reduceMax,
  Softmax: softmax,
  LogSoftmax: logSoftmax,
  Reshape: reshapeBack,
  Unsqueeze: reshapeBack,
  Transpose: transpose,
  Concat: concat,
  Slice: slice,
};
