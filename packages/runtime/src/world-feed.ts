import type { ClientMessage, ErrorCode, StreamEvent } from '@galt/protocol';

/** A control command a client may send; the same type the server's `WorldFeed` uses. */
export type FeedControlCommand = Extract<ClientMessage, { type: 'control' }>['command'];

/** Outcome of a control command. */
export type FeedControlResult = { ok: true } | { ok: false; code: ErrorCode; message: string };

/** World state at a sequence number. */
export interface FeedSnapshot {
  seq: number;
  state: Record<string, unknown>;
}

/**
 * The event source the server streams over WebSocket. It mirrors the server's `WorldFeed`
 * interface member for member, so a runtime's feed satisfies it without the runtime depending on
 * the server.
 */
export interface RuntimeWorldFeed {
  runId(): string;
  headSeq(): number;
  /** Reads at most `limit` stored events with `seq > fromSeq`, in order. */
  readEvents(fromSeq: number, limit: number): StreamEvent[];
  /** Calls `listener` with each batch of events after it is stored; returns the unsubscribe function. */
  subscribe(listener: (events: readonly StreamEvent[]) => void): () => void;
  snapshot(): FeedSnapshot;
  control(command: FeedControlCommand): FeedControlResult;
}
