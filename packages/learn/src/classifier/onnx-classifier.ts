import { GaltError, type Logger } from '@galt/core';
import {
  type ExecutionProvider,
  encodeModel,
  type Graph,
  GraphBuilder,
  gradientGraph,
  jacobianGraph,
  OnnxSession,
  type TensorValue,
} from '@galt/onnx';
import type { ClassifierModel } from './classifier-model.js';
import { flatGradient, graphFeeds, parameterValue, sessionOptionsOf } from './graph-runs.js';

/** Options of `OnnxClassifier.create`. */
export interface OnnxClassifierOptions {
  /** A graph built with `GraphBuilder` whose `logitsName` output is `[batch, classes]` logits. */
  graph: Graph;
  /** The float32 features input `[batch, inputSize]`. */
  inputName: string;
  logitsName: string;
  /** Values of every graph parameter; read on each run, so in-place updates take effect. */
  parameters: ReadonlyMap<string, Float32Array>;
  /** Parameters that gradients and Jacobian rows cover, in flat-layout order. */
  trainable: readonly string[];
  executionProvider?: ExecutionProvider;
  logger?: Logger;
}

/** Names of the values the classifier adds to the user's graph. */
const LOGIT_WEIGHTS = 'galt.logit_weights';
const WEIGHTED_SUM = 'galt.weighted_logits';
const WEIGHTED_ROWS = 'galt.weighted_rows';

/**
 * A `ClassifierModel` whose passes run in onnxruntime: a forward graph, the gradient graph of
 * Σ⟨G, logits⟩ and the per-row Jacobian graph of ⟨G_i, logits_i⟩, all derived with @galt/onnx
 * from the caller's graph. Losses and constraint rows pick G, so one gradient and one Jacobian
 * graph serve them all.
 */
export class OnnxClassifier implements ClassifierModel {
  readonly inputSize: number;
  readonly classes: number;
  readonly dimension: number;
  readonly parameterNames: readonly string[];
  readonly parameters: ReadonlyMap<string, Float32Array>;

  private constructor(
    private readonly options: OnnxClassifierOptions,
    private readonly sessions: {
      forward: OnnxSession;
      gradient: OnnxSession;
      jacobian: OnnxSession;
    },
    shape: { inputSize: number; classes: number; dimension: number },
  ) {
    this.inputSize = shape.inputSize;
    this.classes = shape.classes;
    this.dimension = shape.dimension;
    this.parameterNames = [...options.trainable];
    this.parameters = options.parameters;
  }

  /** Derives the three graphs, encodes them and opens one session each. */
  static async create(options: OnnxClassifierOptions): Promise<OnnxClassifier> {
    const { graph, inputName, logitsName, trainable } = options;
    const inputInfo = graph.inputs.find((input) => input.name === inputName);
    const logitsInfo = graph.values[logitsName];
    if (
      inputInfo === undefined ||
      inputInfo.type !== 'float32' ||
      typeof inputInfo.shape[1] !== 'number'
    ) {
      throw new GaltError(
        'invalid_config',
        `graph input ${inputName} is not a float32 [batch, features] input`,
        {
          remedy: 'name the float32 features input of the graph',
        },
      );
    }
    if (
      logitsInfo === undefined ||
      logitsInfo.shape.length !== 2 ||
      typeof logitsInfo.shape[1] !== 'number'
    ) {
      throw new GaltError(
        'invalid_config',
        `graph value ${logitsName} is not a [batch, classes] logits tensor`,
        {
          remedy: 'name the logits output of the graph',
        },
      );
    }
    const inputSize = inputInfo.shape[1];
    const classes = logitsInfo.shape[1];
    let dimension = 0;
    for (const name of trainable) dimension += parameterValue(options.parameters, name).length;
    const sessionOptions = sessionOptionsOf(options);
    const open = (built: Graph) => OnnxSession.create(encodeModel(built), sessionOptions);
    const sessions = {
      forward: await open(forwardGraph(graph, logitsName)),
      gradient: await open(
        gradientGraph(weightedGraph(graph, logitsName, classes, 'sum'), {
          loss: WEIGHTED_SUM,
          parameters: trainable,
        }),
      ),
      jacobian: await open(
        jacobianGraph(weightedGraph(graph, logitsName, classes, 'rows'), {
          rows: WEIGHTED_ROWS,
          parameters: trainable,
        }),
      ),
    };
    return new OnnxClassifier(options, sessions, { inputSize, classes, dimension });
  }

  /** The execution provider the sessions run on (CPU after a CUDA fallback). */
  get executionProvider(): ExecutionProvider {
    return this.sessions.forward.executionProvider;
  }

  async forward(inputs: Float32Array, count: number): Promise<Float32Array> {
    const outputs = await this.sessions.forward.run(this.feeds(inputs, count));
    return outputs[this.options.logitsName]!.data as Float32Array;
  }

  async gradient(
    inputs: Float32Array,
    count: number,
    logitWeights: Float32Array,
  ): Promise<Float32Array> {
    const feeds = this.feeds(inputs, count, logitWeights);
    const outputs = await this.sessions.gradient.run(feeds);
    return flatGradient(outputs, this.parameterNames, this.dimension);
  }

  async jacobian(
    inputs: Float32Array,
    count: number,
    logitWeights: Float32Array,
  ): Promise<Float32Array> {
    const outputs = await this.sessions.jacobian.run(this.feeds(inputs, count, logitWeights));
    return outputs['jacobian']!.data as Float32Array;
  }

  async close(): Promise<void> {
    await this.sessions.forward.close();
    await this.sessions.gradient.close();
    await this.sessions.jacobian.close();
  }

  /** Builds the feeds: features, parameters, logit weights, and zeros for any other graph input. */
  private feeds(
    inputs: Float32Array,
    count: number,
    logitWeights?: Float32Array,
  ): Record<string, TensorValue> {
    const { graph, inputName } = this.options;
    const feeds = graphFeeds(graph, inputName, this.parameters, inputs, count, this.inputSize);
    if (logitWeights !== undefined) {
      feeds[LOGIT_WEIGHTS] = { type: 'float32', dims: [count, this.classes], data: logitWeights };
    }
    return feeds;
  }
}

function forwardGraph(graph: Graph, logitsName: string): Graph {
  const builder = GraphBuilder.extend(graph, `${graph.name}.forward`);
  builder.markOutput(logitsName);
  return builder.build();
}

/** Adds the logit-weights input and either the scalar Σ⟨G, z⟩ or the rows ⟨G_i, z_i⟩. */
function weightedGraph(
  graph: Graph,
  logitsName: string,
  classes: number,
  form: 'sum' | 'rows',
): Graph {
  const builder = GraphBuilder.extend(graph, `${graph.name}.weighted`);
  const batch = graph.values[logitsName]!.shape[0]!;
  const weights = builder.input(LOGIT_WEIGHTS, 'float32', [batch, classes]);
  const product = builder.mul(logitsName, weights);
  if (form === 'sum') builder.output(builder.reduceSum(product, [0, 1], true), WEIGHTED_SUM);
  else builder.output(builder.reduceSum(product, [1], false), WEIGHTED_ROWS);
  return builder.build();
}
