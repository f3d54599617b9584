import type { MemoryCandidate } from '@galt/protocol';
import { describe, expect, it } from 'vitest';
import type { ChannelPrediction } from '../model/typed-channel-model.js';
import type { VillageRuleContext } from '../rules/rule-context.js';
import { LEARNED_CONTEXT_KEY } from '../rules/rule-context.js';
import { createVillageSafetyStack } from '../rules/village-rules.js';
import { DEFAULT_NPCS } from '../world/roster.js';
import { VillageWorld } from '../world/village-world.js';
import { decideMemory, learnedFinding, MEMORY_HEAD_RULE_ID } from './memory-channel.js';

const stack = createVillageSafetyStack();
const context: VillageRuleContext = {
  world: new VillageWorld({ players: [] }),
  agent: DEFAULT_NPCS[0] ?? { id: 'guard', role: 'guard', zone: 'gate' },
};

function prediction(overrides: Partial<ChannelPrediction>): ChannelPrediction {
  return {
    action: 'answer',
    knowledge: 'known',
    memory: 'accepted_trace',
    residual: 'none',
    memoryLayer: 'L3',
    violationLayer: 'none',
    gate: [1, 1, 1],
    logits: {
      action: [],
      knowledge: [],
      memory: [],
      residual: [],
      memory_layer: [],
      violation_layer: [],
    },
    hidden: new Float32Array(0),
    ...overrides,
  };
}

function candidate(reading: ChannelPrediction): MemoryCandidate {
  return {
    candidateId: 'c1',
    agentId: context.agent.id,
    subject: 'p1',
    attribute: 'likes',
    content: 'likes apples',
    dependencyLayer: reading.memoryLayer,
    provenance: 'user_sourced',
    consent: 'given',
    importance: 0.5,
    tick: 3,
    context: { [LEARNED_CONTEXT_KEY]: learnedFinding(reading) },
  };
}

describe('decideMemory', () => {
  it('accepts a clean fact', () => {
    const reading = prediction({});
    const { record } = decideMemory(stack, candidate(reading), reading, context);
    expect(record.decision).toBe('accept');
    expect(record.proposed?.dependencyLayer).toBe('L3');
  });

  it('closes the gate on not_consolidated', () => {
    const reading = prediction({ memory: 'not_consolidated' });
    const { record } = decideMemory(stack, candidate(reading), reading, context);
    expect(record.decision).toBe('reject');
    expect(record.residual).toBe('none');
    expect(record.gate).toBe(0);
    expect(record.reasons.join(' ')).toContain(MEMORY_HEAD_RULE_ID);
  });

  it('rejects a learned hard violation', () => {
    const reading = prediction({ memory: 'not_consolidated', residual: 'hard_violation' });
    const { record, verdict } = decideMemory(stack, candidate(reading), reading, context);
    expect(verdict.blocked).toBe(true);
    expect(record.decision).toBe('reject');
    expect(record.residual).toBe('hard_violation');
  });

  it('defers a learned ambiguity', () => {
    const reading = prediction({ residual: 'boundary_ambiguity' });
    const { record } = decideMemory(stack, candidate(reading), reading, context);
    expect(record.decision).toBe('defer');
    expect(record.residual).toBe('boundary_ambiguity');
  });
});
