import type { StreamEvent } from '@galt/protocol';
import { describe, expect, it } from 'vitest';
import { createVillageWorld, say, villager } from './testing/village-fixture.js';

describe('worldFeed', () => {
  it('reads stored events after a sequence number', async () => {
    const { runtime } = createVillageWorld();
    runtime.addAgent(villager('smith'));
    runtime.inject(say('p1', 'smith', 'hi'));
    await runtime.tick();
    const feed = runtime.worldFeed();
    expect(feed.runId()).toBe('village-test');
    const all = feed.readEvents(0, 100);
    expect(all.length).toBe(feed.headSeq());
    expect(feed.readEvents(2, 2).map((event) => event.seq)).toEqual([3, 4]);
  });

  it('notifies subscribers with each stored batch until they unsubscribe', async () => {
    const { runtime } = createVillageWorld();
    runtime.addAgent(villager('smith'));
    const feed = runtime.worldFeed();
    const batches: (readonly StreamEvent[])[] = [];
    const unsubscribe = feed.subscribe((events) => batches.push(events));
    await runtime.tick();
    unsubscribe();
    await runtime.tick();
    expect(batches).toHaveLength(1);
    expect(batches[0]?.map((event) => event.kind)).toEqual(['tick_completed']);
  });

  it('applies control commands and reports bad ones', async () => {
    const { runtime } = createVillageWorld();
    runtime.addAgent(villager('smith'));
    const feed = runtime.worldFeed();
    expect(feed.control({ action: 'pause_agent', agentId: 'smith' })).toEqual({ ok: true });
    expect(feed.control({ action: 'pause_agent', agentId: 'nobody' })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(feed.control({ action: 'inject_event', event: say('p1', 'smith', 'hi') })).toEqual({
      ok: true,
    });
    const bad = feed.control({
      action: 'inject_event',
      event: { kind: 'time_tick', tick: 0, hour: 99 } as never,
    });
    expect(bad).toMatchObject({ ok: false, code: 'invalid_input' });
    await runtime.tick();
    expect(feed.snapshot().state).toMatchObject({
      tick: 1,
      agents: [{ id: 'smith', paused: true }],
    });
    expect(feed.readEvents(0, 100).map((event) => event.kind)).toEqual([
      'agent_paused',
      'world_event',
      'tick_completed',
    ]);
  });

  it('keeps running when a subscriber throws', async () => {
    const { runtime, logger } = createVillageWorld();
    runtime.worldFeed().subscribe(() => {
      throw new Error('listener bug');
    });
    await runtime.tick();
    const report = await runtime.tick();
    expect(report.tick).toBe(2);
    expect(logger.entriesAt('error')).toHaveLength(2);
  });
});
