import { maskedCrossEntropy } from '../../classifier/logit-functions.js';
import type { BufferItem } from '../reservoir-buffer.js';
import {
  addCrossEntropyWeights,
  type Batch,
  type ContinualMethod,
  concatBatches,
  itemsToBatch,
  type MethodContext,
  weightedGradient,
} from './method.js';

/** Weights of DER++'s two replay terms (logit matching α, label replay β). */
export interface DerWeights {
  alpha: number;
  beta: number;
}

/** α = 0.5 and β = 1.0, chosen without tuning on this benchmark's test data. */
export const DEFAULT_DER_WEIGHTS: DerWeights = { alpha: 0.5, beta: 1 };

/**
 * DER++ (dark experience replay): task cross-entropy, plus α·MSE between current logits and the
 * logits stored with one buffer minibatch, plus β·cross-entropy on a second buffer minibatch.
 */
export function createDerpp(
  context: MethodContext,
  weights = DEFAULT_DER_WEIGHTS,
): ContinualMethod {
  return {
    name: 'derpp',
    async trainStep(batch) {
      const first = context.buffer.sample(context.batchSize, context.random);
      const second = context.buffer.sample(context.batchSize, context.random);
      const gradient = await derGradient(context, batch, first, second, weights);
      context.optimizer.step(context.parameterArrays, gradient);
    },
  };
}

/**
 * Returns the gradient of CE(batch) + α·MSE(logits(first), stored) + β·CE(second) in one
 * back-propagation over the concatenated rows. When `second` is the same array as `first`, both
 * replay terms share those rows and they are back-propagated once. With `incomingClasses` the
 * batch term is ER-ACE's asymmetric cross-entropy over those classes only.
 */
export async function derGradient(
  context: MethodContext,
  batch: Batch,
  first: readonly BufferItem[],
  second: readonly BufferItem[],
  weights: DerWeights,
  incomingClasses?: ReadonlySet<number>,
): Promise<Float32Array> {
  const inputSize = context.model.inputSize;
  const classes = context.model.classes;
  const shared = first === second;
  const matched = itemsToBatch(first, inputSize);
  const replayed = shared
    ? { features: new Float32Array(0), labels: [], count: 0 }
    : itemsToBatch(second, inputSize);
  const joined = concatBatches([batch, matched, replayed], inputSize);
  const logits = await context.model.forward(joined.features, joined.count);
  const logitWeights = new Float32Array(joined.count * classes);
  if (incomingClasses === undefined) {
    addCrossEntropyWeights(logitWeights, logits, batch.labels, 0, classes, 1);
  } else {
    addMaskedCrossEntropyWeights(logitWeights, logits, batch.labels, classes, incomingClasses);
  }
  const offset = batch.count * classes;
  // d/dz of α·mean over elements of (z − stored)² is 2α(z − stored)/(count·classes).
  const scale = (2 * weights.alpha) / Math.max(1, first.length * classes);
  first.forEach((item, i) => {
    for (let j = 0; j < classes; j++) {
      const index = offset + i * classes + j;
      logitWeights[index] = scale * (logits[index]! - item.logits[j]!);
    }
  });
  const replayOffset = shared ? batch.count : batch.count + matched.count;
  const replayLabels = shared ? matched.labels : replayed.labels;
  addCrossEntropyWeights(logitWeights, logits, replayLabels, replayOffset, classes, weights.beta);
  return weightedGradient(context, joined, logitWeights);
}

/** Writes the mean masked cross-entropy gradient of the first `labels.length` logit rows into `target`. */
function addMaskedCrossEntropyWeights(
  target: Float32Array,
  logits: Float32Array,
  labels: readonly number[],
  classes: number,
  allowed: ReadonlySet<number>,
): void {
  const slice = logits.subarray(0, labels.length * classes);
  const { logitGradient } = maskedCrossEntropy(slice, labels, classes, allowed);
  const scale = 1 / Math.max(1, labels.length);
  for (let i = 0; i < logitGradient.length; i++) target[i]! += scale * logitGradient[i]!;
}
