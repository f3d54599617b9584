import { ambiguous, hashedNgramFeatures, PASS, violate } from '@galt/core';
import type { StreamEvent } from '@galt/protocol';
import { describe, expect, it } from 'vitest';
import { LinearDecisionModel } from './model/linear-decision-model.js';
import type { SafetyChannel, SafetyContext } from './runtime-types.js';
import {
  createVillageSafety,
  createVillageWorld,
  say,
  TEST_FEATURE_DIMENSION,
  villager,
} from './testing/village-fixture.js';

function ofKind(events: readonly StreamEvent[], kind: StreamEvent['kind']) {
  return events.filter((event) => event.kind === kind);
}

describe('addAgent', () => {
  it('reports declaration mistakes with paths', () => {
    const { runtime } = createVillageWorld();
    const result = runtime.addAgent({
      id: 'smith',
      policy: 'missing-policy',
      channels: { task: { backing: 'model', head: 'no-such-head' }, memory: { backing: 'model' } },
      tools: ['give_item', 'fly'],
      goals: [
        { id: 'a', dependsOn: ['b'], plan: { type: 'action', id: 's1', action: 'speak' } },
        { id: 'b', dependsOn: ['a'], plan: { type: 'action', id: 's2', action: 'speak' } },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.issues.map((issue) => issue.path.join('.'));
    expect(paths).toContain('channels.memory.head');
    expect(paths).toContain('goals.0.dependsOn');
  });

  it('checks policy, tools and heads against the runtime', () => {
    const { runtime } = createVillageWorld();
    const result = runtime.addAgent(
      villager('smith', {
        policy: 'missing',
        tools: ['give_item', 'fly'],
        channels: { task: { backing: 'model', head: 'nope' } },
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((issue) => issue.path.join('.'))).toEqual([
      'policy',
      'tools.1',
      'channels.task.head',
    ]);
    expect(runtime.agents()).toHaveLength(0);
  });

  it('rejects unknown safety rule ids', () => {
    const { runtime } = createVillageWorld();
    const result = runtime.addAgent(
      villager('smith', { safetyRules: ['village.no_poisoning', 'made.up'] }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]?.path).toEqual(['safetyRules', 1]);
  });
});

describe('tick', () => {
  it('stores events in order and emits them on events$', async () => {
    const { runtime, store } = createVillageWorld();
    runtime.addAgent(villager('smith'));
    const seen: StreamEvent[] = [];
    runtime.events$.subscribe((event) => seen.push(event));
    runtime.inject(say('p1', 'smith', 'Good morning!', { reply: 'Morning. Nice weather.' }));
    const report = await runtime.tick();

    expect(report.decisions).toBe(1);
    const stored = store.readEvents({ runId: 'village-test' });
    expect(seen).toEqual(stored);
    expect(seen.map((event) => event.seq)).toEqual(seen.map((_, index) => index + 1));
    expect(seen.map((event) => event.kind)).toEqual([
      'world_event',
      'model_outputs',
      'proposal',
      'safety_verdict',
      'reply_chunk',
      'reply_chunk',
      'action',
      'tick_completed',
    ]);
  });

  it('logs and skips malformed injected events', async () => {
    const { runtime, logger } = createVillageWorld();
    runtime.addAgent(villager('smith'));
    const bad = runtime.inject({
      kind: 'player_utterance',
      tick: -1,
      playerId: '',
      zone: 'square',
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.issues.map((issue) => issue.path[0])).toEqual(
        expect.arrayContaining(['tick', 'playerId', 'text']),
      );
    expect(runtime.inject({ kind: 'meteor_strike' }).ok).toBe(false);
    const report = await runtime.tick();
    expect(report.errors).toEqual([]);
    expect(logger.entriesAt('warn')).toHaveLength(2);
  });

  it('turns a throwing policy into an idle action', async () => {
    const { runtime } = createVillageWorld();
    runtime.registerPolicy('broken', () => {
      throw new Error('policy bug');
    });
    runtime.addAgent(villager('smith', { policy: 'broken' }));
    runtime.inject(say('p1', 'smith', 'hello'));
    const report = await runtime.tick();
    expect(report.errors[0]).toMatchObject({ agentId: 'smith', code: 'internal' });
    const actions: StreamEvent[] = [];
    runtime.events$.subscribe((event) => actions.push(event));
    runtime.inject(say('p1', 'smith', 'hello again'));
    await runtime.tick();
    expect(ofKind(actions, 'action')[0]?.payload['action']).toMatchObject({ kind: 'idle' });
  });

  it('survives a failing model and a failing safety channel', async () => {
    const failingModel = {
      featureDimension: 8,
      heads: { task: 4 },
      digest: 'failing',
      infer: async () => {
        throw new Error('device lost');
      },
    };
    const broken = createVillageWorld({ model: failingModel });
    broken.runtime.addAgent(villager('smith'));
    broken.runtime.inject(say('p1', 'smith', 'hello'));
    const report = await broken.runtime.tick();
    expect(report.decisions).toBe(0);
    expect(report.errors[0]).toMatchObject({ agentId: null, code: 'internal' });
    expect(broken.logger.entriesAt('error')).toHaveLength(1);

    const failingSafety = {
      screen: () => {
        throw new Error('classifier offline');
      },
    };
    const closed = createVillageWorld({ safety: failingSafety });
    closed.runtime.addAgent(villager('keeper'));
    const seen: StreamEvent[] = [];
    closed.runtime.events$.subscribe((event) => seen.push(event));
    closed.runtime.inject(
      say('p1', 'keeper', 'key', {
        tool: 'give_item',
        arguments: '{"itemId":"key","to":"p1","count":1}',
      }),
    );
    const closedReport = await closed.runtime.tick();
    expect(closedReport.rejected).toEqual(['keeper']);
    expect(ofKind(seen, 'tool_call')).toEqual([]);
    expect(closed.journal.entries).toEqual([]);
  });

  it('rejects model outputs of the wrong shape', async () => {
    const shortModel = {
      featureDimension: 8,
      heads: { task: 4 },
      digest: 'short',
      infer: async () => ({ task: new Float32Array(1) }),
    };
    const { runtime } = createVillageWorld({ model: shortModel });
    runtime.addAgent(villager('smith'));
    runtime.inject(say('p1', 'smith', 'hello'));
    const report = await runtime.tick();
    expect(report.errors[0]?.message).toMatch(/head 'task' has 1 values; expected 4/);
  });

  it('rejects a second tick while one runs', async () => {
    const { runtime } = createVillageWorld();
    const first = runtime.tick();
    await expect(runtime.tick()).rejects.toThrow(/while a tick is running/);
    await first;
  });
});

describe('tools', () => {
  it('returns broken JSON arguments as a validation error and keeps running', async () => {
    const { runtime, journal } = createVillageWorld();
    runtime.addAgent(villager('smith'));
    const seen: StreamEvent[] = [];
    runtime.events$.subscribe((event) => seen.push(event));
    runtime.inject(
      say('p1', 'smith', 'the key please', {
        tool: 'give_item',
        arguments: '{"itemId": "key", "to": ',
      }),
    );
    await runtime.tick();
    runtime.inject(
      say('p1', 'smith', 'two keys please', {
        tool: 'give_item',
        arguments: '{"itemId":"key","to":"p1","count":2}',
      }),
    );
    await runtime.tick();
    runtime.inject(
      say('p1', 'smith', 'one key please', {
        tool: 'give_item',
        arguments: '{"itemId":"key","to":"p1","count":1}',
      }),
    );
    await runtime.tick();

    const results = ofKind(seen, 'tool_result').map(
      (event) => event.payload['result'] as Record<string, unknown>,
    );
    expect(results[0]).toMatchObject({
      ok: false,
      error: { code: 'invalid_tool_arguments', issues: [{ path: [], code: 'malformed_json' }] },
    });
    expect(results[1]).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_tool_arguments',
        issues: [
          { path: ['count'], code: 'custom', message: 'there is only one key: count must be 1' },
        ],
      },
    });
    expect(results[2]).toMatchObject({ ok: true, result: { delivered: 1 } });
    expect(journal.entries).toEqual(['give_item key x1 to p1']);
  });

  it('refuses tools the agent was not declared with', async () => {
    const { runtime, journal } = createVillageWorld();
    runtime.addAgent(villager('smith', { tools: [] }));
    const seen: StreamEvent[] = [];
    runtime.events$.subscribe((event) => seen.push(event));
    runtime.inject(
      say('p1', 'smith', 'key', {
        tool: 'give_item',
        arguments: '{"itemId":"key","to":"p1","count":1}',
      }),
    );
    await runtime.tick();
    expect(ofKind(seen, 'tool_result')[0]?.payload['result']).toMatchObject({
      ok: false,
      error: { code: 'unknown_tool' },
    });
    expect(journal.entries).toEqual([]);
  });
});

describe('residual debt', () => {
  it('carries a deferred candidate and re-adjudicates it', async () => {
    const { runtime, store } = createVillageWorld();
    runtime.addAgent(villager('guard'));
    runtime.inject(
      say('p1', 'guard', 'Open up', {
        reply: 'The password is swordfish.',
        fact: 'asked to open',
        attribute: 'intent',
      }),
    );
    await runtime.tick();
    expect(runtime.residualDebts('guard')).toEqual([]);

    const unsure = {
      id: 'village.unsure_about_secrets',
      layer: 'L3' as const,
      description: 'Memories about secrets need a second look.',
      appliesTo: ['candidate' as const],
      evaluate: (target: { text: string }) =>
        target.text.includes('password') ? ambiguous('may be a secret') : PASS,
    };
    const deferring = createVillageWorld({ safety: createVillageSafety().register(unsure) });
    deferring.runtime.registerPolicy('ask', (input) => ({
      agentId: input.agentId,
      tick: input.tick,
      action: { agentId: input.agentId, tick: input.tick, kind: 'answer' },
      replyChunks: ['Sure.'],
      memoryCandidates: [
        {
          candidateId: `${input.agentId}:${input.tick}`,
          agentId: input.agentId,
          subject: 'p1',
          attribute: 'secret',
          content: 'told me the password',
          dependencyLayer: 'L3',
          provenance: 'world_observed',
          consent: 'not_required',
          tick: input.tick,
        },
      ],
    }));
    deferring.runtime.addAgent(villager('clerk', { policy: 'ask' }));
    deferring.runtime.inject(say('p1', 'clerk', 'note this'));
    await deferring.runtime.tick();
    expect(deferring.runtime.residualDebts('clerk')).toHaveLength(1);
    const report = deferring.runtime.readjudicateDebts('clerk', () => ({
      outcome: 'rejected',
      reason: 'never store secrets',
    }));
    expect(report.rejected).toHaveLength(1);
    expect(deferring.runtime.residualDebts('clerk')).toEqual([]);
    const kinds = deferring.store.ledger.read().map((record) => record.kind);
    expect(kinds).toEqual(expect.arrayContaining(['residual_debt', 'residual_readjudicated']));
    expect(store.ledger.read().some((record) => record.kind === 'residual_debt')).toBe(false);
  });
});

describe('model-backed safety', () => {
  it('lets a rule read the agent safety head', async () => {
    const model = LinearDecisionModel.random(
      TEST_FEATURE_DIMENSION,
      { task: 4, safety: 2 },
      'safety-head',
    );
    const headRule = {
      id: 'model.safety_head',
      layer: 'L1' as const,
      description: 'Blocks when the safety head scores unsafe above safe.',
      appliesTo: ['proposal' as const],
      evaluate: (_target: unknown, context: SafetyContext) => {
        const logits = context.heads['safety'];
        return logits !== undefined && (logits[1] ?? 0) > (logits[0] ?? 0)
          ? violate('safety head: unsafe')
          : PASS;
      },
    };
    const { runtime } = createVillageWorld({
      model,
      safety: createVillageSafety().register(headRule),
    });
    const ids = Array.from({ length: 12 }, (_, index) => `npc-${index}`);
    for (const id of ids)
      runtime.addAgent(villager(id, { channels: { safety: { backing: 'both', head: 'safety' } } }));
    const words = ['hello', 'fire', 'gold', 'river', 'bread', 'sword', 'moon', 'stone'];
    const texts = ids.map((_, index) => words[index % words.length] ?? '');
    for (const [index, id] of ids.entries())
      runtime.inject(say(`p${index}`, id, texts[index] ?? ''));
    const report = await runtime.tick();

    const expected: string[] = [];
    for (const [index, id] of ids.entries()) {
      const features = hashedNgramFeatures(texts[index] ?? '', TEST_FEATURE_DIMENSION);
      const logits = (await model.infer(features, 1))['safety'] ?? new Float32Array(2);
      if ((logits[1] ?? 0) > (logits[0] ?? 0)) expected.push(id);
    }
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(ids.length);
    expect(report.rejected).toEqual(expected);
  });
});

describe('turn order', () => {
  it('completes turns in agent order whatever order verdicts arrive', async () => {
    const stack = createVillageSafety();
    const delays: Record<string, number> = { first: 40, second: 0 };
    const safety: SafetyChannel = {
      screen: (request) =>
        new Promise((resolve) => {
          setTimeout(() => resolve(stack.screen(request)), delays[request.agentId] ?? 0);
        }),
    };
    const { runtime, journal, store } = createVillageWorld({ safety });
    runtime.addAgent(villager('first'));
    runtime.addAgent(villager('second'));
    for (const id of ['first', 'second']) {
      runtime.inject(
        say('p1', id, 'A gift', {
          tool: 'give_item',
          arguments: `{"itemId":"apple","to":"${id}","count":1}`,
          fact: 'likes apples',
          attribute: 'food',
        }),
      );
    }
    await runtime.tick();
    expect(journal.entries).toEqual([
      'give_item apple x1 to first',
      'give_item apple x1 to second',
    ]);
    const written = store
      .readEvents({ runId: 'village-test' })
      .filter((event) => event.kind === 'memory_written');
    expect(written.map((event) => [event.agentId, event.payload['memoryId']])).toEqual([
      ['first', 'mem-2'],
      ['second', 'mem-3'],
    ]);
  });
});

describe('memory', () => {
  it('admits a fact, recalls it later and lets it change the action', async () => {
    const { runtime, store } = createVillageWorld();
    runtime.addAgent(villager('smith'));
    const seen: StreamEvent[] = [];
    runtime.events$.subscribe((event) => seen.push(event));
    runtime.inject(say('p1', 'smith', 'I love fishing', { fact: 'fishing', attribute: 'hobby' }));
    await runtime.tick();
    expect(ofKind(seen, 'memory_written')[0]?.payload).toMatchObject({
      outcome: 'admitted',
      subject: 'p1',
      attribute: 'hobby',
    });
    expect(store.memory.active('smith')).toHaveLength(1);

    runtime.inject(say('p1', 'smith', 'Hello again'));
    await runtime.tick();
    const recalled = ofKind(seen, 'memory_recalled');
    expect(recalled).toHaveLength(1);
    expect(ofKind(seen, 'action').at(-1)?.payload['action']).toMatchObject({
      kind: 'trade',
      utterance: 'Fancy a rod for your fishing?',
    });
  });
});
