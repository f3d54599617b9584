import type { TensorValue } from '@galt/onnx';
import type { LabelledExample } from './examples.js';
import { CLASS_HEAD_NAMES, CLASS_HEADS, GATE_WIDTH } from './heads.js';
import { GATE_TARGETS, GATE_WEIGHTS, targetName } from './typed-channel-graph.js';

/**
 * Builds the target feeds of the training graph for a batch: per head, one-hot rows scaled by
 * 1 / (labelled rows of that head), and the gate targets with their row weights.
 */
export function buildTargetFeeds(batch: readonly LabelledExample[]): Record<string, TensorValue> {
  const feeds: Record<string, TensorValue> = {};
  for (const head of CLASS_HEAD_NAMES) {
    const classes = CLASS_HEADS[head].length;
    const data = new Float32Array(batch.length * classes);
    const labelled = batch.filter((example) => example.labels[head] !== null).length;
    batch.forEach((example, row) => {
      const label = example.labels[head];
      if (label !== null) data[row * classes + label] = 1 / labelled;
    });
    feeds[targetName(head)] = { type: 'float32', dims: [batch.length, classes], data };
  }
  const gateTargets = new Float32Array(batch.length * GATE_WIDTH);
  const gateWeights = new Float32Array(batch.length);
  const gated = batch.filter((example) => example.gate !== null).length;
  batch.forEach((example, row) => {
    if (example.gate === null) return;
    gateTargets.set(example.gate, row * GATE_WIDTH);
    gateWeights[row] = 1 / (gated * GATE_WIDTH);
  });
  feeds[GATE_TARGETS] = { type: 'float32', dims: [batch.length, GATE_WIDTH], data: gateTargets };
  feeds[GATE_WEIGHTS] = { type: 'float32', dims: [batch.length, 1], data: gateWeights };
  return feeds;
}
