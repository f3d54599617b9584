import { type ServerMessage, ServerMessageSchema, type StreamEvent } from '@galt/protocol';
import WebSocket from 'ws';

/** Messages a subscriber received during a run. */
export interface EventClient {
  readonly events: StreamEvent[];
  readonly gaps: { fromSeq: number; toSeq: number; reason: string }[];
  readonly errors: string[];
  /** Resolves with the close code once the server closes the connection. */
  readonly closed: Promise<number>;
}

/**
 * Connects to a galt event server with a bearer token and subscribes to every event from the
 * start of the stream. Resolves once the server has confirmed the subscription with `ready`.
 */
export async function subscribeToEvents(url: string, token: string): Promise<EventClient> {
  const socket = new WebSocket(url, { headers: { Authorization: `Bearer ${token}` } });
  const events: StreamEvent[] = [];
  const gaps: EventClient['gaps'] = [];
  const errors: string[] = [];
  let readyCount = 0;
  let onSubscribed: () => void = () => {};
  const subscribed = new Promise<void>((resolve) => {
    onSubscribed = resolve;
  });

  socket.on('message', (data) => {
    const parsed = ServerMessageSchema.safeParse(JSON.parse(String(data)));
    if (!parsed.success) {
      errors.push(`invalid server message: ${String(data).slice(0, 200)}`);
      return;
    }
    const message: ServerMessage = parsed.data;
    if (message.type === 'ready') {
      readyCount += 1;
      // The first ready follows authentication; the second opens the subscription.
      if (readyCount === 2) onSubscribed();
    } else if (message.type === 'event') {
      events.push(message.event);
    } else if (message.type === 'gap') {
      gaps.push({ fromSeq: message.fromSeq, toSeq: message.toSeq, reason: message.reason });
    } else if (message.type === 'error') {
      errors.push(`${message.code}: ${message.message}`);
    }
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));

  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'subscribe', fromSeq: 0 }));
  await subscribed;
  return { events, gaps, errors, closed };
}
