import { Worker } from 'node:worker_threads';
import { GaltError, type Logger, noopLogger } from '@galt/core';
import type { TensorValue } from '../tensor.js';
import type { ExecutionProvider } from './execution-providers.js';
import { logFallback } from './onnx-session.js';
import { resolveWorkerPath } from './worker-path.js';
import type { WorkerReply, WorkerRequest, WorkerStart } from './worker-protocol.js';

/** Options of `SessionPool.create`. */
export interface SessionPoolOptions {
  /** Number of worker threads, each with its own session, at least 1. */
  workers: number;
  executionProvider?: ExecutionProvider;
  logger?: Logger;
}

/** Intra-op threads per worker: the pool gets its parallelism from workers, not from operators. */
const THREADS_PER_WORKER = 1;

interface Pending {
  resolve(outputs: Record<string, TensorValue>): void;
  reject(error: Error): void;
}

class PoolWorker {
  readonly pending = new Map<number, Pending>();
  /** False once the thread has failed or exited, so runs go to the other workers. */
  alive = true;
  constructor(readonly worker: Worker) {}

  failAll(error: Error): void {
    for (const entry of this.pending.values()) entry.reject(error);
    this.pending.clear();
  }
}

/**
 * Worker threads with one onnxruntime session each, so inference runs off the caller's event loop.
 * Only the copy of the feeds into the worker happens on the caller's thread. A run goes to the
 * live worker with the fewest runs in flight.
 */
export class SessionPool {
  /** Execution provider the workers run on. */
  readonly executionProvider: ExecutionProvider;
  /** Reason a requested CUDA pool runs on CPU instead, or null. */
  readonly fallbackReason: string | null;
  private readonly workers: PoolWorker[];
  private readonly logger: Logger;
  private nextId = 0;
  private closed = false;

  private constructor(
    workers: PoolWorker[],
    provider: ExecutionProvider,
    reason: string | null,
    logger: Logger,
  ) {
    this.logger = logger;
    this.workers = workers;
    this.executionProvider = provider;
    this.fallbackReason = reason;
  }

  /** Starts the workers and waits until every session has loaded. */
  static async create(bytes: Uint8Array, options: SessionPoolOptions): Promise<SessionPool> {
    if (!Number.isInteger(options.workers) || options.workers < 1) {
      throw new GaltError(
        'invalid_config',
        `workers must be a positive integer, got ${options.workers}`,
      );
    }
    const path = resolveWorkerPath();
    const start: WorkerStart = {
      bytes,
      executionProvider: options.executionProvider ?? 'cpu',
      intraOpThreads: THREADS_PER_WORKER,
    };
    const started = await Promise.allSettled(
      Array.from({ length: options.workers }, () => startWorker(path, start)),
    );
    const failure = started.find((result) => result.status === 'rejected');
    if (failure !== undefined) {
      for (const result of started) {
        if (result.status === 'fulfilled') await result.value.worker.worker.terminate();
      }
      throw (failure as PromiseRejectedResult).reason;
    }
    const ready = started.map((result) => (result as PromiseFulfilledResult<StartedWorker>).value);
    const first = ready[0] as StartedWorker;
    if (first.fallbackReason !== null)
      logFallback(options.logger ?? noopLogger, first.fallbackReason);
    const pool = new SessionPool(
      ready.map((entry) => entry.worker),
      first.executionProvider,
      first.fallbackReason,
      options.logger ?? noopLogger,
    );
    for (const entry of pool.workers) pool.listen(entry);
    return pool;
  }

  /** Number of workers. */
  get size(): number {
    return this.workers.length;
  }

