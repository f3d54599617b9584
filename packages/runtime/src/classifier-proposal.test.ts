import type { AdjudicationRecord, StreamEvent } from '@galt/protocol';
import { describe, expect, it } from 'vitest';
import { classifierProposal, DEFAULT_ADJUDICATION_HEADS } from './classifier-proposal.js';
import { LinearDecisionModel } from './model/linear-decision-model.js';
import type { PolicyInput } from './runtime-types.js';
import {
  createVillageWorld,
  say,
  TASK_ACTIONS,
  TEST_FEATURE_DIMENSION,
  villagePolicy,
  villager,
} from './testing/village-fixture.js';

describe('classifierProposal', () => {
  it('reads gate and layers from the heads', () => {
    const proposed = classifierProposal(
      {
        memory: new Float32Array([2, 0]),
        memory_layer: new Float32Array([0, 0, 3, 1]),
        violation_layer: new Float32Array([0, 0, 0, 0, 5]),
      },
      DEFAULT_ADJUDICATION_HEADS,
    );
    expect(proposed?.gate).toBeCloseTo(1 / (1 + Math.exp(-2)), 5);
    expect(proposed?.dependencyLayer).toBe('L2');
    expect(proposed?.violationLayer).toBe('none');
  });

  it('ignores absent and misshaped heads', () => {
    expect(classifierProposal({ task: new Float32Array(4) }, DEFAULT_ADJUDICATION_HEADS)).toBe(
      undefined,
    );
    const proposed = classifierProposal(
      { memory: new Float32Array(3), violation_layer: new Float32Array([0, 4, 0, 0, 0]) },
      DEFAULT_ADJUDICATION_HEADS,
    );
    expect(proposed).toEqual({ violationLayer: 'L1' });
  });
});

/** Runs one fact-carrying turn on a model with the given heads and returns what it recorded. */
async function adjudicateWith(
  heads: Record<string, number>,
  adjudicationHeads?: { memory?: string; memoryLayer?: string; violationLayer?: string },
) {
  const model = LinearDecisionModel.random(TEST_FEATURE_DIMENSION, heads, 'heads-model');
  const world = createVillageWorld({
    model,
    ...(adjudicationHeads === undefined ? {} : { adjudicationHeads }),
  });
  const seenHeads: Record<string, number[]>[] = [];
  world.runtime.registerPolicy('copying', (input: PolicyInput) => {
    const copy: Record<string, number[]> = {};
    for (const [name, logits] of Object.entries(input.heads)) copy[name] = [...logits];
    seenHeads.push(copy);
    return villagePolicy(input);
  });
  world.runtime.addAgent(villager('scribe', { policy: 'copying' }));
  const seen: StreamEvent[] = [];
  world.runtime.events$.subscribe((event) => seen.push(event));
  world.runtime.inject(
    say('p1', 'scribe', 'I fish.', { fact: 'likes fishing', attribute: 'hobby' }),
  );
  await world.runtime.tick();
  const adjudications = seen
    .filter((event) => event.kind === 'adjudication')
    .map((event) => event.payload['adjudication'] as AdjudicationRecord);
  return { adjudications, heads: seenHeads[0] ?? {} };
}

function argmax(values: readonly number[]): number {
  return values.indexOf(Math.max(...values));
}

describe('adjudication records', () => {
  it('keep the classifier proposal beside the decision', async () => {
    const { adjudications, heads } = await adjudicateWith({
      task: TASK_ACTIONS.length,
      memory: 2,
      memory_layer: 4,
      violation_layer: 5,
    });
    expect(adjudications).toHaveLength(1);
    const [record] = adjudications;
    expect(record?.decision).toBe('accept');
    const layers = ['L0', 'L1', 'L2', 'L3', 'none'];
    expect(record?.proposed?.dependencyLayer).toBe(layers[argmax(heads['memory_layer'] ?? [])]);
    expect(record?.proposed?.violationLayer).toBe(layers[argmax(heads['violation_layer'] ?? [])]);
    const [accept = 0, reject = 0] = heads['memory'] ?? [];
    expect(record?.proposed?.gate).toBeCloseTo(1 / (1 + Math.exp(reject - accept)), 5);
  });

  it('use the configured head names', async () => {
    const { adjudications, heads } = await adjudicateWith(
      { task: TASK_ACTIONS.length, risk: 5 },
      { violationLayer: 'risk' },
    );
    const layers = ['L0', 'L1', 'L2', 'L3', 'none'];
    expect(adjudications[0]?.proposed).toEqual({
      violationLayer: layers[argmax(heads['risk'] ?? [])],
    });
  });

  it('have no proposal when the model lacks the heads', async () => {
    const { adjudications } = await adjudicateWith({ task: TASK_ACTIONS.length });
    expect(adjudications).toHaveLength(1);
    expect(adjudications[0]?.proposed).toBeUndefined();
  });
});
