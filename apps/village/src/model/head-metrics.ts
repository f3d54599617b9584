import type { LabelledExample } from './examples.js';
import { CLASS_HEAD_NAMES, type ClassHead, classIndex } from './heads.js';
import type { ChannelPrediction } from './typed-channel-model.js';

/** Accuracy of one head over the examples that carry its label. */
export interface HeadAccuracy {
  correct: number;
  total: number;
  /** correct / total, or null when no example carries the label. */
  accuracy: number | null;
}

const PREDICTED_LABEL: Record<ClassHead, (prediction: ChannelPrediction) => string> = {
  action: (prediction) => prediction.action,
  knowledge: (prediction) => prediction.knowledge,
  memory: (prediction) => prediction.memory,
  residual: (prediction) => prediction.residual,
  memory_layer: (prediction) => prediction.memoryLayer,
  violation_layer: (prediction) => prediction.violationLayer,
};

/** Returns the predicted class index of a head. */
export function predictedIndex(head: ClassHead, prediction: ChannelPrediction): number {
  return classIndex(head, PREDICTED_LABEL[head](prediction));
}

/** Scores every head on the examples that carry its label. */
export function headAccuracies(
  examples: readonly LabelledExample[],
  predictions: readonly ChannelPrediction[],
): Record<ClassHead, HeadAccuracy> {
  const result = {} as Record<ClassHead, HeadAccuracy>;
  for (const head of CLASS_HEAD_NAMES) {
    let correct = 0;
    let total = 0;
    examples.forEach((example, row) => {
      const label = example.labels[head];
      const prediction = predictions[row];
      if (label === null || prediction === undefined) return;
      total += 1;
      if (predictedIndex(head, prediction) === label) correct += 1;
    });
    result[head] = { correct, total, accuracy: total === 0 ? null : correct / total };
  }
  return result;
}
