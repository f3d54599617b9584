import ort from 'onnxruntime-node';
import { cudaPrecheck, type ExecutionProvider } from './execution-providers.js';

// This module imports nothing from other galt packages, so the session worker can load it from
// this package's dist folder alone.

/** onnxruntime log level that only reports fatal errors, so the library does not print. */
const FATAL_ONLY = 4;

/** A loaded onnxruntime session and the provider it runs on. */
export interface LoadedSession {
  session: ort.InferenceSession;
  executionProvider: ExecutionProvider;
  /** Reason a requested CUDA session runs on CPU instead, or null. */
  fallbackReason: string | null;
}

/** Error raised when onnxruntime cannot load the model bytes on CPU. */
export class ModelLoadError extends Error {}

/**
 * Loads model bytes on the requested provider. A CUDA request that cannot load falls back to CPU
 * and reports why in `fallbackReason`, because onnxruntime-node does not fall back by itself.
 */
export async function loadSession(
  bytes: Uint8Array,
  requested: ExecutionProvider,
  intraOpThreads?: number,
): Promise<LoadedSession> {
  if (requested === 'cuda') {
    const reason = cudaPrecheck();
    if (reason === null) {
      try {
        return {
          session: await create(bytes, 'cuda', intraOpThreads),
          executionProvider: 'cuda',
          fallbackReason: null,
        };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return {
          session: await createOnCpu(bytes, intraOpThreads),
          executionProvider: 'cpu',
          fallbackReason: message,
        };
      }
    }
    return {
      session: await createOnCpu(bytes, intraOpThreads),
      executionProvider: 'cpu',
      fallbackReason: reason,
    };
  }
  return {
    session: await createOnCpu(bytes, intraOpThreads),
    executionProvider: 'cpu',
    fallbackReason: null,
  };
}

async function createOnCpu(
  bytes: Uint8Array,
  intraOpThreads?: number,
): Promise<ort.InferenceSession> {
  try {
    return await create(bytes, 'cpu', intraOpThreads);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ModelLoadError(`onnxruntime could not load the model: ${message}`, { cause: error });
  }
}

function create(
  bytes: Uint8Array,
  provider: ExecutionProvider,
  intraOpThreads?: number,
): Promise<ort.InferenceSession> {
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: [provider],
    logSeverityLevel: FATAL_ONLY,
  };
  if (intraOpThreads !== undefined) options.intraOpNumThreads = intraOpThreads;
  return ort.InferenceSession.create(bytes, options);
}
