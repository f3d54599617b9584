import type { ServerMessage, StreamEvent } from '@galt/protocol';
import { type ClientOptions, WebSocket } from 'ws';
import type { FeedEventInput, InMemoryWorldFeed } from '../in-memory-feed.js';

/** Maximum wait for an expected message before a test fails with a description of it. */
const WAIT_LIMIT_MS = 15_000;

/** Outcome of a closed connection. */
export interface CloseInfo {
  code: number;
  reason: string;
}

/** A real `ws` client for tests that records every server message in arrival order. */
export class TestClient {
  readonly messages: ServerMessage[] = [];
  closed: CloseInfo | undefined;
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as ServerMessage);
      this.wake();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
    socket.on('error', () => this.wake());
  }

  /** Opens a connection; with `token`, sends it in an `Authorization: Bearer` header. */
  static async connect(
    url: string,
    options: { token?: string; protocols?: string[]; ws?: ClientOptions } = {},
  ): Promise<TestClient> {
    const headers = options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };
    const socket = new WebSocket(url, options.protocols ?? [], { ...options.ws, headers });
    const client = new TestClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Returns the events received so far, in arrival order. */
  events(): StreamEvent[] {
    return this.messages.flatMap((message) => (message.type === 'event' ? [message.event] : []));
  }

  /** Waits until `predicate` holds for the received messages; fails if the connection closes. */
  async waitUntil(
    description: string,
    predicate: (messages: ServerMessage[]) => boolean,
  ): Promise<void> {
    const deadline = Date.now() + WAIT_LIMIT_MS;
    while (!predicate(this.messages)) {
      if (this.closed !== undefined) {
        throw new Error(`connection closed (${this.closed.code}) before ${description}`);
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
      await this.wakeOrPoll();
    }
  }

  /** Waits for the first message of `type` after the first `skip` of them and returns it. */
  async next<T extends ServerMessage['type']>(
    type: T,
    skip = 0,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    const matching = () => this.messages.filter((message) => message.type === type);
    await this.waitUntil(`message '${type}' #${skip + 1}`, () => matching().length > skip);
    return matching()[skip] as Extract<ServerMessage, { type: T }>;
  }

  /** Waits until an event with `seq` has arrived. */
  async waitForSeq(seq: number): Promise<void> {
    await this.waitUntil(`event ${seq}`, (messages) =>
      messages.some((message) => message.type === 'event' && message.event.seq >= seq),
    );
  }

  /** Waits for the connection to close and returns its close code and reason. */
  async waitForClose(): Promise<CloseInfo> {
    const deadline = Date.now() + WAIT_LIMIT_MS;
    while (this.closed === undefined) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the connection to close');
      await this.wakeOrPoll();
    }
    return this.closed;
  }

  async close(): Promise<void> {
    if (this.closed !== undefined) return;
    this.socket.resume();
    this.socket.close();
    await this.waitForClose();
  }

  /** Resolves on the next message or close, or after a short poll interval. */
  private wakeOrPoll(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 100);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}

/** Returns the sequence numbers of `events`. */
export function seqs(events: readonly StreamEvent[]): number[] {
  return events.map((event) => event.seq);
}

/** Returns the integers from `from` to `to`, inclusive. */
export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_unused, index) => from + index);
}

/** Appends `count` action events spread over agents `npc-0` to `npc-3`. */
export function appendActions(feed: InMemoryWorldFeed, count: number): StreamEvent[] {
  const inputs: FeedEventInput[] = range(1, count).map((index) => ({
    tick: feed.headSeq() + index,
    agentId: `npc-${index % 4}`,
    kind: 'action',
    payload: { kind: 'speak', utterance: `line ${index}` },
  }));
  return feed.append(inputs);
}
