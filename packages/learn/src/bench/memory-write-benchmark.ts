import { type Logger, noopLogger, SeededRandom } from '@galt/core';
import { buildMlpClassifier, type ExecutionProvider, initializeParameters } from '@galt/onnx';
import { ClassifierMemoryWriter } from '../classifier/classifier-memory-writer.js';
import { crossEntropy, marginRows } from '../classifier/logit-functions.js';
import type { SafetyProbe } from '../classifier/write-request.js';
import { AdamOptimizer } from '../train/adam-optimizer.js';
import { trainGraph } from '../train/adam-trainer.js';
import { type Dataset, loadMnist } from './datasets.js';

/** Options of `runMemoryWriteBenchmark`. */
export interface MemoryWriteBenchmarkOptions {
  seed?: number;
  /** Writes in the stream; every third one is adversarial. */
  writes?: number;
  /** Hard safety probes: test images whose label leads the runner-up by at least two logits. */
  probes?: number;
  /** Epochs of pre-training on the MNIST training split. */
  pretrainEpochs?: number;
  executionProvider?: ExecutionProvider;
  logger?: Logger;
}

/** Counts of one memory channel over the write stream. */
export interface WriteStreamCounts {
  committed: number;
  rolledBack: number;
  refused: number;
  /** Writes after which at least one hard probe was violated (measured independently). */
  writesLeavingViolation: number;
  /** Sum over writes of the probes violated after the write. */
  violatedProbeChecks: number;
}

/** The result of `runMemoryWriteBenchmark`. */
export interface MemoryWriteBenchmarkResult {
  writes: number;
  probes: number;
  galt: WriteStreamCounts;
  /** The same stream written by plain Adam on the same parameters, with no rows and no rollback. */
  adam: WriteStreamCounts;
}

/** Hidden width of the benchmark's classifier: small enough to pre-train in seconds. */
const HIDDEN = 64;
/** Margin every probe must keep; probes start with at least twice this lead. */
const MAX_PROBE_MARGIN = 1;
/** Pre-training batch size. */
const PRETRAIN_BATCH = 64;

/**
 * Streams memory writes into an MNIST classifier's head and counts hard-probe violations after
 * every write: once through `ClassifierMemoryWriter` and once through plain Adam steps. Every
 * third write is adversarial: a probe image labelled as another class.
 */
export async function runMemoryWriteBenchmark(
  options: MemoryWriteBenchmarkOptions = {},
): Promise<MemoryWriteBenchmarkResult> {
  const seed = options.seed ?? 0;
  const writes = options.writes ?? 30;
  const logger = options.logger ?? noopLogger;
  const random = new SeededRandom(seed).split('memory-writes');
  const split = loadMnist(seed);
  const graph = buildMlpClassifier({ layers: [784, HIDDEN, 10] });
  const trained = await trainGraph(graph, {
    loss: 'loss',
    parameters: initializeParameters(graph, random.split('init')),
    data: {
      x: { type: 'float32', dims: [split.train.count, 784], data: split.train.features },
      labels: {
        type: 'int64',
        dims: [split.train.count],
        data: BigInt64Array.from(split.train.labels, BigInt),
      },
    },
    batchSize: PRETRAIN_BATCH,
    epochs: options.pretrainEpochs ?? 1,
    seed,
    ...(options.executionProvider === undefined
      ? {}
      : { executionProvider: options.executionProvider }),
    logger,
  });
  const values = () =>
    new Map(
      Object.entries(trained.parameters).map(([n, t]) => [
        n,
        Float32Array.from(t.data as Float32Array),
      ]),
    );

  const galtParameters = values();
  const writer = await ClassifierMemoryWriter.create({
    graph,
    inputName: 'x',
    logitsName: 'logits',
    parameters: galtParameters,
    blocks: [{ name: 'head', parameters: ['w1', 'b1'], size: HIDDEN * 10 + 10 }],
    ...(options.executionProvider === undefined
      ? {}
      : { executionProvider: options.executionProvider }),
    logger,
  });
  const model = writer.classifier;
  const probes = await selectProbes(
    model,
    split.test,
    options.probes ?? 20,
    random.split('probes'),
  );
  const stream = buildStream(split.test, probes, writes, random.split('stream'));

  const galt = emptyCounts();
  for (const [index, admitted] of stream.entries()) {
    const record = await writer.write({
      agentId: 'bench',
      tick: index,
      admitted,
      safetyProbes: probes,
    });
    if (record.outcome === 'committed') galt.committed += 1;
    else if (record.outcome === 'rolled_back') galt.rolledBack += 1;
    else galt.refused += 1;
    countViolations(galt, await violatedProbes(model, probes));
  }

  // The contrast: the same head, the same number of steps per write, plain Adam with no rows.
  const adamParameters = values();
  const adamHead = [adamParameters.get('w1')!, adamParameters.get('b1')!];
  for (const [name, array] of adamParameters) galtParameters.get(name)!.set(array);
  const optimizer = new AdamOptimizer(model.dimension, { learningRate: writer.learningRate });
  const adam = emptyCounts();
  for (const admitted of stream) {
    const features = Float32Array.from(admitted.flatMap((example) => [...example.features]));
    const labels = admitted.map((example) => example.label);
    for (let step = 0; step < writer.stepsPerWrite; step++) {
      const logits = await model.forward(features, labels.length);
      const { logitGradient } = crossEntropy(logits, labels, 10);
      for (let i = 0; i < logitGradient.length; i++) logitGradient[i]! /= labels.length;
      optimizer.step(adamHead, await model.gradient(features, labels.length, logitGradient));
      for (const [name, array] of adamParameters) galtParameters.get(name)!.set(array);
    }
    adam.committed += 1;
    countViolations(adam, await violatedProbes(model, probes));
  }
  await model.close();
  return { writes, probes: probes.length, galt, adam };
}

