import type { StreamEvent, StreamEventKind } from '@galt/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_CHANNEL_ITEMS } from './channel-events.js';
import {
  applyEvents,
  applySnapshot,
  createInspectorState,
  MAX_POINTS_PER_ROW,
} from './inspector-state.js';

let nextSeq = 1;

function event(
  kind: StreamEventKind,
  agentId: string | null,
  payload: Record<string, unknown>,
  tick = 1,
): StreamEvent {
  return { seq: nextSeq++, runId: 'run-1', tick, agentId, kind, payload };
}

function parametricWrite(agentId: string, outcome: string, after: number, tick = 1) {
  return event(
    'parametric_write',
    agentId,
    {
      record: {
        agentId,
        outcome,
        rows: [{ rowId: 'probe:1', after, before: after + 1, hard: true, lambda: 0.5, rho: 2 }],
      },
    },
    tick,
  );
}

describe('applyEvents', () => {
  it('places an NPC from a world event and its action', () => {
    const state = createInspectorState();
    applyEvents(state, [
      event('world_event', 'guard', {
        event: { kind: 'player_action', agentId: 'guard', zone: 'gate', playerId: 'p1' },
      }),
    ]);
    expect(state.agents.get('guard')?.zone).toBe('gate');

    applyEvents(state, [event('action', 'guard', { action: { kind: 'move', zone: 'square' } })]);
    expect(state.agents.get('guard')?.zone).toBe('square');
    expect(state.agents.get('guard')?.lastActionKind).toBe('move');
  });

  it('records the verdict per layer with the rule', () => {
    const state = createInspectorState();
    const layers = [
      { layer: 'L0', status: 'violate', ruleId: 'world.quest_item_kept', reason: 'kept' },
      { layer: 'L1', status: 'pass' },
    ];
    applyEvents(state, [
      event('safety_verdict', 'elder', {
        verdict: { blocked: true, layers, violationLayer: 'L0' },
      }),
    ]);
    const verdict = state.agents.get('elder')?.verdict;
    expect(verdict?.blocked).toBe(true);
    expect(verdict?.layers[0]).toEqual({
      layer: 'L0',
      status: 'violate',
      ruleId: 'world.quest_item_kept',
      reason: 'kept',
    });
    expect(verdict?.layers[1]?.ruleId).toBeNull();
    expect(state.agents.get('elder')?.violationLayer).toBe('L0');
  });

  it('matches tool results to their calls', () => {
    const state = createInspectorState();
    applyEvents(state, [
      event('tool_call', 'bo', {
        call: { callId: 'c1', tool: 'speak', arguments: { text: 'hi' } },
      }),
      event('tool_call', 'bo', { call: { callId: 'c2', tool: 'give_item', arguments: {} } }),
      event('tool_result', 'bo', {
        result: { callId: 'c2', ok: false, error: { code: 'invalid_input', message: 'no item' } },
      }),
    ]);
    const calls = state.agents.get('bo')?.toolCalls ?? [];
    expect(calls.map((call) => call.ok)).toEqual([null, false]);
    expect(calls[1]?.detail).toBe('invalid_input: no item');
    expect(calls[0]?.argumentsJson).toBe('{"text":"hi"}');
  });

  it('keeps the newest memory decisions only', () => {
    const state = createInspectorState();
    const adjudications = Array.from({ length: MAX_CHANNEL_ITEMS + 5 }, (_, index) =>
      event(
        'adjudication',
        'ada',
        { adjudication: { candidateId: `c${index}`, decision: 'accept', decidingLayer: 'L2' } },
        index,
      ),
    );
    applyEvents(state, adjudications);
    const candidates = state.agents.get('ada')?.candidates ?? [];
    expect(candidates).toHaveLength(MAX_CHANNEL_ITEMS);
    expect(candidates.at(-1)?.candidateId).toBe(`c${MAX_CHANNEL_ITEMS + 4}`);
  });

  it('collects constraint rows and write outcomes', () => {
    const state = createInspectorState();
    applyEvents(state, [
      parametricWrite('scribe', 'committed', -2),
      parametricWrite('scribe', 'rolled_back', 0.5, 2),
    ]);
    const points = state.constraints.get('probe:1') ?? [];
    expect(points.map((point) => point.value)).toEqual([-2, 0.5]);
    expect(points[0]).toMatchObject({ lambda: 0.5, rho: 2, hard: true, agentId: 'scribe' });
    expect(state.writes.map((write) => write.outcome)).toEqual(['committed', 'rolled_back']);
  });

  it('skips events at or before the applied seq', () => {
    const state = createInspectorState();
    const first = parametricWrite('scribe', 'committed', -1);
    applyEvents(state, [first]);
    applyEvents(state, [first]);
    expect(state.writes).toHaveLength(1);
    expect(state.seq).toBe(first.seq);
  });

  it('ignores malformed payloads', () => {
    const state = createInspectorState();
    applyEvents(state, [
      event('proposal', 'cy', { proposal: 'not an object' }),
      event('safety_verdict', 'cy', { verdict: { layers: [1, null, { layer: 'L2' }] } }),
      event('parametric_write', 'cy', { record: { rows: [{ rowId: 5 }, { after: 'x' }] } }),
      event('tool_result', 'cy', { result: { callId: 'unknown', ok: true } }),
    ]);
    expect(state.agents.get('cy')?.proposal?.actionKind).toBe('unknown');
    expect(state.agents.get('cy')?.verdict?.layers).toHaveLength(1);
    expect(state.constraints.size).toBe(0);
  });

  it('bounds constraint points per row for any write count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_POINTS_PER_ROW * 2 }), (count) => {
        const state = createInspectorState();
        const writes = Array.from({ length: count }, (_, index) =>
          parametricWrite('a', 'committed', -index),
        );
        applyEvents(state, writes);
        const points = state.constraints.get('probe:1') ?? [];
        expect(points).toHaveLength(Math.min(count, MAX_POINTS_PER_ROW));
        expect(points.at(-1)?.value).toBe(-(count - 1));
      }),
      { numRuns: 20 },
    );
  });
});

describe('applySnapshot', () => {
  it('sets tick, paused and violation layer', () => {
    const state = createInspectorState();
    applySnapshot(state, 40, {
      tick: 7,
      agents: [
        { id: 'guard', paused: true, violationLayer: 'L2' },
        { id: 'ada', paused: false, violationLayer: null },
        { paused: true },
      ],
    });
    expect(state.seq).toBe(40);
    expect(state.tick).toBe(7);
    expect(state.agents.get('guard')).toMatchObject({ paused: true, violationLayer: 'L2' });
    expect(state.agents.get('ada')?.paused).toBe(false);
    expect(state.agents.size).toBe(2);
  });
});
