import { GraphError } from '../errors.js';
import type { Attribute, Graph, Value } from '../graph.js';
import type { TensorType } from '../tensor.js';
import { GraphAssembler, type Operand } from './graph-assembler.js';
import { DATA_TYPE_CODES } from './infer.js';

export type { Operand } from './graph-assembler.js';

/** Options of the Gemm operator: `alpha * A' * B' + beta * C`. */
export interface GemmOptions {
  alpha?: number;
  beta?: number;
  transA?: boolean;
  transB?: boolean;
}

/** Default LayerNormalization epsilon, the ONNX default. */
const DEFAULT_LAYER_NORM_EPSILON = 1e-5;

/**
 * Builds a graph operator by operator, inferring types and shapes as it goes so that a bad graph
 * fails at the node that makes it bad.
 */
export class GraphBuilder extends GraphAssembler {
  /** Starts a builder that contains every input, parameter, constant and node of `graph`. */
  static extend(graph: Graph, name = graph.name): GraphBuilder {
    const builder = new GraphBuilder(name);
    builder.load(graph);
    return builder;
  }

  matMul(a: Operand, b: Operand): Value {
    return this.node('MatMul', [a, b]);
  }

  gemm(a: Operand, b: Operand, c?: Operand, options: GemmOptions = {}): Value {
    const attributes: Record<string, Attribute> = {
      alpha: { kind: 'float', value: options.alpha ?? 1 },
      beta: { kind: 'float', value: options.beta ?? 1 },
      transA: { kind: 'int', value: options.transA ? 1 : 0 },
      transB: { kind: 'int', value: options.transB ? 1 : 0 },
    };
    return this.node('Gemm', c === undefined ? [a, b] : [a, b, c], attributes);
  }

  add(a: Operand, b: Operand): Value {
    return this.node('Add', [a, b]);
  }

  sub(a: Operand, b: Operand): Value {
    return this.node('Sub', [a, b]);
  }

  mul(a: Operand, b: Operand): Value {
    return this.node('Mul', [a, b]);
  }

  div(a: Operand, b: Operand): Value {
    return this.node('Div', [a, b]);
  }

  neg(x: Operand): Value {
    return this.node('Neg', [x]);
  }

  relu(x: Operand): Value {
    return this.node('Relu', [x]);
  }

  tanh(x: Operand): Value {
    return this.node('Tanh', [x]);
  }

  sigmoid(x: Operand): Value {
    return this.node('Sigmoid', [x]);
  }

  exp(x: Operand): Value {
    return this.node('Exp', [x]);
  }

  log(x: Operand): Value {
    return this.node('Log', [x]);
  }

  sqrt(x: Operand): Value {
    return this.node('Sqrt', [x]);
  }

  softmax(x: Operand, axis = -1): Value {
    return this.node('Softmax', [x], { axis: { kind: 'int', value: axis } });
  }

  logSoftmax(x: Operand, axis = -1): Value {
    return this.node('LogSoftmax', [x], { axis: { kind: 'int', value: axis } });
  }

  /** Sums over `axes` (all axes when empty). */
  reduceSum(x: Operand, axes: readonly number[] = [], keepDims = true): Value {
    const keep: Attribute = { kind: 'int', value: keepDims ? 1 : 0 };
    if (axes.length === 0) return this.node('ReduceSum', [x], { keepdims: keep });
    return this.node('ReduceSum', [x, this.int64Constant(axes)], { keepdims: keep });
  }

  /** Averages over `axes` (all axes when empty). */
  reduceMean(x: Operand, axes: readonly number[] = [], keepDims = true): Value {
    return this.node('ReduceMean', [x], this.reduceAttributes(axes, keepDims));
  }

  /** Takes the maximum over `axes` (all axes when empty). */
  reduceMax(x: Operand, axes: readonly number[] = [], keepDims = true): Value {
    return this.node('ReduceMax', [x], this.reduceAttributes(axes, keepDims));
  }

  /** Reshapes to a fixed target (0 copies a dimension, -1 is inferred) or to a Shape output. */
  reshape(x: Operand, shape: readonly number[] | Value): Value {
    const target = Array.isArray(shape) ? this.int64Constant(shape) : (shape as Value);
    return this.node('Reshape', [x, target]);
  }

