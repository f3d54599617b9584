import { GaltError, type Logger } from '@galt/core';
import {
  type ExecutionProvider,
  encodeModel,
  type Graph,
  GraphBuilder,
  gradientGraph,
  OnnxSession,
  type TensorValue,
} from '@galt/onnx';
import { flatGradient, graphFeeds, parameterValue, sessionOptionsOf } from './graph-runs.js';

/**
 * A hidden activation between two parameter blocks, seen from a forward-consistency edge: its
 * values on anchor inputs, and the mean squared drift from anchored values with its gradient.
 */
export interface InterfaceProbe {
  /** Units of the interface activation per example. */
  readonly width: number;
  /** Length of the gradient: the total size of the trainable parameters, in layout order. */
  readonly dimension: number;
  /** Returns the activation `[count, width]` for inputs `[count, inputSize]`. */
  activations(inputs: Float32Array, count: number): Promise<Float32Array>;
  /**
   * Returns D = mean over examples and units of (h − anchor)² and ∂D/∂θ over the trainable
   * parameters, zero on every parameter downstream of the interface.
   */
  drift(inputs: Float32Array, count: number, anchors: Float32Array): Promise<InterfaceDrift>;
  close(): Promise<void>;
}

/** Mean squared drift of an interface and its gradient. */
export interface InterfaceDrift {
  value: number;
  gradient: Float32Array;
}

/** Options of `OnnxInterfaceProbe.create`. */
export interface OnnxInterfaceProbeOptions {
  graph: Graph;
  /** The float32 features input `[batch, inputSize]`. */
  inputName: string;
  /** The interface activation, a `[batch, width]` value of the graph. */
  interfaceName: string;
  /** Values of every graph parameter; read on each run, so in-place updates take effect. */
  parameters: ReadonlyMap<string, Float32Array>;
  /** Parameters the gradient covers, in flat-layout order. */
  trainable: readonly string[];
  executionProvider?: ExecutionProvider;
  logger?: Logger;
}

const ANCHORS = 'galt.interface_anchor';
const DRIFT = 'galt.interface_drift';

/**
 * An `InterfaceProbe` that runs in onnxruntime: a forward graph that outputs the interface and a
 * gradient graph of its mean squared drift, both derived with @galt/onnx from the caller's graph.
 */
export class OnnxInterfaceProbe implements InterfaceProbe {
  private constructor(
    private readonly options: OnnxInterfaceProbeOptions,
    private readonly sessions: { forward: OnnxSession; drift: OnnxSession },
    readonly width: number,
    readonly dimension: number,
  ) {}

  /** Derives the two graphs, encodes them and opens one session each. */
  static async create(options: OnnxInterfaceProbeOptions): Promise<OnnxInterfaceProbe> {
    const { graph, interfaceName, trainable } = options;
    const info = graph.values[interfaceName];
    if (info === undefined || info.shape.length !== 2 || typeof info.shape[1] !== 'number') {
      throw new GaltError(
        'invalid_config',
        `graph value ${interfaceName} is not a [batch, width] activation`,
        { remedy: 'name a hidden activation of the graph, e.g. with hiddenActivationName()' },
      );
    }
    let dimension = 0;
    for (const name of trainable) dimension += parameterValue(options.parameters, name).length;
    const sessionOptions = sessionOptionsOf(options);
    const open = (built: Graph) => OnnxSession.create(encodeModel(built), sessionOptions);
    const forward = GraphBuilder.extend(graph, `${graph.name}.interface`);
    forward.markOutput(interfaceName);
    const sessions = {
      forward: await open(forward.build()),
      drift: await open(
        gradientGraph(driftGraph(graph, interfaceName, info.shape[1]), {
          loss: DRIFT,
          parameters: trainable,
        }),
      ),
    };
    return new OnnxInterfaceProbe(options, sessions, info.shape[1], dimension);
  }

  async activations(inputs: Float32Array, count: number): Promise<Float32Array> {
    const outputs = await this.sessions.forward.run(this.feeds(inputs, count));
    return Float32Array.from(outputs[this.options.interfaceName]!.data as Float32Array);
  }

  async drift(inputs: Float32Array, count: number, anchors: Float32Array): Promise<InterfaceDrift> {
    if (anchors.length !== count * this.width) {
      throw new GaltError(
        'invalid_input',
        `anchors hold ${anchors.length} values, expected ${count * this.width}`,
        { remedy: 'pass one anchored activation row per input' },
      );
    }
    const feeds = this.feeds(inputs, count);
    feeds[ANCHORS] = { type: 'float32', dims: [count, this.width], data: anchors };
    const outputs = await this.sessions.drift.run(feeds);
    const gradient = flatGradient(outputs, this.options.trainable, this.dimension);
    return { value: (outputs[DRIFT]!.data as Float32Array)[0]!, gradient };
  }

  async close(): Promise<void> {
    await this.sessions.forward.close();
    await this.sessions.drift.close();
  }

  /** Builds the feeds: features, parameters, and zeros for any other graph input. */
  private feeds(inputs: Float32Array, count: number): Record<string, TensorValue> {
    const { graph, inputName, parameters } = this.options;
    return graphFeeds(graph, inputName, parameters, inputs, count, inputs.length / count);
  }
}

/**
 * Returns the name of the `index`-th hidden activation (0 = after the first layer) of an MLP
 * built by `buildMlpClassifier`: the output of its `index`-th Relu or Tanh node.
 */
export function hiddenActivationName(graph: Graph, index: number): string {
  const hidden = graph.nodes.filter((node) => node.op === 'Relu' || node.op === 'Tanh');
  const node = hidden[index];
  if (node === undefined) {
    throw new GaltError('invalid_config', `the graph has no hidden activation ${index}`, {
      remedy: `pick an index below ${hidden.length}`,
    });
  }
  return node.outputs[0]!;
}

/** Adds the anchor input and the scalar mean of (interface − anchor)². */
function driftGraph(graph: Graph, interfaceName: string, width: number): Graph {
  const builder = GraphBuilder.extend(graph, `${graph.name}.drift`);
  const batch = graph.values[interfaceName]!.shape[0]!;
  const anchors = builder.input(ANCHORS, 'float32', [batch, width]);
  const difference = builder.sub(interfaceName, anchors);
  const squared = builder.mul(difference, difference);
  builder.output(builder.reduceMean(squared, [0, 1], true), DRIFT);
  return builder.build();
}
