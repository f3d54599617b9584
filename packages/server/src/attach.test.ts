import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startEventServer } from './event-server.js';
import { InMemoryWorldFeed } from './in-memory-feed.js';
import { TestClient } from './testing/test-client.js';

const TOKEN = 'attach-token';
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function fetchStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('attached to an existing HTTP server', () => {
  it('serves events, keeps HTTP server open', async () => {
    const http = createServer((_request, response) => response.end('ok'));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => http.close(() => resolve())));
    const port = (http.address() as AddressInfo).port;

    const feed = new InMemoryWorldFeed({ runId: 'attached' });
    const server = await startEventServer({ feed, server: http, token: TOKEN, path: '/ws' });
    expect(server.port).toBe(port);
    expect(server.url).toBe(`ws://127.0.0.1:${port}/ws`);

    const client = await TestClient.connect(server.url, { token: TOKEN });
    expect((await client.next('ready')).runId).toBe('attached');
    await server.close();
    expect((await client.waitForClose()).code).toBe(4005);
    expect(await fetchStatus(`http://127.0.0.1:${port}/`)).toBe(200);
  });

  it('rejects a server that is not listening', async () => {
    const http = createServer();
    const feed = new InMemoryWorldFeed({ runId: 'idle' });
    await expect(startEventServer({ feed, server: http })).rejects.toThrow(/not listening/);
  });
});
