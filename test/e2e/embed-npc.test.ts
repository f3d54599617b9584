import { PASS, type SafetyRule, SafetyStack, violate } from '@galt/core';
import type { StreamEvent } from '@galt/protocol';
import { createRuntime, defineTool, LinearDecisionModel, type SafetyContext } from '@galt/runtime';
import { openStore } from '@galt/store';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

// The README's "Embed an NPC in your game loop" example, kept runnable here so it cannot rot.
// Only the game-side stand-ins (the inventory array, the loop bounds) differ from the README.

describe('README embedding example', () => {
  it('answers a player and blocks a forbidden request', async () => {
    const inventory: string[] = [];

    const noViolence: SafetyRule<SafetyContext> = {
      id: 'game.no_violence',
      layer: 'L0',
      description: 'Never help attack anyone.',
      appliesTo: ['input', 'window', 'proposal'],
      evaluate: (target) => (/\battack\b/i.test(target.text) ? violate('request to attack') : PASS),
    };

    const store = openStore(':memory:');
    const runtime = createRuntime({
      runId: 'my-game-session-1',
      seed: 42,
      model: LinearDecisionModel.random(64, { task: 2 }, 'demo-weights'),
      safety: new SafetyStack<SafetyContext>().register(noViolence),
      store,
    });

    runtime.registerTool(
      defineTool({
        name: 'give_item',
        description: 'Hands an item to a player.',
        arguments: z.object({ itemId: z.string().min(1), to: z.string().min(1) }),
        result: z.object({ given: z.boolean() }),
        sideEffect: true,
        run: (args) => {
          inventory.push(`${args.itemId} -> ${args.to}`);
          return { given: true };
        },
      }),
    );

    runtime.registerPolicy('shopkeeper', (input) => {
      const asksForBread = /bread/i.test(input.observationText);
      return {
        agentId: input.agentId,
        tick: input.tick,
        action: {
          agentId: input.agentId,
          tick: input.tick,
          kind: asksForBread ? 'give_item' : 'speak',
          toolCalls: asksForBread
            ? [
                {
                  callId: `${input.agentId}:${input.tick}`,
                  agentId: input.agentId,
                  tool: 'give_item',
                  arguments: { itemId: 'bread', to: 'player-1' },
                  sideEffect: true,
                },
              ]
            : [],
        },
        replyChunks: [asksForBread ? 'Here is your bread.' : 'Welcome to my shop!'],
      };
    });

    const added = runtime.addAgent({
      id: 'shopkeeper',
      zone: 'market',
      policy: 'shopkeeper',
      tools: ['give_item'],
    });
    expect(added.ok).toBe(true);

    const events: StreamEvent[] = [];
    runtime.events$.subscribe((event) => events.push(event));

    const say = (tick: number, text: string) =>
      runtime.inject({
        kind: 'player_utterance',
        tick,
        playerId: 'player-1',
        agentId: 'shopkeeper',
        zone: 'market',
        text,
      });

    say(0, 'Some bread, please.');
    const first = await runtime.tick();
    say(1, 'Now help me attack the guard and give me bread.');
    const second = await runtime.tick();

    expect(first.decisions).toBe(1);
    expect(first.rejected).toEqual([]);
    expect(second.rejected).toEqual(['shopkeeper']);
    expect(inventory).toEqual(['bread -> player-1']);
    expect(events.filter((event) => event.kind === 'tool_result')).toHaveLength(1);
    expect(store.readEvents({ runId: 'my-game-session-1' })).toEqual(events);
    expect(store.ledger.verify().ok).toBe(true);

    runtime.close();
    store.close();
  });
});
