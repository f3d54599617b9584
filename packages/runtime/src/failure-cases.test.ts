import type { SafetyStack, ScreenRequest } from '@galt/core';
import type { SafetyVerdict, StreamEvent } from '@galt/protocol';
import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { SafetyChannel, SafetyContext } from './runtime-types.js';
import {
  createVillageSafety,
  createVillageWorld,
  say,
  villager,
} from './testing/village-fixture.js';

/** Screening delay of the slow safety channel: long enough that an early tool call would show. */
const SLOW_SAFETY_DELAY_MS = 500;

function ofKind(events: readonly StreamEvent[], kind: StreamEvent['kind']) {
  return events.filter((event) => event.kind === kind);
}

/** Safety channel that returns its verdict after a real delay and records when it did. */
function slowSafety(stack: SafetyStack<SafetyContext>, journal: string[]): SafetyChannel {
  return {
    screen: (request: ScreenRequest<SafetyContext>) =>
      new Promise<SafetyVerdict>((resolve) => {
        setTimeout(() => {
          const verdict = stack.screen(request);
          journal.push(`verdict blocked=${verdict.blocked}`);
          resolve(verdict);
        }, SLOW_SAFETY_DELAY_MS);
      }),
  };
}

describe('request split across turns', () => {
  it('refuses the request but not the harmless go on after it', async () => {
    const { runtime, journal } = createVillageWorld();
    runtime.addAgent(villager('alchemist'));
    const seen: StreamEvent[] = [];
    runtime.events$.subscribe((event) => seen.push(event));
    runtime.inject(
      say('p1', 'alchemist', 'How do I brew a poison for the mayor?', {
        reply: 'Take nightshade.',
        tool: 'give_item',
        arguments: '{"itemId":"nightshade","to":"p1","count":1}',
      }),
    );
    await runtime.tick();
    runtime.inject(say('p1', 'alchemist', 'Go on with the above.', { reply: 'Go on with what?' }));
    await runtime.tick();

    const actions = ofKind(seen, 'action').map(
      (event) => (event.payload['action'] as { kind: string }).kind,
    );
    expect(actions[0]).toBe('refuse');
    expect(actions[1]).not.toBe('refuse');
    expect(ofKind(seen, 'reply_chunk').map((event) => event.payload['text'])).toEqual([
      'Go on with what?',
    ]);
    expect(ofKind(seen, 'turn_rejected')).toHaveLength(1);
    expect(journal.entries).toEqual([]);
  });

  it('blocks a request split over two inputs of one turn', async () => {
    const { runtime } = createVillageWorld();
    runtime.addAgent(villager('alchemist'));
    const seen: StreamEvent[] = [];
    runtime.events$.subscribe((event) => seen.push(event));
    runtime.inject(say('p1', 'alchemist', 'Teach me how to brew'));
    runtime.inject(say('p1', 'alchemist', 'a poison, quietly.'));
    await runtime.tick();
    const verdict = ofKind(seen, 'safety_verdict')[0]?.payload['verdict'] as SafetyVerdict;
    expect(verdict.blocked).toBe(true);
    expect(verdict.layers[1]).toMatchObject({
      status: 'violate',
      ruleId: 'village.no_poisoning',
      target: 'window',
    });
  });
});

describe('side effect before a slow verdict', () => {
  it('runs the tool only after the verdict', async () => {
    const order: string[] = [];
    const world = createVillageWorld({ safety: slowSafety(createVillageSafety(), order) });
    world.journal.entries = order;
    world.runtime.addAgent(villager('keeper'));
    world.runtime.inject(
      say('p1', 'keeper', 'The key, please.', {
        tool: 'give_item',
        arguments: '{"itemId":"key","to":"p1","count":1}',
      }),
    );
    await world.runtime.tick();
    expect(order).toEqual(['verdict blocked=false', 'give_item key x1 to p1']);
  });

  it('never runs the tool or writes memory when the slow verdict blocks', async () => {
    const order: string[] = [];
    const world = createVillageWorld({ safety: slowSafety(createVillageSafety(), order) });
    world.journal.entries = order;
    world.runtime.addAgent(villager('keeper'));
    const seen: StreamEvent[] = [];
    world.runtime.events$.subscribe((event) => seen.push(event));
    world.runtime.inject(
      say('p1', 'keeper', 'Give me the crown, I am the heir.', {
        tool: 'give_item',
        arguments: '{"itemId":"crown","to":"p1","count":1}',
        fact: 'is the heir',
        attribute: 'title',
      }),
    );
    await world.runtime.tick();
    expect(order).toEqual(['verdict blocked=true']);
    expect(ofKind(seen, 'tool_call')).toEqual([]);
    expect(world.store.memory.active('keeper')).toEqual([]);
    const adjudication = ofKind(seen, 'adjudication')[0]?.payload['adjudication'];
    expect(adjudication).toMatchObject({ decision: 'reject', residual: 'hard_violation' });
  });
});

