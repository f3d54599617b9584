import { SafetyStack } from '@galt/core';
import type { StreamEvent } from '@galt/protocol';
import { openStore } from '@galt/store';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRuntime, defineTool, LinearDecisionModel } from './index.js';

describe('README example', () => {
  it('runs as written', async () => {
    const runtime = createRuntime({
      runId: 'village-1',
      seed: 42,
      model: LinearDecisionModel.random(64, { task: 4 }, 'demo'),
      safety: new SafetyStack(),
      store: openStore(':memory:'),
    });
    runtime.registerTool(
      defineTool({
        name: 'give_item',
        description: 'Hands an item to a player.',
        arguments: z.object({ itemId: z.string(), to: z.string() }),
        result: z.object({ ok: z.boolean() }),
        sideEffect: true,
        run: () => ({ ok: true }),
      }),
    );
    runtime.registerPolicy('greeter', ({ agentId, tick }) => ({
      agentId,
      tick,
      action: { agentId, tick, kind: 'speak', utterance: 'Welcome!' },
      replyChunks: ['Welcome', ' to the village!'],
    }));
    const added = runtime.addAgent({
      id: 'smith',
      zone: 'square',
      policy: 'greeter',
      tools: ['give_item'],
    });
    expect(added.ok).toBe(true);
    const rendered: StreamEvent[] = [];
    runtime.events$.subscribe((event) => rendered.push(event));
    runtime.inject({
      kind: 'player_utterance',
      tick: 0,
      playerId: 'p1',
      agentId: 'smith',
      zone: 'square',
      text: 'Hi!',
    });
    await runtime.tick();
    const chunks = rendered
      .filter((event) => event.kind === 'reply_chunk')
      .map((event) => event.payload['text']);
    expect(chunks).toEqual(['Welcome', ' to the village!']);
  });
});
