import type { TensorType, TensorValue } from './tensor.js';

/** One dimension: a fixed size, or a symbolic name such as `batch` that is bound at run time. */
export type Dim = number | string;

/** Element type and shape of one value in a graph. */
export interface ValueInfo {
  name: string;
  type: TensorType;
  shape: readonly Dim[];
}

/** Attribute of a node, tagged with its ONNX attribute kind. */
export type Attribute =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'string'; value: string };

/** One operator application. */
export interface GraphNode {
  name: string;
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes: Readonly<Record<string, Attribute>>;
}

/** A validated, shape-inferred computation graph in topological order. */
export interface Graph {
  name: string;
  /** Data inputs fed on every run. */
  inputs: readonly ValueInfo[];
  /** Trainable parameters, which are graph inputs owned by the caller unless exported as initializers. */
  parameters: readonly ValueInfo[];
  /** Constant tensors, emitted as initializers. */
  constants: Readonly<Record<string, TensorValue>>;
  nodes: readonly GraphNode[];
  outputs: readonly ValueInfo[];
  /** Type and shape of every value, inputs and intermediates included. */
  values: Readonly<Record<string, ValueInfo>>;
}

/** Handle to a value while a graph is being built. */
export interface Value {
  readonly name: string;
  readonly type: TensorType;
  readonly shape: readonly Dim[];
}
