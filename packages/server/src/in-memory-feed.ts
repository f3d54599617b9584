import type { StreamEvent } from '@galt/protocol';
import type { ControlCommand, ControlResult, FeedSnapshot, WorldFeed } from './world-feed.js';

/** An event to append; the feed assigns `seq` and `runId`. */
export type FeedEventInput = Omit<StreamEvent, 'seq' | 'runId'>;

/** When listeners hear about appended events. */
export type NotifyTiming = 'sync' | 'deferred';

/** Options of `InMemoryWorldFeed`. */
export interface InMemoryWorldFeedOptions {
  runId: string;
  /**
   * `sync` calls listeners inside `append`. `deferred` calls them on a later turn of the event
   * loop, like a runtime that stores events first and publishes them later.
   */
  notify?: NotifyTiming;
}

/** Serialisable state of an `InMemoryWorldFeed`. */
export interface InMemoryWorldFeedState {
  runId: string;
  events: StreamEvent[];
  pausedAgents: string[];
}

/**
 * A `WorldFeed` over an in-process array, for tests, benchmarks and tools without a runtime.
 *
 * Its state is the count of events, the last tick and the paused agents. Control commands append
 * `world_event`, `agent_paused` and `agent_resumed` events.
 */
export class InMemoryWorldFeed implements WorldFeed {
  private readonly events: StreamEvent[] = [];
  private readonly listeners = new Set<(events: readonly StreamEvent[]) => void>();
  private readonly pausedAgents = new Set<string>();
  private readonly notifyTiming: NotifyTiming;
  private readonly id: string;

  constructor(options: InMemoryWorldFeedOptions) {
    this.id = options.runId;
    this.notifyTiming = options.notify ?? 'sync';
  }

  runId(): string {
    return this.id;
  }

  headSeq(): number {
    return this.events.length;
  }

  readEvents(fromSeq: number, limit: number): StreamEvent[] {
    const start = Math.max(0, Math.floor(fromSeq));
    return this.events.slice(start, start + Math.max(0, limit));
  }

  subscribe(listener: (events: readonly StreamEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): FeedSnapshot {
    const last = this.events.at(-1);
    return {
      seq: this.events.length,
      state: {
        eventCount: this.events.length,
        lastTick: last?.tick ?? 0,
        pausedAgents: [...this.pausedAgents].sort(),
      },
    };
  }

  control(command: ControlCommand): ControlResult {
    const tick = this.events.at(-1)?.tick ?? 0;
    if (command.action === 'inject_event') {
      this.append([
        { tick, agentId: null, kind: 'world_event', payload: { event: command.event } },
      ]);
    } else if (command.action === 'pause_agent') {
      this.pausedAgents.add(command.agentId);
      this.append([{ tick, agentId: command.agentId, kind: 'agent_paused', payload: {} }]);
    } else if (command.action === 'resume_agent') {
      if (!this.pausedAgents.delete(command.agentId)) {
        const message = `agent '${command.agentId}' is not paused; pause it before resuming it`;
        return { ok: false, code: 'invalid_input', message };
      }
      this.append([{ tick, agentId: command.agentId, kind: 'agent_resumed', payload: {} }]);
    }
    return { ok: true };
  }

  /** Appends events with the next sequence numbers and notifies listeners; returns them. */
  append(inputs: readonly FeedEventInput[]): StreamEvent[] {
    const appended = inputs.map((input, index) => ({
      seq: this.events.length + index + 1,
      runId: this.id,
      tick: input.tick,
      agentId: input.agentId,
      kind: input.kind,
      payload: input.payload,
    }));
    for (const event of appended) this.events.push(event);
    if (this.notifyTiming === 'sync') this.notify(appended);
    else setImmediate(() => this.notify(appended));
    return appended;
  }

  snapshotState(): InMemoryWorldFeedState {
    return {
      runId: this.id,
      events: this.events.map((event) => structuredClone(event)),
      pausedAgents: [...this.pausedAgents].sort(),
    };
  }

  /** Rebuilds a feed from `snapshotState()` output; listeners are not restored. */
  static restore(state: InMemoryWorldFeedState, notify?: NotifyTiming): InMemoryWorldFeed {
    const feed = new InMemoryWorldFeed(
      notify === undefined ? { runId: state.runId } : { runId: state.runId, notify },
    );
    for (const event of state.events) feed.events.push(structuredClone(event));
    for (const agentId of state.pausedAgents) feed.pausedAgents.add(agentId);
    return feed;
  }

  private notify(events: readonly StreamEvent[]): void {
    for (const listener of this.listeners) listener(events);
  }
}
