import type { ProposedAdjudication } from '@galt/core';
import type { ViolationLayer } from '@galt/protocol';

/** Names of the model heads whose outputs are recorded beside each adjudication. */
export interface AdjudicationHeadNames {
  /** Two logits, [accepted_trace, not_consolidated]. The proposed gate is P(accepted_trace). */
  memory: string;
  /** Logits over L0..L3 (a fifth class means none): the layer a memory depends on. */
  memoryLayer: string;
  /** Logits over L0, L1, L2, L3 and none: the layer the turn violates. */
  violationLayer: string;
}

/** Head names of the village decision model. */
export const DEFAULT_ADJUDICATION_HEADS: AdjudicationHeadNames = {
  memory: 'memory',
  memoryLayer: 'memory_layer',
  violationLayer: 'violation_layer',
};

/** Classes of a layer head, in logit order. */
const LAYER_CLASSES: readonly ViolationLayer[] = ['L0', 'L1', 'L2', 'L3', 'none'];

/**
 * Builds the classifier's proposal from one agent's head outputs. Heads the model lacks, and heads
 * of a size that does not fit, are ignored. Returns undefined when no head contributes.
 */
export function classifierProposal(
  heads: Readonly<Record<string, Float32Array>>,
  names: AdjudicationHeadNames,
): ProposedAdjudication | undefined {
  const proposed: ProposedAdjudication = {};
  const gate = acceptProbability(heads[names.memory]);
  if (gate !== undefined) proposed.gate = gate;
  const dependencyLayer = argmaxLayer(heads[names.memoryLayer]);
  if (dependencyLayer !== undefined) proposed.dependencyLayer = dependencyLayer;
  const violationLayer = argmaxLayer(heads[names.violationLayer]);
  if (violationLayer !== undefined) proposed.violationLayer = violationLayer;
  return Object.keys(proposed).length === 0 ? undefined : proposed;
}

/** Softmax probability of the first of two classes, rounded so the record stays short. */
function acceptProbability(logits: Float32Array | undefined): number | undefined {
  if (logits?.length !== 2) return undefined;
  const accept = logits[0] ?? 0;
  const reject = logits[1] ?? 0;
  const probability = 1 / (1 + Math.exp(reject - accept));
  return Number.isFinite(probability) ? Math.round(probability * 1e6) / 1e6 : undefined;
}

function argmaxLayer(logits: Float32Array | undefined): ViolationLayer | undefined {
  if (logits === undefined || logits.length < 4 || logits.length > LAYER_CLASSES.length)
    return undefined;
  let best = 0;
  for (let index = 1; index < logits.length; index += 1) {
    if ((logits[index] ?? -Infinity) > (logits[best] ?? -Infinity)) best = index;
  }
  return LAYER_CLASSES[best];
}
