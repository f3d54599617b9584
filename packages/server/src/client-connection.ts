import type { Duplex } from 'node:stream';
import { errorMessage, type Logger } from '@galt/core';
import {
  CLOSE_CODES,
  type ClientMessage,
  ClientMessageSchema,
  type ErrorCode,
  formatIssues,
  parseWith,
} from '@galt/protocol';
import type { WebSocket } from 'ws';
import { tokensMatch } from './auth-token.js';
import { ClientSession } from './client-session.js';
import { filterFromSubscribe } from './subscription-filter.js';
import type { ControlCommand, WorldFeed } from './world-feed.js';

const CLIENT_MESSAGE_TYPES: ReadonlySet<string> = new Set([
  'authenticate',
  'subscribe',
  'unsubscribe',
  'control',
]);

/** Settings a connection needs from the server. */
export interface ConnectionSettings {
  feed: WorldFeed;
  token: string;
  queueLimit: number;
  maxErrorsPerConnection: number;
  logger: Logger;
}

/** One client connection: authentication, incoming messages and its delivery session. */
export class ClientConnection {
  readonly session: ClientSession;
  authenticated: boolean;
  /** Whether the client sent a pong since the last heartbeat ping. */
  alive = true;
  private errorCount = 0;

  constructor(
    readonly id: string,
    private readonly socket: WebSocket,
    transport: Duplex,
    private readonly settings: ConnectionSettings,
    authenticatedOnUpgrade: boolean,
  ) {
    this.session = new ClientSession(id, socket, transport, settings.feed, settings.queueLimit);
    this.authenticated = authenticatedOnUpgrade;
    if (authenticatedOnUpgrade) this.sendReady();
  }

  /** Parses and applies one client frame; invalid frames get an `error` message. */
  handleFrame(text: string): void {
    let input: unknown;
    try {
      input = JSON.parse(text);
    } catch (error) {
      this.reject('malformed_json', `message is not valid JSON (${errorMessage(error)})`);
      return;
    }
    const type = messageType(input);
    if (type === undefined || !CLIENT_MESSAGE_TYPES.has(type)) {
      const typeDescription = type === undefined ? 'no type' : `type '${type.slice(0, 40)}'`;
      const expected = [...CLIENT_MESSAGE_TYPES].join(', ');
      this.reject(
        'unknown_message',
        `unknown message with ${typeDescription}; expected one of ${expected}`,
      );
      return;
    }
    const parsed = parseWith(ClientMessageSchema, input);
    if (!parsed.ok) {
      this.reject('invalid_input', `invalid ${type} message: ${formatIssues(parsed.issues)}`);
      return;
    }
    this.apply(parsed.value);
  }

  private apply(message: ClientMessage): void {
    if (message.type === 'authenticate') {
      this.authenticate(message.token);
      return;
    }
    if (!this.authenticated) {
      this.reject(
        'unauthorized',
        `${message.type} requires authentication; send authenticate first`,
      );
      return;
    }
    if (message.type === 'subscribe') this.subscribe(message);
    else if (message.type === 'unsubscribe') this.session.unsubscribe();
    else this.control(message.command);
  }

  private authenticate(token: string): void {
    if (!tokensMatch(token, this.settings.token)) {
      this.settings.logger.warn('client authentication failed: invalid token', {
        clientId: this.id,
      });
      const message = 'invalid token; reconnect with the token the server was started with';
      this.session.send({ type: 'error', code: 'unauthorized', message });
      this.socket.close(CLOSE_CODES.unauthorized, 'invalid token');
      return;
    }
    if (this.authenticated) return;
    this.authenticated = true;
    this.sendReady();
  }

  private subscribe(message: Extract<ClientMessage, { type: 'subscribe' }>): void {
    if (this.rejectWhenQueueFull('subscribe')) return;
    const head = this.settings.feed.headSeq();
    if (message.fromSeq !== undefined && message.fromSeq > head) {
      this.reject(
        'invalid_input',
        `fromSeq ${message.fromSeq} is after the newest event ${head}; ` +
          `subscribe with fromSeq at most ${head}, or without fromSeq to get a snapshot`,
      );
      return;
    }
    this.session.subscribe(filterFromSubscribe(message), message.fromSeq);
  }

  private control(command: ControlCommand): void {
    if (command.action === 'request_snapshot') {
      if (this.rejectWhenQueueFull('request_snapshot')) return;
      const snapshot = this.settings.feed.snapshot();
      this.session.send({ type: 'snapshot', seq: snapshot.seq, state: snapshot.state });
      return;
    }
    const result = this.settings.feed.control(command);
    if (!result.ok) this.reject(result.code, result.message);
  }

  /**
   * Rejects a request that would queue a snapshot or backlog while the client's outgoing queue
   * is full, so a client that sends requests without reading cannot grow server memory.
   */
  private rejectWhenQueueFull(request: string): boolean {
    if (!this.session.isQueueFull()) return false;
    this.reject(
      'slow_consumer',
      `${request} rejected: the outgoing queue is full; read pending messages and send it again`,
    );
    return true;
  }

  private sendReady(): void {
    const feed = this.settings.feed;
    this.session.send({ type: 'ready', runId: feed.runId(), headSeq: feed.headSeq() });
  }

  /** Sends an error; closes the connection once it has sent too many invalid messages. */
  reject(code: ErrorCode, message: string): void {
    this.errorCount += 1;
    this.settings.logger.warn('client message rejected', { clientId: this.id, code, message });
    this.session.send({ type: 'error', code, message });
    if (this.errorCount >= this.settings.maxErrorsPerConnection) {
      this.settings.logger.warn('closing client after too many errors', {
        clientId: this.id,
        errors: this.errorCount,
      });
      this.socket.close(CLOSE_CODES.tooManyErrors, 'too many invalid messages');
    }
  }
}

function messageType(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const type = (input as { type?: unknown }).type;
  return typeof type === 'string' ? type : undefined;
}
