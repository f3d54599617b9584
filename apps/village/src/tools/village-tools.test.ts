import { ToolRegistry } from '@galt/runtime';
import { describe, expect, it } from 'vitest';
import { VillageWorld } from '../world/village-world.js';
import { createVillageTools } from './village-tools.js';

function setUp() {
  const world = new VillageWorld({
    players: [{ id: 'p1', zone: 'market', questStage: 1, coins: 20 }],
  });
  const registry = new ToolRegistry();
  for (const tool of createVillageTools(world)) registry.register(tool);
  return { world, registry };
}

describe('village tools', () => {
  it('trades and moves the quest on', async () => {
    const { world, registry } = setUp();
    const result = await registry.execute(
      {
        callId: 'c1',
        agentId: 'merchant-bread',
        tool: 'trade',
        arguments: { itemId: 'bread', buyerId: 'p1', price: 3 },
        sideEffect: true,
      },
      1,
    );
    expect(result.ok).toBe(true);
    expect(world.count('p1', 'bread')).toBe(1);
    expect(world.player('p1')?.coins).toBe(17);
    expect(world.questStage('p1')).toBe(2);
  });

  it('returns issues for malformed arguments', async () => {
    const { registry } = setUp();
    const result = await registry.execute(
      {
        callId: 'c2',
        agentId: 'merchant-bread',
        tool: 'trade',
        arguments: '{"itemId": "bread", "price": -1',
        sideEffect: true,
      },
      1,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_tool_arguments');
    expect(result.error.issues?.[0]?.code).toBe('malformed_json');
  });

  it('rejects a negative price by path', async () => {
    const { registry } = setUp();
    const result = await registry.execute(
      {
        callId: 'c3',
        agentId: 'merchant-bread',
        tool: 'trade',
        arguments: { itemId: 'bread', buyerId: 'p1', price: -1 },
        sideEffect: true,
      },
      1,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.issues?.[0]?.path).toEqual(['price']);
  });

  it('fails to give an item the NPC lacks', async () => {
    const { registry } = setUp();
    const result = await registry.execute(
      {
        callId: 'c4',
        agentId: 'guard-north',
        tool: 'give_item',
        arguments: { itemId: 'lantern', toId: 'p1' },
        sideEffect: true,
      },
      1,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('tool_failed');
  });
});
