import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type GaltStore, openStore } from '@galt/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpRoutes, MAX_HTTP_PAGE } from './http-routes.js';
import { InMemoryWorldFeed } from './in-memory-feed.js';

const TOKEN = 'http-routes-token';
const PAGE_BODY = '<!doctype html><title>page</title>';

let store: GaltStore;
let feed: InMemoryWorldFeed;
let server: Server;
let base: string;

beforeEach(async () => {
  store = openStore(':memory:');
  for (let tick = 1; tick <= 5; tick += 1) {
    store.ledger.append({ kind: 'adjudication', tick, payload: { tick, agentId: 'ada' } });
  }
  feed = new InMemoryWorldFeed({ runId: 'run-1' });
  feed.append(
    Array.from({ length: 7 }, (_, index) => ({
      tick: index,
      agentId: 'ada',
      kind: 'action' as const,
      payload: { index },
    })),
  );
  const assets = [{ path: '/', contentType: 'text/html', body: PAGE_BODY }];
  server = createServer(createHttpRoutes({ token: TOKEN, feed, ledger: store.ledger, assets }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  store.close();
});

function get(path: string, token: string | null = TOKEN): Promise<Response> {
  const headers: Record<string, string> =
    token === null ? {} : { Authorization: `Bearer ${token}` };
  return fetch(`${base}${path}`, { headers });
}

describe('createHttpRoutes', () => {
  it('serves assets without a token', async () => {
    const response = await get('/', null);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await response.text()).toBe(PAGE_BODY);
  });

  it('rejects API requests without the token', async () => {
    for (const token of [null, 'wrong-token']) {
      const response = await get('/api/verify', token);
      expect(response.status).toBe(401);
    }
  });

  it('rejects the token in the query string', async () => {
    const response = await get(`/api/verify?token=${TOKEN}`, null);
    expect(response.status).toBe(401);
  });

  it('verifies the ledger chain', async () => {
    const body = (await (await get('/api/verify')).json()) as { ok: boolean; records: number };
    expect(body.ok).toBe(true);
    expect(body.records).toBe(5);
  });

  it('pages ledger records after fromSeq', async () => {
    const response = await get('/api/ledger?fromSeq=2&limit=2');
    const body = (await response.json()) as { records: { seq: number }[] };
    expect(body.records.map((record) => record.seq)).toEqual([3, 4]);
  });

  it('pages feed events after fromSeq', async () => {
    const response = await get('/api/events?fromSeq=5');
    const body = (await response.json()) as { headSeq: number; events: { seq: number }[] };
    expect(body.headSeq).toBe(7);
    expect(body.events.map((event) => event.seq)).toEqual([6, 7]);
  });

  it('rejects invalid paging values', async () => {
    const invalid = [
      'fromSeq=-1',
      'fromSeq=x',
      'limit=0',
      `limit=${MAX_HTTP_PAGE + 1}`,
      'limit=1.5',
    ];
    for (const query of invalid) {
      const response = await get(`/api/ledger?${query}`);
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/^invalid /);
    }
  });

  it('returns 404 for unknown paths and 405 for other methods', async () => {
    expect((await get('/api/nothing')).status).toBe(404);
    expect((await get('/missing.js')).status).toBe(404);
    const posted = await fetch(`${base}/api/verify`, { method: 'POST' });
    expect(posted.status).toBe(405);
  });
});
