import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StreamEvent } from '@galt/protocol';
import { type EventAppend, type GaltStore, openStore } from '@galt/store';
import { afterEach, describe, expect, it } from 'vitest';
import { startEventServer } from './event-server.js';
import { range, seqs, TestClient } from './testing/test-client.js';
import type { ControlResult, FeedSnapshot, WorldFeed } from './world-feed.js';

const TOKEN = 'store-feed-token';
const RUN_ID = 'store-run';
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A feed over a real SQLite store, standing in for the runtime: it appends to the store and
 * publishes the stored events on a later turn of the event loop.
 */
class StoreFeed implements WorldFeed {
  private readonly listeners = new Set<(events: readonly StreamEvent[]) => void>();

  constructor(private readonly store: GaltStore) {}

  runId(): string {
    return RUN_ID;
  }

  headSeq(): number {
    return this.store.headSeq();
  }

  readEvents(fromSeq: number, limit: number): StreamEvent[] {
    // The store reads from `fromSeq` inclusive; the feed contract is exclusive.
    return this.store.readEvents({ fromSeq: fromSeq + 1, limit, runId: RUN_ID });
  }

  subscribe(listener: (events: readonly StreamEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): FeedSnapshot {
    const seq = this.store.headSeq();
    return { seq, state: { eventCount: seq } };
  }

  control(): ControlResult {
    return { ok: false, code: 'invalid_input', message: 'this feed accepts no control commands' };
  }

  append(count: number): void {
    const inputs: EventAppend[] = range(1, count).map((index) => ({
      runId: RUN_ID,
      tick: index,
      agentId: 'npc-0',
      kind: 'action',
      payload: { index },
    }));
    const stored = this.store.appendEvents(inputs);
    setImmediate(() => {
      for (const listener of this.listeners) listener(stored);
    });
  }
}

function openTempStore(): { path: string; store: GaltStore } {
  const directory = mkdtempSync(join(tmpdir(), 'galt-server-'));
  cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
  const path = join(directory, 'events.db');
  return { path, store: openStore(path) };
}

describe('server over a SQLite store', () => {
  it('resumes across a server restart from the store', async () => {
    const { path, store } = openTempStore();
    store.startRun({ runId: RUN_ID, seed: 1, config: {}, modelDigest: 'none' });
    const feed = new StoreFeed(store);
    const first = await startEventServer({ feed, port: 0, token: TOKEN });
    const client = await TestClient.connect(first.url, { token: TOKEN });
    client.send({ type: 'subscribe', fromSeq: 0 });
    await client.next('ready', 1);
    feed.append(40);
    await client.waitForSeq(40);
    await client.close();
    feed.append(25);
    await first.close();
    store.close();

    const reopened = openStore(path);
    cleanups.push(() => reopened.close());
    const second = await startEventServer({ feed: new StoreFeed(reopened), port: 0, token: TOKEN });
    cleanups.push(() => second.close());
    const resumed = await TestClient.connect(second.url, { token: TOKEN });
    cleanups.push(() => resumed.close());
    resumed.send({ type: 'subscribe', fromSeq: 40 });
    await resumed.waitForSeq(65);
    expect(seqs(client.events())).toEqual(range(1, 40));
    expect(seqs(resumed.events())).toEqual(range(41, 65));
  });
});
