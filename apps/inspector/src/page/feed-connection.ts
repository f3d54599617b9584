/// <reference lib="dom" />
import { type ServerMessage, ServerMessageSchema, type StreamEvent } from '@galt/protocol';

/** Subprotocol prefix that carries the token, as the server reads it. */
const TOKEN_SUBPROTOCOL_PREFIX = 'galt.bearer.';
/** Minimum and maximum wait before reconnecting. The wait doubles after each failed attempt. */
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 8000;

/** Callbacks of a feed connection. */
export interface FeedHandlers {
  /** Called with events in sequence order. The caller tracks the last seq it applied. */
  onEvents(events: StreamEvent[]): void;
  /** Called when the server reports events it skipped for this client. */
  onGap(fromSeq: number, toSeq: number): void;
  /** Called with the server's snapshot, sent when the page subscribed without a last seq. */
  onSnapshot(seq: number, state: Record<string, unknown>): void;
  /** Called with the server's head sequence number on every (re)subscription. */
  onHead(headSeq: number, runId: string): void;
  onOpenChange(open: boolean): void;
  onError(message: string): void;
}

/**
 * Streams a run's events over WebSocket and reconnects after a drop, resuming after the last
 * sequence number the page applied, as returned by `lastSeq`. While `lastSeq` returns undefined
 * the subscription requests the server's snapshot at its current seq, then live events.
 */
export class FeedConnection {
  private socket: WebSocket | null = null;
  private retryMs = RECONNECT_MIN_MS;
  private stopped = false;

  constructor(
    private readonly token: string,
    private readonly lastSeq: () => number | undefined,
    private readonly handlers: FeedHandlers,
  ) {}

  /** Opens the connection, which reconnects after each drop until `stop`. */
  start(): void {
    const url = new URL('/events', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(url, ['galt', `${TOKEN_SUBPROTOCOL_PREFIX}${this.token}`]);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.retryMs = RECONNECT_MIN_MS;
      this.handlers.onOpenChange(true);
      const fromSeq = this.lastSeq();
      const subscribe =
        fromSeq === undefined ? { type: 'subscribe' } : { type: 'subscribe', fromSeq };
      socket.send(JSON.stringify(subscribe));
    });
    socket.addEventListener('message', (message) => this.receive(message.data));
    socket.addEventListener('close', () => this.reconnectLater(socket));
  }

  /** Closes the connection for good. */
  stop(): void {
    this.stopped = true;
    this.socket?.close();
  }

  private reconnectLater(socket: WebSocket): void {
    if (this.socket !== socket) return;
    this.handlers.onOpenChange(false);
    if (this.stopped) return;
    setTimeout(() => this.start(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, RECONNECT_MAX_MS);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: ServerMessage;
    try {
      message = ServerMessageSchema.parse(JSON.parse(data));
    } catch {
      this.handlers.onError('the server sent a message the inspector cannot read');
      return;
    }
    if (message.type === 'event') this.handlers.onEvents([message.event]);
    else if (message.type === 'gap') this.handlers.onGap(message.fromSeq, message.toSeq);
    else if (message.type === 'snapshot') this.handlers.onSnapshot(message.seq, message.state);
    else if (message.type === 'ready') this.handlers.onHead(message.headSeq, message.runId);
    else if (message.type === 'error') this.handlers.onError(`${message.code}: ${message.message}`);
  }
}
