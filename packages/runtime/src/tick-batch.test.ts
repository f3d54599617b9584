import { hashedNgramFeatures, hashedNgramSlots, noopLogger, SeededRandom } from '@galt/core';
import { describe, expect, it } from 'vitest';
import { AgentState } from './agent-state.js';
import { parseAgentDeclaration } from './declaration.js';
import type { DecisionModel, SparseFeatureRows } from './model/decision-model.js';
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

/**
 * Delivers 'Market day' to the square (agents a and c) and `millText` to the mill (agent b), then
 * runs `model` once on the three deciding agents.
 */
async function inferTwoZones(model: DecisionModel, millText: string): Promise<void> {
  const batch = new TickBatch(model, noopLogger);
  const agents = [agent('a', 'square'), agent('b', 'mill'), agent('c', 'square')];
  const deciding = batch.deliver(
    1,
    [
      { kind: 'player_utterance', tick: 1, playerId: 'p1', zone: 'square', text: 'Market day' },
      { kind: 'player_utterance', tick: 1, playerId: 'p1', zone: 'mill', text: millText },
    ],
    agents,
    [],
  );
  await batch.infer(deciding, 1, false, [], emptyReport());
}

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
    await inferTwoZones(model, 'The wheel broke');
    const row = (index: number) => [
      ...model.captured.subarray(index * DIMENSION, (index + 1) * DIMENSION),
    ];
    expect(row(0)).toEqual([...hashedNgramFeatures('Market day', DIMENSION)]);
    expect(row(1)).toEqual([...hashedNgramFeatures('The wheel broke', DIMENSION)]);
    expect(row(2)).toEqual(row(0));
  });

  it('pads sparse rows to the widest', async () => {
    const model = new SparseCapturingModel();
    await inferTwoZones(model, 'The old wheel broke again');
    const rows = model.captured;
    const wheel = hashedNgramSlots('The old wheel broke again', DIMENSION);
    expect(rows?.width).toBe(wheel.slots.length);
    const densify = (row: number) => {
      const dense = new Float32Array(DIMENSION);
      const width = rows?.width ?? 0;
      for (let entry = row * width; entry < (row + 1) * width; entry += 1) {
        const slot = rows?.slots[entry] ?? 0;
        dense[slot] = (dense[slot] ?? 0) + (rows?.values[entry] ?? 0);
      }
      return [...dense];
    };
    expect(densify(0)).toEqual([...hashedNgramFeatures('Market day', DIMENSION)]);
    expect(densify(1)).toEqual([...hashedNgramFeatures('The old wheel broke again', DIMENSION)]);
    expect(densify(2)).toEqual(densify(0));
    expect(model.denseCalls).toBe(0);
  });
});

/** A model that takes sparse rows and keeps a copy of the last ones. */
class SparseCapturingModel implements DecisionModel {
  readonly featureDimension = DIMENSION;
  readonly heads = { task: 2 };
  readonly digest = 'sparse-capture';
  captured: SparseFeatureRows | null = null;
  denseCalls = 0;

  async infer(_features: Float32Array, batch: number) {
    this.denseCalls += 1;
    return { task: new Float32Array(batch * 2) };
  }

  async inferSparse(rows: SparseFeatureRows, batch: number) {
    this.captured = {
      width: rows.width,
      slots: Int32Array.from(rows.slots),
      values: Float32Array.from(rows.values),
    };
    return { task: new Float32Array(batch * 2) };
  }
}