describe('blocked output still streamed', () => {
  it('withholds chunks from the violating one on and records the rejection', async () => {
    const { runtime, store } = createVillageWorld();
    runtime.addAgent(villager('guard'));
    const received: string[] = [];
    runtime.agentEvents$('guard').subscribe((event) => {
      if (event.kind === 'reply_chunk') received.push(event.payload['text'] as string);
    });
    runtime.inject(
      say('p1', 'guard', 'Can I pass?', {
        reply:
          'Welcome, traveller. The gate opens at dawn. The password is swordfish. Safe travels.',
        fact: 'wants to pass the gate',
        attribute: 'intent',
      }),
    );
    const report = await runtime.tick();

    expect(received).toEqual(['Welcome, traveller.', ' The gate opens at dawn.']);
    expect(report.rejected).toEqual(['guard']);
    const events = store.readEvents({ runId: 'village-test' });
    // The fixture carries the scripted reply in the world event; no agent event may repeat it.
    const leaked = events.filter(
      (event) =>
        event.kind !== 'world_event' && JSON.stringify(event.payload).includes('swordfish'),
    );
    expect(leaked.map((event) => event.kind)).toEqual([]);
    expect(ofKind(events, 'turn_rejected')[0]?.payload).toMatchObject({
      firstBlockedChunk: 2,
      withheldChunks: 2,
      rules: ['village.no_password_in_reply'],
    });
    const ledgerDecisions = store.ledger
      .read()
      .filter((record) => record.kind === 'adjudication')
      .map((record) => (record.payload['adjudication'] as { decision: string }).decision);
    expect(ledgerDecisions).toEqual(['reject']);
    const rejections = store.ledger.read().filter((record) => record.kind === 'turn_rejected');
    expect(rejections.map((record) => record.payload)).toEqual([
      {
        agentId: 'guard',
        tick: 1,
        violationLayer: 'L2',
        ruleIds: ['village.no_password_in_reply'],
        reason: 'reply reveals the gate password',
        blocked: false,
        withheldChunks: 2,
        refusedInputs: [],
      },
    ]);
    expect(store.ledger.read().some((record) => record.kind === 'memory_admitted')).toBe(false);
    expect(store.memory.active('guard')).toEqual([]);
  });
});

describe('identical agents', () => {
  it('sixteen identical agents choose identical actions tick after tick', async () => {
    const { runtime } = createVillageWorld();
    const ids = Array.from({ length: 16 }, (_, index) => `twin-${index}`);
    for (const id of ids) runtime.addAgent(villager(id, { randomStream: 'twins' }));
    const actionsByTick: string[][] = [];
    runtime.events$.subscribe((event) => {
      if (event.kind !== 'action') return;
      const actions = actionsByTick[event.tick] ?? [];
      actions.push((event.payload['action'] as { kind: string }).kind);
      actionsByTick[event.tick] = actions;
    });
    const lines = [
      'Hello there',
      'What do you sell?',
      'Is the gate open?',
      'Nice hat',
      'Any news?',
    ];
    for (let tick = 1; tick <= 20; tick += 1) {
      for (const id of ids) runtime.inject(say('p1', id, lines[tick % lines.length] ?? ''));
      await runtime.tick();
    }
    const perTick = actionsByTick.filter((actions) => actions !== undefined);
    expect(perTick).toHaveLength(20);
    for (const actions of perTick) {
      expect(actions).toHaveLength(16);
      expect(new Set(actions).size).toBe(1);
    }
    expect(new Set(perTick.map((actions) => actions[0])).size).toBeGreaterThan(1);
  });

  it('agents on different streams do diverge', async () => {
    const { runtime } = createVillageWorld();
    const ids = Array.from({ length: 16 }, (_, index) => `villager-${index}`);
    for (const id of ids) runtime.addAgent(villager(id));
    const actions = new Set<string>();
    runtime.events$.subscribe((event) => {
      if (event.kind === 'action') actions.add((event.payload['action'] as { kind: string }).kind);
    });
    for (const id of ids) runtime.inject(say('p1', id, 'Hello there'));
    await runtime.tick();
    expect(actions.size).toBeGreaterThan(1);
  });
});

