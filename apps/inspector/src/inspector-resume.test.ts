import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StreamEvent } from '@galt/protocol';
import {
  createHttpRoutes,
  type EventServer,
  type FeedEventInput,
  InMemoryWorldFeed,
  startEventServer,
  type WorldFeed,
} from '@galt/server';
import { type GaltStore, openStore } from '@galt/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInspectorAssets } from './inspector-assets.js';
import { launchChromium, SELECTOR_TIMEOUT_MS, type TestBrowser } from './testing/chromium.js';

const TOKEN = 'inspector-resume-test-token';

/** Events that place NPCs and make them act, so the map has something to show. */
function villageEvents(count: number, firstTick: number): FeedEventInput[] {
  return Array.from({ length: count }, (_, index) => {
    const agentId = index % 2 === 0 ? 'guard-north' : 'villager-ada';
    const zone = index % 2 === 0 ? 'gate' : 'homes';
    return {
      tick: firstTick + index,
      agentId,
      kind: 'action' as const,
      payload: { action: { agentId, kind: 'speak', zone, utterance: `line ${index}` } },
    };
  });
}

/** Wraps a feed and records the start of each read, which shows where a client resumed. */
function recordingFeed(feed: WorldFeed, reads: number[]): WorldFeed {
  return {
    runId: () => feed.runId(),
    headSeq: () => feed.headSeq(),
    readEvents: (fromSeq: number, limit: number): StreamEvent[] => {
      reads.push(fromSeq);
      return feed.readEvents(fromSeq, limit);
    },
    subscribe: (listener) => feed.subscribe(listener),
    snapshot: () => feed.snapshot(),
    control: (command) => feed.control(command),
  };
}

let feed: InMemoryWorldFeed;
let store: GaltStore;
let httpServer: Server;
let pageUrl: string;
let browser: TestBrowser;
const eventServers: EventServer[] = [];

function startEvents(reads: number[]): Promise<EventServer> {
  return startEventServer({
    feed: recordingFeed(feed, reads),
    server: httpServer,
    path: '/events',
    token: TOKEN,
    heartbeatMs: 0,
  }).then((server) => {
    eventServers.push(server);
    return server;
  });
}

beforeAll(async () => {
  feed = new InMemoryWorldFeed({ runId: 'resume-run' });
  store = openStore(':memory:');
  store.ledger.append({ kind: 'run_started', tick: 0, payload: { runId: 'resume-run' } });
  const routes = createHttpRoutes({
    token: TOKEN,
    feed,
    ledger: store.ledger,
    assets: loadInspectorAssets(),
  });
  httpServer = createServer(routes);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', () => resolve()));
  pageUrl = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/#token=${TOKEN}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const server of eventServers) await server.close();
  httpServer?.closeAllConnections();
  await new Promise<void>((resolve) => httpServer?.close(() => resolve()));
  store?.close();
});

describe('inspector feed connection', () => {
  it('resumes after the last seq it applied', async () => {
    feed.append(villageEvents(30, 1));
    const first = await startEvents([]);
    const page = await browser.context.newPage();
    const wait = { timeout: SELECTOR_TIMEOUT_MS };
    await page.goto(pageUrl);
    await page.locator('#scrub-label', { hasText: /^live at seq 30,/ }).waitFor(wait);
    await page.locator('#status[data-state="live"]').waitFor(wait);

    await first.close();
    await page.locator('#status[data-state="disconnected"]').waitFor(wait);
    feed.append(villageEvents(10, 31));

    const reads: number[] = [];
    await startEvents(reads);
    await page.locator('#scrub-label', { hasText: /^live at seq 40,/ }).waitFor(wait);
    await page.locator('#status[data-state="live"]').waitFor(wait);
    expect(reads[0]).toBe(30);

    feed.append(villageEvents(5, 41));
    await page.locator('#scrub-label', { hasText: /^live at seq 45,/ }).waitFor(wait);
    const zones = await page
      .locator('#village-map .zone')
      .evaluateAll((cells) =>
        cells.map((cell) => [cell.getAttribute('data-zone'), cell.querySelectorAll('.npc').length]),
      );
    expect(zones).toContainEqual(['gate', 1]);
    expect(zones).toContainEqual(['homes', 1]);
    await page.close();
  });

  it('starts from the snapshot on first connect', async () => {
    const recentWindow = 1000;
    feed.append(villageEvents(1500, 100));
    const snapshotSeq = feed.headSeq();
    // Only one event server may handle upgrades on the shared HTTP server.
    await eventServers.at(-1)?.close();
    const reads: number[] = [];
    await startEvents(reads);
    const page = await browser.context.newPage();
    const eventRequests: number[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/events')
        eventRequests.push(Number(url.searchParams.get('fromSeq')));
    });
    const wait = { timeout: SELECTOR_TIMEOUT_MS };
    await page.goto(pageUrl);
    await page
      .locator('#scrub-label', { hasText: new RegExp(`^live at seq ${snapshotSeq},`) })
      .waitFor(wait);
    await page.locator('#status[data-state="live"]').waitFor(wait);
    expect(reads[0]).toBe(snapshotSeq);
    expect(eventRequests.length).toBeGreaterThan(0);
    expect(Math.min(...eventRequests)).toBe(snapshotSeq - recentWindow);

    const zones = await page
      .locator('#village-map .zone')
      .evaluateAll((cells) =>
        cells.map((cell) => [cell.getAttribute('data-zone'), cell.querySelectorAll('.npc').length]),
      );
    expect(zones).toContainEqual(['gate', 1]);
    expect(zones).toContainEqual(['homes', 1]);

    feed.append(villageEvents(3, 2000));
    await page
      .locator('#scrub-label', { hasText: new RegExp(`^live at seq ${snapshotSeq + 3},`) })
      .waitFor(wait);
    await page.close();
  });

  it('adds new ledger records while live', async () => {
    const page = await browser.context.newPage();
    const wait = { timeout: SELECTOR_TIMEOUT_MS };
    await page.goto(pageUrl);
    await page.locator('#status[data-state="live"]').waitFor(wait);
    const before = await page.locator('#ledger-list .ledger-record').count();

    store.ledger.append({ kind: 'run_finished', tick: 9, payload: { runId: 'resume-run' } });
    const records = store.ledger.read(1, 1000).length;
    await page.locator('#ledger-list .ledger-record[data-kind="run_finished"]').waitFor(wait);
    expect(await page.locator('#ledger-list .ledger-record').count()).toBe(before + 1);
    await page
      .locator('#chain-status', { hasText: `chain verified (${records} records)` })
      .waitFor(wait);
    await page.close();
  });
});
