import { GaltError } from '@galt/core';
import type { StreamEvent } from '@galt/protocol';
import { RunSequence } from './run-sequence.js';
import type { RuntimeStore } from './runtime-types.js';

/** An event before it is numbered. */
export type PendingEvent = Omit<StreamEvent, 'seq' | 'runId'>;

/**
 * Event storage of a runtime. `append` assigns store sequence numbers. The world feed numbers the
 * run's own events from 1 with no holes, which differs from store numbers when several runs share
 * one store file, so `read`, `headSeq` and `toFeed` use feed numbers.
 */
export interface EventLog {
  append(events: readonly PendingEvent[]): StreamEvent[];
  /** Reads at most `limit` events with feed `seq > afterSeq`, in order, numbered for the feed. */
  read(afterSeq: number, limit: number): StreamEvent[];
  /** Feed number of the run's newest event, 0 when there is none. */
  headSeq(): number;
  /** Returns just-appended events numbered for the feed (the same objects when numbers agree). */
  toFeed(stored: readonly StreamEvent[]): readonly StreamEvent[];
  /** Called when a world feed is made, so a log may start keeping events for it to read. */
  feedOpened(): void;
}

/**
 * Events kept by a runtime without a store: about a minute of a 100-agent village. Older events
 * are dropped, so `read` starts at the oldest kept event.
 */
export const DEFAULT_MEMORY_LOG_RETENTION = 10_000;

/**
 * Keeps the newest `retention` events in memory for the world feed; used when the runtime has no
 * store. The events sit in a ring buffer, so appending drops the oldest event without copying the
 * rest. Nothing is kept before the first world feed is made, because only a feed reads the log,
 * and kept events cost a game that never makes one a large share of its tick in garbage
 * collection. A retention of 0 keeps none: events are still numbered and emitted, but `read`
 * returns nothing.
 */
export class MemoryEventLog implements EventLog {
  /** Ring buffer of kept events. It grows up to `#retention` entries, then wraps. */
  readonly #ring: StreamEvent[] = [];
  /** Index in `#ring` of the oldest kept event once the ring is full. */
  #oldest = 0;
  #headSeq = 0;
  /** False until the first world feed is made. */
  #keeping = false;
  readonly #runId: string;
  readonly #retention: number;

  constructor(runId: string, retention = DEFAULT_MEMORY_LOG_RETENTION) {
    this.#runId = runId;
    this.#retention = checkRetention(retention);
  }

  append(events: readonly PendingEvent[]): StreamEvent[] {
    const appended: StreamEvent[] = [];
    for (const event of events) {
      this.#headSeq += 1;
      // A new object of one fixed shape: adding fields to the pending event would change its
      // shape and allocate a property store per event.
      const stored: StreamEvent = {
        seq: this.#headSeq,
        runId: this.#runId,
        tick: event.tick,
        agentId: event.agentId,
        kind: event.kind,
        payload: event.payload,
      };
      appended.push(stored);
      this.#keep(stored);
    }
    return appended;
  }

  read(afterSeq: number, limit: number): StreamEvent[] {
    const keptCount = this.#ring.length;
    const firstSeq = this.#headSeq - keptCount + 1;
    const start = Math.max(firstSeq, Math.floor(afterSeq) + 1);
    const count = Math.min(Math.max(0, Math.floor(limit)), this.#headSeq - start + 1);
    const events: StreamEvent[] = [];
    for (let offset = 0; offset < count; offset += 1) {
      const index = (this.#oldest + start - firstSeq + offset) % keptCount;
      events.push(this.#ring[index]!);
    }
    return events;
  }

  headSeq(): number {
    return this.#headSeq;
  }

  toFeed(stored: readonly StreamEvent[]): readonly StreamEvent[] {
    return stored;
  }

  feedOpened(): void {
    this.#keeping = true;
  }

  #keep(event: StreamEvent): void {
    if (!this.#keeping || this.#retention === 0) return;
    if (this.#ring.length < this.#retention) {
      this.#ring.push(event);
      return;
    }
    this.#ring[this.#oldest] = event;
    this.#oldest = (this.#oldest + 1) % this.#retention;
  }
}

function checkRetention(retention: number): number {
  if (Number.isSafeInteger(retention) && retention >= 0) return retention;
  throw new GaltError('invalid_config', `event retention ${retention} is invalid`, {
    remedy: 'Pass a non-negative integer number of events to keep in memory',
  });
}

/** Rows read per query while counting the events a resumed run already has. */
const RESUME_PAGE_SIZE = 10_000;

/**
 * Persists events in the store's events table, one transaction per append. Feed numbers count
 * this run's events only, so runs that share a store file each get a feed without holes.
 * NOTE: the mapping assumes only this runtime appends events of its run id while it runs.
 */
export class StoreEventLog implements EventLog {
  readonly #store: RuntimeStore;
  readonly #runId: string;
  readonly #sequence = new RunSequence();

  constructor(store: RuntimeStore, runId: string) {
    this.#store = store;
    this.#runId = runId;
    this.#countStoredEvents();
  }

  append(events: readonly PendingEvent[]): StreamEvent[] {
    if (events.length === 0) return [];
    const stored = this.#store.appendEvents(
      events.map((event) => ({ ...event, runId: this.#runId })),
    );
    this.#addStored(stored);
    return stored;
  }

  read(afterSeq: number, limit: number): StreamEvent[] {
    const first = Math.max(1, Math.floor(afterSeq) + 1);
    const storeSeq = this.#sequence.toStore(first);
    if (storeSeq === null || limit <= 0) return [];
    const rows = this.#store.readEvents({ fromSeq: storeSeq, limit, runId: this.#runId });
    // The store returns this run's events in order, so the i-th row has feed number first + i.
    return rows.map((row, index) => ({ ...row, seq: first + index }));
  }

  headSeq(): number {
    return this.#sequence.count;
  }

  /** Does nothing: the store keeps every event. */
  feedOpened(): void {}

  toFeed(stored: readonly StreamEvent[]): readonly StreamEvent[] {
    const first = stored[0] === undefined ? null : this.#sequence.toRun(stored[0].seq);
    if (first === null || first === stored[0]?.seq) return stored;
    return stored.map((event, index) => ({ ...event, seq: first + index }));
  }

  /** Counts the events a resumed run stored before this runtime started. */
  #countStoredEvents(): void {
    let fromSeq = 1;
    for (;;) {
      const page = this.#store.readEvents({ fromSeq, limit: RESUME_PAGE_SIZE, runId: this.#runId });
      this.#addStored(page);
      const last = page.at(-1);
      if (last === undefined || page.length < RESUME_PAGE_SIZE) return;
      fromSeq = last.seq + 1;
    }
  }

  /** Adds stored events of this run, split where their store numbers are not consecutive. */
  #addStored(stored: readonly StreamEvent[]): void {
    let start = 0;
    for (let index = 1; index <= stored.length; index += 1) {
      const previous = stored[index - 1]!;
      if (index < stored.length && stored[index]!.seq === previous.seq + 1) continue;
      this.#sequence.add(stored[start]!.seq, index - start);
      start = index;
    }
  }
}
