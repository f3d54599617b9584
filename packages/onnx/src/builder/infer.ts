import type { Attribute, Dim, ValueInfo } from '../graph.js';
import { isFloatType, type TensorType, type TensorValue, toNumbers } from '../tensor.js';
import {
  broadcastShapes,
  formatShape,
  normalizeAxis,
  reshapeShape,
  ShapeProblem,
} from './shapes.js';

/** Type and shape of one node output. */
export interface OutputInfo {
  type: TensorType;
  shape: Dim[];
}

/** Operator, operands and attributes passed to a shape rule. */
export interface InferContext {
  op: string;
  inputs: readonly (ValueInfo | null)[];
  attributes: Readonly<Record<string, Attribute>>;
  /** Returns the constant tensor behind an input name, if it is one. */
  constant(index: number): TensorValue | undefined;
  /** Returns the shape a value produced by a Shape node describes, if it is one. */
  describedShape(index: number): readonly Dim[] | undefined;
}

type Rule = (context: InferContext) => OutputInfo[];

/** ONNX DataType codes for the Cast `to` attribute. */
export const DATA_TYPE_CODES: Readonly<Record<TensorType, number>> = {
  float32: 1,
  int64: 7,
  bool: 9,
  float64: 11,
};

function input(context: InferContext, index: number): ValueInfo {
  const info = context.inputs[index];
  if (info === undefined || info === null) throw new ShapeProblem(`input ${index} is missing`);
  return info;
}

function intAttribute(context: InferContext, name: string, fallback: number): number {
  const attribute = context.attributes[name];
  return attribute?.kind === 'int' ? attribute.value : fallback;
}

function intsAttribute(context: InferContext, name: string): readonly number[] | undefined {
  const attribute = context.attributes[name];
  return attribute?.kind === 'ints' ? attribute.value : undefined;
}

function requireFloat(info: ValueInfo, role: string): void {
  if (!isFloatType(info.type)) throw new ShapeProblem(`${role} must be a float, got ${info.type}`);
}

function requireSameType(a: ValueInfo, b: ValueInfo): void {
  if (a.type !== b.type) throw new ShapeProblem(`input types ${a.type} and ${b.type} differ`);
}

function constantInts(context: InferContext, index: number, role: string): number[] {
  const tensor = context.constant(index);
  if (tensor === undefined || tensor.type !== 'int64') {
    throw new ShapeProblem(`${role} must be a constant int64 tensor`);
  }
  return toNumbers(tensor);
}

const unaryFloat: Rule = (context) => {
  const x = input(context, 0);
  requireFloat(x, 'input');
  return [{ type: x.type, shape: [...x.shape] }];
};

const binaryArithmetic: Rule = (context) => {
  const a = input(context, 0);
  const b = input(context, 1);
  requireSameType(a, b);
  return [{ type: a.type, shape: broadcastShapes(a.shape, b.shape) }];
};

const comparison: Rule = (context) => {
  const a = input(context, 0);
  const b = input(context, 1);
  requireSameType(a, b);
  return [{ type: 'bool', shape: broadcastShapes(a.shape, b.shape) }];
};

const softmaxLike: Rule = (context) => {
  const x = input(context, 0);
  requireFloat(x, 'input');
  normalizeAxis(intAttribute(context, 'axis', -1), x.shape.length);
  return [{ type: x.type, shape: [...x.shape] }];
};

function reducedShape(shape: readonly Dim[], axes: readonly number[], keep: boolean): Dim[] {
  const resolved = axes.length === 0 ? shape.map((_, i) => i) : axes;
  const set = new Set(resolved.map((axis) => normalizeAxis(axis, shape.length)));
  const out: Dim[] = [];
  shape.forEach((dim, i) => {
    if (!set.has(i)) out.push(dim);
    else if (keep) out.push(1);
  });
  return out;
}

const reduceWithAxesInput: Rule = (context) => {
  const x = input(context, 0);
  const axes = context.inputs.length > 1 ? constantInts(context, 1, 'axes') : [];
  const keep = intAttribute(context, 'keepdims', 1) === 1;
  return [{ type: x.type, shape: reducedShape(x.shape, axes, keep) }];
};

const reduceWithAxesAttribute: Rule = (context) => {
  const x = input(context, 0);
  const axes = intsAttribute(context, 'axes') ?? [];
  const keep = intAttribute(context, 'keepdims', 1) === 1;
  return [{ type: x.type, shape: reducedShape(x.shape, axes, keep) }];
};

const matMul: Rule = (context) => {
  const a = input(context, 0);
  const b = input(context, 1);
  requireSameType(a, b);
  requireFloat(a, 'MatMul input');
  if (a.shape.length < 2 || b.shape.length < 2) {
    throw new ShapeProblem('MatMul inputs must have rank 2 or more');
  }
  const k1 = a.shape[a.shape.length - 1] as Dim;
  const k2 = b.shape[b.shape.length - 2] as Dim;
  if (typeof k1 === 'number' && typeof k2 === 'number' && k1 !== k2) {
    throw new ShapeProblem(
      `MatMul inner dimensions differ: ${formatShape(a.shape)} x ${formatShape(b.shape)}`,
    );
  }
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const m = a.shape[a.shape.length - 2] as Dim;
  const n = b.shape[b.shape.length - 1] as Dim;
  return [{ type: a.type, shape: [...batch, m, n] }];
};

