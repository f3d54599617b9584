import { describe, expect, it } from 'vitest';
import { VillageWorld } from './village-world.js';

function makeWorld(): VillageWorld {
  return new VillageWorld({
    players: [{ id: 'p1', zone: 'square', questStage: 0, coins: 10 }],
    startHour: 22,
  });
}

describe('VillageWorld', () => {
  it('wraps the hour past midnight', () => {
    const world = makeWorld();
    world.advance();
    world.advance();
    expect(world.hour).toBe(0);
  });

  it('moves items and coins', () => {
    const world = makeWorld();
    world.pay('p1', 3);
    world.transfer('bread', 'merchant-bread', 'p1');
    expect(world.player('p1')?.coins).toBe(7);
    expect(world.count('p1', 'bread')).toBe(1);
    expect(() => world.pay('p1', 100)).toThrow(/coins/);
    expect(() => world.transfer('village-charter', 'p1', 'merchant-bread')).toThrow(
      /has no village-charter/,
    );
  });

  it('round-trips through a snapshot', () => {
    const world = makeWorld();
    world.advance();
    world.advanceQuest('p1', 2);
    world.grantGatePass('p1');
    world.transfer('rope', 'merchant-tools', 'p1');
    const restored = VillageWorld.restore(JSON.parse(JSON.stringify(world.snapshot())));
    expect(restored.snapshot()).toEqual(world.snapshot());
    expect(restored.hasGatePass('p1')).toBe(true);
    expect(restored.hour).toBe(world.hour);
  });

  it('rejects a malformed snapshot', () => {
    expect(() => VillageWorld.restore({ tick: -1 })).toThrow(/malformed/);
  });
});
