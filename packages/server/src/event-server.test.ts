import { afterEach, describe, expect, it } from 'vitest';
import { type EventServer, startEventServer } from './event-server.js';
import { InMemoryWorldFeed, type NotifyTiming } from './in-memory-feed.js';
import { appendActions, range, seqs, TestClient } from './testing/test-client.js';

const TOKEN = 'test-token-0123456789';
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(feed: InMemoryWorldFeed, queueLimit?: number): Promise<EventServer> {
  const server = await startEventServer({
    feed,
    port: 0,
    token: TOKEN,
    ...(queueLimit === undefined ? {} : { queueLimit }),
  });
  cleanups.push(() => server.close());
  return server;
}

async function connect(server: EventServer): Promise<TestClient> {
  const client = await TestClient.connect(server.url, { token: TOKEN });
  cleanups.push(() => client.close());
  return client;
}

/** Appends `total` events in batches, one batch per turn of the event loop. */
async function produce(feed: InMemoryWorldFeed, total: number, batch: number): Promise<void> {
  while (feed.headSeq() < total) {
    appendActions(feed, Math.min(batch, total - feed.headSeq()));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('startEventServer', () => {
  it('reports the picked port and a generated token', async () => {
    const server = await startEventServer({ feed: new InMemoryWorldFeed({ runId: 'r' }), port: 0 });
    cleanups.push(() => server.close());
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}/events`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('late joiner gets snapshot then deltas', async () => {
    const feed = new InMemoryWorldFeed({ runId: 'late' });
    appendActions(feed, 5);
    const server = await startServer(feed);
    const client = await connect(server);
    client.send({ type: 'subscribe' });
    const snapshot = await client.next('snapshot');
    expect(snapshot.seq).toBe(5);
    expect(snapshot.state['eventCount']).toBe(5);

    appendActions(feed, 3);
    await client.waitForSeq(8);
    expect(seqs(client.events())).toEqual([6, 7, 8]);
    const types = client.messages.map((message) => message.type);
    expect(types.indexOf('snapshot')).toBeLessThan(types.indexOf('event'));
  });

  it('sends ready with run id and head', async () => {
    const feed = new InMemoryWorldFeed({ runId: 'ready-run' });
    appendActions(feed, 2);
    const server = await startServer(feed);
    const client = await connect(server);
    const ready = await client.next('ready');
    expect(ready).toEqual({ type: 'ready', runId: 'ready-run', headSeq: 2 });
  });

  for (const notify of ['sync', 'deferred'] satisfies NotifyTiming[]) {
    it(`resume after disconnect loses nothing (${notify} listeners)`, async () => {
      const total = 3000;
      const feed = new InMemoryWorldFeed({ runId: 'resume', notify });
      const server = await startServer(feed);
      const first = await connect(server);
      first.send({ type: 'subscribe', fromSeq: 0 });
      await first.next('ready', 1);

      const production = produce(feed, total, 7);
      await first.waitForSeq(200);
      await first.close();
      const firstSeqs = seqs(first.events());
      const lastSeen = firstSeqs.at(-1) ?? 0;
      expect(firstSeqs).toEqual(range(1, lastSeen));

      const second = await connect(server);
      second.send({ type: 'subscribe', fromSeq: lastSeen });
      await production;
      await second.waitForSeq(total);
      expect(seqs(second.events())).toEqual(range(lastSeen + 1, total));
      expect(second.messages.some((message) => message.type === 'gap')).toBe(false);
    });
  }

  it('catches up a multi-page backlog', async () => {
    const feed = new InMemoryWorldFeed({ runId: 'backlog', notify: 'deferred' });
    appendActions(feed, 2000);
    const server = await startServer(feed);
    const client = await connect(server);
    client.send({ type: 'subscribe', fromSeq: 10 });
    await produce(feed, 4000, 50);
    await client.waitForSeq(4000);
    expect(seqs(client.events())).toEqual(range(11, 4000));
  });

  it('reports events missing from the store', async () => {
    const feed = new InMemoryWorldFeed({ runId: 'holes' });
    appendActions(feed, 8);
    const stored = feed.readEvents.bind(feed);
    feed.readEvents = (fromSeq, limit) =>
      stored(fromSeq, limit).filter((event) => event.seq < 3 || event.seq > 5);
    const server = await startServer(feed);
    const client = await connect(server);
    client.send({ type: 'subscribe', fromSeq: 0 });
    await client.waitForSeq(8);
    const gap = await client.next('gap');
    expect(gap).toEqual({ type: 'gap', fromSeq: 3, toSeq: 5, reason: 'not_stored' });
    expect(seqs(client.events())).toEqual([1, 2, 6, 7, 8]);
  });

  it('filters by agent and kind', async () => {
    const feed = new InMemoryWorldFeed({ runId: 'filter' });
    const server = await startServer(feed);
    const client = await connect(server);
    client.send({ type: 'subscribe', agents: ['npc-1'], kinds: ['action', 'tick_completed'] });
    await client.next('snapshot');
    appendActions(feed, 8);
    feed.append([{ tick: 9, agentId: null, kind: 'tick_completed', payload: {} }]);
    feed.append([{ tick: 9, agentId: 'npc-1', kind: 'proposal', payload: {} }]);
    await client.waitForSeq(9);
    const received = client.events();
    expect(received.filter((event) => event.kind === 'action').map((e) => e.agentId)).toEqual([
      'npc-1',
      'npc-1',
    ]);
    expect(received.at(-1)?.kind).toBe('tick_completed');
  });

  it('unsubscribe stops events', async () => {
    const feed = new InMemoryWorldFeed({ runId: 'unsub' });
    const server = await startServer(feed);
    const client = await connect(server);
    client.send({ type: 'subscribe', fromSeq: 0 });
    appendActions(feed, 2);
    await client.waitForSeq(2);
    client.send({ type: 'unsubscribe' });
    client.send({ type: 'control', command: { action: 'request_snapshot' } });
    await client.next('snapshot');
    appendActions(feed, 2);
    client.send({ type: 'control', command: { action: 'request_snapshot' } });
    const after = await client.next('snapshot', 1);
    expect(after.seq).toBe(4);
    expect(seqs(client.events())).toEqual([1, 2]);
  });

  it('applies control commands and reports failures', async () => {
    const feed = new InMemoryWorldFeed({ runId: 'control' });
    const server = await startServer(feed);
    const client = await connect(server);
    client.send({ type: 'subscribe', fromSeq: 0 });
    client.send({ type: 'control', command: { action: 'pause_agent', agentId: 'npc-7' } });
    await client.waitForSeq(1);
    expect(client.events()[0]?.kind).toBe('agent_paused');

    client.send({ type: 'control', command: { action: 'resume_agent', agentId: 'npc-9' } });
    const error = await client.next('error');
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('npc-9');

    const event = { kind: 'time_tick', tick: 3, hour: 12 };
    client.send({ type: 'control', command: { action: 'inject_event', event } });
    await client.waitForSeq(2);
    expect(client.events()[1]?.payload).toEqual({ event });
  });

  it('rejects fromSeq after the head', async () => {
    const feed = new InMemoryWorldFeed({ runId: 'future' });
    appendActions(feed, 3);
    const server = await startServer(feed);
    const client = await connect(server);
    client.send({ type: 'subscribe', fromSeq: 9 });
    const error = await client.next('error');
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('fromSeq 9');
  });

  it('close sends the shutdown close code', async () => {
    const feed = new InMemoryWorldFeed({ runId: 'shutdown' });
    const server = await startEventServer({ feed, port: 0, token: TOKEN });
    const client = await TestClient.connect(server.url, { token: TOKEN });
    await client.next('ready');
    await server.close();
    expect((await client.waitForClose()).code).toBe(4005);
  });
});
