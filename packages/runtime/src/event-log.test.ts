import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryEventLog, type PendingEvent } from './event-log.js';
import { LinearDecisionModel } from './model/linear-decision-model.js';
import { createRuntime } from './runtime.js';

function pending(count: number): PendingEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    tick: 1,
    agentId: null,
    kind: 'tick_completed',
    payload: { index },
  }));
}

describe('MemoryEventLog', () => {
  it('numbers events from 1 and keeps the newest', () => {
    const log = new MemoryEventLog('run', 3);
    log.feedOpened();
    const appended = log.append(pending(5));
    expect(appended.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(appended.every((event) => event.runId === 'run')).toBe(true);
    expect(log.headSeq()).toBe(5);
    expect(log.read(0, 10).map((event) => event.seq)).toEqual([3, 4, 5]);
    expect(log.read(3, 1).map((event) => event.seq)).toEqual([4]);
    expect(log.read(5, 10)).toEqual([]);
  });

  it('keeps nothing with retention 0', () => {
    const log = new MemoryEventLog('run', 0);
    log.feedOpened();
    expect(log.append(pending(2)).map((event) => event.seq)).toEqual([1, 2]);
    expect(log.headSeq()).toBe(2);
    expect(log.read(0, 10)).toEqual([]);
  });

  it('rejects an invalid retention', () => {
    expect(() => new MemoryEventLog('run', -1)).toThrow(/retention -1 is invalid/);
    expect(() => new MemoryEventLog('run', 1.5)).toThrow(/retention 1.5 is invalid/);
  });

  it('reads like a slice of every appended event', () => {
    const batches = fc.array(fc.nat(7), { maxLength: 12 });
    const read = fc.tuple(fc.integer({ min: -2, max: 60 }), fc.integer({ min: -1, max: 20 }));
    fc.assert(
      fc.property(fc.nat(10), batches, read, (retention, sizes, [afterSeq, limit]) => {
        const log = new MemoryEventLog('run', retention);
        log.feedOpened();
        const all = sizes.flatMap((size) => log.append(pending(size)));
        const retained = retention === 0 ? [] : all.slice(-retention);
        const expected = retained
          .filter((event) => event.seq > afterSeq)
          .slice(0, Math.max(0, limit));

        expect(log.headSeq()).toBe(all.length);
        expect(log.read(afterSeq, limit)).toEqual(expected);
      }),
    );
  });
});

describe('eventRetention', () => {
  it('bounds what the world feed can read', async () => {
    const runtime = createRuntime({
      runId: 'retention',
      seed: 1,
      model: LinearDecisionModel.random(8, { task: 2 }, 'retention'),
      eventRetention: 2,
    });
    const seen: number[] = [];
    runtime.events$.subscribe((event) => seen.push(event.seq));
    const feed = runtime.worldFeed();
    for (let tick = 0; tick < 3; tick += 1) await runtime.tick();

    expect(seen).toEqual([1, 2, 3]);
    expect(feed.headSeq()).toBe(3);
    expect(feed.readEvents(0, 10).map((event) => event.seq)).toEqual([2, 3]);
  });

  it('keeps nothing before a feed exists', async () => {
    const runtime = createRuntime({
      runId: 'late-feed',
      seed: 1,
      model: LinearDecisionModel.random(8, { task: 2 }, 'late-feed'),
    });
    for (let tick = 0; tick < 2; tick += 1) await runtime.tick();
    const feed = runtime.worldFeed();
    expect(feed.headSeq()).toBe(2);
    expect(feed.readEvents(0, 10)).toEqual([]);
    await runtime.tick();
    expect(feed.readEvents(0, 10).map((event) => event.seq)).toEqual([3]);
  });
});
