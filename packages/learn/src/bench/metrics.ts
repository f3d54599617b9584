import type { ClassifierModel } from '../classifier/classifier-model.js';
import type { Dataset } from './datasets.js';

/** Forward passes are chunked so evaluation never allocates more than this many rows of logits. */
const EVALUATION_CHUNK = 500;

/** Returns the fraction of `data` the model classifies correctly (argmax over all classes). */
export async function accuracy(model: ClassifierModel, data: Dataset): Promise<number> {
  let correct = 0;
  const classes = model.classes;
  for (let start = 0; start < data.count; start += EVALUATION_CHUNK) {
    const count = Math.min(EVALUATION_CHUNK, data.count - start);
    const features = data.features.subarray(
      start * data.inputSize,
      (start + count) * data.inputSize,
    );
    const logits = await model.forward(features, count);
    for (let i = 0; i < count; i++) {
      let best = 0;
      for (let j = 1; j < classes; j++)
        if (logits[i * classes + j]! > logits[i * classes + best]!) best = j;
      if (best === data.labels[start + i]) correct += 1;
    }
  }
  return data.count === 0 ? 0 : correct / data.count;
}

/** Returns the mean of the last row of the accuracy matrix, in percent. */
export function finalAccuracy(matrix: readonly number[][]): number {
  const last = matrix.at(-1) ?? [];
  return last.length === 0 ? 0 : (100 * last.reduce((sum, value) => sum + value, 0)) / last.length;
}

/**
 * Returns the average forgetting in percent: for each task but the last, the best accuracy it had
 * after an earlier task minus its final accuracy, averaged.
 */
export function averageForgetting(matrix: readonly number[][]): number {
  const tasks = matrix.length;
  if (tasks < 2) return 0;
  const final = matrix[tasks - 1]!;
  let total = 0;
  for (let j = 0; j < tasks - 1; j++) {
    let best = 0;
    for (let i = j; i < tasks - 1; i++) best = Math.max(best, matrix[i]![j]!);
    total += best - final[j]!;
  }
  return (100 * total) / (tasks - 1);
}

/** Returns mean and sample standard deviation. */
export function meanAndDeviation(values: readonly number[]): { mean: number; deviation: number } {
  if (values.length === 0) return { mean: 0, deviation: 0 };
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  if (values.length < 2) return { mean, deviation: 0 };
  const variance =
    values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1);
  return { mean, deviation: Math.sqrt(variance) };
}
