import { type Logger, noopLogger, SeededRandom } from '@galt/core';
import { buildMlpClassifier } from '@galt/onnx';
import type { ClassifierModel } from '../classifier/classifier-model.js';
import type { InterfaceProbe } from '../classifier/interface-probe.js';
import { initMlpParameters, MlpReference, mlpParameterNames } from '../classifier/mlp-reference.js';
import { OnnxClassifier } from '../classifier/onnx-classifier.js';
import { AdamOptimizer } from '../train/adam-optimizer.js';
import {
  type ContinualBenchmarkOptions,
  QUICK_TEST_PER_TASK,
  type ResolvedContinualOptions,
  resolveContinualOptions,
} from './continual-options.js';
import {
  type DataSplit,
  type Dataset,
  loadFashionMnist,
  loadMnist,
  selectClasses,
  selectIndices,
} from './datasets.js';
import { createInterfaceProbes } from './interface-probes.js';
import { createDerpp } from './methods/derpp.js';
import { createEwc } from './methods/ewc.js';
import {
  type BlockSweepCount,
  type ConstraintSatisfaction,
  createGaltContinual,
  type GaltContinualOptions,
} from './methods/galt-continual.js';
import type { Batch, ContinualMethod, MethodContext, MethodName } from './methods/method.js';
import { createAgem, createFinetune, createJoint, createReplay } from './methods/simple-methods.js';
import { accuracy, averageForgetting, finalAccuracy, meanAndDeviation } from './metrics.js';
import {
  buildLoraClassifier,
  LORA_TRAINABLE,
  PROTOTYPE_LAYERS,
  pretrainPrototype,
} from './prototype-model.js';
import { ReservoirBuffer } from './reservoir-buffer.js';

/** One method on one seed. */
export interface MethodRun {
  method: MethodName;
  seed: number;
  /** accuracyMatrix[i][j]: accuracy on task j's test data after training task i (0–1). */
  accuracyMatrix: number[][];
  /** Mean final accuracy over all tasks, in percent. */
  finalAccuracy: number;
  /** Average forgetting over all tasks but the last, in percent. */
  forgetting: number;
  /** Examples back-propagated per step (task, replay and Jacobian rows) divided by the batch size. */
  gradientEvaluationsPerStep: number;
  wallTimeMs: number;
  constraintSatisfaction?: ConstraintSatisfaction[];
  /** GALT only: block-solve sweeps per step, and the steps that hit the sweep cap. */
  blockSweeps?: { perStep: number; capped: number };
  ewcLambda?: number;
}

/** Summary of one method across seeds. */
export interface MethodSummary {
  method: MethodName;
  finalAccuracy: { mean: number; deviation: number };
  forgetting: { mean: number; deviation: number };
  gradientEvaluationsPerStep: number;
  wallTimeMs: number;
  /** Share of (task, seed) pairs in which every retention row held at the task end (GALT only). */
  constraintPairsSatisfied?: number;
}

/** The result of `runContinualBenchmark`. */
export interface ContinualBenchmarkResult {
  suite: ResolvedContinualOptions['suite'];
  layers: number[];
  buffer: number;
  seeds: number[];
  quick: boolean;
  stepsPerTask: number;
  batchSize: number;
  runs: MethodRun[];
  summary: MethodSummary[];
}

/** Classes of the five two-class tasks. */
const TASK_CLASSES = [
  [0, 1],
  [2, 3],
  [4, 5],
  [6, 7],
  [8, 9],
];
/** The prototype's two tasks: digits 0–4, then 5–9. */
const PROTOTYPE_TASK_CLASSES = [
  [0, 1, 2, 3, 4],
  [5, 6, 7, 8, 9],
];
/** Share of each task's training data held out to choose EWC's λ. */
const VALIDATION_FRACTION = 0.1;

/**
 * Runs the class-incremental continual-learning benchmark (Split-MNIST or Split-Fashion-MNIST,
 * five tasks of two classes, one 10-way head) for each method and seed with the same model
 * initialisation, data order and reservoir-buffer decisions, and returns accuracies, forgetting,
 * gradient evaluations and wall time.
 */
