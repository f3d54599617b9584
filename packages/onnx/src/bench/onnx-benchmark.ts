import { isGaltError, SeededRandom } from '@galt/core';
import { gradientGraph } from '../autodiff/gradient-graph.js';
import { jacobianGraph } from '../autodiff/jacobian-graph.js';
import { encodeModel } from '../encoding/encode-model.js';
import type { Graph } from '../graph.js';
import { buildMlpClassifier, initializeParameters } from '../models/mlp.js';
import { evaluateReference } from '../reference/evaluate.js';
import type { ExecutionProvider } from '../runtime/execution-providers.js';
import { OnnxSession } from '../runtime/onnx-session.js';
import { SessionPool } from '../runtime/session-pool.js';
import { float32Tensor, int64Tensor, type TensorValue } from '../tensor.js';
import { timeCalls } from './timing.js';

/** One benchmark measurement. */
export interface OnnxBenchRow {
  name: string;
  engine: 'onnxruntime' | 'typescript' | 'worker pool';
  batch: number;
  iterations: number;
  medianMs: number;
  callsPerSecond: number;
  note: string;
}

/** Options of `runOnnxBenchmark`. */
export interface OnnxBenchOptions {
  /** MLP widths, by default those of the Split-MNIST model, 784-100-100-10. */
  layers?: number[];
  /** Factor on every iteration count. At 1, a run took about 6 s on a shared 2-core machine. */
  scale?: number;
  /** Workers of the pool row. */
  workers?: number;
  executionProvider?: ExecutionProvider;
}

const LATENCY_BATCHES = [1, 16, 256];
/** Batch of the gradient rows: the training batch of the continual-learning protocol. */
const GRADIENT_BATCH = 128;
/** Rows of the Jacobian benchmark: a typical count of replay and probe constraints. */
const JACOBIAN_ROWS = 32;
const POOL_BATCH = 16;

function feedsFor(
  graph: Graph,
  parameters: Record<string, TensorValue>,
  batch: number,
  seed: number,
) {
  const random = new SeededRandom(seed);
  const width = graph.inputs[0]?.shape[1] as number;
  const classes = graph.outputs[0]?.shape[1] as number;
  return {
    ...parameters,
    x: float32Tensor(
      [batch, width],
      Array.from({ length: batch * width }, () => random.nextFloat()),
    ),
    labels: int64Tensor(
      [batch],
      Array.from({ length: batch }, () => random.nextInt(classes)),
    ),
  };
}

function row(
  name: string,
  engine: OnnxBenchRow['engine'],
  batch: number,
  timing: { iterations: number; medianMs: number },
  note = '',
): OnnxBenchRow {
  return {
    name,
    engine,
    batch,
    iterations: timing.iterations,
    medianMs: timing.medianMs,
    callsPerSecond: 1000 / timing.medianMs,
    note,
  };
}

const count = (base: number, scale: number) => Math.max(3, Math.round(base * scale));

/**
 * Measures the MLP on onnxruntime and on the TypeScript reference: forward latency at batch 1,
 * 16 and 256, the gradient graph, the per-row Jacobian graph, and worker-pool throughput.
 */
export async function runOnnxBenchmark(options: OnnxBenchOptions = {}): Promise<OnnxBenchRow[]> {
  const scale = options.scale ?? 1;
  const graph = buildMlpClassifier({ layers: options.layers ?? [784, 100, 100, 10] });
  const parameters = initializeParameters(graph, new SeededRandom('onnx-bench'));
  const names = graph.parameters.map((parameter) => parameter.name);
  const provider: ExecutionProvider = options.executionProvider ?? 'cpu';
  const rows: OnnxBenchRow[] = [];

  const forward = await OnnxSession.create(encodeModel(graph), { executionProvider: provider });
  for (const batch of LATENCY_BATCHES) {
    const feeds = feedsFor(graph, parameters, batch, batch);
    const iterations = count(batch === 256 ? 40 : 200, scale);
    rows.push(
      row(
        'forward',
        'onnxruntime',
        batch,
        await timeCalls(iterations, 3, () => forward.run(feeds)),
        forward.executionProvider,
      ),
    );
    const referenceIterations = count(batch === 256 ? 5 : 50, scale);
    rows.push(
      row(
        'forward',
        'typescript',
        batch,
        await timeCalls(referenceIterations, 1, () => evaluateReference(graph, feeds)),
      ),
    );
  }
  await forward.close();

  const gradient = gradientGraph(graph, { loss: 'loss', parameters: names });
  rows.push(
    ...(await compareEngines(
      'gradient',
      gradient,
      feedsFor(graph, parameters, GRADIENT_BATCH, 7),
      scale,
      provider,
    )),
  );
  const jacobian = jacobianGraph(graph, { rows: 'rowLoss', parameters: names });
  rows.push(
    ...(await compareEngines(
      'jacobian',
      jacobian,
      feedsFor(graph, parameters, JACOBIAN_ROWS, 8),
      scale,
      provider,
    )),
  );
  rows.push(...(await poolRows(graph, parameters, options.workers ?? 2, scale, provider)));
  return rows;
}

async function compareEngines(
  name: string,
  graph: Graph,
  feeds: Record<string, TensorValue>,
  scale: number,
  provider: ExecutionProvider,
): Promise<OnnxBenchRow[]> {
  const batch = feeds['x']?.dims[0] as number;
  const session = await OnnxSession.create(encodeModel(graph), { executionProvider: provider });
  const onnx = await timeCalls(count(30, scale), 2, () => session.run(feeds));
  await session.close();
  const reference = await timeCalls(count(3, scale), 1, () => evaluateReference(graph, feeds));
  return [
    row(name, 'onnxruntime', batch, onnx, session.executionProvider),
    row(name, 'typescript', batch, reference),
  ];
}

async function poolRows(
  graph: Graph,
  parameters: Record<string, TensorValue>,
  workers: number,
  scale: number,
  provider: ExecutionProvider,
): Promise<OnnxBenchRow[]> {
  const { x, labels } = feedsFor(graph, parameters, POOL_BATCH, 9);
  const inputs = { x, labels };
  const calls = count(400, scale);
  let pool: SessionPool;
  try {
    pool = await SessionPool.create(encodeModel(graph), { workers, executionProvider: provider });
  } catch (error) {
    if (!isGaltError(error, 'not_found')) throw error;
    return [
      {
        name: 'forward throughput',
        engine: 'worker pool',
        batch: POOL_BATCH,
        iterations: 0,
        medianMs: Number.NaN,
        callsPerSecond: Number.NaN,
        note: error.message,
      },
    ];
  }
  try {
    await pool.setSharedFeeds(parameters);
    await Promise.all(Array.from({ length: workers * 2 }, () => pool.run(inputs)));
    const started = performance.now();
    await Promise.all(Array.from({ length: calls }, () => pool.run(inputs)));
    const elapsedMs = performance.now() - started;
    const note = `${workers} workers, 1 intra-op thread each, ${calls} concurrent calls, shared parameters`;
    return [
      {
        name: 'forward throughput',
        engine: 'worker pool',
        batch: POOL_BATCH,
        iterations: calls,
        medianMs: elapsedMs / calls,
        callsPerSecond: (calls * 1000) / elapsedMs,
        note,
      },
    ];
  } finally {
    await pool.close();
  }
}
