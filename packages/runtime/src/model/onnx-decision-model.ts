import { type Logger, SeededRandom, sha256Hex } from '@galt/core';
import {
  type ExecutionProvider,
  encodeModel,
  type Graph,
  GraphBuilder,
  OnnxSession,
  SessionPool,
  type TensorValue,
} from '@galt/onnx';
import type { DecisionModel, HeadOutputs } from './decision-model.js';

/** Name of the feature input of decision graphs built here. */
export const DECISION_INPUT_NAME = 'features';

/** Something that runs an ONNX graph: an `OnnxSession` or a worker-thread `SessionPool`. */
export interface GraphRunner {
  run(feeds: Readonly<Record<string, TensorValue>>): Promise<Record<string, TensorValue>>;
  close(): Promise<void> | void;
}

export interface OnnxDecisionModelOptions {
  featureDimension: number;
  /** Logits per agent for each head, by name. Each head is a float32 model output of shape [batch, size]. */
  heads: Readonly<Record<string, number>>;
  /** Name of the float32 [batch, featureDimension] input, `features` by default. */
  inputName?: string;
  /** Worker threads; 0 runs one session on the calling thread. */
  workers?: number;
  executionProvider?: ExecutionProvider;
  logger?: Logger;
}

/** A decision model backed by onnxruntime: one session, or a pool of worker-thread sessions. */
export class OnnxDecisionModel implements DecisionModel {
  readonly featureDimension: number;
  readonly heads: Readonly<Record<string, number>>;
  readonly digest: string;
  readonly #runner: GraphRunner;
  readonly #inputName: string;

  constructor(runner: GraphRunner, digest: string, options: OnnxDecisionModelOptions) {
    this.#runner = runner;
    this.digest = digest;
    this.featureDimension = options.featureDimension;
    this.heads = { ...options.heads };
    this.#inputName = options.inputName ?? DECISION_INPUT_NAME;
  }

  /** Loads model bytes into a session (workers 0) or a session pool; the digest is their SHA-256. */
  static async create(
    bytes: Uint8Array,
    options: OnnxDecisionModelOptions,
  ): Promise<OnnxDecisionModel> {
    const workers = options.workers ?? 0;
    const provider =
      options.executionProvider === undefined
        ? {}
        : { executionProvider: options.executionProvider };
    const logger = options.logger === undefined ? {} : { logger: options.logger };
    const runner: GraphRunner =
      workers > 0
        ? await SessionPool.create(bytes, { workers, ...provider, ...logger })
        : await OnnxSession.create(bytes, { ...provider, ...logger });
    return new OnnxDecisionModel(runner, sha256Hex(bytes), options);
  }

  async infer(features: Float32Array, batch: number): Promise<HeadOutputs> {
    const data = features.subarray(0, batch * this.featureDimension);
    const input: TensorValue = { type: 'float32', dims: [batch, this.featureDimension], data };
    const results = await this.#runner.run({ [this.#inputName]: input });
    const outputs: HeadOutputs = {};
    for (const head of Object.keys(this.heads)) {
      const value = results[head];
      if (value !== undefined && value.data instanceof Float32Array) outputs[head] = value.data;
    }
    return outputs;
  }

  async close(): Promise<void> {
    await this.#runner.close();
  }
}

/** Builds a graph with one linear layer (Gemm) per head over a shared feature input. */
export function buildLinearDecisionGraph(
  featureDimension: number,
  heads: Readonly<Record<string, number>>,
): Graph {
  const builder = new GraphBuilder('linear-decision');
  const features = builder.input(DECISION_INPUT_NAME, 'float32', ['batch', featureDimension]);
  for (const [head, size] of Object.entries(heads)) {
    const weight = builder.parameter(`${head}.weight`, [featureDimension, size]);
    const bias = builder.parameter(`${head}.bias`, [size]);
    builder.output(builder.gemm(features, weight, bias), head);
  }
  return builder.build();
}

/** Encodes a linear decision graph with seeded uniform weights in [-1, 1] and zero biases. */
export function encodeRandomLinearDecisionModel(
  featureDimension: number,
  heads: Readonly<Record<string, number>>,
  seed: number | string,
): Uint8Array {
  const graph = buildLinearDecisionGraph(featureDimension, heads);
  const random = new SeededRandom(seed);
  const initializers: Record<string, TensorValue> = {};
  for (const [head, size] of Object.entries(heads)) {
    const weight = new Float32Array(featureDimension * size);
    for (let index = 0; index < weight.length; index += 1)
      weight[index] = random.nextFloat() * 2 - 1;
    initializers[`${head}.weight`] = {
      type: 'float32',
      dims: [featureDimension, size],
      data: weight,
    };
    initializers[`${head}.bias`] = { type: 'float32', dims: [size], data: new Float32Array(size) };
  }
  return encodeModel(graph, { initializers });
}
