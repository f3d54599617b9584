import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { startEventServer } from '../event-server.js';
import { type FeedEventInput, InMemoryWorldFeed } from '../in-memory-feed.js';
import { SUBSCRIBER_WORKER_SOURCE } from './subscriber-worker.js';

/** Options of `runServerBenchmark`. */
export interface ServerBenchmarkOptions {
  /** Events to publish. */
  events?: number;
  /** WebSocket clients subscribed to every event. */
  subscribers?: number;
  /** Events appended to the feed per step. */
  batchSize?: number;
  /** Maximum number of events the producer may be ahead of the slowest subscriber. */
  window?: number;
}

/** One benchmark result. */
export interface ServerBenchmarkRow {
  name: string;
  subscribers: number;
  events: number;
  seconds: number;
  /** Events each subscriber received per second. */
  eventsPerSecondPerSubscriber: number;
  /** Sequence numbers skipped or reported as `gap`, summed over subscribers; 0 is expected. */
  gaps: number;
  /** Sequence numbers received twice, summed over subscribers; 0 is expected. */
  duplicates: number;
}

/** Progress reports per subscriber: often enough to keep the window moving, rare enough to be cheap. */
const PROGRESS_EVERY_EVENTS = 2048;

interface SubscriberStats {
  gaps: number;
  duplicates: number;
  received: number;
}

type WorkerMessage =
  | { type: 'subscribed' }
  | { type: 'progress'; index: number; seq: number }
  | { type: 'done'; stats: SubscriberStats[] }
  | { type: 'failed'; message: string };

/**
 * Measures live fan-out on loopback: one producer, `subscribers` clients in a worker thread.
 *
 * The producer stays at most `window` events ahead of the slowest subscriber and the queue limit
 * is set above that window, so every event reaches every subscriber and gaps count as failures.
 */
export async function runServerBenchmark(
  options: ServerBenchmarkOptions = {},
): Promise<ServerBenchmarkRow[]> {
  const events = options.events ?? 200_000;
  const subscribers = options.subscribers ?? 8;
  const batchSize = options.batchSize ?? 256;
  const window = options.window ?? 16_384;
  const feed = new InMemoryWorldFeed({ runId: 'bench' });
  const server = await startEventServer({
    feed,
    port: 0,
    queueLimit: 64 * 1024 * 1024,
    heartbeatMs: 0,
  });
  const worker = new Worker(SUBSCRIBER_WORKER_SOURCE, {
    eval: true,
    workerData: {
      wsPath: createRequire(import.meta.url).resolve('ws'),
      url: server.url,
      token: server.token,
      subscribers,
      total: events,
      progressEvery: PROGRESS_EVERY_EVENTS,
    },
  });
  try {
    const run = await publishAndWait(worker, feed, { events, subscribers, batchSize, window });
    const sum = (key: 'gaps' | 'duplicates') => run.stats.reduce((total, s) => total + s[key], 0);
    return [
      {
        name: 'websocket_fan_out',
        subscribers,
        events,
        seconds: run.seconds,
        eventsPerSecondPerSubscriber: Math.round(events / run.seconds),
        gaps: sum('gaps'),
        duplicates: sum('duplicates'),
      },
    ];
  } finally {
    await worker.terminate();
    await server.close();
  }
}

interface PublishPlan {
  events: number;
  subscribers: number;
  batchSize: number;
  window: number;
}

function publishAndWait(
  worker: Worker,
  feed: InMemoryWorldFeed,
  plan: PublishPlan,
): Promise<{ seconds: number; stats: SubscriberStats[] }> {
  const acknowledged = new Array<number>(plan.subscribers).fill(0);
  let started = 0;
  let scheduled = false;

  const publish = () => {
    scheduled = false;
    const slowest = Math.min(...acknowledged);
    const head = feed.headSeq();
    if (head >= plan.events || head - slowest >= plan.window) return;
    const count = Math.min(plan.batchSize, plan.events - head);
    feed.append(makeEvents(head, count));
    schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(publish);
  };

  return new Promise((resolve, reject) => {
    worker.on('error', reject);
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'subscribed') {
        started = performance.now();
        schedule();
      } else if (message.type === 'progress') {
        acknowledged[message.index] = message.seq;
        schedule();
      } else if (message.type === 'done') {
        resolve({ seconds: (performance.now() - started) / 1000, stats: message.stats });
      } else {
        reject(new Error(`benchmark subscriber failed: ${message.message}`));
      }
    });
  });
}

function makeEvents(head: number, count: number): FeedEventInput[] {
  const events: FeedEventInput[] = [];
  for (let index = 0; index < count; index += 1) {
    const n = head + index;
    events.push({
      tick: Math.floor(n / 100),
      agentId: `npc-${n % 100}`,
      kind: 'action',
      payload: { kind: 'speak', utterance: 'Welcome to the village, traveller.' },
    });
  }
  return events;
}
