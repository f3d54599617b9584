import type { ClientMessage, ErrorCode, StreamEvent } from '@galt/protocol';

/** A command a client sends in a `control` message. */
export type ControlCommand = Extract<ClientMessage, { type: 'control' }>['command'];

/** Outcome of a control command; a failure carries the error code and message sent to the client. */
export type ControlResult = { ok: true } | { ok: false; code: ErrorCode; message: string };

/** World state at a sequence number: every event up to and including `seq` is applied. */
export interface FeedSnapshot {
  seq: number;
  state: Record<string, unknown>;
}

/**
 * Source of one world's event stream, which the server streams to WebSocket clients.
 *
 * The runtime implements this interface, so the server never depends on runtime internals.
 * Sequence numbers start at 1 and have no holes.
 */
export interface WorldFeed {
  /** Id of the run the events belong to. */
  runId(): string;
  /** Sequence number of the newest stored event, 0 when there is none. */
  headSeq(): number;
  /** Reads at most `limit` stored events with `seq > fromSeq`, in sequence order. */
  readEvents(fromSeq: number, limit: number): StreamEvent[];
  /**
   * Registers a listener for new events, called in sequence order after the events are stored.
   * Returns a function that removes the listener.
   */
  subscribe(listener: (events: readonly StreamEvent[]) => void): () => void;
  /** Current world state, with `seq` equal to `headSeq()` at the time of the call. */
  snapshot(): FeedSnapshot;
  /** Applies a control command other than `request_snapshot`, which the server handles itself. */
  control(command: ControlCommand): ControlResult;
}