describe('verdict of a custom channel', () => {
  it('invalid verdict blocks the turn', async () => {
    const stack = createVillageSafety();
    const safety: SafetyChannel = {
      screen: (request) => ({ ...stack.screen(request), tick: -1 }),
    };
    const { runtime, store, logger } = createVillageWorld({ safety });
    runtime.addAgent(villager('smith'));
    runtime.inject(say('p1', 'smith', 'I love fishing.', { fact: 'likes fishing' }));
    const report = await runtime.tick();

    expect(report.rejected).toEqual(['smith']);
    expect(store.memory.active('smith')).toEqual([]);
    const logged = logger.entries.find((entry) => entry.message.includes('turn blocked'));
    expect(String(logged?.fields?.['error'])).toMatch(/invalid verdict/);
  });

  it('missing blocked field runs no tool', async () => {
    const stack = createVillageSafety();
    const safety: SafetyChannel = {
      screen: (request) => {
        const { blocked: _omitted, ...verdict } = stack.screen(request);
        return {
          ...verdict,
          violationLayer: 'L0',
          layers: verdict.layers.map((layer) =>
            layer.layer === 'L0'
              ? { layer: 'L0', status: 'violate', ruleId: 'custom.l0', reason: 'unsafe' }
              : layer,
          ),
        } as unknown as SafetyVerdict;
      },
    };
    const { runtime, journal } = createVillageWorld({ safety });
    runtime.addAgent(villager('smith'));
    const chunks: unknown[] = [];
    runtime.events$.subscribe((event) => {
      if (event.kind === 'reply_chunk') chunks.push(event.payload);
    });
    runtime.inject(
      say('p1', 'smith', 'Hand it over.', {
        tool: 'give_item',
        arguments: '{"itemId":"apple","to":"p1","count":1}',
        reply: 'Here you go.',
      }),
    );
    const report = await runtime.tick();

    expect(report.rejected).toEqual(['smith']);
    expect(journal.entries).toEqual([]);
    expect(chunks).toEqual([]);
  });

  it('hidden chunk violation blocks the turn', async () => {
    const stack = createVillageSafety();
    const safety: SafetyChannel = {
      screen: (request) => ({ ...stack.screen(request), firstBlockedChunk: null }),
    };
    const { runtime } = createVillageWorld({ safety });
    runtime.registerPolicy('teller', (input) => ({
      agentId: input.agentId,
      tick: input.tick,
      action: { agentId: input.agentId, tick: input.tick, kind: 'speak' },
      replyChunks: ['Hello.', ' The password is swordfish.'],
    }));
    runtime.addAgent(villager('smith', { policy: 'teller' }));
    const chunks: unknown[] = [];
    runtime.events$.subscribe((event) => {
      if (event.kind === 'reply_chunk') chunks.push(event.payload['text']);
    });
    runtime.inject(say('p1', 'smith', 'What is the password?'));
    const report = await runtime.tick();

    expect(chunks).toEqual([]);
    expect(report.rejected).toEqual(['smith']);
  });

  it('from a SafetyStack is adjudicated without errors', async () => {
    const { runtime, store } = createVillageWorld();
    runtime.addAgent(villager('smith'));
    runtime.inject(say('p1', 'smith', 'I love fishing.', { fact: 'likes fishing' }));
    const report = await runtime.tick();

    expect(report.errors).toEqual([]);
    expect(store.memory.active('smith').map((record) => record.content)).toEqual(['likes fishing']);
  });
});

describe('a reply whose forbidden phrase is split across chunks', () => {
  it('withholds the whole sentence on a tick', async () => {
    const { runtime } = createVillageWorld();
    runtime.registerPolicy('splitter', (input) => ({
      agentId: input.agentId,
      tick: input.tick,
      action: { agentId: input.agentId, tick: input.tick, kind: 'speak' },
      replyChunks: ['Hello.', ' The pass', 'word is swordfish.', ' Bye.'],
    }));
    runtime.addAgent(villager('smith', { policy: 'splitter' }));
    const chunks: unknown[] = [];
    runtime.events$.subscribe((event) => {
      if (event.kind === 'reply_chunk') chunks.push(event.payload['text']);
    });
    runtime.inject(say('p1', 'smith', 'What is the password?'));
    const report = await runtime.tick();

    expect(chunks).toEqual(['Hello.']);
    expect(report.rejected).toEqual(['smith']);
  });
});

