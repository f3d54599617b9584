import { type Logger, noopLogger, SeededRandom } from '@galt/core';
import { AdamTrainer } from '@galt/learn';
import { type Graph, initializeParameters, type TensorValue } from '@galt/onnx';
import type { LabelledExample } from './examples.js';
import { selectRows } from './features.js';
import { buildTargetFeeds } from './targets.js';
import { LOSS_OUTPUT } from './typed-channel-graph.js';

/** Settings of one training run. */
export interface FitOptions {
  seed: number;
  steps: number;
  batchSize: number;
  learningRate: number;
  logger?: Logger;
  /** Logging interval of the mean loss, in steps. */
  logEvery?: number;
}

/** Trained parameters and the loss trace (mean loss of each logged window). */
export interface FitResult {
  parameters: Record<string, TensorValue>;
  losses: number[];
}

const DEFAULT_LOG_EVERY = 50;

/**
 * Trains every parameter of `graph` on its `loss` output with learn's `AdamTrainer`, which runs
 * the onnx package's gradient graph in onnxruntime. Batches are drawn epoch by epoch from a
 * seeded shuffle, and each batch's targets are normalised per head, so one seed gives the same
 * parameters on the same machine.
 */
export async function fitWithAdam(
  graph: Graph,
  examples: readonly LabelledExample[],
  features: TensorValue,
  options: FitOptions,
): Promise<FitResult> {
  const logger = options.logger ?? noopLogger;
  const random = new SeededRandom(options.seed);
  const trainer = await AdamTrainer.create(graph, {
    loss: LOSS_OUTPUT,
    parameters: initializeParameters(graph, random.split('initial-parameters')),
    learningRate: options.learningRate,
    logger,
  });
  const batches = batchOrder(examples.length, options.batchSize, random.split('batch-order'));
  const logEvery = options.logEvery ?? DEFAULT_LOG_EVERY;
  const losses: number[] = [];
  let windowLoss = 0;
  try {
    for (let step = 0; step < options.steps; step += 1) {
      const indices = batches.next();
      const batch = indices.map((index) => examples[index] as LabelledExample);
      windowLoss += await trainer.step({
        features: selectRows(features, indices),
        ...buildTargetFeeds(batch),
      });
      if ((step + 1) % logEvery === 0 || step + 1 === options.steps) {
        const mean = windowLoss / ((step % logEvery) + 1);
        losses.push(mean);
        logger.debug('typed-channel training', { step: step + 1, loss: mean });
        windowLoss = 0;
      }
    }
    return { parameters: trainer.parameters(), losses };
  } finally {
    await trainer.close();
  }
}

/** Yields batches of indices, reshuffling at the start of every epoch. */
function batchOrder(count: number, batchSize: number, random: SeededRandom) {
  let order: number[] = [];
  let position = count;
  return {
    next(): number[] {
      const batch: number[] = [];
      while (batch.length < Math.min(batchSize, count)) {
        if (position >= count) {
          order = random.shuffle(Array.from({ length: count }, (_, index) => index));
          position = 0;
        }
        batch.push(order[position] as number);
        position += 1;
      }
      return batch;
    },
  };
}