const gemm: Rule = (context) => {
  const a = input(context, 0);
  const b = input(context, 1);
  requireSameType(a, b);
  requireFloat(a, 'Gemm input');
  if (a.shape.length !== 2 || b.shape.length !== 2) {
    throw new ShapeProblem('Gemm inputs A and B must have rank 2');
  }
  const transA = intAttribute(context, 'transA', 0) === 1;
  const transB = intAttribute(context, 'transB', 0) === 1;
  const [m, k1] = (transA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]]) as Dim[];
  const [k2, n] = (transB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]]) as Dim[];
  if (typeof k1 === 'number' && typeof k2 === 'number' && k1 !== k2) {
    throw new ShapeProblem(
      `Gemm inner dimensions differ: ${formatShape(a.shape)} x ${formatShape(b.shape)}`,
    );
  }
  const shape: Dim[] = [m as Dim, n as Dim];
  const c = context.inputs[2];
  if (c !== undefined && c !== null) {
    requireSameType(a, c);
    const broadcast = broadcastShapes(shape, c.shape);
    if (broadcast.length !== 2 || broadcast[0] !== shape[0] || broadcast[1] !== shape[1]) {
      throw new ShapeProblem(`Gemm C ${formatShape(c.shape)} does not broadcast to the output`);
    }
  }
  return [{ type: a.type, shape }];
};

const reshape: Rule = (context) => {
  const x = input(context, 0);
  const described = context.describedShape(1);
  if (described !== undefined) return [{ type: x.type, shape: [...described] }];
  const target = constantInts(context, 1, 'Reshape shape');
  return [{ type: x.type, shape: reshapeShape(x.shape, target) }];
};

const transpose: Rule = (context) => {
  const x = input(context, 0);
  const rank = x.shape.length;
  const perm = intsAttribute(context, 'perm') ?? x.shape.map((_, i) => rank - 1 - i);
  const sorted = [...perm].sort((p, q) => p - q);
  if (perm.length !== rank || sorted.some((axis, i) => axis !== i)) {
    throw new ShapeProblem(`perm [${perm.join(', ')}] is not a permutation of rank ${rank}`);
  }
  return [{ type: x.type, shape: perm.map((axis) => x.shape[axis] as Dim) }];
};

const unsqueeze: Rule = (context) => {
  const x = input(context, 0);
  const axes = constantInts(context, 1, 'Unsqueeze axes');
  const rank = x.shape.length + axes.length;
  const resolved = new Set(axes.map((axis) => normalizeAxis(axis, rank)));
  if (resolved.size !== axes.length) throw new ShapeProblem('Unsqueeze axes repeat');
  const out: Dim[] = [];
  let next = 0;
  for (let i = 0; i < rank; i++) out.push(resolved.has(i) ? 1 : (x.shape[next++] as Dim));
  return [{ type: x.type, shape: out }];
};

const concat: Rule = (context) => {
  const first = input(context, 0);
  const axis = normalizeAxis(intAttribute(context, 'axis', 0), first.shape.length);
  let total: Dim = 0;
  context.inputs.forEach((_, index) => {
    const info = input(context, index);
    requireSameType(first, info);
    if (info.shape.length !== first.shape.length) throw new ShapeProblem('Concat ranks differ');
    info.shape.forEach((dim, i) => {
      if (i !== axis && dim !== first.shape[i]) {
        throw new ShapeProblem(
          `Concat shapes ${formatShape(first.shape)} and ${formatShape(info.shape)} differ`,
        );
      }
    });
    const dim = info.shape[axis] as Dim;
    total = typeof total === 'number' && typeof dim === 'number' ? total + dim : `${total}+${dim}`;
  });
  const shape = [...first.shape];
  shape[axis] = total;
  return [{ type: first.type, shape }];
};

function sliceDim(dim: Dim, start: number, end: number, step: number): number {
  if (typeof dim !== 'number') throw new ShapeProblem('Slice on a symbolic dimension');
  const clamp = (value: number, low: number, high: number) => Math.min(Math.max(value, low), high);
  const resolve = (value: number) => (value < 0 ? value + dim : value);
  if (step > 0) {
    const from = clamp(resolve(start), 0, dim);
    const to = clamp(resolve(end), 0, dim);
    return Math.max(0, Math.ceil((to - from) / step));
  }
  const from = clamp(resolve(start), -1, dim - 1);
  const to = clamp(resolve(end), -1, dim - 1);
  return Math.max(0, Math.ceil((to - from) / step));
}

