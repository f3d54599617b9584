import { createMemoryLogger, GaltError, isGaltError } from '@galt/core';
import type { ToolCall } from '@galt/protocol';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, ToolRegistry } from './tool-registry.js';

const giveItem = defineTool({
  name: 'give_item',
  description: 'Moves an item from the NPC to a player.',
  arguments: z
    .object({
      itemId: z.string().min(1),
      to: z.string().min(1),
      count: z.number().int().positive(),
    })
    .refine((args) => args.itemId !== 'crown' || args.count === 1, {
      message: 'the crown is unique: count must be 1',
      path: ['count'],
    }),
  result: z.object({ delivered: z.number().int() }),
  sideEffect: true,
  run: (args) => ({ delivered: args.count }),
});

const call = (args: unknown, tool = 'give_item'): ToolCall => ({
  callId: 'c1',
  agentId: 'smith',
  tool,
  arguments: args,
  sideEffect: true,
});

describe('ToolRegistry', () => {
  it('runs a valid call given as JSON text', async () => {
    const registry = new ToolRegistry().register(giveItem);
    const result = await registry.execute(call('{"itemId":"key","to":"p1","count":2}'), 1);
    expect(result).toEqual({ ok: true, callId: 'c1', tool: 'give_item', result: { delivered: 2 } });
  });

  it('returns broken JSON as a structured error', async () => {
    const logger = createMemoryLogger();
    const registry = new ToolRegistry({ logger }).register(giveItem);
    const result = await registry.execute(call('{"itemId": "key", '), 1);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_tool_arguments');
    expect(result.error.issues?.[0]).toMatchObject({ path: [], code: 'malformed_json' });
    expect(logger.entriesAt('warn')).toHaveLength(1);
  });

  it('names the path and rule of a failed refinement', async () => {
    const registry = new ToolRegistry().register(giveItem);
    const result = await registry.execute(call({ itemId: 'crown', to: 'p1', count: 3 }), 1);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_tool_arguments');
    expect(result.error.issues).toEqual([
      { path: ['count'], code: 'custom', message: 'the crown is unique: count must be 1' },
    ]);
  });

  it('reports unknown tools, thrown errors and bad results', async () => {
    const registry = new ToolRegistry()
      .register(giveItem)
      .register(
        defineTool({
          name: 'explode',
          description: 'Always throws.',
          arguments: z.object({}),
          result: z.object({}),
          sideEffect: false,
          run: () => {
            throw new Error('boom');
          },
        }),
      )
      .register(
        defineTool({
          name: 'liar',
          description: 'Returns the wrong shape.',
          arguments: z.object({}),
          result: z.object({ value: z.number() }),
          sideEffect: false,
          run: () => ({ value: 'seven' }) as unknown as { value: number },
        }),
      );
    const codes = await Promise.all(
      [call({}, 'missing'), call({}, 'explode'), call({}, 'liar')].map(async (c) => {
        const result = await registry.execute(c, 1);
        return result.ok ? 'ok' : result.error.code;
      }),
    );
    expect(codes).toEqual(['unknown_tool', 'tool_failed', 'invalid_tool_result']);
  });

  it('logs a declined call at info and a fault at warn', async () => {
    const logger = createMemoryLogger();
    const registry = new ToolRegistry({ logger })
      .register(
        defineTool({
          name: 'pay',
          description: 'Declines: the purse is too small.',
          arguments: z.object({}),
          result: z.object({}),
          sideEffect: true,
          run: () => {
            throw new GaltError('invalid_input', 'player has 2 coins, needs 5');
          },
        }),
      )
      .register(
        defineTool({
          name: 'crash',
          description: 'Has a bug.',
          arguments: z.object({}),
          result: z.object({}),
          sideEffect: true,
          run: () => {
            throw new TypeError('undefined is not a function');
          },
        }),
      );

    await registry.execute(call({}, 'pay'), 1);
    await registry.execute(call({}, 'crash'), 1);

    expect(logger.entriesAt('info').map((entry) => entry.fields?.['callId'])).toEqual(['c1']);
    expect(logger.entriesAt('warn').length).toBe(1);
  });

  it('rejects a duplicate tool name', () => {
    const registry = new ToolRegistry().register(giveItem);
    let thrown: unknown;
    try {
      registry.register(giveItem);
    } catch (error) {
      thrown = error;
    }
    expect(isGaltError(thrown, 'invalid_config')).toBe(true);
  });
});
