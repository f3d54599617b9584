import type { StreamEvent } from '@galt/protocol';
import { describe, expect, it } from 'vitest';
import type { AgentDeclarationInput } from '../declaration.js';
import type { DecisionModel } from '../model/decision-model.js';
import type { Runtime } from '../runtime.js';
import { createRuntime } from '../runtime.js';
import {
  createVillageSafety,
  createVillageWorld,
  say,
  villagePolicy,
  villager,
} from '../testing/village-fixture.js';
import { eventDigest } from './event-digest.js';
import { replayRun } from './replay-run.js';

const gateKeeper: AgentDeclarationInput = villager('guard', {
  goals: [
    {
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
              { type: 'approval', id: 'ask-captain', prompt: 'Let the traveller through?' },
              { type: 'action', id: 'open', action: 'open_gate' },
            ],
          },
          { type: 'action', id: 'farewell', action: 'speak' },
        ],
      },
    },
  ],
});

const requestPass = {
  kind: 'player_action' as const,
  tick: 0,
  playerId: 'p1',
  agentId: 'guard',
  zone: 'square',
  action: 'request_pass' as const,
};

/** Records a run: the guard greets, waits for the captain's approval, opens the gate and bids farewell. */
async function recordGateRun() {
  const world = createVillageWorld();
  world.runtime.addAgent(gateKeeper);
  world.runtime.inject(requestPass);
  await world.runtime.tick();
  const [pending] = world.runtime.pendingApprovals();
  world.runtime.resolveApproval('guard', pending?.approvalId ?? '', true);
  world.runtime.inject(
    say('p1', 'guard', 'Thank you!', { fact: 'crossed the gate', attribute: 'travel' }),
  );
  await world.runtime.tick();
  world.runtime.inject(say('p1', 'guard', 'Bye!'));
  await world.runtime.tick();
  await world.runtime.tick();
  return world;
}

function buildGuardRuntime(context: {
  runId: string;
  seed: number;
  model: DecisionModel;
}): Runtime {
  const { runtime } = createVillageWorld({
    runId: context.runId,
    seed: context.seed,
    model: context.model,
  });
  runtime.addAgent(gateKeeper);
  return runtime;
}

function actionsOf(events: readonly StreamEvent[]): string[] {
  return events
    .filter((event) => event.kind === 'action')
    .map((event) => (event.payload['action'] as { kind: string }).kind);
}

describe('replayRun', () => {
  it('reproduces every event digest of a recorded run', async () => {
    const { store } = await recordGateRun();
    const original = store.readEvents({ runId: 'village-test' });
    expect(actionsOf(original)).toEqual(['speak', 'open_gate', 'speak']);

    const result = await replayRun(store, 'village-test', { build: buildGuardRuntime });
    expect(result.mismatches).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.events.map(eventDigest)).toEqual(original.map(eventDigest));
  });

  it('reproduces refused inputs and model_outputs events', async () => {
    const world = createVillageWorld();
    world.runtime.addAgent(gateKeeper);
    world.runtime.inject(say('p1', 'guard', 'Teach me how to brew'));
    await world.runtime.tick();
    world.runtime.inject(say('p1', 'guard', 'a poison, quietly.'));
    await world.runtime.tick();
    world.runtime.inject(say('p1', 'guard', 'Good morning.'));
    await world.runtime.tick();
    const original = world.store.readEvents({ runId: 'village-test' });
    const kinds = original.map((event) => event.kind);
    expect(kinds.filter((kind) => kind === 'model_outputs')).toHaveLength(3);
    expect(kinds).not.toContain('observation');
    expect(kinds.filter((kind) => kind === 'turn_rejected')).toHaveLength(1);

    const result = await replayRun(world.store, 'village-test', { build: buildGuardRuntime });
    expect(result.mismatches).toEqual([]);
    expect(result.events.map(eventDigest)).toEqual(original.map(eventDigest));
  });

  it('replays into a runtime without a store', async () => {
    const world = createVillageWorld();
    world.runtime.addAgent(gateKeeper);
    world.runtime.inject(say('p1', 'guard', 'Good morning.'));
    await world.runtime.tick();
    world.runtime.inject(say('p1', 'guard', 'Teach me how to brew a poison.'));
    await world.runtime.tick();
    const original = world.store.readEvents({ runId: 'village-test' });

    const result = await replayRun(world.store, 'village-test', {
      build: (context) => {
        const runtime = createRuntime({ ...context, safety: createVillageSafety() });
        runtime.registerPolicy('village', villagePolicy);
        runtime.addAgent({ ...gateKeeper, tools: [] });
        return runtime;
      },
    });
    expect(result.mismatches).toEqual([]);
    expect(result.events.map(eventDigest)).toEqual(original.map(eventDigest));
  });

  it('resumes inside the nested plan and asks for approval again', async () => {
    const { store } = await recordGateRun();
    const original = store.readEvents({ runId: 'village-test' });
    const greet = original.find(
      (event) => event.kind === 'goal_changed' && event.payload['stepId'] === 'greet',
    );
    expect(greet).toBeDefined();

    const result = await replayRun(store, 'village-test', {
      build: buildGuardRuntime,
      fromSeq: greet?.seq ?? 0,
    });
    expect(result.ok).toBe(true);
    expect(result.events.some((event) => event.kind === 'approval_requested')).toBe(true);
    expect(result.events.some((event) => event.kind === 'approval_resolved')).toBe(false);
    const waiting = result.runtime.pendingApprovals();
    expect(waiting).toEqual([
      { agentId: 'guard', approvalId: 'guard/let-in/ask-captain/1', goalId: 'let-in' },
    ]);

    const continued: StreamEvent[] = [];
    result.runtime.events$.subscribe((event) => continued.push(event));
    result.runtime.inject(say('p1', 'guard', 'Thank you!'));
    await result.runtime.tick();
    expect(actionsOf(continued)).not.toContain('open_gate');
    result.runtime.resolveApproval('guard', 'guard/let-in/ask-captain/1', true);
    result.runtime.inject(say('p1', 'guard', 'Now?'));
    await result.runtime.tick();
    expect(actionsOf(continued).at(-1)).toBe('open_gate');
  });

  it('reports where a changed runtime diverges', async () => {
    const { store } = await recordGateRun();
    const result = await replayRun(store, 'village-test', {
      build: (context) => {
        const runtime = buildGuardRuntime(context);
        runtime.pauseAgent('guard');
        return runtime;
      },
    });
    expect(result.ok).toBe(false);
    expect(result.mismatches[0]).toMatchObject({ index: 0, reason: 'event content differs' });
  });

  it('rejects an unknown run and a foreign event', async () => {
    const { store } = await recordGateRun();
    await expect(replayRun(store, 'no-such-run', { build: buildGuardRuntime })).rejects.toThrow(
      /not found/,
    );
    await expect(
      replayRun(store, 'village-test', { build: buildGuardRuntime, fromSeq: 10_000 }),
    ).rejects.toThrow(/not part of this run/);
  });
});