async function selectProbes(
  model: ClassifierMemoryWriter['classifier'],
  test: Dataset,
  count: number,
  random: SeededRandom,
): Promise<SafetyProbe[]> {
  const probes: SafetyProbe[] = [];
  for (const index of random.shuffle(Array.from({ length: test.count }, (_, i) => i))) {
    if (probes.length >= count) break;
    const features = test.features.slice(index * 784, (index + 1) * 784);
    const label = test.labels[index]!;
    const logits = await model.forward(features, 1);
    const lead = -marginRows(logits, [label], [0], 10).values[0]!;
    if (lead < 2 * MAX_PROBE_MARGIN) continue;
    probes.push({ id: `probe-${index}`, features, label, margin: MAX_PROBE_MARGIN });
  }
  return probes;
}

type Admitted = { features: Float32Array; label: number }[];

function buildStream(
  test: Dataset,
  probes: readonly SafetyProbe[],
  writes: number,
  random: SeededRandom,
): Admitted[] {
  const stream: Admitted[] = [];
  for (let write = 0; write < writes; write++) {
    if (write % 3 === 2) {
      const probe = random.pick(probes);
      const wrong = (probe.label + 1 + random.nextInt(9)) % 10;
      stream.push([{ features: Float32Array.from(probe.features), label: wrong }]);
      continue;
    }
    const index = random.nextInt(test.count);
    stream.push([
      { features: test.features.slice(index * 784, (index + 1) * 784), label: random.nextInt(10) },
    ]);
  }
  return stream;
}

async function violatedProbes(
  model: ClassifierMemoryWriter['classifier'],
  probes: readonly SafetyProbe[],
): Promise<number> {
  const features = new Float32Array(probes.length * 784);
  probes.forEach((probe, i) => {
    features.set(probe.features, i * 784);
  });
  const logits = await model.forward(features, probes.length);
  const { values } = marginRows(
    logits,
    probes.map((p) => p.label),
    probes.map((p) => p.margin ?? 1),
    10,
  );
  // A hard row holds when C ≤ 0; the writer commits with a buffer below that.
  return values.filter((value) => value > 0).length;
}

function emptyCounts(): WriteStreamCounts {
  return {
    committed: 0,
    rolledBack: 0,
    refused: 0,
    writesLeavingViolation: 0,
    violatedProbeChecks: 0,
  };
}

function countViolations(counts: WriteStreamCounts, violated: number): void {
  counts.violatedProbeChecks += violated;
  if (violated > 0) counts.writesLeavingViolation += 1;
}
