import type { TensorValue } from '../tensor.js';
import type { ExecutionProvider } from './execution-providers.js';

/** Data a session worker starts with. */
export interface WorkerStart {
  bytes: Uint8Array;
  executionProvider: ExecutionProvider;
  intraOpThreads: number;
}

/** Messages from the pool to a worker. */
export type WorkerRequest =
  | { kind: 'run'; id: number; feeds: Record<string, TensorValue> }
  | { kind: 'share'; id: number; feeds: Record<string, TensorValue> };

/** Messages from a worker to the pool. */
export type WorkerReply =
  | { kind: 'ready'; executionProvider: ExecutionProvider; fallbackReason: string | null }
  | { kind: 'load_failed'; message: string }
  | { kind: 'result'; id: number; outputs: Record<string, TensorValue> }
  | { kind: 'failed'; id: number; message: string };
