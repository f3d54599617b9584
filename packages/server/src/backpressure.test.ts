import { afterEach, describe, expect, it } from 'vitest';
import { startEventServer } from './event-server.js';
import { InMemoryWorldFeed } from './in-memory-feed.js';
import { range, seqs, TestClient } from './testing/test-client.js';

const TOKEN = 'backpressure-token';
/** Padding per event, so a few thousand events overflow the kernel's loopback socket buffers. */
const PADDING = 'x'.repeat(2048);
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function appendPadded(feed: InMemoryWorldFeed, count: number): void {
  const inputs = range(1, count).map((index) => ({
    tick: feed.headSeq() + index,
    agentId: 'npc-0',
    kind: 'action' as const,
    payload: { padding: PADDING },
  }));
  feed.append(inputs);
}

describe('slow consumers', () => {
  it('slow client gets a gap and can resume', async () => {
    const total = 12_000;
    const feed = new InMemoryWorldFeed({ runId: 'slow' });
    const server = await startEventServer({ feed, port: 0, token: TOKEN, queueLimit: 512 * 1024 });
    cleanups.push(() => server.close());
    const slow = await TestClient.connect(server.url, { token: TOKEN });
    const fast = await TestClient.connect(server.url, { token: TOKEN });
    cleanups.push(
      () => slow.close(),
      () => fast.close(),
    );
    for (const client of [slow, fast]) {
      client.send({ type: 'subscribe', fromSeq: 0 });
      await client.next('ready', 1);
    }

    slow.socket.pause();
    while (feed.headSeq() < total) {
      appendPadded(feed, 20);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await fast.waitForSeq(total);
    expect(seqs(fast.events())).toEqual(range(1, total));
    expect(fast.messages.some((message) => message.type === 'gap')).toBe(false);

    slow.socket.resume();
    const gap = await slow.next('gap');
    expect(gap.reason).toBe('slow_consumer');
    const beforeGap = seqs(slow.events());
    expect(beforeGap).toEqual(range(1, gap.fromSeq - 1));
    expect(gap.toSeq).toBeGreaterThanOrEqual(gap.fromSeq);

    appendPadded(feed, 3);
    await slow.waitForSeq(total + 3);
    expect(seqs(slow.events()).slice(beforeGap.length)).toEqual(range(gap.toSeq + 1, total + 3));

    slow.send({ type: 'subscribe', fromSeq: gap.fromSeq - 1 });
    const thirdReady = await slow.next('ready', 2);
    const resumedFrom = slow.messages.indexOf(thirdReady) + 1;
    await slow.waitUntil('the missed range', (messages) =>
      messages.slice(resumedFrom).some((m) => m.type === 'event' && m.event.seq === total + 3),
    );
    const resumed = slow.messages
      .slice(resumedFrom)
      .flatMap((message) => (message.type === 'event' ? [message.event.seq] : []));
    expect(resumed).toEqual(range(gap.fromSeq, total + 3));
  });

  it('rejects snapshot requests while the queue is full', async () => {
    const feed = new InMemoryWorldFeed({ runId: 'full' });
    const server = await startEventServer({ feed, port: 0, token: TOKEN, queueLimit: 64 * 1024 });
    cleanups.push(() => server.close());
    const client = await TestClient.connect(server.url, { token: TOKEN });
    cleanups.push(() => client.close());
    client.send({ type: 'subscribe', fromSeq: 0 });
    await client.next('ready', 1);

    client.socket.pause();
    while (feed.headSeq() < 12_000) {
      appendPadded(feed, 20);
      await new Promise((resolve) => setImmediate(resolve));
    }
    client.send({ type: 'control', command: { action: 'request_snapshot' } });
    client.socket.resume();
    const error = await client.next('error');
    expect(error.code).toBe('slow_consumer');
    expect(client.messages.some((message) => message.type === 'snapshot')).toBe(false);
  });
});
