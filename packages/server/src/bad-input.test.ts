import type { ServerMessage } from '@galt/protocol';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type EventServer, startEventServer } from './event-server.js';
import { InMemoryWorldFeed } from './in-memory-feed.js';
import { appendActions, range, seqs, TestClient } from './testing/test-client.js';

const TOKEN = 'bad-input-token';
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(feed: InMemoryWorldFeed, extra = {}): Promise<EventServer> {
  const server = await startEventServer({
    feed,
    port: 0,
    token: TOKEN,
    maxPayload: 4096,
    ...extra,
  });
  cleanups.push(() => server.close());
  return server;
}

async function connect(server: EventServer, token: string | undefined = TOKEN) {
  const client = await TestClient.connect(server.url, token === undefined ? {} : { token });
  cleanups.push(() => client.close());
  return client;
}

/** Subscribes a client that behaves well, as the witness that other clients see nothing. */
async function subscribeWitness(server: EventServer): Promise<TestClient> {
  const witness = await connect(server);
  witness.send({ type: 'subscribe', fromSeq: 0 });
  await witness.next('ready', 1);
  return witness;
}

describe('bad client input', () => {
  const cases: [string, string, string][] = [
    ['malformed JSON', '{"type": "subscribe"', 'malformed_json'],
    ['unknown type', '{"type":"launch"}', 'unknown_message'],
    ['missing type', '[1,2,3]', 'unknown_message'],
    ['invalid field', '{"type":"subscribe","fromSeq":-4}', 'invalid_input'],
    ['invalid command', '{"type":"control","command":{"action":"fly"}}', 'invalid_input'],
  ];
  for (const [name, frame, code] of cases) {
    it(`rejects ${name} with ${code}`, async () => {
      const server = await startServer(new InMemoryWorldFeed({ runId: 'bad' }));
      const client = await connect(server);
      client.send(frame);
      const error = await client.next('error');
      expect(error.code).toBe(code);
      expect(client.closed).toBeUndefined();
    });
  }

  it('names the invalid path', async () => {
    const server = await startServer(new InMemoryWorldFeed({ runId: 'bad' }));
    const client = await connect(server);
    client.send({ type: 'subscribe', kinds: ['action', 'nonsense'] });
    expect((await client.next('error')).message).toContain('kinds.1');
  });

  it('closes an oversized frame with 1009 and keeps serving others', async () => {
    const feed = new InMemoryWorldFeed({ runId: 'big' });
    const server = await startServer(feed);
    const witness = await subscribeWitness(server);
    const client = await connect(server);
    client.send({ type: 'authenticate', token: 'x'.repeat(5000) });
    expect((await client.waitForClose()).code).toBe(1009);

    appendActions(feed, 3);
    await witness.waitForSeq(3);
    expect(seqs(witness.events())).toEqual([1, 2, 3]);
  });

  it('closes with 4004 after too many errors', async () => {
    const server = await startServer(new InMemoryWorldFeed({ runId: 'errors' }), {
      maxErrorsPerConnection: 5,
    });
    const client = await connect(server);
    for (const _attempt of range(1, 6)) client.send('not json');
    expect((await client.waitForClose()).code).toBe(4004);
    expect(client.messages.filter((message) => message.type === 'error')).toHaveLength(5);
  });

  it('drops client that sends no pongs', async () => {
    const server = await startServer(new InMemoryWorldFeed({ runId: 'heartbeat' }), {
      heartbeatMs: 50,
    });
    const silent = await TestClient.connect(server.url, { token: TOKEN, ws: { autoPong: false } });
    cleanups.push(() => silent.close());
    const lively = await connect(server);
    expect((await silent.waitForClose()).code).toBe(1006);
    expect(lively.closed).toBeUndefined();
  });

  it('survives a fuzz of random and truncated frames', async () => {
    const feed = new InMemoryWorldFeed({ runId: 'fuzz' });
    appendActions(feed, 20);
    const server = await startServer(feed, { maxErrorsPerConnection: 200 });
    const witness = await subscribeWitness(server);
    const frames = fc.sample(frameArbitrary(), { seed: 20_261_204, numRuns: 3000 });

    const fuzzClients: TestClient[] = [];
    let client: TestClient | undefined;
    for (const [index, frame] of frames.entries()) {
      if (client === undefined || client.closed !== undefined) {
        client = await connect(server, index % 2 === 0 ? TOKEN : undefined);
        fuzzClients.push(client);
      }
      client.socket.send(frame);
      if (index % 100 === 99) await waitForProcessing(client);
    }
    if (client !== undefined) await waitForProcessing(client);
    const errors = fuzzClients.flatMap((fuzz) => fuzz.messages.filter((m) => m.type === 'error'));
    expect(errors.length).toBeGreaterThan(1000);

    const late = await connect(server);
    late.send({ type: 'subscribe', fromSeq: 0 });
    const head = feed.headSeq();
    await late.waitForSeq(head);
    expect(seqs(late.events())).toEqual(range(1, head));
    appendActions(feed, 1);
    await witness.waitForSeq(head + 1);
    expect(seqs(witness.events())).toEqual(range(1, head + 1));
    expect(witness.messages.some((message) => message.type === 'error')).toBe(false);
  });
});

/** Sends a snapshot request and waits for the response, so every earlier frame has been handled. */
async function waitForProcessing(client: TestClient): Promise<void> {
  const start = client.messages.length;
  client.send({ type: 'control', command: { action: 'request_snapshot' } });
  const responded = (messages: ServerMessage[]) =>
    messages
      .slice(start)
      .some(
        (message) =>
          message.type === 'snapshot' ||
          (message.type === 'error' && message.message.startsWith('control requires')),
      );
  await client.waitUntil('the snapshot response', responded).catch((error: unknown) => {
    if (client.closed === undefined) throw error;
  });
}

/** Frames a hostile or broken client might send: noise, truncated messages, wrong shapes. */
function frameArbitrary(): fc.Arbitrary<string | Uint8Array> {
  const valid = [
    '{"type":"subscribe","agents":["npc-1"],"kinds":["action"],"fromSeq":3}',
    '{"type":"control","command":{"action":"pause_agent","agentId":"npc-2"}}',
    '{"type":"control","command":{"action":"inject_event","event":{"kind":"time_tick","tick":1,"hour":5}}}',
    '{"type":"authenticate","token":"nope"}',
    '{"type":"unsubscribe"}',
  ];
  const truncated = fc
    .tuple(fc.constantFrom(...valid), fc.nat())
    .map(([text, cut]) => text.slice(0, cut % text.length));
  const shaped = fc.record({
    type: fc.constantFrom('subscribe', 'control', 'unsubscribe', 'authenticate', 'x', ''),
    fromSeq: fc.oneof(fc.integer(), fc.double(), fc.string()),
    agents: fc.array(fc.string(), { maxLength: 4 }),
    command: fc.jsonValue(),
  });
  return fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    truncated,
    fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? 'null'),
    shaped.map((value) => JSON.stringify(value)),
    fc.uint8Array({ maxLength: 300 }),
  );
}