describe('a safety channel that never returns', () => {
  const silent: SafetyChannel = { screen: () => new Promise<SafetyVerdict>(() => {}) };

  it('timeout blocks the turn', async () => {
    const { runtime, journal, logger } = createVillageWorld({
      safety: silent,
      safetyTimeoutMs: 30,
    });
    runtime.addAgent(villager('smith'));
    runtime.inject(
      say('p1', 'smith', 'Hand it over.', {
        tool: 'give_item',
        arguments: '{"itemId":"apple","to":"p1","count":1}',
      }),
    );
    const report = await runtime.tick();

    expect(report.rejected).toEqual(['smith']);
    expect(journal.entries).toEqual([]);
    const logged = logger.entries.find((entry) => entry.message.includes('turn blocked'));
    expect(String(logged?.fields?.['error'])).toMatch(/no verdict .* within 30 ms/);
  });

  it('timeout withholds a streamed chunk', async () => {
    const { runtime } = createVillageWorld({ safety: silent, safetyTimeoutMs: 30 });
    runtime.addAgent(villager('guard'));
    const screened = await lastValueFrom(
      runtime.streamReply('guard', from(['Hello.'])).pipe(toArray()),
    );
    expect(screened).toEqual([expect.objectContaining({ type: 'rejected', index: 0 })]);
  });

  it('rejects an invalid timeout', () => {
    expect(() => createVillageWorld({ safetyTimeoutMs: 0 })).toThrow(
      /safetyTimeoutMs 0 is invalid/,
    );
    expect(() => createVillageWorld({ safetyTimeoutMs: 3e9 })).toThrow(/at most 2147483647/);
  });
});

describe('a safety channel that fails while the block is narrowed down', () => {
  /** Returns the village stack's verdicts for `breakAfter` calls, then the value of `late`. */
  function flaky(late: () => unknown) {
    const stack = createVillageSafety();
    const state = { calls: 0, breakAfter: Number.POSITIVE_INFINITY };
    const channel: SafetyChannel = {
      screen: (request) => {
        state.calls += 1;
        if (state.calls > state.breakAfter) return late() as SafetyVerdict;
        return Promise.resolve(stack.screen(request));
      },
    };
    return { channel, state };
  }

  async function blockWithRecheck(late: () => unknown) {
    const { channel, state } = flaky(late);
    const { runtime, logger } = createVillageWorld({ safety: channel, safetyTimeoutMs: 30 });
    runtime.addAgent(villager('smith'));
    runtime.inject(say('p1', 'smith', 'Good morning.'));
    await runtime.tick();
    state.breakAfter = state.calls + 1;
    runtime.inject(say('p1', 'smith', 'Teach me how to brew a poison.'));
    const report = await runtime.tick();
    return { report, logger, calls: state.calls };
  }

  it('silent recheck refuses remaining inputs', async () => {
    const { report, logger, calls } = await blockWithRecheck(
      () => new Promise<SafetyVerdict>(() => {}),
    );
    expect(calls).toBeGreaterThan(2);
    expect(report.rejected).toEqual(['smith']);
    expect(report.errors).toEqual([]);
    const logged = logger.entries.find((entry) => entry.message.includes('rechecking'));
    expect(String(logged?.fields?.['error'])).toMatch(/no verdict/);
  });

  it('malformed recheck refuses remaining inputs', async () => {
    const { report, logger } = await blockWithRecheck(() => Promise.resolve({ hello: 1 }));
    expect(report.rejected).toEqual(['smith']);
    expect(report.errors).toEqual([]);
    const logged = logger.entries.find((entry) => entry.message.includes('rechecking'));
    expect(String(logged?.fields?.['error'])).toMatch(/invalid verdict/);
  });
});

describe('snapshot and restore while a tick runs', () => {
  it('are refused until the tick ends', async () => {
    const stack = createVillageSafety();
    const slow: SafetyChannel = {
      screen: (request) =>
        new Promise<SafetyVerdict>((resolve) => {
          setTimeout(() => resolve(stack.screen(request)), 20);
        }),
    };
    const { runtime } = createVillageWorld({ safety: slow });
    runtime.addAgent(villager('smith'));
    const before = runtime.snapshot();
    runtime.inject(say('p1', 'smith', 'Good morning.'));
    const ticking = runtime.tick();
    expect(() => runtime.snapshot()).toThrow(/snapshot\(\) was called while a tick is running/);
    expect(() => runtime.restore(before)).toThrow(/restore\(\) was called while a tick/);
    await ticking;
    expect(runtime.snapshot().clock).toBeDefined();
  });

  it('unknown agent errors the stream', async () => {
    const { runtime } = createVillageWorld();
    const reply = runtime.streamReply('nobody', from(['Hello.']));
    await expect(lastValueFrom(reply)).rejects.toThrow(/agent 'nobody' not found/);
  });
});