const slice: Rule = (context) => {
  const x = input(context, 0);
  const starts = constantInts(context, 1, 'Slice starts');
  const ends = constantInts(context, 2, 'Slice ends');
  const axes = context.inputs[3] ? constantInts(context, 3, 'Slice axes') : starts.map((_, i) => i);
  const steps = context.inputs[4] ? constantInts(context, 4, 'Slice steps') : starts.map(() => 1);
  if (ends.length !== starts.length || axes.length !== starts.length) {
    throw new ShapeProblem('Slice starts, ends and axes differ in length');
  }
  const shape = [...x.shape];
  axes.forEach((axis, i) => {
    const resolved = normalizeAxis(axis, shape.length);
    const step = steps[i] ?? 1;
    if (step === 0) throw new ShapeProblem('Slice step is 0');
    shape[resolved] = sliceDim(shape[resolved] as Dim, starts[i] ?? 0, ends[i] ?? 0, step);
  });
  return [{ type: x.type, shape }];
};

const gather: Rule = (context) => {
  const data = input(context, 0);
  const indices = input(context, 1);
  if (indices.type !== 'int64') throw new ShapeProblem('Gather indices must be int64');
  const axis = normalizeAxis(intAttribute(context, 'axis', 0), data.shape.length);
  const shape = [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)];
  return [{ type: data.type, shape }];
};

const where: Rule = (context) => {
  const condition = input(context, 0);
  const x = input(context, 1);
  const y = input(context, 2);
  if (condition.type !== 'bool') throw new ShapeProblem('Where condition must be bool');
  requireSameType(x, y);
  const shape = broadcastShapes(broadcastShapes(condition.shape, x.shape), y.shape);
  return [{ type: x.type, shape }];
};

const layerNormalization: Rule = (context) => {
  const x = input(context, 0);
  const scale = input(context, 1);
  requireFloat(x, 'input');
  requireSameType(x, scale);
  const axis = normalizeAxis(intAttribute(context, 'axis', -1), x.shape.length);
  const normalized = x.shape.slice(axis);
  const check = (info: ValueInfo, role: string) => {
    const broadcast = broadcastShapes(normalized, info.shape);
    if (broadcast.length !== normalized.length || broadcast.some((d, i) => d !== normalized[i])) {
      throw new ShapeProblem(
        `${role} ${formatShape(info.shape)} does not match the normalized axes`,
      );
    }
  };
  check(scale, 'scale');
  const bias = context.inputs[2];
  if (bias !== undefined && bias !== null) check(bias, 'bias');
  return [{ type: x.type, shape: [...x.shape] }];
};

const shapeOf: Rule = (context) => [{ type: 'int64', shape: [input(context, 0).shape.length] }];

const sizeOf: Rule = (context) => {
  input(context, 0);
  return [{ type: 'int64', shape: [] }];
};

const cast: Rule = (context) => {
  const x = input(context, 0);
  const code = intAttribute(context, 'to', 0);
  const entry = Object.entries(DATA_TYPE_CODES).find(([, value]) => value === code);
  if (entry === undefined) throw new ShapeProblem(`Cast to data type ${code} is not supported`);
  return [{ type: entry[0] as TensorType, shape: [...x.shape] }];
};

const expand: Rule = (context) => {
  const x = input(context, 0);
  const described = context.describedShape(1);
  const target = described ?? constantInts(context, 1, 'Expand shape');
  return [{ type: x.type, shape: broadcastShapes(x.shape, target) }];
};

const pad: Rule = (context) => {
  const x = input(context, 0);
  const pads = constantInts(context, 1, 'Pad pads');
  const rank = x.shape.length;
  if (pads.length !== 2 * rank) throw new ShapeProblem(`Pad needs ${2 * rank} pads`);
  const shape = x.shape.map((dim, i) => {
    const added = (pads[i] ?? 0) + (pads[i + rank] ?? 0);
    if (added === 0) return dim;
    if (typeof dim !== 'number') throw new ShapeProblem('Pad on a symbolic dimension');
    return dim + added;
  });
  return [{ type: x.type, shape }];
};

const identity: Rule = (context) => {
  const x = input(context, 0);
  return [{ type: x.type, shape: [...x.shape] }];
};

/** Shape and type rules of every operator the builder accepts. */
export const SHAPE_RULES: Readonly<Record<string, Rule>> = {
  MatMul: matMul,
  Gemm: gemm,
  Add: binaryArithmetic,
  Sub: binaryArithmetic,
  Mul: binaryArithmetic,
  Div: binaryArithmetic,
  Neg: unaryFloat,
  Relu: unaryFloat,
  Tanh: unaryFloat,
  Sigmoid: unaryFloat,
  Exp: unaryFloat,
  Log: unaryFloat,
  Sqrt: unaryFloat,
  Softmax: softmaxLike,
  LogSoftmax: softmaxLike,
  ReduceSum: reduceWithAxesInput,
  ReduceMean: reduceWithAxesAttribute,
  ReduceMax: reduceWithAxesAttribute,
  Reshape: reshape,
  Transpose: transpose,
  Unsqueeze: unsqueeze,
  Concat: concat,
  Slice: slice,
  Gather: gather,
  Where: where,
  Equal: comparison,
  Greater: comparison,
  LayerNormalization: layerNormalization,
  Shape: shapeOf,
  Size: sizeOf,
  Cast: cast,
  Expand: expand,
  Pad: pad,
  Identity: identity,
};
