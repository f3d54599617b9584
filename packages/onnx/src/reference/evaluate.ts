import { GaltError } from '@galt/core';
import { DATA_TYPE_CODES } from '../builder/infer.js';
import type { Attribute, Graph, GraphNode } from '../graph.js';
import { isFloatType, type TensorType, type TensorValue } from '../tensor.js';
import { cast, compare, mapBinary, mapUnary, sigmoid, where } from './elementwise-kernels.js';
import { checkFeeds } from './feeds.js';
import { gemm, layerNormalization, matMul, reduce, softmax } from './math-kernels.js';
import {
  concat,
  expand,
  gather,
  pad,
  reshape,
  slice,
  transpose,
  unsqueeze,
} from './shape-kernels.js';
import { integers } from './tensor-ops.js';

/** Options of `evaluateReference`. */
export interface ReferenceOptions {
  /** `float64` computes every float tensor in double precision, for finite-difference checks. */
  precision?: 'float32' | 'float64';
}

type Kernel = (inputs: readonly (TensorValue | undefined)[], node: GraphNode) => TensorValue;

function intAttr(node: GraphNode, name: string, fallback: number): number {
  const attribute: Attribute | undefined = node.attributes[name];
  return attribute?.kind === 'int' ? attribute.value : fallback;
}

function floatAttr(node: GraphNode, name: string, fallback: number): number {
  const attribute: Attribute | undefined = node.attributes[name];
  return attribute?.kind === 'float' ? attribute.value : fallback;
}

function intsAttr(node: GraphNode, name: string): readonly number[] | undefined {
  const attribute: Attribute | undefined = node.attributes[name];
  return attribute?.kind === 'ints' ? attribute.value : undefined;
}

const arg = (inputs: readonly (TensorValue | undefined)[], index: number): TensorValue => {
  const value = inputs[index];
  if (value === undefined) throw new Error(`input ${index} is missing`);
  return value;
};

const unary =
  (fn: (value: number) => number): Kernel =>
  (inputs) =>
    mapUnary(arg(inputs, 0), fn);

const binary =
  (fn: (x: number, y: number) => number): Kernel =>
  (inputs) =>
    mapBinary(arg(inputs, 0), arg(inputs, 1), fn);

function castTarget(node: GraphNode, precision: 'float32' | 'float64'): TensorType {
  const code = intAttr(node, 'to', 0);
  const entry = Object.entries(DATA_TYPE_CODES).find(([, value]) => value === code);
  const type = (entry?.[0] ?? 'float32') as TensorType;
  return precision === 'float64' && isFloatType(type) ? 'float64' : type;
}

