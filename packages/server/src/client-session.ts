import type { Duplex } from 'node:stream';
import type { ServerMessage, StreamEvent } from '@galt/protocol';
import { WebSocket } from 'ws';
import { type EncodedBatch, encodeEventFrame } from './encoded-batch.js';
import { filterMatches, type SubscriptionFilter } from './subscription-filter.js';
import type { WorldFeed } from './world-feed.js';

/** Stored events read per step while a client catches up; bounds memory per step. */
export const CATCH_UP_PAGE_SIZE = 512;

/** Gap reason when a client's outgoing queue was full. */
export const GAP_REASON_SLOW_CONSUMER = 'slow_consumer';

/** Gap reason when the feed's store has no events for a range below its head. */
export const GAP_REASON_NOT_STORED = 'not_stored';

/**
 * Delivery state of a subscribed client.
 *
 * - `idle`: no subscription.
 * - `catching_up`: events come from `feed.readEvents`, paced by the socket; live events are
 *   ignored because the store contains them too.
 * - `live`: events come from the feed's listener.
 * - `lagging`: the outgoing queue was full, so live events are skipped and a gap is reported
 *   once the socket has flushed.
 */
export type DeliveryMode = 'idle' | 'catching_up' | 'live' | 'lagging';

/**
 * Streams one world's events to one WebSocket client without gaps or duplicates.
 *
 * `cursor` is the sequence number of the last event the session has dealt with: sent, filtered
 * out or reported in a gap. It moves forward one event at a time, except past a reported gap.
 */
export class ClientSession {
  mode: DeliveryMode = 'idle';
  cursor = 0;
  private filter: SubscriptionFilter | null = null;
  private missedFrom = 0;
  /** Incremented by every subscribe and unsubscribe, so steps scheduled for an older one stop. */
  private generation = 0;

  constructor(
    readonly id: string,
    private readonly socket: WebSocket,
    /** The TCP socket under `socket`, corked while a batch is written so it goes out in one write. */
    private readonly transport: Duplex,
    private readonly feed: WorldFeed,
    private readonly queueLimit: number,
  ) {}

  /** Sends one control-plane message; these bypass the queue limit because they are rare. */
  send(message: ServerMessage): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  /** Starts a subscription after `fromSeq`, or with a snapshot when `fromSeq` is undefined. */
  subscribe(filter: SubscriptionFilter, fromSeq: number | undefined): void {
    this.generation += 1;
    this.filter = filter;
    this.send({ type: 'ready', runId: this.feed.runId(), headSeq: this.feed.headSeq() });
    if (fromSeq === undefined) {
      const snapshot = this.feed.snapshot();
      this.send({ type: 'snapshot', seq: snapshot.seq, state: snapshot.state });
      this.cursor = snapshot.seq;
    } else {
      this.cursor = fromSeq;
    }
    this.mode = 'catching_up';
    this.catchUp(this.generation);
  }

  /** Stops delivering events. */
  unsubscribe(): void {
    this.generation += 1;
    this.filter = null;
    this.mode = 'idle';
  }

  /** Holds writes until `uncork`, so a batch of frames leaves in one system call. */
  cork(): void {
    this.transport.cork();
  }

  uncork(): void {
    this.transport.uncork();
  }

  /** Handles a batch of live events from the feed, in one write when the client takes them all. */
  deliverBatch(batch: EncodedBatch): void {
    if (this.takesWholeBatch(batch)) {
      this.writeFrame(batch.whole());
      this.cursor = batch.lastSeq;
      return;
    }
    for (let index = 0; index < batch.events.length; index += 1) {
      this.deliverLive(batch.events[index]!, () => batch.frame(index));
    }
  }

  private takesWholeBatch(batch: EncodedBatch): boolean {
    return (
      this.mode === 'live' &&
      this.filter === null &&
      batch.contiguous &&
      batch.firstSeq === this.cursor + 1 &&
      !this.isQueueFull()
    );
  }

