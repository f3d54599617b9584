import type { StreamEvent } from '@galt/protocol';
import type { RuntimeStore } from './runtime-types.js';

/** An event before it is numbered. */
export type PendingEvent = Omit<StreamEvent, 'seq' | 'runId'>;

/** Event storage of a runtime; `append` assigns sequence numbers. */
export interface EventLog {
  append(events: readonly PendingEvent[]): StreamEvent[];
  /** Reads at most `limit` events with `seq > afterSeq`, in order. */
  read(afterSeq: number, limit: number): StreamEvent[];
  headSeq(): number;
}

/**
 * Events kept by a runtime without a store: about a minute of a 100-agent village. Older events
 * are dropped, so `read` starts at the oldest kept event.
 */
export const DEFAULT_MEMORY_LOG_RETENTION = 10_000;

/** Keeps the most recent events in memory; used when the runtime has no store. */
export class MemoryEventLog implements EventLog {
  #events: StreamEvent[] = [];
  /** Sequence number of `#events[0]`. */
  #firstSeq = 1;
  readonly #runId: string;
  readonly #retention: number;

  constructor(runId: string, retention = DEFAULT_MEMORY_LOG_RETENTION) {
    this.#runId = runId;
    this.#retention = retention;
  }

  append(events: readonly PendingEvent[]): StreamEvent[] {
    let seq = this.headSeq();
    const appended: StreamEvent[] = [];
    for (const event of events) {
      seq += 1;
      // The runtime hands each pending event over once, so it is numbered in place.
      const stored: StreamEvent = Object.assign(event, { seq, runId: this.#runId });
      appended.push(stored);
      this.#events.push(stored);
    }
    if (this.#events.length > 2 * this.#retention) {
      const dropped = this.#events.length - this.#retention;
      this.#events = this.#events.slice(dropped);
      this.#firstSeq += dropped;
    }
    return appended;
  }

  read(afterSeq: number, limit: number): StreamEvent[] {
    const start = Math.max(0, Math.floor(afterSeq) - this.#firstSeq + 1);
    return this.#events.slice(start, start + Math.max(0, limit));
  }

  headSeq(): number {
    return this.#firstSeq + this.#events.length - 1;
  }
}

/** Persists events in the store's events table, one transaction per append. */
export class StoreEventLog implements EventLog {
  readonly #store: RuntimeStore;
  readonly #runId: string;

  constructor(store: RuntimeStore, runId: string) {
    this.#store = store;
    this.#runId = runId;
  }

  append(events: readonly PendingEvent[]): StreamEvent[] {
    if (events.length === 0) return [];
    return this.#store.appendEvents(events.map((event) => ({ ...event, runId: this.#runId })));
  }

  read(afterSeq: number, limit: number): StreamEvent[] {
    return this.#store.readEvents({ fromSeq: afterSeq + 1, limit, runId: this.#runId });
  }

  headSeq(): number {
    return this.#store.headSeq();
  }
}
