import type { SeededRandom } from '@galt/core';
import type { ClassifierModel } from '../../classifier/classifier-model.js';
import { crossEntropy } from '../../classifier/logit-functions.js';
import type { AdamOptimizer } from '../../train/adam-optimizer.js';
import type { Dataset } from '../datasets.js';
import type { BufferItem, ReservoirBuffer } from '../reservoir-buffer.js';

/** Names of the methods the continual benchmark compares. */
export const METHOD_NAMES = [
  'finetune',
  'ewc',
  'replay',
  'derpp',
  'agem',
  'joint',
  'galt',
] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

/** A minibatch with features packed row-major. */
export interface Batch {
  features: Float32Array;
  labels: number[];
  count: number;
}

/** Shared state the harness passes to every method. */
export interface MethodContext {
  model: ClassifierModel;
  /** Parameter arrays in `model.parameterNames` order. */
  parameterArrays: Float32Array[];
  optimizer: AdamOptimizer;
  buffer: ReservoirBuffer;
  /** The method's own generator for buffer sampling. */
  random: SeededRandom;
  batchSize: number;
  /** Examples back-propagated so far, task and replay terms and Jacobian rows together. */
  backpropagated: { examples: number };
  /** Training steps taken so far, summed over tasks. */
  steps: number;
}

/** A continual-learning method driven by the harness task by task. */
export interface ContinualMethod {
  readonly name: MethodName;
  beginTask?(task: number, data: Dataset): Promise<void>;
  trainStep(batch: Batch, task: number): Promise<void>;
  endTask?(task: number, data: Dataset): Promise<void>;
}

/** Packs buffer items as a batch. */
export function itemsToBatch(items: readonly BufferItem[], inputSize: number): Batch {
  const features = new Float32Array(items.length * inputSize);
  items.forEach((item, index) => {
    features.set(item.features, index * inputSize);
  });
  return { features, labels: items.map((item) => item.label), count: items.length };
}

/** Concatenates batches in order. */
export function concatBatches(batches: readonly Batch[], inputSize: number): Batch {
  const count = batches.reduce((sum, batch) => sum + batch.count, 0);
  const features = new Float32Array(count * inputSize);
  let offset = 0;
  for (const batch of batches) {
    features.set(batch.features, offset * inputSize);
    offset += batch.count;
  }
  return { features, labels: batches.flatMap((batch) => batch.labels), count };
}

/** Writes the mean cross-entropy gradient of `logits[from, from + count)` times `weight` into `target`. */
export function addCrossEntropyWeights(
  target: Float32Array,
  logits: Float32Array,
  labels: readonly number[],
  from: number,
  classes: number,
  weight: number,
): void {
  const slice = logits.subarray(from * classes, (from + labels.length) * classes);
  const { logitGradient } = crossEntropy(slice, labels, classes);
  const scale = weight / Math.max(1, labels.length);
  for (let i = 0; i < logitGradient.length; i++)
    target[from * classes + i]! += scale * logitGradient[i]!;
}

/** Returns the gradient of `weights`-weighted logits over `batch`, counting the back-propagated rows. */
export async function weightedGradient(
  context: MethodContext,
  batch: Batch,
  weights: Float32Array,
): Promise<Float32Array> {
  context.backpropagated.examples += batch.count;
  return context.model.gradient(batch.features, batch.count, weights);
}

/** Takes one Adam step on the mean cross-entropy of `batch`. */
export async function crossEntropyStep(context: MethodContext, batch: Batch): Promise<void> {
  const classes = context.model.classes;
  const logits = await context.model.forward(batch.features, batch.count);
  const weights = new Float32Array(batch.count * classes);
  addCrossEntropyWeights(weights, logits, batch.labels, 0, classes, 1);
  context.optimizer.step(context.parameterArrays, await weightedGradient(context, batch, weights));
}
