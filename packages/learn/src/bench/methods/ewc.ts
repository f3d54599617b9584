import { crossEntropy } from '../../classifier/logit-functions.js';
import type { Dataset } from '../datasets.js';
import {
  addCrossEntropyWeights,
  type ContinualMethod,
  type MethodContext,
  weightedGradient,
} from './method.js';

/** Examples per task for the diagonal Fisher estimate; 256 keeps end-of-task cost small. */
const FISHER_SAMPLES = 256;
/** Per-example gradients computed per call, bounding the [rows, d] Jacobian's memory. */
const FISHER_CHUNK = 32;

/**
 * Online elastic weight consolidation. After each task the diagonal empirical Fisher F is added to
 * a running sum and the parameters become the anchor θ*. Training adds λ·F·(θ − θ*) to the gradient.
 */
export function createEwc(context: MethodContext, lambda: number): ContinualMethod {
  const d = context.model.dimension;
  const fisher = new Float64Array(d);
  const anchor = new Float64Array(d);
  let anchored = false;
  return {
    name: 'ewc',
    async trainStep(batch) {
      const classes = context.model.classes;
      const logits = await context.model.forward(batch.features, batch.count);
      const weights = new Float32Array(batch.count * classes);
      addCrossEntropyWeights(weights, logits, batch.labels, 0, classes, 1);
      const gradient = await weightedGradient(context, batch, weights);
      if (anchored) {
        let offset = 0;
        for (const array of context.parameterArrays) {
          for (let i = 0; i < array.length; i++) {
            gradient[offset + i]! +=
              lambda * fisher[offset + i]! * (array[i]! - anchor[offset + i]!);
          }
          offset += array.length;
        }
      }
      context.optimizer.step(context.parameterArrays, gradient);
    },
    async endTask(_task: number, data: Dataset) {
      await accumulateFisher(context, data, fisher);
      let offset = 0;
      for (const array of context.parameterArrays) {
        anchor.set(array, offset);
        offset += array.length;
      }
      anchored = true;
    },
  };
}

async function accumulateFisher(
  context: MethodContext,
  data: Dataset,
  fisher: Float64Array,
): Promise<void> {
  const { model } = context;
  const d = model.dimension;
  const count = Math.min(FISHER_SAMPLES, data.count);
  const indices = Array.from({ length: count }, () => context.random.nextInt(data.count));
  for (let start = 0; start < count; start += FISHER_CHUNK) {
    const chunk = indices.slice(start, start + FISHER_CHUNK);
    const features = new Float32Array(chunk.length * data.inputSize);
    chunk.forEach((source, i) => {
      features.set(
        data.features.subarray(source * data.inputSize, (source + 1) * data.inputSize),
        i * data.inputSize,
      );
    });
    const labels = chunk.map((source) => data.labels[source]!);
    const logits = await model.forward(features, chunk.length);
    const { logitGradient } = crossEntropy(logits, labels, model.classes);
    context.backpropagated.examples += chunk.length;
    const rows = await model.jacobian(features, chunk.length, logitGradient);
    for (let r = 0; r < chunk.length; r++) {
      for (let i = 0; i < d; i++) fisher[i]! += rows[r * d + i]! ** 2 / count;
    }
  }
}
