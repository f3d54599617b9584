import { createMemoryLogger } from '@galt/core';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { generateToken, tokensMatch } from './auth-token.js';
import { type EventServer, startEventServer } from './event-server.js';
import { InMemoryWorldFeed } from './in-memory-feed.js';
import { TestClient } from './testing/test-client.js';

const TOKEN = 'auth-test-token-abcdef';
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(
  extra: { authTimeoutMs?: number; logger?: ReturnType<typeof createMemoryLogger> } = {},
): Promise<EventServer> {
  const feed = new InMemoryWorldFeed({ runId: 'auth' });
  const server = await startEventServer({ feed, port: 0, token: TOKEN, ...extra });
  cleanups.push(() => server.close());
  return server;
}

async function connect(url: string, options: Parameters<typeof TestClient.connect>[1] = {}) {
  const client = await TestClient.connect(url, options);
  cleanups.push(() => client.close());
  return client;
}

/** Sends an upgrade request and returns the HTTP status the server responded with. */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('open', () => {
      resolve(101);
      socket.close();
    });
    socket.on('error', (error) => reject(error));
  });
}

describe('tokensMatch', () => {
  it('accepts the same token', () => {
    expect(tokensMatch('abc', 'abc')).toBe(true);
  });

  it('rejects different tokens of any length', () => {
    expect(tokensMatch('abd', 'abc')).toBe(false);
    expect(tokensMatch('ab', 'abc')).toBe(false);
    expect(tokensMatch('', 'abc')).toBe(false);
  });

  it('generateToken returns distinct long tokens', () => {
    const first = generateToken();
    const second = generateToken();
    expect(first).not.toBe(second);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('event server authentication', () => {
  it('rejects a wrong bearer token before the upgrade', async () => {
    const server = await startServer();
    const status = await upgradeStatus(server.url, { authorization: 'Bearer wrong' });
    expect(status).toBe(401);
  });

  it('rejects a wrong query token before the upgrade', async () => {
    const server = await startServer();
    expect(await upgradeStatus(`${server.url}?token=wrong`, {})).toBe(401);
  });

  it('responds 404 to another path', async () => {
    const server = await startServer();
    expect(await upgradeStatus(server.url.replace('/events', '/other'), {})).toBe(404);
  });

  it('accepts the token as bearer header, subprotocol or query', async () => {
    const server = await startServer();
    const byHeader = await connect(server.url, { token: TOKEN });
    const byProtocol = await connect(server.url, { protocols: ['galt', `galt.bearer.${TOKEN}`] });
    const byQuery = await connect(`${server.url}?token=${TOKEN}`);
    for (const client of [byHeader, byProtocol, byQuery]) {
      expect((await client.next('ready')).runId).toBe('auth');
    }
    expect(byProtocol.socket.protocol).toBe('galt');
  });

  it('accepts an authenticate message', async () => {
    const server = await startServer();
    const client = await connect(server.url);
    client.send({ type: 'authenticate', token: TOKEN });
    await client.next('ready');
    client.send({ type: 'subscribe' });
    expect((await client.next('snapshot')).seq).toBe(0);
  });

  it('closes with 4001 after a wrong authenticate message', async () => {
    const server = await startServer();
    const client = await connect(server.url);
    client.send({ type: 'authenticate', token: 'not-the-token' });
    const error = await client.next('error');
    expect(error.code).toBe('unauthorized');
    expect((await client.waitForClose()).code).toBe(4001);
  });

  it('rejects subscribe and control before authentication', async () => {
    const server = await startServer();
    const client = await connect(server.url);
    client.send({ type: 'subscribe' });
    client.send({ type: 'control', command: { action: 'request_snapshot' } });
    expect((await client.next('error')).code).toBe('unauthorized');
    expect((await client.next('error', 1)).code).toBe('unauthorized');
    expect(client.messages.some((message) => message.type === 'snapshot')).toBe(false);
  });

  it('closes with 4002 when the client never authenticates', async () => {
    const server = await startServer({ authTimeoutMs: 50 });
    const client = await connect(server.url);
    expect((await client.waitForClose()).code).toBe(4002);
  });

  it('never logs the token', async () => {
    const logger = createMemoryLogger();
    const server = await startServer({ logger });
    await upgradeStatus(`${server.url}?token=wrong-${TOKEN}`, {});
    const client = await connect(server.url);
    client.send({ type: 'authenticate', token: `x${TOKEN}` });
    await client.waitForClose();
    const good = await connect(server.url, { token: TOKEN });
    await good.next('ready');
    await good.close();
    expect(logger.entries.length).toBeGreaterThan(3);
    expect(JSON.stringify(logger.entries)).not.toContain(TOKEN);
  });
});
