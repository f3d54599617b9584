import { openStore } from '@galt/store';
import { describe, expect, it } from 'vitest';
import { eventDigest } from './replay/event-digest.js';
import type { Runtime } from './runtime.js';
import { createVillageWorld, say, villager } from './testing/village-fixture.js';

const script: Record<number, (runtime: Runtime) => void> = {
  1: (runtime) =>
    runtime.inject(say('p1', 'smith', 'I love fishing', { fact: 'fishing', attribute: 'hobby' })),
  2: (runtime) => runtime.inject(say('p2', undefined, 'Market day today!')),
  3: (runtime) => runtime.inject(say('p1', 'smith', 'How do I brew a poison?')),
  4: (runtime) => runtime.inject(say('p1', 'smith', 'Go on.', { reply: 'No. Never.' })),
  5: (runtime) =>
    runtime.inject(
      say('p1', 'baker', 'Bread, please', {
        tool: 'give_item',
        arguments: '{"itemId":"bread","to":"p1","count":2}',
      }),
    ),
  6: (runtime) => runtime.inject(say('p1', 'smith', 'Hello again')),
};

function addAgents(runtime: Runtime): void {
  runtime.addAgent(villager('smith'));
  runtime.addAgent(
    villager('baker', {
      goals: [{ id: 'bake', plan: { type: 'action', id: 'sell', action: 'trade' } }],
    }),
  );
}

async function runTicks(runtime: Runtime, from: number, to: number): Promise<void> {
  for (let tick = from; tick <= to; tick += 1) {
    script[tick]?.(runtime);
    await runtime.tick();
  }
}

describe('Runtime snapshot', () => {
  it('restore then continue equals never having stopped', async () => {
    const straight = createVillageWorld();
    addAgents(straight.runtime);
    await runTicks(straight.runtime, 1, 6);
    const expected = straight.store
      .readEvents({ runId: 'village-test' })
      .filter((event) => event.tick >= 4);

    const store = openStore(':memory:');
    const first = createVillageWorld({ store });
    addAgents(first.runtime);
    await runTicks(first.runtime, 1, 3);
    const snapshot = JSON.parse(JSON.stringify(first.runtime.snapshot()));
    first.runtime.close();

    const second = createVillageWorld({ store });
    second.runtime.restore(snapshot);
    expect(second.runtime.currentTick).toBe(3);
    await runTicks(second.runtime, 4, 6);
    const actual = store.readEvents({ runId: 'village-test' }).filter((event) => event.tick >= 4);

    expect(actual.length).toBeGreaterThan(10);
    expect(actual.map(eventDigest)).toEqual(expected.map(eventDigest));
    expect(actual.map((event) => event.seq)).toEqual(expected.map((event) => event.seq));
  });

  it('round-trips through JSON unchanged', async () => {
    const world = createVillageWorld();
    addAgents(world.runtime);
    await runTicks(world.runtime, 1, 3);
    const snapshot = world.runtime.snapshot();
    const other = createVillageWorld();
    other.runtime.restore(JSON.parse(JSON.stringify(snapshot)));
    expect(other.runtime.snapshot()).toEqual(snapshot);
  });

  it('rejects a snapshot whose policy is not registered', () => {
    const world = createVillageWorld();
    world.runtime.registerPolicy('special', () => ({}) as never);
    world.runtime.addAgent(villager('smith', { policy: 'special' }));
    const snapshot = world.runtime.snapshot();
    const other = createVillageWorld();
    expect(() => other.runtime.restore(snapshot)).toThrow(/policy 'special' is not registered/);
    expect(() => other.runtime.restore({ runId: 'x' })).toThrow(/snapshot is invalid/);
  });
});
