import { GaltError, type Logger, noopLogger, SeededRandom } from '@galt/core';
import {
  type ExecutionProvider,
  encodeModel,
  type Graph,
  gradientGraph,
  OnnxSession,
  type TensorData,
  type TensorValue,
} from '@galt/onnx';
import { AdamOptimizer, type AdamOptions, type AdamState } from './adam-optimizer.js';

/** Options of `AdamTrainer.create`. */
export interface AdamTrainerOptions extends AdamOptions {
  /** Name of the scalar loss value of the graph. */
  loss: string;
  /** Initial values of every graph parameter (float32); they are copied, not mutated. */
  parameters: Readonly<Record<string, TensorValue>>;
  /** Parameters to train; every parameter by default. */
  trainable?: readonly string[];
  executionProvider?: ExecutionProvider;
  logger?: Logger;
}

/**
 * Minibatch Adam on a graph's scalar loss: each step runs the gradient graph from @galt/onnx in
 * onnxruntime and applies Adam to the trainable parameters.
 */
export class AdamTrainer {
  private constructor(
    private readonly session: OnnxSession,
    private readonly values: Map<string, TensorValue>,
    private readonly trainable: readonly string[],
    private readonly optimizer: AdamOptimizer,
    private readonly lossName: string,
  ) {}

  /** Builds the gradient graph and opens its session. */
  static async create(graph: Graph, options: AdamTrainerOptions): Promise<AdamTrainer> {
    const trainable = options.trainable ?? graph.parameters.map((parameter) => parameter.name);
    const values = new Map<string, TensorValue>();
    for (const parameter of graph.parameters) {
      const initial = options.parameters[parameter.name];
      if (initial === undefined || initial.type !== 'float32') {
        throw new GaltError(
          'invalid_input',
          `parameter ${parameter.name} has no float32 initial value`,
          {
            remedy:
              'pass initial values for every parameter, for example from initializeParameters()',
          },
        );
      }
      values.set(parameter.name, {
        ...initial,
        dims: [...initial.dims],
        data: Float32Array.from(initial.data as Float32Array),
      });
    }
    const gradient = gradientGraph(graph, { loss: options.loss, parameters: trainable });
    const session = await OnnxSession.create(encodeModel(gradient), {
      ...(options.executionProvider === undefined
        ? {}
        : { executionProvider: options.executionProvider }),
      logger: options.logger ?? noopLogger,
    });
    const dimension = trainable.reduce((sum, name) => sum + values.get(name)!.data.length, 0);
    const optimizer = new AdamOptimizer(dimension, options);
    return new AdamTrainer(session, values, trainable, optimizer, options.loss);
  }

  /** Runs one Adam step on a minibatch (the graph's data inputs) and returns the loss before it. */
  async step(feeds: Readonly<Record<string, TensorValue>>): Promise<number> {
    const outputs = await this.session.run({ ...feeds, ...Object.fromEntries(this.values) });
    const loss = Number(outputs[this.lossName]!.data[0]);
    const parts = this.trainable.map((name) => outputs[`grad.${name}`]!.data as Float32Array);
    const gradient = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      gradient.set(part, offset);
      offset += part.length;
    }
    if (!Number.isFinite(loss) || !gradient.every(Number.isFinite)) {
      throw new GaltError(
        'non_finite_update',
        `training loss or gradient is not finite (loss ${loss})`,
        {
          remedy:
            'lower the learning rate or check the data for NaN; the parameters were not changed',
        },
      );
    }
    this.optimizer.step(
      this.trainable.map((name) => this.values.get(name)!.data as Float32Array),
      gradient,
    );
    return loss;
  }

  /** Returns copies of the current parameter values. */
  parameters(): Record<string, TensorValue> {
    const copy: Record<string, TensorValue> = {};
    for (const [name, value] of this.values) {
      copy[name] = {
        ...value,
        dims: [...value.dims],
        data: Float32Array.from(value.data as Float32Array),
      };
    }
    return copy;
  }

  /** Returns the Adam moments, for checkpoints. */
  optimizerState(): AdamState {
    return this.optimizer.snapshot();
  }

  async close(): Promise<void> {
    await this.session.close();
  }
}

/** Data and schedule of `trainGraph`. */
export interface TrainGraphOptions extends AdamTrainerOptions {
  /** Every data input of the graph, with examples along the first dimension. */
  data: Readonly<Record<string, TensorValue>>;
  batchSize: number;
  epochs: number;
  /** Seed of the per-epoch shuffles; equal seeds give bit-identical parameters. */
  seed: number | string;
  /** Called after every step with the step index and its loss. */
  onStep?: (step: number, loss: number) => void;
}

/** Result of `trainGraph`. */
export interface TrainGraphResult {
  parameters: Record<string, TensorValue>;
  losses: number[];
  steps: number;
}

/** Trains a graph's parameters with minibatch Adam over shuffled epochs of `data`. */
export async function trainGraph(
  graph: Graph,
  options: TrainGraphOptions,
): Promise<TrainGraphResult> {
  const count = exampleCount(options.data);
  const trainer = await AdamTrainer.create(graph, options);
  const random = new SeededRandom(options.seed).split('train-graph');
  const losses: number[] = [];
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const order = random.shuffle(Array.from({ length: count }, (_, i) => i));
      for (let start = 0; start < count; start += options.batchSize) {
        const indices = order.slice(start, start + options.batchSize);
        const loss = await trainer.step(gatherRows(options.data, indices));
        losses.push(loss);
        options.onStep?.(losses.length - 1, loss);
      }
    }
    return { parameters: trainer.parameters(), losses, steps: losses.length };
  } finally {
    await trainer.close();
  }
}

function exampleCount(data: Readonly<Record<string, TensorValue>>): number {
  const counts = new Set(Object.values(data).map((tensor) => tensor.dims[0]));
  const [count] = counts;
  if (counts.size !== 1 || count === undefined || count === 0) {
    throw new GaltError(
      'invalid_input',
      'data inputs must share a non-zero first (example) dimension',
      {
        remedy: 'pass every data input with the same number of examples along dimension 0',
      },
    );
  }
  return count;
}

/** Returns the rows `indices` of every data tensor. */
function gatherRows(
  data: Readonly<Record<string, TensorValue>>,
  indices: readonly number[],
): Record<string, TensorValue> {
  const feeds: Record<string, TensorValue> = {};
  for (const [name, tensor] of Object.entries(data)) {
    const rowSize = tensor.dims.slice(1).reduce((product, dim) => product * dim, 1);
    const data = new (tensor.data.constructor as new (length: number) => TensorData)(
      indices.length * rowSize,
    );
    indices.forEach((source, target) => {
      (data as Float32Array).set(
        (tensor.data as Float32Array).subarray(source * rowSize, (source + 1) * rowSize),
        target * rowSize,
      );
    });
    feeds[name] = { type: tensor.type, dims: [indices.length, ...tensor.dims.slice(1)], data };
  }
  return feeds;
}

/** Trains `graph` on `data`: `trainGraph` with the data as its own argument. */
export function train(
  graph: Graph,
  data: Readonly<Record<string, TensorValue>>,
  options: Omit<TrainGraphOptions, 'data'>,
): Promise<TrainGraphResult> {
  return trainGraph(graph, { ...options, data });
}
