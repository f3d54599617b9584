import type { Dataset } from '../datasets.js';
import {
  addCrossEntropyWeights,
  type Batch,
  type ContinualMethod,
  concatBatches,
  crossEntropyStep,
  itemsToBatch,
  type MethodContext,
  weightedGradient,
} from './method.js';

/** Plain Adam on each task's data in turn: the lower bound. */
export function createFinetune(context: MethodContext): ContinualMethod {
  return { name: 'finetune', trainStep: (batch) => crossEntropyStep(context, batch) };
}

/** Experience replay: each step adds an equal-sized buffer minibatch to the task batch. */
export function createReplay(context: MethodContext): ContinualMethod {
  return {
    name: 'replay',
    async trainStep(batch) {
      const inputSize = context.model.inputSize;
      const replay = itemsToBatch(
        context.buffer.sample(context.batchSize, context.random),
        inputSize,
      );
      const joined = concatBatches([batch, replay], inputSize);
      const classes = context.model.classes;
      const logits = await context.model.forward(joined.features, joined.count);
      const weights = new Float32Array(joined.count * classes);
      addCrossEntropyWeights(weights, logits, batch.labels, 0, classes, 1);
      addCrossEntropyWeights(weights, logits, replay.labels, batch.count, classes, 1);
      context.optimizer.step(
        context.parameterArrays,
        await weightedGradient(context, joined, weights),
      );
    },
  };
}

/**
 * Joint training, the upper bound: during task t every batch is drawn from the union of
 * tasks 0..t, so nothing seen is ever withheld.
 */
export function createJoint(context: MethodContext): ContinualMethod {
  const pool: Batch[] = [];
  let poolCount = 0;
  return {
    name: 'joint',
    async beginTask(_task: number, data: Dataset) {
      pool.push({ features: data.features, labels: Array.from(data.labels), count: data.count });
      poolCount += data.count;
    },
    async trainStep(batch) {
      const inputSize = context.model.inputSize;
      const picks: Batch[] = [];
      for (let i = 0; i < batch.count; i++)
        picks.push(pickFromPool(pool, poolCount, context, inputSize));
      await crossEntropyStep(context, concatBatches(picks, inputSize));
    },
  };
}

function pickFromPool(
  pool: readonly Batch[],
  total: number,
  context: MethodContext,
  inputSize: number,
): Batch {
  let index = context.random.nextInt(total);
  for (const part of pool) {
    if (index < part.count) {
      return {
        features: part.features.subarray(index * inputSize, (index + 1) * inputSize),
        labels: [part.labels[index]!],
        count: 1,
      };
    }
    index -= part.count;
  }
  throw new RangeError('pool index out of range');
}

/** A-GEM: the task gradient is projected so it never increases the loss on a buffer minibatch. */
export function createAgem(context: MethodContext): ContinualMethod {
  return {
    name: 'agem',
    async trainStep(batch) {
      const classes = context.model.classes;
      const gradient = await meanCrossEntropyGradient(context, batch, classes);
      const items = context.buffer.sample(context.batchSize, context.random);
      if (items.length > 0) {
        const reference = await meanCrossEntropyGradient(
          context,
          itemsToBatch(items, context.model.inputSize),
          classes,
        );
        project(gradient, reference);
      }
      context.optimizer.step(context.parameterArrays, gradient);
    },
  };
}

async function meanCrossEntropyGradient(
  context: MethodContext,
  batch: Batch,
  classes: number,
): Promise<Float32Array> {
  const logits = await context.model.forward(batch.features, batch.count);
  const weights = new Float32Array(batch.count * classes);
  addCrossEntropyWeights(weights, logits, batch.labels, 0, classes, 1);
  return weightedGradient(context, batch, weights);
}

/** Removes from g its component against `reference` when the two disagree (g·r < 0). */
function project(gradient: Float32Array, reference: Float32Array): void {
  let dot = 0;
  let norm = 0;
  for (let i = 0; i < gradient.length; i++) {
    dot += gradient[i]! * reference[i]!;
    norm += reference[i]! * reference[i]!;
  }
  if (dot >= 0 || norm === 0) return;
  const scale = dot / norm;
  for (let i = 0; i < gradient.length; i++) gradient[i]! -= scale * reference[i]!;
}
