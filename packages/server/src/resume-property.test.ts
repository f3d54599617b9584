import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startEventServer } from './event-server.js';
import { InMemoryWorldFeed } from './in-memory-feed.js';
import { appendActions, range, seqs, TestClient } from './testing/test-client.js';

const TOKEN = 'property-token';

/** Appends `total` events in batches of `batch`, one batch per turn of the event loop. */
async function produce(feed: InMemoryWorldFeed, total: number, batch: number): Promise<void> {
  while (feed.headSeq() < total) {
    appendActions(feed, Math.min(batch, total - feed.headSeq()));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('resume property', () => {
  it('reconnecting at any point loses and repeats nothing', async () => {
    const scenario = fc.record({
      total: fc.integer({ min: 20, max: 1500 }),
      batch: fc.integer({ min: 1, max: 64 }),
      disconnectFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      notify: fc.constantFrom('sync' as const, 'deferred' as const),
      backlogBeforeSubscribe: fc.integer({ min: 0, max: 700 }),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async (plan) => {
        const feed = new InMemoryWorldFeed({ runId: 'property', notify: plan.notify });
        appendActions(feed, Math.min(plan.backlogBeforeSubscribe, plan.total));
        const server = await startEventServer({ feed, port: 0, token: TOKEN });
        try {
          const first = await TestClient.connect(server.url, { token: TOKEN });
          first.send({ type: 'subscribe', fromSeq: 0 });
          await first.next('ready', 1);
          const production = produce(feed, plan.total, plan.batch);
          const disconnectAt = Math.max(1, Math.floor(plan.disconnectFraction * plan.total));
          await first.waitForSeq(disconnectAt);
          await first.close();
          const lastSeen = seqs(first.events()).at(-1) ?? 0;
          expect(seqs(first.events())).toEqual(range(1, lastSeen));

          const second = await TestClient.connect(server.url, { token: TOKEN });
          second.send({ type: 'subscribe', fromSeq: lastSeen });
          await production;
          if (lastSeen < plan.total) await second.waitForSeq(plan.total);
          await second.close();
          expect(seqs(second.events())).toEqual(range(lastSeen + 1, plan.total));
        } finally {
          await server.close();
        }
      }),
      { numRuns: 12, seed: 4242 },
    );
  });
});
