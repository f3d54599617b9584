import { hashedNgramFeatures, noopLogger, SeededRandom } from '@galt/core';
import { describe, expect, it } from 'vitest';
import { AgentState } from './agent-state.js';
import { parseAgentDeclaration } from './declaration.js';
import type { DecisionModel } from './model/decision-model.js';
import type { TickReport } from './runtime-types.js';
import { TickBatch } from './tick-batch.js';

const DIMENSION = 16;

/** A decision model that keeps a copy of the features of its last call. */
class FeatureCapturingModel implements DecisionModel {
  readonly featureDimension = DIMENSION;
  readonly heads = { task: 2 };
  readonly digest = 'capture';
  captured = new Float32Array(0);

  async infer(features: Float32Array, batch: number) {
    this.captured = Float32Array.from(features.subarray(0, batch * DIMENSION));
    return { task: new Float32Array(batch * 2) };
  }
}

function agent(id: string, zone: string): AgentState {
  const parsed = parseAgentDeclaration({ id, zone, policy: 'any' });
  if (!parsed.ok) throw new Error('test declaration is invalid');
  return new AgentState(parsed.value, new SeededRandom(id), 4);
}

const emptyReport = (): TickReport => ({
  tick: 1,
  decisions: 0,
  firstSeq: null,
  lastSeq: null,
  rejected: [],
  errors: [],
});

describe('TickBatch', () => {
  it('delivers addressed, zone-wide and time events', () => {
    const batch = new TickBatch(new FeatureCapturingModel(), noopLogger);
    const agents = [agent('smith', 'square'), agent('miller', 'mill'), agent('guard', 'gate')];
    const deciding = batch.deliver(
      1,
      [
        { kind: 'player_utterance', tick: 1, playerId: 'p1', zone: 'square', text: 'Hello square' },
        {
          kind: 'player_utterance',
          tick: 1,
          playerId: 'p1',
          agentId: 'miller',
          zone: 'square',
          text: 'Flour?',
        },
        { kind: 'time_tick', tick: 1, hour: 6 },
      ],
      agents,
      [],
    );
    expect(deciding.map((entry) => [entry.agent.id, entry.text])).toEqual([
      ['smith', 'Hello square\nhour 6'],
      ['miller', 'Flour?\nhour 6'],
      ['guard', 'hour 6'],
    ]);
  });

  it('builds equal rows for equal texts and hashes each text', async () => {
    const model = new FeatureCapturingModel();
    const batch = new TickBatch(model, noopLogger);
    const agents = [agent('a', 'square'), agent('b', 'mill'), agent('c', 'square')];
    const deciding = batch.deliver(
      1,
      [
        { kind: 'player_utterance', tick: 1, playerId: 'p1', zone: 'square', text: 'Market day' },
        {
          kind: 'player_utterance',
          tick: 1,
          playerId: 'p1',
          zone: 'mill',
          text: 'The wheel broke',
        },
      ],
      agents,
      [],
    );
    await batch.infer(deciding, 1, false, [], emptyReport());
    const row = (index: number) => [
      ...model.captured.subarray(index * DIMENSION, (index + 1) * DIMENSION),
    ];
    expect(row(0)).toEqual([...hashedNgramFeatures('Market day', DIMENSION)]);
    expect(row(1)).toEqual([...hashedNgramFeatures('The wheel broke', DIMENSION)]);
    expect(row(2)).toEqual(row(0));
  });
});