  /** Handles one live event from the feed; `encode` returns its shared frame. */
  private deliverLive(event: StreamEvent, encode: () => Buffer): void {
    if (event.seq <= this.cursor || this.mode === 'idle' || this.mode === 'catching_up') return;
    if (this.mode === 'lagging') {
      this.cursor = event.seq;
      return;
    }
    if (event.seq > this.cursor + 1) {
      // The listener skipped events that the store contains, so read them from the store in order.
      this.mode = 'catching_up';
      this.scheduleCatchUp(this.generation);
      return;
    }
    if (this.filter !== null && !filterMatches(this.filter, event)) {
      this.cursor = event.seq;
      return;
    }
    if (this.isQueueFull()) {
      this.startLagging(event.seq);
      return;
    }
    this.writeFrame(encode());
    this.cursor = event.seq;
  }

  /**
   * Writes complete, pre-encoded frames straight to the TCP socket, next to the frames `ws` writes.
   *
   * NOTE: this is safe because `ws` 8 writes each frame synchronously and whole when
   * permessage-deflate is off and no Blob is sent, which is how this server uses it.
   */
  private writeFrame(frame: Buffer): void {
    if (this.socket.readyState === WebSocket.OPEN) this.transport.write(frame);
  }

  /** Returns true when the client has more than `queueLimit` bytes waiting to be written. */
  isQueueFull(): boolean {
    return this.socket.bufferedAmount > this.queueLimit;
  }

  private startLagging(firstMissedSeq: number): void {
    this.mode = 'lagging';
    this.missedFrom = firstMissedSeq;
    this.cursor = firstMissedSeq;
    const generation = this.generation;
    this.afterFlush(() => this.finishLagging(generation));
  }

  private finishLagging(generation: number): void {
    if (generation !== this.generation || this.mode !== 'lagging') return;
    this.send({
      type: 'gap',
      fromSeq: this.missedFrom,
      toSeq: this.cursor,
      reason: GAP_REASON_SLOW_CONSUMER,
    });
    this.mode = 'live';
  }

  /** Sends stored events page by page until the session reaches the feed's head. */
  private catchUp(generation: number): void {
    if (generation !== this.generation || this.socket.readyState !== WebSocket.OPEN) return;
    const page = this.feed.readEvents(this.cursor, CATCH_UP_PAGE_SIZE);
    this.cork();
    const complete = this.deliverPage(page);
    this.uncork();
    if (!complete) {
      this.afterFlush(() => this.catchUp(generation));
      return;
    }
    if (page.length < CATCH_UP_PAGE_SIZE) {
      this.reportUnstoredRange();
      this.mode = 'live';
      return;
    }
    this.scheduleCatchUp(generation);
  }

  /** Sends a page of stored events; returns false when the queue filled up before its end. */
  private deliverPage(page: readonly StreamEvent[]): boolean {
    for (const event of page) {
      if (event.seq <= this.cursor) continue;
      if (this.isQueueFull()) return false;
      this.deliverStored(event);
    }
    return true;
  }

  private deliverStored(event: StreamEvent): void {
    if (event.seq > this.cursor + 1) {
      this.send({
        type: 'gap',
        fromSeq: this.cursor + 1,
        toSeq: event.seq - 1,
        reason: GAP_REASON_NOT_STORED,
      });
    }
    if (this.filter === null || filterMatches(this.filter, event)) {
      this.writeFrame(encodeEventFrame(event));
    }
    this.cursor = event.seq;
  }

  /** Reports a range below the feed's head that the store returned no events for. */
  private reportUnstoredRange(): void {
    const head = this.feed.headSeq();
    if (head <= this.cursor) return;
    this.send({
      type: 'gap',
      fromSeq: this.cursor + 1,
      toSeq: head,
      reason: GAP_REASON_NOT_STORED,
    });
    this.cursor = head;
  }

  /** Yields to the event loop between pages, so one client's backlog does not stall the others. */
  private scheduleCatchUp(generation: number): void {
    setImmediate(() => this.catchUp(generation));
  }

  /**
   * Calls `next` once everything sent so far has been written to the socket.
   *
   * A ping is queued behind the pending data, so its write callback runs once that data has been
   * flushed. The client responds to it with a pong, as to a heartbeat ping.
   */
  private afterFlush(next: () => void): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.ping(undefined, undefined, (error) => {
      if (error === undefined || error === null) next();
    });
  }
}
