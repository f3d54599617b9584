import { errorMessage, GaltError, type Logger, noopLogger } from '@galt/core';
import type ort from 'onnxruntime-node';
import type { TensorValue } from '../tensor.js';
import type { ExecutionProvider } from './execution-providers.js';
import { loadSession, ModelLoadError } from './load-session.js';
import { fromOrtTensor, toOrtTensor } from './ort-tensors.js';

/** Options of `OnnxSession.create`. */
export interface SessionOptions {
  /** `cpu` (default) or `cuda`. A CUDA session that cannot load falls back to CPU. */
  executionProvider?: ExecutionProvider;
  logger?: Logger;
  /** Threads for one operator, by default onnxruntime's choice. */
  intraOpThreads?: number;
}

/** Logs a CUDA fallback in one line. */
export function logFallback(logger: Logger, reason: string): void {
  logger.warn(`CUDA execution provider unavailable, running on CPU: ${reason}`, {
    executionProvider: 'cuda',
  });
}

/** Converts a model load failure into a `model_mismatch` GaltError. */
export function modelLoadFailure(error: unknown): unknown {
  if (!(error instanceof ModelLoadError)) return error;
  return new GaltError('model_mismatch', error.message, {
    remedy: 'check that the bytes come from encodeModel or a manifested model file',
    cause: error,
  });
}

/** An onnxruntime-node inference session that takes and returns plain tensor values. */
export class OnnxSession {
  /** Execution provider the session actually runs on. */
  readonly executionProvider: ExecutionProvider;
  /** Reason a requested CUDA session runs on CPU instead, or null. */
  readonly fallbackReason: string | null;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  private readonly session: ort.InferenceSession;

  private constructor(
    session: ort.InferenceSession,
    executionProvider: ExecutionProvider,
    fallbackReason: string | null,
  ) {
    this.session = session;
    this.executionProvider = executionProvider;
    this.fallbackReason = fallbackReason;
    this.inputNames = [...session.inputNames];
    this.outputNames = [...session.outputNames];
  }

  /** Loads model bytes. On a failed CUDA load it logs the reason once and continues on CPU. */
  static async create(bytes: Uint8Array, options: SessionOptions = {}): Promise<OnnxSession> {
    const requested = options.executionProvider ?? 'cpu';
    try {
      const loaded = await loadSession(bytes, requested, options.intraOpThreads);
      if (loaded.fallbackReason !== null)
        logFallback(options.logger ?? noopLogger, loaded.fallbackReason);
      return new OnnxSession(loaded.session, loaded.executionProvider, loaded.fallbackReason);
    } catch (error) {
      throw modelLoadFailure(error);
    }
  }

  /** Runs the model with feeds keyed by input name and returns outputs keyed by output name. */
  async run(feeds: Readonly<Record<string, TensorValue>>): Promise<Record<string, TensorValue>> {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const name of this.inputNames) {
      const value = feeds[name];
      if (value === undefined) {
        throw new GaltError('invalid_input', `feed ${name} is missing`, {
          remedy: `pass every model input: ${this.inputNames.join(', ')}`,
        });
      }
      ortFeeds[name] = toOrtTensor(value);
    }
    let results: ort.InferenceSession.OnnxValueMapType;
    try {
      results = await this.session.run(ortFeeds);
    } catch (error) {
      throw new GaltError('invalid_input', `onnxruntime run failed: ${errorMessage(error)}`, {
        cause: error,
      });
    }
    const outputs: Record<string, TensorValue> = {};
    for (const name of this.outputNames) {
      outputs[name] = fromOrtTensor(name, results[name] as ort.Tensor);
    }
    return outputs;
  }

  /** Releases the native session. */
  async close(): Promise<void> {
    await this.session.release();
  }
}