export async function runContinualBenchmark(
  options: ContinualBenchmarkOptions = {},
): Promise<ContinualBenchmarkResult> {
  const settings = resolveContinualOptions(options);
  const logger = options.logger ?? noopLogger;
  const now = options.now ?? (() => performance.now());
  const runs: MethodRun[] = [];
  for (const seed of settings.seeds) {
    const split =
      settings.suite === 'split-fmnist'
        ? loadFashionMnist(settings.fashionDirectory)
        : loadMnist(seed);
    const tasks = buildTasks(split, settings, seed);
    const [train, test] =
      settings.evaluation === 'validation'
        ? [tasks.fit, tasks.validation]
        : [tasks.train, tasks.test];
    const models = await prepareModels(settings, split, seed, logger);
    for (const method of settings.methods) {
      logger.info('continual benchmark run started', { method, seed });
      const run =
        method === 'ewc'
          ? await runEwcWithSweep(tasks, models, settings, seed, now, logger)
          : await runMethod(method, models, train, test, settings, seed, now);
      logger.info('continual benchmark run finished', {
        method,
        seed,
        accuracy: run.finalAccuracy,
      });
      runs.push(run);
    }
  }
  const layers =
    settings.suite === 'prototype' ? [...PROTOTYPE_LAYERS] : [784, ...settings.hidden, 10];
  return {
    suite: settings.suite,
    layers,
    buffer: settings.buffer,
    seeds: settings.seeds,
    quick: settings.quick,
    stepsPerTask: settings.stepsPerTask,
    batchSize: settings.batchSize,
    runs,
    summary: summarise(settings.methods, runs),
  };
}

interface TaskData {
  train: Dataset[];
  test: Dataset[];
  /** Training data minus the validation share, and the validation share, for the EWC sweep. */
  fit: Dataset[];
  validation: Dataset[];
}

function buildTasks(split: DataSplit, settings: ResolvedContinualOptions, seed: number): TaskData {
  const random = new SeededRandom(seed).split('task-order');
  const data: TaskData = { train: [], test: [], fit: [], validation: [] };
  const taskClasses = settings.suite === 'prototype' ? PROTOTYPE_TASK_CLASSES : TASK_CLASSES;
  for (const classes of taskClasses) {
    const train = selectClasses(split.train, classes);
    const order = random.shuffle(Array.from({ length: train.count }, (_, i) => i));
    const shuffled = selectIndices(train, order);
    const cut = Math.round(shuffled.count * (1 - VALIDATION_FRACTION));
    data.train.push(shuffled);
    data.fit.push(selectIndices(shuffled, order.map((_, i) => i).slice(0, cut)));
    data.validation.push(selectIndices(shuffled, order.map((_, i) => i).slice(cut)));
    let test = selectClasses(split.test, classes);
    if (settings.quick)
      test = selectIndices(
        test,
        Array.from({ length: Math.min(QUICK_TEST_PER_TASK, test.count) }, (_, i) => i),
      );
    data.test.push(test);
  }
  return data;
}

async function runEwcWithSweep(
  tasks: TaskData,
  models: ModelFactory,
  settings: ResolvedContinualOptions,
  seed: number,
  now: () => number,
  logger: Logger,
): Promise<MethodRun> {
  let best = settings.ewcLambdas[0]!;
  if (settings.ewcLambdas.length > 1) {
    let bestAccuracy = -1;
    for (const lambda of settings.ewcLambdas) {
      const trial = await runMethod(
        'ewc',
        models,
        tasks.fit,
        tasks.validation,
        settings,
        seed,
        now,
        lambda,
      );
      logger.debug('EWC validation run', { lambda, accuracy: trial.finalAccuracy });
      if (trial.finalAccuracy > bestAccuracy) {
        bestAccuracy = trial.finalAccuracy;
        best = lambda;
      }
    }
  }
  const [train, test] =
    settings.evaluation === 'validation'
      ? [tasks.fit, tasks.validation]
      : [tasks.train, tasks.test];
  return runMethod('ewc', models, train, test, settings, seed, now, best);
}

