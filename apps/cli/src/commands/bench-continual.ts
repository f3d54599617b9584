import type { ContinualBenchmarkOptions } from '@galt/learn';
import { defineCommand } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import {
  choiceOption,
  flagOption,
  integerListOption,
  integerOption,
  stringListOption,
  stringOption,
} from '../options.js';
import { createStderrLogger, logLevelFromEnv } from '../stderr-logger.js';
import { writeContinualPlot } from './continual-plot.js';
import { note, printRows } from './output.js';

/** `galt bench continual`: class-incremental Split-MNIST (or Fashion-MNIST) per method. */
export const benchContinualCommand = defineCommand({
  name: 'bench continual',
  summary: 'Compare continual-learning methods (GALT, DER++, replay, EWC...) on Split-MNIST.',
  description:
    'Five two-class tasks with one 10-way head, the same model, data order and reservoir\n' +
    'buffer for every method. Prints final accuracy and forgetting (percent, mean and\n' +
    'deviation over seeds), gradient evaluations per step and wall time; --json prints the\n' +
    'full result with every accuracy matrix. --quick uses small settings that finish in\n' +
    'seconds and check behaviour, not the published figures.',
  options: {
    suite: choiceOption({
      description: 'data set and protocol',
      choices: ['split-mnist', 'split-fmnist', 'prototype'],
      default: 'split-mnist',
    }),
    method: stringListOption({
      // The learn package validates the names; the list here only informs the help text.
      description:
        'methods to run, comma-separated (default all: galt, derpp, replay, agem, ewc, finetune, joint)',
    }),
    buffer: integerOption({
      description: 'reservoir buffer size in examples',
      min: 1,
      max: 100_000,
      default: 200,
    }),
    seeds: integerListOption({
      description: 'seeds (learn default 0,1,2)',
      min: 0,
      max: 2 ** 31 - 1,
    }),
    quick: flagOption({ description: 'small settings for a fast check' }),
    steps: integerOption({ description: 'optimizer steps per task', min: 1, max: 1_000_000 }),
    batch: integerOption({ description: 'examples per step', min: 1, max: 65_536 }),
    backend: choiceOption({
      description: 'where passes run: onnxruntime graphs or the TypeScript reference',
      choices: ['onnx', 'reference'],
      default: 'onnx',
    }),
    ep: choiceOption({
      description: 'execution provider',
      choices: ['cpu', 'cuda'],
      default: 'cpu',
    }),
    json: flagOption({ description: 'print the full result as one JSON object' }),
    plot: stringOption({
      description:
        'also write accuracy curves and accuracy-matrix heat maps per method as an SVG file',
      placeholder: 'FILE.svg',
    }),
  },
  examples: [
    'galt bench continual --quick',
    'galt bench continual --quick --plot accuracy.svg',
    'galt bench continual --method galt,derpp,finetune --buffer 200 --seeds 0',
  ],
  async execute(values, io) {
    const options: ContinualBenchmarkOptions = {
      suite: values.suite,
      buffer: values.buffer,
      quick: values.quick,
      backend: values.backend,
      executionProvider: values.ep,
      logger: createStderrLogger(io.stderr, logLevelFromEnv(io.env)),
      now: () => io.now(),
    };
    if (values.method !== undefined)
      options.methods = values.method as ContinualBenchmarkOptions['methods'];
    if (values.seeds !== undefined) options.seeds = values.seeds;
    if (values.steps !== undefined) options.stepsPerTask = values.steps;
    if (values.batch !== undefined) options.batchSize = values.batch;

    note(io, `running the ${values.suite} continual-learning benchmark...`);
    const { runContinualBenchmark } = await import('@galt/learn');
    const result = await runContinualBenchmark(options);
    if (values.plot !== undefined) writeContinualPlot(result, values.plot, io);
    if (values.json) {
      io.stdout.write(`${JSON.stringify(result)}\n`);
      return ExitCode.ok;
    }
    const rows = result.summary.map((summary) => ({
      method: summary.method,
      accuracy: summary.finalAccuracy.mean,
      accuracySd: summary.finalAccuracy.deviation,
      forgetting: summary.forgetting.mean,
      forgettingSd: summary.forgetting.deviation,
      gradientEvalsPerStep: summary.gradientEvaluationsPerStep,
      wallTimeS: summary.wallTimeMs / 1000,
      retentionHeld: summary.constraintPairsSatisfied ?? null,
    }));
    io.stdout.write(
      `${result.suite}, layers ${result.layers.join('-')}, buffer ${result.buffer}, ` +
        `seeds ${result.seeds.join(',')}, ${result.stepsPerTask} steps x batch ${result.batchSize}` +
        `${result.quick ? ' (quick)' : ''}\n`,
    );
    printRows(io, 'continual', rows, false, [
      { key: 'method' },
      { key: 'accuracy', fractionDigits: 1 },
      { key: 'accuracySd', header: '±', fractionDigits: 1 },
      { key: 'forgetting', fractionDigits: 1 },
      { key: 'forgettingSd', header: '±', fractionDigits: 1 },
      { key: 'gradientEvalsPerStep', header: 'grad evals/step', fractionDigits: 2 },
      { key: 'wallTimeS', header: 'wall s', fractionDigits: 1 },
      { key: 'retentionHeld', header: 'retention held', fractionDigits: 2 },
    ]);
    return ExitCode.ok;
  },
});