  transpose(x: Operand, perm?: readonly number[]): Value {
    if (perm === undefined) return this.node('Transpose', [x]);
    return this.node('Transpose', [x], { perm: { kind: 'ints', value: [...perm] } });
  }

  unsqueeze(x: Operand, axes: readonly number[]): Value {
    return this.node('Unsqueeze', [x, this.int64Constant(axes)]);
  }

  concat(values: readonly Operand[], axis: number): Value {
    return this.node('Concat', values, { axis: { kind: 'int', value: axis } });
  }

  slice(
    x: Operand,
    starts: readonly number[],
    ends: readonly number[],
    axes?: readonly number[],
    steps?: readonly number[],
  ): Value {
    const operands: Operand[] = [x, this.int64Constant(starts), this.int64Constant(ends)];
    if (axes !== undefined || steps !== undefined) {
      operands.push(this.int64Constant(axes ?? starts.map((_, i) => i)));
    }
    if (steps !== undefined) operands.push(this.int64Constant(steps));
    return this.node('Slice', operands);
  }

  /** Gathers slices of `data` along `axis` (an embedding lookup when `data` is a table). */
  gather(data: Operand, indices: Operand, axis = 0): Value {
    return this.node('Gather', [data, indices], { axis: { kind: 'int', value: axis } });
  }

  where(condition: Operand, x: Operand, y: Operand): Value {
    return this.node('Where', [condition, x, y]);
  }

  equal(a: Operand, b: Operand): Value {
    return this.node('Equal', [a, b]);
  }

  greater(a: Operand, b: Operand): Value {
    return this.node('Greater', [a, b]);
  }

  /** Normalizes over the axes from `axis` to the last, then scales and shifts. */
  layerNormalization(
    x: Operand,
    scale: Operand,
    bias?: Operand,
    options: { axis?: number; epsilon?: number } = {},
  ): Value {
    const attributes: Record<string, Attribute> = {
      axis: { kind: 'int', value: options.axis ?? -1 },
      epsilon: { kind: 'float', value: options.epsilon ?? DEFAULT_LAYER_NORM_EPSILON },
    };
    const operands = bias === undefined ? [x, scale] : [x, scale, bias];
    return this.node('LayerNormalization', operands, attributes);
  }

  cast(x: Operand, type: TensorType): Value {
    return this.node('Cast', [x], { to: { kind: 'int', value: DATA_TYPE_CODES[type] } });
  }

  /** Returns the run-time element count of `x` as an int64 scalar. */
  size(x: Operand): Value {
    return this.node('Size', [x]);
  }

  /** Broadcasts `x` to the shape held by `shape` (a Shape output or an int64 constant). */
  expand(x: Operand, shape: Value): Value {
    return this.node('Expand', [x, shape]);
  }

  /** Pads with zeros. `pads` lists the start pads of every axis, then the end pads. */
  pad(x: Operand, pads: readonly number[]): Value {
    return this.node('Pad', [x, this.int64Constant(pads)]);
  }

  identity(x: Operand): Value {
    return this.node('Identity', [x]);
  }

  /**
   * Returns the per-row cross-entropy `-log softmax(logits)[label]` as a `[batch]` vector, built
   * from LogSoftmax, a one-hot mask and a sum. Take its `reduceMean` for the batch loss.
   */
  crossEntropy(logits: Operand, labels: Operand): Value {
    const logitsInfo = this.resolve(logits, 'crossEntropy');
    const classes = logitsInfo.shape[logitsInfo.shape.length - 1];
    if (logitsInfo.shape.length !== 2 || typeof classes !== 'number') {
      throw new GraphError(
        null,
        'crossEntropy needs logits of shape [batch, classes] with fixed classes',
      );
    }
    const classIds = this.int64Constant(Array.from({ length: classes }, (_, i) => i));
    const mask = this.cast(this.equal(this.unsqueeze(labels, [1]), classIds), logitsInfo.type);
    const picked = this.reduceSum(this.mul(this.logSoftmax(logits, 1), mask), [1], false);
    return this.neg(picked);
  }

  private reduceAttributes(axes: readonly number[], keepDims: boolean): Record<string, Attribute> {
    const attributes: Record<string, Attribute> = {
      keepdims: { kind: 'int', value: keepDims ? 1 : 0 },
    };
    if (axes.length > 0) attributes['axes'] = { kind: 'ints', value: [...axes] };
    return attributes;
  }
}