async function runMethod(
  name: MethodName,
  models: ModelFactory,
  train: readonly Dataset[],
  test: readonly Dataset[],
  settings: ResolvedContinualOptions,
  seed: number,
  now: () => number,
  ewcLambda = 1,
): Promise<MethodRun> {
  const started = now();
  const root = new SeededRandom(seed);
  const { model, parameters } = await models(root);
  const context: MethodContext = {
    model,
    parameterArrays: model.parameterNames.map((parameterName) => parameters.get(parameterName)!),
    optimizer: new AdamOptimizer(model.dimension, { learningRate: settings.learningRate }),
    buffer: new ReservoirBuffer(settings.buffer, root.split('buffer')),
    random: root.split('replay'),
    batchSize: settings.batchSize,
    backpropagated: { examples: 0 },
    steps: 0,
  };
  let probes: Awaited<ReturnType<typeof createInterfaceProbes>> = [];
  let method: ReturnType<typeof createMethod>;
  let matrix: number[][];
  try {
    probes = name === 'galt' ? await createInterfaceProbes(parameters, settings) : [];
    method = createMethod(name, context, ewcLambda, settings, settings.galt, probes);
    matrix = await trainTasks(method, context, train, test, settings);
  } finally {
    await model.close();
    for (const probe of probes) await probe.close();
  }

  const run: MethodRun = {
    method: name,
    seed,
    accuracyMatrix: matrix,
    finalAccuracy: finalAccuracy(matrix),
    forgetting: averageForgetting(matrix),
    gradientEvaluationsPerStep:
      context.backpropagated.examples / (context.steps * settings.batchSize),
    wallTimeMs: now() - started,
  };
  if ('satisfaction' in method)
    run.constraintSatisfaction = method.satisfaction as ConstraintSatisfaction[];
  if ('sweeps' in method) {
    const count = method.sweeps as BlockSweepCount;
    run.blockSweeps = { perStep: count.sweeps / Math.max(1, count.steps), capped: count.capped };
  }
  if (name === 'ewc') run.ewcLambda = ewcLambda;
  return run;
}

/** Trains the tasks in order and returns the accuracy matrix measured after each task. */
async function trainTasks(
  method: ContinualMethod,
  context: MethodContext,
  train: readonly Dataset[],
  test: readonly Dataset[],
  settings: ResolvedContinualOptions,
): Promise<number[][]> {
  const usesBuffer = method.name !== 'finetune' && method.name !== 'ewc' && method.name !== 'joint';
  const needsLogits = method.name === 'derpp' || method.name === 'galt';
  const matrix: number[][] = [];
  for (let task = 0; task < train.length; task++) {
    const data = train[task]!;
    await method.beginTask?.(task, data);
    const steps =
      settings.stepsPerTask > 0
        ? settings.stepsPerTask
        : Math.ceil(data.count / settings.batchSize);
    context.steps += steps;
    for (let step = 0; step < steps; step++) {
      const batch = takeBatch(data, step, settings.batchSize);
      await method.trainStep(batch, task);
      if (usesBuffer) await offerBatch(context, batch, task, needsLogits);
    }
    await method.endTask?.(task, data);

    const row: number[] = [];
    for (const taskTest of test) row.push(await accuracy(context.model, taskTest));
    matrix.push(row);
  }
  return matrix;
}

/** Creates a fresh model and its parameter values for one method run. */
type ModelFactory = (
  root: SeededRandom,
) => Promise<{ model: ClassifierModel; parameters: Map<string, Float32Array> }>;

/**
 * Returns the model factory of a suite. Split suites start every method from the same random MLP.
 * The prototype suite pre-trains once per seed, then trains only the adapters and the head.
 */
