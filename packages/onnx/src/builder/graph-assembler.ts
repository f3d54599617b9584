import { GraphError } from '../errors.js';
import type { Attribute, Dim, Graph, GraphNode, Value, ValueInfo } from '../graph.js';
import { int64Tensor, type TensorType, type TensorValue } from '../tensor.js';
import { type InferContext, SHAPE_RULES } from './infer.js';
import { ShapeProblem } from './shapes.js';

/** Operand of a builder method: a value handle or the name of a value already in the graph. */
export type Operand = Value | string;

/**
 * Graph state of a builder: declared values, constants, nodes and outputs. Every node passes
 * through `node`, which infers its output type and shape, so a bad graph fails at the node that
 * makes it bad. `GraphBuilder` adds one method per operator.
 */
export class GraphAssembler {
  readonly name: string;
  private readonly inputs: ValueInfo[] = [];
  private readonly parameters: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly constants: Record<string, TensorValue> = {};
  private readonly nodes: GraphNode[] = [];
  private readonly values: Record<string, ValueInfo> = {};
  private readonly describedShapes = new Map<string, readonly Dim[]>();
  private nextId = 0;

  constructor(name: string) {
    this.name = name;
  }

  /** Copies every input, parameter, constant and node of `graph` into this empty assembler. */
  protected load(graph: Graph): void {
    this.inputs.push(...graph.inputs);
    this.parameters.push(...graph.parameters);
    Object.assign(this.constants, graph.constants);
    Object.assign(this.values, graph.values);
    this.nodes.push(...graph.nodes);
    for (const node of graph.nodes) {
      if (node.op === 'Shape') {
        const source = graph.values[node.inputs[0] as string];
        if (source !== undefined) this.describedShapes.set(node.outputs[0] as string, source.shape);
      }
    }
    this.nextId = graph.nodes.length;
  }

  /** Declares a data input fed on every run. */
  input(name: string, type: TensorType, shape: readonly Dim[]): Value {
    return this.declare(this.inputs, name, type, shape);
  }

  /** Declares a trainable parameter, which is a graph input unless exported as an initializer. */
  parameter(name: string, shape: readonly number[], type: TensorType = 'float32'): Value {
    return this.declare(this.parameters, name, type, shape);
  }

  /** Adds a constant tensor, emitted as an initializer. */
  constant(name: string, value: TensorValue): Value {
    this.claimName(name);
    this.constants[name] = value;
    const info: ValueInfo = { name, type: value.type, shape: [...value.dims] };
    this.values[name] = info;
    return info;
  }

  /** Adds a scalar constant of a float type. */
  scalar(value: number, type: TensorType = 'float32'): Value {
    const name = this.freshName('scalar');
    const data = type === 'float64' ? Float64Array.of(value) : Float32Array.of(value);
    return this.constant(name, { type, dims: [], data });
  }

  /** Returns the handle of a value already in the graph. */
  value(name: string): Value {
    const info = this.values[name];
    if (info === undefined) throw new GraphError(null, `value ${name} is not defined in the graph`);
    return info;
  }

  /** Returns the tensor of a constant, or undefined when `name` is not a constant. */
  constantValue(name: string): TensorValue | undefined {
    return this.constants[name];
  }

  /** Returns true when a value of this name exists. */
  has(name: string): boolean {
    return this.values[name] !== undefined;
  }

  /** Returns the run-time shape of `x` as an int64 vector. */
  shape(x: Operand): Value {
    const source = this.resolve(x, 'Shape');
    const out = this.node('Shape', [source]);
    this.describedShapes.set(out.name, source.shape);
    return out;
  }

  /** Marks `value` as a graph output under `name`. */
  output(value: Operand, name: string): Value {
    const renamed = this.node('Identity', [value], {}, name);
    this.outputs.push(renamed);
    return renamed;
  }

  /** Marks a value already in the graph as an output under its own name. */
  markOutput(value: Operand): Value {
    const info = this.resolve(value, 'output');
    if (!this.outputs.some((output) => output.name === info.name)) this.outputs.push(info);
    return info;
  }