function kernels(precision: 'float32' | 'float64'): Readonly<Record<string, Kernel>> {
  return {
    MatMul: (inputs) => matMul(arg(inputs, 0), arg(inputs, 1)),
    Gemm: (inputs, node) =>
      gemm(arg(inputs, 0), arg(inputs, 1), inputs[2], {
        alpha: floatAttr(node, 'alpha', 1),
        beta: floatAttr(node, 'beta', 1),
        transA: intAttr(node, 'transA', 0) === 1,
        transB: intAttr(node, 'transB', 0) === 1,
      }),
    Add: binary((x, y) => x + y),
    Sub: binary((x, y) => x - y),
    Mul: binary((x, y) => x * y),
    Div: binary((x, y) => x / y),
    Neg: unary((x) => -x),
    Relu: unary((x) => Math.max(x, 0)),
    Tanh: unary(Math.tanh),
    Sigmoid: unary(sigmoid),
    Exp: unary(Math.exp),
    Log: unary(Math.log),
    Sqrt: unary(Math.sqrt),
    Softmax: (inputs, node) => softmax(arg(inputs, 0), intAttr(node, 'axis', -1), false),
    LogSoftmax: (inputs, node) => softmax(arg(inputs, 0), intAttr(node, 'axis', -1), true),
    ReduceSum: (inputs, node) => {
      const axes = inputs[1] === undefined ? [] : integers(inputs[1]);
      return reduce(arg(inputs, 0), axes, intAttr(node, 'keepdims', 1) === 1, 'sum');
    },
    ReduceMean: (inputs, node) =>
      reduce(
        arg(inputs, 0),
        intsAttr(node, 'axes') ?? [],
        intAttr(node, 'keepdims', 1) === 1,
        'mean',
      ),
    ReduceMax: (inputs, node) =>
      reduce(
        arg(inputs, 0),
        intsAttr(node, 'axes') ?? [],
        intAttr(node, 'keepdims', 1) === 1,
        'max',
      ),
    Reshape: (inputs) => reshape(arg(inputs, 0), integers(arg(inputs, 1))),
    Transpose: (inputs, node) => transpose(arg(inputs, 0), intsAttr(node, 'perm')),
    Unsqueeze: (inputs) => unsqueeze(arg(inputs, 0), integers(arg(inputs, 1))),
    Concat: (inputs, node) =>
      concat(
        inputs.map((_, i) => arg(inputs, i)),
        intAttr(node, 'axis', 0),
      ),
    Slice: (inputs) => {
      const starts = integers(arg(inputs, 1));
      const axes = inputs[3] === undefined ? starts.map((_, i) => i) : integers(inputs[3]);
      const steps = inputs[4] === undefined ? starts.map(() => 1) : integers(inputs[4]);
      return slice(arg(inputs, 0), starts, integers(arg(inputs, 2)), axes, steps);
    },
    Gather: (inputs, node) => gather(arg(inputs, 0), arg(inputs, 1), intAttr(node, 'axis', 0)),
    Where: (inputs) => where(arg(inputs, 0), arg(inputs, 1), arg(inputs, 2)),
    Equal: (inputs) => compare(arg(inputs, 0), arg(inputs, 1), (x, y) => x === y),
    Greater: (inputs) => compare(arg(inputs, 0), arg(inputs, 1), (x, y) => x > y),
    LayerNormalization: (inputs, node) =>
      layerNormalization(
        arg(inputs, 0),
        arg(inputs, 1),
        inputs[2],
        intAttr(node, 'axis', -1),
        floatAttr(node, 'epsilon', 1e-5),
      ),
    Shape: (inputs) => {
      const dims = arg(inputs, 0).dims;
      return { type: 'int64', dims: [dims.length], data: BigInt64Array.from(dims, BigInt) };
    },
    Size: (inputs) => {
      const count = arg(inputs, 0).data.length;
      return { type: 'int64', dims: [], data: BigInt64Array.of(BigInt(count)) };
    },
    Cast: (inputs, node) => cast(arg(inputs, 0), castTarget(node, precision)),
    Expand: (inputs) => expand(arg(inputs, 0), integers(arg(inputs, 1))),
    Pad: (inputs) => pad(arg(inputs, 0), integers(arg(inputs, 1))),
    Identity: (inputs) => arg(inputs, 0),
  };
}

function toPrecision(value: TensorValue, precision: 'float32' | 'float64'): TensorValue {
  if (precision === 'float64' && value.type === 'float32') return cast(value, 'float64');
  return value;
}

/**
 * Runs a graph with plain TypeScript kernels. With `precision: 'float64'` every float value is
 * computed in double precision, float64 tensors may feed float32 inputs, and float outputs come
 * back as float64 tensors.
 */
export function evaluateReference(
  graph: Graph,
  feeds: Readonly<Record<string, TensorValue>>,
  options: ReferenceOptions = {},
): Record<string, TensorValue> {
  const precision = options.precision ?? 'float32';
  checkFeeds(graph, feeds, { acceptFloat64: precision === 'float64' });
  const table = kernels(precision);
  const environment = new Map<string, TensorValue>();
  for (const [name, value] of Object.entries(graph.constants)) {
    environment.set(name, toPrecision(value, precision));
  }
  for (const [name, value] of Object.entries(feeds))
    environment.set(name, toPrecision(value, precision));
  for (const node of graph.nodes) {
    const kernel = table[node.op];
    if (kernel === undefined) {
      throw new GaltError('graph_invalid', `node ${node.name}: no reference kernel for ${node.op}`);
    }
    const inputs = node.inputs.map((name) => (name === '' ? undefined : environment.get(name)));
    try {
      environment.set(node.outputs[0] as string, kernel(inputs, node));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new GaltError('invalid_input', `node ${node.name} (${node.op}) failed: ${reason}`);
    }
  }
  const outputs: Record<string, TensorValue> = {};
  for (const output of graph.outputs)
    outputs[output.name] = environment.get(output.name) as TensorValue;
  return outputs;
}