async function prepareModels(
  settings: ResolvedContinualOptions,
  split: DataSplit,
  seed: number,
  logger: Logger,
): Promise<ModelFactory> {
  if (settings.suite === 'prototype') {
    const graph = buildLoraClassifier();
    const executionProvider = settings.executionProvider;
    const pretrained = await pretrainPrototype(graph, split, seed, { executionProvider, logger });
    return async () => {
      const parameters = new Map(
        [...pretrained].map(([name, values]) => [name, Float32Array.from(values)]),
      );
      const model = await OnnxClassifier.create({
        graph,
        inputName: 'x',
        logitsName: 'logits',
        parameters,
        trainable: LORA_TRAINABLE,
        executionProvider,
        logger,
      });
      return { model, parameters };
    };
  }
  const layers = [784, ...settings.hidden, 10];
  return async (root) => {
    const parameters = initMlpParameters(layers, root.split('init'));
    return { model: await createModel(layers, parameters, settings, logger), parameters };
  };
}

async function createModel(
  layers: number[],
  parameters: Map<string, Float32Array>,
  settings: ResolvedContinualOptions,
  logger: Logger,
): Promise<ClassifierModel> {
  if (settings.backend === 'reference') return new MlpReference(layers, parameters);
  return OnnxClassifier.create({
    graph: buildMlpClassifier({ layers }),
    inputName: 'x',
    logitsName: 'logits',
    parameters,
    trainable: mlpParameterNames(layers.length - 1),
    executionProvider: settings.executionProvider,
    logger,
  });
}

function createMethod(
  name: MethodName,
  context: MethodContext,
  ewcLambda: number,
  settings: ResolvedContinualOptions,
  galtOptions: GaltContinualOptions,
  probes: readonly InterfaceProbe[],
): ContinualMethod {
  switch (name) {
    case 'finetune':
      return createFinetune(context);
    case 'ewc':
      return createEwc(context, ewcLambda);
    case 'replay':
      return createReplay(context);
    case 'derpp':
      return createDerpp(context);
    case 'agem':
      return createAgem(context);
    case 'joint':
      return createJoint(context);
    case 'galt':
      return createGaltContinual(
        context,
        {
          ...galtOptions,
          updater: { learningRate: settings.learningRate, ...galtOptions.updater },
        },
        probes,
      );
  }
}

/** Returns batch `step` of a task, cycling through its (already shuffled) examples. */
function takeBatch(data: Dataset, step: number, batchSize: number): Batch {
  const features = new Float32Array(batchSize * data.inputSize);
  const labels: number[] = [];
  for (let i = 0; i < batchSize; i++) {
    const source = (step * batchSize + i) % data.count;
    features.set(
      data.features.subarray(source * data.inputSize, (source + 1) * data.inputSize),
      i * data.inputSize,
    );
    labels.push(data.labels[source]!);
  }
  return { features, labels, count: batchSize };
}

async function offerBatch(
  context: MethodContext,
  batch: Batch,
  task: number,
  needsLogits: boolean,
): Promise<void> {
  const inputSize = context.model.inputSize;
  const classes = context.model.classes;
  const logits = needsLogits
    ? await context.model.forward(batch.features, batch.count)
    : new Float32Array(batch.count * classes);
  for (let i = 0; i < batch.count; i++) {
    context.buffer.offer(
      batch.features.slice(i * inputSize, (i + 1) * inputSize),
      batch.labels[i]!,
      logits.slice(i * classes, (i + 1) * classes),
      task,
    );
  }
}

function summarise(methods: readonly MethodName[], runs: readonly MethodRun[]): MethodSummary[] {
  return methods.map((method) => {
    const mine = runs.filter((run) => run.method === method);
    const summary: MethodSummary = {
      method,
      finalAccuracy: meanAndDeviation(mine.map((run) => run.finalAccuracy)),
      forgetting: meanAndDeviation(mine.map((run) => run.forgetting)),
      gradientEvaluationsPerStep: meanAndDeviation(
        mine.map((run) => run.gradientEvaluationsPerStep),
      ).mean,
      wallTimeMs: meanAndDeviation(mine.map((run) => run.wallTimeMs)).mean,
    };
    const pairs = mine.flatMap((run) => run.constraintSatisfaction ?? []);
    if (method === 'galt' && pairs.length > 0) {
      summary.constraintPairsSatisfied =
        pairs.filter((pair) => pair.satisfied === pair.rows).length / pairs.length;
    }
    return summary;
  });
}
