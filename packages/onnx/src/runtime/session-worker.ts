import { parentPort, workerData } from 'node:worker_threads';
import type ort from 'onnxruntime-node';
import type { TensorValue } from '../tensor.js';
import { loadSession } from './load-session.js';
import { fromOrtTensor, toOrtTensor } from './ort-tensors.js';
import type { WorkerReply, WorkerRequest, WorkerStart } from './worker-protocol.js';

// Entry point of one SessionPool worker: one onnxruntime session, runs served in arrival order.
// It imports nothing from other galt packages, so it loads from this package's dist folder alone.

const port = parentPort;
const start = workerData as WorkerStart;

function reply(message: WorkerReply): void {
  port?.postMessage(message);
}

async function runOnce(session: ort.InferenceSession, feeds: Record<string, TensorValue>) {
  const ortFeeds: Record<string, ort.Tensor> = {};
  for (const name of session.inputNames) {
    const value = feeds[name];
    if (value === undefined) throw new Error(`feed ${name} is missing`);
    ortFeeds[name] = toOrtTensor(value);
  }
  const results = await session.run(ortFeeds);
  const outputs: Record<string, TensorValue> = {};
  for (const name of session.outputNames)
    outputs[name] = fromOrtTensor(name, results[name] as ort.Tensor);
  return outputs;
}

async function main(): Promise<void> {
  let session: ort.InferenceSession;
  try {
    const loaded = await loadSession(start.bytes, start.executionProvider, start.intraOpThreads);
    session = loaded.session;
    reply({
      kind: 'ready',
      executionProvider: loaded.executionProvider,
      fallbackReason: loaded.fallbackReason,
    });
  } catch (error) {
    reply({ kind: 'load_failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  let shared: Record<string, TensorValue> = {};
  port?.on('message', (request: WorkerRequest) => {
    if (request.kind === 'share') {
      shared = request.feeds;
      reply({ kind: 'result', id: request.id, outputs: {} });
      return;
    }
    runOnce(session, { ...shared, ...request.feeds }).then(
      (outputs) => reply({ kind: 'result', id: request.id, outputs }),
      (error: unknown) =>
        reply({
          kind: 'failed',
          id: request.id,
          message: error instanceof Error ? error.message : String(error),
        }),
    );
  });
}

void main();
