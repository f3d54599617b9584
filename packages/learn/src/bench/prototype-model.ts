import { type Logger, SeededRandom } from '@galt/core';
import {
  type ExecutionProvider,
  type Graph,
  GraphBuilder,
  initializeParameters,
  type TensorValue,
  type Value,
} from '@galt/onnx';
import { trainGraph } from '../train/adam-trainer.js';
import type { DataSplit } from './datasets.js';

/** Layer widths of the research prototype's classifier. */
export const PROTOTYPE_LAYERS = [784, 256, 128, 10] as const;
/** Rank of the low-rank adapters on both hidden layers. */
const LORA_RANK = 4;
/** Pre-training epochs on all ten digits before the backbone is frozen. */
const PRETRAIN_EPOCHS = 2;
const PRETRAIN_BATCH = 128;

/** Parameters trained during the continual tasks: both adapters and the head. */
export const LORA_TRAINABLE = ['a0', 'u0', 'a1', 'u1', 'w2', 'b2'];
const BACKBONE = ['w0', 'b0', 'w1', 'b1', 'w2', 'b2'];

/**
 * Builds the prototype's classifier with rank-4 adapters on both hidden layers:
 * h = relu(x·W + b + (x·A)·U). Inputs `x` and int64 `labels`; outputs `logits` and mean `loss`.
 */
export function buildLoraClassifier(): Graph {
  const builder = new GraphBuilder('lora-mlp');
  let hidden: Value = builder.input('x', 'float32', ['batch', PROTOTYPE_LAYERS[0]]);
  const labels = builder.input('labels', 'int64', ['batch']);
  for (let layer = 0; layer < 2; layer++) {
    const fanIn = PROTOTYPE_LAYERS[layer]!;
    const fanOut = PROTOTYPE_LAYERS[layer + 1]!;
    const dense = builder.gemm(
      hidden,
      builder.parameter(`w${layer}`, [fanIn, fanOut]),
      builder.parameter(`b${layer}`, [fanOut]),
    );
    const down = builder.matMul(hidden, builder.parameter(`a${layer}`, [fanIn, LORA_RANK]));
    const adapter = builder.matMul(down, builder.parameter(`u${layer}`, [LORA_RANK, fanOut]));
    hidden = builder.relu(builder.add(dense, adapter));
  }
  const logits = builder.gemm(
    hidden,
    builder.parameter('w2', [PROTOTYPE_LAYERS[2], PROTOTYPE_LAYERS[3]]),
    builder.parameter('b2', [PROTOTYPE_LAYERS[3]]),
  );
  builder.output(logits, 'logits');
  builder.output(builder.reduceMean(builder.crossEntropy(logits, labels), [0], false), 'loss');
  return builder.build();
}

/**
 * Pre-trains the backbone and head on every training digit with the adapters at zero output
 * (U = 0), and returns all parameter values. The adapters' A keeps its random start, so their
 * gradients are not all zero when the tasks begin.
 */
export async function pretrainPrototype(
  graph: Graph,
  split: DataSplit,
  seed: number,
  options: { executionProvider: ExecutionProvider; logger: Logger },
): Promise<Map<string, Float32Array>> {
  const initial: Record<string, TensorValue> = initializeParameters(
    graph,
    new SeededRandom(seed).split('prototype-init'),
  );
  for (const name of ['u0', 'u1']) (initial[name]!.data as Float32Array).fill(0);
  const { train } = split;
  const result = await trainGraph(graph, {
    loss: 'loss',
    parameters: initial,
    trainable: BACKBONE,
    data: {
      x: { type: 'float32', dims: [train.count, train.inputSize], data: train.features },
      labels: {
        type: 'int64',
        dims: [train.count],
        data: BigInt64Array.from(train.labels, BigInt),
      },
    },
    batchSize: PRETRAIN_BATCH,
    epochs: PRETRAIN_EPOCHS,
    seed,
    executionProvider: options.executionProvider,
    logger: options.logger,
  });
  return new Map(
    Object.entries(result.parameters).map(([name, value]) => [name, value.data as Float32Array]),
  );
}
