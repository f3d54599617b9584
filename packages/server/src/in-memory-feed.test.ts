import { describe, expect, it } from 'vitest';
import { InMemoryWorldFeed } from './in-memory-feed.js';
import { appendActions, range, seqs } from './testing/test-client.js';

describe('InMemoryWorldFeed', () => {
  it('assigns sequence numbers from 1', () => {
    const feed = new InMemoryWorldFeed({ runId: 'seq' });
    expect(seqs(appendActions(feed, 3))).toEqual([1, 2, 3]);
    expect(feed.headSeq()).toBe(3);
    expect(seqs(feed.readEvents(1, 10))).toEqual([2, 3]);
    expect(seqs(feed.readEvents(0, 2))).toEqual([1, 2]);
    expect(feed.readEvents(3, 10)).toEqual([]);
  });

  it('notifies listeners until unsubscribed', () => {
    const feed = new InMemoryWorldFeed({ runId: 'listen' });
    const heard: number[] = [];
    const stop = feed.subscribe((events) => heard.push(...seqs(events)));
    appendActions(feed, 2);
    stop();
    appendActions(feed, 1);
    expect(heard).toEqual([1, 2]);
  });

  it('snapshot matches the head', () => {
    const feed = new InMemoryWorldFeed({ runId: 'snap' });
    appendActions(feed, 4);
    feed.control({ action: 'pause_agent', agentId: 'npc-2' });
    const snapshot = feed.snapshot();
    expect(snapshot.seq).toBe(feed.headSeq());
    expect(snapshot.state).toEqual({ eventCount: 5, lastTick: 4, pausedAgents: ['npc-2'] });
  });

  it('state round-trips through restore', () => {
    const feed = new InMemoryWorldFeed({ runId: 'round' });
    appendActions(feed, 5);
    feed.control({ action: 'pause_agent', agentId: 'npc-1' });
    const restored = InMemoryWorldFeed.restore(JSON.parse(JSON.stringify(feed.snapshotState())));
    expect(restored.snapshotState()).toEqual(feed.snapshotState());
    expect(restored.snapshot()).toEqual(feed.snapshot());
    expect(seqs(restored.readEvents(0, 100))).toEqual(range(1, 6));
  });

  it('rejects resuming an agent that is not paused', () => {
    const feed = new InMemoryWorldFeed({ runId: 'control' });
    const result = feed.control({ action: 'resume_agent', agentId: 'npc-5' });
    expect(result.ok).toBe(false);
    expect(feed.headSeq()).toBe(0);
  });
});