  /** Runs the model on the least busy worker. Entries of `feeds` override the shared feeds. */
  run(feeds: Readonly<Record<string, TensorValue>>): Promise<Record<string, TensorValue>> {
    if (this.closed) {
      return Promise.reject(new GaltError('invalid_config', 'the session pool is closed'));
    }
    const alive = this.workers.filter((entry) => entry.alive);
    if (alive.length === 0) {
      return Promise.reject(
        new GaltError('internal', 'every session worker has stopped', {
          remedy: 'close this pool and create a new one',
        }),
      );
    }
    const target = alive.reduce((best, entry) =>
      entry.pending.size < best.pending.size ? entry : best,
    );
    return this.send(target, 'run', feeds);
  }

  /**
   * Copies feeds that rarely change, such as parameters, to every worker once, so later runs only
   * send the inputs. Each call replaces the previous shared feeds.
   */
  async setSharedFeeds(feeds: Readonly<Record<string, TensorValue>>): Promise<void> {
    await Promise.all(this.workers.map((entry) => this.send(entry, 'share', feeds)));
  }

  private send(
    target: PoolWorker,
    kind: WorkerRequest['kind'],
    feeds: Readonly<Record<string, TensorValue>>,
  ): Promise<Record<string, TensorValue>> {
    if (this.closed) {
      return Promise.reject(new GaltError('invalid_config', 'the session pool is closed'));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      target.pending.set(id, { resolve, reject });
      const request: WorkerRequest = { kind, id, feeds: { ...feeds } };
      target.worker.postMessage(request);
    });
  }

  /** Stops every worker and rejects the runs still in flight. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new GaltError('invalid_config', 'the session pool was closed during a run');
    for (const entry of this.workers) entry.failAll(error);
    await Promise.all(this.workers.map((entry) => entry.worker.terminate()));
  }

  private listen(entry: PoolWorker): void {
    entry.worker.on('message', (message: WorkerReply) => {
      if (message.kind !== 'result' && message.kind !== 'failed') return;
      const pending = entry.pending.get(message.id);
      if (pending === undefined) return;
      entry.pending.delete(message.id);
      if (message.kind === 'result') pending.resolve(message.outputs);
      else
        pending.reject(
          new GaltError('invalid_input', `onnxruntime run failed: ${message.message}`),
        );
    });
    entry.worker.on('error', (error) => {
      entry.alive = false;
      this.logger.error('session worker failed', {
        threadId: entry.worker.threadId,
        error: error.message,
        runsRejected: entry.pending.size,
      });
      entry.failAll(
        new GaltError('internal', `session worker failed: ${error.message}`, { cause: error }),
      );
    });
    entry.worker.on('exit', (code) => {
      entry.alive = false;
      if (this.closed) return;
      this.logger.error('session worker exited', {
        threadId: entry.worker.threadId,
        exitCode: code,
        runsRejected: entry.pending.size,
      });
      entry.failAll(new GaltError('internal', `session worker exited with code ${code}`));
    });
  }
}

interface StartedWorker {
  worker: PoolWorker;
  executionProvider: ExecutionProvider;
  fallbackReason: string | null;
}

function startWorker(path: string, start: WorkerStart): Promise<StartedWorker> {
  const worker = new Worker(path, { workerData: start });
  return new Promise((resolve, reject) => {
    const onMessage = (message: WorkerReply) => {
      worker.off('error', onError);
      worker.off('message', onMessage);
      if (message.kind === 'ready') {
        resolve({
          worker: new PoolWorker(worker),
          executionProvider: message.executionProvider,
          fallbackReason: message.fallbackReason,
        });
        return;
      }
      void worker.terminate();
      const text = message.kind === 'load_failed' ? message.message : 'unexpected first message';
      reject(
        new GaltError('model_mismatch', text, {
          remedy: 'check that the bytes come from encodeModel',
        }),
      );
    };
    const onError = (error: Error) => {
      worker.off('message', onMessage);
      reject(
        new GaltError('internal', `session worker failed to start: ${error.message}`, {
          cause: error,
        }),
      );
    };
    worker.on('message', onMessage);
    worker.once('error', onError);
  });
}