  /** Returns the finished graph, which needs at least one output. */
  build(): Graph {
    if (this.outputs.length === 0) {
      throw new GraphError(null, `graph ${this.name} has no outputs`, 'call output(value, name)');
    }
    return {
      name: this.name,
      inputs: [...this.inputs],
      parameters: [...this.parameters],
      constants: { ...this.constants },
      nodes: [...this.nodes],
      outputs: [...this.outputs],
      values: { ...this.values },
    };
  }

  /** Adds a node of any supported operator. The GraphBuilder operator methods call this. */
  node(
    op: string,
    operands: readonly (Operand | null)[],
    attributes: Record<string, Attribute> = {},
    outputName?: string,
  ): Value {
    const nodeName = this.freshName(op);
    const rule = SHAPE_RULES[op];
    if (rule === undefined) {
      throw new GraphError(nodeName, `unknown operator ${op}`, 'use one of the builder methods');
    }
    const inputs = operands.map((operand) =>
      operand === null ? null : this.resolve(operand, nodeName),
    );
    const context = this.inferContext(op, inputs, attributes);
    let inferred: ReturnType<typeof rule>;
    try {
      inferred = rule(context);
    } catch (error) {
      if (!(error instanceof ShapeProblem)) throw error;
      const names = inputs.map((info) => info?.name ?? '(none)').join(', ');
      throw new GraphError(nodeName, `${op} of (${names}): ${error.message}`);
    }
    const name = outputName ?? nodeName;
    this.claimName(name);
    const first = inferred[0] as { type: TensorType; shape: Dim[] };
    const info: ValueInfo = { name, type: first.type, shape: first.shape };
    this.values[name] = info;
    const inputNames = inputs.map((entry) => entry?.name ?? '');
    this.nodes.push({ name: nodeName, op, inputs: inputNames, outputs: [name], attributes });
    return info;
  }

  /** Adds an int64 constant holding `values`, for axes, shapes and pads. */
  int64Constant(values: readonly number[]): Value {
    return this.constant(this.freshName('ints'), int64Tensor([values.length], [...values]));
  }

  private inferContext(
    op: string,
    inputs: readonly (ValueInfo | null)[],
    attributes: Record<string, Attribute>,
  ): InferContext {
    return {
      op,
      inputs,
      attributes,
      constant: (index) => {
        const name = inputs[index]?.name;
        return name === undefined ? undefined : this.constants[name];
      },
      describedShape: (index) => {
        const name = inputs[index]?.name;
        return name === undefined ? undefined : this.describedShapes.get(name);
      },
    };
  }

  protected resolve(operand: Operand, nodeName: string): ValueInfo {
    const name = typeof operand === 'string' ? operand : operand.name;
    const info = this.values[name];
    if (info === undefined) {
      throw new GraphError(nodeName, `input ${name} is not defined in graph ${this.name}`);
    }
    return info;
  }

  private declare(list: ValueInfo[], name: string, type: TensorType, shape: readonly Dim[]): Value {
    this.claimName(name);
    for (const dim of shape) {
      if (typeof dim === 'number' && (!Number.isInteger(dim) || dim < 0)) {
        throw new GraphError(
          null,
          `${name} has invalid dimension ${dim}, expected a non-negative integer or a symbolic name`,
        );
      }
    }
    const info: ValueInfo = { name, type, shape: [...shape] };
    list.push(info);
    this.values[name] = info;
    return info;
  }

  private claimName(name: string): void {
    if (name.length === 0) throw new GraphError(null, 'value names must not be empty');
    if (this.values[name] !== undefined) {
      throw new GraphError(null, `value name ${name} is already used in graph ${this.name}`);
    }
  }

  private freshName(prefix: string): string {
    let name = `${prefix}_${this.nextId++}`;
    while (this.values[name] !== undefined) name = `${prefix}_${this.nextId++}`;
    return name;
  }
}
