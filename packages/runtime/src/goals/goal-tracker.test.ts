import type { AgentAction } from '@galt/protocol';
import { describe, expect, it } from 'vitest';
import { type Goal, type GoalInput, GoalSchema } from './goal-schema.js';
import { GoalTracker } from './goal-tracker.js';

const goal = (input: GoalInput): Goal => GoalSchema.parse(input);
const act = (kind: AgentAction['kind'], tick: number): AgentAction => ({
  agentId: 'guard',
  tick,
  kind,
  toolCalls: [],
});
const noObservations = (tick: number) => ({ tick, observations: [] });

const gateGoal = goal({
  id: 'let-in',
  activation: { kind: 'observed', eventKind: 'player_action', textIncludes: 'request_pass' },
  plan: {
    type: 'sequence',
    id: 'root',
    steps: [
      { type: 'action', id: 'greet', action: 'speak' },
      {
        type: 'sequence',
        id: 'check',
        steps: [
          { type: 'approval', id: 'ask-captain', prompt: 'Let the player through?' },
          { type: 'action', id: 'open', action: 'open_gate', setsFlag: 'gate_open' },
        ],
      },
    ],
  },
});

describe('GoalTracker', () => {
  it('activates on an observation and pauses at the approval', () => {
    const tracker = new GoalTracker('guard', [gateGoal]);
    expect(tracker.evaluate(noObservations(1))).toEqual([]);
    tracker.evaluate({ tick: 2, observations: [{ kind: 'player_action', text: 'request_pass' }] });
    expect(tracker.active()[0]?.step?.id).toBe('greet');

    const changes = tracker.recordAction(act('speak', 2));
    const request = changes.find((change) => change.type === 'approval_requested');
    expect(request).toMatchObject({
      stepId: 'ask-captain',
      approvalId: 'guard/let-in/ask-captain/2',
    });
    expect(tracker.active()[0]?.status).toBe('awaiting_approval');
    expect(tracker.recordAction(act('open_gate', 3))).toEqual([]);
  });

  it('continues after approval and completes', () => {
    const tracker = new GoalTracker('guard', [gateGoal]);
    tracker.evaluate({ tick: 1, observations: [{ kind: 'player_action', text: 'request_pass' }] });
    tracker.recordAction(act('speak', 1));
    const resumed = tracker.resolveApproval('guard/let-in/ask-captain/1', true, 2);
    expect(resumed?.at(-1)).toMatchObject({
      status: 'active',
      stepId: 'open',
      stepPath: ['root', 'check', 'open'],
    });
    tracker.recordAction(act('open_gate', 3));
    expect(tracker.flags()).toEqual({ gate_open: true });
    const done = tracker.evaluate(noObservations(4));
    expect(done).toEqual([
      {
        type: 'goal_changed',
        goalId: 'let-in',
        status: 'completed',
        stepId: null,
        stepPath: [],
        cursor: null,
      },
    ]);
    expect(tracker.active()).toEqual([]);
  });

  it('fails the goal on a rejected approval', () => {
    const tracker = new GoalTracker('guard', [gateGoal]);
    tracker.evaluate({ tick: 1, observations: [{ kind: 'player_action', text: 'request_pass' }] });
    tracker.recordAction(act('speak', 1));
    expect(tracker.resolveApproval('guard/let-in/ask-captain/1', false, 2)?.[0]).toMatchObject({
      status: 'failed',
    });
    expect(tracker.resolveApproval('guard/let-in/ask-captain/1', true, 3)).toBeNull();
  });

  it('waits for dependencies before activating', () => {
    const first = goal({ id: 'first', plan: { type: 'action', id: 'a', action: 'speak' } });
    const second = goal({
      id: 'second',
      dependsOn: ['first'],
      plan: { type: 'action', id: 'b', action: 'guard' },
    });
    const tracker = new GoalTracker('guard', [second, first]);
    tracker.evaluate(noObservations(1));
    expect(tracker.active().map((active) => active.goal.id)).toEqual(['first']);
    tracker.recordAction(act('speak', 1));
    tracker.evaluate(noObservations(2));
    tracker.evaluate(noObservations(3));
    expect(tracker.active().map((active) => active.goal.id)).toEqual(['second']);
  });

  it('passes a wait step once its condition holds', () => {
    const waiting = goal({
      id: 'night-watch',
      plan: {
        type: 'sequence',
        id: 'root',
        steps: [
          { type: 'wait', id: 'dusk', until: { kind: 'tick_at_least', tick: 5 } },
          { type: 'action', id: 'patrol', action: 'guard' },
        ],
      },
    });
    const tracker = new GoalTracker('guard', [waiting]);
    tracker.evaluate(noObservations(1));
    expect(tracker.active()[0]?.step?.id).toBe('dusk');
    tracker.evaluate(noObservations(5));
    expect(tracker.active()[0]?.step?.id).toBe('patrol');
  });

  it('round-trips through snapshot and restore', () => {
    const tracker = new GoalTracker('guard', [gateGoal]);
    tracker.evaluate({ tick: 1, observations: [{ kind: 'player_action', text: 'request_pass' }] });
    tracker.recordAction(act('speak', 1));
    const snapshot = JSON.parse(JSON.stringify(tracker.snapshot()));
    const restored = new GoalTracker('guard', [gateGoal]);
    restored.restore(snapshot);
    expect(restored.snapshot()).toEqual(tracker.snapshot());
    expect(restored.resolveApproval('guard/let-in/ask-captain/1', true, 2)).toEqual(
      tracker.resolveApproval('guard/let-in/ask-captain/1', true, 2),
    );
  });
});
